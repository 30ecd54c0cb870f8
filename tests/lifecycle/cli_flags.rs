//! The install/upgrade/uninstall flags of issue 6 one by one, each checked
//! through the API server (objects, release Secrets) and, where the reference
//! Helm has the same view (list filters, stored values), against it.
//! The big scenarios (interop, locking, SIGKILL, --atomic) are in main.rs.

use std::collections::BTreeSet;

use k8s_openapi::api::batch::v1::Job;
use k8s_openapi::api::core::v1::{ConfigMap, Namespace, Pod, Secret, Service};
use kube::Api;
use kube::api::{DeleteParams, ListParams, PostParams};
use serde_json::{Value, json};

use super::common;
use super::support::{Env, chart};

/// The newest release Secret's labels of `name`.
async fn record_labels(env: &Env, ns: &str, name: &str, rev: u32) -> Value {
    let secrets: Api<Secret> = Api::namespaced(env.client.clone(), ns);
    let s = secrets
        .get(&format!("sh.helm.release.v1.{name}.v{rev}"))
        .await
        .unwrap_or_else(|e| panic!("release record {name} v{rev} in {ns}: {e}"));
    serde_json::to_value(s.metadata.labels.unwrap_or_default()).unwrap()
}

#[tokio::test]
async fn install_generate_name_create_namespace_description_labels_no_hooks() {
    let env = Env::new("lc-iflags").await;
    // A namespace that does not exist yet: --create-namespace makes it.
    let target = common::unique_name("lc-newns");
    let out = env.ok_in(
        &target,
        &[
            "install",
            &chart(),
            "--generate-name",
            "--create-namespace",
            "--description",
            "first of its name",
            "--labels",
            "team=platform,tier=web",
            "--set",
            "hook.enabled=true",
            "--no-hooks",
            "-o",
            "json",
        ],
    );
    let rel: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("-o json: {e}: {out}"));
    let name = rel["name"].as_str().unwrap().to_string();
    // Helm's generated name: the chart name and the Unix time in seconds.
    let suffix = name
        .strip_prefix("basic-")
        .unwrap_or_else(|| panic!("{name}"));
    assert!(
        suffix.len() == 10 && suffix.bytes().all(|b| b.is_ascii_digit()),
        "{name}"
    );
    assert_eq!(rel["namespace"], target.as_str());
    assert_eq!(rel["info"]["description"], "first of its name");
    let nss: Api<Namespace> = Api::all(env.client.clone());
    assert!(nss.get_opt(&target).await.unwrap().is_some());

    // --labels land on the record's Secret, beside Helm's own labels.
    let labels = record_labels(&env, &target, &name, 1).await;
    assert_eq!(labels["team"], "platform");
    assert_eq!(labels["tier"], "web");
    assert_eq!(labels["owner"], "helm");

    // --no-hooks: the pre-install hook Job was never created, the manifest was.
    let jobs: Api<Job> = Api::namespaced(env.client.clone(), &target);
    assert!(
        jobs.get_opt(&format!("{name}-migrate"))
            .await
            .unwrap()
            .is_none()
    );
    let cms: Api<ConfigMap> = Api::namespaced(env.client.clone(), &target);
    assert!(
        cms.get_opt(&format!("{name}-config"))
            .await
            .unwrap()
            .is_some()
    );
    // The hook is still recorded (Helm keeps hooks in the release even when
    // it does not run them).
    let hooks = env.ok_in(&target, &["get", "hooks", &name]);
    assert!(hooks.contains(&format!("name: {name}-migrate")), "{hooks}");

    // The reference Helm reads the description and the custom labels.
    let all = env.helm_in(&target, &["get-all", &name]);
    assert_eq!(all["info"]["description"], "first of its name", "{all}");
    let st = env.helm_in(&target, &["status", &name]);
    assert_eq!(st["labels"]["team"], "platform", "{st}");

    env.ok_in(&target, &["uninstall", &name, "--wait"]);
    common::delete_ns(&env.client, &target).await;
    env.done().await;
}

