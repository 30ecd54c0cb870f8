//! Client-side patches as Helm's `createPatch` builds them: for built-in
//! kinds a three-way strategic merge patch (apimachinery's
//! `CreateThreeWayMergePatch(original, modified, current)`), lists merging
//! by their merge key, `$patch: delete` for removed items,
//! `$deleteFromPrimitiveList` for removed set members and `$retainKeys`
//! where the schema asks for it; for custom resources a JSON merge patch
//! (two-way, or three-way when taking ownership).
//! Does not own: the patch metadata (crates/kube openapi.rs) or sending.

use origan_kube::PatchMeta;
use serde_json::{Map, Value};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Additions and changes only (current → modified).
    Deltas,
    /// Deletions only (original → modified).
    Deletions,
}

fn keyed<'a>(items: &'a [Value], key: &str, v: &Value) -> Option<&'a Value> {
    items.iter().find(|i| i.get(key) == Some(v))
}

fn diff_maps(
    from: &Map<String, Value>,
    to: &Map<String, Value>,
    meta: &PatchMeta,
    mode: Mode,
) -> Map<String, Value> {
    let mut out = Map::new();
    for (k, tv) in to {
        let fv = from.get(k);
        if fv == Some(tv) {
            continue;
        }
        let child = meta.field(k);
        match (fv, tv) {
            (None, _) => {
                if mode == Mode::Deltas {
                    out.insert(k.clone(), tv.clone());
                }
            }
            (Some(Value::Object(f)), Value::Object(t)) => {
                let mut sub = diff_maps(f, t, &child, mode);
                if !sub.is_empty() {
                    if mode == Mode::Deltas && child.strategy().contains("retainKeys") {
                        let keys: Vec<Value> = t.keys().map(|k| Value::String(k.clone())).collect();
                        sub.insert("$retainKeys".into(), Value::Array(keys));
                    }
                    out.insert(k.clone(), Value::Object(sub));
                }
            }
            (Some(Value::Array(f)), Value::Array(t)) => diff_lists(&mut out, k, f, t, &child, mode),
            _ => {
                if mode == Mode::Deltas {
                    out.insert(k.clone(), tv.clone());
                }
            }
        }
    }
    if mode == Mode::Deletions {
        for k in from.keys() {
            if !to.contains_key(k) {
                out.insert(k.clone(), Value::Null);
            }
        }
    }
    out
}

fn diff_lists(
    out: &mut Map<String, Value>,
    k: &str,
    f: &[Value],
    t: &[Value],
    meta: &PatchMeta,
    mode: Mode,
) {
    let merge = meta.strategy().split(',').any(|s| s == "merge");
    let all_objects = f.iter().chain(t).all(Value::is_object);
    match (merge, meta.merge_key()) {
        (true, Some(key)) if all_objects => {
            let items_meta = meta.items();
            let mut items = Vec::new();
            for tv in t {
                let id = tv.get(key).cloned().unwrap_or(Value::Null);
                match keyed(f, key, &id) {
                    None if mode == Mode::Deltas => items.push(tv.clone()),
                    None => {}
                    Some(fv) => {
                        let (Some(fo), Some(to)) = (fv.as_object(), tv.as_object()) else {
                            continue;
                        };
                        let mut sub = diff_maps(fo, to, &items_meta, mode);
                        if !sub.is_empty() {
                            // `merge,retainKeys` lists (volumes): each
                            // changed item keeps only the keys it names.
                            if mode == Mode::Deltas && meta.strategy().contains("retainKeys") {
                                let keys = to.keys().map(|k| Value::String(k.clone())).collect();
                                sub.insert("$retainKeys".into(), Value::Array(keys));
                            }
                            sub.insert(key.to_string(), id);
                            items.push(Value::Object(sub));
                        }
                    }
                }
            }
            if mode == Mode::Deletions {
                for fv in f {
                    let id = fv.get(key).cloned().unwrap_or(Value::Null);
                    if keyed(t, key, &id).is_none() {
                        items.push(serde_json::json!({ key: id, "$patch": "delete" }));
                    }
                }
            }
            if !items.is_empty() {
                if mode == Mode::Deltas {
                    let order: Vec<Value> = t.iter().map(|i| serde_json::json!({ key: i.get(key).cloned().unwrap_or(Value::Null) })).collect();
                    out.insert(format!("$setElementOrder/{k}"), Value::Array(order));
                }
                out.insert(k.to_string(), Value::Array(items));
            }
        }
        (true, _) if !f.iter().chain(t).any(|v| v.is_object() || v.is_array()) => {
            // A set of scalars: added members merge in, removed ones go
            // through `$deleteFromPrimitiveList`.
            if mode == Mode::Deltas {
                let added: Vec<Value> = t.iter().filter(|v| !f.contains(v)).cloned().collect();
                if !added.is_empty() {
                    out.insert(k.to_string(), Value::Array(added));
                }
            } else {
                let removed: Vec<Value> = f.iter().filter(|v| !t.contains(v)).cloned().collect();
                if !removed.is_empty() {
                    out.insert(
                        format!("$deleteFromPrimitiveList/{k}"),
                        Value::Array(removed),
                    );
                }
            }
        }
        _ => {
            // Replace strategy (the default): the whole list.
            if mode == Mode::Deltas {
                out.insert(k.to_string(), Value::Array(t.to_vec()));
            }
        }
    }
}

