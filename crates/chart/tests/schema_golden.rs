//! Compares schema validation messages with Helm v4.2.3 (tests/data/schema.json,
//! recorded by tests/record_schema.py). Helm's line order (and the order of names
//! in "additional properties" lines) follows Go map iteration, so both are compared
//! order-insensitively.

use std::path::PathBuf;

use origan_chart::archive::BufferedFile;
use origan_chart::{load_files, schema::validate_values};
use origan_yaml::Data;

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

fn normalise(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = text
        .lines()
        .map(|l| match l.split_once(": additional properties ") {
            Some((head, rest)) => {
                let names = rest.trim_end_matches(" not allowed");
                let mut v: Vec<&str> = names.split(", ").collect();
                v.sort();
                format!("{head}: additional properties {} not allowed", v.join(", "))
            }
            None => l.to_string(),
        })
        .collect();
    lines.sort();
    lines
}

/// Cases whose output is known to differ from Helm's (none at present).
const KNOWN_DIFFERENCES: &[&str] = &[];

#[test]
fn schema_messages_match_helm() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/schema.json");
    let cases: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut failures = Vec::new();
    for case in cases.as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        if KNOWN_DIFFERENCES.contains(&name) {
            continue;
        }
        let chart = load_files(vec![
            BufferedFile {
                name: "Chart.yaml".into(),
                mod_time: 0,
                data: b"apiVersion: v2\nname: sch\nversion: 0.1.0\n".to_vec(),
            },
            BufferedFile {
                name: "values.schema.json".into(),
                mod_time: 0,
                data: serde_json::to_vec(&case["schema"]).unwrap(),
            },
        ])
        .unwrap();
        let got = validate_values(&chart, &to_data(&case["values"]));
        let prefix =
            "values don't meet the specifications of the schema(s) in the following chart(s):\n";
        match (got, case.get("error")) {
            (Ok(()), None) => {}
            (Err(e), Some(w)) => {
                let e = e.to_string();
                let body = e.strip_prefix(prefix).unwrap_or(&e);
                if normalise(body) != normalise(w.as_str().unwrap()) {
                    failures.push(format!("{name}:\n want {w}\n  got {body:?}"));
                }
            }
            (got, want) => failures.push(format!("{name}: want {want:?}, got {got:?}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
