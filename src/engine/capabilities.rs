//! `.Capabilities`: the Kubernetes and Helm versions templates see
//! (Helm's `pkg/chart/common/capabilities.go`).
//!
//! Owns the offline defaults (what `helm template` assumes without a
//! cluster) and the objects' fields and methods. Discovering a live
//! cluster's versions belongs to `kube`.

use std::any::Any;
use std::rc::Rc;

use origan_gotmpl::{ElemType, Object, Param, Value};

/// Helm v4.2.3's default API versions (`DefaultVersionSet`): the client-go
/// scheme's group/versions plus apiextensions, in Helm's order, and no
/// `group/version/Kind` entries.
pub const DEFAULT_API_VERSIONS: &[&str] = &[
    "v1",
    "admissionregistration.k8s.io/v1",
    "admissionregistration.k8s.io/v1alpha1",
    "admissionregistration.k8s.io/v1beta1",
    "internal.apiserver.k8s.io/v1alpha1",
    "apps/v1",
    "apps/v1beta1",
    "apps/v1beta2",
    "authentication.k8s.io/v1",
    "authentication.k8s.io/v1alpha1",
    "authentication.k8s.io/v1beta1",
    "authorization.k8s.io/v1",
    "authorization.k8s.io/v1beta1",
    "autoscaling/v1",
    "autoscaling/v2",
    "batch/v1",
    "batch/v1beta1",
    "certificates.k8s.io/v1",
    "certificates.k8s.io/v1beta1",
    "certificates.k8s.io/v1alpha1",
    "coordination.k8s.io/v1alpha2",
    "coordination.k8s.io/v1beta1",
    "coordination.k8s.io/v1",
    "discovery.k8s.io/v1",
    "discovery.k8s.io/v1beta1",
    "events.k8s.io/v1",
    "events.k8s.io/v1beta1",
    "extensions/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1",
    "flowcontrol.apiserver.k8s.io/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1beta2",
    "flowcontrol.apiserver.k8s.io/v1beta3",
    "networking.k8s.io/v1",
    "networking.k8s.io/v1beta1",
    "node.k8s.io/v1",
    "node.k8s.io/v1alpha1",
    "node.k8s.io/v1beta1",
    "policy/v1",
    "policy/v1beta1",
    "rbac.authorization.k8s.io/v1",
    "rbac.authorization.k8s.io/v1beta1",
    "rbac.authorization.k8s.io/v1alpha1",
    "resource.k8s.io/v1",
    "resource.k8s.io/v1beta2",
    "resource.k8s.io/v1beta1",
    "resource.k8s.io/v1alpha3",
    "scheduling.k8s.io/v1alpha2",
    "scheduling.k8s.io/v1beta1",
    "scheduling.k8s.io/v1",
    "storage.k8s.io/v1beta1",
    "storage.k8s.io/v1",
    "storage.k8s.io/v1alpha1",
    "storagemigration.k8s.io/v1beta1",
    "apiextensions.k8s.io/v1beta1",
    "apiextensions.k8s.io/v1",
];

/// The Kubernetes version Helm v4.2.3 assumes offline (from its client-go).
pub const DEFAULT_KUBE_VERSION: &str = "v1.36.0";

/// What templates see as `.Capabilities`.
#[derive(Clone, Debug)]
pub struct Capabilities {
    /// e.g. `v1.36.0`
    pub kube_version: String,
    /// Group/versions (and `group/version/Kind` entries from a live cluster).
    pub api_versions: Vec<String>,
}

impl Default for Capabilities {
    fn default() -> Self {
        Capabilities {
            kube_version: DEFAULT_KUBE_VERSION.to_string(),
            api_versions: DEFAULT_API_VERSIONS.iter().map(|s| s.to_string()).collect(),
        }
    }
}

impl Capabilities {
    /// Applies `--kube-version` (`1.16.0` becomes `v1.16.0`) and
    /// `--api-versions` (appended verbatim), as `helm template` does.
    pub fn with_overrides(mut self, kube_version: Option<&str>, extra_apis: &[String]) -> Self {
        if let Some(v) = kube_version {
            self.kube_version = if v.starts_with('v') {
                v.to_string()
            } else {
                format!("v{v}")
            };
        }
        self.api_versions.extend(extra_apis.iter().cloned());
        self
    }

    /// The template object.
    pub fn to_value(&self) -> Value {
        Value::Object(Rc::new(CapabilitiesObject {
            kube: Value::Object(Rc::new(KubeVersion::parse(&self.kube_version))),
            apis: Value::Object(Rc::new(VersionSet(self.api_versions.clone()))),
            helm: Value::Object(Rc::new(HelmVersion)),
        }))
    }
}

struct CapabilitiesObject {
    kube: Value,
    apis: Value,
    helm: Value,
}

