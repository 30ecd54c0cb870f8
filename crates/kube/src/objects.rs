//! Objects: parsing YAML/JSON documents, server-side apply with a field
//! manager, get, list and delete with a propagation policy.

use std::fmt;

use kube::api::{
    DeleteParams, DynamicObject, ListParams, Patch, PatchParams, PostParams, PropagationPolicy,
    ValidationDirective,
};
use serde::Deserialize;
use serde_json::Value;

use crate::{Error, Kube, ResourceInfo};

pub(crate) static APPLY_COUNT: std::sync::atomic::AtomicUsize =
    std::sync::atomic::AtomicUsize::new(0);

/// Identity of one object: Helm compares `name + namespace + group + kind`;
/// we keep the apiVersion to address it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ObjectRef {
    /// `apps/v1`
    pub api_version: String,
    /// `Deployment`
    pub kind: String,
    /// Empty for cluster-scoped objects.
    pub namespace: String,
    /// `metadata.name`
    pub name: String,
}

impl ObjectRef {
    /// The API group (`""` for the core group).
    pub fn group(&self) -> &str {
        self.api_version
            .split_once('/')
            .map(|(g, _)| g)
            .unwrap_or("")
    }

    /// Helm's identity key (`isMatchingInfo`): the version is ignored.
    pub fn identity(&self) -> (String, String, String, String) {
        (
            self.group().to_string(),
            self.kind.clone(),
            self.namespace.clone(),
            self.name.clone(),
        )
    }

    /// `deployment/gateway`, as progress lines name resources.
    pub fn short(&self) -> String {
        format!("{}/{}", self.kind.to_lowercase(), self.name)
    }
}

impl fmt::Display for ObjectRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.namespace.is_empty() {
            write!(f, "{}/{}", self.kind, self.name)
        } else {
            write!(f, "{}/{}/{}", self.kind, self.namespace, self.name)
        }
    }
}

/// Deletion propagation (`--cascade`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Propagation {
    /// Helm's default.
    #[default]
    Background,
    /// Wait for dependents.
    Foreground,
    /// Leave dependents.
    Orphan,
}

/// Splits a multi-document YAML (or one JSON) text into objects, dropping
/// empty documents and expanding `List` kinds as Helm's builder does.
pub fn parse_documents(text: &str) -> Result<Vec<Value>, Error> {
    let mut out = Vec::new();
    for doc in serde_yaml_ng::Deserializer::from_str(text) {
        let v = Value::deserialize(doc).map_err(|e| Error::Invalid(e.to_string()))?;
        match v {
            Value::Null => {}
            Value::Object(ref m)
                if m.get("kind")
                    .and_then(Value::as_str)
                    .is_some_and(|k| k.ends_with("List"))
                    && m.get("items").is_some() =>
            {
                if let Some(Value::Array(items)) = m.get("items") {
                    out.extend(items.iter().cloned());
                }
            }
            Value::Object(_) => out.push(v),
            other => {
                return Err(Error::Invalid(format!(
                    "document is not an object: {other}"
                )));
            }
        }
    }
    Ok(out)
}

fn str_at<'a>(v: &'a Value, path: &[&str]) -> &'a str {
    let mut cur = v;
    for p in path {
        match cur.get(p) {
            Some(n) => cur = n,
            None => return "",
        }
    }
    cur.as_str().unwrap_or("")
}

impl Kube {
    /// Resolves an object's resource and its full reference, putting
    /// namespaced objects without `metadata.namespace` into `default_ns`.
    pub async fn locate(
        &self,
        obj: &Value,
        default_ns: &str,
    ) -> Result<(ResourceInfo, ObjectRef), Error> {
        let api_version = str_at(obj, &["apiVersion"]);
        let kind = str_at(obj, &["kind"]);
        let name = str_at(obj, &["metadata", "name"]);
        let ns = str_at(obj, &["metadata", "namespace"]);
        if api_version.is_empty() || kind.is_empty() {
            return Err(Error::Invalid(format!(
                "object {name:?} has no apiVersion or kind"
            )));
        }
        let Some(info) = self.resolve(api_version, kind).await? else {
            return Err(Error::UnknownKind {
                api_version: api_version.into(),
                kind: kind.into(),
                name: name.into(),
                namespace: ns.into(),
            });
        };
        let namespace = if !info.namespaced {
            String::new()
        } else if ns.is_empty() {
            default_ns.to_string()
        } else {
            ns.to_string()
        };
        let r = ObjectRef {
            api_version: api_version.into(),
            kind: kind.into(),
            namespace,
            name: name.into(),
        };
        Ok((info, r))
    }

