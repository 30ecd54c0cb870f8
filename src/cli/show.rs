//! `origanctl show chart|values|readme|crds|all CHART` (`pkg/cmd/show.go`);
//! CHART is a directory, an archive or an `oci://` reference.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Subcommand};

use crate::action::show::{ShowFormat, show_ref};

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
#[command(disable_version_flag = true)]
struct ChartArg {
    /// A chart directory, `.tgz` archive or `oci://HOST/PATH/NAME[:TAG][@DIGEST]`.
    #[arg(value_name = "CHART")]
    chart: String,
    /// Chart version of an `oci://` chart: exact, or a constraint such as `^0.3`.
    #[arg(long, default_value = "")]
    version: String,
    /// Use development versions too (`>0.0.0-0` when --version is empty).
    #[arg(long)]
    devel: bool,
    #[command(flatten)]
    registry: super::pull::RegistryArgs,
}

pub(crate) fn run(args: ShowArgs) -> anyhow::Result<ExitCode> {
    let (format, c) = match args.what {
        ShowWhat::All(c) => (ShowFormat::All, c),
        ShowWhat::Chart(c) => (ShowFormat::Chart, c),
        ShowWhat::Values(c) => (ShowFormat::Values, c),
        ShowWhat::Readme(c) => (ShowFormat::Readme, c),
        ShowWhat::Crds(c) => (ShowFormat::Crds, c),
    };
    let version = super::pull::effective_version(&c.version, c.devel);
    let (out, pulled) = show_ref(&c.chart, format, &version, &c.registry.options())
        .with_context(|| format!("showing chart {}", c.chart))?;
    // Helm prints these on stdout; stderr keeps stdout the chart's text alone.
    if let Some(p) = &pulled {
        super::pull::report_pulled(p);
    }
    std::io::stdout().lock().write_all(out.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}
