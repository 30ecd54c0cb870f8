//! Connecting: kubeconfig selection (`--kubeconfig`, `--kube-context`,
//! `KUBECONFIG`, `~/.kube/config`), the client, and a discovery cache
//! mapping apiVersion/kind to the REST resource.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use kube::api::{ApiResource, DynamicObject};
use kube::config::{KubeConfigOptions, Kubeconfig};
use kube::core::GroupVersionKind;
use kube::discovery::Scope;
use kube::{Api, Client, Config};

use crate::Error;

/// How to reach the cluster, as the global CLI flags give it.
#[derive(Clone, Debug, Default)]
pub struct ClientOptions {
    /// `--kubeconfig`; otherwise `KUBECONFIG` (colon-separated, merged), then
    /// `~/.kube/config`.
    pub kubeconfig: Option<PathBuf>,
    /// `--kube-context`; otherwise the kubeconfig's current context.
    pub context: Option<String>,
    /// `-n`; otherwise the context's namespace, then `default`.
    pub namespace: Option<String>,
}

/// A resource as discovery describes it.
#[derive(Clone, Debug)]
pub struct ResourceInfo {
    /// Group, version, kind and plural.
    pub api: ApiResource,
    /// Whether objects live in a namespace.
    pub namespaced: bool,
}

/// A connected client with its discovery cache. Cheap to clone.
#[derive(Clone)]
pub struct Kube {
    client: Client,
    /// The kubeconfig's server URL, for errors that never reached it.
    server: Arc<str>,
    namespace: String,
    cache: Arc<Mutex<HashMap<(String, String), ResourceInfo>>>,
}

impl std::fmt::Debug for Kube {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Kube")
            .field("namespace", &self.namespace)
            .finish()
    }
}

/// The client over HTTP/2 when the server offers it (ALPN `h2`, as
/// kube-apiserver does; HTTP/1.1 otherwise), with kube's own layers for the
/// base URL, authentication (tokens, exec plugins) and extra headers, and
/// its rustls configuration (client certificates, CA, server name). kube's
/// `Client::try_from` would give an HTTP/1.1-only client, which opens one
/// TLS connection per concurrent request and per watch.
fn http2_client(config: Config) -> Result<Client, Error> {
    use kube::client::ConfigExt;
    let cfg_err = |e: kube::Error| Error::Config(e.to_string());
    let tls = config.rustls_client_config().map_err(cfg_err)?;
    let mut http = hyper_util::client::legacy::connect::HttpConnector::new();
    http.enforce_http(false);
    // HTTP/2 writes a request as several frames; with Nagle on, the second
    // waits for the peer's delayed ACK (~40 ms per request).
    http.set_nodelay(true);
    http.set_connect_timeout(config.connect_timeout);
    let mut builder = hyper_rustls::HttpsConnectorBuilder::new()
        .with_tls_config(tls)
        .https_or_http();
    if let Some(name) = &config.tls_server_name {
        let name = rustls::pki_types::ServerName::try_from(name.clone())
            .map_err(|e| Error::Config(format!("tls-server-name {name:?}: {e}")))?;
        builder =
            builder.with_server_name_resolver(hyper_rustls::FixedServerNameResolver::new(name));
    }
    let https = builder.enable_all_versions().wrap_connector(http);
    let hyper = hyper_util::client::legacy::Builder::new(hyper_util::rt::TokioExecutor::new())
        .build::<_, kube::client::Body>(https);
    let service = tower::ServiceBuilder::new()
        .layer(config.base_uri_layer())
        .option_layer(config.default_retry.then(|| {
            tower::retry::RetryLayer::new(kube::client::retry::RetryPolicy::server_retry())
        }))
        .option_layer(config.auth_layer().map_err(cfg_err)?)
        .layer(config.extra_headers_layer().map_err(cfg_err)?)
        .map_err(
            |e: hyper_util::client::legacy::Error| -> Box<dyn std::error::Error + Send + Sync> {
                Box::new(e)
            },
        )
        .service(hyper);
    // `valid_until` (an exec plugin's certificate expiry) only matters to
    // long-lived processes recreating their client; a command is short.
    Ok(Client::new(service, config.default_namespace.clone()))
}

