//! Runs the Helm-produced function corpus groups of the Sprig-A families
//! (`../shared/conformance/functions/{strings,lists,dicts,math}.jsonl`,
//! recorded with Helm v4.2.3) through origan-gotmpl with every Sprig
//! function registered, the way Helm's engine runs a template:
//! `missingkey=zero`, the case's values as `.Values`, `<no value>` erased.
//!
//! Cases needing Helm's own functions (`toJson`, `required`, `include`, ...)
//! or objects (`.Capabilities`, `.Files`) are counted as out of scope. An
//! expected error passes when ours carries the same innermost message.
//! Pass counts per group are ratchets: raise them as functions improve.

use std::collections::BTreeMap;

use origan_gotmpl::{FuncMap, MissingKey, Options, Templates, Value};
use origan_yaml::Data;

#[path = "../../gotmpl/tests/support/corpus.rs"]
mod corpus;
use corpus::{HELM_ONLY, cases, inner_message, to_value};

/// Lowest acceptable passing cases per group.
const MIN_PASS: &[(&str, usize)] = &[
    ("strings", 361),
    ("lists", 141),
    ("dicts", 101),
    ("math", 174),
];

enum Outcome {
    Pass,
    Fail(String),
    OutOfScope,
}

fn run_case(case: &serde_json::Value) -> Outcome {
    let id = case["id"].as_str().unwrap_or_default();
    let template = case["template"].as_str().unwrap_or_default();
    if HELM_ONLY.iter().any(|h| template.contains(h)) {
        return Outcome::OutOfScope;
    }
    let values = match origan_yaml::load_values(case["values_yaml"].as_str().unwrap_or_default()) {
        Ok(m) => to_value(&Data::Map(m)),
        Err(_) => return Outcome::OutOfScope,
    };
    let name = format!("fnchart/templates/{id}.yaml");
    let data = Value::map(BTreeMap::from([("Values".to_string(), values)]));
    let mut funcs = FuncMap::new();
    origan_sprig::register(&mut funcs);
    funcs.remove("env");
    funcs.remove("expandenv");
    let mut set = Templates::new("gotpl", funcs);
    set.set_options(Options {
        missing_key: MissingKey::Zero,
        ..Options::default()
    });
    let result = set
        .parse(&name, template)
        .and_then(|()| set.execute(&name, &data))
        .map(|out| out.replace("<no value>", ""));
    if let Some(want) = case.get("expected_error").and_then(|e| e.as_str()) {
        return match result {
            Err(e) => {
                let (w, g) = (inner_message(want), inner_message(&e.to_string()));
                if w == g {
                    Outcome::Pass
                } else {
                    Outcome::Fail(format!(
                        "{id}: {template}\n  want error {w:?}\n  got error  {g:?}"
                    ))
                }
            }
            Ok(out) => Outcome::Fail(format!(
                "{id}: {template}\n  want error {want:?}\n  got {out:?}"
            )),
        };
    }
    let want = match case.get("expected").and_then(|e| e.as_str()) {
        Some(w) => w.to_string(),
        // Invalid UTF-8 output (a byte cut inside a rune) is compared as
        // it decodes, the broken rune as U+FFFD.
        None => case["expected_text_lossy"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
    };
    match result {
        Ok(out) if out == want => Outcome::Pass,
        Ok(out) => Outcome::Fail(format!("{id}: {template}\n  want {want:?}\n  got  {out:?}")),
        Err(e) => Outcome::Fail(format!("{id}: {template}\n  want {want:?}\n  error {e}")),
    }
}

#[test]
fn sprig_a_corpus() {
    let mut report = Vec::new();
    let mut failures = Vec::new();
    let mut below = Vec::new();
    for &(group, min) in MIN_PASS {
        let (mut pass, mut total, mut scope) = (0, 0, 0);
        for case in cases(group) {
            total += 1;
            match run_case(&case) {
                Outcome::Pass => {
                    pass += 1;
                    scope += 1;
                }
                Outcome::Fail(f) => {
                    scope += 1;
                    failures.push(f);
                }
                Outcome::OutOfScope => {}
            }
        }
        report.push(format!("{group}: {pass}/{scope} in scope ({total} cases)"));
        if pass < min {
            below.push(format!("{group}: {pass} < {min}"));
        }
    }
    for f in &failures {
        eprintln!("FAIL {f}");
    }
    eprintln!("{}", report.join("\n"));
    assert!(below.is_empty(), "pass count dropped: {below:?}");
}
