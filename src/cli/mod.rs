//! The command line: clap structures and the dispatch to one file per verb.
//!
//! Owns argument parsing and printing; the work itself is done by `action`.
//! `anyhow` is used here and nowhere below.

mod completion;
mod create;
mod dependency;
mod get;
mod history;
mod install;
mod lint;
mod list;
mod package;
mod progress;
mod pull;
mod push;
mod registry;
mod rollback;
mod show;
mod status;
mod template;
mod uninstall;
mod upgrade;
mod values;
mod version;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub use values::ValuesArgs;

/// origanctl: install and manage Helm charts, compatible with Helm's charts,
/// release records and registries.
#[derive(Debug, Parser)]
#[command(name = "origanctl", version = env!("CARGO_PKG_VERSION"), propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Render chart templates locally and print the manifests.
    Template(template::TemplateArgs),
    /// Print the version of origanctl.
    Version(version::VersionArgs),
    /// Install a chart as a release.
    Install(install::InstallArgs),
    /// Upgrade a release.
    Upgrade(upgrade::UpgradeArgs),
    /// Roll a release back to a previous revision.
    Rollback(rollback::RollbackArgs),
    /// Uninstall a release.
    #[command(visible_aliases = ["un", "delete", "del"])]
    Uninstall(uninstall::UninstallArgs),
    /// Show a release's revision history.
    #[command(visible_alias = "hist")]
    History(history::HistoryArgs),
    /// List releases.
    #[command(visible_alias = "ls")]
    List(list::ListArgs),
    /// Show a release's status.
    Status(status::StatusArgs),
    /// Download a release's values, manifest, notes, hooks or metadata.
    Get(get::GetArgs),
    /// Generate a shell completion script.
    Completion(completion::CompletionArgs),
    /// Examine a chart for possible issues.
    Lint(lint::LintArgs),
    /// Show information of a chart.
    #[command(visible_alias = "inspect")]
    Show(show::ShowArgs),
    /// Create a new chart with the given name.
    Create(create::CreateArgs),
    /// Manage a chart's dependencies.
    #[command(visible_alias = "dep")]
    Dependency(dependency::DependencyArgs),
    /// Package a chart directory into NAME-VERSION.tgz.
    Package(package::PackageArgs),
    /// Push a packaged chart to an OCI registry.
    Push(push::PushArgs),
    /// Download a chart from an OCI registry.
    Pull(pull::PullArgs),
    /// Log in to or out of an OCI registry.
    Registry(registry::RegistryCmdArgs),
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Template(args) => template::run(args),
        Command::Version(args) => version::run(args),
        Command::Install(args) => install::run(args),
        Command::Upgrade(args) => upgrade::run(args),
        Command::Rollback(args) => rollback::run(args),
        Command::Uninstall(args) => uninstall::run(args),
        Command::History(args) => history::run(args),
        Command::List(args) => list::run(args),
        Command::Status(args) => status::run(args),
        Command::Get(args) => get::run(args),
        Command::Completion(args) => completion::run(args),
        Command::Lint(args) => lint::run(args),
        Command::Show(args) => show::run(args),
        Command::Create(args) => create::run(args),
        Command::Dependency(args) => dependency::run(args),
        Command::Package(args) => package::run(args),
        Command::Push(args) => push::run(args),
        Command::Pull(args) => pull::run(args),
        Command::Registry(args) => registry::run(args),
    }
}
