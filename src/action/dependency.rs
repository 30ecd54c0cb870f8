//! `dependency list`: the dependencies Chart.yaml declares and the state of
//! each in `charts/` (Helm's `pkg/action/dependency.go`).
//!
//! Owns the status rules and the table. Does not own resolving or
//! downloading dependencies (`dependency build|update` are not here yet).

use std::fmt::Write;
use std::path::Path;

use origan_chart::Dependency;

/// One row of `dependency list`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DependencyStatus {
    /// The dependency's name.
    pub name: String,
    /// The version or range Chart.yaml asks for.
    pub version: String,
    /// Its repository.
    pub repository: String,
    /// `ok`, `unpacked`, `missing`, `wrong version`, `invalid version`,
    /// `corrupt`, `misnamed`, `mispackaged`, `too many matches`.
    pub status: String,
}

/// Why `dependency list` failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The chart could not be loaded.
    #[error(transparent)]
    Load(#[from] origan_chart::LoadError),
}

/// What `dependency list` found: the rows, and the files of `charts/`
/// that Chart.yaml does not declare.
#[derive(Clone, Debug, Default)]
pub struct DependencyList {
    /// One row per declared dependency, in Chart.yaml order.
    pub rows: Vec<DependencyStatus>,
    /// Archives or directories in `charts/` that no dependency names.
    pub undeclared: Vec<String>,
}

/// Lists the dependencies of the chart directory `chart_path`.
pub fn list(chart_path: &Path) -> Result<DependencyList, Error> {
    // Helm's action uses the v2 loader directly (its error texts).
    let chart = origan_chart::load(chart_path)?;
    let rows = chart
        .metadata
        .dependencies
        .iter()
        .map(|d| DependencyStatus {
            name: d.name.clone(),
            version: d.version.clone(),
            repository: d.repository.clone(),
            status: status(chart_path, d),
        })
        .collect();
    let mut undeclared = Vec::new();
    if let Ok(rd) = std::fs::read_dir(chart_path.join("charts")) {
        let mut names: Vec<String> = rd
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        for n in names {
            let p = chart_path.join("charts").join(&n);
            let Ok(c) = origan_chart::load(&p) else {
                continue;
            };
            if !chart
                .metadata
                .dependencies
                .iter()
                .any(|d| d.name == c.metadata.name)
            {
                undeclared.push(p.display().to_string());
            }
        }
    }
    Ok(DependencyList { rows, undeclared })
}

/// Helm's `dependencyStatus`.
fn status(chart_path: &Path, dep: &Dependency) -> String {
    let charts = chart_path.join("charts");
    let prefix = format!("{}-", dep.name);
    let mut archives: Vec<std::path::PathBuf> = std::fs::read_dir(&charts)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| {
                    p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with(&prefix) && n.ends_with(".tgz"))
                })
                .collect()
        })
        .unwrap_or_default();
    archives.sort();
    if archives.len() > 1 {
        let found: Vec<_> = archives
            .iter()
            .filter(|a| {
                let base = a.file_name().and_then(|n| n.to_str()).unwrap_or("");
                let v = base
                    .trim_end_matches(".tgz")
                    .strip_prefix(&prefix)
                    .unwrap_or("");
                origan_semver::Version::parse_strict(v).is_ok()
            })
            .collect();
        if found.len() == 1 {
            return archive_status(found[0], dep);
        } else if found.len() > 1 {
            return "too many matches".into();
        }
    } else if archives.len() == 1 {
        return archive_status(&archives[0], dep);
    }
    let mut folder = charts.join(&dep.name);
    match std::fs::metadata(&folder) {
        // Helm v4 also finds an unpacked subchart whose directory is named
        // differently (`charts/subchartA` for `subcharta`), by its metadata.
        Err(_) => match find_dir_by_name(&charts, &dep.name) {
            Some(f) => folder = f,
            None => return "missing".into(),
        },
        Ok(m) if !m.is_dir() => return "mispackaged".into(),
        Ok(_) => {}
    }
    match origan_chart::load(&folder) {
        Err(_) => "corrupt".into(),
        Ok(c) => check(&c, dep).unwrap_or_else(|| "unpacked".into()),
    }
}

/// The directory under `charts/` holding a chart called `name`.
fn find_dir_by_name(charts: &Path, name: &str) -> Option<std::path::PathBuf> {
    let mut dirs: Vec<_> = std::fs::read_dir(charts)
        .ok()?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs.into_iter()
        .find(|d| origan_chart::load(d).is_ok_and(|c| c.metadata.name == name))
}

fn archive_status(archive: &Path, dep: &Dependency) -> String {
    match origan_chart::load(archive) {
        Err(_) => "corrupt".into(),
        Ok(c) => check(&c, dep).unwrap_or_else(|| "ok".into()),
    }
}

/// Name and version checks shared by archives and directories.
fn check(c: &origan_chart::Chart, dep: &Dependency) -> Option<String> {
    if c.metadata.name != dep.name {
        return Some("misnamed".into());
    }
    if c.metadata.version != dep.version {
        let Ok(constraint) = origan_semver::Constraints::parse(&dep.version) else {
            return Some("invalid version".into());
        };
        let Ok(v) = origan_semver::Version::parse(&c.metadata.version) else {
            return Some("invalid version".into());
        };
        if !constraint.check(&v) {
            return Some("wrong version".into());
        }
    }
    None
}

/// What `helm dependency list` prints: a uitable (cells padded to the
/// column width, tab separated), a blank line, then the warnings.
pub fn format_list(chart_path: &Path, list: &DependencyList) -> String {
    let mut out = String::new();
    if list.rows.is_empty() {
        let _ = writeln!(
            out,
            "WARNING: no dependencies at {}",
            chart_path.join("charts").display()
        );
        return out;
    }
    let mut rows = vec![[
        "NAME".to_string(),
        "VERSION".into(),
        "REPOSITORY".into(),
        "STATUS".into(),
    ]];
    for r in &list.rows {
        rows.push([
            r.name.clone(),
            r.version.clone(),
            r.repository.clone(),
            r.status.clone(),
        ]);
    }
    let mut widths = [0usize; 4];
    for r in &rows {
        for (i, c) in r.iter().enumerate() {
            widths[i] = widths[i].max(c.chars().count().min(80));
        }
    }
    for r in &rows {
        let cells: Vec<String> = r
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{c:<w$}", w = widths[i]))
            .collect();
        let _ = writeln!(out, "{}", cells.join("\t"));
    }
    out.push('\n');
    for u in &list.undeclared {
        let _ = writeln!(out, "WARNING: {u:?} is not in Chart.yaml.");
    }
    out
}
