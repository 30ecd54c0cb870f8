//! `origanctl upgrade NAME CHART`.

use std::process::ExitCode;

use clap::Args;

use super::ValuesArgs;
use super::install::{
    ChartRefArgs, CommonArgs, KubeArgs, Output, parse_labels, print_release, progress_printer,
    runtime,
};
use crate::action::install::InstallOptions;
use crate::action::upgrade::{UpgradeOptions, ValuesMode, upgrade};

/// Arguments of `upgrade`.
#[derive(Debug, Args)]
#[command(disable_version_flag = true)]
pub struct UpgradeArgs {
    /// Release name.
    name: String,
    /// Chart directory, `.tgz` archive or `oci://` reference.
    chart: String,
    #[command(flatten)]
    kube: KubeArgs,
    #[command(flatten)]
    values: ValuesArgs,
    #[command(flatten)]
    common: CommonArgs,
    /// Install if the release does not exist.
    #[arg(short = 'i', long)]
    install: bool,
    /// With `--install`: create the namespace.
    #[arg(long)]
    create_namespace: bool,
    /// With `--install`: skip CRDs.
    #[arg(long)]
    skip_crds: bool,
    /// Reuse the last release's values and merge in overrides.
    #[arg(long)]
    reuse_values: bool,
    /// Reset values to the chart's defaults.
    #[arg(long)]
    reset_values: bool,
    /// Reset to the chart's defaults, then apply the last release's values.
    #[arg(long)]
    reset_then_reuse_values: bool,
    /// Delete resources created by a failed upgrade.
    #[arg(long)]
    cleanup_on_fail: bool,
    /// Revisions to keep (0 = no limit).
    #[arg(long, default_value_t = 10, env = "HELM_MAX_HISTORY")]
    history_max: usize,
    /// Simulate against the cluster.
    #[arg(long, num_args = 0..=1, default_missing_value = "client", value_name = "STRATEGY")]
    dry_run: Option<String>,
    /// Release labels `k=v,...` (`k=null` removes one).
    #[arg(short = 'l', long)]
    labels: Vec<String>,
    /// Output format.
    #[arg(short = 'o', long, value_enum, default_value_t)]
    output: Output,
    #[command(flatten)]
    chart_ref: ChartRefArgs,
}

pub(crate) fn run(args: UpgradeArgs) -> anyhow::Result<ExitCode> {
    let values = super::values::load(&args.values)?;
    let common = args.common.options()?;
    let dry_run = super::install::dry_run_strategy(args.dry_run.as_deref())?;
    let opts = UpgradeOptions {
        install: args.install,
        install_opts: InstallOptions {
            common: common.clone(),
            create_namespace: args.create_namespace,
            skip_crds: args.skip_crds,
            ..InstallOptions::default()
        },
        common,
        values_mode: if args.reset_values {
            ValuesMode::Reset
        } else if args.reuse_values {
            ValuesMode::Reuse
        } else if args.reset_then_reuse_values {
            ValuesMode::ResetThenReuse
        } else {
            ValuesMode::Default
        },
        cleanup_on_fail: args.cleanup_on_fail,
        history_max: args.history_max,
        labels: parse_labels(&args.labels)?,
        dry_run: dry_run != super::install::DryRun::None,
        dry_run_server: dry_run == super::install::DryRun::Server,
    };
    // Helm returns LocateChart's error without the `UPGRADE FAILED:` prefix.
    let loaded = args.chart_ref.load(&args.chart)?;
    runtime()?.block_on(async {
        let (kube, storage, ns) = args.kube.connect().await?;
        let mut progress = progress_printer();
        let out = upgrade(
            &kube,
            &storage,
            &args.name,
            &ns,
            loaded,
            values,
            &opts,
            &mut progress,
        )
        .await
        .map_err(|e| anyhow::anyhow!("UPGRADE FAILED: {e}"))?;
        if !out.installed && args.output == Output::Table {
            println!(
                "Release \"{}\" has been upgraded. Happy Helming!",
                args.name
            );
        }
        print_release(&out.release, args.output)?;
        super::install::print_stats();
        Ok(ExitCode::SUCCESS)
    })
}
