//! `origanctl template RELEASE CHART`: render a chart locally and print what
//! `helm template` prints.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;

use super::ValuesArgs;
use crate::action::render;
use crate::action::template::{Error as TemplateError, TemplateOptions, template};

/// Arguments of `template`.
#[derive(Debug, Args)]
#[command(disable_version_flag = true)]
pub struct TemplateArgs {
    /// Release name, then chart; with one argument it is the chart and the
    /// release is called `release-name`.
    #[arg(value_name = "[NAME] CHART", num_args = 1..=2, required = true)]
    args: Vec<String>,
    /// Namespace of the release.
    #[arg(short = 'n', long, default_value = "default")]
    namespace: String,
    #[command(flatten)]
    values: ValuesArgs,
    /// Kubernetes version used for `.Capabilities.KubeVersion`.
    #[arg(long, value_name = "VERSION")]
    kube_version: Option<String>,
    /// Extra API versions for `.Capabilities.APIVersions` (repeatable, or comma separated).
    #[arg(
        short = 'a',
        long = "api-versions",
        value_name = "VERSION",
        value_delimiter = ','
    )]
    api_versions: Vec<String>,
    /// Only print the manifests rendered from these templates (glob, e.g. `templates/cm.yaml`).
    #[arg(short = 's', long = "show-only", value_name = "TEMPLATE")]
    show_only: Vec<String>,
    /// Write each template to a file in this directory instead of stdout.
    #[arg(long, value_name = "DIR")]
    output_dir: Option<PathBuf>,
    /// Print the chart's CRDs before its templates.
    #[arg(long)]
    include_crds: bool,
    /// Leave out `helm test` hooks.
    #[arg(long)]
    skip_tests: bool,
    /// Set `.Release.IsUpgrade` instead of `.Release.IsInstall`.
    #[arg(long)]
    is_upgrade: bool,
    /// Leave out hooks.
    #[arg(long)]
    no_hooks: bool,
    /// Chart version of an `oci://` chart: exact, or a constraint such as `^0.3`.
    #[arg(long, default_value = "")]
    version: String,
    #[command(flatten)]
    registry: super::pull::RegistryArgs,
}

pub(crate) fn run(args: TemplateArgs) -> anyhow::Result<ExitCode> {
    let (name, chart) = match args.args.as_slice() {
        [chart] => ("release-name".to_string(), chart.clone()),
        [name, chart] => (name.clone(), chart.clone()),
        _ => unreachable!("clap allows one or two arguments"),
    };
    let user_values = super::values::load(&args.values)?;
    let opts = TemplateOptions {
        release_name: name,
        namespace: args.namespace,
        kube_version: args.kube_version,
        api_versions: args.api_versions,
        show_only: args.show_only,
        output_dir: args.output_dir,
        include_crds: args.include_crds,
        skip_tests: args.skip_tests,
        is_upgrade: args.is_upgrade,
        no_hooks: args.no_hooks,
        version: args.version,
        registry: args.registry.options(),
    };
    let out = match template(&chart, user_values, &opts) {
        Ok(out) => out,
        // Helm's `template` returns the failed release with a rendering
        // error and adds a hint (pkg/cmd/template.go); the error itself
        // (Helm v4's multi-line template error, or `YAML parse error on
        // ...`) is printed as is.
        Err(e @ TemplateError::Render(render::Error::Engine(_) | render::Error::Manifest(_))) => {
            anyhow::bail!("{e}\n\nUse --debug flag to render out invalid YAML")
        }
        // Values that fail the schema: Helm prints the error alone.
        Err(e @ TemplateError::Render(render::Error::Schema(_))) => anyhow::bail!("{e}"),
        Err(e) => return Err(e).with_context(|| format!("rendering chart {chart}")),
    };
    std::io::stdout().lock().write_all(&out)?;
    Ok(ExitCode::SUCCESS)
}
