//! `origanctl install NAME CHART`, and what every cluster verb shares: the
//! kube flags (`--kubeconfig`, `--kube-context`, `-n`), the storage driver
//! (`HELM_DRIVER`), progress on stderr and `-o table|json|yaml`.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use clap::{Args, ValueEnum};

use super::ValuesArgs;
use crate::action::apply::ServerSide;
use crate::action::install::{CommonOptions, InstallOptions, install, install_client_dry_run};
use crate::release::driver::Storage;
use origan_kube::{ClientOptions, Kube};

/// Cluster connection flags (Helm's globals).
#[derive(Debug, Clone, Args)]
pub struct KubeArgs {
    /// Namespace of the release.
    #[arg(short = 'n', long, env = "HELM_NAMESPACE")]
    pub namespace: Option<String>,
    /// Path to the kubeconfig file.
    #[arg(long)]
    pub kubeconfig: Option<PathBuf>,
    /// Name of the kubeconfig context to use.
    #[arg(long)]
    pub kube_context: Option<String>,
}

impl KubeArgs {
    /// Connects, and opens the storage `HELM_DRIVER` names.
    pub async fn connect(&self) -> anyhow::Result<(Kube, Storage, String)> {
        let kube = Kube::connect(&ClientOptions {
            kubeconfig: self.kubeconfig.clone(),
            context: self.kube_context.clone(),
            namespace: self.namespace.clone(),
        })
        .await?;
        let storage =
            Storage::from_driver_name(std::env::var("HELM_DRIVER").ok().as_deref(), kube.clone())?;
        let ns = kube.namespace().to_string();
        Ok((kube, storage, ns))
    }
}

/// `-o` formats.
#[derive(Debug, Clone, Copy, Default, ValueEnum, PartialEq, Eq)]
pub enum Output {
    /// Human table.
    #[default]
    Table,
    /// JSON.
    Json,
    /// YAML.
    Yaml,
}

/// Prints a serializable value as JSON or YAML (one trailing newline).
pub fn print_structured(v: &serde_json::Value, fmt: Output) -> anyhow::Result<()> {
    let text = match fmt {
        Output::Json | Output::Table => format!("{}\n", serde_json::to_string(v)?),
        Output::Yaml => {
            let data = crate::action::install::json_to_data(v);
            origan_yaml::to_yaml(&data).map_err(|e| anyhow::anyhow!("{e}"))?
        }
    };
    std::io::stdout().lock().write_all(text.as_bytes())?;
    Ok(())
}

/// With `ORIGANCTL_STATS` set, prints the number of server-side apply
/// (PATCH) requests on stderr.
pub fn print_stats() {
    if std::env::var_os("ORIGANCTL_STATS").is_some() {
        eprintln!(
            "origanctl stats: {} apply requests",
            origan_kube::apply_count()
        );
    }
}

/// A runtime for one command.
pub fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?)
}

/// Progress on stderr: a table on a terminal, one line per change
/// otherwise (`super::progress`).
pub fn progress_printer() -> impl FnMut(&str) + Send {
    super::progress::printer()
}

/// Parses Go durations as Helm's `--timeout` takes them (`5m0s`, `90s`, `1h`).
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let mut total = 0f64;
    let mut num = String::new();
    let mut chars = s.chars().peekable();
    if s == "0" {
        return Ok(Duration::ZERO);
    }
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() || c == '.' {
            num.push(c);
            continue;
        }
        let mut unit = c.to_string();
        if (c == 'm' || c == 'u' || c == 'n') && chars.peek() == Some(&'s') {
            unit.push(chars.next().unwrap_or('s'));
        }
        let n: f64 = num.parse().map_err(|_| format!("invalid duration {s:?}"))?;
        num.clear();
        total += n * match unit.as_str() {
            "h" => 3600.0,
            "m" => 60.0,
            "s" => 1.0,
            "ms" => 0.001,
            "us" | "µs" => 0.000_001,
            "ns" => 0.000_000_001,
            _ => return Err(format!("unknown unit {unit:?} in duration {s:?}")),
        };
    }
    if !num.is_empty() {
        return Err(format!("missing unit in duration {s:?}"));
    }
    Ok(Duration::from_secs_f64(total))
}

/// `--labels k=v,k2=v2`.
pub fn parse_labels(list: &[String]) -> anyhow::Result<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    for item in list
        .iter()
        .flat_map(|s| s.split(','))
        .filter(|s| !s.is_empty())
    {
        let (k, v) = item
            .split_once('=')
            .with_context(|| format!("invalid label {item:?}: want key=value"))?;
        out.insert(k.to_string(), v.to_string());
    }
    Ok(out)
}

