//! `template`: render a chart locally and produce what `helm template`
//! prints (Helm's `pkg/cmd/template.go` on top of a client-only install).

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use origan_yaml::Data;

use super::render::{self, render};
use crate::engine::{Capabilities, ReleaseInfo};
use crate::manifest::{self, HookEvent};

/// Options of `template`, as the CLI flags give them.
#[derive(Debug, Default)]
pub struct TemplateOptions {
    /// Release name.
    pub release_name: String,
    /// Release namespace.
    pub namespace: String,
    /// `--kube-version`
    pub kube_version: Option<String>,
    /// `--api-versions`
    pub api_versions: Vec<String>,
    /// `--show-only` patterns.
    pub show_only: Vec<String>,
    /// `--output-dir`
    pub output_dir: Option<PathBuf>,
    /// `--include-crds`
    pub include_crds: bool,
    /// `--skip-tests`
    pub skip_tests: bool,
    /// `--is-upgrade`
    pub is_upgrade: bool,
    /// `--no-hooks`
    pub no_hooks: bool,
    /// `--version` of an `oci://` chart (exact or a constraint).
    pub version: String,
    /// How to reach the registry of an `oci://` chart.
    pub registry: super::pull::RegistryOptions,
}

/// Why `template` failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The chart could not be loaded.
    #[error(transparent)]
    Load(#[from] origan_chart::dispatch::DispatchError),
    /// A pulled `oci://` chart could not be loaded.
    #[error(transparent)]
    LoadArchive(#[from] origan_chart::LoadError),
    /// An `oci://` chart could not be pulled.
    #[error(transparent)]
    Pull(#[from] super::pull::PullError),
    /// Rendering failed.
    #[error(transparent)]
    Render(#[from] render::Error),
    /// `--show-only` named a template that rendered nothing.
    #[error("could not find template {0} in chart")]
    ShowOnly(String),
    /// Writing `--output-dir` failed.
    #[error("writing {path}: {source}")]
    Write {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
}

/// Renders the chart at `chart_path` and returns `helm template`'s stdout.
///
/// Bytes, as Helm writes them: a CRD file (`--include-crds`) is printed as
/// read, valid UTF-8 or not.
pub fn template(
    chart_ref: &str,
    user_values: Data,
    opts: &TemplateOptions,
) -> Result<Vec<u8>, Error> {
    let mut chart = match super::pull::resolve_chart(chart_ref, &opts.version, &opts.registry)? {
        super::pull::ChartSource::Path(p) => {
            origan_chart::dispatch::load_chart(&p, &origan_chart::LoadOptions::default())?
        }
        super::pull::ChartSource::Oci(pulled) => origan_chart::load_archive(&pulled.archive)?,
    };
    let caps =
        Capabilities::default().with_overrides(opts.kube_version.as_deref(), &opts.api_versions);
    let release = ReleaseInfo {
        name: opts.release_name.clone(),
        namespace: opts.namespace.clone(),
        revision: 1,
        is_install: !opts.is_upgrade,
        is_upgrade: opts.is_upgrade,
    };
    let rendered = render(&mut chart, user_values, &release, &caps, None)?;

    let mut manifest: Vec<u8> = Vec::new();
    if opts.include_crds {
        for crd in chart.crd_objects() {
            let _ = write!(manifest, "---\n# Source: {}\n", crd.filename);
            manifest.extend_from_slice(&crd.file.data);
            manifest.push(b'\n');
        }
    }
    manifest.extend_from_slice(manifest::manifest_text(&rendered.manifests).as_bytes());
    // Helm prints TrimSpace(manifest) + "\n", then every hook as is.
    let mut out = manifest::go_trim_space_bytes(&manifest).to_vec();
    out.push(b'\n');
    if !opts.no_hooks {
        for h in &rendered.hooks {
            if opts.skip_tests && h.events.contains(&HookEvent::Test) {
                continue;
            }
            let _ = write!(out, "---\n# Source: {}\n{}\n", h.path, h.manifest);
        }
    }
    if !opts.show_only.is_empty() {
        out = show_only(&out, &opts.show_only)?;
    }
    if let Some(dir) = &opts.output_dir {
        return write_output_dir(dir, &out).map(String::into_bytes);
    }
    Ok(out)
}

/// `--show-only`: re-split the output, keep the documents whose source path
/// (without the chart name) matches a pattern, in pattern order.
fn show_only(out: &[u8], patterns: &[String]) -> Result<Vec<u8>, Error> {
    let docs = manifest::split_manifests_bytes(out);
    let mut result = Vec::new();
    for pat in patterns {
        let mut found = false;
        for doc in &docs {
            let Some(path) = source_path(doc) else {
                continue;
            };
            let Some((_, sub)) = path.split_once('/') else {
                continue;
            };
            if path_match(pat, sub) {
                found = true;
                result.extend_from_slice(b"---\n");
                result.extend_from_slice(doc);
                result.push(b'\n');
            }
        }
        if !found {
            return Err(Error::ShowOnly(pat.clone()));
        }
    }
    Ok(result)
}

/// The path of a `# Source: PATH` line that starts a document.
fn source_path(doc: &[u8]) -> Option<String> {
    let rest = doc.strip_prefix(b"# Source: ")?;
    let line = rest.split(|&b| b == b'\n').next().unwrap_or_default();
    Some(String::from_utf8_lossy(line).into_owned())
}

/// Go's `filepath.Match` (`*` and `?` do not cross `/`).
fn path_match(pattern: &str, name: &str) -> bool {
    crate::engine::glob_match(pattern, name).unwrap_or(false)
}

fn write_output_dir(dir: &Path, out: &[u8]) -> Result<String, Error> {
    let mut written: Vec<PathBuf> = Vec::new();
    let mut log = String::new();
    for doc in manifest::split_manifests_bytes(out) {
        let Some(path) = source_path(doc) else {
            continue;
        };
        let file = dir.join(&path);
        let io = |source| Error::Write {
            path: file.clone(),
            source,
        };
        if let Some(parent) = file.parent() {
            std::fs::create_dir_all(parent).map_err(io)?;
        }
        let mut text = b"---\n".to_vec();
        text.extend_from_slice(doc);
        text.push(b'\n');
        if written.contains(&file) {
            let mut f = std::fs::OpenOptions::new()
                .append(true)
                .open(&file)
                .map_err(io)?;
            f.write_all(&text).map_err(io)?;
        } else {
            std::fs::write(&file, text).map_err(io)?;
            written.push(file.clone());
            let _ = writeln!(log, "wrote {}", file.display());
        }
    }
    Ok(log)
}
