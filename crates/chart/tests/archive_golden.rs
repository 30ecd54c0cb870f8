//! Compares `load_archive` with Helm v4.2.3 on small edge-case archives
//! (tests/data/archives/*.tgz and archives.json, made by tests/record_archives.py).

use std::path::PathBuf;

use origan_chart::load_archive;
use origan_yaml::Data;

fn to_data(v: &serde_json::Value) -> Data {
    use serde_json::Value as V;
    match v {
        V::Null => Data::Map(Default::default()),
        V::Bool(b) => Data::Bool(*b),
        V::Number(n) => Data::Float(n.as_f64().unwrap()),
        V::String(s) => Data::String(s.clone()),
        V::Array(a) => Data::List(a.iter().map(to_data).collect()),
        V::Object(o) => Data::Map(o.iter().map(|(k, x)| (k.clone(), to_data(x))).collect()),
    }
}

fn strs(v: &serde_json::Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn archives_match_helm() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let golden: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("archives.json")).unwrap()).unwrap();
    let mut failures = Vec::new();
    for (name, want) in golden.as_object().unwrap() {
        let data = std::fs::read(dir.join("archives").join(format!("{name}.tgz"))).unwrap();
        let got = load_archive(&data);
        let r: Result<(), String> = if want.get("origanctl_refuses").is_some() {
            match got {
                Err(e) if e.to_string().contains("refusing to load it") => Ok(()),
                other => Err(format!("want a refusal, got {other:?}")),
            }
        } else if let Some(w) = want.get("error") {
            match got {
                Err(e) if e.to_string() == w.as_str().unwrap() => Ok(()),
                other => Err(format!(
                    "want error {w}, got {:?}",
                    other.map(|c| c.metadata)
                )),
            }
        } else {
            match got {
                Err(e) => Err(format!("unexpected error {e}")),
                Ok(c) => {
                    let mut files: Vec<String> = c.files.iter().map(|f| f.name.clone()).collect();
                    files.sort();
                    let mut templates: Vec<String> =
                        c.templates.iter().map(|f| f.name.clone()).collect();
                    templates.sort();
                    let mut deps: Vec<String> = c
                        .dependencies
                        .iter()
                        .map(|d| d.name().to_string())
                        .collect();
                    deps.sort();
                    if c.metadata.to_json_data() != to_data(&want["metadata"]) {
                        Err(format!("metadata {:?}", c.metadata))
                    } else if c.values != to_data(&want["values"]) {
                        Err(format!("values {:?}", c.values))
                    } else if files != strs(&want["files"])
                        || templates != strs(&want["templates"])
                        || deps != strs(&want["dependencies"])
                    {
                        Err(format!(
                            "files {files:?} templates {templates:?} deps {deps:?}"
                        ))
                    } else {
                        Ok(())
                    }
                }
            }
        };
        if let Err(e) = r {
            failures.push(format!("{name}: {e}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
