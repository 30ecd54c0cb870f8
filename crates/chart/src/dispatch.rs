//! Helm's version-dispatching loader (pkg/chart/loader/load.go), the one `helm
//! install`, `upgrade`, `template` and `lint` use: it reads only `apiVersion` from
//! Chart.yaml first, refuses unknown versions, then runs the v2 loader.
//!
//! Owns: that dispatch and its error texts (which differ from the v2 loader's:
//! `unable to detect chart at ...`, `unsupported chart version`, `unable to load
//! chart archive`). Does not own: the loading itself (`load`).
//!
//! `apiVersion: v3` (experimental in Helm 4; install/upgrade/template refuse it with
//! `invalid chart apiVersion`) is loaded with the v2 loader, as its layout is the
//! same; callers check `metadata.api_version` and refuse it as Helm does.

use std::path::Path;

use origan_yaml::Node;

use crate::archive::{self, ArchiveError};
use crate::dir::LoadOptions;
use crate::load::{Chart, LoadError, load_with};

/// Errors from the dispatching loader (Helm's texts).
#[derive(Debug, thiserror::Error)]
pub enum DispatchError {
    #[error("unable to detect chart at {0}: {1}")]
    NoChartYaml(String, String),
    #[error("cannot load Chart.yaml: {0}")]
    ChartYaml(String),
    #[error("unsupported chart version")]
    Unsupported,
    #[error("unable to load chart archive")]
    Archive,
    #[error("file '{0}' does not appear to be a valid chart file (details: gzip: invalid header)")]
    NotGzip(String),
    #[error("unable to detect chart version, no Chart.yaml found")]
    NoVersion,
    #[error("{0}")]
    Load(#[from] LoadError),
}

/// `chartBase`: only `apiVersion`, matched like encoding/json does.
fn api_version(text: &str) -> Result<String, DispatchError> {
    let node = origan_yaml::parse_first_document(text).map_err(|e| {
        DispatchError::ChartYaml(format!("error converting YAML to JSON: {}", e.message()))
    })?;
    let Node::Map(entries) = &node else {
        return match node {
            Node::Null => Ok(String::new()),
            _ => Err(DispatchError::ChartYaml(
                "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type loader.chartBase".into(),
            )),
        };
    };
    let mut found = String::new();
    let mut exact = false;
    for (k, v) in entries {
        let Node::String(k) = k else { continue };
        if k == "apiVersion" || (!exact && k.eq_ignore_ascii_case("apiVersion")) {
            exact |= k == "apiVersion";
            found = match v {
                Node::String(s) => s.clone(),
                Node::Int(i) => i.to_string(),
                Node::Float(f) => origan_yaml::format_float_g(*f),
                Node::Bool(b) => b.to_string(),
                _ => String::new(),
            };
        }
    }
    Ok(found)
}

fn check(v: &str) -> Result<(), DispatchError> {
    match v {
        "v1" | "v2" | "" | "v3" => Ok(()),
        _ => Err(DispatchError::Unsupported),
    }
}

/// Helm's `loader.Load(name)`: a directory or a `.tgz` file.
pub fn load_chart(path: &Path, opts: &LoadOptions) -> Result<Chart, DispatchError> {
    let meta = std::fs::metadata(path).map_err(|e| {
        DispatchError::Load(LoadError::Io(format!(
            "stat {}: {}",
            path.display(),
            os_error(&e)
        )))
    })?;
    if meta.is_dir() {
        let abs = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        let name = abs.join("Chart.yaml");
        let data = std::fs::read(&name).map_err(|e| {
            DispatchError::NoChartYaml(
                name.display().to_string(),
                format!("open {}: {}", name.display(), os_error(&e)),
            )
        })?;
        check(&api_version(&String::from_utf8_lossy(&data))?)?;
        return Ok(load_with(path, opts)?);
    }
    let data = std::fs::read(path).map_err(|e| {
        DispatchError::Load(LoadError::Io(format!(
            "open {}: {}",
            path.display(),
            os_error(&e)
        )))
    })?;
    archive::ensure_archive(&path.display().to_string(), &data)
        .map_err(|e| DispatchError::Load(LoadError::Archive(e)))?;
    let files = match archive::load_archive_files(&data, &opts.limits) {
        Ok(f) => f,
        Err(ArchiveError::NotGzip) => {
            return Err(DispatchError::NotGzip(path.display().to_string()));
        }
        Err(_) => return Err(DispatchError::Archive),
    };
    let Some(chart_yaml) = files.iter().find(|f| f.name == "Chart.yaml") else {
        return Err(DispatchError::NoVersion);
    };
    check(&api_version(&String::from_utf8_lossy(&chart_yaml.data))?)?;
    Ok(load_with(path, opts)?)
}

fn os_error(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir_with(name: &str, chart_yaml: Option<&str>) -> std::path::PathBuf {
        let d = std::env::temp_dir().join(format!("origan-dispatch-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        if let Some(c) = chart_yaml {
            std::fs::write(d.join("Chart.yaml"), c).unwrap();
        }
        d
    }

    #[test]
    fn dispatch_errors() {
        let d = dir_with("v9", Some("apiVersion: v9\nname: x\nversion: 1.0.0\n"));
        let e = load_chart(&d, &LoadOptions::default()).unwrap_err();
        assert_eq!(e.to_string(), "unsupported chart version");
        let d2 = dir_with("none", None);
        let e = load_chart(&d2, &LoadOptions::default()).unwrap_err();
        assert!(
            e.to_string().starts_with("unable to detect chart at "),
            "{e}"
        );
        let d3 = dir_with("ok", Some("apiVersion: v2\nname: x\nversion: 1.0.0\n"));
        assert_eq!(
            load_chart(&d3, &LoadOptions::default()).unwrap().name(),
            "x"
        );
        for d in [d, d2, d3] {
            std::fs::remove_dir_all(d).unwrap();
        }
    }
}
