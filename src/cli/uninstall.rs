//! `origanctl uninstall NAME...`.

use std::process::ExitCode;
use std::time::Duration;

use clap::Args;

use super::install::{KubeArgs, parse_duration, progress_printer, runtime};
use crate::action::uninstall::{UninstallOptions, uninstall};
use origan_kube::Propagation;

/// Arguments of `uninstall`.
#[derive(Debug, Args)]
pub struct UninstallArgs {
    /// Release names.
    #[arg(required = true)]
    names: Vec<String>,
    #[command(flatten)]
    kube: KubeArgs,
    /// Keep the release records (status `uninstalled`).
    #[arg(long)]
    keep_history: bool,
    /// Wait until the resources are gone.
    #[arg(long, num_args = 0..=1, default_missing_value = "watcher")]
    wait: Option<String>,
    /// Do not run hooks.
    #[arg(long)]
    no_hooks: bool,
    /// Succeed when the release does not exist.
    #[arg(long)]
    ignore_not_found: bool,
    /// Time to wait for any individual operation.
    #[arg(long, default_value = "5m0s", value_parser = parse_duration)]
    timeout: Duration,
    /// Custom description.
    #[arg(long)]
    description: Option<String>,
    /// Deletion propagation for dependents: background, orphan or
    /// foreground (with `--wait`, waits for finalizers too).
    #[arg(long, default_value = "background")]
    cascade: String,
}

pub(crate) fn run(args: UninstallArgs) -> anyhow::Result<ExitCode> {
    let cascade = match args.cascade.as_str() {
        "background" => Propagation::Background,
        "orphan" => Propagation::Orphan,
        "foreground" => Propagation::Foreground,
        other => anyhow::bail!(
            r#"invalid cascade value ({other}). Must be "background", "foreground", or "orphan""#
        ),
    };
    let opts = UninstallOptions {
        cascade,
        keep_history: args.keep_history,
        wait: matches!(args.wait.as_deref(), Some("watcher" | "true" | "legacy")),
        no_hooks: args.no_hooks,
        ignore_not_found: args.ignore_not_found,
        timeout: args.timeout,
        description: args.description.clone(),
    };
    runtime()?.block_on(async {
        let (kube, storage, ns) = args.kube.connect().await?;
        let mut progress = progress_printer();
        for name in &args.names {
            let out = uninstall(&kube, &storage, name, &ns, &opts, &mut progress).await?;
            if out.not_found {
                continue;
            }
            if !out.kept.is_empty() {
                println!("These resources were kept due to the resource policy:");
                for k in &out.kept {
                    println!("{k}");
                }
                println!();
            }
            println!("release \"{name}\" uninstalled");
        }
        Ok(ExitCode::SUCCESS)
    })
}
