//! origan-kube against the local control plane (`make cluster-up`): apply,
//! readiness through watches, delete, and the Lease lock.

use std::path::PathBuf;
use std::time::Duration;

use origan_kube::{
    ClientOptions, Error, Kube, LeaseOptions, ObjectRef, Propagation, WaitOptions, parse_documents,
};

async fn kube() -> Kube {
    origan_kube::init_crypto();
    let cfg = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../.local/cluster/kubeconfig");
    assert!(cfg.exists(), "no local cluster: run `make cluster-up`");
    let k = Kube::connect(&ClientOptions {
        kubeconfig: Some(cfg),
        context: None,
        namespace: Some("default".into()),
    })
    .await
    .expect("kubeconfig");
    k.server_version()
        .await
        .expect("cluster unreachable: run `make cluster-up`");
    k
}

#[tokio::test]
async fn apply_wait_delete() {
    let k = kube().await;
    k.ensure_namespace("okube-t1", "helm").await.unwrap();
    let docs = parse_documents(
        r#"
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: c, image: nginx}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg}
data: {a: "1"}
"#,
    )
    .unwrap();
    let mut refs = Vec::new();
    for d in &docs {
        k.apply(d, "okube-t1", "helm", false).await.unwrap();
        refs.push(k.locate(d, "okube-t1").await.unwrap().1);
    }
    let mut lines = Vec::new();
    let report = k
        .wait_ready(
            &refs,
            WaitOptions {
                timeout: Duration::from_secs(60),
                ..WaitOptions::default()
            },
            &mut |l| lines.push(l.to_string()),
        )
        .await
        .unwrap();
    assert!(
        lines.iter().any(|l| l == "deployment/web ready"),
        "{lines:?}"
    );
    eprintln!("wait took {:?}: {lines:?}", report.elapsed);
    for r in &refs {
        assert!(k.delete(r, Propagation::Background).await.unwrap());
    }
    k.wait_deleted(&refs, Duration::from_secs(30))
        .await
        .unwrap();
    assert!(k.get(&refs[1]).await.unwrap().is_none());
}

#[tokio::test]
async fn lease_excludes_a_second_holder() {
    let k = kube().await;
    let opts = LeaseOptions::default();
    let _ = k
        .delete(
            &ObjectRef {
                api_version: "coordination.k8s.io/v1".into(),
                kind: "Lease".into(),
                namespace: "default".into(),
                name: "origanctl.lock.lease-t".into(),
            },
            Propagation::Background,
        )
        .await;
    let g = k
        .acquire_lease("default", "lease-t", "upgrade", &opts)
        .await
        .unwrap();
    match k
        .acquire_lease("default", "lease-t", "install", &opts)
        .await
    {
        // Same process: the holder is alive, so the lock is refused.
        Err(Error::Locked(by)) => {
            assert_eq!(by.holder.operation, "upgrade");
            assert!(
                Error::Locked(by)
                    .to_string()
                    .contains("another operation (upgrade) is in progress")
            );
        }
        other => panic!("expected Locked, got {other:?}"),
    }
    g.release().await.unwrap();
    let g2 = k
        .acquire_lease("default", "lease-t", "install", &opts)
        .await
        .unwrap();
    assert!(g2.takeover.is_none());
    g2.release().await.unwrap();
}
