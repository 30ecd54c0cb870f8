//! Hooks (Helm's `pkg/action/hooks.go`): the records stored in a release
//! and running the hooks of one event in weight order with their delete
//! policies, waiting for Jobs and Pods. Not here: rendering and sorting
//! hooks out of the manifest (`crate::manifest::hooks`).

use std::time::Duration;

use origan_kube::ready::Rules;
use origan_kube::{Kube, ObjectRef, Propagation, WaitOptions};

use super::install::{Error, Progress, field_manager, msg, now_rfc3339};
use super::resources::{Target, docs_to_json, set_owner};
use crate::manifest::{Hook, HookDeletePolicy, HookEvent};
use crate::release::{HookRecord, HookRun, Release};

/// Rendered hooks as stored in the record.
pub fn hook_records(hooks: &[Hook]) -> Vec<HookRecord> {
    hooks
        .iter()
        .map(|h| HookRecord {
            name: h.name.clone(),
            kind: h.kind.clone(),
            path: h.path.clone(),
            manifest: h.manifest.clone(),
            events: h.events.iter().map(|e| e.as_str().to_string()).collect(),
            last_run: HookRun::default(),
            weight: h.weight,
            delete_policies: h
                .delete_policies
                .iter()
                .map(|p| p.as_str().to_string())
                .collect(),
            output_log_policies: Vec::new(),
        })
        .collect()
}

/// Runs the hooks of `event` (`execHook`): weight then name order, default
/// policy `before-hook-creation`, each applied and watched (Jobs must
/// complete, Pods succeed), `hook-succeeded`/`hook-failed` deletions. The
/// record's `last_run` is updated in `rel`; the caller saves it.
pub async fn run_hooks(
    kube: &Kube,
    rel: &mut Release,
    event: HookEvent,
    timeout: Duration,
    progress: Progress<'_>,
) -> Result<(), Error> {
    let ev = event.as_str();
    let mut idx: Vec<usize> = (0..rel.hooks.len())
        .filter(|i| rel.hooks[*i].events.iter().any(|e| e == ev))
        .collect();
    idx.sort_by(|a, b| {
        let (ha, hb) = (&rel.hooks[*a], &rel.hooks[*b]);
        ha.weight
            .cmp(&hb.weight)
            .then_with(|| ha.name.cmp(&hb.name))
    });
    let ns = rel.namespace.clone();
    let mut done: Vec<(ObjectRef, Vec<String>, String)> = Vec::new();
    for i in idx {
        if rel.hooks[i].delete_policies.is_empty() {
            rel.hooks[i]
                .delete_policies
                .push(HookDeletePolicy::BeforeHookCreation.as_str().into());
        }
        let h = rel.hooks[i].clone();
        let mut targets = Vec::new();
        for mut body in docs_to_json(&h.manifest)? {
            set_owner(&mut body, &rel.name, &ns);
            let (_, r) = kube.locate(&body, &ns).await?;
            targets.push(Target { r, body });
        }
        if h.delete_policies
            .iter()
            .any(|p| p == "before-hook-creation")
        {
            // Only what was there needs waiting for (no watch otherwise).
            let mut refs: Vec<ObjectRef> = Vec::new();
            for t in &targets {
                if kube.delete(&t.r, Propagation::Background).await? {
                    refs.push(t.r.clone());
                }
            }
            if !refs.is_empty() {
                kube.wait_deleted(&refs, timeout).await?;
            }
        }
        rel.hooks[i].last_run = HookRun {
            started_at: now_rfc3339(),
            completed_at: String::new(),
            phase: "Running".into(),
        };
        progress(&format!(
            "running {ev} hook {}/{}",
            h.kind.to_lowercase(),
            h.name
        ));
        let mut outcome: Result<(), Error> = Ok(());
        // Helm's `execHook` creates hooks the way the release applies
        // (`csa`: POST), except delete hooks, always server-side.
        let csa = rel.apply_method == "csa"
            && !matches!(event, HookEvent::PreDelete | HookEvent::PostDelete);
        for t in &targets {
            let created = if csa {
                kube.create(&t.body, &ns, &field_manager())
                    .await
                    .map(|_| ())
            } else {
                kube.apply(&t.body, &ns, &field_manager(), false)
                    .await
                    .map(|_| ())
            };
            if let Err(e) = created {
                outcome = Err(msg(format!("warning: Hook {ev} {} failed: {e}", h.path)));
                break;
            }
        }
        if outcome.is_ok() {
            let refs: Vec<ObjectRef> = targets.iter().map(|t| t.r.clone()).collect();
            let wopts = WaitOptions {
                timeout,
                rules: Rules {
                    jobs_complete: true,
                    hooks_only: true,
                },
            };
            outcome = kube
                .wait_ready(&refs, wopts, progress)
                .await
                .map(|_| ())
                .map_err(|e| msg(format!("{ev} hook {} failed: {e}", h.name)));
        }
        rel.hooks[i].last_run.completed_at = now_rfc3339();
        rel.hooks[i].last_run.phase = if outcome.is_ok() {
            "Succeeded"
        } else {
            "Failed"
        }
        .into();
        let refs: Vec<ObjectRef> = targets.iter().map(|t| t.r.clone()).collect();
        if let Err(e) = outcome {
            if h.delete_policies.iter().any(|p| p == "hook-failed")
                && h.kind != "CustomResourceDefinition"
            {
                for r in &refs {
                    kube.delete(r, Propagation::Background).await?;
                }
            }
            for (r, pols, kind) in &done {
                if pols.iter().any(|p| p == "hook-succeeded") && kind != "CustomResourceDefinition"
                {
                    kube.delete(r, Propagation::Background).await?;
                }
            }
            return Err(e);
        }
        for r in refs {
            done.push((r, h.delete_policies.clone(), h.kind.clone()));
        }
    }
    for (r, pols, kind) in done.iter().rev() {
        if pols.iter().any(|p| p == "hook-succeeded") && kind != "CustomResourceDefinition" {
            kube.delete(r, Propagation::Background).await?;
        }
    }
    Ok(())
}
