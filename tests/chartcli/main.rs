//! `lint`, `show`, `create` and `dependency list` against what Helm v4.2.3
//! produced for the same charts (recorded by tests/chartcli/record.py into
//! tests/chartcli/data/*.json): the conformance corpus, charts/origan with
//! each values/*.yaml, and the broken charts in tests/chartcli/data/charts.
//!
//! Run from the repository root (paths are relative to it, as recorded).

use std::path::Path;

use origan_yaml::Data;
use origanctl::action::{create, dependency, lint, show};
use serde_json::Value;

fn golden(name: &str) -> Value {
    let text = std::fs::read_to_string(format!("tests/chartcli/data/{name}")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// Every mismatch is printed; the test fails when there is any.
fn report(what: &str, total: usize, failures: &[String]) {
    for f in failures {
        eprintln!("--- {what} mismatch: {f}");
    }
    eprintln!("{what}: {}/{total} match Helm", total - failures.len());
    assert!(failures.is_empty(), "{} {what} mismatches", failures.len());
}

#[test]
fn show_matches_helm() {
    let g = golden("show.json");
    let mut total = 0;
    let mut failures = Vec::new();
    for (chart, formats) in g.as_object().unwrap() {
        for (fmt, expected) in formats.as_object().unwrap() {
            let format = match fmt.as_str() {
                "chart" => show::ShowFormat::Chart,
                "values" => show::ShowFormat::Values,
                "readme" => show::ShowFormat::Readme,
                "crds" => show::ShowFormat::Crds,
                _ => show::ShowFormat::All,
            };
            total += 1;
            let got = show::show(Path::new(chart), format);
            let ok = match (&got, expected.get("output"), expected.get("error")) {
                (Ok(out), Some(Value::String(exp)), _) => out == exp,
                (Err(e), _, Some(Value::String(exp))) => &e.to_string() == exp,
                _ => false,
            };
            if !ok {
                failures.push(format!("{chart} {fmt}: got {got:?}, want {expected}"));
            }
        }
    }
    report("show", total, &failures);
}

/// Helm reports the chart directory as an absolute path; the goldens were
/// recorded in /work/main.
fn normalise(s: &str) -> String {
    let here = std::env::current_dir().unwrap();
    let shared = here.join("../shared");
    let shared = std::path::absolute(&shared).unwrap();
    let mut s = s.replace(&here.display().to_string(), "<REPO>");
    s = s.replace(&shared.display().to_string(), "<SHARED>");
    // the same with the normalised `..`
    if let Some(parent) = here.parent() {
        s = s.replace(&parent.join("shared").display().to_string(), "<SHARED>");
    }
    s.replace("/work/main", "<REPO>")
        .replace("/work/shared", "<SHARED>")
}

fn json_to_data(v: &Value) -> Data {
    origan_yaml::from_json(&v.to_string()).unwrap()
}

#[test]
fn lint_matches_helm() {
    let g = golden("lint.json");
    let mut failures = Vec::new();
    let cases = g.as_array().unwrap();
    for c in cases {
        let case = &c["case"];
        let chart = case["chart"].as_str().unwrap();
        let values = if let Some(f) = case.get("values_file").and_then(Value::as_str) {
            Data::Map(origan_yaml::load_values(&std::fs::read_to_string(f).unwrap()).unwrap())
        } else if let Some(v) = case.get("values") {
            json_to_data(v)
        } else {
            Data::Map(Default::default())
        };
        let opts = lint::LintOptions {
            strict: case.get("strict").and_then(Value::as_bool).unwrap_or(false),
            namespace: "default".into(),
            kube_version: case
                .get("kube_version")
                .and_then(Value::as_str)
                .map(String::from),
            skip_schema_validation: false,
        };
        let got = lint::lint(Path::new(chart), &values, &opts);
        let want = &c["result"];
        let want_msgs: Vec<(u64, String, String)> = want["messages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| {
                (
                    m["severity"].as_u64().unwrap(),
                    normalise(m["path"].as_str().unwrap()),
                    normalise(m["error"].as_str().unwrap()),
                )
            })
            .collect();
        let got_msgs: Vec<(u64, String, String)> = got
            .messages
            .iter()
            .map(|m| (m.severity as u64, normalise(&m.path), normalise(&m.text)))
            .collect();
        let want_errs: Vec<String> = want["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| normalise(e.as_str().unwrap()))
            .collect();
        let got_errs: Vec<String> = got.errors.iter().map(|e| normalise(e)).collect();
        if got_msgs != want_msgs
            || got_errs != want_errs
            || want["total_charts_linted"].as_u64() != Some(got.total_charts_linted as u64)
        {
            failures.push(format!(
                "{case}:\n  got  {got_msgs:?} {got_errs:?}\n  want {want_msgs:?} {want_errs:?}"
            ));
        }
    }
    report("lint", cases.len(), &failures);
}

#[test]
fn create_matches_helm() {
    let g = golden("create.json");
    let mut failures = Vec::new();
    let mut total = 0;
    for (name, files) in g.as_object().unwrap() {
        let dir = std::env::temp_dir().join(format!("chartcli-create-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let root = create::create(name, &dir).unwrap();
        let want = files.as_object().unwrap();
        let got = create::scaffold(name);
        total += want.len();
        if got.len() != want.len() {
            failures.push(format!("{name}: {} files, want {}", got.len(), want.len()));
        }
        for (path, text) in want {
            let on_disk = std::fs::read_to_string(root.join(path)).unwrap_or_default();
            if on_disk != text.as_str().unwrap() {
                failures.push(format!("{name}/{path} differs"));
            }
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
    report("create", total, &failures);
}

#[test]
fn dependency_list_matches_helm() {
    let g = golden("deps.json");
    let mut failures = Vec::new();
    let obj = g.as_object().unwrap();
    for (chart, want) in obj {
        let got = dependency::list(Path::new(chart));
        let ok = match (&got, want.get("deps"), want.get("error")) {
            (Ok(l), Some(Value::Array(rows)), _) => {
                rows.len() == l.rows.len()
                    && rows.iter().zip(&l.rows).all(|(w, g)| {
                        w["name"] == g.name.as_str()
                            && w["version"] == g.version.as_str()
                            && w["repository"] == g.repository.as_str()
                            && w["status"] == g.status.as_str()
                    })
            }
            (Err(e), _, Some(Value::String(exp))) => &e.to_string() == exp,
            _ => false,
        };
        if !ok {
            failures.push(format!("{chart}: got {got:?}, want {want}"));
        }
    }
    report("dependency list", obj.len(), &failures);
}
