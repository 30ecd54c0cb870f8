//! `origanctl registry login|logout HOST`.

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};

use super::pull::RegistryArgs;
use crate::action::push::{login, logout};
use origan_registry::Credentials;

/// Arguments of `registry`.
#[derive(Debug, Args)]
pub struct RegistryCmdArgs {
    #[command(subcommand)]
    command: RegistryCommand,
}

#[derive(Debug, Subcommand)]
enum RegistryCommand {
    /// Log in to a registry (stores the credentials where Helm keeps them).
    Login(LoginArgs),
    /// Remove a registry's stored credentials.
    Logout(LogoutArgs),
}

/// Arguments of `registry login`.
#[derive(Debug, Args)]
struct LoginArgs {
    /// Registry host[:port].
    host: String,
    /// Username.
    #[arg(short = 'u', long)]
    username: Option<String>,
    /// Password or token.
    #[arg(short = 'p', long)]
    password: Option<String>,
    /// Read the password from stdin.
    #[arg(long)]
    password_stdin: bool,
    /// Credentials file (default: Helm's registry/config.json).
    #[arg(long, env = "HELM_REGISTRY_CONFIG")]
    registry_config: Option<PathBuf>,
    /// CA bundle for the registry's certificate.
    #[arg(long)]
    ca_file: Option<PathBuf>,
    /// Client certificate.
    #[arg(long)]
    cert_file: Option<PathBuf>,
    /// Client certificate key.
    #[arg(long)]
    key_file: Option<PathBuf>,
    /// Skip verification of the registry's certificate.
    #[arg(long = "insecure")]
    insecure: bool,
    /// Use plain HTTP.
    #[arg(long)]
    plain_http: bool,
}

/// Arguments of `registry logout`.
#[derive(Debug, Args)]
struct LogoutArgs {
    /// Registry host[:port].
    host: String,
    /// Credentials file (default: Helm's registry/config.json).
    #[arg(long, env = "HELM_REGISTRY_CONFIG")]
    registry_config: Option<PathBuf>,
}

pub(crate) fn run(args: RegistryCmdArgs) -> anyhow::Result<ExitCode> {
    match args.command {
        RegistryCommand::Login(a) => {
            let host = a.host.trim_start_matches("oci://").to_string();
            if host.contains('/') {
                eprintln!(
                    "WARNING: registry login with a path is not supported; use the host only"
                );
            }
            let username = a
                .username
                .ok_or_else(|| anyhow::anyhow!("username is required (-u)"))?;
            let password = match (a.password, a.password_stdin) {
                (Some(_), true) => {
                    anyhow::bail!("--password and --password-stdin are mutually exclusive")
                }
                (Some(p), false) => p,
                (None, true) => {
                    let mut s = String::new();
                    std::io::stdin().read_to_string(&mut s)?;
                    s.trim_end_matches(['\n', '\r']).to_string()
                }
                (None, false) => anyhow::bail!("password is required (-p or --password-stdin)"),
            };
            let opts = RegistryArgs {
                registry_config: a.registry_config,
                ca_file: a.ca_file,
                cert_file: a.cert_file,
                key_file: a.key_file,
                insecure_skip_tls_verify: a.insecure,
                plain_http: a.plain_http,
                username: None,
                password: None,
            }
            .options();
            login(&host, Credentials { username, password }, &opts)?;
            println!("Login Succeeded");
        }
        RegistryCommand::Logout(a) => {
            let host = a.host.trim_start_matches("oci://").to_string();
            let opts = RegistryArgs {
                registry_config: a.registry_config,
                ..Default::default()
            }
            .options();
            if !logout(&host, &opts)? {
                anyhow::bail!("not logged in to {host}");
            }
            eprintln!("Removing login credentials for {host}");
        }
    }
    Ok(ExitCode::SUCCESS)
}
