//! `origanctl pull` and chart references for every verb that takes one:
//! `oci://` references are pulled (through the digest-keyed cache), anything
//! else is a local path. Also the registry flags every OCI verb shares.
//!
//! Owns: [`RegistryOptions`] → [`origan_registry::Client`], [`resolve_chart`]
//! and [`load_chart_ref`] (the chart of `show`, `install`, `upgrade`),
//! [`pull`] and writing a pulled chart to disk (`-d`, `--untar`) so that
//! nothing is left behind on any error. Does not own: the distribution
//! protocol, credentials files and version resolution (origan-registry),
//! reading archives (origan-chart), printing (cli).

use std::path::{Path, PathBuf};

use origan_registry::{Client, ClientOptions, CredentialStore, Credentials, Reference};

/// Registry flags (Helm's `--registry-config`, TLS flags, `--plain-http`,
/// `--username/--password`).
#[derive(Clone, Debug, Default)]
pub struct RegistryOptions {
    /// `--registry-config`: credentials file (default: Helm's).
    pub registry_config: Option<PathBuf>,
    /// `--ca-file`
    pub ca_file: Option<PathBuf>,
    /// `--cert-file`
    pub cert_file: Option<PathBuf>,
    /// `--key-file`
    pub key_file: Option<PathBuf>,
    /// `--insecure-skip-tls-verify`
    pub insecure_skip_tls_verify: bool,
    /// `--plain-http`
    pub plain_http: bool,
    /// `--username`: overrides stored credentials (with `--password`).
    pub username: Option<String>,
    /// `--password`
    pub password: Option<String>,
}

