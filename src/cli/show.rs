//! `origanctl show chart|values|readme|crds|all CHART` (`pkg/cmd/show.go`).

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Subcommand};

use crate::action::show::{ShowFormat, show};

/// Arguments of `show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    #[command(subcommand)]
    what: ShowWhat,
}

#[derive(Debug, Subcommand)]
enum ShowWhat {
    /// Show all information of the chart.
    All(ChartArg),
    /// Show the chart's definition (Chart.yaml).
    Chart(ChartArg),
    /// Show the chart's values.yaml.
    Values(ChartArg),
    /// Show the chart's README.
    Readme(ChartArg),
    /// Show the chart's CRDs.
    Crds(ChartArg),
}

#[derive(Debug, Args)]
struct ChartArg {
    /// A chart directory or `.tgz` archive.
    #[arg(value_name = "CHART")]
    chart: String,
}

pub(crate) fn run(args: ShowArgs) -> anyhow::Result<ExitCode> {
    let (format, chart) = match args.what {
        ShowWhat::All(c) => (ShowFormat::All, c.chart),
        ShowWhat::Chart(c) => (ShowFormat::Chart, c.chart),
        ShowWhat::Values(c) => (ShowFormat::Values, c.chart),
        ShowWhat::Readme(c) => (ShowFormat::Readme, c.chart),
        ShowWhat::Crds(c) => (ShowFormat::Crds, c.chart),
    };
    let out = show(Path::new(&chart), format).with_context(|| format!("showing chart {chart}"))?;
    std::io::stdout().lock().write_all(out.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}
