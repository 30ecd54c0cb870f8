//! The templates lint rule (Helm's `pkg/lint/rules/template.go` and
//! `deprecations.go`): render in lint mode, then check each rendered YAML
//! template: indentation, YAML validity, metadata names, deprecated APIs,
//! workload selectors and annotations in lists.

use origan_yaml::Data;

use super::{LintOptions, Linter, Severity};
use crate::engine::{self, Capabilities, ReleaseInfo};

/// The fields lint reads from an object (Helm's `k8sYamlStruct`).
#[derive(Debug)]
pub(super) struct K8sObject {
    pub(super) api_version: String,
    pub(super) kind: String,
    pub(super) name: String,
    pub(super) data: Data,
}

/// `rules.TemplatesWithSkipSchemaValidation`.
pub(super) fn templates(l: &mut Linter, values: &Data, opts: &LintOptions) {
    const DIR: &str = "templates/";
    let dir = l.chart_dir.join("templates");
    if !dir.exists() {
        l.rule(
            Severity::Warning,
            DIR,
            Some("directory does not exist".into()),
        );
        return;
    }
    if !dir.is_dir() {
        l.rule(Severity::Error, DIR, Some("not a directory".into()));
        return;
    }
    let mut chart = match origan_chart::load(&l.chart_dir) {
        Ok(c) => c,
        Err(e) => {
            l.rule(Severity::Error, DIR, Some(e.to_string()));
            return;
        }
    };
    let caps = Capabilities::default().with_overrides(opts.kube_version.as_deref(), &[]);
    // Helm ignores dependency and coalescing errors here.
    let Ok(cvals) = origan_chart::prepare(&mut chart, values.clone()) else {
        return;
    };
    if !opts.skip_schema_validation
        && let Err(e) = origan_chart::schema::validate_values(&chart, &cvals)
    {
        l.rule(Severity::Error, DIR, Some(e.to_string()));
        return;
    }
    let release = ReleaseInfo {
        name: "test-release".into(),
        namespace: if opts.namespace.is_empty() {
            "default".into()
        } else {
            opts.namespace.clone()
        },
        revision: 0,
        is_install: false,
        is_upgrade: false,
    };
    let rendered = match engine::render_lint(&chart, &cvals, &release, &caps) {
        Ok(r) => r,
        Err(e) => {
            // The engine words its errors as Helm v4's does.
            l.rule(Severity::Error, DIR, Some(e.message));
            return;
        }
    };
    let kube = kube_minor(&caps.kube_version);
    for t in &chart.templates {
        let path = t.name.as_str();
        let ext = extension(path);
        l.rule(
            Severity::Error,
            path,
            (!matches!(ext, ".yaml" | ".yml" | ".tpl" | ".txt")).then(|| {
                format!(
                    "file extension '{ext}' not valid. Valid extensions are .yaml, .yml, .tpl, or .txt"
                )
            }),
        );
        if ext != ".yaml" {
            continue;
        }
        let key = format!("{}/{}", chart.metadata.name, t.name);
        let Some(content) = rendered.get(&key) else {
            continue;
        };
        if content.trim().is_empty() {
            continue;
        }
        l.rule(Severity::Warning, path, top_indent(content));
        for doc in yaml_documents(content) {
            let obj = match doc {
                Ok(Some(o)) => o,
                Ok(None) => continue,
                Err(e) => {
                    l.rule(Severity::Error, path, Some(e));
                    return;
                }
            };
            l.rule(Severity::Warning, path, super_name_check(&obj));
            l.rule(Severity::Warning, path, deprecation(&obj, kube));
            l.rule(Severity::Error, path, match_selector(&obj, content));
            l.rule(Severity::Error, path, list_annotations(&obj));
        }
    }
}

/// Go's `filepath.Ext`.
fn extension(path: &str) -> &str {
    let base = path.rsplit('/').next().unwrap_or(path);
    base.rfind('.').map_or("", |i| &base[i..])
}

