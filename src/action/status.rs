//! `status NAME` (Helm's `statusPrinter`), plus the release's resources and
//! their readiness, which Helm 4 no longer shows.

use std::fmt::Write;

use origan_kube::Kube;
use origan_kube::ready::{Readiness, Rules, readiness};

use super::history::ansic;
use super::install::{Error, msg};
use super::resources::build;
use crate::release::Release;
use crate::release::driver::Storage;

/// Loads revision `revision` (0 = latest) of a release.
pub async fn load(
    storage: &Storage,
    ns: &str,
    name: &str,
    revision: u32,
) -> Result<Release, Error> {
    // Helm quirk kept: the newest revision is found by a label query, which
    // leaves the record's labels whole (`Query`), while an explicit
    // revision is read by `Get`, which filters Helm's system labels out.
    let (v, all_labels) = if revision == 0 {
        let last = storage
            .last(ns, name)
            .await?
            .ok_or_else(|| msg("release: not found"))?;
        (last.version, Some(last.labels))
    } else {
        (revision, None)
    };
    let (mut rel, custom) = storage
        .get(ns, name, v)
        .await
        .map_err(|_| msg("release: not found"))?;
    rel.labels = all_labels.unwrap_or(custom);
    Ok(rel)
}

/// `resource  readiness` lines for the release's objects.
pub async fn resources(kube: &Kube, rel: &Release) -> Result<Vec<(String, String)>, Error> {
    let mut out = Vec::new();
    for t in build(kube, &rel.manifest, &rel.name, &rel.namespace).await? {
        let state = match kube.get(&t.r).await? {
            None => "missing".to_string(),
            Some(o) => match readiness(
                &serde_json::to_value(&o).unwrap_or_default(),
                Rules::default(),
            ) {
                Readiness::Ready => "ready".into(),
                Readiness::Waiting(w) => format!("not ready: {w}"),
                Readiness::Failed(f) => format!("failed: {f}"),
            },
        };
        out.push((t.r.short(), state));
    }
    Ok(out)
}

/// Helm's status text; `resources` adds a RESOURCES section.
pub fn status_text(
    rel: &Release,
    resources: Option<&[(String, String)]>,
    show_metadata: bool,
) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "NAME: {}", rel.name);
    if !rel.info.last_deployed.is_empty() {
        let _ = writeln!(out, "LAST DEPLOYED: {}", ansic(&rel.info.last_deployed));
    }
    let _ = writeln!(out, "NAMESPACE: {}", rel.namespace);
    let _ = writeln!(out, "STATUS: {}", rel.info.status.as_str());
    let _ = writeln!(out, "REVISION: {}", rel.version);
    if show_metadata && let Some(c) = &rel.chart {
        let s = |k: &str| {
            c.metadata
                .get(k)
                .and_then(|v| v.as_str())
                .unwrap_or("")
                .to_string()
        };
        let _ = writeln!(out, "CHART: {}", s("name"));
        let _ = writeln!(out, "VERSION: {}", s("version"));
        let _ = writeln!(out, "APP_VERSION: {}", s("appVersion"));
    }
    let _ = writeln!(out, "DESCRIPTION: {}", rel.info.description);
    if let Some(res) = resources.filter(|r| !r.is_empty()) {
        let _ = writeln!(out, "RESOURCES:");
        let w = res.iter().map(|r| r.0.len()).max().unwrap_or(0);
        for (r, s) in res {
            let _ = writeln!(out, "  {r:<w$}  {s}");
        }
    }
    let tests: Vec<_> = rel
        .hooks
        .iter()
        .filter(|h| h.events.iter().any(|e| e == "test"))
        .collect();
    if tests.is_empty() {
        let _ = writeln!(out, "TEST SUITE: None");
    } else {
        for h in tests.iter().filter(|h| !h.last_run.started_at.is_empty()) {
            let _ = write!(
                out,
                "TEST SUITE:     {}\nLast Started:   {}\nLast Completed: {}\nPhase:          {}\n",
                h.name,
                ansic(&h.last_run.started_at),
                ansic(&h.last_run.completed_at),
                h.last_run.phase
            );
        }
    }
    if rel
        .info
        .description
        .eq_ignore_ascii_case("Dry run complete")
    {
        let _ = writeln!(out, "HOOKS:");
        for h in &rel.hooks {
            let _ = write!(out, "---\n# Source: {}\n{}\n", h.path, h.manifest);
        }
        let _ = write!(out, "MANIFEST:\n{}\n", rel.manifest);
    }
    if !rel.info.notes.is_empty() {
        let _ = write!(
            out,
            "NOTES:\n{}\n",
            crate::manifest::go_trim_space(&rel.info.notes)
        );
    }
    out
}
