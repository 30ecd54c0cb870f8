//! `upgrade NAME CHART` (Helm's `pkg/action/upgrade.go`), with `--install`,
//! values reuse, history pruning, removed-resource deletion, no PATCH for
//! unchanged objects, `--cleanup-on-fail` and `--atomic`.

use std::collections::BTreeMap;

use origan_kube::{Kube, Propagation};
use origan_yaml::Data;

use super::apply::{ApplyMode, apply_method, apply_targets, is_csa};
use super::hooks::run_hooks;
use super::install::{
    self, CommonOptions, Error, InstallOptions, Progress, json_to_data, lock, msg, render_release,
};
use super::resources::{Target, build, check_ownership, delete_removed, wait_targets};
use crate::manifest::HookEvent;
use crate::release::driver::Storage;
use crate::release::{Release, Status};

/// How values combine with the previous release's (`--reuse-values` & co).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ValuesMode {
    /// Neither flag: new values, or the old ones if none are given.
    #[default]
    Default,
    /// `--reset-values`
    Reset,
    /// `--reuse-values`
    Reuse,
    /// `--reset-then-reuse-values`
    ResetThenReuse,
}

/// Options of `upgrade`.
#[derive(Clone, Debug)]
pub struct UpgradeOptions {
    /// Shared options.
    pub common: CommonOptions,
    /// `--install`
    pub install: bool,
    /// Install-only options for `--install`.
    pub install_opts: InstallOptions,
    /// Values handling.
    pub values_mode: ValuesMode,
    /// `--cleanup-on-fail`
    pub cleanup_on_fail: bool,
    /// `--history-max` (0 = unlimited)
    pub history_max: usize,
    /// `--labels`
    pub labels: BTreeMap<String, String>,
    /// `--dry-run` (client or server)
    pub dry_run: bool,
    /// `--dry-run=server`: also validate every object on the server.
    pub dry_run_server: bool,
}

impl Default for UpgradeOptions {
    fn default() -> Self {
        UpgradeOptions {
            common: CommonOptions::default(),
            install: false,
            install_opts: InstallOptions::default(),
            values_mode: ValuesMode::Default,
            cleanup_on_fail: false,
            history_max: 10,
            labels: BTreeMap::new(),
            dry_run: false,
            dry_run_server: false,
        }
    }
}

/// What upgrade did.
#[derive(Debug)]
pub struct Upgraded {
    /// The new revision.
    pub release: Release,
    /// `upgrade --install` installed it.
    pub installed: bool,
}

fn is_empty(d: &Data) -> bool {
    match d {
        Data::Map(m) => m.is_empty(),
        Data::Null => true,
        _ => false,
    }
}

fn merged(new: Data, old: Data) -> Data {
    let mut w = Vec::new();
    origan_chart::coalesce::coalesce_tables(&new, &old, &mut w)
}

/// `CoalesceValues(current.Chart, current.Config)`: the previous
/// revision's chart defaults (parent only; records carry no subcharts)
/// with its user values over them.
fn old_chart_values(
    chart: &origan_chart::Chart,
    current: &Release,
    old_config: &Data,
) -> Result<Data, Error> {
    let mut old = chart.clone();
    old.dependencies.clear();
    old.values = current
        .chart
        .as_ref()
        .map(|c| json_to_data(&c.values))
        .unwrap_or(Data::Null);
    let mut w = Vec::new();
    origan_chart::coalesce::coalesce_values(&old, old_config, &mut w)
        .map_err(|e| msg(format!("failed to rebuild old values: {e}")))
}

/// `upgrade NAME CHART`, the chart already loaded (a local path or a
/// pulled `oci://` reference, see `action::pull::load_chart_ref`).
#[allow(clippy::too_many_arguments)]
pub async fn upgrade(
    kube: &Kube,
    storage: &Storage,
    name: &str,
    ns: &str,
    mut chart: origan_chart::Chart,
    values: Data,
    opts: &UpgradeOptions,
    progress: Progress<'_>,
) -> Result<Upgraded, Error> {
    install::validate_name(name)?;
    if opts.dry_run {
        // Nothing is written, not even the Lease.
        return upgrade_locked(kube, storage, name, ns, &mut chart, values, opts, progress).await;
    }
    if opts.install && opts.install_opts.create_namespace {
        kube.ensure_namespace(ns, &install::field_manager()).await?;
    }
    let guard = lock(kube, storage, ns, name, "upgrade", progress).await?;
    let out = upgrade_locked(kube, storage, name, ns, &mut chart, values, opts, progress).await;
    guard.release().await?;
    out
}

