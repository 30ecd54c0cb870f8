//! `history`, `list`-style tables and Helm's time formats: the read-only
//! views of release records (`pkg/cmd/history.go`, `list.go`).

use serde::Serialize;

use super::install::Error;
use crate::release::Release;
use crate::release::driver::Storage;

/// One `history` row (`releaseInfo`), JSON field names as Helm's.
#[derive(Clone, Debug, Serialize)]
pub struct HistoryRow {
    /// Revision.
    pub revision: u32,
    /// `last_deployed`.
    pub updated: String,
    /// Status.
    pub status: String,
    /// `name-version`.
    pub chart: String,
    /// App version.
    pub app_version: String,
    /// Description.
    pub description: String,
}

/// `NAME-VERSION` or `MISSING` (`formatChartname`).
pub fn chart_name(rel: &Release) -> String {
    match &rel.chart {
        Some(c) if c.metadata.is_object() => format!(
            "{}-{}",
            c.metadata
                .get("name")
                .and_then(|v| v.as_str())
                .unwrap_or(""),
            c.metadata
                .get("version")
                .and_then(|v| v.as_str())
                .unwrap_or("")
        ),
        _ => "MISSING".into(),
    }
}

/// `appVersion` or `MISSING`.
pub fn app_version(rel: &Release) -> String {
    match &rel.chart {
        Some(c) if c.metadata.is_object() => c
            .metadata
            .get("appVersion")
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .to_string(),
        _ => "MISSING".into(),
    }
}

/// `history NAME --max N`: the newest `max` revisions, oldest first.
pub async fn history(
    storage: &Storage,
    ns: &str,
    name: &str,
    max: usize,
) -> Result<Vec<HistoryRow>, Error> {
    let hist = storage.history(ns, name).await?;
    if hist.is_empty() {
        return Err(super::install::msg("release: not found"));
    }
    let skip = hist.len().saturating_sub(max);
    Ok(hist
        .iter()
        .skip(skip)
        .map(|r| HistoryRow {
            revision: r.version,
            updated: r.info.last_deployed.clone(),
            status: r.info.status.as_str().into(),
            chart: chart_name(r),
            app_version: app_version(r),
            description: r.info.description.clone(),
        })
        .collect())
}

fn parse(ts: &str) -> Option<jiff::Zoned> {
    let t: jiff::Timestamp = ts.parse().ok()?;
    Some(t.to_zoned(jiff::tz::TimeZone::system()))
}

/// Go's `time.ANSIC` in the local zone (`Mon Jan _2 15:04:05 2006`).
pub fn ansic(ts: &str) -> String {
    parse(ts)
        .map(|z| z.strftime("%a %b %e %H:%M:%S %Y").to_string())
        .unwrap_or_default()
}

/// Go's `Time.String()` (`2006-01-02 15:04:05.999999999 -0700 MST`).
pub fn go_string(ts: &str) -> String {
    match parse(ts) {
        Some(z) => {
            let abbr = z.strftime("%Z").to_string();
            z.strftime(&format!("%Y-%m-%d %H:%M:%S%.f %z {abbr}"))
                .to_string()
        }
        None => "-".into(),
    }
}

/// `uitable` as Helm uses it: every cell padded to its column's width,
/// columns joined by a tab.
pub fn table(rows: &[Vec<String>]) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0; cols];
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            widths[i] = widths[i].max(c.chars().count());
        }
    }
    let mut out = String::new();
    for (n, r) in rows.iter().enumerate() {
        if n > 0 {
            out.push('\n');
        }
        let cells: Vec<String> = r
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{c:<w$}", w = widths[i]))
            .collect();
        out.push_str(&cells.join("\t"));
    }
    out.push('\n');
    out
}

/// The history table.
pub fn history_table(rows: &[HistoryRow]) -> String {
    let mut t = vec![
        [
            "REVISION",
            "UPDATED",
            "STATUS",
            "CHART",
            "APP VERSION",
            "DESCRIPTION",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for r in rows {
        t.push(vec![
            r.revision.to_string(),
            ansic(&r.updated),
            r.status.clone(),
            r.chart.clone(),
            r.app_version.clone(),
            r.description.clone(),
        ]);
    }
    table(&t)
}
