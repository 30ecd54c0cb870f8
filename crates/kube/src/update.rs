//! The update strategies besides server-side apply that Helm 4's
//! `pkg/kube/client.go` `Update` offers: replace (`PUT`, `--force-replace`),
//! client-side patch (`PATCH` with a JSON merge patch, `--server-side=false`),
//! the client-side → server-side managed-fields upgrade (`csaupgrade`), and a
//! dry-run server-side apply for `--dry-run=server`.
//! Does not own: which strategy a release uses (src/action/apply.rs), plain
//! server-side apply, get and delete (objects.rs).

use kube::api::{DynamicObject, Patch, PatchParams, PostParams, ValidationDirective};
use serde_json::{Map, Value};

use crate::{Error, Kube, ObjectRef};

impl Kube {
    /// Replaces a live object with `obj` (`PUT`), taking the live
    /// `resourceVersion` when `obj` has none, as Helm's
    /// `resource.Helper.Replace(…, overwrite=true, …)` does.
    pub async fn replace(
        &self,
        obj: &Value,
        default_ns: &str,
        field_manager: &str,
    ) -> Result<DynamicObject, Error> {
        let (info, r) = self.locate(obj, default_ns).await?;
        let mut body = obj.clone();
        if info.namespaced {
            body["metadata"]["namespace"] = Value::String(r.namespace.clone());
        }
        let api = self.api(&info, &r.namespace);
        if body
            .pointer("/metadata/resourceVersion")
            .is_none_or(|v| v.as_str().is_none_or(str::is_empty))
        {
            let live = api
                .get(&r.name)
                .await
                .map_err(|e| Error::api(format!("getting {r}"), e))?;
            body["metadata"]["resourceVersion"] =
                Value::String(live.metadata.resource_version.unwrap_or_default());
        }
        let typed: DynamicObject =
            serde_json::from_value(body).map_err(|e| Error::Invalid(e.to_string()))?;
        let pp = PostParams {
            field_manager: Some(field_manager.to_string()),
            ..PostParams::default()
        };
        crate::objects::APPLY_COUNT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        api.replace(&r.name, &pp, &typed)
            .await
            .map_err(|e| Error::api(format!("failed to replace object {r}"), e))
    }

    /// Sends a client-side patch under `field_manager`: a strategic merge
    /// patch (`application/strategic-merge-patch+json`, built-in kinds) or
    /// a JSON merge patch (`application/merge-patch+json`).
    pub async fn client_patch(
        &self,
        r: &ObjectRef,
        patch: &Value,
        strategic: bool,
        field_manager: &str,
    ) -> Result<DynamicObject, Error> {
        let info = self.info_for(r).await?;
        let params = PatchParams {
            field_manager: Some(field_manager.to_string()),
            ..PatchParams::default()
        };
        crate::objects::APPLY_COUNT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.api(&info, &r.namespace)
            .patch(
                &r.name,
                &params,
                &if strategic {
                    Patch::Strategic(patch)
                } else {
                    Patch::Merge(patch)
                },
            )
            .await
            .map_err(|e| Error::api(format!("cannot patch {:?} with kind {}", r.name, r.kind), e))
    }

    /// Server-side apply with `dryRun=All`: the API server validates and
    /// admits the object (strict field validation) and persists nothing.
    pub async fn apply_dry_run(
        &self,
        obj: &Value,
        default_ns: &str,
        field_manager: &str,
    ) -> Result<(), Error> {
        let (info, r) = self.locate(obj, default_ns).await?;
        let mut body = obj.clone();
        if info.namespaced {
            body["metadata"]["namespace"] = Value::String(r.namespace.clone());
        }
        let mut params = PatchParams::apply(field_manager).dry_run();
        params.field_validation = Some(ValidationDirective::Strict);
        self.api(&info, &r.namespace)
            .patch(&r.name, &params, &Patch::Apply(&body))
            .await
            .map(|_| ())
            .map_err(|e| Error::api(format!("dry-run apply of {r}"), e))
    }

