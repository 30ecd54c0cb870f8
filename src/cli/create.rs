//! `origanctl create NAME`: scaffold a chart as `helm create` does.

use std::path::Path;
use std::process::ExitCode;

use clap::Args;

/// Arguments of `create`.
#[derive(Debug, Args)]
pub struct CreateArgs {
    /// The chart's name (or path; its last element is the name).
    #[arg(value_name = "NAME")]
    name: String,
}

pub(crate) fn run(args: CreateArgs) -> anyhow::Result<ExitCode> {
    println!("Creating {}", args.name);
    crate::action::create::create(&args.name, Path::new("."))?;
    Ok(ExitCode::SUCCESS)
}
