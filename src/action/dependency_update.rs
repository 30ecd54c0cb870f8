//! `dependency update` and `dependency build` (Helm's `pkg/downloader`
//! `Manager.Update` / `Manager.Build` and `internal/resolver`): resolve the
//! dependencies Chart.yaml declares, fill `charts/` and write Chart.lock.
//!
//! Owns: version resolution for `file://` (the local chart's version) and
//! `oci://` dependencies (Masterminds constraints over the registry's tags),
//! the lock check of `build`, packaging `file://` dependencies, the staging
//! directory and the final move into `charts/` with Helm's removal of
//! outdated archives, and the progress lines Helm prints. Does not own the
//! digest and lock text (`dependency_lock`), the registry protocol
//! (`pull`, origan-registry), packaging bytes (origan-chart).
//!
//! Classic HTTP chart repositories (`https://…`, `@name`, `alias:name`) are
//! refused with a clear error: origanctl has no `repo` verbs or index cache.

use std::io::Write;
use std::path::{Path, PathBuf};

use origan_chart::{Dependency, Lock};
use origan_semver::{Constraints, Version};

use super::dependency_lock::{
    clean, generated_now, hash_req, hash_v2_req, local_path, lock_file_name, lock_yaml,
};
use super::pull::RegistryOptions;

/// Why `dependency build|update` failed. The texts are Helm's.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A Helm error message (resolution, lock check, download).
    #[error("{0}")]
    Helm(String),
    /// The chart (or a `file://` dependency) could not be loaded.
    #[error(transparent)]
    Load(#[from] origan_chart::LoadError),
    /// A `file://` dependency that does not load (the loader's text after
    /// the dependency's name; Helm prints the loader's text alone).
    #[error("dependency {name:?} ({repo}): {cause}")]
    LocalChart {
        /// The dependency.
        name: String,
        /// Its repository.
        repo: String,
        /// The loader's error (in the text, so not a `source`).
        cause: origan_chart::LoadError,
    },
    /// A repository kind origanctl does not support.
    #[error(
        "dependency {name:?}: repository {repo:?} is a classic HTTP chart repository, which origanctl does not support; use an oci:// or file:// repository"
    )]
    HttpRepo {
        /// The dependency.
        name: String,
        /// Its repository.
        repo: String,
    },
    /// Reading or writing files.
    #[error("{path}: {cause}")]
    Io {
        /// The file or directory.
        path: String,
        /// The cause (in the text, so not a `source`).
        cause: std::io::Error,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |cause| Error::Io {
        path: path.display().to_string(),
        cause,
    }
}

/// Options of `dependency build|update`.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The chart directory (Helm cleans it with `filepath.Clean`).
    pub chart_path: PathBuf,
    /// `--skip-refresh`: accepted; there are no repository indexes to refresh.
    pub skip_refresh: bool,
    /// Registry flags for `oci://` dependencies.
    pub registry: RegistryOptions,
}

/// `helm dependency update`: resolve, download, write the lock.
/// Progress lines go to `out` as Helm prints them.
pub fn update(opts: &Options, out: &mut dyn Write) -> Result<(), Error> {
    let chart = load_chart_dir(&opts.chart_path)?;
    let req = chart.metadata.dependencies.clone();
    if req.is_empty() {
        return Ok(());
    }
    check_repositories(&req, &opts.chart_path)?;
    let mut lock = resolve(&req, opts)?;
    download_all(&mut lock.dependencies, opts, out)?;
    // downloadAll may rewrite versions (file://): Helm hashes again.
    lock.digest = hash_req(&req, &lock.dependencies);
    if chart
        .lock
        .as_ref()
        .is_some_and(|old| old.digest == lock.digest)
    {
        return Ok(());
    }
    write_lock(&opts.chart_path, &lock, chart.metadata.api_version == "v1")
}

