//! Shared helpers for integration test binaries that need the local test environment
//! (tests/env: `make cluster-up`, `make registry-up`).
//!
//! Owns: finding and connecting to the test cluster (failing with a "run `make cluster-up`"
//! message, never skipping), unique throw-away namespaces, polling with a deadline, and
//! reading the registry coordinates from `.local/registry/env`.
//! Does not own: starting or stopping the environment (shell scripts in tests/env) or any
//! assertion about origanctl itself.

// Each test binary includes this module and uses a different subset of it.
#![allow(dead_code)]

use std::collections::HashMap;
use std::future::Future;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use k8s_openapi::api::core::v1::{Namespace, ServiceAccount};
use kube::api::{DeleteParams, PostParams};
use kube::config::{KubeConfigOptions, Kubeconfig};
use kube::{Api, Client, Config};

/// The repository root (the root package's manifest dir).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `$ORIGANCTL_TEST_KUBECONFIG` if set, else `.local/cluster/kubeconfig` written by
/// `make cluster-up`. A plain `$KUBECONFIG` is deliberately ignored: it usually points at a
/// developer's real cluster, which tests must never touch by accident.
pub fn kubeconfig_path() -> PathBuf {
    match std::env::var_os("ORIGANCTL_TEST_KUBECONFIG") {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => repo_root().join(".local/cluster/kubeconfig"),
    }
}

/// A client for the test cluster. Panics (fails the test) with a hint to run
/// `make cluster-up` when the kubeconfig is missing or the API server does not answer.
pub async fn kube_client() -> Client {
    // Both rustls providers are in the build (ring for kube, aws-lc-rs for the
    // registry client); pick one, as origanctl itself does.
    origan_kube::init_crypto();
    let path = kubeconfig_path();
    let hint = "run `make cluster-up` (bash tests/env/cluster-up.sh) first";
    let kubeconfig = Kubeconfig::read_from(&path)
        .unwrap_or_else(|e| panic!("cannot read kubeconfig {}: {e}; {hint}", path.display()));
    let config = Config::from_custom_kubeconfig(kubeconfig, &KubeConfigOptions::default())
        .await
        .unwrap_or_else(|e| panic!("bad kubeconfig {}: {e}; {hint}", path.display()));
    let server = config.cluster_url.clone();
    let client = Client::try_from(config).unwrap_or_else(|e| panic!("kube client: {e}; {hint}"));
    match tokio::time::timeout(Duration::from_secs(20), client.apiserver_version()).await {
        Ok(Ok(_)) => client,
        Ok(Err(e)) => panic!("test cluster at {server} is unreachable: {e}; {hint}"),
        Err(_) => panic!("test cluster at {server} did not answer within 20 s; {hint}"),
    }
}

/// A name unique across test binaries and runs: `prefix-<8 hex>`, a valid DNS label
/// when `prefix` is one of at most 54 characters.
pub fn unique_name(prefix: &str) -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos() ^ (d.as_secs() as u32).rotate_left(13))
        .unwrap_or(0);
    let mix = nanos
        ^ std::process::id().rotate_left(7)
        ^ COUNTER
            .fetch_add(1, Ordering::Relaxed)
            .wrapping_mul(0x9E37_79B9);
    format!("{prefix}-{mix:08x}")
}

/// Creates a fresh namespace `prefix-<hex>` and waits (up to 60 s) until its `default`
/// ServiceAccount exists: the ServiceAccount admission plugin rejects pods before that,
/// exactly as on a real cluster. Returns the namespace name.
pub async fn unique_ns(client: &Client, prefix: &str) -> String {
    let name = unique_name(prefix);
    let api: Api<Namespace> = Api::all(client.clone());
    let ns: Namespace = serde_json::from_value(serde_json::json!({
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": { "name": name, "labels": { "origanctl.test/owner": "cargo-test" } }
    }))
    .expect("namespace object");
    api.create(&PostParams::default(), &ns)
        .await
        .unwrap_or_else(|e| panic!("create namespace {name}: {e}"));
    let sas: Api<ServiceAccount> = Api::namespaced(client.clone(), &name);
    poll_until(
        Duration::from_secs(60),
        "default ServiceAccount",
        || async { sas.get_opt("default").await.ok().flatten().map(|_| ()) },
    )
    .await;
    name
}