#[allow(clippy::too_many_arguments)]
async fn upgrade_locked(
    kube: &Kube,
    storage: &Storage,
    name: &str,
    ns: &str,
    chart: &mut origan_chart::Chart,
    values: Data,
    opts: &UpgradeOptions,
    progress: Progress<'_>,
) -> Result<Upgraded, Error> {
    let hist = storage.history_meta(ns, name).await?;
    let last_meta = match hist.last() {
        Some(l) if l.status != Status::Uninstalled => l.clone(),
        _ if opts.install => {
            progress(&format!(
                "Release \"{name}\" does not exist. Installing it now."
            ));
            let mut io = opts.install_opts.clone();
            io.common = opts.common.clone();
            io.labels = opts.labels.clone();
            io.dry_run = opts.dry_run;
            io.dry_run_server = opts.dry_run_server;
            // Helm's CLI: `Replace` when the last revision is `uninstalled`.
            io.replace = true;
            let release =
                install::install_locked(kube, storage, name, ns, chart, values, &io, progress)
                    .await?;
            return Ok(Upgraded {
                release,
                installed: true,
            });
        }
        _ => return Err(msg(format!("\"{name}\" has no deployed releases"))),
    };
    let (last, last_labels) = storage.get(ns, name, last_meta.version).await?;
    let current_meta = if last.info.status == Status::Deployed {
        Some(last_meta.clone())
    } else {
        hist.iter()
            .rev()
            .find(|m| m.status == Status::Deployed)
            .cloned()
    };
    let current = match current_meta {
        Some(m) if m.version == last.version => last.clone(),
        Some(m) => storage.get(ns, name, m.version).await?.0,
        None if matches!(last.info.status, Status::Failed | Status::Superseded) => last.clone(),
        None => return Err(msg(format!("\"{name}\" has no deployed releases"))),
    };
    let old_config = json_to_data(&serde_json::Value::Object(current.config.clone()));
    let config = match opts.values_mode {
        ValuesMode::Reset => values,
        ValuesMode::Reuse => {
            // Helm's `reuseValues` quirk: the chart's defaults become the
            // OLD chart's defaults coalesced with the old config, so keys
            // the new chart version added to values.yaml are missing.
            chart.values = old_chart_values(chart, &current, &old_config)?;
            merged(values, old_config)
        }
        ValuesMode::ResetThenReuse => merged(values, old_config),
        ValuesMode::Default if is_empty(&values) => old_config,
        ValuesMode::Default => values,
    };
    let revision = last.version + 1;
    // `--server-side=auto` follows the last revision's apply method; the
    // managed-fields upgrade runs when the baseline was client-side.
    let mode = ApplyMode {
        ssa: opts.common.server_side.resolve(&last.apply_method),
        force_conflicts: opts.common.force_conflicts,
        force_replace: opts.common.force_replace,
        upgrade_managed_fields: false,
        three_way_unstructured: false,
    };
    let mode = ApplyMode {
        upgrade_managed_fields: mode.ssa && is_csa(&current.apply_method),
        ..mode
    };
    mode.check()?;
    // `--dry-run=client` renders without `lookup` (Helm's
    // `interactWithServer`), with the cluster's capabilities.
    let mut rel = if opts.dry_run && !opts.dry_run_server {
        let caps = install::capabilities(kube).await?;
        install::render_release_with(chart, config, name, ns, revision, true, &caps, None)?
    } else {
        render_release(kube, chart, config, name, ns, revision, true).await?
    };
    rel.apply_method = apply_method(mode.ssa);
    rel.info.first_deployed = current.info.first_deployed.clone();
    let mut labels = last_labels.clone();
    for (k, v) in &opts.labels {
        if v == "null" {
            labels.remove(k);
        } else {
            labels.insert(k.clone(), v.clone());
        }
    }
    let previous = build(kube, &current.manifest, name, ns).await?;
    let targets = build(kube, &rel.manifest, name, ns).await?;
    let prev_ids: std::collections::HashSet<_> = previous.iter().map(|t| t.r.identity()).collect();
    let new_ones: Vec<&Target> = targets
        .iter()
        .filter(|t| !prev_ids.contains(&t.r.identity()))
        .collect();
    check_ownership(kube, &new_ones, name, ns, opts.common.take_ownership).await?;
    if opts.dry_run {
        if opts.dry_run_server {
            super::apply::validate_on_server(kube, &targets, ns, false).await?;
        }
        rel.info.status = Status::PendingUpgrade;
        rel.info.description = "Dry run complete".into();
        return Ok(Upgraded {
            release: rel,
            installed: false,
        });
    }
    storage.prune(ns, name, opts.history_max).await?;
    rel.info.status = Status::PendingUpgrade;
    rel.info.description = "Preparing upgrade".into();
    storage.create(&rel, &labels).await?;
    let mut created = Vec::new();
    match perform(
        kube,
        storage,
        &mut rel,
        &labels,
        &previous,
        &targets,
        opts,
        &mut created,
        mode,
        progress,
    )
    .await
    {
        Ok(()) => {
            if current.info.status == Status::Deployed {
                let (mut cur, cl) = storage.get(ns, name, current.version).await?;
                cur.info.status = Status::Superseded;
                storage.update(&cur, &cl).await?;
            }
            rel.info.status = Status::Deployed;
            rel.info.description = opts
                .common
                .description
                .clone()
                .unwrap_or_else(|| "Upgrade complete".into());
            storage.update(&rel, &labels).await?;
            Ok(Upgraded {
                release: rel,
                installed: false,
            })
        }
        Err(e) => {
            rel.info.status = Status::Failed;
            rel.info.description = format!("Upgrade \"{name}\" failed: {e}");
            storage.update(&rel, &labels).await?;
            if opts.cleanup_on_fail {
                for r in &created {
                    let _ = kube.delete(r, Propagation::Background).await;
                }
            }
            if opts.common.atomic {
                let hist = storage.history_meta(ns, name).await?;
                let Some(back) = hist
                    .iter()
                    .rev()
                    .find(|m| matches!(m.status, Status::Deployed | Status::Superseded))
                else {
                    return Err(msg(format!(
                        "unable to find a previously successful release: {e}"
                    )));
                };
                let ropts = super::rollback::RollbackOptions {
                    common: CommonOptions {
                        wait: true,
                        ..opts.common.clone()
                    },
                    cleanup_on_fail: opts.cleanup_on_fail,
                    history_max: opts.history_max,
                    revision: back.version,
                };
                return match super::rollback::rollback_locked(
                    kube, storage, name, ns, &ropts, progress,
                )
                .await
                {
                    Ok(_) => Err(msg(format!(
                        "release {name} failed, and has been rolled back due to rollback-on-failure being set: {e}"
                    ))),
                    Err(r) => Err(msg(format!(
                        "an error occurred while rolling back the release. original upgrade error: {e}: {r}"
                    ))),
                };
            }
            Err(e)
        }
    }
}