impl Kube {
    /// Loads the kubeconfig and builds a client. Exec credential plugins and
    /// client certificates are handled by the `kube` crate.
    pub async fn connect(opts: &ClientOptions) -> Result<Kube, Error> {
        crate::init_crypto();
        let kubeconfig = match &opts.kubeconfig {
            Some(path) => Kubeconfig::read_from(path).map_err(|e| {
                Error::Config(format!("reading kubeconfig {}: {e}", path.display()))
            })?,
            None => {
                Kubeconfig::read().map_err(|e| Error::Config(format!("reading kubeconfig: {e}")))?
            }
        };
        let kopts = KubeConfigOptions {
            context: opts.context.clone(),
            ..KubeConfigOptions::default()
        };
        let config = Config::from_custom_kubeconfig(kubeconfig, &kopts)
            .await
            .map_err(|e| Error::Config(e.to_string()))?;
        let namespace = opts
            .namespace
            .clone()
            .unwrap_or_else(|| config.default_namespace.clone());
        let server: Arc<str> = config.cluster_url.to_string().into();
        // `ORIGANCTL_HTTP1=1`: kube's own HTTP/1.1 client, for a proxy or
        // server that mishandles HTTP/2.
        let client = if std::env::var_os("ORIGANCTL_HTTP1").is_some_and(|v| v != "0") {
            Client::try_from(config).map_err(|e| Error::Config(e.to_string()))?
        } else {
            http2_client(config)?
        };
        Ok(Kube {
            client,
            server,
            namespace,
            cache: Arc::default(),
        })
    }

    /// An API error with what was being done; one that never reached the
    /// server says so and names it.
    pub fn error(&self, context: impl Into<String>, e: kube::Error) -> Error {
        if crate::error::is_transport(&e) {
            Error::Unreachable {
                context: context.into(),
                server: self.server.to_string(),
                reason: crate::error::innermost(&e),
            }
        } else {
            Error::api(context, e)
        }
    }

    /// The underlying `kube` client.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The namespace from `-n` or the kubeconfig context.
    pub fn namespace(&self) -> &str {
        &self.namespace
    }

    /// Checks the API server answers (`IsReachable`), returning its version
    /// (`v1.34.4`).
    pub async fn server_version(&self) -> Result<String, Error> {
        let info = self
            .client
            .apiserver_version()
            .await
            .map_err(|e| Error::Config(crate::error::describe(&e)))?;
        Ok(info.git_version)
    }

    /// Maps `apiVersion`/`kind` to its resource, asking the server once per
    /// kind (misses are not cached, so a CRD installed meanwhile is found).
    pub async fn resolve(
        &self,
        api_version: &str,
        kind: &str,
    ) -> Result<Option<ResourceInfo>, Error> {
        let key = (api_version.to_string(), kind.to_string());
        if let Some(hit) = self.cache.lock().expect("discovery cache").get(&key) {
            return Ok(Some(hit.clone()));
        }
        let (group, version) = match api_version.split_once('/') {
            Some((g, v)) => (g, v),
            None => ("", api_version),
        };
        let gvk = GroupVersionKind::gvk(group, version, kind);
        match kube::discovery::pinned_kind(&self.client, &gvk).await {
            Ok((api, caps)) => {
                let info = ResourceInfo {
                    api,
                    namespaced: caps.scope == Scope::Namespaced,
                };
                self.cache
                    .lock()
                    .expect("discovery cache")
                    .insert(key, info.clone());
                Ok(Some(info))
            }
            Err(kube::Error::Api(s)) if s.code == 404 => Ok(None),
            Err(kube::Error::Discovery(_)) => Ok(None),
            Err(e) => Err(self.error(format!("discovering {api_version} {kind}"), e)),
        }
    }

    /// A dynamic API handle for a resolved resource in `namespace` (ignored
    /// for cluster-scoped resources).
    pub fn api(&self, info: &ResourceInfo, namespace: &str) -> Api<DynamicObject> {
        if info.namespaced {
            Api::namespaced_with(self.client.clone(), namespace, &info.api)
        } else {
            Api::all_with(self.client.clone(), &info.api)
        }
    }
}
