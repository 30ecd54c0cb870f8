//! `origanctl list`.

use std::io::Write;
use std::process::ExitCode;

use clap::Args;

use super::install::{KubeArgs, Output, print_structured, runtime};
use crate::action::list::{ListOptions, list, list_table};
use crate::release::Status;

/// Arguments of `list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    #[command(flatten)]
    kube: KubeArgs,
    /// List releases across all namespaces.
    #[arg(short = 'A', long)]
    all_namespaces: bool,
    /// Show all releases whatever their status.
    #[arg(short = 'a', long)]
    all: bool,
    /// Regular expression on release names.
    #[arg(short = 'f', long)]
    filter: Option<String>,
    /// Show deployed releases.
    #[arg(long)]
    deployed: bool,
    /// Show failed releases.
    #[arg(long)]
    failed: bool,
    /// Show pending releases.
    #[arg(long)]
    pending: bool,
    /// Show superseded releases.
    #[arg(long)]
    superseded: bool,
    /// Show uninstalled releases (with --keep-history).
    #[arg(long)]
    uninstalled: bool,
    /// Show releases being uninstalled.
    #[arg(long)]
    uninstalling: bool,
    /// Print names only.
    #[arg(short = 'q', long)]
    short: bool,
    /// Output format.
    #[arg(short = 'o', long, value_enum, default_value_t)]
    output: Output,
}

pub(crate) fn run(args: ListArgs) -> anyhow::Result<ExitCode> {
    let mut statuses = Vec::new();
    for (on, s) in [
        (args.deployed, vec![Status::Deployed]),
        (args.failed, vec![Status::Failed]),
        (
            args.pending,
            vec![
                Status::PendingInstall,
                Status::PendingUpgrade,
                Status::PendingRollback,
            ],
        ),
        (args.superseded, vec![Status::Superseded]),
        (args.uninstalled, vec![Status::Uninstalled]),
        (args.uninstalling, vec![Status::Uninstalling]),
    ] {
        if on {
            statuses.extend(s);
        }
    }
    let opts = ListOptions {
        all_namespaces: args.all_namespaces,
        all: args.all,
        filter: args.filter.clone(),
        statuses,
    };
    runtime()?.block_on(async {
        let (_kube, storage, ns) = args.kube.connect().await?;
        let rows = list(&storage, &ns, &opts).await?;
        if args.short {
            for r in &rows {
                println!("{}", r.name);
            }
            return Ok(ExitCode::SUCCESS);
        }
        match args.output {
            Output::Table => std::io::stdout()
                .lock()
                .write_all(list_table(&rows).as_bytes())?,
            fmt => print_structured(&serde_json::to_value(&rows)?, fmt)?,
        }
        Ok(ExitCode::SUCCESS)
    })
}
