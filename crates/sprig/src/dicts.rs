//! Sprig's dict functions: `dict`, `get`, `set`, `unset`, `hasKey`,
//! `pluck`, `dig`, `keys`, `values`, `pick`, `omit`, `merge`,
//! `mergeOverwrite` (and `must` forms), `deepCopy`, `mustDeepCopy`.
//!
//! Maps are Go maps: `set`, `unset` and `merge` change the map they are
//! given, and every holder sees the change. `keys` and `values` follow the
//! map's sorted order where Go's is random (charts sort `keys` themselves).
//! Does not own the merge rules' details (see `mergo`).

mod mergo;

use std::collections::BTreeMap;

use origan_gotmpl::{ElemType, Func, FuncError, FuncMap, Map, Param, Value};

use crate::conv::{string_list, strval};

/// The `Map` behind a `map[string]interface{}` argument (the evaluator has
/// already checked the type).
fn map_arg(v: &Value) -> Result<&Map, FuncError> {
    match v {
        Value::Map(m) => Ok(m),
        other => Err(FuncError::new(format!(
            "wrong type for value; expected map[string]interface {{}}; got {}",
            other.type_name()
        ))),
    }
}

fn str_arg(v: &Value) -> &str {
    v.as_str().unwrap_or("")
}

/// Go's panic for a failed `x.(T)` on an `interface{}`.
fn conversion_error(v: &Value, want: &str) -> FuncError {
    let got = match v {
        Value::Nil => "nil".to_string(),
        other => other.type_name(),
    };
    FuncError::new(format!(
        "interface conversion: interface {{}} is {got}, not {want}"
    ))
}

const MAP_ANY: &str = "map[string]interface {}";

/// `v.(map[string]interface{})`.
fn assert_map(v: &Value) -> Result<&Map, FuncError> {
    match v {
        Value::Map(m) if m.elem == ElemType::Any => Ok(m),
        other => Err(conversion_error(other, MAP_ANY)),
    }
}

/// Sprig's `dig`: keys, then a default, then the map.
fn dig(ps: &[Value]) -> Result<Value, FuncError> {
    if ps.len() < 3 {
        return Err(FuncError::new("dig needs at least three arguments"));
    }
    let mut dict = assert_map(&ps[ps.len() - 1])?.clone();
    let default = &ps[ps.len() - 2];
    let mut keys = Vec::new();
    for k in &ps[..ps.len() - 2] {
        match k {
            Value::String(s) => keys.push(s.clone()),
            other => return Err(conversion_error(other, "string")),
        }
    }
    for (i, k) in keys.iter().enumerate() {
        let step = match dict.entries.borrow().get(&**k) {
            None => return Ok(default.clone()),
            Some(v) => v.clone(),
        };
        if i == keys.len() - 1 {
            return Ok(step);
        }
        dict = assert_map(&step)?.clone();
    }
    Ok(default.clone())
}

/// copystructure's `Copy`: maps and slices are copied all the way down.
fn deep_copy(v: &Value) -> Value {
    match v {
        Value::List(l) => Value::typed_list(l.items.iter().map(deep_copy).collect(), l.elem),
        // copystructure keeps the map's named type (`common.Values`).
        Value::Map(m) => Value::Map(Map {
            entries: std::rc::Rc::new(std::cell::RefCell::new(
                m.entries
                    .borrow()
                    .iter()
                    .map(|(k, v)| (k.clone(), deep_copy(v)))
                    .collect(),
            )),
            elem: m.elem,
            name: m.name.clone(),
        }),
        other => other.clone(),
    }
}

fn merge_all(a: &[Value], overwrite: bool) -> Result<Value, FuncError> {
    let dst = map_arg(&a[0])?;
    for src in &a[1..] {
        mergo::merge_into(dst, map_arg(src)?, overwrite);
    }
    Ok(a[0].clone())
}

