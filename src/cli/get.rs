//! `origanctl get values|manifest|notes|hooks|metadata|all NAME`.

use std::io::Write;
use std::process::ExitCode;

use clap::{Args, Subcommand};

use super::install::{KubeArgs, Output, print_structured, runtime};
use crate::action::get;
use crate::action::status::load;

/// Arguments of `get`.
#[derive(Debug, Args)]
pub struct GetArgs {
    #[command(subcommand)]
    what: What,
}

/// What to get.
#[derive(Debug, Subcommand)]
enum What {
    /// User-supplied values (all computed values with --all).
    Values(Common),
    /// The rendered manifest.
    Manifest(Common),
    /// The release notes.
    Notes(Common),
    /// The hooks.
    Hooks(Common),
    /// Release metadata.
    Metadata(Common),
    /// Everything.
    All(Common),
}

#[derive(Debug, Args)]
struct Common {
    /// Release name.
    name: String,
    #[command(flatten)]
    kube: KubeArgs,
    /// Revision (default: the latest).
    #[arg(long, default_value_t = 0)]
    revision: u32,
    /// `get values`: computed values.
    #[arg(short = 'a', long)]
    all: bool,
    /// Output format.
    #[arg(short = 'o', long, value_enum, default_value_t)]
    output: Output,
}

pub(crate) fn run(args: GetArgs) -> anyhow::Result<ExitCode> {
    let (kind, c) = match &args.what {
        What::Values(c) => ("values", c),
        What::Manifest(c) => ("manifest", c),
        What::Notes(c) => ("notes", c),
        What::Hooks(c) => ("hooks", c),
        What::Metadata(c) => ("metadata", c),
        What::All(c) => ("all", c),
    };
    runtime()?.block_on(async {
        let (_kube, storage, ns) = c.kube.connect().await?;
        let rel = load(&storage, &ns, &c.name, c.revision).await?;
        let mut out = std::io::stdout().lock();
        match kind {
            "values" => {
                let v = get::values(&rel, c.all);
                if c.output == Output::Table {
                    writeln!(
                        out,
                        "{}",
                        if c.all {
                            "COMPUTED VALUES:"
                        } else {
                            "USER-SUPPLIED VALUES:"
                        }
                    )?;
                    drop(out);
                    print_structured(&v, Output::Yaml)?;
                } else {
                    drop(out);
                    print_structured(&v, c.output)?;
                }
            }
            "manifest" => out.write_all(get::manifest(&rel).as_bytes())?,
            "notes" => out.write_all(get::notes(&rel).as_bytes())?,
            "hooks" => out.write_all(get::hooks(&rel).as_bytes())?,
            "metadata" => {
                let m = get::metadata(&rel);
                match c.output {
                    Output::Table => out.write_all(m.table().as_bytes())?,
                    // Go's encoding/json keeps the struct's field order.
                    Output::Json => writeln!(out, "{}", serde_json::to_string(&m)?)?,
                    Output::Yaml => {
                        drop(out);
                        print_structured(&serde_json::to_value(&m)?, Output::Yaml)?;
                    }
                }
            }
            _ => {
                let text = crate::action::status::status_text(&rel, None, true);
                out.write_all(text.as_bytes())?;
                writeln!(out, "USER-SUPPLIED VALUES:")?;
                drop(out);
                print_structured(&get::values(&rel, false), Output::Yaml)?;
                let mut out = std::io::stdout().lock();
                write!(
                    out,
                    "\nHOOKS:\n{}MANIFEST:\n{}",
                    get::hooks(&rel),
                    get::manifest(&rel)
                )?;
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}
