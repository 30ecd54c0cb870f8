//! The shared conformance corpora (../shared/conformance), run in place
//! against the origanctl binary: the function cases and the real-world chart
//! cases, in exact and data mode.
//!
//! `errors` compares the messages of failing charts with Helm's.
//!
//! Each runner prints `N passed, M failed`. The pass counts may only go up:
//! `baseline.txt` beside this file records the last accepted counts, and a
//! run below them fails. Raise the baseline when the engine gets better.

use std::path::{Path, PathBuf};
use std::process::Command;

mod errors;
mod yaml_breaks;

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn shared() -> PathBuf {
    let p = repo_root().join("../shared/conformance");
    assert!(
        p.join("run.py").is_file(),
        "the shared conformance corpus is missing at {}: clone the repo with ../shared beside it",
        p.display()
    );
    p
}

fn baseline(key: &str) -> usize {
    let text = std::fs::read_to_string(repo_root().join("tests/conformance/baseline.txt"))
        .expect("tests/conformance/baseline.txt");
    text.lines()
        .filter_map(|l| l.split_once('='))
        .find(|(k, _)| k.trim() == key)
        .and_then(|(_, v)| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("no `{key}` in tests/conformance/baseline.txt"))
}

/// Runs a runner and returns (passed, failed) from its last line.
fn run(runner: &Path, extra: &[&str], cmd: &str) -> (usize, usize) {
    // The helm-ref venv has PyYAML, which the chart runner needs.
    let venv = repo_root().join(".local/helm-venv/bin/python");
    let python = if venv.is_file() {
        venv
    } else {
        PathBuf::from("python3")
    };
    let out = Command::new(python)
        .arg(runner)
        .args(extra)
        .arg("--cmd")
        .arg(cmd)
        .output()
        .expect("python3 runs the conformance runner");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let last = stdout
        .lines()
        .rev()
        .find(|l| l.contains(" passed, "))
        .unwrap_or_else(|| {
            panic!(
                "runner printed no summary:\n{stdout}\n{}",
                String::from_utf8_lossy(&out.stderr)
            )
        });
    let nums: Vec<usize> = last
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|s| s.parse().ok())
        .collect();
    eprintln!(
        "{}",
        stdout
            .lines()
            .rev()
            .take(14)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect::<Vec<_>>()
            .join("\n")
    );
    (nums[0], nums[1])
}

fn check(name: &str, key: &str, passed: usize, failed: usize) {
    let floor = baseline(key);
    println!("{name}: {passed} passed, {failed} failed (baseline {floor})");
    assert!(
        passed >= floor,
        "{name}: {passed} cases pass, fewer than the baseline {floor}; a regression"
    );
}

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_origanctl")
}

/// The reference Helm's `template` of `chart` (release `rel`, namespace
/// `ns`) as tests/helm_ref.py prints it: `{"manifest": ...}` or `{"error": ...}`.
fn helm_ref_template(chart: &Path) -> serde_json::Value {
    let out = Command::new("python3")
        .arg(repo_root().join("tests/helm_ref.py"))
        .arg("template")
        .arg(chart)
        .args(["--release", "rel", "--namespace", "ns"])
        .output()
        .expect("python3 runs tests/helm_ref.py");
    let stdout = String::from_utf8_lossy(&out.stdout);
    serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!(
            "tests/helm_ref.py gave no JSON ({e}); run `bash tests/env/helm-ref.sh`:\n{stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

#[test]
fn function_cases() {
    let runner = shared().join("functions/run.py");
    let cmd = format!("{} template {{release}} {{chart}} -n {{namespace}}", bin());
    let (p, f) = run(&runner, &["--jobs", "2"], &cmd);
    check("function cases", "functions", p, f);
}

#[test]
fn chart_cases_exact() {
    let runner = shared().join("run.py");
    let cmd = format!(
        "{} template {{release}} {{chart}} -n {{namespace}} {{values_args}}",
        bin()
    );
    let (p, f) = run(&runner, &["--mode", "exact"], &cmd);
    check("chart cases (exact)", "charts_exact", p, f);
}

#[test]
fn chart_cases_data() {
    let runner = shared().join("run.py");
    let cmd = format!(
        "{} template {{release}} {{chart}} -n {{namespace}} {{values_args}}",
        bin()
    );
    let (p, f) = run(&runner, &["--mode", "data"], &cmd);
    check("chart cases (data)", "charts_data", p, f);
}