    /// Helm's `upgradeClientSideFieldManager` (client-go `csaupgrade`): the
    /// fields `csa_manager` owns through `Update` operations move into its
    /// `Apply` entry, so that a later server-side apply by the same manager
    /// can remove them. Returns whether the object needed it.
    ///
    /// The new list is sent with the live `resourceVersion` as a merge
    /// patch, so a concurrent writer makes it fail with a conflict instead
    /// of losing their entry.
    pub async fn upgrade_managed_fields(
        &self,
        r: &ObjectRef,
        manager: &str,
    ) -> Result<bool, Error> {
        let Some(live) = self.get(r).await? else {
            return Ok(false);
        };
        let live = serde_json::to_value(&live).map_err(|e| Error::Invalid(e.to_string()))?;
        let entries = live
            .pointer("/metadata/managedFields")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let Some(fields) = upgraded_managed_fields(&entries, manager) else {
            return Ok(false);
        };
        let rv = live
            .pointer("/metadata/resourceVersion")
            .cloned()
            .unwrap_or(Value::Null);
        let patch =
            serde_json::json!({"metadata": {"managedFields": fields, "resourceVersion": rv}});
        let info = self.info_for(r).await?;
        let params = PatchParams {
            field_manager: Some(manager.to_string()),
            ..PatchParams::default()
        };
        self.api(&info, &r.namespace)
            .patch(&r.name, &params, &Patch::Merge(&patch))
            .await
            .map_err(|e| {
                Error::api(
                    format!("failed to patch object to upgrade CSA field manager {r}"),
                    e,
                )
            })?;
        Ok(true)
    }
}

fn is_entry(e: &Value, manager: &str, operation: &str) -> bool {
    e.get("manager").and_then(Value::as_str) == Some(manager)
        && e.get("operation").and_then(Value::as_str) == Some(operation)
        && e.get("subresource")
            .and_then(Value::as_str)
            .is_none_or(str::is_empty)
}

/// Union of two `fieldsV1` tries.
fn union_fields(a: &mut Value, b: &Value) {
    match (a, b) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in b {
                match a.get_mut(k) {
                    Some(x) => union_fields(x, v),
                    None => {
                        a.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (a, b) if a.is_null() => *a = b.clone(),
        _ => {}
    }
}

/// csaupgrade's `UpgradeManagedFields` on a managedFields list: `None`
/// when there is no `Update` entry of `manager` to convert.
pub fn upgraded_managed_fields(entries: &[Value], manager: &str) -> Option<Vec<Value>> {
    let mut entries = entries.to_vec();
    let mut converted = false;
    let target = match entries.iter().position(|e| is_entry(e, manager, "Apply")) {
        Some(i) => i,
        None => {
            let i = entries
                .iter()
                .position(|e| is_entry(e, manager, "Update"))?;
            entries[i]["operation"] = Value::String("Apply".into());
            converted = true;
            i
        }
    };
    let api_version = entries[target].get("apiVersion").cloned();
    let source = entries.iter().position(|e| {
        is_entry(e, manager, "Update") && e.get("apiVersion").cloned() == api_version
    });
    if let Some(s) = source {
        let from = entries[s]
            .get("fieldsV1")
            .cloned()
            .unwrap_or(Value::Object(Map::new()));
        let into = entries[target]
            .as_object_mut()
            .map(|o| o.entry("fieldsV1").or_insert(Value::Object(Map::new())));
        if let Some(into) = into {
            union_fields(into, &from);
        }
    }
    let before = entries.len();
    entries.retain(|e| !is_entry(e, manager, "Update"));
    if !converted && before == entries.len() {
        return None;
    }
    Some(entries)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn converts_update_entry_into_apply() {
        let e = vec![
            json!({"manager": "helm", "operation": "Update", "apiVersion": "v1", "fieldsV1": {"f:data": {"f:a": {}}}}),
            json!({"manager": "kubectl", "operation": "Update", "apiVersion": "v1", "fieldsV1": {"f:data": {"f:b": {}}}}),
        ];
        let out = upgraded_managed_fields(&e, "helm").unwrap();
        assert_eq!(out.len(), 2);
        assert_eq!(out[0]["operation"], "Apply");
        assert_eq!(out[1]["manager"], "kubectl");
    }

    #[test]
    fn unions_update_into_existing_apply() {
        let e = vec![
            json!({"manager": "helm", "operation": "Apply", "apiVersion": "v1", "fieldsV1": {"f:data": {"f:a": {}}}}),
            json!({"manager": "helm", "operation": "Update", "apiVersion": "v1", "fieldsV1": {"f:data": {"f:b": {}}}}),
        ];
        let out = upgraded_managed_fields(&e, "helm").unwrap();
        assert_eq!(out.len(), 1);
        assert_eq!(
            out[0]["fieldsV1"],
            json!({"f:data": {"f:a": {}, "f:b": {}}})
        );
        assert!(upgraded_managed_fields(&out, "helm").is_none());
    }
}