/// Flags shared by install, upgrade and rollback.
#[derive(Debug, Clone, Args)]
pub struct CommonArgs {
    /// Wait until all resources are ready (watch based, with progress).
    #[arg(long, num_args = 0..=1, default_missing_value = "watcher", value_name = "STRATEGY")]
    pub wait: Option<String>,
    /// Also wait for Jobs to complete.
    #[arg(long)]
    pub wait_for_jobs: bool,
    /// Time to wait for any individual operation (Go duration).
    #[arg(long, default_value = "5m0s", value_parser = parse_duration)]
    pub timeout: Duration,
    /// Do not run hooks.
    #[arg(long)]
    pub no_hooks: bool,
    /// On failure, restore the previous state (uninstall or roll back).
    #[arg(long = "rollback-on-failure", visible_alias = "atomic")]
    pub atomic: bool,
    /// Custom description.
    #[arg(long)]
    pub description: Option<String>,
    /// Adopt existing resources without ownership checks.
    #[arg(long)]
    pub take_ownership: bool,
    /// Force server-side apply through field conflicts.
    #[arg(long, conflicts_with = "force_replace")]
    pub force_conflicts: bool,
    /// Replace existing objects (PUT) instead of patching them; needs
    /// client-side apply (`--server-side=false`).
    #[arg(long, alias = "force")]
    pub force_replace: bool,
    /// Apply on the server: install `true|false` (default true); upgrade
    /// and rollback `auto|true|false` (default auto: as the previous
    /// revision did).
    #[arg(long, num_args = 0..=1, default_missing_value = "true", value_name = "auto|true|false")]
    pub server_side: Option<String>,
}

impl CommonArgs {
    /// To action options.
    pub fn options(&self) -> anyhow::Result<CommonOptions> {
        let server_side = match self.server_side.as_deref() {
            None => ServerSide::Auto,
            Some(v) => ServerSide::parse(v).map_err(|e| anyhow::anyhow!(e))?,
        };
        Ok(CommonOptions {
            wait: matches!(self.wait.as_deref(), Some("watcher" | "true" | "legacy")),
            wait_for_jobs: self.wait_for_jobs,
            timeout: self.timeout,
            no_hooks: self.no_hooks,
            atomic: self.atomic,
            description: self.description.clone(),
            take_ownership: self.take_ownership,
            force_conflicts: self.force_conflicts,
            force_replace: self.force_replace,
            server_side,
        })
    }
}

/// Helm's `--dry-run` strategies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DryRun {
    /// Not a dry run.
    None,
    /// Render only, no cluster contact.
    Client,
    /// Render with the cluster, validate there, persist nothing.
    Server,
}

