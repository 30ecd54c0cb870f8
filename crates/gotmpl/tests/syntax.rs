//! Runs the Go-builtins-only cases of the Helm-produced syntax corpus
//! (`../shared/conformance/functions/syntax.jsonl`, expected output recorded
//! with Helm v4.2.3) through this engine, the way Helm's engine would:
//! `missingkey=zero`, the case's values as `.Values`, `<no value>` erased.
//!
//! Cases that call Sprig or Helm functions (anything not a Go builtin), or
//! read `.Capabilities`/`.Files`, are skipped. The pass count is a ratchet.

use std::collections::BTreeMap;
use std::path::PathBuf;

use origan_gotmpl::{FuncMap, MissingKey, Options, Templates, Value};
use origan_yaml::Data;

/// Lowest acceptable number of passing cases; raise it as the engine grows.
const MIN_PASS: usize = 408;
/// The same for the other corpus groups together.
const MIN_PASS_OTHER: usize = 146;

fn corpus(group: &str) -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/conformance/functions/"
    ))
    .join(format!("{group}.jsonl"))
}

fn to_value(d: &Data) -> Value {
    match d {
        Data::Null => Value::Nil,
        Data::Bool(b) => Value::Bool(*b),
        Data::Int(i) => Value::int64(*i),
        Data::Uint(u) => Value::Uint(*u, origan_gotmpl::IntType::Uint64),
        Data::Float(f) => Value::Float(*f),
        Data::String(s) => Value::str(s.as_str()),
        Data::List(l) => Value::list(l.iter().map(to_value).collect()),
        Data::Map(m) => Value::map(m.iter().map(|(k, v)| (k.clone(), to_value(v))).collect()),
    }
}

fn smap(pairs: &[(&str, Value)]) -> Value {
    Value::map(entries(pairs))
}

fn entries(pairs: &[(&str, Value)]) -> BTreeMap<String, Value> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

/// Helm's `common.Values`: the type of `.`, `.Values` and `.Template`.
fn values_map(pairs: &[(&str, Value)]) -> Value {
    Value::named_map(entries(pairs), "common.Values")
}

enum Outcome {
    Pass,
    Fail(String),
    Skip,
}

