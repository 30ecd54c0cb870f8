//! Strings with the line breaks only YAML knows (U+0085, U+2028, U+2029)
//! through `toYaml` and `toYamlPretty`, compared live with the reference
//! Helm (`tests/helm_ref.py template`). The outputs travel base64-encoded so
//! that neither side's transport can fold or split those characters.

use std::path::Path;
use std::process::Command;

use super::{bin, helm_ref_template};

const VALUES: &str = r#"literal: "\u2029 'a\nSat"
lsep: "x\u2028  'q'\ny"
single: "\u2029 'z'"
nel: "\u0085 'n'\nz"
nested:
  deep: "k\u2029'\n'"
  list: ["\u2028", "a\u2029b\nc"]
"#;

const TEMPLATE: &str =
    "v2: {{ toYaml .Values | b64enc }}\nv3: {{ toYamlPretty .Values | b64enc }}\n";

/// `(key, base64 payload)` lines of a rendered manifest.
fn payloads(manifest: &str) -> Vec<(String, String)> {
    manifest
        .lines()
        .filter_map(|l| l.split_once(": "))
        .filter(|(k, _)| *k == "v2" || *k == "v3")
        .map(|(k, v)| (k.to_string(), v.trim_matches('"').to_string()))
        .collect()
}

fn helm_manifest(chart: &Path) -> String {
    let v = helm_ref_template(chart);
    v["manifest"]
        .as_str()
        .unwrap_or_else(|| panic!("no manifest from Helm: {v}"))
        .to_string()
}

#[test]
fn yaml_line_break_characters_match_live_helm() {
    let dir = std::env::temp_dir().join(format!("origanctl-yaml-breaks-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("templates")).unwrap();
    std::fs::write(
        dir.join("Chart.yaml"),
        "apiVersion: v2\nname: breaks\nversion: 0.1.0\n",
    )
    .unwrap();
    std::fs::write(dir.join("values.yaml"), VALUES).unwrap();
    std::fs::write(dir.join("templates/t.yaml"), TEMPLATE).unwrap();
    let ours = Command::new(bin())
        .args(["template", "rel"])
        .arg(&dir)
        .args(["-n", "ns"])
        .output()
        .expect("run origanctl");
    assert!(
        ours.status.success(),
        "{}",
        String::from_utf8_lossy(&ours.stderr)
    );
    let ours = payloads(&String::from_utf8_lossy(&ours.stdout));
    let theirs = payloads(&helm_manifest(&dir));
    assert_eq!(theirs.len(), 2, "Helm's manifest has both payloads");
    assert_eq!(ours, theirs);
    std::fs::remove_dir_all(&dir).ok();
}
