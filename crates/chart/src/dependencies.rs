//! Dependency processing (pkg/chart/v2/util/dependencies.go) and the one-call
//! [`prepare`] that turns a loaded chart plus user values into render values.
//!
//! Owns: `ProcessDependencies` (enabled/condition/tags, aliases, vendored charts
//! that match no entry, import-values in both forms), `CheckDependencies`, and the
//! order install/upgrade/template use: process dependencies, then coalesce. Does not
//! own: the coalescing rules (`coalesce`), schema validation.
//!
//! Go's nil-versus-empty `dependencies` slice matters here (`dependencies: []` still
//! processes vendored subcharts; a list emptied by processing skips import-values);
//! `Metadata` keeps that distinction.

use std::collections::BTreeSet;

use origan_yaml::Data;

use crate::coalesce::{
    self, CoalesceError, M, V, coalesce_tables_full_key, go_v, map_to_data, new_map,
};
use crate::load::Chart;
use crate::metadata::Dependency;

/// Errors from dependency processing and [`prepare`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PrepareError {
    #[error("{0}")]
    Coalesce(#[from] CoalesceError),
    #[error("found in Chart.yaml, but missing in charts/ directory: {}", .0.join(", "))]
    Missing(Vec<String>),
}

/// Helm's `IsCompatibleRange(constraint, version)`.
pub fn is_compatible_range(constraint: &str, version: &str) -> bool {
    let Ok(v) = origan_semver::Version::parse(version) else {
        return false;
    };
    let Ok(c) = origan_semver::Constraints::parse(constraint) else {
        return false;
    };
    c.check(&v)
}

/// Helm's `action.CheckDependencies`: every Chart.yaml dependency must be present
/// in `charts/` (matched by name only).
pub fn check_dependencies(chart: &Chart) -> Result<(), PrepareError> {
    let missing: Vec<String> = chart
        .metadata
        .dependencies
        .iter()
        .filter(|r| !chart.dependencies.iter().any(|d| d.name() == r.name))
        .map(|r| r.name.clone())
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(PrepareError::Missing(missing))
    }
}

/// Process dependencies, then coalesce: the values a render sees as `.Values`.
/// Afterwards `chart.dependencies` holds only the enabled subcharts (aliases
/// applied) and `chart.metadata.dependencies` the matching entries. Warnings Helm
/// would log are appended to `chart.warnings`.
pub fn prepare(chart: &mut Chart, user: Data) -> Result<Data, PrepareError> {
    let mut w = Vec::new();
    let r = process_dependencies(chart, &user, &mut w)
        .and_then(|()| Ok(coalesce::coalesce_values(chart, &user, &mut w)?));
    chart.warnings.extend(w);
    r
}

/// Helm's `ProcessDependencies(chart, userValues)`.
pub fn process_dependencies(
    chart: &mut Chart,
    user: &Data,
    warnings: &mut Vec<String>,
) -> Result<(), PrepareError> {
    process_enabled(chart, user, "", warnings)?;
    process_import_values_rec(chart, warnings)?;
    Ok(())
}

fn process_enabled(
    c: &mut Chart,
    v: &Data,
    path: &str,
    w: &mut Vec<String>,
) -> Result<(), PrepareError> {
    // Helm: `if c.Metadata.Dependencies == nil`; `dependencies: []` still processes
    // the vendored subcharts.
    if !c.metadata.dependencies_declared && c.metadata.dependencies.is_empty() {
        return Ok(());
    }
    let existing = std::mem::take(&mut c.dependencies);
    let matches = |ch: &Chart, req: &Dependency| {
        ch.name() == req.name && is_compatible_range(&req.version, &ch.metadata.version)
    };
    // Vendored charts that match no entry are kept unconditionally.
    let mut chart_deps: Vec<Chart> = existing
        .iter()
        .filter(|e| !c.metadata.dependencies.iter().any(|r| matches(e, r)))
        .cloned()
        .collect();
    for req in &mut c.metadata.dependencies {
        if let Some(found) = existing.iter().find(|e| matches(e, req)) {
            let mut out = found.clone();
            if !req.alias.is_empty() {
                out.metadata.name = req.alias.clone();
            }
            chart_deps.push(out);
        }
        if !req.alias.is_empty() {
            req.name = req.alias.clone();
        }
    }
    c.dependencies = chart_deps;
    for r in &mut c.metadata.dependencies {
        r.enabled = true;
    }
    let cvals = coalesce::coalesce_values(c, v, w)?;
    process_tags(&mut c.metadata.dependencies, &cvals, w);
    process_conditions(&mut c.metadata.dependencies, &cvals, path, w);
    let rm: BTreeSet<String> = c
        .metadata
        .dependencies
        .iter()
        .filter(|r| !r.enabled)
        .map(|r| r.name.clone())
        .collect();
    c.dependencies.retain(|d| !rm.contains(d.name()));
    c.metadata.dependencies.retain(|r| !rm.contains(&r.name));
    // Go rebuilds the slice with append(nil, kept...): nil when nothing is kept.
    c.metadata.dependencies_declared = !c.metadata.dependencies.is_empty();
    for t in &mut c.dependencies {
        let sub = format!("{path}{}.", t.name());
        process_enabled(t, &cvals, &sub, w)?;
    }
    Ok(())
}