    /// Resolves a reference's resource.
    pub async fn info_for(&self, r: &ObjectRef) -> Result<ResourceInfo, Error> {
        self.resolve(&r.api_version, &r.kind)
            .await?
            .ok_or_else(|| Error::UnknownKind {
                api_version: r.api_version.clone(),
                kind: r.kind.clone(),
                name: r.name.clone(),
                namespace: r.namespace.clone(),
            })
    }

    /// Server-side apply of one object (`PATCH application/apply-patch+yaml`,
    /// `fieldManager`, `fieldValidation=Strict` as Helm 4 sends), returning
    /// the live object.
    pub async fn apply(
        &self,
        obj: &Value,
        default_ns: &str,
        field_manager: &str,
        force: bool,
    ) -> Result<DynamicObject, Error> {
        self.apply_status(obj, default_ns, field_manager, force)
            .await
            .map(|(o, _)| o)
    }

    /// [`Kube::apply`], also saying whether the request created the object
    /// (the API server answers `201 Created` rather than `200 OK`), so a
    /// caller reporting "created"/"configured" needs no GET beforehand.
    pub async fn apply_status(
        &self,
        obj: &Value,
        default_ns: &str,
        field_manager: &str,
        force: bool,
    ) -> Result<(DynamicObject, bool), Error> {
        let (info, r) = self.locate(obj, default_ns).await?;
        let mut body = obj.clone();
        if info.namespaced {
            body["metadata"]["namespace"] = Value::String(r.namespace.clone());
        }
        let mut params = PatchParams::apply(field_manager);
        params.force = force;
        params.field_validation = Some(ValidationDirective::Strict);
        APPLY_COUNT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let ns = info.namespaced.then_some(r.namespace.as_str());
        let url = <DynamicObject as kube::Resource>::url_path(&info.api, ns);
        let out = async {
            let req = kube::core::Request::new(url)
                .patch(&r.name, &params, &Patch::Apply(&body))
                .map_err(kube::Error::BuildRequest)?;
            let res = self
                .client()
                .send(req.map(kube::client::Body::from))
                .await?;
            let status = res.status();
            let bytes = res.into_body().collect_bytes().await?;
            if status.is_client_error() || status.is_server_error() {
                let st =
                    serde_json::from_slice::<kube::core::Status>(&bytes).unwrap_or_else(|_| {
                        kube::core::Status::failure(
                            String::from_utf8_lossy(&bytes).trim(),
                            "Failed to parse error data",
                        )
                        .with_code(status.as_u16())
                    });
                return Err(kube::Error::Api(st.boxed()));
            }
            let o: DynamicObject =
                serde_json::from_slice(&bytes).map_err(kube::Error::SerdeError)?;
            Ok((o, status.as_u16() == 201))
        }
        .await;
        match out {
            Ok(o) => Ok(o),
            Err(kube::Error::Api(s)) if s.code == 409 => Err(Error::Conflict {
                object: format!(
                    "{}/{} {}, Kind={}",
                    r.namespace, r.name, r.api_version, r.kind
                ),
                message: s.message.clone(),
            }),
            Err(kube::Error::Api(s)) if s.code == 415 => Err(Error::Invalid(
                "server-side apply not available on the server".into(),
            )),
            Err(e) => Err(self.error(format!("applying {r}"), e)),
        }
    }

