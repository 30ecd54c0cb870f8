//! `origanctl dependency list CHART` (`pkg/cmd/dependency_list.go`).

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use clap::{Args, Subcommand};

use crate::action::dependency::{format_list, list};

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
    }
    Ok(ExitCode::SUCCESS)
}
