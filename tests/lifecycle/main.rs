//! Release lifecycle on the local control plane (`make cluster-up`):
//! origanctl's install/upgrade/rollback/uninstall checked through the API
//! server (objects, release Secrets, the Lease) and against the reference
//! Helm (tests/helm_ref.py) in both directions; failure handling (failing
//! hook, a Deployment that never becomes ready with `--atomic`), the lock
//! (a live holder, a SIGKILLed holder) and `list` over 100×10 records.

mod cli_flags;
#[path = "../common/mod.rs"]
mod common;
mod progress;
mod readiness;
mod support;

use std::time::{Duration, Instant};

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::{ConfigMap, Secret, Service};
use kube::Api;
use kube::api::ListParams;
use serde_json::Value;
use support::{Env, chart};

#[tokio::test]
async fn install_upgrade_rollback_uninstall() {
    let env = Env::new("lc-basic").await;
    let t = Instant::now();
    let out = env.ok(&["install", "web", &chart(), "--wait", "--timeout", "60s"]);
    eprintln!("install --wait: {:?}", t.elapsed());
    assert!(out.contains("STATUS: deployed"), "{out}");
    let secrets: Api<Secret> = Api::namespaced(env.client.clone(), &env.ns);
    let s = secrets.get("sh.helm.release.v1.web.v1").await.unwrap();
    assert_eq!(s.type_.as_deref(), Some("helm.sh/release.v1"));
    let labels = s.metadata.labels.unwrap();
    for (k, v) in [
        ("name", "web"),
        ("owner", "helm"),
        ("status", "deployed"),
        ("version", "1"),
    ] {
        assert_eq!(labels.get(k).map(String::as_str), Some(v), "label {k}");
    }
    assert!(labels.contains_key("createdAt"));
    let cms: Api<ConfigMap> = Api::namespaced(env.client.clone(), &env.ns);
    let cm = cms.get("web-config").await.unwrap();
    let ann = cm.metadata.annotations.clone().unwrap();
    assert_eq!(ann["meta.helm.sh/release-name"], "web");
    assert_eq!(
        cm.metadata.labels.clone().unwrap()["app.kubernetes.io/managed-by"],
        "Helm"
    );
    let managers: Vec<String> = cm
        .metadata
        .managed_fields
        .unwrap()
        .iter()
        .filter_map(|m| m.manager.clone())
        .collect();
    assert_eq!(
        managers,
        ["helm"],
        "server-side apply under Helm's field manager"
    );

    // A changing upgrade creates the Service and changes the ConfigMap.
    env.ok(&[
        "upgrade",
        "web",
        &chart(),
        "--set",
        "extra=true",
        "--set",
        "message=bye",
        "--wait",
    ]);
    let svcs: Api<Service> = Api::namespaced(env.client.clone(), &env.ns);
    assert!(svcs.get_opt("web-svc").await.unwrap().is_some());
    let rv_cm = cms
        .get("web-config")
        .await
        .unwrap()
        .metadata
        .resource_version;
    let deps: Api<Deployment> = Api::namespaced(env.client.clone(), &env.ns);
    let rv_dep = deps.get("web-web").await.unwrap().metadata.resource_version;

    // A no-change upgrade (values reused) sends nothing: no apply request at
    // all, and resourceVersions stay.
    let out = env.ok_all_env(
        &["upgrade", "web", &chart(), "--reuse-values"],
        &[("ORIGANCTL_STATS", "1")],
    );
    assert!(out.contains("origanctl stats: 0 apply requests"), "{out}");
    assert_eq!(
        cms.get("web-config")
            .await
            .unwrap()
            .metadata
            .resource_version,
        rv_cm
    );
    assert_eq!(
        deps.get("web-web").await.unwrap().metadata.resource_version,
        rv_dep
    );

    // Rollback to 1: the Service is deleted, the message restored.
    let out = env.ok(&["rollback", "web", "1", "--wait"]);
    assert!(out.contains("Rollback was a success! Happy Helming!"));
    assert!(svcs.get_opt("web-svc").await.unwrap().is_none());
    assert_eq!(
        cms.get("web-config").await.unwrap().data.unwrap()["message"],
        "hello"
    );
    let hist = env.history_json("web");
    let statuses: Vec<&str> = hist.iter().map(|r| r["status"].as_str().unwrap()).collect();
    assert_eq!(
        statuses,
        ["superseded", "superseded", "superseded", "deployed"]
    );
    assert_eq!(hist[3]["description"], "Rollback to 1");

    // status shows resources with readiness; get values/manifest.
    let st = env.ok(&["status", "web"]);
    assert!(
        st.contains("deployment/web-web") && st.contains("ready"),
        "{st}"
    );
    assert!(
        env.ok(&["get", "manifest", "web"])
            .contains("# Source: basic/templates/configmap.yaml")
    );

    // Uninstall --keep-history keeps records as uninstalled; plain uninstall purges.
    env.ok(&["uninstall", "web", "--keep-history", "--wait"]);
    assert!(deps.get_opt("web-web").await.unwrap().is_none());
    assert_eq!(
        env.history_json("web").last().unwrap()["status"],
        "uninstalled"
    );
    env.ok(&["uninstall", "web"]);
    let left = secrets
        .list(&ListParams::default().labels("owner=helm,name=web"))
        .await
        .unwrap();
    assert!(left.items.is_empty());
    env.ok(&["uninstall", "web", "--ignore-not-found"]);
    env.done().await;
}