/// Deletes a namespace without waiting for its finalization.
pub async fn delete_ns(client: &Client, name: &str) {
    let api: Api<Namespace> = Api::all(client.clone());
    if let Err(e) = api.delete(name, &DeleteParams::background()).await {
        panic!("delete namespace {name}: {e}");
    }
}

/// Calls `check` every 250 ms until it returns `Some`, and returns that value. Panics with
/// `what` after `timeout`.
pub async fn poll_until<T, F, Fut>(timeout: Duration, what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let start = Instant::now();
    loop {
        if let Some(v) = check().await {
            return v;
        }
        if start.elapsed() > timeout {
            panic!("timed out after {timeout:?} waiting for {what}");
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// Coordinates of the local OCI registries from `.local/registry/env` (`make registry-up`).
#[derive(Debug, Clone)]
pub struct RegistryEnv {
    /// `127.0.0.1:PORT`, plain HTTP, basic auth.
    pub registry: String,
    pub user: String,
    pub password: String,
    /// `127.0.0.1:PORT`, HTTPS with a certificate from [`RegistryEnv::ca`], same credentials.
    pub registry_tls: String,
    /// Absolute path of the CA certificate (PEM) that signed the TLS registry's certificate.
    pub ca: PathBuf,
}

/// Reads `.local/registry/env`; panics with a hint to run `make registry-up` when absent.
pub fn registry_env() -> RegistryEnv {
    let path = repo_root().join(".local/registry/env");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read {}: {e}; run `make registry-up` (bash tests/env/registry-up.sh) first",
            path.display()
        )
    });
    let vars = parse_env(&text);
    let get = |k: &str| {
        vars.get(k)
            .cloned()
            .unwrap_or_else(|| panic!("{} lacks {k}; rerun `make registry-up`", path.display()))
    };
    RegistryEnv {
        registry: get("REGISTRY"),
        user: get("REGISTRY_USER"),
        password: get("REGISTRY_PASSWORD"),
        registry_tls: get("REGISTRY_TLS"),
        ca: PathBuf::from(get("REGISTRY_CA")),
    }
}

/// `KEY=VALUE` lines (the format of `.local/*/env`); blank lines and `#` comments skipped.
pub fn parse_env(text: &str) -> HashMap<String, String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect()
}

/// Path of the reference-Helm helper (`python3 tests/helm_ref.py ...`, JSON on stdout).
pub fn helm_ref_script() -> PathBuf {
    repo_root().join("tests/helm_ref.py")
}

impl RegistryEnv {
    /// origanctl's own client for the plain-HTTP registry, logged in: for
    /// tests that place hand-made artifacts or read what a push stored.
    pub fn client(&self) -> origan_registry::Client {
        origan_registry::Client::new(
            &self.registry,
            Some(origan_registry::Credentials {
                username: self.user.clone(),
                password: self.password.clone(),
            }),
            &origan_registry::ClientOptions {
                plain_http: true,
                ..Default::default()
            },
        )
        .expect("registry client")
    }
}

/// Runs origanctl with a private HOME and cache, registry credentials read
/// from `home/<registry_config>`, and nothing from the developer's Docker
/// config or `SOURCE_DATE_EPOCH`.
pub fn origanctl_at_home(
    home: &std::path::Path,
    registry_config: &str,
    args: &[&str],
) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_origanctl"))
        .args(args)
        .env("HOME", home)
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env("HELM_REGISTRY_CONFIG", home.join(registry_config))
        .env_remove("ORIGANCTL_CACHE_HOME")
        .env_remove("DOCKER_CONFIG")
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .expect("run origanctl")
}
