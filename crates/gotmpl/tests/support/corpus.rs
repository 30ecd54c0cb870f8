//! What the function-corpus harnesses of origan-gotmpl (`tests/syntax.rs`)
//! and origan-sprig (`tests/part_a.rs`, `tests/part_b.rs`) share: reading
//! the Helm-recorded cases from `../shared/conformance/functions`, turning
//! their values into template values, and comparing error messages.
//! Included by `#[path]` (as `tests/common/mod.rs` is at the root), so each
//! harness uses only part of it.
#![allow(dead_code)]

use std::path::PathBuf;

use origan_gotmpl::{IntType, Value};
use origan_yaml::Data;

/// Helm functions and objects that neither Go's text/template nor Sprig
/// has: cases using them belong to the engine's end-to-end runner.
pub const HELM_ONLY: &[&str] = &[
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

/// The cases of one corpus group, in file order. A missing corpus fails
/// the test (it never passes by running nothing).
pub fn cases(group: &str) -> Vec<serde_json::Value> {
    let path = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/conformance/functions/"
    ))
    .join(format!("{group}.jsonl"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "corpus {}: {e}; the shared conformance material must sit beside the repository (../shared)",
            path.display()
        )
    });
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("corpus line is JSON"))
        .collect()
}

/// A values-file datum as Helm's templates see it.
pub fn to_value(d: &Data) -> Value {
    match d {
        Data::Null => Value::Nil,
        Data::Bool(b) => Value::Bool(*b),
        Data::Int(i) => Value::int64(*i),
        Data::Uint(u) => Value::Uint(*u, IntType::Uint64),
        Data::Float(f) => Value::Float(*f),
        Data::String(s) => Value::str(s.as_str()),
        Data::List(l) => Value::list(l.iter().map(to_value).collect()),
        Data::Map(m) => Value::map(m.iter().map(|(k, v)| (k.clone(), to_value(v))).collect()),
    }
}

/// The innermost message of a Helm or origan-gotmpl error: what follows the
/// last `error calling NAME: `, or else the last line.
pub fn inner_message(e: &str) -> String {
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