/// Merges the deletions patch with the deltas patch, combining list items
/// of merge lists by their key.
fn merge_patches(a: &mut Map<String, Value>, b: Map<String, Value>, meta: &PatchMeta) {
    for (k, bv) in b {
        let child = meta.field(&k);
        match (a.get_mut(&k), bv) {
            (Some(Value::Object(ao)), Value::Object(bo)) => merge_patches(ao, bo, &child),
            (Some(Value::Array(aa)), Value::Array(ba)) if child.merge_key().is_some() => {
                let key = child.merge_key().unwrap_or_default().to_string();
                let items_meta = child.items();
                for item in ba {
                    let id = item.get(&key).cloned();
                    match aa
                        .iter_mut()
                        .find(|x| id.is_some() && x.get(&key) == id.as_ref())
                    {
                        Some(Value::Object(x)) => {
                            if let Value::Object(io) = item {
                                merge_patches(x, io, &items_meta);
                            }
                        }
                        _ => aa.push(item),
                    }
                }
            }
            (Some(Value::Array(aa)), Value::Array(ba)) => aa.extend(ba),
            (_, bv) => {
                a.insert(k, bv);
            }
        }
    }
}

/// The three-way strategic merge patch for a built-in kind; `{}` when
/// nothing is to change.
pub fn three_way_strategic(
    original: &Value,
    modified: &Value,
    current: &Value,
    meta: &PatchMeta,
) -> Value {
    let obj = |v: &Value| v.as_object().cloned().unwrap_or_default();
    let (o, m, c) = (obj(original), obj(modified), obj(current));
    let mut deletions = diff_maps(&o, &m, meta, Mode::Deletions);
    let deltas = diff_maps(&c, &m, meta, Mode::Deltas);
    merge_patches(&mut deletions, deltas, meta);
    Value::Object(deletions)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::sync::Arc;

    fn meta() -> PatchMeta {
        let doc = json!({"components": {"schemas": {
            "D": {"properties": {"spec": {"allOf": [{"$ref": "#/components/schemas/S"}]},
                                  "metadata": {"allOf": [{"$ref": "#/components/schemas/M"}]}}},
            "M": {"properties": {"finalizers": {"type": "array", "items": {"type": "string"}, "x-kubernetes-patch-strategy": "merge"}}},
            "S": {"properties": {
                "containers": {"type": "array", "items": {"allOf": [{"$ref": "#/components/schemas/C"}]},
                               "x-kubernetes-patch-merge-key": "name", "x-kubernetes-patch-strategy": "merge"},
                "strategy": {"allOf": [{"$ref": "#/components/schemas/St"}], "x-kubernetes-patch-strategy": "retainKeys"},
                "args": {"type": "array", "items": {"type": "string"}}}},
            "C": {"properties": {"env": {"type": "array", "x-kubernetes-patch-merge-key": "name", "x-kubernetes-patch-strategy": "merge"}}},
            "St": {"properties": {}}
        }}});
        PatchMeta::new(Arc::new(doc), "D")
    }

    #[test]
    fn merges_lists_by_key_and_deletes_removed_items() {
        let original = json!({"spec": {"containers": [{"name": "a", "image": "1", "env": [{"name": "X", "value": "1"}]}, {"name": "old"}]}});
        let modified = json!({"spec": {"containers": [{"name": "a", "image": "2"}]}});
        // The live object has a sidecar someone injected and server defaults.
        let current = json!({"spec": {"containers": [
            {"name": "a", "image": "1", "env": [{"name": "X", "value": "1"}], "imagePullPolicy": "IfNotPresent"},
            {"name": "old"}, {"name": "sidecar"}]}, "status": {"x": 1}});
        let p = three_way_strategic(&original, &modified, &current, &meta());
        assert_eq!(
            p,
            json!({"spec": {
                "$setElementOrder/containers": [{"name": "a"}],
                "containers": [{"name": "a", "env": null, "image": "2"}, {"name": "old", "$patch": "delete"}]}})
        );
    }

    #[test]
    fn sets_retain_keys_and_replace_lists() {
        let original = json!({"spec": {"args": ["a"], "strategy": {"type": "Recreate"}}, "metadata": {"finalizers": ["f1", "f2"]}});
        let modified = json!({"spec": {"args": ["b"], "strategy": {"type": "RollingUpdate"}}, "metadata": {"finalizers": ["f1", "f3"]}});
        let p = three_way_strategic(&original, &modified, &original, &meta());
        assert_eq!(p["spec"]["args"], json!(["b"]));
        assert_eq!(
            p["spec"]["strategy"],
            json!({"type": "RollingUpdate", "$retainKeys": ["type"]})
        );
        assert_eq!(p["metadata"]["finalizers"], json!(["f3"]));
        assert_eq!(
            p["metadata"]["$deleteFromPrimitiveList/finalizers"],
            json!(["f2"])
        );
        assert_eq!(
            three_way_strategic(&modified, &modified, &modified, &meta()),
            json!({})
        );
    }
}
