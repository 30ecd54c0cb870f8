//! Compares `.helmignore` handling of the directory loader with Helm v4.2.3
//! (tests/data/helmignore.json, recorded by tests/record_helmignore.py).

use std::fs;
use std::path::PathBuf;

use origan_chart::load;

#[test]
fn helmignore_matches_helm() {
    let golden: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/helmignore.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let tree: Vec<&str> = golden["tree"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    let mut failures = Vec::new();
    for (name, case) in golden["cases"].as_object().unwrap() {
        let dir =
            std::env::temp_dir().join(format!("origan-chart-ignore-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        for p in &tree {
            let full = dir.join(p);
            fs::create_dir_all(full.parent().unwrap()).unwrap();
            let content = match *p {
                "Chart.yaml" => "apiVersion: v2\nname: ign\nversion: 0.1.0\n".to_string(),
                "values.yaml" => "a: 1\n".to_string(),
                _ => format!("{p}\n"),
            };
            fs::write(&full, content).unwrap();
        }
        fs::write(dir.join(".helmignore"), case["rules"].as_str().unwrap()).unwrap();
        let got = load(&dir);
        match (got, case.get("error")) {
            (Err(e), Some(w)) if e.to_string() == w.as_str().unwrap() => {}
            (Ok(c), None) => {
                let mut kept: Vec<String> = c
                    .files
                    .iter()
                    .chain(c.templates.iter())
                    .map(|f| f.name.clone())
                    .collect();
                kept.sort();
                let want: Vec<String> = case["kept"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|s| s.as_str().unwrap().to_string())
                    .collect();
                if kept != want {
                    failures.push(format!("{name}: want {want:?}\n got {kept:?}"));
                }
            }
            (got, want) => failures.push(format!(
                "{name}: want {want:?}, got {:?}",
                got.map(|c| c.files.len())
            )),
        }
        fs::remove_dir_all(&dir).unwrap();
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
