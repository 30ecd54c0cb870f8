//! Compares `prepare` (ProcessDependencies + CoalesceValues) and `.Chart` with what
//! Helm v4.2.3 gave each chart of a render (tests/data/coalesce/*.json, recorded by
//! tests/record_coalesce.py from the conformance corpus and tests/data/charts).

use std::path::{Path, PathBuf};

use origan_chart::{Chart, load, prepare};
use origan_yaml::Data;

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn corpus() -> PathBuf {
    manifest().join("../../../shared/conformance")
}

/// Recorded JSON → Data. Values read from files are float64 in Helm, so every
/// number is a Float.
fn to_data(v: &serde_json::Value) -> Data {
    use serde_json::Value as V;
    match v {
        V::Null => Data::Null,
        V::Bool(b) => Data::Bool(*b),
        V::Number(n) => Data::Float(n.as_f64().unwrap()),
        V::String(s) => Data::String(s.clone()),
        V::Array(a) => Data::List(a.iter().map(to_data).collect()),
        V::Object(o) => Data::Map(o.iter().map(|(k, x)| (k.clone(), to_data(x))).collect()),
    }
}

/// Numbers in our output may be Int (never here, but be lenient) or Float.
fn normalise(d: &Data) -> Data {
    match d {
        Data::Int(i) => Data::Float(*i as f64),
        Data::Uint(u) => Data::Float(*u as f64),
        Data::List(l) => Data::List(l.iter().map(normalise).collect()),
        Data::Map(m) => Data::Map(m.iter().map(|(k, v)| (k.clone(), normalise(v))).collect()),
        other => other.clone(),
    }
}

fn first_diff(path: &str, a: &Data, b: &Data) -> Option<String> {
    match (a, b) {
        (Data::Map(x), Data::Map(y)) => {
            for k in x.keys().chain(y.keys()) {
                match (x.get(k), y.get(k)) {
                    (Some(p), Some(q)) => {
                        if let Some(d) = first_diff(&format!("{path}.{k}"), p, q) {
                            return Some(d);
                        }
                    }
                    (p, q) => return Some(format!("{path}.{k}: want {p:?}, got {q:?}")),
                }
            }
            None
        }
        _ if a == b => None,
        _ => Some(format!("{path}: want {a:?}, got {b:?}")),
    }
}

fn collect(c: &Chart, path: &str, vals: &Data, is_root: bool, out: &mut Vec<(String, Data, Data)>) {
    if c.metadata.chart_type != "library" {
        let mut meta = c.metadata.to_template_data();
        if let Data::Map(m) = &mut meta {
            m.insert("IsRoot".into(), Data::Bool(is_root));
        }
        out.push((path.to_string(), vals.clone(), meta));
    }
    for d in &c.dependencies {
        let sub = match vals {
            Data::Map(m) => match m.get(d.name()) {
                Some(v @ Data::Map(_)) => v.clone(),
                _ => Data::Map(Default::default()),
            },
            _ => Data::Map(Default::default()),
        };
        collect(d, &format!("{path}/charts/{}", d.name()), &sub, false, out);
    }
}

fn run_case(file: &Path) -> Result<(), String> {
    let rec: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
    let case = rec["case"].as_str().unwrap();
    let (chart_dir, values_text) = if rec["source"] == "corpus" {
        let dir = corpus().join("charts").join(rec["chart"].as_str().unwrap());
        let vf = corpus().join("cases").join(case).join("values.yaml");
        (dir, std::fs::read_to_string(vf).ok())
    } else {
        let dir = manifest()
            .join("tests/data/charts")
            .join(rec["chart"].as_str().unwrap());
        let vf = manifest()
            .join("tests/data/charts-values")
            .join(rec["values_file"].as_str().unwrap());
        (dir, std::fs::read_to_string(vf).ok())
    };
    let user = match &values_text {
        Some(t) => Data::Map(origan_yaml::from_yaml_map(t).map_err(|e| e.to_string())?),
        None => Data::Map(Default::default()),
    };
    let mut chart = load(&chart_dir).map_err(|e| format!("load: {e}"))?;
    let result = prepare(&mut chart, user);
    if let Some(err) = rec.get("error") {
        return match result {
            Err(e) if e.to_string() == err.as_str().unwrap() => Ok(()),
            other => Err(format!("want error {err}, got {other:?}")),
        };
    }
    let vals = result.map_err(|e| format!("prepare: {e}"))?;
    if let Some(want) = rec.get("warnings") {
        let mut got: Vec<String> = chart
            .warnings
            .iter()
            .filter(|w| {
                ["warning: ", "Conflict: ", "key "]
                    .iter()
                    .any(|p| w.starts_with(p))
            })
            .cloned()
            .collect();
        got.sort();
        got.dedup();
        let want: Vec<String> = want
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_string())
            .collect();
        if got != want {
            return Err(format!("warnings: want {want:?}, got {got:?}"));
        }
    }
    let mut got = Vec::new();
    collect(&chart, chart.name(), &normalise(&vals), true, &mut got);
    let paths: Vec<String> = chart
        .charts_with_paths()
        .into_iter()
        .filter(|(_, c)| c.metadata.chart_type != "library")
        .map(|(p, _)| p)
        .collect();
    if paths != got.iter().map(|g| g.0.clone()).collect::<Vec<_>>() {
        return Err(format!("charts_with_paths gives {paths:?}"));
    }
    let want_vals = rec["values"].as_object().unwrap();
    let want_charts = rec["charts"].as_object().unwrap();
    let got_paths: Vec<&str> = got.iter().map(|g| g.0.as_str()).collect();
    let mut want_paths: Vec<&str> = want_vals.keys().map(String::as_str).collect();
    want_paths.sort();
    let mut gp = got_paths.clone();
    gp.sort();
    if gp != want_paths {
        return Err(format!("enabled charts: want {want_paths:?}, got {gp:?}"));
    }
    for (path, v, meta) in &got {
        let want = to_data(&want_vals[path.as_str()]);
        if let Some(d) = first_diff(&format!("{path}:.Values"), &want, v) {
            return Err(d);
        }
        let want = to_data(&want_charts[path.as_str()]);
        if let Some(d) = first_diff(&format!("{path}:.Chart"), &want, &normalise(meta)) {
            return Err(d);
        }
    }
    Ok(())
}

#[test]
fn coalesced_values_match_helm() {
    if !corpus().exists() {
        eprintln!("skipping: {} not found", corpus().display());
        return;
    }
    let dir = manifest().join("tests/data/coalesce");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let mut failures = Vec::new();
    for f in &files {
        if let Err(e) = run_case(f) {
            failures.push(format!("{}: {e}", f.file_name().unwrap().to_string_lossy()));
        }
    }
    eprintln!(
        "{} of {} cases match",
        files.len() - failures.len(),
        files.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
