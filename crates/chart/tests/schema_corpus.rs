//! Schema validation over every conformance case: cases Helm rejected for their
//! schema must give Helm's message (line order within a chart is not deterministic
//! in Helm, so lines are compared as a multiset); every other case must pass.

use std::path::PathBuf;

use origan_chart::{load, prepare, schema::validate_values};
use origan_yaml::Data;

fn corpus() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/conformance")
}

fn sorted_lines(s: &str) -> Vec<String> {
    let mut v: Vec<String> = s.lines().map(str::to_string).collect();
    v.sort();
    v
}

#[test]
fn schema_validation_matches_corpus() {
    if !corpus().exists() {
        eprintln!("skipping: corpus not found");
        return;
    }
    let mut failures = Vec::new();
    let mut schema_cases = 0;
    let mut ids: Vec<_> = std::fs::read_dir(corpus().join("cases"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    ids.sort();
    for id in &ids {
        let dir = corpus().join("cases").join(id);
        let case =
            origan_yaml::from_yaml_map(&std::fs::read_to_string(dir.join("case.yaml")).unwrap())
                .unwrap();
        let Some(Data::String(chart)) = case.get("chart") else {
            panic!()
        };
        let user = match std::fs::read_to_string(dir.join("values.yaml")) {
            Ok(t) => Data::Map(origan_yaml::from_yaml_map(&t).unwrap()),
            Err(_) => Data::Map(Default::default()),
        };
        let mut c = load(&corpus().join("charts").join(chart)).unwrap();
        let vals = match prepare(&mut c, user) {
            Ok(v) => v,
            Err(e) => {
                failures.push(format!("{id}: prepare: {e}"));
                continue;
            }
        };
        let got = validate_values(&c, &vals);
        let want = match case.get("error_message") {
            Some(Data::String(m)) if m.starts_with("values don't meet") => Some(m.clone()),
            _ => None,
        };
        if want.is_some() {
            schema_cases += 1;
        }
        match (got, want) {
            (Ok(()), None) => {}
            (Err(e), Some(w)) if sorted_lines(&e.to_string()) == sorted_lines(&w) => {}
            (got, want) => failures.push(format!("{id}: want {want:?}, got {got:?}")),
        }
    }
    eprintln!(
        "{} cases, {schema_cases} with schema errors, {} failures",
        ids.len(),
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