/// `helm dependency build`: download what the lock names after checking
/// that it matches Chart.yaml; without a lock, [`update`].
pub fn build(opts: &Options, out: &mut dyn Write) -> Result<(), Error> {
    let chart = load_chart_dir(&opts.chart_path)?;
    let Some(lock) = chart.lock.clone() else {
        return update(opts, out);
    };
    let req = &chart.metadata.dependencies;
    let v1 = chart.metadata.api_version == "v1";
    check_repositories(req, &opts.chart_path)?;
    if hash_req(req, &lock.dependencies) != lock.digest {
        // A v1 chart's lock may come from Helm 2, which hashed differently.
        if v1 {
            // Helm logs this with Go's standard logger: stderr, local time first.
            eprintln!(
                "{} warning: a valid Helm v3 hash was not found. Checking against Helm v2 hash...",
                jiff::Zoned::now().strftime("%Y/%m/%d %H:%M:%S")
            );
            if hash_v2_req(req) != lock.digest {
                return Err(Error::Helm("the lock file (requirements.lock) is out of sync with the dependencies file (requirements.yaml). Please update the dependencies".into()));
            }
        } else {
            return Err(Error::Helm("the lock file (Chart.lock) is out of sync with the dependencies file (Chart.yaml). Please update the dependencies with 'helm dependency update'".into()));
        }
    }
    let mut deps = lock.dependencies;
    download_all(&mut deps, opts, out)
}

/// Helm's `loadChartDir`.
fn load_chart_dir(path: &Path) -> Result<origan_chart::Chart, Error> {
    match std::fs::metadata(path) {
        Err(e) => Err(Error::Helm(format!(
            "could not find {}: {}",
            path.display(),
            go_stat_error(path, &e)
        ))),
        Ok(m) if !m.is_dir() => Err(Error::Helm("only unpacked charts can be updated".into())),
        Ok(_) => Ok(origan_chart::load(path)?),
    }
}

fn go_stat_error(path: &Path, e: &std::io::Error) -> String {
    if e.kind() == std::io::ErrorKind::NotFound {
        format!("stat {}: no such file or directory", path.display())
    } else {
        format!("stat {}: {e}", path.display())
    }
}

/// Helm's `resolveRepoNames`, for the repositories origanctl knows:
/// `file://` paths must exist; anything that is not `file://`, `oci://` or
/// empty (a chart already in `charts/`) is an HTTP repository.
fn check_repositories(req: &[Dependency], chart_path: &Path) -> Result<(), Error> {
    for d in req {
        if d.repository.is_empty() || d.repository.starts_with("oci://") {
            continue;
        }
        if d.repository.starts_with("file://") {
            local_path(&d.repository, chart_path).map_err(Error::Helm)?;
            continue;
        }
        return Err(Error::HttpRepo {
            name: d.name.clone(),
            repo: d.repository.clone(),
        });
    }
    Ok(())
}

