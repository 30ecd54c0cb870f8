//! Integration tests of the local test control plane itself (tests/env): that workloads
//! become ready the way Helm's `--wait` expects (Deployment Available, Job Complete,
//! StatefulSet ready with a Bound PVC), that the never-ready label keeps a pod unready, that
//! bare run-to-completion pods (hooks, `helm test`) succeed or fail by label, and that the
//! registry demands credentials.
//!
//! Owns: proving the environment every other cluster test relies on. Does not own: any
//! origanctl behaviour. Fails (never skips) when the cluster is down: run `make cluster-up`.

#[path = "../common/mod.rs"]
mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use k8s_openapi::api::apps::v1::{Deployment, StatefulSet};
use k8s_openapi::api::batch::v1::Job;
use k8s_openapi::api::core::v1::{PersistentVolumeClaim, Pod, Service};
use k8s_openapi::serde::de::DeserializeOwned;
use kube::api::PostParams;
use kube::runtime::wait::{await_condition, conditions};
use kube::{Api, Client, Resource};
use serde_json::{Value, json};

/// Budget for all three workloads to become ready (the brief's 60 s, on a loaded 2-core box).
const READY_TIMEOUT: Duration = Duration::from_secs(60);

fn object<K: DeserializeOwned>(v: Value) -> K {
    serde_json::from_value(v).expect("test object matches its k8s-openapi type")
}

async fn create<K>(client: &Client, ns: &str, obj: K) -> K
where
    K: Resource<Scope = k8s_openapi::NamespaceResourceScope>
        + Clone
        + DeserializeOwned
        + k8s_openapi::serde::Serialize
        + std::fmt::Debug,
    K::DynamicType: Default,
{
    let api: Api<K> = Api::namespaced(client.clone(), ns);
    api.create(&PostParams::default(), &obj)
        .await
        .unwrap_or_else(|e| panic!("create {:?} in {ns}: {e}", obj.meta().name))
}

fn container(name: &str) -> Value {
    // No image is ever pulled (kwok fakes the kubelet); the reference is still well formed.
    json!({ "name": name, "image": "registry.invalid/origanctl-test/pause:1" })
}

fn condition_true(conds: Option<&[impl HasCondition]>, kind: &str) -> bool {
    conds
        .unwrap_or_default()
        .iter()
        .any(|c| c.kind() == kind && c.status() == "True")
}

/// Uniform access to `type`/`status` of the workload condition structs.
trait HasCondition {
    fn kind(&self) -> &str;
    fn status(&self) -> &str;
}
macro_rules! has_condition {
    ($t:ty) => {
        impl HasCondition for $t {
            fn kind(&self) -> &str {
                &self.type_
            }
            fn status(&self) -> &str {
                &self.status
            }
        }
    };
}
has_condition!(k8s_openapi::api::apps::v1::DeploymentCondition);
has_condition!(k8s_openapi::api::batch::v1::JobCondition);
has_condition!(k8s_openapi::api::core::v1::PodCondition);