/// `validateTopIndentLevel`.
fn top_indent(content: &str) -> Option<String> {
    let line = content.lines().find(|l| !l.trim().is_empty())?;
    (line.starts_with(' ') || line.starts_with('\t')).then(|| {
        format!(
            "document starts with an illegal indent: {}, which may be a sign of an error in the YAML",
            origan_semver::go_quote(line)
        )
    })
}

/// Splits a stream as apimachinery's `YAMLReader` does and decodes each
/// document's `apiVersion`, `kind` and `metadata.name` (`None` for empty ones).
pub(super) fn yaml_documents(text: &str) -> Vec<Result<Option<K8sObject>, String>> {
    let mut chunks = Vec::new();
    let mut buf = String::new();
    for line in text.split_inclusive('\n') {
        if let Some(rest) = line.strip_prefix("---") {
            let t = rest.trim();
            if t.is_empty() || t.starts_with('#') {
                if !buf.is_empty() {
                    chunks.push(std::mem::take(&mut buf));
                }
                continue;
            }
        }
        buf.push_str(line);
    }
    if !buf.is_empty() {
        chunks.push(buf);
    }
    chunks
        .iter()
        .map(|c| match origan_yaml::from_yaml(c) {
            Err(e) => {
                let m = e.message();
                let m = m
                    .strip_prefix("error converting YAML to JSON: ")
                    .unwrap_or(m);
                Err(format!(
                    "unable to parse YAML: error converting YAML to JSON: {m}"
                ))
            }
            Ok(Data::Null) => Ok(None),
            Ok(d) => Ok(Some(object(d))),
        })
        .collect()
}

fn object(d: Data) -> K8sObject {
    let s = |d: Option<&Data>| match d {
        Some(Data::String(s)) => s.clone(),
        _ => String::new(),
    };
    let Data::Map(m) = &d else {
        return K8sObject {
            api_version: String::new(),
            kind: String::new(),
            name: String::new(),
            data: d,
        };
    };
    let name = match m.get("metadata") {
        Some(Data::Map(md)) => s(md.get("name")),
        _ => String::new(),
    };
    K8sObject {
        api_version: s(m.get("apiVersion")),
        kind: s(m.get("kind")),
        name,
        data: d.clone(),
    }
}

const SUBDOMAIN_MSG: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_1035_MSG: &str = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name', or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const LABEL_1123_MSG: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name', or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

fn is_label(s: &str, first_alpha: bool) -> bool {
    let b = s.as_bytes();
    let ok = |c: &u8| c.is_ascii_lowercase() || c.is_ascii_digit();
    !b.is_empty()
        && (if first_alpha {
            b[0].is_ascii_lowercase()
        } else {
            ok(&b[0])
        })
        && ok(&b[b.len() - 1])
        && b.iter().all(|c| ok(c) || *c == b'-')
}

/// `validateMetadataName` with apimachinery's validators per kind.
fn super_name_check(obj: &K8sObject) -> Option<String> {
    let n = obj.name.as_str();
    let mut errs: Vec<String> = Vec::new();
    match obj.kind.to_ascii_lowercase().as_str() {
        "service" => {
            if n.len() > 63 {
                errs.push("must be no more than 63 characters".into());
            }
            if !is_label(n, true) {
                errs.push(LABEL_1035_MSG.into());
            }
        }
        "namespace" => {
            if n.len() > 63 {
                errs.push("must be no more than 63 characters".into());
            }
            if !is_label(n, false) {
                errs.push(LABEL_1123_MSG.into());
            }
        }
        "certificatesigningrequest" => {}
        "role" | "clusterrole" | "rolebinding" | "clusterrolebinding" => {
            if n == "." || n == ".." {
                errs.push(format!("may not be '{n}'"));
            }
            for bad in ["/", "%"] {
                if n.contains(bad) {
                    errs.push(format!("may not contain '{bad}'"));
                }
            }
        }
        _ => {
            if n.len() > 253 {
                errs.push("must be no more than 253 characters".into());
            }
            if !n.split('.').all(|p| is_label(p, false)) {
                errs.push(SUBDOMAIN_MSG.into());
            }
        }
    }
    if errs.is_empty() {
        return None;
    }
    let q = origan_semver::go_quote(n);
    let each: Vec<String> = errs
        .iter()
        .map(|e| format!("metadata.name: Invalid value: {q}: {e}"))
        .collect();
    // apimachinery's aggregate: one error as is, several in brackets.
    let agg = if each.len() == 1 {
        each[0].clone()
    } else {
        format!("[{}]", each.join(", "))
    };
    Some(format!(
        "object name does not conform to Kubernetes naming requirements: {q}: {agg}"
    ))
}