fn run_case(case: &serde_json::Value) -> Outcome {
    let id = case["id"].as_str().unwrap_or_default();
    let template = case["template"].as_str().unwrap_or_default();
    if template.contains(".Capabilities")
        || template.contains(".Files")
        || template.contains("slice")
        || case.get("chart").is_some()
    {
        return Outcome::Skip;
    }
    let values = match origan_yaml::load_values(case["values_yaml"].as_str().unwrap_or_default()) {
        Ok(m) => Value::named_map(
            m.iter().map(|(k, v)| (k.clone(), to_value(v))).collect(),
            "common.Values",
        ),
        Err(_) => return Outcome::Skip,
    };
    let (rel, ns) = match case.get("release") {
        Some(r) => (
            r["name"].as_str().unwrap_or("rel").to_string(),
            r["namespace"].as_str().unwrap_or("ns").to_string(),
        ),
        None => ("rel".into(), "ns".into()),
    };
    let name = format!("fnchart/templates/{id}.yaml");
    let data = values_map(&[
        ("Values", values),
        (
            "Release",
            smap(&[
                ("Name", Value::str(rel.as_str())),
                ("Namespace", Value::str(ns.as_str())),
                ("IsUpgrade", Value::Bool(false)),
                ("IsInstall", Value::Bool(true)),
                ("Revision", Value::int(1)),
                ("Service", Value::str("Helm")),
            ]),
        ),
        (
            "Chart",
            // Helm 4's `.Chart`: every Chart.yaml field by its Go name,
            // zero values included (nil slices print `[]`, nil maps `map[]`).
            smap(&[
                ("Name", Value::str("fnchart")),
                ("Home", Value::str("")),
                ("Sources", Value::list(vec![])),
                ("Version", Value::str("0.1.0")),
                ("Description", Value::str("")),
                ("Keywords", Value::list(vec![])),
                ("Maintainers", Value::list(vec![])),
                ("Icon", Value::str("")),
                ("APIVersion", Value::str("v2")),
                ("Condition", Value::str("")),
                ("Tags", Value::str("")),
                ("AppVersion", Value::str("")),
                ("Deprecated", Value::Bool(false)),
                ("Annotations", smap(&[])),
                ("KubeVersion", Value::str("")),
                ("Dependencies", Value::list(vec![])),
                ("Type", Value::str("")),
                ("IsRoot", Value::Bool(true)),
            ]),
        ),
        ("Subcharts", smap(&[])),
        (
            "Template",
            values_map(&[
                ("Name", Value::str(name.as_str())),
                ("BasePath", Value::str("fnchart/templates")),
            ]),
        ),
    ]);
    let mut set = Templates::new("gotpl", FuncMap::new());
    set.set_options(Options {
        missing_key: MissingKey::Zero,
        ..Options::default()
    });
    let expected_error = case.get("expected_error").and_then(|e| e.as_str());
    // Helm parses deeper paths first; partials and the case file are all
    // at the same depth here, so descending lexicographic order.
    let mut files: Vec<(String, String)> = vec![(name.clone(), template.to_string())];
    if let Some(extra) = case.get("files").and_then(|f| f.as_object()) {
        for (path, text) in extra {
            if path.starts_with("templates/") {
                files.push((
                    format!("fnchart/{path}"),
                    text.as_str().unwrap_or_default().into(),
                ));
            }
        }
    }
    files.sort_by(|a, b| b.0.cmp(&a.0));
    for (path, text) in &files {
        if let Err(e) = set.parse(path, text) {
            let msg = e.to_string();
            if let Some(f) = msg.split("function \"").nth(1) {
                let f = f.split('"').next().unwrap_or_default();
                let undefined_in_helm = expected_error
                    .is_some_and(|x| x.contains(&format!("function \"{f}\" not defined")));
                if !undefined_in_helm {
                    return Outcome::Skip; // a Sprig/Helm function
                }
            }
            return match expected_error {
                Some(x) => {
                    if std::env::var_os("GOTMPL_SHOW_ERRORS").is_some() {
                        eprintln!("ERR {id}\n   ours {msg}\n   helm {}", x.replace('\n', "|"));
                    }
                    Outcome::Pass
                }
                None => Outcome::Fail(format!("{id}: parse error {msg}")),
            };
        }
    }
    match (set.execute(&name, &data), expected_error) {
        (Ok(out), None) => {
            let out = out.replace("<no value>", "");
            let expected = case["expected"].as_str().unwrap_or_default();
            if out == expected {
                Outcome::Pass
            } else {
                Outcome::Fail(format!(
                    "{id}: {template:?}\n   got {out:?}\n  want {expected:?}"
                ))
            }
        }
        (Err(e), None) => Outcome::Fail(format!("{id}: {template:?}\n   error {e}")),
        (Ok(out), Some(x)) => Outcome::Fail(format!(
            "{id}: {template:?}\n   got {out:?}, want error {x:?}"
        )),
        (Err(e), Some(x)) => {
            if std::env::var_os("GOTMPL_SHOW_ERRORS").is_some() {
                eprintln!("ERR {id}\n   ours {e}\n   helm {}", x.replace('\n', "|"));
            }
            Outcome::Pass
        }
    }
}

/// Runs one corpus file; returns the number of passing cases.
fn run_group(group: &str) -> usize {
    let path = corpus(group);
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("corpus not found at {}; skipping", path.display());
        return 0;
    };
    let (mut pass, mut skip, mut fails) = (0, 0, Vec::new());
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let case: serde_json::Value = serde_json::from_str(line).expect("corpus line is JSON");
        match run_case(&case) {
            Outcome::Pass => pass += 1,
            Outcome::Skip => skip += 1,
            Outcome::Fail(m) => fails.push(m),
        }
    }
    for f in &fails {
        eprintln!("FAIL {f}");
    }
    eprintln!(
        "{group} corpus: {pass} passed, {} failed, {skip} skipped",
        fails.len()
    );
    pass
}

#[test]
fn syntax_corpus() {
    let pass = run_group("syntax");
    assert!(
        pass >= MIN_PASS,
        "pass count {pass} fell below the ratchet {MIN_PASS}"
    );
}

/// The other groups hold fewer builtin-only cases, but those exercise value
/// printing (`yamltypes`) and more; same ratchet idea.
#[test]
fn other_corpora() {
    let mut pass = 0;
    for g in [
        "yamltypes",
        "helm",
        "strings",
        "lists",
        "dicts",
        "math",
        "semver",
    ] {
        pass += run_group(g);
    }
    assert!(
        pass >= MIN_PASS_OTHER,
        "pass count {pass} fell below the ratchet {MIN_PASS_OTHER}"
    );
}
