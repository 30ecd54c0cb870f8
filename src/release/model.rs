//! The release record's JSON shape, field for field and in Go's struct order
//! (`Release`, `Info`, `Hook`, and the embedded `Chart`).

use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

/// A release revision (`pkg/release/v1.Release`).
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Release {
    /// Release name.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Status and times.
    #[serde(default)]
    pub info: Info,
    /// The parent chart (subcharts are not serialized by Helm).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chart: Option<ChartRecord>,
    /// The user-supplied values only (not the coalesced ones).
    #[serde(default, skip_serializing_if = "is_empty_map")]
    pub config: serde_json::Map<String, Json>,
    /// Rendered non-hook manifests.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub manifest: String,
    /// Hooks, in install order of kinds.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hooks: Vec<HookRecord>,
    /// Revision, from 1.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub version: u32,
    /// Release namespace.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub namespace: String,
    /// Helm 4: `ssa` or `csa`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub apply_method: String,
    /// The record's labels as the driver stored them (`Labels
    /// json:"-"`: never in the payload, filled in when a record is read).
    #[serde(skip)]
    pub labels: std::collections::BTreeMap<String, String>,
}

fn is_zero(v: &u32) -> bool {
    *v == 0
}

fn is_empty_map(m: &serde_json::Map<String, Json>) -> bool {
    m.is_empty()
}

/// `pkg/release/v1.Info`. Helm 4 omits zero times; Helm 3 writes `""`, which
/// reads back as absent.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Info {
    /// RFC 3339 with nanoseconds.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub first_deployed: String,
    /// RFC 3339 with nanoseconds.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub last_deployed: String,
    /// Set by uninstall.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub deleted: String,
    /// The history's description column.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Status.
    #[serde(default)]
    pub status: Status,
    /// Rendered NOTES.txt.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
}

/// `pkg/release/common.Status`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// `unknown`
    #[default]
    Unknown,
    /// `deployed`
    Deployed,
    /// `uninstalled`
    Uninstalled,
    /// `superseded`
    Superseded,
    /// `failed`
    Failed,
    /// `uninstalling`
    Uninstalling,
    /// `pending-install`
    PendingInstall,
    /// `pending-upgrade`
    PendingUpgrade,
    /// `pending-rollback`
    PendingRollback,
}

impl Status {
    /// The status as Helm writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Unknown => "unknown",
            Status::Deployed => "deployed",
            Status::Uninstalled => "uninstalled",
            Status::Superseded => "superseded",
            Status::Failed => "failed",
            Status::Uninstalling => "uninstalling",
            Status::PendingInstall => "pending-install",
            Status::PendingUpgrade => "pending-upgrade",
            Status::PendingRollback => "pending-rollback",
        }
    }

    /// Parses a status label value.
    pub fn parse(s: &str) -> Option<Status> {
        serde_json::from_value(Json::String(s.to_string())).ok()
    }

    /// Helm's `IsPending`: only the three `pending-*` values.
    pub fn is_pending(self) -> bool {
        matches!(
            self,
            Status::PendingInstall | Status::PendingUpgrade | Status::PendingRollback
        )
    }
}

/// `pkg/release/v1.Hook`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct HookRecord {
    /// `metadata.name`
    #[serde(default)]
    pub name: String,
    /// `kind`
    #[serde(default)]
    pub kind: String,
    /// Template path.
    #[serde(default)]
    pub path: String,
    /// One YAML document.
    #[serde(default)]
    pub manifest: String,
    /// Events.
    #[serde(default)]
    pub events: Vec<String>,
    /// The last run.
    #[serde(default)]
    pub last_run: HookRun,
    /// Weight.
    #[serde(default)]
    pub weight: i32,
    /// Delete policies.
    #[serde(default)]
    pub delete_policies: Vec<String>,
    /// Output-log policies.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub output_log_policies: Vec<String>,
}

/// `pkg/release/v1.HookExecution`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct HookRun {
    /// Start time.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub started_at: String,
    /// End time.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub completed_at: String,
    /// `Unknown`, `Running`, `Succeeded`, `Failed`, or empty.
    #[serde(default)]
    pub phase: String,
}

/// The embedded chart (`pkg/chart/v2.Chart`): the parent chart only.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct ChartRecord {
    /// Chart.yaml with Helm's JSON field names.
    #[serde(default)]
    pub metadata: Json,
    /// Chart.lock.
    #[serde(default)]
    pub lock: Json,
    /// Templates.
    #[serde(default)]
    pub templates: Vec<FileRecord>,
    /// values.yaml as a map.
    #[serde(default)]
    pub values: Json,
    /// values.schema.json, base64, or null.
    #[serde(default)]
    pub schema: Json,
    /// Helm 4: always present, zero time when there is no schema.
    #[serde(default = "zero_time")]
    pub schemamodtime: String,
    /// Other files.
    #[serde(default)]
    pub files: Vec<FileRecord>,
}

fn zero_time() -> String {
    "0001-01-01T00:00:00Z".to_string()
}

/// A chart file: name and base64 data.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct FileRecord {
    /// Path relative to the chart.
    pub name: String,
    /// Standard base64 of the bytes.
    pub data: String,
}
