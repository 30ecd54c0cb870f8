//! Lifecycle flags on the local control plane (`make cluster-up`), checked
//! through the API server and against the reference Helm
//! (tests/helm_ref.py): `--force-replace`, `--server-side=auto|true|false`
//! with the release's `apply_method` and the CSA→SSA managed-fields
//! upgrade, `--dry-run=client` without a cluster and `--dry-run=server`,
//! `--reuse-values` / `--reset-then-reuse-values`, `install` over a failed
//! release (`--replace`), `uninstall --cascade`.

#[path = "../common/mod.rs"]
mod common;
#[allow(dead_code)]
mod support;

use std::io::Read;
use std::path::Path;

use k8s_openapi::api::apps::v1::{Deployment, ReplicaSet};
use k8s_openapi::api::coordination::v1::Lease;
use k8s_openapi::api::core::v1::{ConfigMap, Secret};
use kube::Api;
use kube::api::{ListParams, Patch, PatchParams};
use serde_json::{Value, json};
use support::{Env, chart};

/// The release JSON stored in `sh.helm.release.v1.NAME.vN`.
async fn record(env: &Env, name: &str, v: u32) -> Value {
    use base64::Engine;
    let secrets: Api<Secret> = Api::namespaced(env.client.clone(), &env.ns);
    let s = secrets
        .get(&format!("sh.helm.release.v1.{name}.v{v}"))
        .await
        .unwrap();
    let b64 = s.data.unwrap()["release"].0.clone();
    let gz = base64::engine::general_purpose::STANDARD
        .decode(&b64)
        .unwrap();
    let mut json = String::new();
    flate2::read::GzDecoder::new(&gz[..])
        .read_to_string(&mut json)
        .unwrap();
    serde_json::from_str(&json).unwrap()
}

async fn record_count(env: &Env, name: &str) -> usize {
    let secrets: Api<Secret> = Api::namespaced(env.client.clone(), &env.ns);
    let lp = ListParams::default().labels(&format!("owner=helm,name={name}"));
    secrets.list(&lp).await.unwrap().items.len()
}

/// `(manager, operation)` of every managedFields entry.
fn managers(
    mf: Option<Vec<k8s_openapi::apimachinery::pkg::apis::meta::v1::ManagedFieldsEntry>>,
) -> Vec<(String, String)> {
    mf.unwrap_or_default()
        .into_iter()
        .map(|m| {
            (
                m.manager.unwrap_or_default(),
                m.operation.unwrap_or_default(),
            )
        })
        .collect()
}

