//! OCI tag resolution against golden data recorded from the reference Helm with a real registry
//! (`tests/record_oci.py` → data/oci.json).
//!
//! Mirrors Helm's flow (helm-behaviour.md §6.4): a `--version` that parses leniently is used
//! verbatim as the tag; anything else (or nothing) goes through `max_satisfying`.

use std::path::PathBuf;

use origan_semver::{Version, max_satisfying, oci_tags};
use serde_json::Value;

#[test]
fn oci_golden() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/oci.json");
    let text = std::fs::read_to_string(&path).expect("golden file (run tests/record_oci.py)");
    let data: Value = serde_json::from_str(&text).unwrap();
    let strings = |v: &Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_string())
            .collect()
    };
    let raw = strings(&data["raw_tags"]);
    assert_eq!(oci_tags(&raw), strings(&data["helm_tags"]), "tag list");

    let mut failed = Vec::new();
    let pulls = data["pulls"].as_array().unwrap();
    for p in pulls {
        let q = p["version"].as_str().unwrap();
        let pulled = p.get("pulled_chart_version").and_then(Value::as_str);
        let error = p.get("error").and_then(Value::as_str);
        let ok = if !q.is_empty() && Version::parse(q).is_ok() {
            // Verbatim tag: found iff the registry has it (with `+` stored as `_`).
            let present = raw.contains(&q.replace('+', "_"));
            (present && pulled == Some(q)) || (!present && error.is_some())
        } else {
            match max_satisfying(q, &raw) {
                Ok(t) => pulled == Some(t.as_str()),
                Err(e) => error.is_some_and(|h| h.ends_with(&e.to_string())),
            }
        };
        if !ok {
            failed.push(format!(
                "{q:?}: helm {pulled:?}/{error:?}, ours {:?}",
                max_satisfying(q, &raw)
            ));
        }
    }
    eprintln!(
        "oci.json: {} passed, {} failed",
        pulls.len() - failed.len(),
        failed.len()
    );
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}
