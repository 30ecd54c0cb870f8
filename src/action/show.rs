//! `show chart|values|readme|crds|all`: a chart's definition as Helm's
//! `pkg/action/show.go` prints it.
//!
//! Owns the output format of each variant. Does not own loading (origan-chart)
//! or fetching remote charts (`oci://` references are pulled by
//! [`super::pull::load_chart_ref`]).

use std::fmt::Write;
use std::path::Path;

use origan_chart::{Chart, File};

/// Which part of the chart to print.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShowFormat {
    /// Chart.yaml, re-marshalled.
    Chart,
    /// values.yaml as written.
    Values,
    /// The README.
    Readme,
    /// The CRDs of the chart and its subcharts.
    Crds,
    /// All of the above, separated by `---`.
    All,
}

/// Why `show` failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The chart could not be loaded.
    #[error(transparent)]
    Load(#[from] origan_chart::LoadError),
    /// An `oci://` chart could not be pulled or loaded.
    #[error(transparent)]
    Pull(#[from] super::pull::PullError),
}

/// Loads the chart at `path` and returns what `helm show <format>` prints.
pub fn show(path: &Path, format: ShowFormat) -> Result<String, Error> {
    let chart = origan_chart::load(path)?;
    Ok(show_chart(&chart, format))
}

/// `show <format> CHART` where CHART is a local path or an `oci://`
/// reference (`version` and `registry` as `--version` and the registry
/// flags give them). Returns the text and, for `oci://`, what was pulled.
pub fn show_ref(
    chart_ref: &str,
    format: ShowFormat,
    version: &str,
    registry: &super::pull::RegistryOptions,
) -> Result<(String, Option<super::pull::Pulled>), Error> {
    if !chart_ref.starts_with("oci://") {
        return Ok((show(Path::new(chart_ref), format)?, None));
    }
    let (chart, pulled) = super::pull::load_chart_ref(chart_ref, version, registry)?;
    Ok((show_chart(&chart, format), pulled))
}

/// The text of `helm show <format>` for a loaded chart.
pub fn show_chart(chart: &Chart, format: ShowFormat) -> String {
    let all = format == ShowFormat::All;
    let mut out = String::new();
    if format == ShowFormat::Chart || all {
        // sigs.k8s.io/yaml: JSON tags, keys sorted, omitempty.
        let mut text = origan_yaml::to_yaml(&chart.metadata.to_json_data()).unwrap_or_default();
        // `to_yaml` is the template function's (trailing newline trimmed);
        // yaml.Marshal keeps it.
        if !text.ends_with('\n') {
            text.push('\n');
        }
        let _ = writeln!(out, "{text}");
    }
    if format == ShowFormat::Values || all {
        // Helm prints the raw values.yaml only when the parsed values are not empty.
        if let Some(raw) = &chart.raw_values
            && !chart.values_map().is_empty()
        {
            if all {
                out.push_str("---\n");
            }
            let _ = writeln!(out, "{raw}");
        }
    }
    if (format == ShowFormat::Readme || all)
        && let Some(readme) = find_readme(&chart.files)
    {
        if all {
            out.push_str("---\n");
        }
        let _ = writeln!(out, "{}", String::from_utf8_lossy(&readme.data));
    }
    if format == ShowFormat::Crds || all {
        for crd in chart.crd_objects() {
            // Helm adds a separator unless the file already starts with one.
            if !crd.file.data.starts_with(b"---") {
                out.push_str("---\n");
            }
            let _ = writeln!(out, "{}", String::from_utf8_lossy(&crd.file.data));
        }
    }
    out
}

/// Helm's `findReadme`: the first file (in chart order) named `readme.md`,
/// `readme.txt` or `readme`, case-insensitively.
fn find_readme(files: &[File]) -> Option<&File> {
    files.iter().find(|f| {
        ["readme.md", "readme.txt", "readme"]
            .iter()
            .any(|n| f.name.eq_ignore_ascii_case(n))
    })
}
