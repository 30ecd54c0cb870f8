//! Goldens recorded from the reference Helm by `tests/record.py` (`tests/data/goldens.json`):
//! each input text through Helm's `fromYaml`/`fromYamlArray`/`fromJson` piped into
//! `toYaml`/`toYamlPretty`/`toJson`/`toPrettyJson`/`toRawJson`, and the same text loaded as a
//! chart's `values.yaml`. This crate must reproduce every output byte for byte.

use std::path::PathBuf;

use origan_yaml::{
    Data, Node, coerce_string, helm_from_json, helm_from_json_array, helm_from_yaml,
    helm_from_yaml_array, load_values, parse_first_document, parse_head, split_manifests, to_json,
    to_json_pretty, to_raw_json, to_yaml, to_yaml_pretty,
};

/// Helm 4's coalescing drops null chart defaults (helm-behaviour.md §9.6).
fn drop_nulls(d: Data) -> Data {
    match d {
        Data::Map(m) => Data::Map(
            m.into_iter()
                .filter(|(_, v)| *v != Data::Null)
                .map(|(k, v)| (k, drop_nulls(v)))
                .collect(),
        ),
        other => other,
    }
}

fn render(key: &str, src: &str) -> String {
    let (from, to) = key.split_once('_').expect("FROM_TO key");
    let d = match from {
        "fromYaml" => helm_from_yaml(src),
        "fromYamlArray" => helm_from_yaml_array(src),
        "fromJson" => helm_from_json(src),
        "fromJsonArray" => helm_from_json_array(src),
        _ => panic!("unknown source function {from}"),
    };
    apply(to, &d)
}

/// Helm swallows encoder errors and prints "".
fn apply(to: &str, d: &Data) -> String {
    match to {
        "toYaml" => to_yaml(d).unwrap_or_default(),
        "toYamlPretty" => to_yaml_pretty(d).unwrap_or_default(),
        "toJson" => to_json(d).unwrap_or_default(),
        "toPrettyJson" => to_json_pretty(d).unwrap_or_default(),
        "toRawJson" => to_raw_json(d).unwrap_or_default(),
        _ => panic!("unknown function {to}"),
    }
}

/// Helm's `SortManifests` over one rendered file: split, then every document's head.
fn manifest_error(src: &str) -> Option<String> {
    for doc in split_manifests(src) {
        if let Err(e) = parse_head(&doc) {
            return Some(format!("YAML parse error on rec/templates/t.yaml: {e}"));
        }
    }
    None
}

/// Chart.yaml's string fields as Helm loads them: every recorded metadata string (and
/// annotation) must equal `coerce_string` of the parsed scalar.
fn chart_mismatches(name: &str, src: &str, meta: &serde_json::Value) -> (usize, Vec<String>) {
    let Ok(Node::Map(entries)) = parse_first_document(src) else {
        return (
            1,
            vec![format!("{name}: Chart.yaml did not parse as a map")],
        );
    };
    let get = |entries: &[(Node, Node)], k: &str| {
        entries
            .iter()
            .find(|(key, _)| *key == Node::String(k.to_string()))
            .map(|(_, v)| v.clone())
    };
    let (mut n, mut bad) = (0, Vec::new());
    for (field, want) in meta.as_object().unwrap() {
        if let Some(w) = want.as_str() {
            n += 1;
            let got = get(&entries, field).and_then(|v| coerce_string(&v));
            if got.as_deref() != Some(w) {
                bad.push(format!("{name} {field}: want {w:?} got {got:?}"));
            }
        }
    }
    if let (Some(ann), Some(Node::Map(a))) = (meta.get("annotations"), get(&entries, "annotations"))
    {
        for (k, want) in ann.as_object().unwrap() {
            n += 1;
            let got = get(&a, k).and_then(|v| coerce_string(&v));
            if got.as_deref() != want.as_str() {
                bad.push(format!("{name} annotations.{k}: want {want} got {got:?}"));
            }
        }
    }
    (n, bad)
}

/// Inputs this crate is known to get wrong, with the reason; reported, not failed.
const KNOWN_GAPS: &[(&str, &str)] = &[];

#[test]
fn recorded_goldens() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/goldens.json");
    let text = std::fs::read_to_string(path).expect("goldens.json");
    let goldens: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    let (mut total, mut failures, mut gaps) = (0, Vec::new(), 0);
    for g in &goldens {
        let name = g["name"].as_str().unwrap();
        if KNOWN_GAPS.iter().any(|(n, _)| *n == name) {
            gaps += 1;
            continue;
        }
        let src = g["src"].as_str().unwrap();
        for (key, want) in g["outputs"].as_object().unwrap() {
            total += 1;
            let got = render(key, src);
            if got != want.as_str().unwrap() {
                failures.push(format!("{name} {key}\n  want {want}\n  got  {got:?}"));
            }
        }
        if let Some(meta) = g.get("metadata") {
            let (n, bad) = chart_mismatches(name, src, meta);
            total += n;
            failures.extend(bad);
        }
        if let Some(install) = g.get("install") {
            total += 1;
            let want = install.get("error").and_then(|e| e.as_str());
            let got = manifest_error(src);
            if want != got.as_deref() {
                failures.push(format!(
                    "{name} manifest heads\n  want {want:?}\n  got  {got:?}"
                ));
            }
        }
        let Some(values) = g.get("values") else {
            continue;
        };
        total += 1;
        let loaded = load_values(src);
        match (values.get("error"), loaded) {
            (Some(want), Err(e)) => {
                let got = format!("cannot load values.yaml: {e}");
                if got != want.as_str().unwrap() {
                    failures.push(format!(
                        "{name} values error\n  want {want}\n  got  {got:?}"
                    ));
                }
            }
            (Some(want), Ok(_)) => failures.push(format!("{name} values: want error {want}")),
            (None, Err(e)) => failures.push(format!("{name} values: unexpected error {e}")),
            (None, Ok(v)) => {
                let d = drop_nulls(Data::Map(v));
                for (key, to) in [("values_toJson", "toJson"), ("values_toYaml", "toYaml")] {
                    let want = values[key].as_str().unwrap();
                    let got = apply(to, &d);
                    if got != want {
                        failures.push(format!("{name} {key}\n  want {want:?}\n  got  {got:?}"));
                    }
                }
            }
        }
    }
    eprintln!(
        "recorded goldens: {} of {total} outputs pass ({gaps} input(s) skipped as known gaps)",
        total - failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
