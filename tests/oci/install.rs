//! `install`, `upgrade` and `upgrade --install` from `oci://` references on
//! the local cluster: charts pushed by the reference Helm, installed by
//! origanctl and checked through the API server; the digest cache observed
//! by counting the chart-layer downloads that pass through a loopback proxy
//! in front of the registry; and a tampered blob that must install nothing.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use k8s_openapi::api::core::v1::{ConfigMap, Secret};
use kube::Api;

use super::{common, creds, field, helm, make_chart, ok, origanctl, registry, root, scratch};

/// A TCP proxy in front of the plain registry that keeps every byte the
/// clients send, so that the test can count which requests reached the
/// registry (its own access log is off).
struct CountingProxy {
    addr: String,
    sent: Arc<Mutex<Vec<u8>>>,
}

impl CountingProxy {
    fn start(upstream: &str) -> CountingProxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let sent = Arc::new(Mutex::new(Vec::new()));
        let log = sent.clone();
        let upstream = upstream.to_string();
        std::thread::spawn(move || {
            for client in listener.incoming() {
                let Ok(client) = client else { continue };
                let Ok(server) = TcpStream::connect(&upstream) else {
                    continue;
                };
                let (mut c_in, mut s_out) =
                    (client.try_clone().unwrap(), server.try_clone().unwrap());
                let log = log.clone();
                std::thread::spawn(move || {
                    let mut buf = [0u8; 16 << 10];
                    while let Ok(n) = c_in.read(&mut buf) {
                        if n == 0 || s_out.write_all(&buf[..n]).is_err() {
                            break;
                        }
                        log.lock().unwrap().extend_from_slice(&buf[..n]);
                    }
                    let _ = s_out.shutdown(Shutdown::Write);
                });
                let (mut s_in, mut c_out) = (server, client);
                std::thread::spawn(move || {
                    let _ = std::io::copy(&mut s_in, &mut c_out);
                    let _ = c_out.shutdown(Shutdown::Write);
                });
            }
        });
        CountingProxy { addr, sent }
    }

    /// How many `GET …/blobs/<digest>` requests went through.
    fn blob_gets(&self, digest: &str) -> usize {
        let sent = self.sent.lock().unwrap();
        let text = String::from_utf8_lossy(&sent);
        let tail = format!("/blobs/{digest} HTTP/1.1");
        text.lines()
            .filter(|l| l.starts_with("GET /v2/") && l.ends_with(&tail))
            .count()
    }
}

/// Runs origanctl against the test cluster (private HOME and cache).
fn cluster_cmd(home: &Path, args: &[&str]) -> std::process::Output {
    let kubeconfig = common::kubeconfig_path();
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["--kubeconfig", kubeconfig.to_str().unwrap()]);
    origanctl(home, &all)
}

/// Packages `dir` with the reference Helm; returns the archive path.
fn helm_package(dir: &Path, dest: &Path) -> std::path::PathBuf {
    let r = helm(&[
        "package",
        dir.to_str().unwrap(),
        "--destination",
        dest.to_str().unwrap(),
    ])
    .unwrap();
    std::path::PathBuf::from(r["path"].as_str().unwrap())
}

async fn release_secret(kube: &kube::Client, ns: &str, rel: &str, rev: u32) -> Option<Secret> {
    Api::<Secret>::namespaced(kube.clone(), ns)
        .get_opt(&format!("sh.helm.release.v1.{rel}.v{rev}"))
        .await
        .unwrap()
}

fn label<'a>(s: &'a Secret, k: &str) -> &'a str {
    s.metadata
        .labels
        .as_ref()
        .and_then(|l| l.get(k))
        .map(String::as_str)
        .unwrap_or("")
}

async fn chart_version_in_cm(kube: &kube::Client, ns: &str, rel: &str) -> Option<String> {
    Api::<ConfigMap>::namespaced(kube.clone(), ns)
        .get_opt(&format!("{rel}-demo"))
        .await
        .unwrap()
        .and_then(|cm| cm.data)
        .and_then(|d| d.get("chart").cloned())
}