#[tokio::test]
async fn workloads_become_ready() {
    let client = common::kube_client().await;
    let ns = common::unique_ns(&client, "env-workloads").await;
    let started = Instant::now();

    let labels = |app: &str| json!({ "app": app });
    create::<Deployment>(
        &client,
        &ns,
        object(json!({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": { "name": "web" },
            "spec": {
                "replicas": 2,
                "selector": { "matchLabels": labels("web") },
                "template": {
                    "metadata": { "labels": labels("web") },
                    "spec": { "containers": [container("web")] }
                }
            }
        })),
    )
    .await;
    create::<Job>(
        &client,
        &ns,
        object(json!({
            "apiVersion": "batch/v1", "kind": "Job",
            "metadata": { "name": "once" },
            "spec": {
                "backoffLimit": 0,
                "template": { "spec": { "restartPolicy": "Never", "containers": [container("once")] } }
            }
        })),
    )
    .await;
    create::<Service>(
        &client,
        &ns,
        object(json!({
            "apiVersion": "v1", "kind": "Service",
            "metadata": { "name": "db" },
            "spec": { "clusterIP": "None", "selector": labels("db"), "ports": [{ "port": 5432 }] }
        })),
    )
    .await;
    create::<StatefulSet>(
        &client,
        &ns,
        object(json!({
            "apiVersion": "apps/v1", "kind": "StatefulSet",
            "metadata": { "name": "db" },
            "spec": {
                "serviceName": "db",
                "replicas": 1,
                "selector": { "matchLabels": labels("db") },
                "template": {
                    "metadata": { "labels": labels("db") },
                    "spec": { "containers": [container("db")] }
                },
                // No storageClassName: the cluster's default StorageClass must apply.
                "volumeClaimTemplates": [{
                    "metadata": { "name": "data" },
                    "spec": {
                        "accessModes": ["ReadWriteOnce"],
                        "resources": { "requests": { "storage": "1Gi" } }
                    }
                }]
            }
        })),
    )
    .await;

    // Job: watch-based, through kube-runtime's watcher.
    let jobs: Api<Job> = Api::namespaced(client.clone(), &ns);
    tokio::time::timeout(
        READY_TIMEOUT,
        await_condition(jobs, "once", conditions::is_job_completed()),
    )
    .await
    .expect("Job did not complete within 60 s")
    .expect("watching the Job failed");

    let remaining = || READY_TIMEOUT.saturating_sub(started.elapsed());
    let deployments: Api<Deployment> = Api::namespaced(client.clone(), &ns);
    common::poll_until(
        remaining(),
        "Deployment web Available with 2 ready replicas",
        || async {
            let d = deployments.get("web").await.ok()?;
            let st = d.status?;
            (st.ready_replicas == Some(2)
                && st.updated_replicas == Some(2)
                && condition_true(st.conditions.as_deref(), "Available"))
            .then_some(())
        },
    )
    .await;

    let sts: Api<StatefulSet> = Api::namespaced(client.clone(), &ns);
    common::poll_until(remaining(), "StatefulSet db ready", || async {
        let s = sts.get("db").await.ok()?;
        let st = s.status?;
        (st.ready_replicas == Some(1) && st.current_replicas == Some(1)).then_some(())
    })
    .await;
    let pvcs: Api<PersistentVolumeClaim> = Api::namespaced(client.clone(), &ns);
    let pvc = pvcs.get("data-db-0").await.expect("PVC data-db-0 exists");
    assert_eq!(
        pvc.status.and_then(|s| s.phase).as_deref(),
        Some("Bound"),
        "the StatefulSet's PVC must be Bound"
    );
    assert_eq!(
        pvc.spec.and_then(|s| s.storage_class_name).as_deref(),
        Some("kwok-volume"),
        "the default StorageClass must be applied"
    );
    eprintln!("workloads ready after {:?}", started.elapsed());

    common::delete_ns(&client, &ns).await;
}

