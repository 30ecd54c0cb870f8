//! `origanctl rollback NAME [REVISION]`.

use std::process::ExitCode;

use clap::Args;

use super::install::{CommonArgs, KubeArgs, progress_printer, runtime};
use crate::action::rollback::{RollbackOptions, rollback};

/// Arguments of `rollback`.
#[derive(Debug, Args)]
pub struct RollbackArgs {
    /// Release name.
    name: String,
    /// Revision (default: the previous one).
    revision: Option<u32>,
    #[command(flatten)]
    kube: KubeArgs,
    #[command(flatten)]
    common: CommonArgs,
    /// Delete resources created by a failed rollback.
    #[arg(long)]
    cleanup_on_fail: bool,
    /// Revisions to keep (0 = no limit).
    #[arg(long, default_value_t = 10, env = "HELM_MAX_HISTORY")]
    history_max: usize,
}

pub(crate) fn run(args: RollbackArgs) -> anyhow::Result<ExitCode> {
    let opts = RollbackOptions {
        common: args.common.options()?,
        cleanup_on_fail: args.cleanup_on_fail,
        history_max: args.history_max,
        revision: args.revision.unwrap_or(0),
    };
    runtime()?.block_on(async {
        let (kube, storage, ns) = args.kube.connect().await?;
        let mut progress = progress_printer();
        rollback(&kube, &storage, &args.name, &ns, &opts, &mut progress)
            .await
            .map_err(|e| anyhow::anyhow!("ROLLBACK FAILED: {e}"))?;
        println!("Rollback was a success! Happy Helming!");
        super::install::print_stats();
        Ok(ExitCode::SUCCESS)
    })
}
