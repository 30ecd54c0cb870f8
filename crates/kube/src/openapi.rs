//! Strategic-merge patch metadata from the API server's OpenAPI v3
//! documents (`/openapi/v3/<group-version>`): for a built-in kind, which
//! lists merge by which key (`x-kubernetes-patch-strategy`,
//! `x-kubernetes-patch-merge-key`) — what client-go reads from its Go
//! struct tags for Helm's client-side patches.
//! Does not own: computing or sending patches (src/action/smp.rs,
//! update.rs). Documents are fetched once per group-version per process.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use serde_json::Value;

use crate::{Error, Kube};

type Cache = Mutex<HashMap<String, Option<Arc<Value>>>>;

fn cache() -> &'static Cache {
    static C: OnceLock<Cache> = OnceLock::new();
    C.get_or_init(Cache::default)
}

/// Schema groups compiled into client-go's scheme, whose objects Helm
/// patches with a strategic merge patch; anything else (custom resources)
/// gets a JSON merge patch.
fn is_builtin(schema_name: &str) -> bool {
    schema_name.starts_with("io.k8s.api.")
        || schema_name.starts_with("io.k8s.apiextensions-apiserver.")
}

/// Patch metadata at one place of an object's schema. An unknown place
/// (no schema) has no strategy: lists there are replaced.
#[derive(Clone, Debug)]
pub struct PatchMeta {
    doc: Arc<Value>,
    /// The property's own schema (carrying the `x-kubernetes-patch-*`
    /// extensions), before resolving `$ref`/`allOf`.
    node: Option<Value>,
}

impl PatchMeta {
    /// The metadata of schema `name` (`io.k8s.api.apps.v1.Deployment`) in
    /// an OpenAPI v3 document.
    pub fn new(doc: Arc<Value>, name: &str) -> PatchMeta {
        PatchMeta {
            node: Some(serde_json::json!({"$ref": format!("#/components/schemas/{name}")})),
            doc,
        }
    }

    fn resolve<'a>(&'a self, mut s: &'a Value) -> &'a Value {
        for _ in 0..8 {
            let target = s
                .get("$ref")
                .or_else(|| s.pointer("/allOf/0/$ref"))
                .and_then(Value::as_str);
            let Some(r) = target else { break };
            let name = r.trim_start_matches("#/components/schemas/");
            match self.doc.pointer(&format!(
                "/components/schemas/{}",
                name.replace('~', "~0").replace('/', "~1")
            )) {
                Some(next) => s = next,
                None => break,
            }
        }
        s
    }

    fn child(&self, node: Option<&Value>) -> PatchMeta {
        PatchMeta {
            doc: self.doc.clone(),
            node: node.cloned(),
        }
    }

    /// The schema of field `name` of this (object) place.
    pub fn field(&self, name: &str) -> PatchMeta {
        let node = self.node.as_ref().map(|n| self.resolve(n)).and_then(|s| {
            s.pointer(&format!(
                "/properties/{}",
                name.replace('~', "~0").replace('/', "~1")
            ))
        });
        self.child(node)
    }

    /// The schema of this (list) place's items.
    pub fn items(&self) -> PatchMeta {
        let node = self
            .node
            .as_ref()
            .map(|n| self.resolve(n))
            .and_then(|s| s.get("items"));
        self.child(node)
    }

    /// `x-kubernetes-patch-strategy` (`merge`, `retainKeys`, both, or "").
    pub fn strategy(&self) -> &str {
        self.node
            .as_ref()
            .and_then(|n| n.get("x-kubernetes-patch-strategy"))
            .and_then(Value::as_str)
            .unwrap_or("")
    }

    /// `x-kubernetes-patch-merge-key`.
    pub fn merge_key(&self) -> Option<&str> {
        self.node
            .as_ref()
            .and_then(|n| n.get("x-kubernetes-patch-merge-key"))
            .and_then(Value::as_str)
    }
}

impl Kube {
    async fn openapi_doc(&self, api_version: &str) -> Result<Option<Arc<Value>>, Error> {
        let path = if api_version.contains('/') {
            format!("apis/{api_version}")
        } else {
            format!("api/{api_version}")
        };
        if let Some(hit) = cache().lock().expect("openapi cache").get(&path) {
            return Ok(hit.clone());
        }
        let get = |uri: String| {
            let client = self.client().clone();
            async move {
                let req = http::Request::get(uri)
                    .body(Vec::new())
                    .map_err(|e| Error::Invalid(e.to_string()))?;
                client
                    .request::<Value>(req)
                    .await
                    .map_err(|e| Error::api("reading the OpenAPI v3 document".to_string(), e))
            }
        };
        let index = get("/openapi/v3".to_string()).await?;
        let doc = match index
            .pointer(&format!(
                "/paths/{}/serverRelativeURL",
                path.replace('/', "~1")
            ))
            .and_then(Value::as_str)
        {
            Some(url) => Some(Arc::new(get(url.to_string()).await?)),
            None => None,
        };
        cache()
            .lock()
            .expect("openapi cache")
            .insert(path, doc.clone());
        Ok(doc)
    }

    /// Strategic-merge metadata for a built-in kind; `None` for custom
    /// resources (and kinds the server documents nowhere).
    pub async fn patch_meta(
        &self,
        api_version: &str,
        kind: &str,
    ) -> Result<Option<PatchMeta>, Error> {
        let Some(doc) = self.openapi_doc(api_version).await? else {
            return Ok(None);
        };
        let (group, version) = api_version.split_once('/').unwrap_or(("", api_version));
        let found = doc
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .and_then(|schemas| {
                schemas.iter().find(|(_, s)| {
                    s.get("x-kubernetes-group-version-kind")
                        .and_then(Value::as_array)
                        .is_some_and(|gvks| {
                            gvks.iter().any(|g| {
                                g.get("group").and_then(Value::as_str) == Some(group)
                                    && g.get("version").and_then(Value::as_str) == Some(version)
                                    && g.get("kind").and_then(Value::as_str) == Some(kind)
                            })
                        })
                })
            })
            .map(|(name, _)| name.clone());
        Ok(found
            .filter(|n| is_builtin(n))
            .map(|name| PatchMeta::new(doc, &name)))
    }
}