/// (major, minor) of a kube version such as `v1.36.0`.
fn kube_minor(v: &str) -> (u64, u64) {
    let v = v.trim_start_matches('v');
    let mut it = v.split('.');
    let p = |s: Option<&str>| {
        s.and_then(|s| {
            s.chars()
                .take_while(char::is_ascii_digit)
                .collect::<String>()
                .parse()
                .ok()
        })
        .unwrap_or(0)
    };
    (p(it.next()), p(it.next()))
}

/// Deprecated APIs registered in client-go's scheme, with the versions in
/// which they were deprecated and removed, and their replacement
/// (`k8s.io/api` `APILifecycle*` methods).
/// (apiVersion, kind, deprecated in, removed in, replacement)
type Deprecation = (
    &'static str,
    &'static str,
    (u64, u64),
    (u64, u64),
    &'static str,
);

const DEPRECATED: &[Deprecation] = &[
    (
        "extensions/v1beta1",
        "Deployment",
        (1, 8),
        (1, 16),
        "apps/v1 Deployment",
    ),
    (
        "extensions/v1beta1",
        "DaemonSet",
        (1, 8),
        (1, 16),
        "apps/v1 DaemonSet",
    ),
    (
        "extensions/v1beta1",
        "ReplicaSet",
        (1, 8),
        (1, 16),
        "apps/v1 ReplicaSet",
    ),
    (
        "extensions/v1beta1",
        "Ingress",
        (1, 14),
        (1, 22),
        "networking.k8s.io/v1 Ingress",
    ),
    (
        "extensions/v1beta1",
        "NetworkPolicy",
        (1, 9),
        (1, 16),
        "networking.k8s.io/v1 NetworkPolicy",
    ),
    (
        "extensions/v1beta1",
        "PodSecurityPolicy",
        (1, 10),
        (1, 16),
        "policy/v1beta1 PodSecurityPolicy",
    ),
    (
        "apps/v1beta1",
        "Deployment",
        (1, 9),
        (1, 16),
        "apps/v1 Deployment",
    ),
    (
        "apps/v1beta1",
        "StatefulSet",
        (1, 9),
        (1, 16),
        "apps/v1 StatefulSet",
    ),
    (
        "apps/v1beta2",
        "Deployment",
        (1, 9),
        (1, 16),
        "apps/v1 Deployment",
    ),
    (
        "apps/v1beta2",
        "DaemonSet",
        (1, 9),
        (1, 16),
        "apps/v1 DaemonSet",
    ),
    (
        "apps/v1beta2",
        "ReplicaSet",
        (1, 9),
        (1, 16),
        "apps/v1 ReplicaSet",
    ),
    (
        "apps/v1beta2",
        "StatefulSet",
        (1, 9),
        (1, 16),
        "apps/v1 StatefulSet",
    ),
    (
        "batch/v1beta1",
        "CronJob",
        (1, 21),
        (1, 25),
        "batch/v1 CronJob",
    ),
    (
        "policy/v1beta1",
        "PodDisruptionBudget",
        (1, 21),
        (1, 25),
        "policy/v1 PodDisruptionBudget",
    ),
    ("policy/v1beta1", "PodSecurityPolicy", (1, 21), (1, 25), ""),
    (
        "networking.k8s.io/v1beta1",
        "Ingress",
        (1, 19),
        (1, 22),
        "networking.k8s.io/v1 Ingress",
    ),
    (
        "networking.k8s.io/v1beta1",
        "IngressClass",
        (1, 19),
        (1, 22),
        "networking.k8s.io/v1 IngressClass",
    ),
    (
        "autoscaling/v2beta1",
        "HorizontalPodAutoscaler",
        (1, 22),
        (1, 25),
        "autoscaling/v2 HorizontalPodAutoscaler",
    ),
    (
        "autoscaling/v2beta2",
        "HorizontalPodAutoscaler",
        (1, 23),
        (1, 26),
        "autoscaling/v2 HorizontalPodAutoscaler",
    ),
    (
        "rbac.authorization.k8s.io/v1beta1",
        "Role",
        (1, 17),
        (1, 22),
        "rbac.authorization.k8s.io/v1 Role",
    ),
    (
        "rbac.authorization.k8s.io/v1beta1",
        "ClusterRole",
        (1, 17),
        (1, 22),
        "rbac.authorization.k8s.io/v1 ClusterRole",
    ),
    (
        "rbac.authorization.k8s.io/v1beta1",
        "RoleBinding",
        (1, 17),
        (1, 22),
        "rbac.authorization.k8s.io/v1 RoleBinding",
    ),
    (
        "rbac.authorization.k8s.io/v1beta1",
        "ClusterRoleBinding",
        (1, 17),
        (1, 22),
        "rbac.authorization.k8s.io/v1 ClusterRoleBinding",
    ),
    (
        "scheduling.k8s.io/v1beta1",
        "PriorityClass",
        (1, 14),
        (1, 22),
        "scheduling.k8s.io/v1 PriorityClass",
    ),
    (
        "coordination.k8s.io/v1beta1",
        "Lease",
        (1, 19),
        (1, 22),
        "coordination.k8s.io/v1 Lease",
    ),
    (
        "discovery.k8s.io/v1beta1",
        "EndpointSlice",
        (1, 21),
        (1, 25),
        "discovery.k8s.io/v1 EndpointSlice",
    ),
];

