//! Release records exactly as Helm stores them (`pkg/release/v1`,
//! `pkg/storage`): the record's JSON shape, its encoding, and the storage
//! key and labels.
//!
//! Owns the data model and codec. Reading and writing Secrets belongs to the
//! storage drivers; deciding what a release contains belongs to `action`.

mod codec;
pub mod driver;
mod model;

pub use codec::{CodecError, decode, encode};
pub use model::{ChartRecord, FileRecord, HookRecord, HookRun, Info, Release, Status};

/// Helm's storage type prefix (`HelmStorageType`).
pub const STORAGE_TYPE: &str = "sh.helm.release.v1";
/// The Secret type of release records.
pub const SECRET_TYPE: &str = "helm.sh/release.v1";

/// The name of the Secret or ConfigMap holding revision `version` of `name`:
/// `sh.helm.release.v1.NAME.vN`.
pub fn storage_key(name: &str, version: u32) -> String {
    format!("{STORAGE_TYPE}.{name}.v{version}")
}

/// The labels Helm puts on a record, besides custom release labels:
/// `name`, `owner=helm`, `status`, `version`.
pub fn system_labels(rel: &Release) -> Vec<(&'static str, String)> {
    vec![
        ("name", rel.name.clone()),
        ("owner", "helm".to_string()),
        ("status", rel.info.status.as_str().to_string()),
        ("version", rel.version.to_string()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_matches_helm() {
        assert_eq!(storage_key("origan", 3), "sh.helm.release.v1.origan.v3");
    }
}
