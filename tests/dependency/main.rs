//! `origanctl dependency update|build` against the reference Helm: every test
//! builds the same input twice (one copy for Helm through
//! tests/dependency/helm_dep.py, one for origanctl) and compares what each
//! left behind: the lock file (all but its `generated` time), the names and
//! contents of `charts/`, the error texts. OCI tests push to the local
//! registry of tests/env and fail (never skip) when it is down.

#[path = "../common/mod.rs"]
mod common;

use std::collections::BTreeMap;
use std::io::Read;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, SystemTime};

use serde_json::Value as Json;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn nanos() -> u128 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_nanos()
}

fn scratch(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("dep-test-{tag}-{}-{}", std::process::id(), nanos()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// The registry coordinates; panics with the fix when it is not reachable.
fn registry() -> common::RegistryEnv {
    let env = common::registry_env();
    let addr = env.registry.parse().expect("host:port");
    if TcpStream::connect_timeout(&addr, Duration::from_secs(2)).is_err() {
        panic!(
            "registry {} is not reachable; run `make registry-up`",
            env.registry
        );
    }
    env
}

/// A credentials file in Docker's (and Helm's) format for the plain-HTTP
/// registry: `<home>/config.json`. Helm reads it through DOCKER_CONFIG,
/// origanctl through HELM_REGISTRY_CONFIG.
fn write_creds(home: &Path, env: &common::RegistryEnv) {
    use base64::Engine;
    let auth =
        base64::engine::general_purpose::STANDARD.encode(format!("{}:{}", env.user, env.password));
    let cfg = serde_json::json!({"auths": {env.registry.clone(): {"auth": auth}}});
    std::fs::write(home.join("config.json"), cfg.to_string()).unwrap();
}

fn origanctl(home: &Path, args: &[&str]) -> Output {
    common::origanctl_at_home(home, "config.json", args)
}

/// origanctl's stdout, or its error text (stderr without `Error: `).
fn ours(home: &Path, args: &[&str]) -> Result<String, String> {
    let o = origanctl(home, args);
    if o.status.success() {
        Ok(String::from_utf8(o.stdout).unwrap())
    } else {
        let e = String::from_utf8_lossy(&o.stderr);
        Err(e
            .trim()
            .strip_prefix("Error: ")
            .unwrap_or(e.trim())
            .to_string())
    }
}

/// Helm's `dependency update|build` on `chart`.
fn helm(home: &Path, verb: &str, chart: &Path, plain_http: bool) -> Result<(), String> {
    let mut c = Command::new("python3");
    c.arg(root().join("tests/dependency/helm_dep.py"))
        .arg(verb)
        .arg(chart)
        .env("HOME", home)
        .env("DOCKER_CONFIG", home)
        .env("HELM_CONFIG_HOME", home.join("helm-config"))
        .env("HELM_CACHE_HOME", home.join("helm-cache"));
    if plain_http {
        c.arg("--plain-http");
    }
    let o = c.output().expect("run helm_dep.py");
    let v: Json = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "helm_dep.py gave no JSON ({e}): {}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    });
    match v["error"].as_str() {
        Some(e) => Err(e.to_string()),
        None => Ok(()),
    }
}

/// `python3 tests/helm_ref.py ARGS…` (package, push).
fn helm_ref(args: &[&str]) -> Json {
    let o = Command::new("python3")
        .arg(common::helm_ref_script())
        .args(args)
        .output()
        .expect("run helm_ref.py");
    assert!(
        o.status.success(),
        "helm_ref.py {args:?}: {}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).unwrap()
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
    let f = std::fs::File::options().write(true).open(path).unwrap();
    f.set_modified(SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000))
        .unwrap();
}

/// A subchart (test input): a ConfigMap template and values.
fn subchart(dir: &Path, name: &str, version: &str) -> PathBuf {
    let c = dir.join(name);
    write(
        &c.join("Chart.yaml"),
        &format!("apiVersion: v2\nname: {name}\nversion: {version}\ndescription: sub <{name}>\n"),
    );
    write(&c.join("values.yaml"), "greeting: hello\n");
    write(
        &c.join("templates/cm.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-{{ .Chart.Name }}\ndata:\n  g: {{ .Values.greeting | quote }}\n",
    );
    c
}

/// An umbrella chart with `deps` (the `dependencies:` YAML list) under `dir`.
fn umbrella(dir: &Path, deps: &str) -> PathBuf {
    let c = dir.join("umb");
    write(
        &c.join("Chart.yaml"),
        &format!("apiVersion: v2\nname: umb\nversion: 1.0.0\ndependencies:\n{deps}"),
    );
    write(&c.join("values.yaml"), "two:\n  enabled: true\n");
    c
}

const FILE_DEPS: &str = "- name: sub1\n  version: \">=0.1.0 <1\"\n  repository: file://../sub1\n- name: sub2\n  version: 0.2.0\n  repository: \"file://../sub2\"\n  alias: two\n  condition: two.enabled\n  tags: [a]\n  import-values:\n  - child: x\n    parent: y\n";

/// Two identical trees (`helm/` and `ours/`), each with sub1, sub2 and the
/// umbrella, built by `make`.
fn twin(tag: &str, make: impl Fn(&Path) -> PathBuf) -> (PathBuf, PathBuf, PathBuf) {
    let base = scratch(tag);
    let h = make(&base.join("helm"));
    let o = make(&base.join("ours"));
    (base, h, o)
}

fn file_tree(dir: &Path, deps: &str) -> PathBuf {
    subchart(dir, "sub1", "0.2.0");
    subchart(dir, "sub2", "0.2.0");
    umbrella(dir, deps)
}

/// The lock without its `generated:` line (checked to be an RFC 3339 time).
fn lock_sans_time(chart: &Path, name: &str) -> String {
    let text = std::fs::read_to_string(chart.join(name))
        .unwrap_or_else(|e| panic!("{}: {e}", chart.join(name).display()));
    let g = text
        .lines()
        .find_map(|l| l.strip_prefix("generated: "))
        .unwrap_or_else(|| panic!("no generated in {text}"));
    assert!(
        g.trim_matches('"').parse::<jiff::Timestamp>().is_ok(),
        "generated {g}"
    );
    text.lines()
        .filter(|l| !l.starts_with("generated: "))
        .collect::<Vec<_>>()
        .join("\n")
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .unwrap();
    out
}

/// charts/: file name → raw bytes (directories as `<dir>`).
fn charts(chart: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut m = BTreeMap::new();
    let Ok(rd) = std::fs::read_dir(chart.join("charts")) else {
        return m;
    };
    for e in rd.filter_map(Result::ok) {
        let name = e.file_name().to_string_lossy().into_owned();
        let v = if e.path().is_dir() {
            b"<dir>".to_vec()
        } else {
            std::fs::read(e.path()).unwrap()
        };
        m.insert(name, v);
    }
    m
}

/// charts/ with archives as their tar streams: Helm and origanctl compress
/// with different deflate encoders (COMPATIBILITY.md), the tar is Helm's.
fn charts_tar(chart: &Path) -> BTreeMap<String, Vec<u8>> {
    charts(chart)
        .into_iter()
        .map(|(k, v)| {
            let v = if k.ends_with(".tgz") { gunzip(&v) } else { v };
            (k, v)
        })
        .collect()
}

fn no_staging_left(chart: &Path) {
    for e in std::fs::read_dir(chart).unwrap().filter_map(Result::ok) {
        let n = e.file_name().to_string_lossy().into_owned();
        assert!(
            !n.starts_with("tmpcharts-"),
            "{n} left in {}",
            chart.display()
        );
    }
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

mod file;
mod lint;
mod oci;

/// A valid archive `<name>-<version>.tgz` in `chart`/charts/ (packaged by
/// Helm), standing for what an earlier run left there. A file in charts/
/// that is no chart makes Helm's loader refuse the whole umbrella.
fn old_archive(chart: &Path, name: &str, version: &str) {
    let src = subchart(
        &chart.parent().unwrap().join("oldsrc").join(version),
        name,
        version,
    );
    helm_ref(&[
        "package",
        s(&src),
        "--destination",
        s(&chart.join("charts")),
    ]);
}
