//! `origanctl dependency list|update|build CHART` (`pkg/cmd/dependency*.go`).

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use clap::{Args, Subcommand};

use super::pull::RegistryArgs;
use crate::action::dependency::{format_list, list};
use crate::action::dependency_update::{Options, build, chart_path_arg, update};

/// Arguments of `dependency`.
#[derive(Debug, Args)]
pub struct DependencyArgs {
    #[command(subcommand)]
    what: DependencyWhat,
}

#[derive(Debug, Subcommand)]
enum DependencyWhat {
    /// List the dependencies of a chart and their state in charts/.
    #[command(visible_alias = "ls")]
    List {
        /// The chart directory (default: the current directory).
        #[arg(value_name = "CHART", default_value = ".")]
        chart: String,
    },
    /// Update charts/ from Chart.yaml: resolve versions, download, write Chart.lock.
    #[command(visible_alias = "up")]
    Update(FetchArgs),
    /// Rebuild charts/ from Chart.lock (as `update` when there is no lock).
    Build(FetchArgs),
}

/// Flags of `dependency update|build`.
#[derive(Debug, Args)]
struct FetchArgs {
    /// The chart directory (default: the current directory).
    #[arg(value_name = "CHART", default_value = ".")]
    chart: String,
    /// Do not refresh the repository caches (origanctl has none; accepted for Helm compatibility).
    #[arg(long)]
    skip_refresh: bool,
    #[command(flatten)]
    registry: RegistryArgs,
}

impl FetchArgs {
    fn options(&self) -> Options {
        Options {
            chart_path: chart_path_arg(&self.chart),
            skip_refresh: self.skip_refresh,
            registry: self.registry.options(),
        }
    }
}

pub(crate) fn run(args: DependencyArgs) -> anyhow::Result<ExitCode> {
    match args.what {
        DependencyWhat::List { chart } => {
            let path = Path::new(&chart);
            let l = list(path)?;
            std::io::stdout()
                .lock()
                .write_all(format_list(path, &l).as_bytes())?;
        }
        DependencyWhat::Update(a) => update(&a.options(), &mut std::io::stdout().lock())?,
        DependencyWhat::Build(a) => build(&a.options(), &mut std::io::stdout().lock())?,
    }
    Ok(ExitCode::SUCCESS)
}
