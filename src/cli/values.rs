//! The values flags shared by `template`, `install`, `upgrade` and `lint`:
//! `-f/--values`, `--set`, `--set-string`, `--set-file`, `--set-json`,
//! `--set-literal`.

use clap::Args;

/// Values given on the command line, in the order Helm merges them.
#[derive(Debug, Default, Args)]
pub struct ValuesArgs {
    /// Values files or URLs (`-` reads standard input); later files win.
    #[arg(short = 'f', long = "values", value_name = "FILE")]
    pub values: Vec<String>,
    /// Set values: `a.b=c,d[0]=e` (numbers become int64, `true`/`false` booleans).
    #[arg(long = "set", value_name = "KEY=VAL")]
    pub set: Vec<String>,
    /// Set string values: `a=007` stays `"007"`.
    #[arg(long = "set-string", value_name = "KEY=VAL")]
    pub set_string: Vec<String>,
    /// Set values from files: `key=path`.
    #[arg(long = "set-file", value_name = "KEY=PATH")]
    pub set_file: Vec<String>,
    /// Set JSON values: `a={"b":1}`.
    #[arg(long = "set-json", value_name = "KEY=JSON")]
    pub set_json: Vec<String>,
    /// Set literal string values: no escapes, commas or dots are special.
    #[arg(long = "set-literal", value_name = "KEY=VAL")]
    pub set_literal: Vec<String>,
}

impl ValuesArgs {
    /// Whether no values were given at all.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
            && self.set.is_empty()
            && self.set_string.is_empty()
            && self.set_file.is_empty()
            && self.set_json.is_empty()
            && self.set_literal.is_empty()
    }
}

/// Reads and merges the user's values in Helm's order
/// (`pkg/cli/values/options.go` `MergeValues`): `-f` files, then `--set-json`,
/// `--set`, `--set-string`, `--set-file`, `--set-literal`.
pub fn load(args: &ValuesArgs) -> anyhow::Result<origan_yaml::Data> {
    use anyhow::Context as _;
    use origan_chart::SetArg;
    use std::io::Read;

    let mut files = Vec::new();
    for f in &args.values {
        let text = if f == "-" {
            let mut s = String::new();
            std::io::stdin()
                .read_to_string(&mut s)
                .context("reading values from standard input")?;
            s
        } else {
            std::fs::read_to_string(f).with_context(|| format!("reading values file {f}"))?
        };
        let current =
            origan_yaml::load_values(&text).with_context(|| format!("failed to parse {f}"))?;
        files.push(origan_yaml::Data::Map(current));
    }
    let sets: Vec<SetArg> = (args.set_json.iter().cloned().map(SetArg::Json))
        .chain(args.set.iter().cloned().map(SetArg::Set))
        .chain(args.set_string.iter().cloned().map(SetArg::String))
        .chain(args.set_file.iter().cloned().map(SetArg::File))
        .chain(args.set_literal.iter().cloned().map(SetArg::Literal))
        .collect();
    Ok(origan_chart::merge_user_values(&files, &sets)?)
}