/// Helm's `cmdGetDryRunFlagStrategy`: a bare `--dry-run` is `client`;
/// `true`/`false` are the deprecated booleans.
pub fn dry_run_strategy(v: Option<&str>) -> anyhow::Result<DryRun> {
    Ok(match v {
        None | Some("none" | "false") => DryRun::None,
        Some("client" | "true") => DryRun::Client,
        Some("server") => DryRun::Server,
        Some(v) => {
            anyhow::bail!(r#"invalid dry-run value ("{v}"). Must be "none", "server", or "client""#)
        }
    })
}

/// Arguments of `install`.
#[derive(Debug, Args)]
#[command(disable_version_flag = true)]
pub struct InstallArgs {
    /// Release name then chart (with `--generate-name`, only the chart).
    #[arg(value_name = "[NAME] CHART", num_args = 1..=2, required = true)]
    args: Vec<String>,
    #[command(flatten)]
    kube: KubeArgs,
    #[command(flatten)]
    values: ValuesArgs,
    #[command(flatten)]
    common: CommonArgs,
    /// Create the release namespace if absent.
    #[arg(long)]
    create_namespace: bool,
    /// Do not install CRDs from `crds/`.
    #[arg(long)]
    skip_crds: bool,
    /// Reuse the name of a release whose last revision is failed or
    /// uninstalled (kept history).
    #[arg(long)]
    replace: bool,
    /// Generate the name (`CHART-<unix seconds>`).
    #[arg(short = 'g', long)]
    generate_name: bool,
    /// Simulate: `client` (render only, no cluster contact) or `server`
    /// (render against the cluster and validate there).
    #[arg(long, num_args = 0..=1, default_missing_value = "client", value_name = "STRATEGY")]
    dry_run: Option<String>,
    /// Release labels `k=v,...`.
    #[arg(short = 'l', long)]
    labels: Vec<String>,
    /// Output format.
    #[arg(short = 'o', long, value_enum, default_value_t)]
    output: Output,
    #[command(flatten)]
    chart_ref: ChartRefArgs,
}

/// How install and upgrade find an `oci://` chart (Helm's `ChartPathOptions`).
#[derive(Debug, Clone, Args)]
pub struct ChartRefArgs {
    /// Chart version of an `oci://` chart: exact, or a constraint such as `^0.3`.
    #[arg(long, default_value = "")]
    pub version: String,
    /// Use development versions too (`>0.0.0-0` when --version is empty).
    #[arg(long)]
    pub devel: bool,
    #[command(flatten)]
    pub registry: super::pull::RegistryArgs,
}

impl ChartRefArgs {
    /// Loads CHART: a local path, or an `oci://` reference pulled through the
    /// digest cache (reported on stderr). Runs before anything touches the
    /// cluster, so a chart that cannot be fetched or verified changes nothing.
    pub fn load(&self, chart: &str) -> Result<origan_chart::Chart, crate::action::pull::PullError> {
        let version = super::pull::effective_version(&self.version, self.devel);
        let (chart, pulled) =
            crate::action::pull::load_chart_ref(chart, &version, &self.registry.options())?;
        if let Some(p) = &pulled {
            super::pull::report_pulled(p);
        }
        Ok(chart)
    }
}

pub(crate) fn run(args: InstallArgs) -> anyhow::Result<ExitCode> {
    let (name, chart) = match (args.generate_name, args.args.as_slice()) {
        (true, [chart]) => {
            let base = std::path::Path::new(chart)
                .file_name()
                .and_then(|f| f.to_str())
                .unwrap_or("chart");
            let base = base.split('.').next().unwrap_or(base);
            let secs = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)?
                .as_secs();
            (format!("{base}-{secs}"), chart.clone())
        }
        (false, [name, chart]) => (name.clone(), chart.clone()),
        (false, [_]) => anyhow::bail!("must either provide a name or specify --generate-name"),
        _ => anyhow::bail!("expected at most one chart argument with --generate-name"),
    };
    if let Some(v) = args.common.server_side.as_deref()
        && v != "true"
        && v != "false"
    {
        // Helm's install takes a boolean here (upgrade and rollback: auto).
        anyhow::bail!(
            r#"invalid argument "{v}" for "--server-side" flag: strconv.ParseBool: parsing "{v}": invalid syntax"#
        );
    }
    let values = super::values::load(&args.values)?;
    let dry_run = dry_run_strategy(args.dry_run.as_deref())?;
    let opts = InstallOptions {
        common: args.common.options()?,
        create_namespace: args.create_namespace,
        skip_crds: args.skip_crds,
        dry_run: dry_run != DryRun::None,
        dry_run_server: dry_run == DryRun::Server,
        replace: args.replace,
        labels: parse_labels(&args.labels)?,
    };
    let loaded = args
        .chart_ref
        .load(&chart)
        .map_err(|e| anyhow::anyhow!("INSTALLATION FAILED: {e}"))?;
    runtime()?.block_on(async {
        if dry_run == DryRun::Client {
            // Loading the kubeconfig and building a client sends nothing;
            // without any kubeconfig the namespace is `-n` or `default`,
            // as Helm's.
            let ns = match args.kube.connect().await {
                Ok((_, _, ns)) => ns,
                Err(_) if args.kube.kubeconfig.is_none() => args
                    .kube
                    .namespace
                    .clone()
                    .unwrap_or_else(|| "default".into()),
                Err(e) => return Err(e),
            };
            let rel = install_client_dry_run(&name, &ns, loaded, values, &opts)
                .map_err(|e| anyhow::anyhow!("INSTALLATION FAILED: {e}"))?;
            print_release(&rel, args.output)?;
            return Ok(ExitCode::SUCCESS);
        }
        let (kube, storage, ns) = args.kube.connect().await?;
        let mut progress = progress_printer();
        let rel = install(
            &kube,
            &storage,
            &name,
            &ns,
            loaded,
            values,
            &opts,
            &mut progress,
        )
        .await
        .map_err(|e| anyhow::anyhow!("INSTALLATION FAILED: {e}"))?;
        print_release(&rel, args.output)?;
        print_stats();
        Ok(ExitCode::SUCCESS)
    })
}

/// Prints a release as install/upgrade/status do.
pub fn print_release(rel: &crate::release::Release, output: Output) -> anyhow::Result<()> {
    match output {
        Output::Table => {
            let text = crate::action::status::status_text(rel, None, false);
            std::io::stdout().lock().write_all(text.as_bytes())?;
            Ok(())
        }
        fmt => print_structured(&serde_json::to_value(rel)?, fmt),
    }
}
