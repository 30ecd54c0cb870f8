//! `rollback NAME [REVISION]` (Helm's `pkg/action/rollback.go`): a new
//! revision replaying an older one's manifest and hooks.

use origan_kube::{Kube, Propagation};

use super::apply::{ApplyMode, apply_method, apply_targets};
use super::hooks::run_hooks;
use super::install::{CommonOptions, Error, Progress, lock, msg, now_rfc3339};
use super::resources::{build, delete_removed, wait_targets};
use crate::manifest::HookEvent;
use crate::release::driver::Storage;
use crate::release::{Release, Status};

/// Options of `rollback`.
#[derive(Clone, Debug, Default)]
pub struct RollbackOptions {
    /// Shared options.
    pub common: CommonOptions,
    /// `--cleanup-on-fail`
    pub cleanup_on_fail: bool,
    /// `--history-max`
    pub history_max: usize,
    /// Target revision; 0 = the previous one.
    pub revision: u32,
}

/// `rollback NAME [REVISION]`.
pub async fn rollback(
    kube: &Kube,
    storage: &Storage,
    name: &str,
    ns: &str,
    opts: &RollbackOptions,
    progress: Progress<'_>,
) -> Result<Release, Error> {
    super::install::validate_name(name)?;
    let guard = lock(kube, storage, ns, name, "rollback", progress).await?;
    let out = rollback_locked(kube, storage, name, ns, opts, progress).await;
    guard.release().await?;
    out
}

pub(crate) async fn rollback_locked(
    kube: &Kube,
    storage: &Storage,
    name: &str,
    ns: &str,
    opts: &RollbackOptions,
    progress: Progress<'_>,
) -> Result<Release, Error> {
    let hist = storage.history_meta(ns, name).await?;
    let Some(last) = hist.last() else {
        return Err(msg("release: not found"));
    };
    let target_v = if opts.revision == 0 {
        last.version.saturating_sub(1)
    } else {
        opts.revision
    };
    if !hist.iter().any(|m| m.version == target_v) {
        return Err(msg(format!("release has no {target_v} version")));
    }
    let (current, current_labels) = storage.get(ns, name, last.version).await?;
    let (target, _) = storage.get(ns, name, target_v).await?;
    // `--server-side=auto` follows the revision rolled back to; Helm's
    // rollback always asks for the managed-fields upgrade.
    let mode = ApplyMode {
        ssa: opts.common.server_side.resolve(&target.apply_method),
        force_conflicts: opts.common.force_conflicts,
        force_replace: opts.common.force_replace,
        upgrade_managed_fields: true,
        three_way_unstructured: false,
    };
    mode.check()?;
    let mut rel = Release {
        name: name.into(),
        chart: target.chart.clone(),
        config: target.config.clone(),
        manifest: target.manifest.clone(),
        hooks: target.hooks.clone(),
        version: last.version + 1,
        namespace: ns.into(),
        apply_method: apply_method(mode.ssa),
        ..Release::default()
    };
    rel.info.first_deployed = current.info.first_deployed.clone();
    rel.info.last_deployed = now_rfc3339();
    rel.info.notes = target.info.notes.clone();
    rel.info.status = Status::PendingRollback;
    rel.info.description = format!("Rollback to {target_v}");
    storage.prune(ns, name, opts.history_max).await?;
    storage.create(&rel, &current_labels).await?;
    let previous = build(kube, &current.manifest, name, ns).await?;
    let targets = build(kube, &rel.manifest, name, ns).await?;
    if !opts.common.no_hooks {
        run_hooks(
            kube,
            &mut rel,
            HookEvent::PreRollback,
            opts.common.timeout,
            progress,
        )
        .await?;
    }
    let created = match apply_targets(kube, &targets, &previous, ns, mode, progress).await {
        Ok(c) => c,
        Err(e) => {
            rel.info.status = Status::Failed;
            rel.info.description = format!("Rollback \"{name}\" failed: {e}");
            storage.update(&rel, &current_labels).await?;
            return Err(e);
        }
    };
    let fail = |e: Error| e;
    let result = async {
        delete_removed(kube, &previous, &targets, progress).await?;
        if opts.common.wait {
            wait_targets(kube, &targets, &opts.common, progress).await?;
        }
        if !opts.common.no_hooks {
            run_hooks(
                kube,
                &mut rel,
                HookEvent::PostRollback,
                opts.common.timeout,
                progress,
            )
            .await?;
        }
        Ok::<(), Error>(())
    }
    .await
    .map_err(fail);
    if let Err(e) = result {
        rel.info.status = Status::Failed;
        rel.info.description = format!("Release \"{name}\" failed: {e}");
        storage.update(&rel, &current_labels).await?;
        if opts.cleanup_on_fail {
            for r in &created {
                let _ = kube.delete(r, Propagation::Background).await;
            }
        }
        return Err(e);
    }
    for m in storage
        .history_meta(ns, name)
        .await?
        .iter()
        .filter(|m| m.status == Status::Deployed)
    {
        let (mut r, l) = storage.get(ns, name, m.version).await?;
        r.info.status = Status::Superseded;
        storage.update(&r, &l).await?;
    }
    rel.info.status = Status::Deployed;
    storage.update(&rel, &current_labels).await?;
    Ok(rel)
}