/// `validateNoDeprecations`.
fn deprecation(obj: &K8sObject, (major, minor): (u64, u64)) -> Option<String> {
    let (_, _, dep, rem, repl) = DEPRECATED
        .iter()
        .find(|(a, k, ..)| *a == obj.api_version && *k == obj.kind)?;
    if (major, minor) < *dep {
        return None;
    }
    let mut msg = format!(
        "{} {} is deprecated in v{}.{}+, unavailable in v{}.{}+",
        obj.api_version, obj.kind, dep.0, dep.1, rem.0, rem.1
    );
    if !repl.is_empty() {
        msg.push_str(&format!("; use {repl}"));
    }
    Some(msg)
}

/// `validateMatchSelector`: a plain text search of the whole template output,
/// as Helm does.
fn match_selector(obj: &K8sObject, manifest: &str) -> Option<String> {
    if !matches!(
        obj.kind.as_str(),
        "Deployment" | "ReplicaSet" | "DaemonSet" | "StatefulSet"
    ) {
        return None;
    }
    (!manifest.contains("matchLabels") && !manifest.contains("matchExpressions")).then(|| {
        format!(
            "a {} must contain matchLabels or matchExpressions, and {} does not",
            obj.kind,
            origan_semver::go_quote(&obj.name)
        )
    })
}

/// `validateListAnnotations`.
fn list_annotations(obj: &K8sObject) -> Option<String> {
    if !obj.kind.ends_with("List") {
        return None;
    }
    let Data::Map(m) = &obj.data else { return None };
    let Some(Data::List(items)) = m.get("items") else {
        return None;
    };
    let has = items.iter().any(|i| {
        let Data::Map(i) = i else { return false };
        let Some(Data::Map(md)) = i.get("metadata") else {
            return false;
        };
        matches!(md.get("annotations"), Some(Data::Map(a)) if a.contains_key("helm.sh/resource-policy"))
    });
    has.then(|| "annotation 'helm.sh/resource-policy' within List objects are ignored".into())
}
