//! Compares the chart loader with Helm v4.2.3's (tests/data/load.json, recorded by
//! tests/record_load.py): error texts, metadata, values and how files are classified.

use std::path::PathBuf;

use origan_chart::{Chart, load};
use origan_yaml::Data;
use sha2::{Digest, Sha256};

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

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

fn names(files: &[origan_chart::File]) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = files
        .iter()
        .map(|f| {
            let text = String::from_utf8_lossy(&f.data);
            (f.name.clone(), hex(&Sha256::digest(text.as_bytes())))
        })
        .collect();
    v.sort();
    v
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn pairs(v: &serde_json::Value) -> Vec<(String, String)> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p[0].as_str().unwrap().to_string(),
                p[1].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn compare(c: &Chart, want: &serde_json::Value) -> Result<(), String> {
    let meta = c.metadata.to_json_data();
    if meta != to_data(&want["metadata"]) {
        return Err(format!("metadata: want {}, got {meta:?}", want["metadata"]));
    }
    let wv = match to_data(&want["values"]) {
        Data::Null => Data::Map(Default::default()),
        v => v,
    };
    if c.values != wv {
        return Err(format!("values: want {wv:?}, got {:?}", c.values));
    }
    for (what, got, w) in [
        ("files", names(&c.files), &want["files"]),
        ("templates", names(&c.templates), &want["templates"]),
    ] {
        if got != pairs(w) {
            return Err(format!("{what}: want {w}, got {got:?}"));
        }
    }
    let objects = c.crd_objects();
    let mut crds: Vec<&str> = objects.iter().map(|o| o.name.as_str()).collect();
    crds.sort();
    let wc: Vec<&str> = want["crds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    if crds != wc {
        return Err(format!("crds: want {wc:?}, got {crds:?}"));
    }
    if c.schema.is_some() != want["schema"].as_bool().unwrap() {
        return Err("schema presence differs".into());
    }
    let mut deps: Vec<&str> = c.dependencies.iter().map(|d| d.name()).collect();
    deps.sort();
    let wd: Vec<&str> = want["dependencies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    if deps != wd {
        return Err(format!("dependencies: want {wd:?}, got {deps:?}"));
    }
    Ok(())
}

#[test]
fn loader_matches_helm() {
    let golden: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(manifest().join("tests/data/load.json")).unwrap(),
    )
    .unwrap();
    let corpus = manifest().join("../../../shared/conformance/charts");
    let mut failures = Vec::new();
    let mut checked = 0;
    for (key, want) in golden.as_object().unwrap() {
        let path = if let Some(n) = key.strip_prefix("corpus/") {
            if !corpus.exists() {
                continue;
            }
            corpus.join(n)
        } else {
            manifest().join("tests/data").join(key)
        };
        checked += 1;
        let got = load(&path);
        let r = match (got, want.get("error")) {
            (Err(e), Some(w)) if e.to_string() == w.as_str().unwrap() => Ok(()),
            (Err(e), w) => Err(format!("error {e}, want {w:?}")),
            (Ok(_), Some(w)) => Err(format!("loaded, want error {w}")),
            (Ok(c), None) => compare(&c, want),
        };
        if let Err(e) = r {
            failures.push(format!("{key}: {e}"));
        }
    }
    eprintln!("{} of {checked} charts match", checked - failures.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