/// Helm's `Resolver.Resolve`: one locked entry per requirement.
fn resolve(req: &[Dependency], opts: &Options) -> Result<Lock, Error> {
    let mut locked = Vec::with_capacity(req.len());
    let mut missing = Vec::new();
    for d in req {
        let constraint = Constraints::parse(&d.version).map_err(|e| {
            Error::Helm(format!(
                "dependency {:?} has an invalid version/constraint format: {e}",
                d.name
            ))
        })?;
        let lock = |version: &str| Dependency {
            name: d.name.clone(),
            repository: d.repository.clone(),
            version: version.to_string(),
            ..Dependency::default()
        };
        if d.repository.is_empty() {
            local_path(&format!("charts/{}", d.name), &opts.chart_path).map_err(Error::Helm)?;
            locked.push(lock(&d.version));
        } else if d.repository.starts_with("file://") {
            let path = local_path(&d.repository, &opts.chart_path).map_err(Error::Helm)?;
            let ch = load_local(d, &path)?;
            let ok = Version::parse(&ch.metadata.version).is_ok_and(|v| constraint.check(&v));
            if !ok {
                missing.push(missing_text(d));
                continue;
            }
            locked.push(lock(&ch.metadata.version));
        } else {
            // oci://. A version that parses is kept verbatim; a constraint is
            // matched against the tags, newest first. Helm's quirk: when no
            // tag matches, the constraint itself is locked and the download
            // fails later ("could not locate a version matching ...").
            let mut version = d.version.clone();
            if Version::parse(&d.version).is_err() {
                let reference = format!("{}/{}", d.repository, d.name);
                let tags = list_tags(&reference, &opts.registry).map_err(|e| {
                    Error::Helm(format!(
                        "could not retrieve list of tags for repository {}: {e}",
                        d.repository
                    ))
                })?;
                if let Some(t) = origan_semver::oci_tags(&tags)
                    .into_iter()
                    .find(|t| Version::parse(t).is_ok_and(|v| constraint.check(&v)))
                {
                    version = t;
                }
            }
            locked.push(lock(&version));
        }
    }
    if !missing.is_empty() {
        return Err(Error::Helm(format!(
            "can't get a valid version for {} subchart(s): {}. Make sure a matching chart version exists in the repo, or change the version constraint in Chart.yaml",
            missing.len(),
            missing.join(", ")
        )));
    }
    let digest = hash_req(req, &locked);
    Ok(Lock {
        generated: generated_now(),
        digest,
        dependencies: locked,
    })
}

fn missing_text(d: &Dependency) -> String {
    format!(
        "{:?} (repository {:?}, version {:?})",
        d.name, d.repository, d.version
    )
}

fn list_tags(reference: &str, opts: &RegistryOptions) -> Result<Vec<String>, String> {
    let r = origan_registry::Reference::parse(reference).map_err(|e| e.to_string())?;
    let client = opts.client(&r.registry).map_err(|e| e.to_string())?;
    let tags = client.list_tags(&r.repository).map_err(|e| e.to_string())?;
    // origan-registry reads a 404 as "no tags"; Helm's `Tags` fails there.
    if tags.is_empty() {
        return Err(format!(
            "repository {} has no tags or does not exist",
            r.to_display()
        ));
    }
    Ok(tags)
}

/// Loads a `file://` dependency. Helm returns the loader's error alone
/// ("validation: chart.metadata.name is required"); origanctl says which
/// dependency it was loading.
fn load_local(d: &Dependency, path: &Path) -> Result<origan_chart::Chart, Error> {
    origan_chart::load(path).map_err(|cause| Error::LocalChart {
        name: d.name.clone(),
        repo: d.repository.clone(),
        cause,
    })
}

/// Removes the staging directory however `download_all` ends.
struct Staging(PathBuf);