#[tokio::test]
async fn never_ready_label_keeps_pod_unready() {
    let client = common::kube_client().await;
    let ns = common::unique_ns(&client, "env-never-ready").await;
    let pod = |name: &str, never: bool| -> Pod {
        let mut labels = json!({ "app": name });
        if never {
            labels["origanctl.test/never-ready"] = json!("true");
        }
        object(json!({
            "apiVersion": "v1", "kind": "Pod",
            "metadata": { "name": name, "labels": labels },
            "spec": { "containers": [container("main")] }
        }))
    };
    create(&client, &ns, pod("stuck", true)).await;
    create(&client, &ns, pod("control", false)).await;

    let pods: Api<Pod> = Api::namespaced(client.clone(), &ns);
    let ready = |p: &Pod| {
        p.status
            .as_ref()
            .is_some_and(|s| condition_true(s.conditions.as_deref(), "Ready"))
    };
    // The control pod proves kwok is processing this namespace's pods at all.
    common::poll_until(READY_TIMEOUT, "control pod Ready", || async {
        pods.get("control")
            .await
            .ok()
            .filter(|p| ready(p))
            .map(|_| ())
    })
    .await;
    // The labelled pod is picked up (Running, containers started) but never Ready.
    common::poll_until(READY_TIMEOUT, "never-ready pod Running", || async {
        let p = pods.get("stuck").await.ok()?;
        (p.status?.phase.as_deref() == Some("Running")).then_some(())
    })
    .await;
    let watch_until = Instant::now() + Duration::from_secs(5);
    while Instant::now() < watch_until {
        let p = pods.get("stuck").await.expect("get stuck pod");
        assert!(
            !ready(&p),
            "pod labelled never-ready became Ready: {:?}",
            p.status
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }

    common::delete_ns(&client, &ns).await;
}

#[tokio::test]
async fn finishing_pods_succeed_or_fail_by_label() {
    let client = common::kube_client().await;
    let ns = common::unique_ns(&client, "env-finish").await;
    let pod = |name: &str, fail: bool| -> Pod {
        let labels = if fail {
            json!({ "origanctl.test/fail": "true" })
        } else {
            json!({})
        };
        object(json!({
            "apiVersion": "v1", "kind": "Pod",
            "metadata": { "name": name, "labels": labels },
            "spec": { "restartPolicy": "Never", "containers": [container("main")] }
        }))
    };
    create(&client, &ns, pod("passes", false)).await;
    create(&client, &ns, pod("fails", true)).await;
    let pods: Api<Pod> = Api::namespaced(client.clone(), &ns);
    for (name, phase, exit) in [("passes", "Succeeded", 0), ("fails", "Failed", 1)] {
        let p = common::poll_until(READY_TIMEOUT, &format!("pod {name} {phase}"), || async {
            let p = pods.get(name).await.ok()?;
            (p.status.as_ref()?.phase.as_deref() == Some(phase)).then_some(p)
        })
        .await;
        let code = p
            .status
            .and_then(|s| s.container_statuses)
            .and_then(|cs| cs.into_iter().next())
            .and_then(|c| c.state)
            .and_then(|st| st.terminated)
            .map(|t| t.exit_code);
        assert_eq!(code, Some(exit), "exit code of pod {name}");
    }
    common::delete_ns(&client, &ns).await;
}

/// Status code of `GET /v2/` on a plain-HTTP registry, with an optional raw
/// `Authorization` header value.
fn registry_status(addr: &str, authorization: Option<&str>) -> u16 {
    let mut s = TcpStream::connect(addr)
        .unwrap_or_else(|e| panic!("registry {addr} unreachable ({e}); run `make registry-up`"));
    s.set_read_timeout(Some(Duration::from_secs(10))).ok();
    let auth = authorization
        .map(|a| format!("Authorization: {a}\r\n"))
        .unwrap_or_default();
    write!(
        s,
        "GET /v2/ HTTP/1.1\r\nHost: {addr}\r\n{auth}Connection: close\r\n\r\n"
    )
    .expect("send request");
    let mut response = String::new();
    s.read_to_string(&mut response).expect("read response");
    response
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("not an HTTP response from {addr}: {response:?}"))
}

#[test]
fn registry_requires_credentials() {
    let env = common::registry_env();
    assert_eq!(registry_status(&env.registry, None), 401);
    let wrong = basic_auth(&env.user, "not-the-password");
    assert_eq!(registry_status(&env.registry, Some(&wrong)), 401);
    let right = basic_auth(&env.user, &env.password);
    assert_eq!(registry_status(&env.registry, Some(&right)), 200);
    assert!(env.ca.is_file(), "REGISTRY_CA {} missing", env.ca.display());
}

/// `Basic base64(user:password)` (RFC 7617), written out to keep the test dependency-free.
fn basic_auth(user: &str, password: &str) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let input = format!("{user}:{password}");
    let mut out = String::from("Basic ");
    for chunk in input.as_bytes().chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}
