//! `origanctl push CHART.tgz oci://HOST/PATH`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::pull::RegistryArgs;
use crate::action::push::push;

/// Arguments of `push`.
#[derive(Debug, Args)]
pub struct PushArgs {
    /// The packaged chart (.tgz); a CHART.tgz.prov next to it is pushed too.
    chart: PathBuf,
    /// oci://HOST/PATH (the chart name and version are appended).
    remote: String,
    #[command(flatten)]
    registry: RegistryArgs,
}

pub(crate) fn run(args: PushArgs) -> anyhow::Result<ExitCode> {
    let res = push(&args.chart, &args.remote, &args.registry.options())?;
    println!("Pushed: {}", res.reference);
    println!("Digest: {}", res.digest);
    if let Some(notice) = origan_registry::push_underscore_notice(&res.reference) {
        print!("{notice}");
    }
    Ok(ExitCode::SUCCESS)
}
