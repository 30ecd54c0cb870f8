//! `origanctl version`.

use std::io::Write;
use std::process::ExitCode;

use clap::Args;

/// Arguments of `version`.
#[derive(Debug, Args)]
pub struct VersionArgs {
    /// Print only the version number.
    #[arg(long)]
    short: bool,
}

pub(crate) fn run(args: VersionArgs) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    if args.short {
        writeln!(out, "v{}", env!("CARGO_PKG_VERSION"))?;
    } else {
        writeln!(
            out,
            "origanctl v{} (Helm chart compatibility: Helm v4.2)",
            env!("CARGO_PKG_VERSION")
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
