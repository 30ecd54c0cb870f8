//! Where records live: Secrets, ConfigMaps, or memory. Each record is a key
//! (`sh.helm.release.v1.NAME.vN`), labels, and the encoded payload.

use std::collections::BTreeMap;

use origan_kube::Kube;
use origan_kube::k8s_openapi::ByteString;
use origan_kube::k8s_openapi::api::core::v1::{ConfigMap, Secret};
use origan_kube::k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use origan_kube::kube::Api;
use origan_kube::kube::api::{DeleteParams, ListParams, PostParams};

use super::{Error, MemoryBackend, RecordMeta, meta_from_labels};
use crate::release::SECRET_TYPE;

/// A record store.
#[derive(Clone, Debug)]
pub enum Backend {
    /// Secrets of type `helm.sh/release.v1`.
    Secrets(Kube),
    /// ConfigMaps.
    ConfigMaps(Kube),
    /// Process-local.
    Memory(MemoryBackend),
}

fn kerr(k: &Kube, context: &str, e: origan_kube::kube::Error) -> Error {
    match &e {
        origan_kube::kube::Error::Api(s) if s.code == 404 => Error::NotFound,
        origan_kube::kube::Error::Api(s) if s.code == 409 => Error::Exists,
        _ => Error::Kube(k.error(context, e)),
    }
}

fn selector(sel: &BTreeMap<String, String>) -> String {
    sel.iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}

fn meta(key: &str, namespace: &str, labels: BTreeMap<String, String>) -> ObjectMeta {
    ObjectMeta {
        name: Some(key.to_string()),
        namespace: Some(namespace.to_string()),
        labels: Some(labels),
        ..ObjectMeta::default()
    }
}

