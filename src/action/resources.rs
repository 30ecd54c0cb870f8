//! A release's objects: manifests parsed into [`Target`]s with Helm's
//! ownership metadata (`meta.helm.sh/release-*`, `managed-by`), the
//! ownership check before applying (`--take-ownership`), deleting what a new
//! revision dropped (`helm.sh/resource-policy: keep` honoured) and `--wait`.
//! Applying itself is `action::apply`; hooks are `action::hooks`.

use std::collections::HashSet;

use origan_kube::ready::Rules;
use origan_kube::{Kube, ObjectRef, Propagation, WaitOptions};
use origan_yaml::Data;
use serde_json::Value;

use super::install::{CommonOptions, Error, Progress, msg};
use crate::manifest;

/// One object of a release: where it is, and the body we would apply.
#[derive(Clone, Debug)]
pub struct Target {
    /// The object.
    pub r: ObjectRef,
    /// The body (with ownership metadata).
    pub body: Value,
}

/// Parses YAML documents to JSON objects through the project's Go-compatible
/// YAML reader (so `yes`, octal and big numbers read as Helm reads them).
pub fn docs_to_json(text: &str) -> Result<Vec<Value>, Error> {
    let mut out = Vec::new();
    for doc in manifest::split_manifests(text) {
        let data =
            origan_yaml::from_yaml(doc).map_err(|e| msg(format!("error parsing manifest: {e}")))?;
        if matches!(data, Data::Null) {
            continue;
        }
        let json = origan_yaml::to_json(&data).map_err(|e| msg(e.to_string()))?;
        let v: Value = serde_json::from_str(&json).map_err(|e| msg(e.to_string()))?;
        match v {
            Value::Object(ref m)
                if m.get("kind")
                    .and_then(Value::as_str)
                    .is_some_and(|k| k.ends_with("List"))
                    && m.contains_key("items") =>
            {
                if let Some(Value::Array(items)) = m.get("items") {
                    out.extend(items.iter().cloned());
                }
            }
            Value::Object(_) => out.push(v),
            _ => {}
        }
    }
    Ok(out)
}

/// `setMetadataVisitor(name, ns, force=true)`.
pub fn set_owner(obj: &mut Value, name: &str, ns: &str) {
    let meta = obj.as_object_mut().map(|o| {
        o.entry("metadata")
            .or_insert_with(|| Value::Object(Default::default()))
    });
    let Some(Value::Object(meta)) = meta else {
        return;
    };
    let labels = meta
        .entry("labels")
        .or_insert_with(|| Value::Object(Default::default()));
    if !labels.is_object() {
        *labels = Value::Object(Default::default());
    }
    labels["app.kubernetes.io/managed-by"] = Value::String("Helm".into());
    let ann = meta
        .entry("annotations")
        .or_insert_with(|| Value::Object(Default::default()));
    if !ann.is_object() {
        *ann = Value::Object(Default::default());
    }
    ann["meta.helm.sh/release-name"] = Value::String(name.into());
    ann["meta.helm.sh/release-namespace"] = Value::String(ns.into());
}

/// Builds the targets of a manifest: located, with ownership metadata.
pub async fn build(
    kube: &Kube,
    manifest_text: &str,
    name: &str,
    ns: &str,
) -> Result<Vec<Target>, Error> {
    let mut out = Vec::new();
    for mut body in docs_to_json(manifest_text)? {
        set_owner(&mut body, name, ns);
        let (_, r) = kube.locate(&body, ns).await?;
        out.push(Target { r, body });
    }
    Ok(out)
}