#[tokio::test(flavor = "multi_thread")]
async fn helm_pushed_chart_installs_and_upgrades_from_oci() {
    let env = registry();
    let kube = common::kube_client().await;
    let home = scratch("oci-install");
    let pkg = home.join("pkg");
    let mut tgz = Vec::new();
    for v in ["0.1.0", "0.2.0"] {
        let dir = make_chart(&home.join(v), "ocidemo", v);
        // Unique content per run: registry blobs are shared by digest.
        std::fs::write(dir.join("unique.txt"), home.display().to_string()).unwrap();
        tgz.push(helm_package(&dir, &pkg));
    }
    // The reference Helm pushes both versions.
    let proxy = CountingProxy::start(&env.registry);
    let path = format!("t/oci-install-{}", common::unique_name("r"));
    for t in &tgz {
        helm(&[
            "push",
            t.to_str().unwrap(),
            &format!("oci://{}/{path}", env.registry),
        ])
        .unwrap();
    }
    let reference = format!("oci://{}/{path}/ocidemo", proxy.addr);
    let layer: Vec<String> = tgz
        .iter()
        .map(|t| origan_registry::digest_of(&std::fs::read(t).unwrap()))
        .collect();
    let c = creds(&env);
    let c: Vec<&str> = c.iter().map(String::as_str).collect();
    let ns = common::unique_ns(&kube, "oci-install").await;

    // install oci:// --version (a constraint): downloads the layer once.
    let start = Instant::now();
    let mut a = vec!["install", "web", &reference, "--version", "~0.1", "-n", &ns];
    a.extend(["--plain-http"]);
    a.extend(&c);
    let o = cluster_cmd(&home, &a);
    let cold = start.elapsed();
    let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
    ok(o);
    assert!(stderr.contains("Pulled: "), "{stderr}");
    assert_eq!(field(&stderr, "Digest:").len(), 71, "{stderr}");
    let s = release_secret(&kube, &ns, "web", 1)
        .await
        .expect("release secret v1");
    assert_eq!(label(&s, "owner"), "helm");
    assert_eq!(label(&s, "status"), "deployed");
    assert_eq!(
        chart_version_in_cm(&kube, &ns, "web").await.as_deref(),
        Some("0.1.0")
    );
    assert_eq!(
        proxy.blob_gets(&layer[0]),
        1,
        "first install downloads the chart"
    );

    // upgrade oci:// to 0.2.0.
    let mut a = vec![
        "upgrade",
        "web",
        &reference,
        "--version",
        "0.2.0",
        "-n",
        &ns,
    ];
    a.extend(["--plain-http"]);
    a.extend(&c);
    ok(cluster_cmd(&home, &a));
    let s = release_secret(&kube, &ns, "web", 2)
        .await
        .expect("release secret v2");
    assert_eq!(label(&s, "status"), "deployed");
    assert_eq!(
        chart_version_in_cm(&kube, &ns, "web").await.as_deref(),
        Some("0.2.0")
    );
    assert_eq!(proxy.blob_gets(&layer[1]), 1);

    // Installing 0.1.0 again (install, then upgrade --install of a new
    // release): served from the digest cache, the layer is not fetched again.
    let start = Instant::now();
    let mut a = vec!["install", "db", &reference, "--version", "0.1.0", "-n", &ns];
    a.extend(["--plain-http"]);
    a.extend(&c);
    ok(cluster_cmd(&home, &a));
    let warm = start.elapsed();
    let mut a = vec![
        "upgrade",
        "--install",
        "api",
        &reference,
        "--version",
        "0.1.0",
        "-n",
        &ns,
    ];
    a.extend(["--plain-http"]);
    a.extend(&c);
    ok(cluster_cmd(&home, &a));
    for rel in ["db", "api"] {
        let s = release_secret(&kube, &ns, rel, 1)
            .await
            .expect("release secret");
        assert_eq!(label(&s, "status"), "deployed");
        assert_eq!(
            chart_version_in_cm(&kube, &ns, rel).await.as_deref(),
            Some("0.1.0")
        );
    }
    assert_eq!(
        proxy.blob_gets(&layer[0]),
        1,
        "later installs of the same chart must come from the cache"
    );
    let hex = &layer[0][7..];
    assert!(home.join("cache/origanctl/oci/sha256").join(hex).exists());
    eprintln!(
        "install from oci: cold {} ms (layer downloaded), warm {} ms (cache hit, 0 layer GETs)",
        cold.as_millis(),
        warm.as_millis()
    );

    // The reference Helm reads the history origanctl wrote from the registry's charts.
    let kc = common::kubeconfig_path();
    let h = helm(&[
        "history",
        "web",
        "-n",
        &ns,
        "--kubeconfig",
        kc.to_str().unwrap(),
    ])
    .unwrap();
    let revs: Vec<(String, String)> = h["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["chart_version"].as_str().unwrap_or("").to_string(),
                r["status"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert_eq!(
        revs,
        [
            ("0.1.0".to_string(), "superseded".to_string()),
            ("0.2.0".to_string(), "deployed".to_string())
        ]
    );
    common::delete_ns(&kube, &ns).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn tampered_blob_installs_nothing() {
    let env = registry();
    let kube = common::kube_client().await;
    let home = scratch("oci-tamper");
    let dir = make_chart(&home, "ocidemo", "0.3.0");
    std::fs::write(dir.join("unique.txt"), home.display().to_string()).unwrap();
    let t = helm_package(&dir, &home.join("pkg"));
    let repo = format!(
        "oci://{}/t/oci-tamper-{}",
        env.registry,
        common::unique_name("r")
    );
    helm(&["push", t.to_str().unwrap(), &repo]).unwrap();
    let bytes = std::fs::read(&t).unwrap();
    let hex = origan_registry::digest_of(&bytes)[7..].to_string();
    let blob = root()
        .join(".local/registry/plain/data/docker/registry/v2/blobs/sha256")
        .join(&hex[..2])
        .join(&hex)
        .join("data");
    let mut tampered = std::fs::read(&blob).unwrap();
    let mid = tampered.len() / 2;
    tampered[mid] ^= 0xff;
    std::fs::write(&blob, &tampered).unwrap();

    let ns = common::unique_ns(&kube, "oci-tamper").await;
    let reference = format!("{repo}/ocidemo");
    let c = creds(&env);
    let c: Vec<&str> = c.iter().map(String::as_str).collect();
    for verb in [vec!["install", "web"], vec!["upgrade", "--install", "web"]] {
        let mut a = verb.clone();
        a.extend([
            reference.as_str(),
            "--version",
            "0.3.0",
            "-n",
            &ns,
            "--plain-http",
        ]);
        a.extend(&c);
        let o = cluster_cmd(&home, &a);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(!o.status.success(), "{verb:?} succeeded on a tampered blob");
        assert!(err.contains("digest mismatch"), "{err}");
        assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
        eprintln!("{verb:?}: {}", err.trim());
    }
    tampered[mid] ^= 0xff;
    std::fs::write(&blob, &tampered).unwrap();
    // Nothing was written: no release record, no object, nothing cached.
    assert!(release_secret(&kube, &ns, "web", 1).await.is_none());
    let secrets = Api::<Secret>::namespaced(kube.clone(), &ns)
        .list(&Default::default())
        .await
        .unwrap();
    assert!(
        secrets.items.iter().all(|s| label(s, "owner") != "helm"),
        "a release record was written"
    );
    assert_eq!(chart_version_in_cm(&kube, &ns, "web").await, None);
    assert!(!home.join("cache/origanctl/oci/sha256").join(&hex).exists());
    common::delete_ns(&kube, &ns).await;
}

/// The acceptance path with the real chart: the reference Helm packages and
/// pushes charts/origan, origanctl installs and then upgrades it from the
/// registry, and the objects are read back from the API server.
#[tokio::test(flavor = "multi_thread")]
async fn helm_pushed_origan_chart_installs_from_oci() {
    use k8s_openapi::api::apps::v1::{Deployment, StatefulSet};

    let env = registry();
    let kube = common::kube_client().await;
    let home = scratch("oci-origan");
    let tgz = helm_package(&root().join("charts/origan"), &home.join("pkg"));
    let repo = format!(
        "oci://{}/t/oci-origan-{}",
        env.registry,
        common::unique_name("r")
    );
    helm(&["push", tgz.to_str().unwrap(), &repo]).unwrap();
    let version = helm(&["show", "chart", tgz.to_str().unwrap()]).unwrap()["output"]
        .as_str()
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("version: "))
        .unwrap()
        .to_string();
    let reference = format!("{repo}/origan");
    let c = creds(&env);
    let c: Vec<&str> = c.iter().map(String::as_str).collect();
    let ns = common::unique_ns(&kube, "oci-origan").await;

    let start = Instant::now();
    let mut a = vec![
        "install",
        "origan",
        &reference,
        "--version",
        &version,
        "-n",
        &ns,
    ];
    a.extend(["--plain-http"]);
    a.extend(&c);
    ok(cluster_cmd(&home, &a));
    eprintln!(
        "install charts/origan from oci: {} ms",
        start.elapsed().as_millis()
    );
    let s = release_secret(&kube, &ns, "origan", 1)
        .await
        .expect("release v1");
    assert_eq!(label(&s, "status"), "deployed");
    let deployments = Api::<Deployment>::namespaced(kube.clone(), &ns);
    for d in ["admin-panel", "control-api", "gateway", "nats", "runner"] {
        assert!(deployments.get_opt(d).await.unwrap().is_some(), "{d}");
    }
    let sts = Api::<StatefulSet>::namespaced(kube.clone(), &ns);
    assert!(sts.get_opt("postgres").await.unwrap().is_some());

    let mut a = vec![
        "upgrade",
        "origan",
        &reference,
        "--version",
        &version,
        "-n",
        &ns,
    ];
    a.extend(["--plain-http", "--set", "controlApi.replicaCount=2"]);
    a.extend(&c);
    ok(cluster_cmd(&home, &a));
    let s = release_secret(&kube, &ns, "origan", 2)
        .await
        .expect("release v2");
    assert_eq!(label(&s, "status"), "deployed");
    let api = deployments.get("control-api").await.unwrap();
    assert_eq!(api.spec.and_then(|s| s.replicas), Some(2));
    let kc = common::kubeconfig_path();
    let st = helm(&[
        "status",
        "origan",
        "-n",
        &ns,
        "--kubeconfig",
        kc.to_str().unwrap(),
    ])
    .unwrap();
    assert!(st.to_string().contains("\"deployed\""), "{st}");
    common::delete_ns(&kube, &ns).await;
}
