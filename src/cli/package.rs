//! `origanctl package CHART_DIR [-d DIR] [--version V] [--app-version V]`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::action::package::{PackageOptions, package};

/// Arguments of `package`.
#[derive(Debug, Args)]
#[command(disable_version_flag = true)]
pub struct PackageArgs {
    /// Chart directories to package.
    #[arg(required = true)]
    charts: Vec<PathBuf>,
    /// Directory to write the archives to.
    #[arg(short = 'd', long, default_value = ".")]
    destination: PathBuf,
    /// Set the chart's version (SemVer).
    #[arg(long)]
    version: Option<String>,
    /// Set the chart's appVersion.
    #[arg(long)]
    app_version: Option<String>,
}

pub(crate) fn run(args: PackageArgs) -> anyhow::Result<ExitCode> {
    let opts = PackageOptions {
        version: args.version,
        app_version: args.app_version,
        destination: args.destination,
    };
    for dir in &args.charts {
        let path = package(dir, &opts)?;
        let shown = std::path::absolute(&path).unwrap_or(path);
        println!(
            "Successfully packaged chart and saved it to: {}",
            shown.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