impl Drop for Staging {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Helm's `downloadAll`: every dependency into a staging directory
/// (`tmpcharts-PID` in the chart), then [`safe_move`] into `charts/`. On
/// any error `charts/` is left as it was.
fn download_all(deps: &mut [Dependency], opts: &Options, out: &mut dyn Write) -> Result<(), Error> {
    let dest = opts.chart_path.join("charts");
    match std::fs::metadata(&dest) {
        Ok(m) if !m.is_dir() => {
            return Err(Error::Helm(format!(
                "{:?} is not a directory",
                dest.display().to_string()
            )));
        }
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => {
            return Err(Error::Helm(format!(
                "unable to retrieve file info for '{}': {}",
                dest.display(),
                go_stat_error(&dest, &e)
            )));
        }
    }
    let tmp = opts
        .chart_path
        .join(format!("tmpcharts-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).map_err(io(&tmp))?;
    let _staging = Staging(tmp.clone());

    let _ = writeln!(out, "Saving {} charts", deps.len());
    let mut fetched = std::collections::HashSet::new();
    let mut save_error = None;
    for dep in deps.iter_mut() {
        match fetch_one(dep, opts, &dest, &tmp, &mut fetched, out) {
            Ok(()) => {}
            Err(e) => {
                save_error = Some(e);
                break;
            }
        }
    }
    if let Some(e) = save_error {
        let _ = writeln!(out, "Save error occurred:  {e}");
        return Err(e);
    }
    safe_move(deps, &tmp, &dest, out)
}

/// One iteration of Helm's `downloadAll` loop.
fn fetch_one(
    dep: &mut Dependency,
    opts: &Options,
    dest: &Path,
    tmp: &Path,
    fetched: &mut std::collections::HashSet<String>,
    out: &mut dyn Write,
) -> Result<(), Error> {
    if dep.repository.is_empty() {
        let _ = writeln!(
            out,
            "Dependency {} did not declare a repository. Assuming it exists in the charts directory",
            dep.name
        );
        let path = dest.join(&dep.name);
        let ch = origan_chart::load(&path)
            .map_err(|e| Error::Helm(format!("unable to load chart '{}': {e}", path.display())))?;
        let constraint = Constraints::parse(&dep.version).map_err(|e| {
            Error::Helm(format!(
                "dependency {} has an invalid version/constraint format: {e}",
                dep.name
            ))
        })?;
        let v = Version::parse(&ch.metadata.version).map_err(|e| {
            Error::Helm(format!(
                "invalid version {} for dependency {}: {e}",
                dep.version, dep.name
            ))
        })?;
        if !constraint.check(&v) {
            return Err(Error::Helm(format!(
                "dependency {} at version {} does not satisfy the constraint {}",
                dep.name, ch.metadata.version, dep.version
            )));
        }
        return Ok(());
    }
    if dep.repository.starts_with("file://") {
        dep.version = tar_from_local_dir(dep, &opts.chart_path, tmp)?;
        return Ok(());
    }
    if !dep.repository.starts_with("oci://") {
        return Err(Error::HttpRepo {
            name: dep.name.clone(),
            repo: dep.repository.clone(),
        });
    }
    let url = format!("{}/{}", dep.repository, dep.name);
    let key = format!("{url}:{}", dep.version);
    if fetched.contains(&key) {
        let _ = writeln!(
            out,
            "Already downloaded {} from repo {}",
            dep.name, dep.repository
        );
        return Ok(());
    }
    let _ = writeln!(out, "Downloading {} from repo {}", dep.name, dep.repository);
    let pulled = super::pull::pull(&url, &dep.version, &opts.registry)
        .map_err(|e| Error::Helm(format!("could not download {url}: {e}")))?;
    // Helm names the file after the reference: `<name>-<tag>.tgz`.
    let tag = pulled
        .reference
        .rsplit_once(':')
        .map(|(_, t)| t.to_string())
        .unwrap_or_else(|| dep.version.clone());
    let file = tmp.join(format!("{}-{tag}.tgz", dep.name));
    std::fs::write(&file, &pulled.archive).map_err(io(&file))?;
    fetched.insert(key);
    Ok(())
}

/// Helm's `tarFromLocalDir`: package a `file://` dependency whose version
/// satisfies `dep.version` into `tmp`; returns that version.
fn tar_from_local_dir(dep: &Dependency, chart_path: &Path, tmp: &Path) -> Result<String, Error> {
    let path = local_path(&dep.repository, chart_path).map_err(Error::Helm)?;
    let ch = load_local(dep, &path)?;
    let constraint = Constraints::parse(&dep.version).map_err(|e| {
        Error::Helm(format!(
            "dependency {} has an invalid version/constraint format: {e}",
            dep.name
        ))
    })?;
    let v = Version::parse(&ch.metadata.version).map_err(|e| Error::Helm(e.to_string()))?;
    if !constraint.check(&v) {
        return Err(Error::Helm(format!(
            "can't get a valid version for dependency {}",
            dep.name
        )));
    }
    let bytes = origan_chart::package::archive_bytes(&ch)
        .map_err(|e| Error::Helm(format!("packaging {}: {e}", path.display())))?;
    let file = tmp.join(origan_chart::package::archive_name(&ch));
    std::fs::write(&file, bytes).map_err(io(&file))?;
    Ok(ch.metadata.version)
}

/// Helm's `safeMoveDeps`: move every staged archive that loads into
/// `charts/`, then delete the archives of `charts/` that were not staged
/// (outdated versions), except charts that are local dependencies.
fn safe_move(
    deps: &[Dependency],
    source: &Path,
    dest: &Path,
    out: &mut dyn Write,
) -> Result<(), Error> {
    std::fs::create_dir_all(dest).map_err(io(dest))?;
    let local: std::collections::HashSet<&str> = deps
        .iter()
        .filter(|d| d.repository.is_empty())
        .map(|d| d.name.as_str())
        .collect();
    let list = |dir: &Path| -> Result<Vec<(String, bool)>, Error> {
        let mut v: Vec<(String, bool)> = std::fs::read_dir(dir)
            .map_err(io(dir))?
            .filter_map(Result::ok)
            .map(|e| {
                let is_dir = e.file_type().is_ok_and(|t| t.is_dir());
                (e.file_name().to_string_lossy().into_owned(), is_dir)
            })
            .collect();
        v.sort();
        Ok(v)
    };
    let sources = list(source)?;
    let dests = list(dest)?;
    let mut staged = std::collections::HashSet::new();
    for (name, is_dir) in &sources {
        if *is_dir {
            continue;
        }
        let from = source.join(name);
        staged.insert(name.clone());
        if let Err(e) = load_file(&from) {
            let _ = write!(
                out,
                "Could not verify {} for moving: {e} (Skipping)",
                from.display()
            );
            continue;
        }
        if let Err(e) = std::fs::rename(&from, dest.join(name)) {
            let _ = write!(
                out,
                "Unable to move {} to charts dir {e} (Skipping)",
                from.display()
            );
        }
    }
    let _ = writeln!(out, "Deleting outdated charts");
    for (name, is_dir) in &dests {
        if *is_dir || staged.contains(name) {
            continue;
        }
        let path = dest.join(name);
        let ch = match load_file(&path) {
            Ok(c) => c,
            Err(e) => {
                let _ = writeln!(
                    out,
                    "Could not verify {} for deletion: {e} (Skipping)",
                    path.display()
                );
                continue;
            }
        };
        if local.contains(ch.metadata.name.as_str()) {
            continue;
        }
        if let Err(e) = std::fs::remove_file(&path) {
            let _ = write!(out, "Could not delete {}: {e} (Skipping)", path.display());
        }
    }
    Ok(())
}

/// Helm's `loader.LoadFile`: an archive, by its bytes.
fn load_file(path: &Path) -> Result<origan_chart::Chart, String> {
    let data = std::fs::read(path).map_err(|e| e.to_string())?;
    origan_chart::load_archive(&data).map_err(|e| e.to_string())
}

/// Helm's `writeLock`: refuses to write through a symlink.
fn write_lock(chart_path: &Path, lock: &Lock, legacy: bool) -> Result<(), Error> {
    let name = lock_file_name(legacy);
    let dest = chart_path.join(name);
    if let Ok(m) = std::fs::symlink_metadata(&dest)
        && m.file_type().is_symlink()
    {
        let link = std::fs::read_link(&dest).map_err(io(&dest))?;
        return Err(Error::Helm(format!(
            "the {name} file is a symlink to {:?}",
            link.display().to_string()
        )));
    }
    std::fs::write(&dest, lock_yaml(lock)).map_err(io(&dest))
}

/// The chart path as Helm's command takes it (`filepath.Clean(args[0])`).
pub fn chart_path_arg(arg: &str) -> PathBuf {
    PathBuf::from(clean(arg))
}
