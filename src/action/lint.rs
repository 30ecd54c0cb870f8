//! `lint`: Helm v4's chart linter (`pkg/action/lint.go`, `pkg/lint`): the
//! rules, their messages and severities, and the report per chart.
//!
//! Owns the runner and the report types; the rules are in `lint/rules.rs`
//! (Chart.yaml, values, dependencies, CRDs) and `lint/templates.rs`
//! (rendering in lint mode and checking the output). Does not own printing
//! (`cli::lint`) nor rendering (`engine`).

mod input;
mod rules;
mod templates;

pub use input::with_subcharts;

use std::fmt;
use std::path::Path;

use origan_yaml::Data;

/// A message's severity (`support.Severity`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// `[UNKNOWN]`
    Unknown = 0,
    /// `[INFO]`
    Info = 1,
    /// `[WARNING]`
    Warning = 2,
    /// `[ERROR]`
    Error = 3,
}

/// One finding (`support.Message`): severity, path in the chart, text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    /// How bad it is.
    pub severity: Severity,
    /// The file or directory it is about (`Chart.yaml`, `templates/x.yaml`,
    /// the chart's absolute path for dependency findings, or empty).
    pub path: String,
    /// Helm's text.
    pub text: String,
}

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Unknown => "UNKNOWN",
            Severity::Info => "INFO",
            Severity::Warning => "WARNING",
            Severity::Error => "ERROR",
        };
        write!(f, "[{sev}] {}: {}", self.path, self.text)
    }
}

/// Options of `lint` (the CLI flags).
#[derive(Clone, Debug, Default)]
pub struct LintOptions {
    /// `--strict`: warnings count as errors.
    pub strict: bool,
    /// Namespace of the test release (Helm: the current namespace, `default`).
    pub namespace: String,
    /// `--kube-version`
    pub kube_version: Option<String>,
    /// `--skip-schema-validation`
    pub skip_schema_validation: bool,
}

/// The result of linting one chart (`action.LintResult`).
#[derive(Clone, Debug, Default)]
pub struct LintResult {
    /// 1 when the chart was linted, 0 when it was not a chart.
    pub total_charts_linted: usize,
    /// Every finding, in rule order.
    pub messages: Vec<Message>,
    /// The findings at or above the tolerance (errors; warnings too with
    /// `--strict`), plus errors that stopped the linting.
    pub errors: Vec<String>,
}

/// Collects messages as Helm's `support.Linter` does.
#[derive(Default)]
pub(crate) struct Linter {
    pub(crate) chart_dir: std::path::PathBuf,
    pub(crate) messages: Vec<Message>,
}

impl Linter {
    /// `RunLinterRule`: records `err` (if any) and says whether the rule passed.
    pub(crate) fn rule(&mut self, severity: Severity, path: &str, err: Option<String>) -> bool {
        match err {
            Some(text) => {
                self.messages.push(Message {
                    severity,
                    path: path.to_string(),
                    text,
                });
                false
            }
            None => true,
        }
    }
}

/// Lints the chart at `path` (a directory, or a `.tgz`/`.tar.gz` that is
/// expanded into a temporary directory first) with the user's values.
pub fn lint(path: &Path, values: &Data, opts: &LintOptions) -> LintResult {
    let mut result = LintResult::default();
    if input::is_archive(&path.to_string_lossy()) {
        return match input::expand(path) {
            Ok(expanded) => lint(&expanded.chart, values, opts),
            Err(e) => {
                result.errors.push(e);
                result
            }
        };
    }
    // Helm checks Chart.yaml with a stat of the path as given.
    let chart_yaml = path.join("Chart.yaml");
    if let Err(e) = std::fs::metadata(&chart_yaml) {
        result.errors.push(format!(
            "unable to check Chart.yaml file in chart: stat {}: {}",
            chart_yaml.display(),
            go_io_error(&e)
        ));
        return result;
    }
    let chart_dir = clean(&std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()));
    let mut linter = Linter {
        chart_dir,
        messages: Vec::new(),
    };
    rules::chartfile(&mut linter);
    rules::values(&mut linter, values, opts.skip_schema_validation);
    templates::templates(&mut linter, values, opts);
    rules::dependencies(&mut linter);
    rules::crds(&mut linter);

    result.total_charts_linted = 1;
    let tolerance = if opts.strict {
        Severity::Warning
    } else {
        Severity::Error
    };
    for m in &linter.messages {
        if m.severity >= tolerance {
            result.errors.push(m.text.clone());
        }
    }
    result.messages = linter.messages;
    result
}

/// Go's `filepath.Clean` of an absolute path (`filepath.Abs` cleans).
fn clean(p: &Path) -> std::path::PathBuf {
    use std::path::Component;
    let mut out = std::path::PathBuf::new();
    for c in p.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// Go's text for the common I/O errors.
pub(crate) fn go_io_error(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        std::io::ErrorKind::NotADirectory => "not a directory".into(),
        _ => e.to_string(),
    }
}

/// What `helm lint PATH...` prints, and whether it failed (`pkg/cmd/lint.go`).
/// Returns (stdout, the error summary when a chart failed).
pub fn format_report(results: &[(String, LintResult)], quiet: bool) -> (String, Option<String>) {
    use std::fmt::Write as _;
    let mut out = String::new();
    let mut failed = 0;
    let mut errors_or_warnings = 0;
    for (path, result) in results {
        let has_warnings = result.messages.iter().any(|m| m.severity > Severity::Info);
        if quiet && result.errors.is_empty() && !has_warnings {
            continue;
        }
        let _ = writeln!(out, "==> Linting {path}");
        // Helm prints the bare errors only when there are no messages.
        if result.messages.is_empty() {
            for e in &result.errors {
                let _ = writeln!(out, "Error {e}");
            }
        }
        for m in &result.messages {
            if !quiet || m.severity > Severity::Info {
                let _ = writeln!(out, "{m}");
            }
        }
        if !result.errors.is_empty() {
            failed += 1;
        }
        if has_warnings || !result.errors.is_empty() {
            errors_or_warnings += 1;
        }
        out.push('\n');
    }
    let summary = format!(
        "{} chart(s) linted, {} chart(s) failed",
        results.len(),
        failed
    );
    if failed > 0 {
        return (out, Some(summary));
    }
    if !quiet || errors_or_warnings > 0 {
        let _ = writeln!(out, "{summary}");
    }
    (out, None)
}