#[tokio::test]
async fn force_replace_puts_objects_and_needs_client_side_apply() {
    let env = Env::new("lc-replace").await;
    env.ok(&["install", "fr", &chart(), "--server-side=false"]);
    assert_eq!(record(&env, "fr", 1).await["apply_method"], "csa");
    let cms: Api<ConfigMap> = Api::namespaced(env.client.clone(), &env.ns);
    let deps: Api<Deployment> = Api::namespaced(env.client.clone(), &env.ns);
    let uid = cms.get("fr-config").await.unwrap().metadata.uid;
    // Another actor adds a key and scales the Deployment.
    let pp = PatchParams {
        field_manager: Some("someone-else".into()),
        ..PatchParams::default()
    };
    cms.patch(
        "fr-config",
        &pp,
        &Patch::Merge(json!({"data": {"foreign": "x"}})),
    )
    .await
    .unwrap();
    deps.patch(
        "fr-web",
        &pp,
        &Patch::Merge(json!({"spec": {"replicas": 3}})),
    )
    .await
    .unwrap();

    // Helm: force-replace and server-side apply cannot go together; the
    // release follows its csa record only with auto, so `=true` is refused
    // before any revision is written.
    let err = env.fail(&[
        "upgrade",
        "fr",
        &chart(),
        "--force-replace",
        "--server-side=true",
    ]);
    assert!(
        err.contains("cannot use server-side apply and force replace together"),
        "{err}"
    );
    assert_eq!(record_count(&env, "fr").await, 1);

    // auto → csa here: every object is replaced (PUT), foreign fields go.
    let out = env.ok_all(&[
        "upgrade",
        "fr",
        &chart(),
        "--force-replace",
        "--set",
        "message=b",
    ]);
    assert!(out.contains("configmap/fr-config replaced"), "{out}");
    assert!(out.contains("deployment/fr-web replaced"), "{out}");
    let cm = cms.get("fr-config").await.unwrap();
    assert_eq!(
        cm.metadata.uid, uid,
        "replace keeps the object (PUT, not delete+create)"
    );
    let data = cm.data.unwrap();
    assert_eq!(data.get("message").map(String::as_str), Some("b"));
    assert!(!data.contains_key("foreign"), "{data:?}");
    let d = deps.get("fr-web").await.unwrap();
    assert_eq!(
        d.spec.unwrap().replicas,
        Some(1),
        "unchanged object replaced too"
    );
    let r2 = record(&env, "fr", 2).await;
    assert_eq!(r2["apply_method"], "csa");
    assert_eq!(r2["info"]["status"], "deployed");

    // With --force-conflicts clap refuses the pair (Helm: mutually exclusive).
    env.fail(&[
        "upgrade",
        "fr",
        &chart(),
        "--force-replace",
        "--force-conflicts",
    ]);
    // Rollback takes the flag too.
    let out = env.ok_all(&["rollback", "fr", "1", "--force-replace"]);
    assert!(out.contains("configmap/fr-config replaced"), "{out}");
    assert_eq!(
        cms.get("fr-config").await.unwrap().data.unwrap()["message"],
        "hello"
    );

    // Hooks of a client-side release are created client-side (POST).
    env.ok(&[
        "install",
        "hk",
        &chart(),
        "--server-side=false",
        "--set",
        "hook.enabled=true",
    ]);
    let jobs: Api<k8s_openapi::api::batch::v1::Job> = Api::namespaced(env.client.clone(), &env.ns);
    let m = managers(
        jobs.get("hk-migrate")
            .await
            .unwrap()
            .metadata
            .managed_fields,
    );
    assert!(m.contains(&("helm".into(), "Update".into())), "{m:?}");
    assert!(!m.contains(&("helm".into(), "Apply".into())), "{m:?}");
    env.done().await;
}

#[tokio::test]
async fn server_side_follows_the_record_both_ways_with_helm() {
    let mut env = Env::new("lc-ssa").await;
    // Share field ownership with the reference SDK (its manager: python).
    env.manager = "python";
    let deps: Api<Deployment> = Api::namespaced(env.client.clone(), &env.ns);
    let cms: Api<ConfigMap> = Api::namespaced(env.client.clone(), &env.ns);

    // Client-side install: POST, an Update entry, apply_method csa.
    env.ok(&[
        "install",
        "s",
        &chart(),
        "--server-side=false",
        "--set-string",
        "neverReady=true",
    ]);
    assert_eq!(record(&env, "s", 1).await["apply_method"], "csa");
    let cm = cms.get("s-config").await.unwrap();
    assert_eq!(
        managers(cm.metadata.managed_fields),
        [("python".to_string(), "Update".to_string())]
    );

    // Helm upgrades it with its default --server-side=auto: csa again.
    env.helm(&[
        "upgrade",
        "s",
        &chart(),
        "--set",
        "message=from-helm",
        "--set-string",
        "neverReady=true",
    ]);
    let r2 = record(&env, "s", 2).await;
    assert_eq!(
        r2["apply_method"], "csa",
        "Helm follows origanctl's csa record"
    );
    assert_eq!(
        cms.get("s-config").await.unwrap().data.unwrap()["message"],
        "from-helm"
    );

    // origanctl auto keeps csa (a JSON merge patch: an Update entry).
    env.ok(&[
        "upgrade",
        "s",
        &chart(),
        "--set",
        "message=three",
        "--set-string",
        "neverReady=true",
    ]);
    assert_eq!(record(&env, "s", 3).await["apply_method"], "csa");

    // Switching to server-side: the manager's Update entries become its
    // Apply entry first, so the label dropped from the pod template is
    // really removed (without the upgrade the old Update entry would keep
    // owning it).
    env.ok(&[
        "upgrade",
        "s",
        &chart(),
        "--server-side",
        "--set",
        "message=four",
    ]);
    assert_eq!(record(&env, "s", 4).await["apply_method"], "ssa");
    let d = deps.get("s-web").await.unwrap();
    let labels = d.spec.unwrap().template.metadata.unwrap().labels.unwrap();
    assert!(
        !labels.contains_key("origanctl.test/never-ready"),
        "{labels:?}"
    );
    let m = managers(d.metadata.managed_fields);
    assert!(m.contains(&("python".into(), "Apply".into())), "{m:?}");
    assert!(!m.contains(&("python".into(), "Update".into())), "{m:?}");
    let m = managers(cms.get("s-config").await.unwrap().metadata.managed_fields);
    assert_eq!(m, [("python".to_string(), "Apply".to_string())]);

    // Helm follows the ssa record (auto), and reads every revision.
    env.helm(&["upgrade", "s", &chart(), "--set", "message=five"]);
    assert_eq!(record(&env, "s", 5).await["apply_method"], "ssa");
    let h = env.helm(&["history", "s"]);
    assert_eq!(h["history"].as_array().unwrap().len(), 5, "{h}");

    // Rollback's auto follows the revision rolled back to (3: csa).
    env.ok(&["rollback", "s", "3"]);
    assert_eq!(record(&env, "s", 6).await["apply_method"], "csa");
    // An explicit bad value is Helm's error.
    let err = env.fail(&["upgrade", "s", &chart(), "--server-side=maybe"]);
    assert!(
        err.contains("invalid/unknown release server-side apply method: maybe"),
        "{err}"
    );
    env.done().await;
}

