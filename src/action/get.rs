//! `get values|manifest|notes|hooks|metadata|all` (Helm's `pkg/cmd/get_*.go`).

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::release::Release;

/// `get manifest`.
pub fn manifest(rel: &Release) -> String {
    format!("{}\n", rel.manifest)
}

/// `get hooks`.
pub fn hooks(rel: &Release) -> String {
    let mut out = String::new();
    for h in &rel.hooks {
        let _ = write!(out, "---\n# Source: {}\n{}\n", h.path, h.manifest);
    }
    out
}

/// `get notes`.
pub fn notes(rel: &Release) -> String {
    format!("NOTES:\n{}\n", rel.info.notes)
}

/// `get values` as a JSON value: user-supplied, or computed with `--all`.
pub fn values(rel: &Release, all: bool) -> serde_json::Value {
    let user = serde_json::Value::Object(rel.config.clone());
    if !all {
        return user;
    }
    let defaults = rel
        .chart
        .as_ref()
        .map(|c| c.values.clone())
        .unwrap_or_default();
    let mut w = Vec::new();
    let merged = origan_chart::coalesce::coalesce_tables(
        &super::install::json_to_data(&user),
        &super::install::json_to_data(&defaults),
        &mut w,
    );
    super::install::data_to_json(&merged)
}

/// `get metadata` (`action.Metadata`): field order is Go's struct order,
/// which `-o json` keeps.
#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Metadata {
    pub name: String,
    pub chart: String,
    pub version: String,
    pub app_version: String,
    /// From Chart.yaml.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
    /// The record's labels, Helm's system labels included.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    /// Chart.yaml's dependencies as written.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub dependencies: Vec<serde_json::Value>,
    pub namespace: String,
    pub revision: u32,
    pub status: String,
    pub deployed_at: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub apply_method: String,
}

pub fn metadata(rel: &Release) -> Metadata {
    let meta = rel.chart.as_ref().map(|c| &c.metadata);
    let field = |k: &str| {
        meta.and_then(|m| m.get(k))
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .to_string()
    };
    let annotations = meta
        .and_then(|m| m.get("annotations"))
        .and_then(|a| a.as_object())
        .map(|a| {
            a.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                .collect()
        })
        .unwrap_or_default();
    let dependencies = meta
        .and_then(|m| m.get("dependencies"))
        .and_then(|d| d.as_array())
        .cloned()
        .unwrap_or_default();
    Metadata {
        name: rel.name.clone(),
        chart: field("name"),
        version: field("version"),
        app_version: field("appVersion"),
        annotations,
        labels: rel.labels.clone(),
        dependencies,
        namespace: rel.namespace.clone(),
        revision: rel.version,
        status: rel.info.status.as_str().into(),
        deployed_at: rfc3339_seconds(&rel.info.last_deployed),
        apply_method: rel.apply_method.clone(),
    }
}

impl Metadata {
    /// Helm's table form (`metadataWriter.WriteTable`).
    pub fn table(&self) -> String {
        let set = |m: &BTreeMap<String, String>| {
            m.iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(",")
        };
        let mut deps: Vec<&str> = self
            .dependencies
            .iter()
            .filter_map(|d| d.get("name").and_then(|n| n.as_str()))
            .collect();
        deps.sort_unstable();
        let apply = match self.apply_method.as_str() {
            "" => "client-side apply (defaulted)".to_string(),
            "csa" => "client-side apply".to_string(),
            "ssa" => "server-side apply".to_string(),
            other => format!("unknown ({other:?})"),
        };
        let mut out = String::new();
        for (k, v) in [
            ("NAME", self.name.clone()),
            ("CHART", self.chart.clone()),
            ("VERSION", self.version.clone()),
            ("APP_VERSION", self.app_version.clone()),
            ("ANNOTATIONS", set(&self.annotations)),
            ("LABELS", set(&self.labels)),
            ("DEPENDENCIES", deps.join(",")),
            ("NAMESPACE", self.namespace.clone()),
            ("REVISION", self.revision.to_string()),
            ("STATUS", self.status.clone()),
            ("DEPLOYED_AT", self.deployed_at.clone()),
            ("APPLY_METHOD", apply),
        ] {
            let _ = writeln!(out, "{k}: {v}");
        }
        out
    }
}

/// A stored RFC 3339 time with nanoseconds as Go's `Format(time.RFC3339)`
/// prints it: whole seconds.
fn rfc3339_seconds(t: &str) -> String {
    match t.find('.') {
        Some(dot) => {
            let digits = t[dot + 1..].bytes().take_while(u8::is_ascii_digit).count();
            format!("{}{}", &t[..dot], &t[dot + 1 + digits..])
        }
        None => t.to_string(),
    }
}