pub(crate) fn register(funcs: &mut FuncMap) {
    let any = Param::Any;
    let m = Param::Map(ElemType::Any);
    let s = Param::String;
    // dict(v ...interface{}) map[string]interface{} — `{{ dict "a" 1 }}` → `map[a:1]`
    funcs.insert(
        "dict",
        Func::variadic(&[], any, |a| {
            let mut d = BTreeMap::new();
            for pair in a.chunks(2) {
                let v = pair.get(1).cloned().unwrap_or_else(|| Value::str(""));
                d.insert(strval(&pair[0]), v);
            }
            Ok(Value::map(d))
        }),
    );
    // get(d map[string]interface{}, key string) interface{} — `{{ get $d "a" }}`; "" when missing
    funcs.insert(
        "get",
        Func::new(&[m, s], |a| {
            let d = map_arg(&a[0])?.entries.borrow();
            Ok(d.get(str_arg(&a[1]))
                .cloned()
                .unwrap_or_else(|| Value::str("")))
        }),
    );
    // set(d map[string]interface{}, key string, value interface{}) map[string]interface{} — `{{ $_ := set $d "k" 1 }}`
    funcs.insert(
        "set",
        Func::new(&[m, s, any], |a| {
            let d = map_arg(&a[0])?;
            d.entries
                .borrow_mut()
                .insert(str_arg(&a[1]).to_string(), a[2].clone());
            Ok(a[0].clone())
        }),
    );
    // unset(d map[string]interface{}, key string) map[string]interface{} — `{{ $_ := unset $d "k" }}`
    funcs.insert(
        "unset",
        Func::new(&[m, s], |a| {
            map_arg(&a[0])?.entries.borrow_mut().remove(str_arg(&a[1]));
            Ok(a[0].clone())
        }),
    );
    // hasKey(d map[string]interface{}, key string) bool — `{{ hasKey $d "a" }}` → `true`
    funcs.insert(
        "hasKey",
        Func::new(&[m, s], |a| {
            let d = map_arg(&a[0])?.entries.borrow();
            Ok(Value::Bool(d.contains_key(str_arg(&a[1]))))
        }),
    );
    // pluck(key string, d ...map[string]interface{}) []interface{} — `{{ pluck "a" $d1 $d2 }}` → `[1 2]`
    funcs.insert(
        "pluck",
        Func::variadic(&[s], m, |a| {
            let key = str_arg(&a[0]);
            let mut res = Vec::new();
            for d in &a[1..] {
                if let Some(v) = map_arg(d)?.entries.borrow().get(key) {
                    res.push(v.clone());
                }
            }
            Ok(Value::list(res))
        }),
    );
    // keys(dicts ...map[string]interface{}) []string — `{{ keys $d | sortAlpha }}` → `[a b]`
    funcs.insert(
        "keys",
        Func::variadic(&[], m, |a| {
            let mut k = Vec::new();
            for d in a {
                k.extend(map_arg(d)?.entries.borrow().keys().cloned());
            }
            Ok(string_list(k))
        }),
    );
    // values(dict map[string]interface{}) []interface{} — `{{ values (dict "a" 1) }}` → `[1]`
    funcs.insert(
        "values",
        Func::new(&[m], |a| {
            let d = map_arg(&a[0])?.entries.borrow();
            Ok(Value::list(d.values().cloned().collect()))
        }),
    );
    // pick(dict map[string]interface{}, keys ...string) map[string]interface{} — `{{ pick $d "a" }}`
    funcs.insert(
        "pick",
        Func::variadic(&[m], s, |a| {
            let d = map_arg(&a[0])?.entries.borrow();
            let mut res = BTreeMap::new();
            for k in &a[1..] {
                if let Some(v) = d.get(str_arg(k)) {
                    res.insert(str_arg(k).to_string(), v.clone());
                }
            }
            Ok(Value::map(res))
        }),
    );
    // omit(dict map[string]interface{}, keys ...string) map[string]interface{} — `{{ omit $d "a" }}`
    funcs.insert(
        "omit",
        Func::variadic(&[m], s, |a| {
            let d = map_arg(&a[0])?.entries.borrow();
            let res = d
                .iter()
                .filter(|(k, _)| !a[1..].iter().any(|o| str_arg(o) == k.as_str()))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            Ok(Value::map(res))
        }),
    );
    // merge(dst map[string]interface{}, srcs ...map[string]interface{}) interface{} — `{{ merge $dst $src }}` (dst wins)
    let merge = Func::variadic(&[m], m, |a| merge_all(a, false));
    funcs.insert("merge", merge.clone());
    // mustMerge: merge returning mergo's errors (there are none for maps) — `{{ mustMerge $dst $src }}`
    funcs.insert("mustMerge", merge);
    // mergeOverwrite(dst map[string]interface{}, srcs ...map[string]interface{}) interface{} — `{{ mergeOverwrite $dst $src }}` (src wins)
    let over = Func::variadic(&[m], m, |a| merge_all(a, true));
    funcs.insert("mergeOverwrite", over.clone());
    // mustMergeOverwrite: as mergeOverwrite — `{{ mustMergeOverwrite $dst $src }}`
    funcs.insert("mustMergeOverwrite", over);
    // deepCopy(i interface{}) interface{} — `{{ deepCopy .Values.m }}`
    let copy = Func::new(&[any], |a| match &a[0] {
        Value::Nil => Err(FuncError::new(
            "reflect: call of reflect.Value.Type on zero Value",
        )),
        v => Ok(deep_copy(v)),
    });
    funcs.insert("deepCopy", copy.clone());
    // mustDeepCopy(i interface{}) (interface{}, error) — `{{ mustDeepCopy (list 1) }}` → `[1]`
    funcs.insert("mustDeepCopy", copy);
    // dig(ps ...interface{}) (interface{}, error) — `{{ dig "a" "b" "def" $d }}`
    funcs.insert("dig", Func::variadic(&[], any, dig));
}
