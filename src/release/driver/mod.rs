//! Helm's release storage drivers (`pkg/storage`, `pkg/storage/driver`):
//! Secrets (the default), ConfigMaps (`HELM_DRIVER=configmap`) and an
//! in-memory store for tests, all behind one [`Storage`].
//!
//! Owns record keys, labels, create/update/get/list/history/delete and the
//! history pruning of `--history-max`. Listing reads labels only; payloads
//! are decoded only for the records a caller asks for. Does not decide what a
//! release contains (that is `action`).

mod backend;
mod memory;

use std::collections::BTreeMap;

use origan_kube::Kube;

use crate::release::{CodecError, Release, Status, decode, encode, storage_key};
pub use backend::Backend;
pub use memory::MemoryBackend;

/// A storage failure.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No record matched (`ErrReleaseNotFound`).
    #[error("release: not found")]
    NotFound,
    /// `Create` on an existing key (`ErrReleaseExists`).
    #[error("release: already exists")]
    Exists,
    /// The cluster said no.
    #[error(transparent)]
    Kube(#[from] origan_kube::Error),
    /// A payload could not be decoded.
    #[error(transparent)]
    Codec(#[from] CodecError),
    /// `HELM_DRIVER` names something we do not have.
    #[error("unknown driver {0:?}")]
    UnknownDriver(String),
    /// A user label uses a system label name.
    #[error(
        "user supplied labels contains system reserved label name. System labels: [name owner status version createdAt modifiedAt]"
    )]
    ReservedLabel,
}

/// The labels Helm keeps to itself (`systemLabels`).
pub const SYSTEM_LABELS: [&str; 6] = [
    "name",
    "owner",
    "status",
    "version",
    "createdAt",
    "modifiedAt",
];

/// One record as its labels describe it, without decoding the payload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordMeta {
    /// Release name.
    pub name: String,
    /// Namespace of the record (= the release's).
    pub namespace: String,
    /// Revision.
    pub version: u32,
    /// Status label.
    pub status: Status,
    /// All labels, system ones included.
    pub labels: BTreeMap<String, String>,
}

impl RecordMeta {
    /// The custom (non-system) labels.
    pub fn custom_labels(&self) -> BTreeMap<String, String> {
        self.labels
            .iter()
            .filter(|(k, _)| !SYSTEM_LABELS.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }
}

/// Release storage in one backend.
#[derive(Clone, Debug)]
pub struct Storage {
    backend: Backend,
}

fn now_unix() -> String {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
        .to_string()
}

impl Storage {
    /// A storage over `backend`.
    pub fn new(backend: Backend) -> Storage {
        Storage { backend }
    }

    /// The backend `HELM_DRIVER` selects: unset/`secret(s)` → Secrets,
    /// `configmap(s)` → ConfigMaps, `memory` → process-local.
    pub fn from_driver_name(name: Option<&str>, kube: Kube) -> Result<Storage, Error> {
        Ok(Storage::new(match name.unwrap_or("") {
            "" | "secret" | "secrets" => Backend::Secrets(kube),
            "configmap" | "configmaps" => Backend::ConfigMaps(kube),
            "memory" => Backend::Memory(MemoryBackend::default()),
            other => return Err(Error::UnknownDriver(other.to_string())),
        }))
    }

    /// The driver's name as Helm prints it.
    pub fn name(&self) -> &'static str {
        self.backend.name()
    }

    fn labels_for(
        rel: &Release,
        custom: &BTreeMap<String, String>,
    ) -> Result<BTreeMap<String, String>, Error> {
        if custom.keys().any(|k| SYSTEM_LABELS.contains(&k.as_str())) {
            return Err(Error::ReservedLabel);
        }
        let mut labels = custom.clone();
        for (k, v) in crate::release::system_labels(rel) {
            labels.insert(k.to_string(), v);
        }
        Ok(labels)
    }

    /// `Create`: a new record; fails with [`Error::Exists`] if the key is
    /// taken (this is what makes two installs of one name exclusive).
    pub async fn create(
        &self,
        rel: &Release,
        custom: &BTreeMap<String, String>,
    ) -> Result<(), Error> {
        let mut labels = Self::labels_for(rel, custom)?;
        labels.insert("createdAt".into(), now_unix());
        let payload = encode(rel)?;
        self.backend
            .create(
                &rel.namespace,
                &storage_key(&rel.name, rel.version),
                labels,
                payload,
            )
            .await
    }

    /// `Update`: rewrites a record (status changes mostly).
    pub async fn update(
        &self,
        rel: &Release,
        custom: &BTreeMap<String, String>,
    ) -> Result<(), Error> {
        let mut labels = Self::labels_for(rel, custom)?;
        labels.insert("modifiedAt".into(), now_unix());
        let payload = encode(rel)?;
        self.backend
            .update(
                &rel.namespace,
                &storage_key(&rel.name, rel.version),
                labels,
                payload,
            )
            .await
    }