/// `checkOwnership` against a live object.
fn ownership_errors(live: &Value, name: &str, ns: &str) -> Vec<String> {
    let mut errs = Vec::new();
    let label = live
        .pointer("/metadata/labels/app.kubernetes.io~1managed-by")
        .and_then(Value::as_str);
    if label != Some("Helm") {
        errs.push(match label {
            None => "label validation error: missing key \"app.kubernetes.io/managed-by\": must be set to \"Helm\"".to_string(),
            Some(v) => format!("label validation error: key \"app.kubernetes.io/managed-by\" must equal \"Helm\": current value is \"{v}\""),
        });
    }
    for (key, want) in [
        ("meta.helm.sh/release-name", name),
        ("meta.helm.sh/release-namespace", ns),
    ] {
        let got = live
            .pointer(&format!("/metadata/annotations/{}", key.replace('/', "~1")))
            .and_then(Value::as_str);
        if got != Some(want) {
            errs.push(match got {
                None => format!("annotation validation error: missing key \"{key}\": must be set to \"{want}\""),
                Some(v) => format!("annotation validation error: key \"{key}\" must equal \"{want}\": current value is \"{v}\""),
            });
        }
    }
    errs
}

/// `existingResourceConflict`: objects that exist must belong to this
/// release, unless `--take-ownership`.
pub async fn check_ownership(
    kube: &Kube,
    targets: &[&Target],
    name: &str,
    ns: &str,
    take: bool,
) -> Result<(), Error> {
    if take {
        return Ok(());
    }
    // The GETs run concurrently (bounded); the first conflict in manifest
    // order is reported, as Helm's sequential visitor would.
    use futures::StreamExt;
    let lives: Vec<_> = futures::stream::iter(targets.iter().map(|t| kube.get(&t.r)))
        .buffered(16)
        .collect()
        .await;
    for (t, live) in targets.iter().zip(lives) {
        if let Some(live) = live? {
            let live = serde_json::to_value(&live).unwrap_or(Value::Null);
            let errs = ownership_errors(&live, name, ns);
            if !errs.is_empty() {
                return Err(msg(format!(
                    "unable to continue with install: {} \"{}\" in namespace \"{}\" exists and cannot be imported into the current release: invalid ownership metadata; {}",
                    t.r.kind,
                    t.r.name,
                    t.r.namespace,
                    errs.join("; ")
                )));
            }
        }
    }
    Ok(())
}

/// Whether namespace `ns` exists.
pub async fn namespace_exists(kube: &Kube, ns: &str) -> Result<bool, Error> {
    let r = ObjectRef {
        api_version: "v1".into(),
        kind: "Namespace".into(),
        namespace: String::new(),
        name: ns.into(),
    };
    Ok(kube.get(&r).await?.is_some())
}

/// Deletes what the previous revision had and the new one has not, unless
/// the live object says `helm.sh/resource-policy: keep` (Helm's `Update`).
pub async fn delete_removed(
    kube: &Kube,
    previous: &[Target],
    targets: &[Target],
    progress: Progress<'_>,
) -> Result<(), Error> {
    let keep: HashSet<_> = targets.iter().map(|t| t.r.identity()).collect();
    for p in previous {
        if keep.contains(&p.r.identity()) {
            continue;
        }
        let Some(live) = kube.get(&p.r).await? else {
            continue;
        };
        let live = serde_json::to_value(&live).unwrap_or(Value::Null);
        if live
            .pointer("/metadata/annotations/helm.sh~1resource-policy")
            .and_then(Value::as_str)
            == Some("keep")
        {
            progress(&format!(
                "{} kept (helm.sh/resource-policy: keep)",
                p.r.short()
            ));
            continue;
        }
        kube.delete(&p.r, Propagation::Background).await?;
        progress(&format!("{} deleted", p.r.short()));
    }
    Ok(())
}

/// `--wait`: waits for the targets with a visible progress.
pub async fn wait_targets(
    kube: &Kube,
    targets: &[Target],
    opts: &CommonOptions,
    progress: Progress<'_>,
) -> Result<(), Error> {
    let refs: Vec<ObjectRef> = targets.iter().map(|t| t.r.clone()).collect();
    let wopts = WaitOptions {
        timeout: opts.timeout,
        rules: Rules {
            jobs_complete: opts.wait_for_jobs,
            hooks_only: false,
        },
    };
    kube.wait_ready(&refs, wopts, progress).await?;
    Ok(())
}
