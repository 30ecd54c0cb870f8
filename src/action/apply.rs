//! How a release's objects reach the cluster (Helm 4's `pkg/kube/client.go`
//! `Create`/`Update`): server-side apply, client-side patch (smp.rs), or replace
//! (`--force-replace`); the `--server-side=auto|true|false` decision and the
//! release's `apply_method`; the client-side → server-side managed-fields
//! upgrade; `--dry-run=server` validation.
//! Does not own: ownership checks, deletion of removed objects, hooks and
//! waiting (install.rs), the HTTP calls themselves (crates/kube).

use std::collections::BTreeMap;

use origan_kube::{Kube, ObjectRef};
use serde_json::{Map, Value};

use super::install::{Error, Progress, field_manager, msg};
use super::resources::Target;

/// `--server-side`: Helm 4's install takes a boolean (default true);
/// upgrade and rollback take `auto` (default), `true` or `false`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ServerSide {
    /// Follow the previous release's `apply_method`.
    #[default]
    Auto,
    /// Server-side apply.
    True,
    /// Client-side patch.
    False,
}

impl ServerSide {
    /// Parses Helm's values; the error is Helm's wording.
    pub fn parse(s: &str) -> Result<ServerSide, String> {
        match s {
            "auto" => Ok(ServerSide::Auto),
            "true" => Ok(ServerSide::True),
            "false" => Ok(ServerSide::False),
            other => Err(format!(
                "invalid/unknown release server-side apply method: {other}"
            )),
        }
    }

    /// Helm's `getUpgradeServerSideValue`: `auto` is server-side only when
    /// the release it follows recorded `ssa` (a Helm 3 record has none).
    pub fn resolve(self, previous_method: &str) -> bool {
        match self {
            ServerSide::Auto => previous_method == "ssa",
            ServerSide::True => true,
            ServerSide::False => false,
        }
    }

    /// Install: only `false` turns server-side apply off (`upgrade
    /// --install` passes `ServerSideApply != "false"`).
    pub fn for_install(self) -> bool {
        self != ServerSide::False
    }
}

/// The release record's `apply_method` as Helm writes it.
pub fn apply_method(ssa: bool) -> String {
    if ssa { "ssa" } else { "csa" }.to_string()
}

/// Helm's `isReleaseApplyMethodClientSideApply`: empty counts as
/// client-side.
pub fn is_csa(method: &str) -> bool {
    method.is_empty() || method == "csa"
}

/// How one operation updates objects.
#[derive(Clone, Copy, Debug, Default)]
pub struct ApplyMode {
    /// Server-side apply (else client-side patch or create).
    pub ssa: bool,
    /// `--force-conflicts` (server-side only).
    pub force_conflicts: bool,
    /// `--force-replace`: existing objects are replaced (`PUT`).
    pub force_replace: bool,
    /// Move the manager's client-side field ownership to its server-side
    /// entry before applying (the release switches from CSA to SSA).
    pub upgrade_managed_fields: bool,
    /// Client-side patches of custom resources are three-way (Helm: only
    /// when an install takes ownership), else two-way.
    pub three_way_unstructured: bool,
}

impl ApplyMode {
    /// Helm's option checks in `Client.Update`. origanctl runs them before
    /// anything is recorded, where Helm fails the new revision.
    pub fn check(&self) -> Result<(), Error> {
        if self.force_conflicts && self.force_replace {
            return Err(msg(
                "invalid operation: cannot use force conflicts and force replace together",
            ));
        }
        if self.ssa && self.force_replace {
            return Err(msg(
                "invalid operation: cannot use server-side apply and force replace together (add --server-side=false)",
            ));
        }
        if !self.ssa && self.force_conflicts {
            return Err(msg(
                "invalid client update option(s): forceConflicts enabled when serverSideApply disabled",
            ));
        }
        Ok(())
    }
}

/// RFC 7386 merge patch turning `from` into `to` (jsonpatch
/// `CreateMergePatch`): removed keys become `null`, arrays are replaced.
fn merge_diff(from: &Value, to: &Value) -> Value {
    match (from, to) {
        (Value::Object(a), Value::Object(b)) => {
            let mut out = Map::new();
            for k in a.keys() {
                if !b.contains_key(k) {
                    out.insert(k.clone(), Value::Null);
                }
            }
            for (k, v) in b {
                match a.get(k) {
                    Some(old) if old == v => {}
                    Some(old) if old.is_object() && v.is_object() => {
                        let d = merge_diff(old, v);
                        if d.as_object().is_some_and(|m| !m.is_empty()) {
                            out.insert(k.clone(), d);
                        }
                    }
                    _ => {
                        out.insert(k.clone(), v.clone());
                    }
                }
            }
            Value::Object(out)
        }
        _ => to.clone(),
    }
}

