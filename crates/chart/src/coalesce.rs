//! Values coalescing exactly as Helm's pkg/chart/common/util/coalesce.go.
//!
//! Owns: `CoalesceValues` / `MergeValues` (chart defaults under user values, `null`
//! deleting keys, table/scalar warnings, globals copied down, subchart scoping),
//! `CoalesceTables` / `MergeTables`, and Go's `%v` / `%t` text in warnings. Does not
//! own: deciding which subcharts are enabled or import-values (`dependencies`),
//! merging `-f`/`--set` inputs (`user_values`).
//!
//! Go maps are references, and Helm relies on that in places: `coalesceGlobals`
//! shallow-copies a parent's global tables, so a subchart's nested global defaults
//! are written into the parent's nested global tables too. To reproduce such
//! effects the algorithm runs on [`V`], whose maps are shared (`Rc<RefCell<..>>`)
//! like Go's, and converts from and to `Data` at the edges.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use origan_yaml::Data;

use crate::load::Chart;

/// The global values key.
pub const GLOBAL_KEY: &str = "global";

/// Errors from coalescing (Helm's texts).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CoalesceError {
    #[error("type mismatch on {0}: {1}")]
    TypeMismatch(String, String),
}

pub(crate) type M = Rc<RefCell<BTreeMap<String, V>>>;

/// A Go `interface{}` value: maps are shared references, as in Go.
#[derive(Debug, Clone)]
pub(crate) enum V {
    Null,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    Str(String),
    List(Vec<V>),
    Map(M),
}

pub(crate) fn new_map() -> M {
    Rc::new(RefCell::new(BTreeMap::new()))
}

impl V {
    pub(crate) fn from_data(d: &Data) -> V {
        match d {
            Data::Null => V::Null,
            Data::Bool(b) => V::Bool(*b),
            Data::Int(i) => V::Int(*i),
            Data::Uint(u) => V::Uint(*u),
            Data::Float(f) => V::Float(*f),
            Data::String(s) => V::Str(s.clone()),
            Data::List(l) => V::List(l.iter().map(V::from_data).collect()),
            Data::Map(m) => V::Map(Rc::new(RefCell::new(
                m.iter()
                    .map(|(k, v)| (k.clone(), V::from_data(v)))
                    .collect(),
            ))),
        }
    }

    pub(crate) fn to_data(&self) -> Data {
        match self {
            V::Null => Data::Null,
            V::Bool(b) => Data::Bool(*b),
            V::Int(i) => Data::Int(*i),
            V::Uint(u) => Data::Uint(*u),
            V::Float(f) => Data::Float(*f),
            V::Str(s) => Data::String(s.clone()),
            V::List(l) => Data::List(l.iter().map(V::to_data).collect()),
            V::Map(m) => Data::Map(
                m.borrow()
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_data()))
                    .collect(),
            ),
        }
    }

    /// copystructure.Copy: a deep copy with no shared maps.
    pub(crate) fn deep_copy(&self) -> V {
        V::from_data(&self.to_data())
    }

    pub(crate) fn as_map(&self) -> Option<M> {
        match self {
            V::Map(m) => Some(m.clone()),
            _ => None,
        }
    }

    pub(crate) fn is_null(&self) -> bool {
        matches!(self, V::Null)
    }
}

pub(crate) fn map_to_data(m: &M) -> Data {
    V::Map(m.clone()).to_data()
}

pub(crate) fn data_to_map(d: &Data) -> M {
    match V::from_data(d) {
        V::Map(m) => m,
        _ => new_map(),
    }
}

