//! Chart.lock for `dependency build|update`: the digest Helm stores in it,
//! its YAML text and its `generated` timestamp, and Go's `filepath.Clean`
//! for the paths Helm prints.
//!
//! Owns: `resolver.HashReq` / `resolver.HashV2Req` (Helm's
//! `internal/resolver`), `writeLock`'s layout and the lock file name.
//! Does not own: parsing a lock (origan-chart's `Lock::parse`), resolving
//! versions or downloading (`dependency_update`).

use std::path::{Path, PathBuf};

use origan_chart::{Dependency, Lock};
use origan_yaml::Data;

/// `json.Marshal` of one `chart.Dependency`: the fields in Helm's struct
/// order (name, version, repository, condition, tags, enabled,
/// import-values, alias), `omitempty` as the struct tags say, strings
/// HTML-escaped as Go does (`>=1.0` is `"\u003e=1.0"`).
pub fn dependency_json(d: &Dependency) -> String {
    let s = |v: &str| origan_yaml::to_json(&Data::String(v.to_string())).unwrap_or_default();
    let mut out = format!("{{\"name\":{}", s(&d.name));
    if !d.version.is_empty() {
        out.push_str(&format!(",\"version\":{}", s(&d.version)));
    }
    out.push_str(&format!(",\"repository\":{}", s(&d.repository)));
    if !d.condition.is_empty() {
        out.push_str(&format!(",\"condition\":{}", s(&d.condition)));
    }
    if !d.tags.is_empty() {
        let tags: Vec<String> = d.tags.iter().map(|t| s(t)).collect();
        out.push_str(&format!(",\"tags\":[{}]", tags.join(",")));
    }
    if d.enabled {
        out.push_str(",\"enabled\":true");
    }
    if !d.import_values.is_empty() {
        let iv = origan_yaml::to_json(&Data::List(d.import_values.clone())).unwrap_or_default();
        out.push_str(&format!(",\"import-values\":{iv}"));
    }
    if !d.alias.is_empty() {
        out.push_str(&format!(",\"alias\":{}", s(&d.alias)));
    }
    out.push('}');
    out
}

/// A Go slice of `*chart.Dependency` as `json.Marshal` writes it; a nil
/// slice (`nil_when_empty`) is `null`.
fn deps_json(deps: &[Dependency], nil_when_empty: bool) -> String {
    if deps.is_empty() && nil_when_empty {
        return "null".into();
    }
    let items: Vec<String> = deps.iter().map(dependency_json).collect();
    format!("[{}]", items.join(","))
}

fn sha256_hex(data: &[u8]) -> String {
    // origan-registry's digest helper is `sha256:<hex>` over the bytes.
    origan_registry::digest_of(data)
}

/// Helm's `resolver.HashReq`: `sha256:` + hex SHA-256 of
/// `json.Marshal([2][]*Dependency{req, lock})`. Chart.yaml's dependency
/// list is nil in Go when it declares none, so it is `null` then.
pub fn hash_req(req: &[Dependency], lock: &[Dependency]) -> String {
    let json = format!("[{},{}]", deps_json(req, true), deps_json(lock, false));
    sha256_hex(json.as_bytes())
}

/// Helm's `resolver.HashV2Req` (the digest Helm 2 wrote in
/// requirements.lock): the hash of `{"dependencies": req}`.
pub fn hash_v2_req(req: &[Dependency]) -> String {
    let json = format!("{{\"dependencies\":{}}}", deps_json(req, true));
    sha256_hex(json.as_bytes())
}

/// `time.Now()` as Go's `time.Time.MarshalJSON` writes it (RFC 3339 with
/// the fraction's trailing zeros dropped, `Z` for a zero offset) in the
/// system time zone, as Helm's lock `generated` field.
pub fn generated_now() -> String {
    let now = jiff::Zoned::now();
    let mut out = now.strftime("%Y-%m-%dT%H:%M:%S").to_string();
    let nanos = now.subsec_nanosecond();
    if nanos > 0 {
        let frac = format!("{nanos:09}");
        out.push('.');
        out.push_str(frac.trim_end_matches('0'));
    }
    let off = now.offset().seconds();
    if off == 0 {
        out.push('Z');
    } else {
        let sign = if off < 0 { '-' } else { '+' };
        let a = off.abs();
        out.push_str(&format!("{sign}{:02}:{:02}", a / 3600, (a % 3600) / 60));
    }
    out
}

/// The lock file name: `requirements.lock` for apiVersion v1 charts.
pub fn lock_file_name(legacy: bool) -> &'static str {
    if legacy {
        "requirements.lock"
    } else {
        "Chart.lock"
    }
}

/// The text Helm's `writeLock` writes: `sigs.k8s.io/yaml.Marshal(lock)`
/// (keys sorted, so `dependencies`, `digest`, `generated`; each dependency
/// with `repository` always and the other fields when set).
pub fn lock_yaml(lock: &Lock) -> String {
    let mut s = origan_yaml::to_yaml(&lock.to_json_data()).unwrap_or_default();
    s.push('\n');
    s
}

/// Go's `filepath.Clean` (lexical: `.` and `..` resolved, doubled and
/// trailing separators dropped), so paths print as Helm prints them.
pub fn clean(p: &str) -> String {
    if p.is_empty() {
        return ".".into();
    }
    let rooted = p.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for c in p.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|l| *l != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            c => parts.push(c),
        }
    }
    let body = parts.join("/");
    match (rooted, body.is_empty()) {
        (true, _) => format!("/{body}"),
        (false, true) => ".".into(),
        (false, false) => body,
    }
}

/// Helm's `resolver.GetLocalPath`: a `file://` repository relative to the
/// chart (or absolute), which must exist.
pub fn local_path(repo: &str, chart_path: &Path) -> Result<PathBuf, String> {
    let p = repo.strip_prefix("file://").unwrap_or(repo);
    let dep = if p.starts_with('/') {
        clean(p)
    } else {
        clean(&format!("{}/{p}", chart_path.display()))
    };
    match std::fs::metadata(&dep) {
        Ok(_) => Ok(PathBuf::from(dep)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            Err(format!("directory {dep} not found"))
        }
        Err(e) => Err(format!("stat {dep}: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dep(name: &str, version: &str, repo: &str) -> Dependency {
        Dependency {
            name: name.into(),
            version: version.into(),
            repository: repo.into(),
            ..Dependency::default()
        }
    }

    #[test]
    fn json_matches_go_field_order_and_escaping() {
        let mut d = dep("sub", ">=0.1.0 <1", "file://../sub");
        d.alias = "two".into();
        d.condition = "two.enabled".into();
        assert_eq!(
            dependency_json(&d),
            r#"{"name":"sub","version":"\u003e=0.1.0 \u003c1","repository":"file://../sub","condition":"two.enabled","alias":"two"}"#
        );
        assert_eq!(
            dependency_json(&dep("x", "", "")),
            r#"{"name":"x","repository":""}"#
        );
    }

    #[test]
    fn clean_like_go() {
        assert_eq!(clean("a/b/../../c"), "c");
        assert_eq!(clean("/tmp/x/../y/"), "/tmp/y");
        assert_eq!(clean("../a/./b"), "../a/b");
        assert_eq!(clean("/.."), "/");
        assert_eq!(clean("a/.."), ".");
    }

    #[test]
    fn generated_is_rfc3339() {
        let g = generated_now();
        assert!(g.parse::<jiff::Timestamp>().is_ok(), "{g}");
        assert!(!g.contains(".0Z"), "{g}");
    }
}