#[allow(clippy::too_many_arguments)]
async fn perform(
    kube: &Kube,
    storage: &Storage,
    rel: &mut Release,
    labels: &BTreeMap<String, String>,
    previous: &[Target],
    targets: &[Target],
    opts: &UpgradeOptions,
    created: &mut Vec<origan_kube::ObjectRef>,
    mode: ApplyMode,
    progress: Progress<'_>,
) -> Result<(), Error> {
    if !opts.common.no_hooks {
        run_hooks(
            kube,
            rel,
            HookEvent::PreUpgrade,
            opts.common.timeout,
            progress,
        )
        .await
        .map_err(|e| msg(format!("pre-upgrade hooks failed: {e}")))?;
        storage.update(rel, labels).await?;
    }
    *created = apply_targets(kube, targets, previous, &rel.namespace, mode, progress).await?;
    delete_removed(kube, previous, targets, progress).await?;
    if opts.common.wait || opts.common.atomic {
        wait_targets(kube, targets, &opts.common, progress).await?;
    }
    if !opts.common.no_hooks {
        run_hooks(
            kube,
            rel,
            HookEvent::PostUpgrade,
            opts.common.timeout,
            progress,
        )
        .await
        .map_err(|e| msg(format!("post-upgrade hooks failed: {e}")))?;
    }
    Ok(())
}
