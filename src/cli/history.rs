//! `origanctl history NAME`.

use std::io::Write;
use std::process::ExitCode;

use clap::Args;

use super::install::{KubeArgs, Output, print_structured, runtime};
use crate::action::history::{history, history_table};

/// Arguments of `history`.
#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// Release name.
    name: String,
    #[command(flatten)]
    kube: KubeArgs,
    /// Maximum number of revisions.
    #[arg(long, default_value_t = 256)]
    max: usize,
    /// Output format.
    #[arg(short = 'o', long, value_enum, default_value_t)]
    output: Output,
}

pub(crate) fn run(args: HistoryArgs) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async {
        let (_kube, storage, ns) = args.kube.connect().await?;
        let rows = history(&storage, &ns, &args.name, args.max).await?;
        match args.output {
            Output::Table => std::io::stdout()
                .lock()
                .write_all(history_table(&rows).as_bytes())?,
            fmt => print_structured(&serde_json::to_value(&rows)?, fmt)?,
        }
        Ok(ExitCode::SUCCESS)
    })
}