/// `Values.Table(name)` on plain data.
fn table<'a>(v: &'a Data, name: &str) -> Option<&'a Data> {
    let mut cur = v;
    for part in name.split('.') {
        match cur {
            Data::Map(m) => match m.get(part) {
                Some(t @ Data::Map(_)) => cur = t,
                _ => return None,
            },
            _ => return None,
        }
    }
    Some(cur)
}

/// `Values.PathValue(path)`: the non-table value at `path`.
fn path_value<'a>(v: &'a Data, path: &str) -> Option<&'a Data> {
    let (parent, key) = match path.rsplit_once('.') {
        Some((p, k)) => (table(v, p)?, k),
        None => (v, path),
    };
    match parent {
        Data::Map(m) => match m.get(key) {
            Some(Data::Map(_)) | None => None,
            Some(x) => Some(x),
        },
        _ => None,
    }
}

fn process_tags(reqs: &mut [Dependency], cvals: &Data, w: &mut Vec<String>) {
    let Some(Data::Map(vt)) = table(cvals, "tags") else {
        return;
    };
    for r in reqs {
        let (mut has_true, mut has_false) = (false, false);
        for k in &r.tags {
            match vt.get(k) {
                Some(Data::Bool(true)) => has_true = true,
                Some(Data::Bool(false)) => has_false = true,
                Some(_) => w.push(format!("returned non-bool value tag={k} chart={}", r.name)),
                None => {}
            }
        }
        if !has_true && has_false {
            r.enabled = false;
        } else if has_true || !has_false {
            r.enabled = true;
        }
    }
}

fn process_conditions(reqs: &mut [Dependency], cvals: &Data, cpath: &str, w: &mut Vec<String>) {
    for r in reqs {
        // Helm trims the whole condition but not the parts around commas.
        for c in r.condition.trim().split(',') {
            if c.is_empty() {
                continue;
            }
            if let Some(vv) = path_value(cvals, &format!("{cpath}{c}")) {
                if let Data::Bool(b) = vv {
                    r.enabled = *b;
                    break;
                }
                w.push(format!("returned non-bool value path={c} chart={}", r.name));
            }
        }
    }
}

fn process_import_values_rec(c: &mut Chart, w: &mut Vec<String>) -> Result<(), PrepareError> {
    for d in &mut c.dependencies {
        process_import_values_rec(d, w)?;
    }
    process_import_values(c, w)
}

/// `Values.Table` on shared maps (the result aliases `v`, as in Go).
fn table_v(v: &M, name: &str) -> Option<M> {
    let mut cur = v.clone();
    for part in name.split('.') {
        let next = cur.borrow().get(part).and_then(V::as_map)?;
        cur = next;
    }
    Some(cur)
}

fn path_to_map(path: &str, data: M) -> M {
    if path == "." {
        return data;
    }
    let mut cur = V::Map(data);
    for p in path.split('.').rev() {
        let m = new_map();
        m.borrow_mut().insert(p.to_string(), cur);
        cur = V::Map(m);
    }
    cur.as_map().expect("built as a map")
}

/// `processImportValues(c, merge=true)`.
fn process_import_values(c: &mut Chart, w: &mut Vec<String>) -> Result<(), PrepareError> {
    if c.metadata.dependencies.is_empty() && !c.metadata.dependencies_declared {
        return Ok(());
    }
    let cvals = coalesce::merge_values_v(c, w)?;
    let b = new_map();
    for r in &mut c.metadata.dependencies {
        let mut outiv = Vec::new();
        for riv in &r.import_values {
            match riv {
                Data::Map(iv) => {
                    let fmt = |k: &str| {
                        iv.get(k)
                            .map_or("<nil>".to_string(), |x| go_v(&V::from_data(x)))
                    };
                    let (child, parent) = (fmt("child"), fmt("parent"));
                    outiv.push(Data::Map(
                        [
                            ("child".to_string(), Data::String(child.clone())),
                            ("parent".to_string(), Data::String(parent.clone())),
                        ]
                        .into(),
                    ));
                    let Some(vv) = table_v(&cvals, &format!("{}.{child}", r.name)) else {
                        w.push(format!(
                            "ImportValues missing table from chart {}: no table named {}",
                            r.name,
                            origan_semver::go_quote(&child)
                        ));
                        continue;
                    };
                    coalesce_tables_full_key(w, &b, &path_to_map(&parent, vv), "", true);
                }
                Data::String(iv) => {
                    let child = format!("exports.{iv}");
                    outiv.push(Data::Map(
                        [
                            ("child".to_string(), Data::String(child.clone())),
                            ("parent".to_string(), Data::String(".".into())),
                        ]
                        .into(),
                    ));
                    let Some(vm) = table_v(&cvals, &format!("{}.{child}", r.name)) else {
                        w.push(format!(
                            "ImportValues missing table: no table named {}",
                            origan_semver::go_quote(&child)
                        ));
                        continue;
                    };
                    coalesce_tables_full_key(w, &b, &vm, "", true);
                }
                _ => {}
            }
        }
        r.import_values = outiv;
    }
    // Imported values rank below the parent's own: b is merged under cvals.
    let copy = V::Map(cvals).deep_copy().as_map().expect("a map");
    coalesce_tables_full_key(w, &copy, &b, "", true);
    c.values = map_to_data(&copy);
    Ok(())
}