/// What went wrong fetching or saving a chart.
#[derive(Debug, thiserror::Error)]
pub enum PullError {
    /// The registry conversation failed.
    #[error(transparent)]
    Registry(#[from] origan_registry::Error),
    /// The pulled archive is not a loadable chart.
    #[error("pulled chart {reference} is invalid: {message}")]
    Chart {
        /// What was pulled.
        reference: String,
        /// The loader's error.
        message: String,
    },
    /// Writing the result.
    #[error("{path}: {source}")]
    Io {
        /// The file or directory.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// `--untar` into a directory that already holds the chart (Helm's text).
    #[error("failed to untar: a file or directory with the name {0} already exists")]
    Exists(String),
    /// A local chart could not be loaded.
    #[error(transparent)]
    Load(#[from] origan_chart::LoadError),
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> PullError + '_ {
    move |source| PullError::Io {
        path: path.display().to_string(),
        source,
    }
}

impl RegistryOptions {
    /// The credentials store these options name.
    pub fn store(&self) -> CredentialStore {
        CredentialStore::new(self.registry_config.as_deref())
    }

    /// A client for `host`: `--username/--password` when given, else the
    /// stored credentials (Helm's file, then Docker's).
    pub fn client(&self, host: &str) -> Result<Client, origan_registry::Error> {
        let creds = match (&self.username, &self.password) {
            (Some(u), p) if !u.is_empty() => Some(Credentials {
                username: u.clone(),
                password: p.clone().unwrap_or_default(),
            }),
            _ => self.store().get(host)?,
        };
        Client::new(host, creds, &self.client_options())
    }

    /// The transport options alone.
    pub fn client_options(&self) -> ClientOptions {
        ClientOptions {
            plain_http: self.plain_http,
            ca_file: self.ca_file.clone(),
            cert_file: self.cert_file.clone(),
            key_file: self.key_file.clone(),
            insecure: self.insecure_skip_tls_verify,
            timeout: None,
        }
    }
}

/// The chart cache: `$ORIGANCTL_CACHE_HOME/oci`, else
/// `$XDG_CACHE_HOME/origanctl/oci`, else `~/.cache/origanctl/oci`. Chart
/// layers are kept as `sha256/<hex>` and re-verified on every use.
pub fn cache_dir() -> Option<PathBuf> {
    let env = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    let base = env("ORIGANCTL_CACHE_HOME")
        .or_else(|| env("XDG_CACHE_HOME").map(|x| x.join("origanctl")))
        .or_else(|| env("HOME").map(|h| h.join(".cache/origanctl")))?;
    Some(base.join("oci"))
}

/// A chart fetched from a registry, verified.
#[derive(Debug)]
pub struct Pulled {
    /// `host/repo/name:tag` (or `@digest`), as Helm prints after `Pulled:`.
    pub reference: String,
    /// The manifest digest.
    pub digest: String,
    /// The chart archive bytes (the layer, checked against its digest).
    pub archive: Vec<u8>,
    /// The provenance file, when the artifact has one.
    pub prov: Option<Vec<u8>>,
    /// Chart name (from the config blob).
    pub name: String,
    /// Chart version (from the config blob).
    pub version: String,
    /// A deprecation warning to print.
    pub warning: Option<String>,
}

/// Where a chart argument leads.
#[derive(Debug)]
pub enum ChartSource {
    /// A local directory or archive, unchanged.
    Path(PathBuf),
    /// An `oci://` reference, pulled and verified (load it with
    /// `origan_chart::load_archive(&pulled.archive)`).
    Oci(Pulled),
}

/// Resolves a chart argument of `template`, `install`, `upgrade`, `show`:
/// `oci://…` is pulled with `version` (exact, a constraint, or empty for the
/// reference's tag / the highest stable tag) through the cache; anything
/// else is returned as a local path.
pub fn resolve_chart(
    reference_or_path: &str,
    version: &str,
    opts: &RegistryOptions,
) -> Result<ChartSource, PullError> {
    if reference_or_path.starts_with("oci://") {
        pull(reference_or_path, version, opts).map(ChartSource::Oci)
    } else {
        Ok(ChartSource::Path(PathBuf::from(reference_or_path)))
    }
}

/// A chart argument of `install`, `upgrade` or `show`, loaded: a local
/// directory or archive through `origan_chart::load`, an `oci://` reference
/// pulled (digest-verified, through the cache) and loaded from its archive.
/// The [`Pulled`] record comes back for `oci://` references so that the CLI
/// can say what it fetched. Nothing touches a cluster before this succeeds,
/// so a tampered or missing chart leaves nothing behind.
pub fn load_chart_ref(
    reference_or_path: &str,
    version: &str,
    opts: &RegistryOptions,
) -> Result<(origan_chart::Chart, Option<Pulled>), PullError> {
    match resolve_chart(reference_or_path, version, opts)? {
        ChartSource::Path(p) => Ok((origan_chart::load(&p)?, None)),
        ChartSource::Oci(pulled) => {
            let chart =
                origan_chart::load_archive(&pulled.archive).map_err(|e| PullError::Chart {
                    reference: pulled.reference.clone(),
                    message: e.to_string(),
                })?;
            Ok((chart, Some(pulled)))
        }
    }
}

/// Pulls `reference` (`oci://host/repo/name[:tag][@sha256:…]`).
pub fn pull(reference: &str, version: &str, opts: &RegistryOptions) -> Result<Pulled, PullError> {
    let r = Reference::parse(reference)?;
    let client = opts.client(&r.registry)?;
    let cache = cache_dir();
    let res = origan_registry::pull_chart(&client, &r, version, cache.as_deref())?;
    let s = |k: &str| {
        res.metadata
            .get(k)
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .to_string()
    };
    // The archive must be a chart; a registry could hold anything.
    origan_chart::load_archive(&res.archive).map_err(|e| PullError::Chart {
        reference: res.reference.clone(),
        message: e.to_string(),
    })?;
    Ok(Pulled {
        name: s("name"),
        version: s("version"),
        reference: res.reference,
        digest: res.digest,
        archive: res.archive,
        prov: res.prov,
        warning: res.warning,
    })
}

/// Writes a pulled chart: `<dest>/<name>-<version>.tgz`, or with `untar`
/// the expanded chart at `<dest>/<untardir>/<name>`. Everything goes to a
/// temporary sibling first and is renamed into place, so an error leaves
/// nothing behind. Returns the path written.
pub fn save(
    pulled: &Pulled,
    dest: &Path,
    untar: bool,
    untardir: &Path,
) -> Result<PathBuf, PullError> {
    if !untar {
        std::fs::create_dir_all(dest).map_err(io(dest))?;
        let path = dest.join(format!("{}-{}.tgz", pulled.name, pulled.version));
        write_atomic(&path, &pulled.archive)?;
        if let Some(p) = &pulled.prov {
            let prov = dest.join(format!("{}-{}.tgz.prov", pulled.name, pulled.version));
            write_atomic(&prov, p)?;
        }
        return Ok(path);
    }
    // Normalised: `dest/.` would trip create_dir_all.
    let parent: PathBuf = dest.join(untardir).components().collect();
    let target = parent.join(&pulled.name);
    if target.exists() {
        return Err(PullError::Exists(target.display().to_string()));
    }
    let files = origan_chart::archive::load_archive_files(
        &pulled.archive,
        &origan_chart::Limits::default(),
    )
    .map_err(|e| PullError::Chart {
        reference: pulled.reference.clone(),
        message: e.to_string(),
    })?;
    std::fs::create_dir_all(&parent).map_err(io(&parent))?;
    let tmp = parent.join(format!(".{}.origanctl-{}", pulled.name, std::process::id()));
    let result = (|| {
        for f in &files {
            // The loader has already refused absolute and `..` paths.
            let path = tmp.join(&f.name);
            if let Some(d) = path.parent() {
                std::fs::create_dir_all(d).map_err(io(d))?;
            }
            std::fs::write(&path, &f.data).map_err(io(&path))?;
        }
        std::fs::rename(&tmp, &target).map_err(io(&target))
    })();
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    result.map(|()| target)
}

/// Writes `data` to a temporary sibling of `path`, then renames it.
pub fn write_atomic(path: &Path, data: &[u8]) -> Result<(), PullError> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.origanctl-{}", std::process::id()));
    std::fs::write(&tmp, data).map_err(io(&tmp))?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        io(path)(e)
    })
}
