//! `origanctl status NAME`.

use std::io::Write;
use std::process::ExitCode;

use clap::Args;

use super::install::{KubeArgs, Output, print_structured, runtime};
use crate::action::status::{load, resources, status_text};

/// Arguments of `status`.
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Release name.
    name: String,
    #[command(flatten)]
    kube: KubeArgs,
    /// Revision (default: the latest).
    #[arg(long, default_value_t = 0)]
    revision: u32,
    /// Show chart metadata.
    #[arg(long)]
    show_metadata: bool,
    /// Leave out the resources and their readiness.
    #[arg(long)]
    no_resources: bool,
    /// Output format.
    #[arg(short = 'o', long, value_enum, default_value_t)]
    output: Output,
}

pub(crate) fn run(args: StatusArgs) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async {
        let (kube, storage, ns) = args.kube.connect().await?;
        let rel = load(&storage, &ns, &args.name, args.revision).await?;
        match args.output {
            Output::Table => {
                let res = if args.no_resources {
                    None
                } else {
                    Some(resources(&kube, &rel).await?)
                };
                let text = status_text(&rel, res.as_deref(), args.show_metadata);
                std::io::stdout().lock().write_all(text.as_bytes())?;
            }
            fmt => print_structured(&serde_json::to_value(&rel)?, fmt)?,
        }
        Ok(ExitCode::SUCCESS)
    })
}
