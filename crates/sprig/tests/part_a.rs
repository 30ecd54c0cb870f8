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
use std::path::PathBuf;

use origan_gotmpl::{FuncMap, MissingKey, Options, Templates, Value};
use origan_yaml::Data;

/// Lowest acceptable passing cases per group.
const MIN_PASS: &[(&str, usize)] = &[
    ("strings", 361),
    ("lists", 141),
    ("dicts", 101),
    ("math", 174),
];

/// Helm functions and objects these cases may use that Sprig does not have.
const HELM_ONLY: &[&str] = &[
    "toJson",
    "fromJson",
    "toYaml",
    "fromYaml",
    "toToml",
    "required",
    "include",
    "tpl",
    "lookup",
    "toPrettyJson",
    "toRawJson",
    "mustToJson",
    "fail",
    ".Capabilities",
    ".Files",
    ".Release",
    ".Chart",
    ".Template",
    "getHostByName",
];

fn corpus(group: &str) -> PathBuf {
    PathBuf::from(format!(
        "{}/../../../shared/conformance/functions/{group}.jsonl",
        env!("CARGO_MANIFEST_DIR")
    ))
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

enum Outcome {
    Pass,
    Fail(String),
    OutOfScope,
}

/// The innermost message of a Helm or origan-gotmpl error: what follows the
/// last `error calling NAME: `, or else the last line.
fn inner_message(e: &str) -> String {
    if let Some(i) = e.rfind("error calling ") {
        let rest = &e[i + "error calling ".len()..];
        if let Some((_, msg)) = rest.split_once(": ") {
            return msg.trim().to_string();
        }
    }
    let last = e.lines().last().unwrap_or_default().trim();
    // Helm's `execution error at (file:1:3): msg`; Go's one-line
    // `template: file:1:3: executing "file" at <arg>: msg`.
    if let Some((_, msg)) = last.rsplit_once("): ") {
        return msg.to_string();
    }
    last.rsplit_once(">: ").map_or(last, |(_, m)| m).to_string()
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
        let text = std::fs::read_to_string(corpus(group)).expect("corpus file");
        let (mut pass, mut total, mut scope) = (0, 0, 0);
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let case: serde_json::Value = serde_json::from_str(line).expect("JSON line");
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