/// `keepOrDeleteNullInObj`: with `keep_nulls`, only the deletions of a
/// patch; without, everything but them. Emptied maps are dropped.
fn filter_nulls(patch: &Value, keep_nulls: bool) -> Value {
    let Value::Object(m) = patch else {
        return patch.clone();
    };
    let mut out = Map::new();
    for (k, v) in m {
        match v {
            Value::Null if keep_nulls => {
                out.insert(k.clone(), Value::Null);
            }
            Value::Null => {}
            Value::Object(_) => {
                let f = filter_nulls(v, keep_nulls);
                if f.as_object().is_some_and(|o| !o.is_empty()) {
                    out.insert(k.clone(), f);
                }
            }
            _ if !keep_nulls => {
                out.insert(k.clone(), v.clone());
            }
            _ => {}
        }
    }
    Value::Object(out)
}

fn merge_into(dst: &mut Value, src: &Value) {
    match (dst, src) {
        (Value::Object(d), Value::Object(s)) => {
            for (k, v) in s {
                match d.get_mut(k) {
                    Some(x) if x.is_object() && v.is_object() => merge_into(x, v),
                    _ => {
                        d.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (d, s) => *d = s.clone(),
    }
}

/// kubectl's `CreateThreeWayJSONMergePatch(original, modified, current)`,
/// which Helm's client-side path uses: the changes from the live object to
/// the desired one (additions and changes only, so fields the server or
/// other actors set survive) plus the deletions from the previous
/// revision's object to the desired one.
pub fn three_way_merge_patch(original: &Value, modified: &Value, current: &Value) -> Value {
    let deltas = filter_nulls(&merge_diff(current, modified), false);
    let deletions = filter_nulls(&merge_diff(original, modified), true);
    let mut out = deletions;
    merge_into(&mut out, &deltas);
    out
}

/// Applies targets in install order, consecutive objects of one kind
/// concurrently (as Helm's `batchPerform`), skipping those whose desired
/// body equals what the previous revision applied and that still exist: a
/// no-change upgrade sends no PATCH at all (`--force-replace` replaces
/// every existing object, as Helm does). Objects the previous revision did
/// not have are looked up first, so the refs returned are only those that
/// did not exist before (what `--cleanup-on-fail` may delete).
pub async fn apply_targets(
    kube: &Kube,
    targets: &[Target],
    previous: &[Target],
    ns: &str,
    mode: ApplyMode,
    progress: Progress<'_>,
) -> Result<Vec<ObjectRef>, Error> {
    mode.check()?;
    let prev: BTreeMap<_, &Value> = previous.iter().map(|t| (t.r.identity(), &t.body)).collect();
    let mut created = Vec::new();
    let mut i = 0;
    while i < targets.len() {
        let mut j = i;
        while j < targets.len() && targets[j].r.kind == targets[i].r.kind {
            j += 1;
        }
        let mut set = tokio::task::JoinSet::new();
        for t in &targets[i..j] {
            let before = prev.get(&t.r.identity()).map(|b| (*b).clone());
            let (kube, t, ns) = (kube.clone(), t.clone(), ns.to_string());
            set.spawn(async move { apply_one(&kube, &t, before, &ns, mode).await });
        }
        let mut first_err = None;
        while let Some(res) = set.join_next().await {
            match res
                .map_err(|e| msg(e.to_string()))
                .and_then(|r| r.map_err(Error::from))
            {
                Ok((r, Some(what))) => {
                    progress(&format!("{} {what}", r.short()));
                    if what == "created" {
                        created.push(r);
                    }
                }
                Ok((_, None)) => {}
                Err(e) => {
                    first_err.get_or_insert(e);
                }
            }
        }
        if let Some(e) = first_err {
            return Err(e);
        }
        i = j;
    }
    Ok(created)
}

/// One object: created, updated by the mode's strategy, or left alone.
async fn apply_one(
    kube: &Kube,
    t: &Target,
    before: Option<Value>,
    ns: &str,
    mode: ApplyMode,
) -> Result<(ObjectRef, Option<&'static str>), origan_kube::Error> {
    let fm = field_manager();
    let unchanged = before.as_ref() == Some(&t.body);
    if mode.ssa && !mode.upgrade_managed_fields && !mode.force_replace && !unchanged {
        // The API server answers 201 when the apply created the object: no
        // GET beforehand to tell created from configured.
        let (_, created) = kube
            .apply_status(&t.body, ns, &fm, mode.force_conflicts)
            .await?;
        return Ok((
            t.r.clone(),
            Some(if created { "created" } else { "configured" }),
        ));
    }
    let Some(live) = kube.get(&t.r).await? else {
        if mode.ssa {
            kube.apply(&t.body, ns, &fm, mode.force_conflicts).await?;
        } else {
            kube.create(&t.body, ns, &fm).await?;
        }
        return Ok((t.r.clone(), Some("created")));
    };
    if mode.ssa && mode.upgrade_managed_fields {
        kube.upgrade_managed_fields(&t.r, &fm).await?;
    }
    if mode.force_replace {
        kube.replace(&t.body, ns, &fm).await?;
        return Ok((t.r.clone(), Some("replaced")));
    }
    if unchanged {
        return Ok((t.r.clone(), None));
    }
    if mode.ssa {
        kube.apply(&t.body, ns, &fm, mode.force_conflicts).await?;
    } else {
        // Helm 4: an object that exists but was not in the previous
        // revision uses the live object as the original.
        let live = serde_json::to_value(&live).unwrap_or(Value::Null);
        let original = before.unwrap_or_else(|| live.clone());
        let meta = kube.patch_meta(&t.r.api_version, &t.r.kind).await?;
        let patch = match &meta {
            Some(meta) => super::smp::three_way_strategic(&original, &t.body, &live, meta),
            None if mode.three_way_unstructured => three_way_merge_patch(&original, &t.body, &live),
            None => merge_diff(&original, &t.body),
        };
        if patch.as_object().is_none_or(|m| m.is_empty()) {
            return Ok((t.r.clone(), None));
        }
        kube.client_patch(&t.r, &patch, meta.is_some(), &fm).await?;
    }
    Ok((t.r.clone(), Some("configured")))
}

/// `--dry-run=server`: every object goes through a dry-run server-side
/// apply, so the API server validates (strict fields) and admits it while
/// nothing is persisted. Objects of a namespace that does not exist yet
/// (`--create-namespace`) cannot be checked and are skipped.
pub async fn validate_on_server(
    kube: &Kube,
    targets: &[Target],
    ns: &str,
    namespace_missing: bool,
) -> Result<(), Error> {
    for t in targets {
        if namespace_missing && t.r.namespace == ns {
            continue;
        }
        kube.apply_dry_run(&t.body, ns, &field_manager())
            .await
            .map_err(|e| msg(format!("dry-run=server: {e}")))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn three_way_patch_keeps_server_fields_and_deletes_removed_ones() {
        let original = json!({"data": {"a": "1", "gone": "x"}, "metadata": {"name": "c"}});
        let modified = json!({"data": {"a": "2"}, "metadata": {"name": "c"}});
        let current = json!({"data": {"a": "1", "gone": "x", "other": "y"},
            "metadata": {"name": "c", "uid": "u", "resourceVersion": "9"}});
        let p = three_way_merge_patch(&original, &modified, &current);
        assert_eq!(p, json!({"data": {"a": "2", "gone": null}}));
        assert_eq!(
            three_way_merge_patch(&modified, &modified, &current)["data"],
            json!({"a": "2"})
        );
        let same = three_way_merge_patch(&modified, &modified, &modified);
        assert_eq!(same, json!({}));
    }

    #[test]
    fn server_side_values() {
        assert!(ServerSide::Auto.resolve("ssa"));
        assert!(!ServerSide::Auto.resolve(""));
        assert!(!ServerSide::Auto.resolve("csa"));
        assert!(ServerSide::True.resolve("csa"));
        assert!(ServerSide::parse("maybe").is_err());
        assert!(
            ApplyMode {
                ssa: true,
                force_replace: true,
                ..Default::default()
            }
            .check()
            .is_err()
        );
    }
}