#[tokio::test]
async fn wait_for_jobs_waits_and_names_a_failed_job() {
    let env = Env::new("lc-jobs").await;
    env.ok(&[
        "install",
        "batch",
        &chart(),
        "--set",
        "job.enabled=true",
        "--wait",
        "--wait-for-jobs",
        "--timeout",
        "60s",
    ]);
    // The command returned only once the Job's pod had succeeded (a
    // one-pod Job is judged by its pod, before the Job controller's batched
    // `Complete`: COMPATIBILITY.md).
    let jobs: Api<Job> = Api::namespaced(env.client.clone(), &env.ns);
    let uid = jobs.get("batch-task").await.unwrap().metadata.uid.unwrap();
    let pods: Api<Pod> = Api::namespaced(env.client.clone(), &env.ns);
    let lp = ListParams::default().labels(&format!("batch.kubernetes.io/controller-uid={uid}"));
    let phases: Vec<String> = pods
        .list(&lp)
        .await
        .unwrap()
        .items
        .into_iter()
        .filter_map(|p| p.status.and_then(|s| s.phase))
        .collect();
    assert_eq!(phases, ["Succeeded"]);

    // A Job whose pod fails: the upgrade fails and names it.
    let err = env.fail(&[
        "upgrade",
        "failing",
        &chart(),
        "--install",
        "--set",
        "job.enabled=true",
        "--set",
        "job.fail=true",
        "--wait",
        "--wait-for-jobs",
        "--timeout",
        "30s",
    ]);
    assert!(err.contains("failing-task"), "{err}");
    let hist = env.history_json("failing");
    assert_eq!(hist.last().unwrap()["status"], "failed");
    env.done().await;
}

#[tokio::test]
async fn take_ownership_adopts_an_unmanaged_object() {
    let env = Env::new("lc-own").await;
    let cms: Api<ConfigMap> = Api::namespaced(env.client.clone(), &env.ns);
    // Made by hand with the chart's own data: Helm v4 adopts with
    // server-side apply, which (without --force-conflicts) would refuse to
    // take a field another manager set to a different value.
    let stray: ConfigMap = serde_json::from_value(json!({
        "apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": "own-config", "labels": {"made-by": "hand"}},
        "data": {"message": "hello"}
    }))
    .unwrap();
    cms.create(&PostParams::default(), &stray).await.unwrap();

    // Helm refuses to install over an object it does not own ...
    let err = env.fail(&["install", "own", &chart()]);
    assert!(
        err.contains("own-config") && err.contains("ownership"),
        "{err}"
    );
    let cm = cms.get("own-config").await.unwrap();
    assert!(
        cm.metadata.annotations.unwrap_or_default().is_empty(),
        "nothing applied by the refused install"
    );
    assert!(env.history_json_opt("own").is_none(), "no release recorded");
    // ... unless told to take it over.
    env.ok(&["upgrade", "own", &chart(), "--install", "--take-ownership"]);
    let cm = cms.get("own-config").await.unwrap();
    assert_eq!(cm.metadata.labels.unwrap()["made-by"], "hand");
    let ann = cm.metadata.annotations.unwrap();
    assert_eq!(ann["meta.helm.sh/release-name"], "own");
    assert_eq!(ann["meta.helm.sh/release-namespace"], env.ns.as_str());
    env.done().await;
}

