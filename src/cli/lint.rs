//! `origanctl lint PATH...`: print Helm's lint report (`pkg/cmd/lint.go`).

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use clap::Args;

use super::ValuesArgs;
use crate::action::lint::{LintOptions, format_report, lint, with_subcharts};

/// Arguments of `lint`.
#[derive(Debug, Args)]
pub struct LintArgs {
    /// Chart directories or packaged charts (default: the current directory).
    #[arg(value_name = "PATH")]
    paths: Vec<String>,
    /// Fail on lint warnings.
    #[arg(long)]
    strict: bool,
    /// Print only warnings and errors.
    #[arg(long)]
    quiet: bool,
    /// Lint the charts under each chart's charts/ too.
    #[arg(long)]
    with_subcharts: bool,
    /// Kubernetes version used for capabilities and deprecation checks.
    #[arg(long, value_name = "VERSION")]
    kube_version: Option<String>,
    /// Skip values.schema.json validation.
    #[arg(long)]
    skip_schema_validation: bool,
    /// Namespace of the test release.
    #[arg(short = 'n', long, default_value = "default")]
    namespace: String,
    #[command(flatten)]
    values: ValuesArgs,
}

pub(crate) fn run(args: LintArgs) -> anyhow::Result<ExitCode> {
    let paths = if args.paths.is_empty() {
        vec![".".to_string()]
    } else {
        args.paths
    };
    let paths = if args.with_subcharts {
        with_subcharts(&paths)
    } else {
        paths
    };
    let values = super::values::load(&args.values)?;
    let opts = LintOptions {
        strict: args.strict,
        namespace: args.namespace,
        kube_version: args.kube_version,
        skip_schema_validation: args.skip_schema_validation,
    };
    let results: Vec<_> = paths
        .iter()
        .map(|p| (p.clone(), lint(Path::new(p), &values, &opts)))
        .collect();
    let (out, failed) = format_report(&results, args.quiet);
    std::io::stdout().lock().write_all(out.as_bytes())?;
    match failed {
        Some(summary) => {
            eprintln!("Error: {summary}");
            Ok(ExitCode::FAILURE)
        }
        None => Ok(ExitCode::SUCCESS),
    }
}
