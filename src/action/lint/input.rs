//! Which charts `lint` looks at: a packaged chart is expanded into a
//! temporary directory first (`pkg/action/lint.go` `lintChart` with
//! `chartutil.Expand`), and `--with-subcharts` adds every chart under
//! `charts/` (`pkg/cmd/lint.go`'s `filepath.Walk`).
//!
//! Owns the expansion (and removal) of the temporary copy and the walk.
//! Does not own the rules (`rules`, `templates`) nor archive safety
//! (origan-chart's archive reader refuses traversal, links and bombs).

use std::path::{Path, PathBuf};

use super::go_io_error;
use crate::action::dependency_lock::clean;

/// Whether Helm treats `path` as a packaged chart.
pub(crate) fn is_archive(path: &str) -> bool {
    path.ends_with(".tgz") || path.ends_with(".tar.gz")
}

/// A packaged chart expanded into a fresh temporary directory, removed on drop.
pub(crate) struct Expanded {
    root: PathBuf,
    /// `<root>/<chart name>`, the directory to lint.
    pub(crate) chart: PathBuf,
}

impl Drop for Expanded {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

/// `lintChart`'s archive branch: Helm's error texts.
pub(crate) fn expand(path: &Path) -> Result<Expanded, String> {
    let data = std::fs::read(path).map_err(|e| {
        format!(
            "unable to open tarball: open {}: {}",
            path.display(),
            go_io_error(&e)
        )
    })?;
    let root =
        temp_dir().map_err(|e| format!("unable to create temp dir to extract tarball: {e}"))?;
    let mut expanded = Expanded {
        chart: root.clone(),
        root,
    };
    let chart = write_files(&expanded.root, &data)
        .map_err(|e| format!("unable to extract tarball: {e}"))?;
    expanded.chart = chart;
    Ok(expanded)
}

/// `os.MkdirTemp("", "helm-lint")`: a new directory under the system's
/// temporary directory.
fn temp_dir() -> std::io::Result<PathBuf> {
    let base = std::env::temp_dir();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    for i in 0..100u32 {
        let p = base.join(format!("helm-lint{}-{nanos}-{i}", std::process::id()));
        match std::fs::create_dir(&p) {
            Ok(()) => return Ok(p),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::other("no free temporary directory name"))
}

/// `chartutil.Expand`: the archive's files under `<dir>/<chart name>`.
fn write_files(dir: &Path, data: &[u8]) -> Result<PathBuf, String> {
    // Go's gzip.NewReader reads the 10-byte header before checking it.
    match data.len() {
        0 => return Err("EOF".into()),
        1..10 => return Err("unexpected EOF".into()),
        _ => {}
    }
    let files = origan_chart::archive::load_archive_files(data, &origan_chart::Limits::default())
        .map_err(|e| e.to_string())?;
    let mut name = String::new();
    for f in &files {
        if f.name == "Chart.yaml" {
            let m = origan_chart::Metadata::parse(&String::from_utf8_lossy(&f.data))
                .map_err(|e| format!("cannot load Chart.yaml: {e}"))?;
            name = m.name;
        }
    }
    if name.is_empty() {
        return Err("chart name not specified".into());
    }
    if name == "." || name == ".." {
        return Err(format!("chart name {name:?} is not allowed"));
    }
    if name.contains('/') {
        return Err(format!(
            "chart name {name:?} must not contain path separators"
        ));
    }
    let chart = dir.join(&name);
    for f in &files {
        // The archive reader has refused absolute paths and `..`.
        let out = chart.join(&f.name);
        if let Some(parent) = out.parent() {
            std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
        }
        std::fs::write(&out, &f.data).map_err(|e| e.to_string())?;
    }
    Ok(chart)
}

/// `--with-subcharts`: `paths`, then for each of them every directory under
/// `PATH/charts` holding a Chart.yaml and every `.tgz`/`.tar.gz`, in
/// `filepath.Walk` order (lexical, depth first, symlinks not followed).
pub fn with_subcharts(paths: &[String]) -> Vec<String> {
    let mut out = paths.to_vec();
    for p in paths {
        walk(&clean(&format!("{p}/charts")), &mut out);
    }
    out
}

fn walk(path: &str, out: &mut Vec<String>) {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return;
    };
    let name = path.rsplit('/').next().unwrap_or(path);
    if name == "Chart.yaml" {
        let dir = path.rsplit_once('/').map_or(".", |(d, _)| d);
        out.push(clean(dir));
    } else if is_archive(path) {
        out.push(path.to_string());
    }
    if meta.is_dir() {
        let Ok(rd) = std::fs::read_dir(path) else {
            return;
        };
        let mut names: Vec<String> = rd
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        for n in names {
            walk(&format!("{path}/{n}"), out);
        }
    }
}
