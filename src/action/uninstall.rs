//! `uninstall NAME` (Helm's `pkg/action/uninstall.go`): pre-delete hooks,
//! deletion in uninstall order honouring `helm.sh/resource-policy: keep`
//! from the stored manifest, post-delete hooks, then purge or keep history.

use std::time::Duration;

use origan_kube::{Kube, ObjectRef, Propagation};

use super::hooks::run_hooks;
use super::install::{Error, Progress, lock, msg, now_rfc3339};
use super::resources::docs_to_json;
use crate::manifest::{self, HookEvent, UNINSTALL_ORDER, sort_by_kind};
use crate::release::Status;
use crate::release::driver::{self, Storage};

/// Options of `uninstall`.
#[derive(Clone, Debug)]
pub struct UninstallOptions {
    /// `--keep-history`
    pub keep_history: bool,
    /// `--wait`
    pub wait: bool,
    /// `--no-hooks`
    pub no_hooks: bool,
    /// `--ignore-not-found`
    pub ignore_not_found: bool,
    /// `--timeout`
    pub timeout: Duration,
    /// `--description`
    pub description: Option<String>,
    /// `--cascade background|orphan|foreground`
    pub cascade: Propagation,
}

impl Default for UninstallOptions {
    fn default() -> Self {
        UninstallOptions {
            keep_history: false,
            wait: false,
            no_hooks: false,
            ignore_not_found: false,
            timeout: Duration::from_secs(300),
            description: None,
            cascade: Propagation::Background,
        }
    }
}

/// What uninstall did.
#[derive(Debug, Default)]
pub struct Uninstalled {
    /// `These resources were kept due to the resource policy:` lines.
    pub kept: Vec<String>,
    /// The release did not exist (`--ignore-not-found`).
    pub not_found: bool,
}

/// `uninstall NAME`.
pub async fn uninstall(
    kube: &Kube,
    storage: &Storage,
    name: &str,
    ns: &str,
    opts: &UninstallOptions,
    progress: Progress<'_>,
) -> Result<Uninstalled, Error> {
    let guard = lock(kube, storage, ns, name, "uninstall", progress).await?;
    let out = uninstall_locked(kube, storage, name, ns, opts, progress).await;
    guard.release().await?;
    out
}

pub(crate) async fn uninstall_locked(
    kube: &Kube,
    storage: &Storage,
    name: &str,
    ns: &str,
    opts: &UninstallOptions,
    progress: Progress<'_>,
) -> Result<Uninstalled, Error> {
    let hist = storage.history_meta(ns, name).await?;
    let Some(last) = hist.last() else {
        if opts.ignore_not_found {
            return Ok(Uninstalled {
                not_found: true,
                ..Default::default()
            });
        }
        return Err(msg(format!(
            "uninstall: Release not loaded: {name}: release: not found"
        )));
    };
    if last.status == Status::Uninstalled {
        if opts.keep_history {
            return Err(msg(format!(
                "the release named \"{name}\" is already deleted"
            )));
        }
        purge(storage, ns, name, &hist).await?;
        return Ok(Uninstalled::default());
    }
    let (mut rel, labels) = storage.get(ns, name, last.version).await?;
    rel.info.status = Status::Uninstalling;
    rel.info.deleted = now_rfc3339();
    rel.info.description = "Deletion in progress (or silently failed)".into();
    if !opts.no_hooks {
        run_hooks(kube, &mut rel, HookEvent::PreDelete, opts.timeout, progress).await?;
    }
    storage.update(&rel, &labels).await?;

    // Split the stored manifest, sort for uninstall, leave `keep` ones.
    let mut docs: Vec<(String, String)> = Vec::new();
    let mut kept = Vec::new();
    for doc in manifest::split_manifests(&rel.manifest) {
        let head = origan_yaml::parse_head(doc).map_err(|e| msg(e.to_string()))?;
        let hname = head.name.clone().unwrap_or_default();
        match head.annotations.get("helm.sh/resource-policy") {
            Some(p) if p.trim().eq_ignore_ascii_case("keep") => {
                kept.push(format!("[{}] {}", head.kind, hname))
            }
            // Helm's quirk: any other value puts the document in neither list.
            Some(_) => {}
            None => docs.push((head.kind.clone(), doc.to_string())),
        }
    }
    sort_by_kind(&mut docs, UNINSTALL_ORDER, |d| d.0.as_str());
    let mut deleted: Vec<ObjectRef> = Vec::new();
    let mut errors = Vec::new();
    for (_, doc) in &docs {
        for body in docs_to_json(doc)? {
            let r = match kube.locate(&body, ns).await {
                Ok((_, r)) => r,
                // The kind is gone (CRD deleted): nothing to delete.
                Err(origan_kube::Error::UnknownKind { .. }) => continue,
                Err(e) => return Err(e.into()),
            };
            match kube.delete(&r, opts.cascade).await {
                Ok(true) => {
                    progress(&format!("{} deleted", r.short()));
                    deleted.push(r);
                }
                Ok(false) => {}
                Err(e) => errors.push(e.to_string()),
            }
        }
    }
    if opts.wait {
        kube.wait_deleted(&deleted, opts.timeout).await?;
    }
    if !opts.no_hooks {
        run_hooks(
            kube,
            &mut rel,
            HookEvent::PostDelete,
            opts.timeout,
            progress,
        )
        .await?;
    }
    rel.info.status = Status::Uninstalled;
    rel.info.description = opts
        .description
        .clone()
        .unwrap_or_else(|| "Uninstallation complete".into());
    if opts.keep_history {
        storage.update(&rel, &labels).await?;
        for m in hist
            .iter()
            .filter(|m| m.status == Status::Deployed && m.version != rel.version)
        {
            let (mut r, l) = storage.get(ns, name, m.version).await?;
            r.info.status = Status::Superseded;
            storage.update(&r, &l).await?;
        }
    } else {
        purge(storage, ns, name, &hist).await?;
    }
    if !errors.is_empty() {
        return Err(msg(format!(
            "uninstallation completed with {} error(s): {}",
            errors.len(),
            errors.join("; ")
        )));
    }
    Ok(Uninstalled {
        kept,
        not_found: false,
    })
}

async fn purge(
    storage: &Storage,
    ns: &str,
    name: &str,
    hist: &[driver::RecordMeta],
) -> Result<(), Error> {
    for m in hist {
        match storage.delete(ns, name, m.version).await {
            Ok(()) | Err(driver::Error::NotFound) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}