impl Backend {
    /// Helm's driver name.
    pub fn name(&self) -> &'static str {
        match self {
            Backend::Secrets(_) => "Secret",
            Backend::ConfigMaps(_) => "ConfigMap",
            Backend::Memory(_) => "Memory",
        }
    }

    fn secrets(k: &Kube, ns: Option<&str>) -> Api<Secret> {
        match ns {
            Some(ns) if !ns.is_empty() => Api::namespaced(k.client().clone(), ns),
            _ => Api::all(k.client().clone()),
        }
    }

    fn configmaps(k: &Kube, ns: Option<&str>) -> Api<ConfigMap> {
        match ns {
            Some(ns) if !ns.is_empty() => Api::namespaced(k.client().clone(), ns),
            _ => Api::all(k.client().clone()),
        }
    }

    fn secret(key: &str, ns: &str, labels: BTreeMap<String, String>, payload: String) -> Secret {
        Secret {
            metadata: meta(key, ns, labels),
            type_: Some(SECRET_TYPE.to_string()),
            data: Some(BTreeMap::from([(
                "release".to_string(),
                ByteString(payload.into_bytes()),
            )])),
            ..Secret::default()
        }
    }

    fn configmap(
        key: &str,
        ns: &str,
        labels: BTreeMap<String, String>,
        payload: String,
    ) -> ConfigMap {
        ConfigMap {
            metadata: meta(key, ns, labels),
            data: Some(BTreeMap::from([("release".to_string(), payload)])),
            ..ConfigMap::default()
        }
    }

    pub(super) async fn create(
        &self,
        ns: &str,
        key: &str,
        labels: BTreeMap<String, String>,
        payload: String,
    ) -> Result<(), Error> {
        let pp = PostParams::default();
        match self {
            Backend::Secrets(k) => Self::secrets(k, Some(ns))
                .create(&pp, &Self::secret(key, ns, labels, payload))
                .await
                .map(|_| ())
                .map_err(|e| kerr(k, "create: failed to create", e)),
            Backend::ConfigMaps(k) => Self::configmaps(k, Some(ns))
                .create(&pp, &Self::configmap(key, ns, labels, payload))
                .await
                .map(|_| ())
                .map_err(|e| kerr(k, "create: failed to create", e)),
            Backend::Memory(m) => m.create(ns, key, labels, payload),
        }
    }

    pub(super) async fn update(
        &self,
        ns: &str,
        key: &str,
        mut labels: BTreeMap<String, String>,
        payload: String,
    ) -> Result<(), Error> {
        let pp = PostParams::default();
        // Keep createdAt across updates (Helm loses it unless the record came
        // from a Query; keeping it is harmless and more useful).
        if let Some((old, _)) = self.get(ns, key).await?
            && let Some(c) = old.get("createdAt")
        {
            labels
                .entry("createdAt".into())
                .or_insert_with(|| c.clone());
        }
        match self {
            Backend::Secrets(k) => Self::secrets(k, Some(ns))
                .replace(key, &pp, &Self::secret(key, ns, labels, payload))
                .await
                .map(|_| ())
                .map_err(|e| kerr(k, "update: failed to update", e)),
            Backend::ConfigMaps(k) => Self::configmaps(k, Some(ns))
                .replace(key, &pp, &Self::configmap(key, ns, labels, payload))
                .await
                .map(|_| ())
                .map_err(|e| kerr(k, "update: failed to update", e)),
            Backend::Memory(m) => m.update(ns, key, labels, payload),
        }
    }

    pub(super) async fn get(
        &self,
        ns: &str,
        key: &str,
    ) -> Result<Option<(BTreeMap<String, String>, String)>, Error> {
        match self {
            Backend::Secrets(k) => {
                let s = Self::secrets(k, Some(ns))
                    .get_opt(key)
                    .await
                    .map_err(|e| kerr(k, "get: failed to get", e))?;
                Ok(s.map(|s| {
                    let payload = s
                        .data
                        .and_then(|d| {
                            d.get("release")
                                .map(|b| String::from_utf8_lossy(&b.0).into_owned())
                        })
                        .unwrap_or_default();
                    (s.metadata.labels.unwrap_or_default(), payload)
                }))
            }
            Backend::ConfigMaps(k) => {
                let c = Self::configmaps(k, Some(ns))
                    .get_opt(key)
                    .await
                    .map_err(|e| kerr(k, "get: failed to get", e))?;
                Ok(c.map(|c| {
                    (
                        c.metadata.labels.unwrap_or_default(),
                        c.data
                            .and_then(|d| d.get("release").cloned())
                            .unwrap_or_default(),
                    )
                }))
            }
            Backend::Memory(m) => Ok(m.get(ns, key)),
        }
    }

    /// Records matching `sel`, labels only. Kubernetes still sends the
    /// payloads with a list; we simply do not decode them.
    pub(super) async fn query(
        &self,
        ns: Option<&str>,
        sel: &BTreeMap<String, String>,
    ) -> Result<Vec<RecordMeta>, Error> {
        Ok(self
            .query_raw(ns, sel)
            .await?
            .into_iter()
            .filter_map(|(n, l, _)| meta_from_labels(&n, l))
            .collect())
    }

    pub(super) async fn query_payloads(
        &self,
        ns: Option<&str>,
        sel: &BTreeMap<String, String>,
    ) -> Result<Vec<(RecordMeta, String)>, Error> {
        Ok(self
            .query_raw(ns, sel)
            .await?
            .into_iter()
            .filter_map(|(n, l, p)| meta_from_labels(&n, l).map(|m| (m, p)))
            .collect())
    }

    async fn query_raw(
        &self,
        ns: Option<&str>,
        sel: &BTreeMap<String, String>,
    ) -> Result<Vec<(String, BTreeMap<String, String>, String)>, Error> {
        let lp = ListParams::default().labels(&selector(sel));
        match self {
            Backend::Secrets(k) => {
                let list = Self::secrets(k, ns)
                    .list(&lp)
                    .await
                    .map_err(|e| kerr(k, "query: failed to query with labels", e))?;
                Ok(list
                    .items
                    .into_iter()
                    .filter(|s| s.type_.as_deref() == Some(SECRET_TYPE))
                    .map(|s| {
                        let payload = s
                            .data
                            .and_then(|d| {
                                d.get("release")
                                    .map(|b| String::from_utf8_lossy(&b.0).into_owned())
                            })
                            .unwrap_or_default();
                        (
                            s.metadata.namespace.unwrap_or_default(),
                            s.metadata.labels.unwrap_or_default(),
                            payload,
                        )
                    })
                    .collect())
            }
            Backend::ConfigMaps(k) => {
                let list = Self::configmaps(k, ns)
                    .list(&lp)
                    .await
                    .map_err(|e| kerr(k, "query: failed to query with labels", e))?;
                Ok(list
                    .items
                    .into_iter()
                    .map(|c| {
                        (
                            c.metadata.namespace.unwrap_or_default(),
                            c.metadata.labels.unwrap_or_default(),
                            c.data
                                .and_then(|d| d.get("release").cloned())
                                .unwrap_or_default(),
                        )
                    })
                    .collect())
            }
            Backend::Memory(m) => Ok(m.query(ns, sel)),
        }
    }

    pub(super) async fn delete(&self, ns: &str, key: &str) -> Result<(), Error> {
        let dp = DeleteParams::default();
        match self {
            Backend::Secrets(k) => Self::secrets(k, Some(ns))
                .delete(key, &dp)
                .await
                .map(|_| ())
                .map_err(|e| kerr(k, "delete: failed to delete", e)),
            Backend::ConfigMaps(k) => Self::configmaps(k, Some(ns))
                .delete(key, &dp)
                .await
                .map(|_| ())
                .map_err(|e| kerr(k, "delete: failed to delete", e)),
            Backend::Memory(m) => m.delete(ns, key),
        }
    }
}
