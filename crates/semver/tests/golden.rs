//! Golden data recorded from the reference Helm by `tests/record.py` (data/render.json,
//! data/lint.json), compared with origan_semver.

mod common;

use std::path::PathBuf;

use origan_semver::{Constraints, Version};
use serde_json::Value;

fn load(name: &str) -> Vec<Value> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name);
    let text = std::fs::read_to_string(&path).expect("golden file (run tests/record.py)");
    serde_json::from_str::<Vec<Value>>(&text).expect("golden json")
}

#[test]
fn render_golden() {
    let records = load("render.json");
    let mut failed = Vec::new();
    for r in &records {
        let template = r["template"].as_str().unwrap();
        let ours = common::eval(template).unwrap_or_else(|| panic!("unsupported: {template}"));
        let expected = r.get("expected").and_then(Value::as_str);
        let expected_error = r.get("expected_error").and_then(Value::as_str);
        if !common::agrees(&ours, expected, expected_error) {
            failed.push(format!(
                "{template}\n  helm: {expected:?} / {expected_error:?}\n  ours: {ours:?}"
            ));
        }
    }
    eprintln!(
        "render.json: {} passed, {} failed",
        records.len() - failed.len(),
        failed.len()
    );
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

/// `helm lint` on a chart whose version is the input: lenient validity ("not a valid SemVer"),
/// strict validity ("not a valid SemVerV2") and the `>0.0.0-0` Validate reason.
#[test]
fn lint_golden() {
    let records = load("lint.json");
    let gt0 = Constraints::parse(">0.0.0-0").unwrap();
    let mut failed = Vec::new();
    for r in &records {
        let version = r["version"].as_str().unwrap();
        let msgs: Vec<&str> = r["messages"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(Value::as_str)
            .collect();
        let has = |m: &str| msgs.contains(&m);
        let lenient = Version::parse(version);
        let strict = Version::parse_strict(version);
        let helm_lenient = !has(&format!("version '{version}' is not a valid SemVer"));
        let helm_strict = !has(&format!("version '{version}' is not a valid SemVerV2"));
        let helm_reason = msgs
            .iter()
            .find(|m| m.starts_with("version \""))
            .map(|m| m.to_string());
        let our_reason = lenient.as_ref().ok().and_then(|v| {
            let (ok, reasons) = gt0.validate(v);
            (!ok).then(|| format!("version {}", reasons[0]))
        });
        if lenient.is_ok() != helm_lenient
            || strict.is_ok() != helm_strict
            || our_reason != helm_reason
        {
            failed.push(format!(
                "{version:?}: helm lenient={helm_lenient} strict={helm_strict} reason={helm_reason:?}; \
                 ours lenient={:?} strict={:?} reason={our_reason:?}",
                lenient.map(|v| v.to_string()),
                strict.map(|v| v.to_string())
            ));
        }
    }
    eprintln!(
        "lint.json: {} passed, {} failed",
        records.len() - failed.len(),
        failed.len()
    );
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}