#[tokio::test]
async fn dry_run_client_needs_no_cluster_and_server_validates_without_persisting() {
    let env = Env::new("lc-dry").await;
    // A kubeconfig whose server is a closed port.
    let dir = scratch(&env);
    let text = std::fs::read_to_string(common::kubeconfig_path()).unwrap();
    let closed: String = text
        .lines()
        .map(|l| {
            if l.trim_start().starts_with("server:") {
                "    server: https://127.0.0.1:1".to_string()
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let kc = dir.join("closed.kubeconfig");
    std::fs::write(&kc, closed).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_origanctl"))
        .args([
            "install",
            "dry",
            &chart(),
            "-n",
            &env.ns,
            "--dry-run=client",
        ])
        .arg("--kubeconfig")
        .arg(&kc)
        .env_remove("KUBECONFIG")
        .env_remove("HELM_DRIVER")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let helm = env.helm(&["install", "dry", &chart(), "--dry-run", "client"]);
    let manifest = helm["manifest"].as_str().unwrap();
    assert!(
        stdout.contains(&format!("MANIFEST:\n{}", manifest.trim_end())),
        "{stdout}\n--- helm:\n{manifest}"
    );
    assert!(stdout.contains("STATUS: pending-install\n"), "{stdout}");
    assert!(
        stdout.contains("DESCRIPTION: Dry run complete\n"),
        "{stdout}"
    );
    // No kubeconfig at all (no $KUBECONFIG, an empty $HOME): still works.
    let home = dir.join("home");
    std::fs::create_dir_all(&home).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_origanctl"))
        .args([
            "install",
            "dry",
            &chart(),
            "--dry-run=client",
            "-n",
            "elsewhere",
        ])
        .env_remove("KUBECONFIG")
        .env_remove("HELM_DRIVER")
        .env("HOME", &home)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("NAMESPACE: elsewhere\n"), "{stdout}");
    // The same with the real cluster but a bare --dry-run (client).
    env.ok(&["install", "dry", &chart(), "--dry-run"]);
    let err = env.fail(&["install", "dry", &chart(), "--server-side=auto"]);
    assert!(
        err.contains(r#"invalid argument "auto" for "--server-side" flag"#),
        "{err}"
    );

    // Server: an invalid object is refused by the API server...
    let err = env.fail(&[
        "install",
        "dry",
        &chart(),
        "--dry-run=server",
        "--set",
        "replicas=many",
    ]);
    assert!(
        err.contains("Deployment") && err.contains("dry-run"),
        "{err}"
    );
    // ...a valid one passes, and nothing at all is persisted.
    let out = env.ok(&["install", "dry", &chart(), "--dry-run=server"]);
    assert!(out.contains("DESCRIPTION: Dry run complete"), "{out}");
    assert_eq!(record_count(&env, "dry").await, 0);
    let cms: Api<ConfigMap> = Api::namespaced(env.client.clone(), &env.ns);
    assert!(cms.get_opt("dry-config").await.unwrap().is_none());
    let leases: Api<Lease> = Api::namespaced(env.client.clone(), &env.ns);
    assert!(
        leases
            .list(&ListParams::default())
            .await
            .unwrap()
            .items
            .is_empty()
    );

    // Upgrade: the same, and no new revision.
    env.ok(&["install", "dry", &chart()]);
    env.fail(&[
        "upgrade",
        "dry",
        &chart(),
        "--dry-run=server",
        "--set",
        "replicas=many",
    ]);
    let out = env.ok(&[
        "upgrade",
        "dry",
        &chart(),
        "--dry-run=server",
        "--set",
        "message=x",
    ]);
    assert!(out.contains("STATUS: pending-upgrade"), "{out}");
    assert_eq!(record_count(&env, "dry").await, 1);
    assert_eq!(
        cms.get("dry-config").await.unwrap().data.unwrap()["message"],
        "hello"
    );
    // Client dry runs of upgrade and of upgrade --install persist nothing either.
    let out = env.ok(&[
        "upgrade",
        "dry",
        &chart(),
        "--dry-run=client",
        "--set",
        "message=y",
    ]);
    assert!(
        out.contains("STATUS: pending-upgrade") && out.contains("message: \"y\""),
        "{out}"
    );
    let out = env.ok(&[
        "upgrade",
        "--install",
        "fresh",
        &chart(),
        "--dry-run=client",
    ]);
    assert!(out.contains("STATUS: pending-install"), "{out}");
    assert_eq!(record_count(&env, "dry").await, 1);
    assert_eq!(record_count(&env, "fresh").await, 0);
    assert!(cms.get_opt("fresh-config").await.unwrap().is_none());
    let err = env.fail(&["install", "dry2", &chart(), "--dry-run=maybe"]);
    assert!(err.contains(r#"invalid dry-run value ("maybe")"#), "{err}");
    env.done().await;
}

/// A scratch directory named after the test's namespace.
fn scratch(env: &Env) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("origanctl-{}", env.ns));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A copy of the test chart as version 0.2.0 with a new default key.
fn chart_v2(dir: &Path) -> String {
    let src = Path::new(&chart()).to_path_buf();
    let dst = dir.join("basic");
    copy_dir(&src, &dst);
    std::fs::write(
        dst.join("Chart.yaml"),
        "apiVersion: v2\nname: basic\nversion: 0.2.0\nappVersion: \"1.0\"\n",
    )
    .unwrap();
    let mut values = std::fs::read_to_string(dst.join("values.yaml")).unwrap();
    values.push_str("addedIn2: fresh\n");
    std::fs::write(dst.join("values.yaml"), values).unwrap();
    dst.display().to_string()
}

fn copy_dir(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).unwrap();
    for e in std::fs::read_dir(src).unwrap() {
        let e = e.unwrap();
        let to = dst.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to);
        } else {
            std::fs::copy(e.path(), to).unwrap();
        }
    }
}

#[tokio::test]
async fn reuse_values_quirk_matches_helm() {
    let mut env = Env::new("lc-reuse").await;
    env.manager = "python";
    let dir = scratch(&env);
    let v2 = chart_v2(&dir);
    let all = |env: &Env, name: &str| -> Value {
        serde_json::from_str(&env.ok(&["get", "values", name, "--all", "-o", "json"])).unwrap()
    };
    let user = |env: &Env, name: &str| -> Value {
        serde_json::from_str(&env.ok(&["get", "values", name, "-o", "json"])).unwrap()
    };
    // The same sequence with both tools.
    env.ok(&["install", "o", &chart(), "--set", "message=one"]);
    env.helm(&["install", "h", &chart(), "--set", "message=one"]);
    env.ok(&["upgrade", "o", &v2, "--reuse-values", "--set", "replicas=2"]);
    env.helm(&["upgrade", "h", &v2, "--reuse-values", "--set", "replicas=2"]);
    let ours = all(&env, "o");
    let helms = env.helm(&["get-values", "h", "--all"]);
    assert_eq!(ours, helms, "--reuse-values: get values --all");
    assert!(
        ours.get("addedIn2").is_none(),
        "Helm's quirk: new defaults dropped: {ours}"
    );
    assert_eq!(user(&env, "o"), env.helm(&["get-values", "h"]));

    // No values at all: the old user values are reused as they are.
    env.ok(&["upgrade", "o", &v2]);
    env.helm(&["upgrade", "h", &v2]);
    assert_eq!(all(&env, "o"), env.helm(&["get-values", "h", "--all"]));
    assert_eq!(all(&env, "o")["addedIn2"], "fresh");

    // --reset-values.
    env.ok(&["upgrade", "o", &v2, "--reset-values", "--set", "extra=true"]);
    env.helm(&["upgrade", "h", &v2, "--reset-values", "--set", "extra=true"]);
    assert_eq!(all(&env, "o"), env.helm(&["get-values", "h", "--all"]));

    // --reset-then-reuse-values: new chart defaults, old user values, new
    // overrides on top. The SDK has no such option, so Helm gets the
    // merged user values explicitly (what Helm's CoalesceTables gives).
    env.ok(&[
        "upgrade",
        "o",
        &v2,
        "--reset-then-reuse-values",
        "--set",
        "message=two",
    ]);
    env.helm(&[
        "upgrade",
        "h",
        &v2,
        "--reset-values",
        "--set",
        "extra=true",
        "--set",
        "message=two",
    ]);
    assert_eq!(all(&env, "o"), env.helm(&["get-values", "h", "--all"]));
    assert_eq!(user(&env, "o"), env.helm(&["get-values", "h"]));
    env.done().await;
}

#[tokio::test]
async fn install_over_a_failed_release_needs_replace_and_upgrade_works() {
    let mut env = Env::new("lc-failed").await;
    env.manager = "python";
    let failing = ["--set", "hook.enabled=true", "--set", "hook.fail=true"];
    let mut args = vec!["install", "f", chart().leak()];
    args.extend(failing);
    env.fail(&args);
    assert_eq!(record(&env, "f", 1).await["info"]["status"], "failed");
    // Helm and origanctl both refuse the name without --replace.
    let err = env.fail(&["install", "f", &chart()]);
    assert!(
        err.contains("cannot reuse a name that is still in use"),
        "{err}"
    );
    let py = common::repo_root().join(".local/helm-venv/bin/python");
    let helm = std::process::Command::new(py)
        .arg(common::helm_ref_script())
        .args(["install", "f", &chart(), "-n", &env.ns])
        .output()
        .unwrap();
    assert!(!helm.status.success());
    assert!(
        String::from_utf8_lossy(&helm.stdout).contains("cannot reuse a name that is still in use")
    );
    assert_eq!(record_count(&env, "f").await, 1);
    // --replace installs revision 2 and leaves revision 1 failed.
    env.ok(&["install", "f", &chart(), "--replace"]);
    assert_eq!(record(&env, "f", 1).await["info"]["status"], "failed");
    assert_eq!(record(&env, "f", 2).await["info"]["status"], "deployed");
    // After uninstall --keep-history the name is also taken, --replace reuses it.
    env.ok(&["uninstall", "f", "--keep-history"]);
    env.fail(&["install", "f", &chart()]);
    env.ok(&["install", "f", &chart(), "--replace"]);
    assert_eq!(record(&env, "f", 3).await["info"]["status"], "deployed");

    // A failed first install can be upgraded (Helm behaviour), by either tool.
    let mut args = vec!["install", "g", chart().leak()];
    args.extend(failing);
    env.fail(&args);
    // (An upgrade without values would reuse the failing ones.)
    env.ok(&["upgrade", "g", &chart(), "--set", "hook.fail=false"]);
    let h = env.history_json("g");
    let st: Vec<&str> = h.iter().map(|r| r["status"].as_str().unwrap()).collect();
    assert_eq!(st, ["failed", "deployed"]);
    env.ok(&["uninstall", "g"]);
    env.fail(&args);
    env.helm(&["upgrade", "g", &chart(), "--set", "hook.fail=false"]);
    assert_eq!(record(&env, "g", 2).await["info"]["status"], "deployed");
    env.done().await;
}

#[tokio::test]
async fn uninstall_cascade_orphan_and_foreground_wait() {
    let env = Env::new("lc-cascade").await;
    let rss: Api<ReplicaSet> = Api::namespaced(env.client.clone(), &env.ns);
    let deps: Api<Deployment> = Api::namespaced(env.client.clone(), &env.ns);
    let rs_of = |app: String| {
        let rss = rss.clone();
        async move {
            rss.list(&ListParams::default().labels(&format!("app={app}")))
                .await
                .unwrap()
                .items
        }
    };
    for name in ["orph", "fore"] {
        env.ok(&["install", name, &chart(), "--wait", "--timeout", "60s"]);
    }
    assert!(!rs_of("orph-web".into()).await.is_empty());

    env.ok(&["uninstall", "orph", "--cascade", "orphan", "--wait"]);
    assert!(deps.get_opt("orph-web").await.unwrap().is_none());
    let left = rs_of("orph-web".into()).await;
    assert_eq!(left.len(), 1, "orphan leaves the ReplicaSet");
    assert!(
        left[0]
            .metadata
            .owner_references
            .as_ref()
            .is_none_or(|o| o.is_empty()),
        "and drops its owner reference"
    );

    env.ok(&[
        "uninstall",
        "fore",
        "--cascade",
        "foreground",
        "--wait",
        "--timeout",
        "60s",
    ]);
    // Foreground: the Deployment goes only after its dependents, and
    // --wait returned only once it was gone.
    assert!(deps.get_opt("fore-web").await.unwrap().is_none());
    assert!(rs_of("fore-web".into()).await.is_empty());

    let err = env.fail(&["uninstall", "x", "--cascade", "sideways"]);
    assert!(
        err.contains(
            r#"invalid cascade value (sideways). Must be "background", "foreground", or "orphan""#
        ),
        "{err}"
    );
    env.done().await;
}

#[tokio::test]
async fn client_side_patch_merges_lists_by_key_as_helm_does() {
    let mut env = Env::new("lc-csa").await;
    env.manager = "python";
    let deps: Api<Deployment> = Api::namespaced(env.client.clone(), &env.ns);
    let containers = |d: Deployment| -> Vec<String> {
        d.spec
            .unwrap()
            .template
            .spec
            .unwrap()
            .containers
            .into_iter()
            .map(|c| c.name)
            .collect()
    };
    // The test chart with the container image as a value.
    let dir = scratch(&env).join("img");
    copy_dir(Path::new(&chart()), &dir);
    let dep = dir.join("templates/deployment.yaml");
    let text = std::fs::read_to_string(&dep).unwrap();
    std::fs::write(
        &dep,
        text.replace(
            "image: nginx:1.27",
            "image: {{ .Values.image | default \"nginx:1.27\" }}",
        ),
    )
    .unwrap();
    let chart = dir.display().to_string();
    for name in ["o", "h"] {
        env.ok(&["install", name, &chart, "--server-side=false"]);
        // Another actor injects a sidecar (as admission webhooks do).
        let pp = PatchParams {
            field_manager: Some("injector".into()),
            ..PatchParams::default()
        };
        let sidecar = json!({"spec": {"template": {"spec": {"containers": [{"name": "sidecar", "image": "busybox"}]}}}});
        deps.patch(&format!("{name}-web"), &pp, &Patch::Strategic(sidecar))
            .await
            .unwrap();
    }
    // The same change by origanctl and by Helm (auto: client-side).
    // The container list itself changes: a JSON merge patch would replace
    // it (dropping the sidecar), a strategic one merges by name.
    env.ok(&[
        "upgrade",
        "o",
        &chart,
        "--set",
        "replicas=2",
        "--set",
        "image=nginx:1.28",
    ]);
    env.helm(&[
        "upgrade",
        "h",
        &chart,
        "--set",
        "replicas=2",
        "--set",
        "image=nginx:1.28",
    ]);
    let o = deps.get("o-web").await.unwrap();
    let h = deps.get("h-web").await.unwrap();
    assert_eq!(o.spec.as_ref().unwrap().replicas, Some(2));
    let image = |d: &Deployment| -> Vec<Option<String>> {
        let spec = d.spec.clone().unwrap().template.spec.unwrap();
        spec.containers
            .into_iter()
            .filter(|c| c.name == "web")
            .map(|c| c.image)
            .collect()
    };
    assert_eq!(image(&o), [Some("nginx:1.28".to_string())]);
    assert_eq!(image(&o), image(&h));
    assert_eq!(
        containers(o),
        containers(h),
        "strategic merge keeps the sidecar, as Helm's"
    );
    let mut names = containers(deps.get("o-web").await.unwrap());
    names.sort();
    assert_eq!(names, ["sidecar", "web"]);
    assert_eq!(record(&env, "o", 2).await["apply_method"], "csa");
    env.done().await;
}
