//! What `origanctl template` prints on stderr when a chart fails, against
//! Helm v4.2.3: the chart corpus's `expect_error` cases (their recorded
//! `error_message`), and small broken charts rendered live through the
//! reference Helm (`tests/helm_ref.py template`) for the kinds of template
//! error whose wording Helm v4 rewrites (`required`, `fail`, nil pointer,
//! wrong type, a function's own error, an `include` chain, a parse error).
//!
//! The SDK returns the action's error; the `helm template` command around it
//! (pkg/cmd/template.go) adds `\n\nUse --debug flag to render out invalid
//! YAML` when the install action returned a release with the error, i.e.
//! for errors raised while rendering (template and manifest errors), not for
//! values that fail the schema, and cobra prints `Error: ` before it.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::{bin, helm_ref_template, shared};

/// `helm template`'s stderr for an action error.
fn helm_stderr(message: &str) -> String {
    let hint = if message.starts_with("values don't meet the specifications") {
        ""
    } else {
        "\n\nUse --debug flag to render out invalid YAML"
    };
    format!("Error: {message}{hint}\n")
}

/// Runs `origanctl template` and returns its stderr; it must fail.
fn origanctl_error(release: &str, chart: &Path, namespace: &str, values: &[PathBuf]) -> String {
    let mut cmd = Command::new(bin());
    cmd.args(["template", release])
        .arg(chart)
        .args(["-n", namespace])
        .env("TZ", "UTC");
    for v in values {
        cmd.arg("-f").arg(v);
    }
    let out = cmd.output().expect("origanctl runs");
    assert!(
        !out.status.success(),
        "origanctl template {} succeeded; Helm fails",
        chart.display()
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn chart_corpus_error_messages() {
    let cases = shared().join("cases");
    let mut names: Vec<_> = std::fs::read_dir(&cases)
        .expect("cases/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    names.sort();
    let mut checked = 0;
    let mut failures = Vec::new();
    for dir in names {
        let Ok(text) = std::fs::read_to_string(dir.join("case.yaml")) else {
            continue;
        };
        let case = origan_yaml::from_yaml(&text).expect("case.yaml");
        let field = |k: &str| match &case {
            origan_yaml::Data::Map(m) => m.get(k).cloned(),
            _ => None,
        };
        let s = |k: &str| match field(k) {
            Some(origan_yaml::Data::String(s)) => s,
            other => panic!("{}: {k} is {other:?}", dir.display()),
        };
        if field("expect_error") != Some(origan_yaml::Data::Bool(true)) {
            continue;
        }
        let Some(origan_yaml::Data::String(message)) = field("error_message") else {
            continue;
        };
        let values: Vec<PathBuf> = match field("values_files") {
            Some(origan_yaml::Data::List(l)) => l
                .iter()
                .map(|v| match v {
                    origan_yaml::Data::String(f) => dir.join(f),
                    other => panic!("values_files entry {other:?}"),
                })
                .collect(),
            _ => Vec::new(),
        };
        let chart = shared().join("charts").join(s("chart"));
        let got = origanctl_error(&s("release"), &chart, &s("namespace"), &values);
        checked += 1;
        let want = helm_stderr(&message);
        if got != want {
            failures.push(format!(
                "{}:\n  want {want:?}\n  got  {got:?}",
                dir.display()
            ));
        }
    }
    for f in &failures {
        eprintln!("--- {f}");
    }
    eprintln!(
        "chart corpus errors: {}/{checked} match Helm's message",
        checked - failures.len()
    );
    assert!(checked > 0, "no expect_error cases found");
    assert!(
        failures.is_empty(),
        "{} error messages differ",
        failures.len()
    );
}

/// Broken templates, one chart each: (name, templates/t.yaml, partial).
const BROKEN: &[(&str, &str, &str)] = &[
    ("required", "x: {{ required \"need x\" .Values.x }}\n", ""),
    ("fail", "x: {{ fail \"line1\\nline2\" }}\n", ""),
    ("nilpointer", "x: {{ .Values.nested.nope.deeper }}\n", ""),
    ("wrongtype", "x: {{ upper .Values.missing }}\n", ""),
    ("invalidvalue", "x: {{ .Values.missing | upper }}\n", ""),
    (
        "invalidvariable",
        "{{ $x := .Values.missing }}x: {{ upper $x }}\n",
        "",
    ),
    (
        "rangenil",
        "{{ range .Values.l }}x: {{ upper . }}{{ end }}\n",
        "",
    ),
    ("wrongmaptype", "x: {{ keys .Values.missing }}\n", ""),
    (
        "includenil",
        "x: {{ include \"t\" .Values.missing }}\n",
        "{{- define \"t\" }}{{ upper . }}{{ end }}\n",
    ),
    ("literaltype", "x: {{ upper 3 }}\n", ""),
    ("funcerror", "x: {{ eq .Values.a 5 }}\n", ""),
    (
        "includechain",
        "x: {{ include \"outer\" . }}\n",
        "{{- define \"outer\" }}{{ include \"inner\" . }}{{ end }}\n\
         {{- define \"inner\" }}{{ .Values.s.x.y }}{{ end }}\n",
    ),
    ("includemissing", "x: {{ include \"nope\" . }}\n", ""),
    (
        "includefail",
        "x: {{ include \"f\" . }}\n",
        "{{- define \"f\" }}{{ fail \"inner\" }}{{ end }}\n",
    ),
    ("tplerror", "x: {{ tpl \"{{ .Values.s.x.y }}\" . }}\n", ""),
    ("tplparse", "x: {{ tpl \"{{ .x\" . }}\n", ""),
    (
        "tplrequired",
        "x: {{ tpl \"{{ required \\\"q\\\" .Values.q }}\" . }}\n",
        "",
    ),
    ("parseerror", "x: {{ .Values.a \n", ""),
    ("undefined", "x: {{ env \"HOME\" }}\n", ""),
    ("rangeover", "x: {{ range .Values.a }}{{ end }}\n", ""),
    ("badutf8", "x: {{ substr 0 2 \"h\u{e9}llo\" }}\n", ""),
    ("badutf8end", "x: {{ substr 0 2 \"h\u{e9}llo\" }}", ""),
];

fn write_chart(root: &Path, name: &str, template: &str, partial: &str) -> PathBuf {
    let dir = root.join(name);
    std::fs::create_dir_all(dir.join("templates")).unwrap();
    std::fs::write(
        dir.join("Chart.yaml"),
        format!("apiVersion: v2\nname: {name}\nversion: 0.1.0\n"),
    )
    .unwrap();
    std::fs::write(dir.join("values.yaml"), "a: 1\ns: str\nl: [null, 1]\n").unwrap();
    std::fs::write(dir.join("templates/t.yaml"), template).unwrap();
    if !partial.is_empty() {
        std::fs::write(dir.join("templates/_helpers.tpl"), partial).unwrap();
    }
    dir
}

/// The reference Helm's error for `template` of `chart`.
fn helm_ref_error(chart: &Path) -> String {
    let v = helm_ref_template(chart);
    match v.get("error").and_then(|e| e.as_str()) {
        Some(e) => e.to_string(),
        None => panic!("Helm rendered {} without an error: {v}", chart.display()),
    }
}

#[test]
fn template_errors_match_live_helm() {
    let root = std::env::temp_dir().join(format!("origanctl-errors-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let mut failures = Vec::new();
    for (name, template, partial) in BROKEN {
        let chart = write_chart(&root, name, template, partial);
        let want = helm_stderr(&helm_ref_error(&chart));
        let got = origanctl_error("rel", &chart, "ns", &[]);
        if got != want {
            failures.push(format!("{name}:\n  want {want:?}\n  got  {got:?}"));
        }
    }
    let _ = std::fs::remove_dir_all(&root);
    for f in &failures {
        eprintln!("--- {f}");
    }
    assert!(
        failures.is_empty(),
        "{} of {} error messages differ from Helm's",
        failures.len(),
        BROKEN.len()
    );
}