#[tokio::test]
async fn history_max_reset_values_and_cleanup_on_fail() {
    let env = Env::new("lc-uflags").await;
    env.ok(&["install", "app", &chart(), "--set", "message=one"]);
    for m in ["two", "three", "four"] {
        env.ok(&[
            "upgrade",
            "app",
            &chart(),
            "--set",
            &format!("message={m}"),
            "--history-max",
            "2",
        ]);
    }
    // Only the newest two records are kept, and Helm agrees.
    let revs: Vec<u64> = env
        .history_json("app")
        .iter()
        .map(|r| r["revision"].as_u64().unwrap())
        .collect();
    assert_eq!(revs, [3, 4]);
    let helm_revs: Vec<u64> = env.helm(&["history", "app"])["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["revision"].as_u64().unwrap())
        .collect();
    assert_eq!(helm_revs, [3, 4]);

    // --reset-values: back to the chart's defaults.
    env.ok(&["upgrade", "app", &chart(), "--reset-values"]);
    let cms: Api<ConfigMap> = Api::namespaced(env.client.clone(), &env.ns);
    assert_eq!(
        cms.get("app-config").await.unwrap().data.unwrap()["message"],
        "hello"
    );
    let user: Value = serde_json::from_str(&env.ok(&["get", "values", "app", "-o", "json"]))
        .unwrap_or(Value::Null);
    assert!(
        user.is_null() || user.as_object().is_some_and(|m| m.is_empty()),
        "{user}"
    );

    // --cleanup-on-fail: the Service the failed upgrade created is deleted,
    // the release is marked failed, the ConfigMap it kept exists.
    let err = env.fail(&[
        "upgrade",
        "app",
        &chart(),
        "--set",
        "extra=true",
        "--set",
        "neverReady=true",
        "--wait",
        "--timeout",
        "3s",
        "--cleanup-on-fail",
    ]);
    assert!(err.contains("app-web"), "{err}");
    let svcs: Api<Service> = Api::namespaced(env.client.clone(), &env.ns);
    assert!(svcs.get_opt("app-svc").await.unwrap().is_none());
    assert!(cms.get_opt("app-config").await.unwrap().is_some());
    assert_eq!(env.history_json("app").last().unwrap()["status"], "failed");
    env.done().await;
}

#[tokio::test]
async fn list_status_and_get_agree_with_helm() {
    let env = Env::new("lc-read").await;
    env.ok(&["install", "alpha", &chart()]);
    env.ok(&["upgrade", "alpha", &chart(), "--set", "message=again"]);
    env.ok(&["install", "beta", &chart()]);
    env.ok(&["uninstall", "beta", "--keep-history"]);
    env.fail(&[
        "install",
        "gamma",
        &chart(),
        "--set",
        "hook.enabled=true",
        "--set",
        "hook.fail=true",
        "--timeout",
        "30s",
    ]);

    let names = |v: Value| -> BTreeSet<String> {
        v.as_array()
            .unwrap_or_else(|| panic!("{v}"))
            .iter()
            .map(|r| r["name"].as_str().unwrap().to_string())
            .collect()
    };
    let ours = |args: &[&str]| names(serde_json::from_str(&env.ok(args)).unwrap());
    let helm = |args: &[&str]| names(env.helm(args)["releases"].clone());
    // Helm's CLI default is deployed and failed (`helm list --help`); the
    // SDK's list has no such default, so only -a and --filter are compared.
    assert_eq!(ours(&["list", "-o", "json"]), set(&["alpha", "gamma"]));
    assert_eq!(ours(&["list", "-a", "-o", "json"]), helm(&["list", "-a"]));
    assert_eq!(
        ours(&["list", "-a", "-o", "json"]),
        set(&["alpha", "beta", "gamma"])
    );
    assert_eq!(
        ours(&["list", "-a", "--filter", "^(al|be)", "-o", "json"]),
        helm(&["list", "-a", "--filter", "^(al|be)"])
    );
    assert_eq!(
        ours(&["list", "--uninstalled", "-o", "json"]),
        set(&["beta"])
    );
    assert_eq!(ours(&["list", "--failed", "-o", "json"]), set(&["gamma"]));
    // -A from another namespace finds them, with their namespace.
    let all: Value =
        serde_json::from_str(&env.ok_in("default", &["list", "-A", "-o", "json"])).unwrap();
    assert!(
        all.as_array()
            .unwrap()
            .iter()
            .any(|r| r["name"] == "alpha" && r["namespace"] == env.ns.as_str()),
        "{all}"
    );
    let short = env.ok(&["list", "-q"]);
    assert_eq!(short.lines().collect::<BTreeSet<_>>().len(), 2, "{short}");

    // status and get at an older revision.
    let st: Value =
        serde_json::from_str(&env.ok(&["status", "alpha", "--revision", "1", "-o", "json"]))
            .unwrap();
    assert_eq!(st["version"], 1);
    assert_eq!(st["info"]["status"], "superseded");
    let yaml = env.ok(&["history", "alpha", "-o", "yaml"]);
    assert!(yaml.contains("revision: 2"), "{yaml}");
    for (rev, all) in [("1", false), ("2", false), ("2", true)] {
        let mut args = vec!["get", "values", "alpha", "--revision", rev, "-o", "json"];
        let mut href = vec!["get-values", "alpha", "--revision", rev];
        if all {
            args.push("--all");
            href.push("--all");
        }
        let ours: Value = serde_json::from_str(&env.ok(&args)).unwrap();
        let theirs = env.helm(&href);
        let theirs = theirs.get("values").cloned().unwrap_or(theirs);
        assert_eq!(norm(ours), norm(theirs), "get values rev {rev} --all={all}");
    }
    let notes = env.ok(&["get", "notes", "alpha"]);
    assert!(notes.contains("Thanks for installing alpha."), "{notes}");
    // Without --revision Helm's labels include its system labels, with one
    // they do not (Query vs Get); both tools agree either way.
    for rev in [None, Some("1"), Some("2")] {
        let mut args = vec!["get", "metadata", "alpha", "-o", "json"];
        let mut href = vec!["get-metadata", "alpha"];
        if let Some(r) = rev {
            args.extend(["--revision", r]);
            href.extend(["--revision", r]);
        }
        let mut ours: Value = serde_json::from_str(&env.ok(&args)).unwrap();
        let mut theirs = env.helm(&href);
        // The apply method is compared by the --server-side tests.
        for v in [&mut ours, &mut theirs] {
            v.as_object_mut().unwrap().remove("applyMethod");
        }
        assert_eq!(ours, theirs, "get metadata --revision {rev:?}");
    }
    let all = env.ok(&["get", "all", "alpha", "--revision", "1"]);
    assert!(
        all.contains("message: \"hello\"") && all.contains("Thanks for installing alpha."),
        "{all}"
    );
    env.done().await;
}

#[tokio::test]
async fn kube_context_kubeconfig_env_and_exec_plugin() {
    let env = Env::new("lc-kcfg").await;
    let dir = std::env::temp_dir().join(common::unique_name("origanctl-kcfg"));
    std::fs::create_dir_all(&dir).unwrap();
    let real = common::kubeconfig_path();
    let view = |path: &str| -> String {
        let out = std::process::Command::new("kubectl")
            .args(["config", "view", "--raw", "--kubeconfig"])
            .arg(&real)
            .args(["-o", &format!("jsonpath={{{path}}}")])
            .output()
            .expect("kubectl");
        String::from_utf8(out.stdout).unwrap()
    };
    let server = view(".clusters[0].cluster.server");
    let ca = view(".clusters[0].cluster.certificate-authority-data");
    let cert = view(".users[0].user.client-certificate-data");
    let key = view(".users[0].user.client-key-data");
    assert!(
        !server.is_empty() && !cert.is_empty(),
        "kubeconfig {real:?}"
    );

    // An exec credential plugin that hands out the admin client certificate,
    // as cloud plugins hand out tokens or certificates.
    let decode = |b64: &str| -> String {
        let out = std::process::Command::new("base64")
            .arg("-d")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .and_then(|mut c| {
                use std::io::Write;
                c.stdin.take().unwrap().write_all(b64.as_bytes())?;
                c.wait_with_output()
            })
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let cred = json!({
        "apiVersion": "client.authentication.k8s.io/v1",
        "kind": "ExecCredential",
        "status": {"clientCertificateData": decode(&cert), "clientKeyData": decode(&key)}
    });
    let cred_path = dir.join("cred.json");
    std::fs::write(&cred_path, cred.to_string()).unwrap();
    // The current context points at a closed port; only --kube-context
    // selects the working one.
    let kubeconfig = json!({
        "apiVersion": "v1", "kind": "Config", "current-context": "broken",
        "clusters": [
            {"name": "local", "cluster": {"server": server, "certificate-authority-data": ca}},
            {"name": "closed", "cluster": {"server": "https://127.0.0.1:1"}}
        ],
        "users": [{"name": "plugin", "user": {"exec": {
            "apiVersion": "client.authentication.k8s.io/v1",
            "command": "cat", "args": [cred_path.display().to_string()],
            "interactiveMode": "Never"
        }}}],
        "contexts": [
            {"name": "broken", "context": {"cluster": "closed", "user": "plugin"}},
            {"name": "good", "context": {"cluster": "local", "user": "plugin", "namespace": env.ns}}
        ]
    });
    let kpath = dir.join("config");
    std::fs::write(&kpath, kubeconfig.to_string()).unwrap();
    let kpath = kpath.display().to_string();

    let run = |args: &[&str], kubeconfig_env: Option<&str>| {
        let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_origanctl"));
        c.args(args)
            .env_remove("KUBECONFIG")
            .env_remove("HELM_DRIVER");
        if let Some(k) = kubeconfig_env {
            c.env("KUBECONFIG", k);
        }
        c.output().expect("run origanctl")
    };
    // KUBECONFIG from the environment, the context's namespace as default.
    let out = run(
        &["install", "ctx", &chart(), "--kube-context", "good"],
        Some(&kpath),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let cms: Api<ConfigMap> = Api::namespaced(env.client.clone(), &env.ns);
    assert!(cms.get_opt("ctx-config").await.unwrap().is_some());
    // --kubeconfig on the command line, the broken current context: a clear error.
    let out = run(&["list", "--kubeconfig", &kpath], None);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("127.0.0.1:1"), "{err}");
    let out = run(
        &[
            "list",
            "--kubeconfig",
            &kpath,
            "--kube-context",
            "good",
            "-q",
        ],
        None,
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "ctx");
    std::fs::remove_dir_all(&dir).ok();
    env.done().await;
}

#[tokio::test]
async fn skip_crds_and_crds_first() {
    let env = Env::new("lc-crds").await;
    // A chart whose crds/ holds a CRD with a group unique to this run (CRDs
    // are cluster-wide and Helm never deletes them).
    let group = format!("{}.lc.origanctl.test", common::unique_name("w"));
    let dir = std::env::temp_dir().join(common::unique_name("origanctl-crdchart"));
    std::fs::create_dir_all(dir.join("crds")).unwrap();
    std::fs::create_dir_all(dir.join("templates")).unwrap();
    std::fs::write(
        dir.join("Chart.yaml"),
        "apiVersion: v2\nname: crdchart\nversion: 0.1.0\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("crds/widget.yaml"),
        format!(
            "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n\
             metadata:\n  name: widgets.{group}\nspec:\n  group: {group}\n  scope: Namespaced\n\
             \x20 names: {{plural: widgets, singular: widget, kind: Widget}}\n\
             \x20 versions:\n  - name: v1\n    served: true\n    storage: true\n\
             \x20   schema: {{openAPIV3Schema: {{type: object, x-kubernetes-preserve-unknown-fields: true}}}}\n"
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("templates/cm.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-cm\n",
    )
    .unwrap();
    let chart_dir = dir.display().to_string();
    let crds: Api<k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition> =
        Api::all(env.client.clone());
    let crd_name = format!("widgets.{group}");

    env.ok(&["install", "nocrd", &chart_dir, "--skip-crds"]);
    assert!(crds.get_opt(&crd_name).await.unwrap().is_none());
    env.ok(&["install", "withcrd", &chart_dir]);
    let crd = crds.get(&crd_name).await.unwrap();
    let established = crd
        .status
        .and_then(|s| s.conditions)
        .unwrap_or_default()
        .iter()
        .any(|c| c.type_ == "Established" && c.status == "True");
    assert!(established, "install returns once the CRD is Established");
    crds.delete(&crd_name, &DeleteParams::default()).await.ok();
    std::fs::remove_dir_all(&dir).ok();
    env.done().await;
}

#[tokio::test]
async fn rollback_and_uninstall_flags() {
    let env = Env::new("lc-rbflags").await;
    let cms: Api<ConfigMap> = Api::namespaced(env.client.clone(), &env.ns);
    let svcs: Api<Service> = Api::namespaced(env.client.clone(), &env.ns);
    let exists = |name: &'static str| {
        let cms = cms.clone();
        async move { cms.get_opt(name).await.unwrap().is_some() }
    };
    let hooks = ["--set", "lifecycleHooks=true"];
    env.ok(&[&["install", "rb", &chart()][..], &hooks].concat());
    env.ok(&[
        &["upgrade", "rb", &chart(), "--set", "message=two"][..],
        &hooks,
    ]
    .concat());

    // --no-hooks skips pre-rollback; --history-max prunes on rollback too.
    env.ok(&["rollback", "rb", "1", "--no-hooks", "--history-max", "2"]);
    assert!(!exists("rb-pre-rollback").await);
    let revs: Vec<u64> = env
        .history_json("rb")
        .iter()
        .map(|r| r["revision"].as_u64().unwrap())
        .collect();
    assert_eq!(revs, [2, 3]);
    assert_eq!(
        cms.get("rb-config").await.unwrap().data.unwrap()["message"],
        "hello"
    );
    // With hooks, --wait and --timeout.
    env.ok(&["rollback", "rb", "2", "--wait", "--timeout", "30s"]);
    assert!(exists("rb-pre-rollback").await);
    assert_eq!(
        cms.get("rb-config").await.unwrap().data.unwrap()["message"],
        "two"
    );
    let one = env.ok(&["history", "rb", "--max", "1", "-o", "json"]);
    let one: Vec<Value> = serde_json::from_str(&one).unwrap();
    assert_eq!(one.len(), 1);
    assert_eq!(one[0]["description"], "Rollback to 2");

    // rollback --cleanup-on-fail: rolling back to a revision whose
    // Deployment never becomes ready fails, and the Service that rollback
    // created is deleted again.
    env.ok(&[
        "upgrade",
        "rb",
        &chart(),
        "--set",
        "extra=true",
        "--set",
        "neverReady=true",
    ]);
    let bad = env.history_json("rb").last().unwrap()["revision"].to_string();
    env.ok(&["upgrade", "rb", &chart(), "--reset-values"]);
    assert!(svcs.get_opt("rb-svc").await.unwrap().is_none());
    let err = env.fail(&[
        "rollback",
        "rb",
        &bad,
        "--wait",
        "--timeout",
        "3s",
        "--cleanup-on-fail",
    ]);
    assert!(err.contains("rb-web"), "{err}");
    assert!(svcs.get_opt("rb-svc").await.unwrap().is_none());
    assert_eq!(env.history_json("rb").last().unwrap()["status"], "failed");

    // uninstall --no-hooks runs no pre-delete hook; a plain one does.
    env.ok(&["uninstall", "rb", "--no-hooks", "--wait"]);
    assert!(!exists("rb-pre-delete").await);
    env.ok(&[&["install", "rb2", &chart()][..], &hooks].concat());
    env.ok(&["uninstall", "rb2", "--wait", "--timeout", "30s"]);
    let cm2: Api<ConfigMap> = Api::namespaced(env.client.clone(), &env.ns);
    assert!(cm2.get_opt("rb2-pre-delete").await.unwrap().is_some());
    assert!(cm2.get_opt("rb2-config").await.unwrap().is_none());
    env.done().await;
}

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|s| s.to_string()).collect()
}

/// `null` and `{}` both mean "no user values" (Helm prints `null` for a
/// release installed without any).
fn norm(v: Value) -> Value {
    match v {
        Value::Null => json!({}),
        v => v,
    }
}
