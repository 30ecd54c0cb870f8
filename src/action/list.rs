//! `list`: the latest revision of each release, chosen from labels alone;
//! only those records are decoded (Helm decodes every record).

use std::collections::BTreeMap;

use serde::Serialize;

use super::history::{app_version, chart_name, go_string, table};
use super::install::{Error, msg};
use crate::release::Status;
use crate::release::driver::Storage;

/// Options of `list`.
#[derive(Clone, Debug, Default)]
pub struct ListOptions {
    /// `-A`
    pub all_namespaces: bool,
    /// `-a`: every status.
    pub all: bool,
    /// `--filter` regular expression on names.
    pub filter: Option<String>,
    /// Explicit status flags (`--deployed`, `--failed`, ...).
    pub statuses: Vec<Status>,
}

/// One row (`releaseElement`).
#[derive(Clone, Debug, Serialize)]
pub struct ListRow {
    /// Name.
    pub name: String,
    /// Namespace.
    pub namespace: String,
    /// Revision as a string, as Helm's JSON has it.
    pub revision: String,
    /// `Time.String()`
    pub updated: String,
    /// Status.
    pub status: String,
    /// Chart.
    pub chart: String,
    /// App version.
    pub app_version: String,
}

/// `list`.
pub async fn list(storage: &Storage, ns: &str, opts: &ListOptions) -> Result<Vec<ListRow>, Error> {
    let filter = match &opts.filter {
        Some(f) => Some(regex::Regex::new(f).map_err(|e| msg(format!("invalid filter: {e}")))?),
        None => None,
    };
    let metas = storage
        .list_meta(if opts.all_namespaces { None } else { Some(ns) })
        .await?;
    let mut latest: BTreeMap<(String, String), crate::release::driver::RecordMeta> =
        BTreeMap::new();
    for m in metas {
        let key = (m.namespace.clone(), m.name.clone());
        if latest.get(&key).is_none_or(|cur| cur.version < m.version) {
            latest.insert(key, m);
        }
    }
    // Helm's default state mask: deployed and failed (plus pending with -a).
    let wanted = |s: Status| {
        if !opts.statuses.is_empty() {
            opts.statuses.contains(&s)
        } else if opts.all {
            true
        } else {
            matches!(s, Status::Deployed | Status::Failed)
        }
    };
    let mut rows = Vec::new();
    for ((ns, name), m) in latest {
        if !wanted(m.status) || filter.as_ref().is_some_and(|f| !f.is_match(&name)) {
            continue;
        }
        let (rel, _) = storage.get(&ns, &name, m.version).await?;
        rows.push(ListRow {
            name,
            namespace: ns,
            revision: rel.version.to_string(),
            updated: if rel.info.last_deployed.is_empty() {
                "-".into()
            } else {
                go_string(&rel.info.last_deployed)
            },
            status: rel.info.status.as_str().into(),
            chart: chart_name(&rel),
            app_version: app_version(&rel),
        });
    }
    // Helm sorts by name (then, across namespaces, keeps that order).
    rows.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(rows)
}

/// The list table.
pub fn list_table(rows: &[ListRow]) -> String {
    let mut t = vec![
        [
            "NAME",
            "NAMESPACE",
            "REVISION",
            "UPDATED",
            "STATUS",
            "CHART",
            "APP VERSION",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for r in rows {
        t.push(vec![
            r.name.clone(),
            r.namespace.clone(),
            r.revision.clone(),
            r.updated.clone(),
            r.status.clone(),
            r.chart.clone(),
            r.app_version.clone(),
        ]);
    }
    table(&t)
}
