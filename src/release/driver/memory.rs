//! The in-memory record store (Helm's `memory` driver): process-local and
//! namespaced, for tests and client-side dry runs.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use super::Error;

type Records = BTreeMap<(String, String), (BTreeMap<String, String>, String)>;

/// Records by `(namespace, key)`.
#[derive(Clone, Debug, Default)]
pub struct MemoryBackend {
    records: Arc<Mutex<Records>>,
}

impl MemoryBackend {
    fn lock(&self) -> std::sync::MutexGuard<'_, Records> {
        self.records.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(super) fn create(
        &self,
        ns: &str,
        key: &str,
        labels: BTreeMap<String, String>,
        payload: String,
    ) -> Result<(), Error> {
        let mut r = self.lock();
        let k = (ns.to_string(), key.to_string());
        if r.contains_key(&k) {
            return Err(Error::Exists);
        }
        r.insert(k, (labels, payload));
        Ok(())
    }

    pub(super) fn update(
        &self,
        ns: &str,
        key: &str,
        labels: BTreeMap<String, String>,
        payload: String,
    ) -> Result<(), Error> {
        let mut r = self.lock();
        let slot = r
            .get_mut(&(ns.to_string(), key.to_string()))
            .ok_or(Error::NotFound)?;
        *slot = (labels, payload);
        Ok(())
    }

    pub(super) fn get(&self, ns: &str, key: &str) -> Option<(BTreeMap<String, String>, String)> {
        self.lock().get(&(ns.to_string(), key.to_string())).cloned()
    }

    pub(super) fn query(
        &self,
        ns: Option<&str>,
        sel: &BTreeMap<String, String>,
    ) -> Vec<(String, BTreeMap<String, String>, String)> {
        self.lock()
            .iter()
            .filter(|((n, _), (labels, _))| {
                ns.is_none_or(|want| want.is_empty() || want == n)
                    && sel.iter().all(|(k, v)| labels.get(k) == Some(v))
            })
            .map(|((n, _), (l, p))| (n.clone(), l.clone(), p.clone()))
            .collect()
    }

    pub(super) fn delete(&self, ns: &str, key: &str) -> Result<(), Error> {
        self.lock()
            .remove(&(ns.to_string(), key.to_string()))
            .map(|_| ())
            .ok_or(Error::NotFound)
    }
}