    /// `Get`: one revision, decoded, with its custom labels.
    pub async fn get(
        &self,
        namespace: &str,
        name: &str,
        version: u32,
    ) -> Result<(Release, BTreeMap<String, String>), Error> {
        let (labels, payload) = self
            .backend
            .get(namespace, &storage_key(name, version))
            .await?
            .ok_or(Error::NotFound)?;
        let rel = decode_record(&payload)?;
        let custom = labels
            .into_iter()
            .filter(|(k, _)| !SYSTEM_LABELS.contains(&k.as_str()))
            .collect();
        Ok((rel, custom))
    }

    /// Records of one release, by labels only, ascending by revision.
    pub async fn history_meta(
        &self,
        namespace: &str,
        name: &str,
    ) -> Result<Vec<RecordMeta>, Error> {
        let sel = BTreeMap::from([
            ("owner".to_string(), "helm".to_string()),
            ("name".to_string(), name.to_string()),
        ]);
        let mut out = self.backend.query(Some(namespace), &sel).await?;
        out.sort_by_key(|m| m.version);
        Ok(out)
    }

    /// `History`: every revision, decoded, ascending. Records that fail to
    /// decode are skipped as Helm does.
    pub async fn history(&self, namespace: &str, name: &str) -> Result<Vec<Release>, Error> {
        let sel = BTreeMap::from([
            ("owner".to_string(), "helm".to_string()),
            ("name".to_string(), name.to_string()),
        ]);
        let mut out: Vec<Release> = self
            .backend
            .query_payloads(Some(namespace), &sel)
            .await?
            .into_iter()
            .filter_map(|(_, p)| decode_record(&p).ok())
            .collect();
        out.sort_by_key(|r| r.version);
        Ok(out)
    }

    /// Every record's labels (`owner=helm`) in a namespace, or all
    /// namespaces for `None`.
    pub async fn list_meta(&self, namespace: Option<&str>) -> Result<Vec<RecordMeta>, Error> {
        let sel = BTreeMap::from([("owner".to_string(), "helm".to_string())]);
        self.backend.query(namespace, &sel).await
    }

    /// The newest revision of a release, any status (`Last`).
    pub async fn last(&self, namespace: &str, name: &str) -> Result<Option<RecordMeta>, Error> {
        Ok(self.history_meta(namespace, name).await?.pop())
    }

    /// Deletes one record.
    pub async fn delete(&self, namespace: &str, name: &str, version: u32) -> Result<(), Error> {
        self.backend
            .delete(namespace, &storage_key(name, version))
            .await
    }

    /// Helm's `removeLeastRecent(name, max-1)` before creating a revision:
    /// drops the oldest records, never the last deployed one, so that after
    /// the create there are `max` (0 = unlimited).
    pub async fn prune(&self, namespace: &str, name: &str, max: usize) -> Result<(), Error> {
        if max == 0 {
            return Ok(());
        }
        let hist = self.history_meta(namespace, name).await?;
        let keep = max - 1;
        if hist.len() <= keep {
            return Ok(());
        }
        let last_deployed = hist
            .iter()
            .rev()
            .find(|m| m.status == Status::Deployed)
            .map(|m| m.version);
        let mut to_delete = Vec::new();
        for m in &hist {
            if hist.len() - to_delete.len() <= keep {
                break;
            }
            if Some(m.version) != last_deployed {
                to_delete.push(m.version);
            }
        }
        for v in to_delete {
            match self.delete(namespace, name, v).await {
                Ok(()) | Err(Error::NotFound) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }
}

/// `decodeRelease`, tolerant of Go's `null` for empty slices and maps
/// (Helm writes `"files":null` for a chart without files): on a JSON type
/// error the document is re-read with every `null` member dropped.
pub fn decode_record(payload: &str) -> Result<Release, Error> {
    match decode(payload) {
        Ok(r) => Ok(r),
        Err(CodecError::Json(first)) => {
            use base64::Engine;
            use std::io::Read;
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(payload.trim())
                .map_err(CodecError::from)?;
            let mut json = Vec::new();
            if bytes.starts_with(&[0x1f, 0x8b, 0x08]) {
                flate2::read::GzDecoder::new(bytes.as_slice())
                    .take(256 << 20)
                    .read_to_end(&mut json)
                    .map_err(CodecError::from)?;
            } else {
                json = bytes;
            }
            let mut v: serde_json::Value =
                serde_json::from_slice(&json).map_err(CodecError::from)?;
            strip_nulls(&mut v);
            serde_json::from_value(v).map_err(|_| Error::Codec(CodecError::Json(first)))
        }
        Err(e) => Err(e.into()),
    }
}

fn strip_nulls(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(m) => {
            m.retain(|_, x| !x.is_null());
            m.values_mut().for_each(strip_nulls);
        }
        serde_json::Value::Array(a) => a.iter_mut().for_each(strip_nulls),
        _ => {}
    }
}

pub(crate) fn meta_from_labels(
    namespace: &str,
    labels: BTreeMap<String, String>,
) -> Option<RecordMeta> {
    Some(RecordMeta {
        name: labels.get("name")?.clone(),
        namespace: namespace.to_string(),
        version: labels.get("version")?.parse().ok()?,
        status: Status::parse(labels.get("status")?)?,
        labels,
    })
}

#[cfg(test)]
mod tests;
