//! Helm-produced conformance cases (`../shared/conformance/functions/semver.jsonl`) that only use
//! `semver`/`semverCompare` on literal strings, evaluated with origan_semver.

mod common;

use std::path::PathBuf;

use serde_json::Value;

#[test]
fn shared_semver_jsonl() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/conformance/functions/semver.jsonl");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("skipping: {} not found", path.display());
        return;
    };
    let (mut run, mut failed, mut skipped) = (0, Vec::new(), 0);
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let case: Value = serde_json::from_str(line).expect("jsonl line");
        let template = case["template"].as_str().unwrap_or_default();
        let Some(ours) = common::eval(template) else {
            skipped += 1;
            continue;
        };
        run += 1;
        let expected = case.get("expected").and_then(Value::as_str);
        let expected_error = case.get("expected_error").and_then(Value::as_str);
        if !common::agrees(&ours, expected, expected_error) {
            failed.push(format!(
                "{}: {template}\n  helm: {:?} / {:?}\n  ours: {ours:?}",
                case["id"], expected, expected_error
            ));
        }
    }
    eprintln!(
        "semver.jsonl: {} passed, {} failed, {skipped} skipped (not pure semver)",
        run - failed.len(),
        failed.len()
    );
    assert!(run > 50, "too few cases recognised: {run}");
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}