#[tokio::test]
async fn helm_reads_and_continues_origanctl_releases_and_back() {
    let mut env = Env::new("lc-interop").await;
    env.manager = "python";
    // origanctl installs and upgrades; Helm reads the history.
    env.ok(&["install", "a", &chart()]);
    env.ok(&["upgrade", "a", &chart(), "--set", "message=two"]);
    let h = env.helm(&["history", "a"]);
    let revs: Vec<(i64, &str)> = h["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["revision"].as_i64().unwrap(),
                r["status"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(revs, [(1, "superseded"), (2, "deployed")]);
    // Helm rolls back; origanctl upgrades again and Helm sees all four.
    env.helm(&["rollback", "a", "1"]);
    env.ok(&["upgrade", "a", &chart(), "--set", "message=three"]);
    let h = env.helm(&["history", "a"]);
    assert_eq!(h["history"].as_array().unwrap().len(), 4);
    let vals = env.helm(&["get-values", "a"]);
    assert_eq!(
        vals.pointer("/values/message").or(vals.pointer("/message")),
        Some(&Value::from("three")),
        "{vals}"
    );

    // Helm installs; origanctl upgrades and rolls back; Helm reads it.
    env.helm(&["install", "b", &chart()]);
    env.ok(&["upgrade", "b", &chart(), "--set", "extra=true"]);
    env.ok(&["rollback", "b"]);
    let h = env.helm(&["history", "b"]);
    let last = h["history"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        (last["revision"].as_i64(), last["status"].as_str()),
        (Some(3), Some("deployed"))
    );
    // The ConfigMap driver: Helm reads what origanctl wrote there.
    env.ok_env(&["install", "c", &chart()], &[("HELM_DRIVER", "configmap")]);
    let h = env.helm(&["history", "c", "--storage-driver", "configmap"]);
    assert_eq!(h["history"][0]["status"], "deployed");
    env.done().await;
}

#[tokio::test]
async fn failing_hook_fails_the_release_and_it_can_be_upgraded() {
    let env = Env::new("lc-hook").await;
    let err = env.fail(&[
        "install",
        "h",
        &chart(),
        "--set",
        "hook.enabled=true",
        "--set",
        "hook.fail=true",
        "--timeout",
        "60s",
    ]);
    assert!(
        err.contains("pre-install") && err.contains("h-migrate"),
        "{err}"
    );
    assert_eq!(env.history_json("h")[0]["status"], "failed");
    // A failed first install can be upgraded.
    env.ok(&[
        "upgrade",
        "h",
        &chart(),
        "--set",
        "hook.enabled=true",
        "--timeout",
        "60s",
    ]);
    assert_eq!(env.history_json("h").last().unwrap()["status"], "deployed");
    env.done().await;
}

#[tokio::test]
async fn never_ready_is_named_and_atomic_restores() {
    let env = Env::new("lc-atomic").await;
    env.ok(&["install", "n", &chart(), "--wait"]);
    let err = env.fail(&[
        "upgrade",
        "n",
        &chart(),
        "--set-string",
        "neverReady=true",
        "--atomic",
        "--timeout",
        "4s",
    ]);
    assert!(
        err.contains("Deployment") && err.contains("n-web"),
        "wait names the resource: {err}"
    );
    assert!(err.contains("rolled back"), "{err}");
    let hist = env.history_json("n");
    let statuses: Vec<&str> = hist.iter().map(|r| r["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["superseded", "failed", "deployed"]);
    assert_eq!(hist[2]["description"], "Rollback to 1");
    env.done().await;
}

#[tokio::test]
async fn a_live_holder_blocks_and_a_killed_one_is_recovered() {
    let env = Env::new("lc-lock").await;
    env.ok(&["install", "l", &chart()]);
    // A live holder (this test process) makes upgrade fail at once, naming it.
    let k = env.origan_kube().await;
    let guard = k
        .acquire_lease(
            &env.ns,
            "l",
            "upgrade",
            &origan_kube::LeaseOptions::default(),
        )
        .await
        .unwrap();
    let t = Instant::now();
    let err = env.fail(&["upgrade", "l", &chart(), "--set", "message=x"]);
    assert!(t.elapsed() < Duration::from_secs(10));
    assert!(
        err.contains("another operation (upgrade) is in progress")
            && err.contains(&std::process::id().to_string()),
        "{err}"
    );
    guard.release().await.unwrap();
    assert_eq!(env.history_json("l").len(), 1, "release intact");

    // SIGKILL during an upgrade that waits: the next command recovers.
    for round in 0..2 {
        let mut child = env.spawn(&[
            "upgrade",
            "l",
            &chart(),
            "--set-string",
            "neverReady=true",
            "--wait",
            "--timeout",
            "60s",
        ]);
        support::wait_for_status(&env, "l", "pending-upgrade").await;
        child.kill().unwrap();
        let _ = child.wait();
        let out = env.ok_all(&[
            "upgrade",
            "l",
            &chart(),
            "--set",
            &format!("message=r{round}"),
        ]);
        assert!(out.contains("recovered release l"), "round {round}: {out}");
    }
    let hist = env.history_json("l");
    let statuses: Vec<&str> = hist.iter().map(|r| r["status"].as_str().unwrap()).collect();
    assert_eq!(
        statuses,
        ["superseded", "failed", "superseded", "failed", "deployed"],
        "no revision lost"
    );
    env.done().await;
}

#[tokio::test]
async fn list_over_100_releases_of_10_revisions_is_fast() {
    let env = Env::new("lc-list").await;
    support::seed_records(&env, 100, 10).await;
    let t = Instant::now();
    let out = env.ok(&["list", "-o", "json"]);
    let took = t.elapsed();
    let rows: Vec<Value> = serde_json::from_str(&out).unwrap();
    assert_eq!(rows.len(), 100);
    eprintln!("list over 100x10 records: {took:?}");
    assert!(took < Duration::from_secs(1), "list took {took:?}");
    env.done().await;
}

#[tokio::test]
async fn two_upgrades_at_once_one_waits_the_other_fails_naming_it() {
    let env = Env::new("lc-race").await;
    env.ok(&["install", "r", &chart()]);
    // The first upgrade holds the lock for ~3 s (it waits for a Deployment
    // that never becomes ready), the second starts meanwhile.
    let mut first = env.spawn(&[
        "upgrade",
        "r",
        &chart(),
        "--set-string",
        "neverReady=true",
        "--wait",
        "--timeout",
        "3s",
    ]);
    support::wait_for_status(&env, "r", "pending-upgrade").await;
    let t = Instant::now();
    let err = env.fail(&["upgrade", "r", &chart(), "--set", "message=second"]);
    assert!(t.elapsed() < Duration::from_secs(5), "fails at once");
    assert!(
        err.contains("another operation (upgrade) is in progress") && err.contains("held by"),
        "{err}"
    );
    assert!(!first.wait().unwrap().success());
    let hist = env.history_json("r");
    let statuses: Vec<&str> = hist.iter().map(|r| r["status"].as_str().unwrap()).collect();
    assert_eq!(
        statuses,
        ["deployed", "failed"],
        "release intact: v1 still deployed"
    );
    env.ok(&["upgrade", "r", &chart(), "--set", "message=third"]);
    env.done().await;
}

#[tokio::test]
async fn sigkill_at_ten_points_never_needs_repair() {
    let env = Env::new("lc-kill").await;
    env.ok(&["install", "k", &chart(), "--set", "hook.enabled=true"]);
    let ops: [&[&str]; 3] = [
        &[
            "upgrade",
            "k",
            "CHART",
            "--set",
            "hook.enabled=true",
            "--set",
            "message=m",
            "--wait",
        ],
        &["rollback", "k", "--wait"],
        &[
            "upgrade",
            "k",
            "CHART",
            "--set",
            "hook.enabled=true",
            "--set",
            "extra=true",
            "--wait",
        ],
    ];
    let c = chart();
    for i in 0..10u64 {
        let op: Vec<&str> = ops[i as usize % 3]
            .iter()
            .map(|a| if *a == "CHART" { c.as_str() } else { a })
            .collect();
        let mut child = env.spawn(&op);
        std::thread::sleep(Duration::from_millis(30 + 25 * i));
        let _ = child.kill();
        let _ = child.wait();
        // The next command succeeds with no manual repair.
        env.ok_all(&[
            "upgrade",
            "k",
            &c,
            "--set",
            "hook.enabled=true",
            "--set",
            &format!("message=after{i}"),
        ]);
        let hist = env.history_json("k");
        let versions: Vec<i64> = hist
            .iter()
            .map(|r| r["revision"].as_i64().unwrap())
            .collect();
        let first = versions[0];
        assert_eq!(
            versions,
            (first..first + versions.len() as i64).collect::<Vec<_>>(),
            "no revision lost at point {i}"
        );
        assert_eq!(hist.last().unwrap()["status"], "deployed");
        assert!(
            hist.iter()
                .all(|r| !r["status"].as_str().unwrap().starts_with("pending")),
            "point {i}: {hist:?}"
        );
    }
    env.done().await;
}
