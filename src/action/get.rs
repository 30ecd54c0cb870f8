//! `get values|manifest|notes|hooks|metadata|all` (Helm's `pkg/cmd/get_*.go`).

use std::fmt::Write;

use super::history::chart_name;
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

/// `get metadata` fields, in Helm's order.
pub fn metadata(rel: &Release) -> Vec<(&'static str, String)> {
    let app = super::history::app_version(rel);
    let chart = rel
        .chart
        .as_ref()
        .and_then(|c| c.metadata.get("name"))
        .and_then(|v| v.as_str())
        .unwrap_or("")
        .to_string();
    let version = rel
        .chart
        .as_ref()
        .and_then(|c| c.metadata.get("version"))
        .and_then(|v| v.as_str())
        .unwrap_or("")
        .to_string();
    let _ = chart_name(rel);
    vec![
        ("NAME", rel.name.clone()),
        ("CHART", chart),
        ("VERSION", version),
        ("APP_VERSION", app),
        ("NAMESPACE", rel.namespace.clone()),
        ("REVISION", rel.version.to_string()),
        ("STATUS", rel.info.status.as_str().into()),
        ("DEPLOYED_AT", rel.info.last_deployed.clone()),
    ]
}
