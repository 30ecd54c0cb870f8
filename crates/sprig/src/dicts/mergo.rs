//! dario.cat/mergo v1.0.1's `Merge` and `MergeWithOverwrite` on
//! `map[string]interface{}`, as Sprig's `merge` and `mergeOverwrite` call
//! them: `dst` is changed in place (and every holder of that map sees it).
//!
//! The rules, from mergo's `deepMerge` for map values:
//! * a nil source value is copied only when overwriting;
//! * a source map merges recursively into a destination map; a destination
//!   map that is still empty afterwards is replaced by the source map;
//! * a source slice replaces a destination only when overwriting or when
//!   the destination is missing or empty (no element-wise merge);
//! * other source values replace the destination when overwriting (even
//!   with zero values: `mergeOverwrite (dict "a" 1) (dict "a" 0)` gives 0)
//!   or when the destination is missing or empty (`false`, `0`, `""`, ...).
//!
//! Values are shared, not copied: a map taken from `src` is the same map in
//! `dst`, as in Go.

use origan_gotmpl::{Map, Value};

use crate::defaults::empty;

/// An empty slice of the same type as `like` (mergo's `reflect.MakeSlice`).
fn empty_like(like: &Value) -> Value {
    match like {
        Value::List(l) => Value::typed_list(Vec::new(), l.elem),
        _ => Value::Bytes(Vec::new().into()),
    }
}

/// Merges `src` into `dst`.
pub(crate) fn merge_into(dst: &Map, src: &Map, overwrite: bool) {
    // A snapshot: `src` may be `dst` itself (`merge $d $d`).
    let entries: Vec<(String, Value)> = src
        .entries
        .borrow()
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    for (key, s) in entries {
        let d = dst.entries.borrow().get(&key).cloned();
        match &s {
            Value::Nil => {
                if overwrite {
                    dst.entries.borrow_mut().insert(key, Value::Nil);
                }
                continue;
            }
            Value::Map(sm) => {
                if let Some(Value::Map(dm)) = &d
                    && !std::rc::Rc::ptr_eq(&dm.entries, &sm.entries)
                {
                    merge_into(dm, sm, overwrite);
                }
            }
            Value::List(_) | Value::Bytes(_) => {
                let dst_empty = dst.entries.borrow().is_empty();
                let new = if overwrite || dst_empty {
                    s.clone()
                } else {
                    match &d {
                        None | Some(Value::Nil) => empty_like(&s),
                        Some(v) => v.clone(),
                    }
                };
                dst.entries.borrow_mut().insert(key.clone(), new);
            }
            _ => {}
        }
        // Emptiness is judged now: a destination map filled by the
        // recursive merge above is no longer empty.
        if let Some(dv) = &d
            && !empty(dv)
            && (matches!(s, Value::List(_) | Value::Bytes(_))
                || matches!(s, Value::Map(_)) && matches!(dv, Value::Map(_)))
        {
            continue;
        }
        if overwrite || d.as_ref().is_none_or(empty) {
            dst.entries.borrow_mut().insert(key, s);
        }
    }
}