impl Object for CapabilitiesObject {
    fn type_name(&self) -> String {
        "*common.Capabilities".to_string()
    }
    fn kind_name(&self) -> &'static str {
        "ptr"
    }
    fn member(&self, name: &str, _args: &[Value]) -> Option<Result<Value, String>> {
        Some(Ok(match name {
            "KubeVersion" => self.kube.clone(),
            "APIVersions" => self.apis.clone(),
            "HelmVersion" => self.helm.clone(),
            _ => return None,
        }))
    }
    fn is_method(&self, _name: &str) -> bool {
        false
    }
    fn template_string(&self) -> String {
        format!(
            "&{{{} {} {}}}",
            self.kube.as_object_string(),
            self.apis.as_object_string(),
            self.helm.as_object_string()
        )
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

trait ObjectString {
    fn as_object_string(&self) -> String;
}

impl ObjectString for Value {
    fn as_object_string(&self) -> String {
        match self {
            Value::Object(o) => o.fmt_string(),
            _ => String::new(),
        }
    }
}

/// `common.KubeVersion`: `{{ . }}` prints the version (its `String()`
/// has a pointer receiver, which text/template finds on an addressable
/// field), while fmt prints the struct: `{v1.36.0 v1.36.0 1 36}`.
struct KubeVersion {
    version: String,
    major: String,
    minor: String,
}

impl KubeVersion {
    fn parse(v: &str) -> KubeVersion {
        let bare = v.trim_start_matches('v');
        let mut parts = bare.split('.');
        let major = parts.next().unwrap_or("").to_string();
        let minor = parts.next().unwrap_or("").to_string();
        KubeVersion {
            version: v.to_string(),
            major,
            minor,
        }
    }
}

impl Object for KubeVersion {
    fn type_name(&self) -> String {
        "common.KubeVersion".to_string()
    }
    fn member(&self, name: &str, _args: &[Value]) -> Option<Result<Value, String>> {
        Some(Ok(match name {
            "Version" | "GitVersion" | "String" => Value::str(self.version.as_str()),
            "Major" => Value::str(self.major.as_str()),
            "Minor" => Value::str(self.minor.as_str()),
            _ => return None,
        }))
    }
    fn is_method(&self, name: &str) -> bool {
        matches!(name, "GitVersion" | "String")
    }
    fn template_string(&self) -> String {
        self.version.clone()
    }
    fn fmt_string(&self) -> String {
        format!(
            "{{{} {} {} {}}}",
            self.version, self.version, self.major, self.minor
        )
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// `common.VersionSet`: a `[]string` with a `Has` method.
struct VersionSet(Vec<String>);

impl Object for VersionSet {
    fn type_name(&self) -> String {
        "common.VersionSet".to_string()
    }
    fn kind_name(&self) -> &'static str {
        "slice"
    }
    fn member(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        match name {
            "Has" => Some(match args {
                [Value::String(s)] => Ok(Value::Bool(self.0.iter().any(|v| v.as_str() == &**s))),
                [other] => Err(format!(
                    "wrong type for value; expected string; got {}",
                    other.type_name()
                )),
                _ => Err(format!(
                    "wrong number of args for Has: want 1 got {}",
                    args.len()
                )),
            }),
            _ => None,
        }
    }
    fn is_method(&self, name: &str) -> bool {
        name == "Has"
    }
    fn template_string(&self) -> String {
        format!("[{}]", self.0.join(" "))
    }
    fn method_params(&self, name: &str) -> Option<(Vec<Param>, Option<Param>)> {
        (name == "Has").then(|| (vec![Param::String], None))
    }
    /// A Go `[]string`: ranging, `index`, `len` and Sprig's list functions
    /// see the versions.
    fn collection(&self) -> Option<Value> {
        Some(Value::typed_list(
            self.0.iter().map(|v| Value::str(v.as_str())).collect(),
            ElemType::String,
        ))
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// `common.HelmVersion` (the library build of Helm v4.2.3 reports `v4.2`).
struct HelmVersion;

const HELM_VERSION: &[(&str, &str)] = &[
    ("Version", "v4.2"),
    ("GitCommit", ""),
    ("GitTreeState", ""),
    ("GoVersion", "go1.26.6"),
    ("KubeClientVersion", "v1.36"),
];

impl Object for HelmVersion {
    fn type_name(&self) -> String {
        "common.BuildInfo".to_string()
    }
    fn member(&self, name: &str, _args: &[Value]) -> Option<Result<Value, String>> {
        HELM_VERSION
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| Ok(Value::str(*v)))
    }
    fn is_method(&self, _name: &str) -> bool {
        false
    }
    fn template_string(&self) -> String {
        let fields: Vec<&str> = HELM_VERSION.iter().map(|(_, v)| *v).collect();
        format!("{{{}}}", fields.join(" "))
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}
