//! `origanctl pull oci://…`, and the registry flags shared by every OCI verb.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::action::pull::{RegistryOptions, pull, save};

/// Registry connection flags (Helm's names).
#[derive(Debug, Clone, Default, Args)]
pub struct RegistryArgs {
    /// Path to the registry credentials file (default: Helm's registry/config.json).
    #[arg(long, env = "HELM_REGISTRY_CONFIG")]
    pub registry_config: Option<PathBuf>,
    /// Verify the registry's certificate with this CA bundle.
    #[arg(long)]
    pub ca_file: Option<PathBuf>,
    /// Client certificate for the registry.
    #[arg(long)]
    pub cert_file: Option<PathBuf>,
    /// Client certificate key.
    #[arg(long)]
    pub key_file: Option<PathBuf>,
    /// Skip verification of the registry's certificate.
    #[arg(long)]
    pub insecure_skip_tls_verify: bool,
    /// Use plain HTTP to talk to the registry.
    #[arg(long)]
    pub plain_http: bool,
    /// Registry username (overrides stored credentials).
    #[arg(long)]
    pub username: Option<String>,
    /// Registry password.
    #[arg(long)]
    pub password: Option<String>,
}

impl RegistryArgs {
    /// As action options.
    pub fn options(&self) -> RegistryOptions {
        RegistryOptions {
            registry_config: self.registry_config.clone(),
            ca_file: self.ca_file.clone(),
            cert_file: self.cert_file.clone(),
            key_file: self.key_file.clone(),
            insecure_skip_tls_verify: self.insecure_skip_tls_verify,
            plain_http: self.plain_http,
            username: self.username.clone(),
            password: self.password.clone(),
        }
    }
}

/// Arguments of `pull`.
#[derive(Debug, Args)]
#[command(disable_version_flag = true)]
pub struct PullArgs {
    /// oci://HOST/PATH/NAME[:TAG][@sha256:DIGEST]
    chart: String,
    /// Version: exact, or a constraint (`^1.2`, `>=1 <2`); default: the tag, else the highest.
    #[arg(long, default_value = "")]
    version: String,
    /// Use development versions too (`>0.0.0-0` when --version is empty).
    #[arg(long)]
    devel: bool,
    /// Directory to write the chart to.
    #[arg(short = 'd', long, default_value = ".")]
    destination: PathBuf,
    /// Expand the chart instead of keeping the archive.
    #[arg(long)]
    untar: bool,
    /// With --untar: directory under the destination to expand into.
    #[arg(long, default_value = ".")]
    untardir: PathBuf,
    #[command(flatten)]
    registry: RegistryArgs,
}

pub(crate) fn run(args: PullArgs) -> anyhow::Result<ExitCode> {
    if !args.chart.starts_with("oci://") {
        anyhow::bail!(
            "{}: only oci:// references can be pulled (chart repositories are not supported)",
            args.chart
        );
    }
    let version = effective_version(&args.version, args.devel);
    let pulled = pull(&args.chart, &version, &args.registry.options())?;
    save(&pulled, &args.destination, args.untar, &args.untardir)?;
    if let Some(w) = &pulled.warning {
        eprintln!("{w}");
    }
    println!("Pulled: {}", pulled.reference);
    println!("Digest: {}", pulled.digest);
    if let Some(notice) = origan_registry::pull_underscore_notice(&pulled.reference) {
        print!("{notice}");
    }
    Ok(ExitCode::SUCCESS)
}

/// `--version` with `--devel`: Helm's `>0.0.0-0` when no version is given.
pub fn effective_version(version: &str, devel: bool) -> String {
    if devel && version.is_empty() {
        ">0.0.0-0".to_string()
    } else {
        version.to_string()
    }
}

/// What install, upgrade and show pulled, on stderr (Helm prints the same
/// `Pulled:`/`Digest:` lines on stdout, mixed with the command's output).
pub fn report_pulled(p: &crate::action::pull::Pulled) {
    if let Some(w) = &p.warning {
        eprintln!("{w}");
    }
    eprintln!("Pulled: {}", p.reference);
    eprintln!("Digest: {}", p.digest);
    if let Some(notice) = origan_registry::pull_underscore_notice(&p.reference) {
        eprint!("{notice}");
    }
}