fn snapshot(m: &M) -> Vec<(String, V)> {
    m.borrow()
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

fn get(m: &M, k: &str) -> Option<V> {
    m.borrow().get(k).cloned()
}

fn put(m: &M, k: &str, v: V) {
    m.borrow_mut().insert(k.to_string(), v);
}

/// Go's `%v` of a value.
pub(crate) fn go_v(v: &V) -> String {
    match v {
        V::Null => "<nil>".into(),
        V::Bool(b) => b.to_string(),
        V::Int(i) => i.to_string(),
        V::Uint(u) => u.to_string(),
        V::Float(f) => origan_yaml::format_float_g(*f),
        V::Str(s) => s.clone(),
        V::List(l) => format!("[{}]", l.iter().map(go_v).collect::<Vec<_>>().join(" ")),
        V::Map(m) => format!(
            "map[{}]",
            m.borrow()
                .iter()
                .map(|(k, v)| format!("{k}:{}", go_v(v)))
                .collect::<Vec<_>>()
                .join(" ")
        ),
    }
}

/// Go's `%t` of a value (`%!t(string=x)` for non-bools).
fn go_t(v: &V) -> String {
    match v {
        V::Bool(b) => b.to_string(),
        V::Null => "%!t(<nil>)".into(),
        V::Int(i) => format!("%!t(int64={i})"),
        V::Uint(u) => format!("%!t(uint64={u})"),
        V::Float(f) => format!("%!t(float64={})", origan_yaml::format_float_g(*f)),
        V::Str(s) => format!("%!t(string={s})"),
        V::List(l) => format!("[{}]", l.iter().map(go_t).collect::<Vec<_>>().join(" ")),
        V::Map(m) => format!(
            "map[{}]",
            m.borrow()
                .iter()
                .map(|(k, v)| format!("%!t(string={k}):{}", go_t(v)))
                .collect::<Vec<_>>()
                .join(" ")
        ),
    }
}

fn concat_prefix(a: &str, b: &str) -> String {
    if a.is_empty() {
        b.to_string()
    } else {
        format!("{a}.{b}")
    }
}

/// `CoalesceValues(chart, user)`: user values over chart defaults, `null` deletes.
/// Warnings Helm would log are appended to `warnings`.
pub fn coalesce_values(
    chart: &Chart,
    user: &Data,
    warnings: &mut Vec<String>,
) -> Result<Data, CoalesceError> {
    let dest = copy_values(user);
    let out = coalesce(warnings, chart, &dest, "", false)?;
    Ok(map_to_data(&out))
}

/// `MergeValues(chart, user)`: like [`coalesce_values`] but `null`s are kept.
pub fn merge_values(
    chart: &Chart,
    user: &Data,
    warnings: &mut Vec<String>,
) -> Result<Data, CoalesceError> {
    let dest = copy_values(user);
    let out = coalesce(warnings, chart, &dest, "", true)?;
    Ok(map_to_data(&out))
}

pub(crate) fn merge_values_v(
    chart: &Chart,
    warnings: &mut Vec<String>,
) -> Result<M, CoalesceError> {
    coalesce(warnings, chart, &new_map(), "", true)
}

fn copy_values(user: &Data) -> M {
    data_to_map(user)
}

fn coalesce(
    w: &mut Vec<String>,
    ch: &Chart,
    dest: &M,
    prefix: &str,
    merge: bool,
) -> Result<M, CoalesceError> {
    coalesce_chart_values(w, ch, dest, prefix, merge);
    coalesce_deps(w, ch, dest, prefix, merge)
}

fn coalesce_deps(
    w: &mut Vec<String>,
    ch: &Chart,
    dest: &M,
    prefix: &str,
    merge: bool,
) -> Result<M, CoalesceError> {
    for sub in &ch.dependencies {
        let name = sub.name();
        let dv = match get(dest, name) {
            None => {
                let m = new_map();
                put(dest, name, V::Map(m.clone()));
                m
            }
            Some(V::Map(m)) => m,
            Some(other) => {
                return Err(CoalesceError::TypeMismatch(name.to_string(), go_t(&other)));
            }
        };
        let sub_prefix = concat_prefix(prefix, ch.name());
        coalesce_globals(w, &dv, dest, &sub_prefix);
        let r = coalesce(w, sub, &dv, &sub_prefix, merge)?;
        put(dest, name, V::Map(r));
    }
    Ok(dest.clone())
}

/// `coalesceGlobals`: copies the parent's `global` into the subchart's (parent wins).
fn coalesce_globals(w: &mut Vec<String>, dest: &M, src: &M, prefix: &str) {
    let dg = match get(dest, GLOBAL_KEY) {
        None => new_map(),
        Some(V::Map(m)) => m,
        Some(_) => {
            w.push("warning: skipping globals because destination global is not a table.".into());
            return;
        }
    };
    let sg = match get(src, GLOBAL_KEY) {
        None => new_map(),
        Some(V::Map(m)) => m,
        Some(_) => {
            w.push("warning: skipping globals because source global is not a table.".into());
            return;
        }
    };
    for (key, val) in snapshot(&sg) {
        if let V::Map(vm) = &val {
            // copyMap: a shallow copy; nested tables stay shared with the parent.
            let vv: M = Rc::new(RefCell::new(vm.borrow().clone()));
            match get(&dg, &key) {
                None => put(&dg, &key, V::Map(vv)),
                Some(V::Map(destvmap)) => {
                    let sub_prefix = concat_prefix(prefix, &key);
                    coalesce_tables_full_key(w, &vv, &destvmap, &sub_prefix, true);
                    put(&dg, &key, V::Map(vv));
                }
                Some(_) => w.push(format!(
                    "Conflict: cannot merge map onto non-map for {}. Skipping.",
                    origan_semver::go_quote(&key)
                )),
            }
        } else if let Some(V::Map(_)) = get(&dg, &key) {
            w.push(format!("key {key} is table. Skipping"));
        } else {
            put(&dg, &key, val);
        }
    }
    put(dest, GLOBAL_KEY, V::Map(dg));
}

/// `coalesceValues`: fills `v` from the chart's own defaults.
fn coalesce_chart_values(w: &mut Vec<String>, ch: &Chart, v: &M, prefix: &str, merge: bool) {
    let sub_prefix = concat_prefix(prefix, ch.name());
    let vc = data_to_map(&ch.values);
    for (key, val) in snapshot(&vc) {
        if let Some(value) = get(v, &key) {
            if value.is_null() && !merge {
                v.borrow_mut().remove(&key);
            } else if let V::Map(dest) = value {
                match &val {
                    V::Map(src) => {
                        let merge = child_chart_merge_true(ch, &key, merge);
                        if !merge {
                            clean_nil_values(src);
                        }
                        coalesce_tables_full_key(
                            w,
                            &dest,
                            src,
                            &concat_prefix(&sub_prefix, &key),
                            merge,
                        );
                    }
                    V::Null => {}
                    _ => w.push(format!(
                        "warning: skipped value for {sub_prefix}.{key}: Not a table."
                    )),
                }
            }
        } else {
            if !merge {
                if val.is_null() {
                    continue;
                }
                if let V::Map(sub) = &val {
                    clean_nil_values(sub);
                }
            }
            put(v, &key, val);
        }
    }
}

fn child_chart_merge_true(ch: &Chart, key: &str, merge: bool) -> bool {
    ch.dependencies.iter().any(|d| d.name() == key) || merge
}

/// `CoalesceTables(dst, src)`: `dst` wins; a `null` in `dst` over a value in `src`
/// deletes the key.
pub fn coalesce_tables(dst: &Data, src: &Data, warnings: &mut Vec<String>) -> Data {
    tables(dst, src, warnings, false)
}

/// `MergeTables(dst, src)`: like [`coalesce_tables`] but `null`s are kept.
pub fn merge_tables(dst: &Data, src: &Data, warnings: &mut Vec<String>) -> Data {
    tables(dst, src, warnings, true)
}

fn tables(dst: &Data, src: &Data, w: &mut Vec<String>, merge: bool) -> Data {
    let d = data_to_map(dst);
    let s = data_to_map(src);
    coalesce_tables_full_key(w, &d, &s, "", merge);
    map_to_data(&d)
}

/// `coalesceTablesFullKey`: merges `src` into `dst` (dst is authoritative).
pub(crate) fn coalesce_tables_full_key(
    w: &mut Vec<String>,
    dst: &M,
    src: &M,
    prefix: &str,
    merge: bool,
) {
    let src_original_non_nil: BTreeSet<String> = src
        .borrow()
        .iter()
        .filter(|(_, v)| !v.is_null())
        .map(|(k, _)| k.clone())
        .collect();
    for (key, val) in snapshot(dst) {
        if val.is_null() {
            put(src, &key, V::Null);
        }
    }
    for (key, val) in snapshot(src) {
        let fullkey = concat_prefix(prefix, &key);
        let dv = get(dst, &key);
        match dv {
            Some(V::Null) if !merge && src_original_non_nil.contains(&key) => {
                dst.borrow_mut().remove(&key);
            }
            None => put(dst, &key, val),
            Some(dv) => {
                if let V::Map(vm) = &val {
                    if let V::Map(dm) = &dv {
                        coalesce_tables_full_key(w, dm, vm, &fullkey, merge);
                    } else {
                        w.push(format!(
                            "warning: cannot overwrite table with non table for {fullkey} ({})",
                            go_v(&val)
                        ));
                    }
                } else if matches!(dv, V::Map(_)) && !val.is_null() {
                    w.push(format!(
                        "warning: destination for {fullkey} is a table. Ignoring non-table value ({})",
                        go_v(&val)
                    ));
                }
            }
        }
    }
}

/// `cleanNilValues`: removes `null`s recursively, in place.
pub(crate) fn clean_nil_values(m: &M) {
    let entries = snapshot(m);
    for (key, val) in entries {
        match val {
            V::Null => {
                m.borrow_mut().remove(&key);
            }
            V::Map(sub) => clean_nil_values(&sub),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn y(s: &str) -> Data {
        Data::Map(origan_yaml::load_values(s).unwrap())
    }

    fn chart(name: &str, values: &str, deps: Vec<Chart>) -> Chart {
        let mut c = crate::load::load_files(vec![crate::archive::BufferedFile {
            name: "Chart.yaml".into(),
            mod_time: 0,
            data: format!("apiVersion: v2\nname: {name}\nversion: 1.0.0\n").into_bytes(),
        }])
        .unwrap();
        c.values = y(values);
        c.dependencies = deps;
        c
    }

    // Coalescing semantics are checked against Helm-recorded goldens in
    // tests/coalesce_golden.rs; this covers the error path only.
    #[test]
    fn type_mismatch() {
        let sub = chart("sub", "own: 1\n", vec![]);
        let c = chart("t", "", vec![sub]);
        let e = coalesce_values(&c, &y("sub: x\n"), &mut Vec::new()).unwrap_err();
        assert_eq!(e.to_string(), "type mismatch on sub: %!t(string=x)");
    }
}
