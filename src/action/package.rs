//! `origanctl package CHART_DIR`: Helm's `action.Package` — load the
//! directory, apply `--version` / `--app-version`, check that every declared
//! dependency is present, and write `NAME-VERSION.tgz`.
//!
//! Owns: the overrides and the output file (written to a temporary sibling,
//! then renamed). Does not own: the archive bytes (`origan_chart::package`),
//! loading (`origan_chart::load`), printing (cli).

use std::path::{Path, PathBuf};

use origan_chart::package::{PackageError as WriteError, archive_bytes, archive_name};

use super::pull::{PullError, write_atomic};

/// Options of `package`.
#[derive(Clone, Debug, Default)]
pub struct PackageOptions {
    /// `--version`: overrides Chart.yaml's version (must be SemVer).
    pub version: Option<String>,
    /// `--app-version`
    pub app_version: Option<String>,
    /// `-d`: output directory (default `.`).
    pub destination: PathBuf,
}

/// Why packaging failed.
#[derive(Debug, thiserror::Error)]
pub enum PackageError {
    /// Not a chart directory.
    #[error("{0}")]
    NotDir(String),
    /// Loading the chart.
    #[error(transparent)]
    Load(#[from] origan_chart::LoadError),
    /// The version override is not SemVer (Helm's text).
    #[error("Invalid Semantic Version")]
    Version,
    /// A declared dependency is missing from charts/.
    #[error(transparent)]
    Dependencies(#[from] origan_chart::PrepareError),
    /// Writing the archive.
    #[error(transparent)]
    Write(#[from] WriteError),
    /// Writing the file.
    #[error(transparent)]
    Save(#[from] PullError),
}

/// Packages the chart directory `dir`; returns the archive's path.
pub fn package(dir: &Path, opts: &PackageOptions) -> Result<PathBuf, PackageError> {
    if !dir.is_dir() {
        return Err(PackageError::NotDir(format!(
            "{}: not a chart directory",
            dir.display()
        )));
    }
    let mut chart = origan_chart::load(dir)?;
    if let Some(v) = &opts.version {
        chart.metadata.version = v.clone();
    }
    if origan_semver::Version::parse(&chart.metadata.version).is_err() {
        return Err(PackageError::Version);
    }
    if let Some(a) = &opts.app_version {
        chart.metadata.app_version = a.clone();
    }
    origan_chart::check_dependencies(&chart)?;
    let bytes = archive_bytes(&chart)?;
    let dest = &opts.destination;
    std::fs::create_dir_all(dest).map_err(|source| PullError::Io {
        path: dest.display().to_string(),
        source,
    })?;
    let path = dest.join(archive_name(&chart));
    write_atomic(&path, &bytes)?;
    Ok(path)
}