    /// Creates an object (`POST`); `Ok(None)` when it already exists.
    pub async fn create(
        &self,
        obj: &Value,
        default_ns: &str,
        field_manager: &str,
    ) -> Result<Option<DynamicObject>, Error> {
        let (info, r) = self.locate(obj, default_ns).await?;
        let body: DynamicObject =
            serde_json::from_value(obj.clone()).map_err(|e| Error::Invalid(e.to_string()))?;
        let pp = PostParams {
            field_manager: Some(field_manager.to_string()),
            ..PostParams::default()
        };
        match self.api(&info, &r.namespace).create(&pp, &body).await {
            Ok(o) => Ok(Some(o)),
            Err(kube::Error::Api(s)) if s.code == 409 => Ok(None),
            Err(e) => Err(self.error(format!("creating {r}"), e)),
        }
    }

    /// The live object, or `None` when it does not exist.
    pub async fn get(&self, r: &ObjectRef) -> Result<Option<DynamicObject>, Error> {
        let info = self.info_for(r).await?;
        self.api(&info, &r.namespace)
            .get_opt(&r.name)
            .await
            .map_err(|e| self.error(format!("getting {r}"), e))
    }

    /// Lists objects of a kind in a namespace (all namespaces for `""` or a
    /// cluster-scoped kind) matching a label selector.
    pub async fn list(
        &self,
        api_version: &str,
        kind: &str,
        namespace: &str,
        selector: &str,
    ) -> Result<Vec<DynamicObject>, Error> {
        let Some(info) = self.resolve(api_version, kind).await? else {
            return Ok(Vec::new());
        };
        let api = if info.namespaced && !namespace.is_empty() {
            self.api(&info, namespace)
        } else {
            kube::Api::all_with(self.client().clone(), &info.api)
        };
        let lp = ListParams::default().labels(selector);
        let list = api
            .list(&lp)
            .await
            .map_err(|e| self.error(format!("listing {kind}"), e))?;
        Ok(list.items)
    }

    /// Deletes an object; `Ok(false)` when it was already gone.
    pub async fn delete(&self, r: &ObjectRef, propagation: Propagation) -> Result<bool, Error> {
        let info = match self.resolve(&r.api_version, &r.kind).await? {
            Some(i) => i,
            // The kind itself is gone (its CRD was deleted): so is the object.
            None => return Ok(false),
        };
        let dp = DeleteParams {
            propagation_policy: Some(match propagation {
                Propagation::Background => PropagationPolicy::Background,
                Propagation::Foreground => PropagationPolicy::Foreground,
                Propagation::Orphan => PropagationPolicy::Orphan,
            }),
            ..DeleteParams::default()
        };
        match self.api(&info, &r.namespace).delete(&r.name, &dp).await {
            Ok(_) => Ok(true),
            Err(kube::Error::Api(s)) if s.code == 404 => Ok(false),
            Err(e) => Err(self.error(
                format!(
                    "failed to delete resource namespace={}, name={}, kind={}",
                    r.namespace, r.name, r.kind
                ),
                e,
            )),
        }
    }

    /// Creates namespace `name` with label `name=<name>` as Helm's
    /// `--create-namespace` does; an existing namespace is fine.
    pub async fn ensure_namespace(&self, name: &str, field_manager: &str) -> Result<(), Error> {
        let ns = serde_json::json!({
            "apiVersion": "v1", "kind": "Namespace",
            "metadata": {"name": name, "labels": {"name": name}}
        });
        let r = ObjectRef {
            api_version: "v1".into(),
            kind: "Namespace".into(),
            namespace: String::new(),
            name: name.into(),
        };
        if self.get(&r).await?.is_some() {
            return Ok(());
        }
        self.create(&ns, "", field_manager).await.map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_documents_and_lists() {
        let docs = parse_documents("---\n# c\n---\na: 1\nkind: X\n---\nkind: ConfigMapList\nitems:\n- kind: ConfigMap\n- kind: Secret\n").unwrap();
        assert_eq!(docs.len(), 3);
        assert_eq!(docs[1]["kind"], "ConfigMap");
    }
}
