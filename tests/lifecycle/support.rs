//! Helpers for the lifecycle tests: a namespace per test, running the
//! origanctl binary and the reference Helm, seeding records.

use std::collections::BTreeMap;
use std::process::{Command, Stdio};
use std::time::Duration;

use kube::Client;
use serde_json::Value;

use super::common;

/// The test chart.
pub fn chart() -> String {
    common::repo_root()
        .join("tests/lifecycle/charts/basic")
        .display()
        .to_string()
}

/// One test's namespace and client.
pub struct Env {
    pub client: Client,
    pub ns: String,
    /// The field manager origanctl applies with: `helm` as Helm's CLI, or
    /// `python` to share objects with the reference Helm SDK, whose field
    /// manager is its executable's name.
    pub manager: &'static str,
}

impl Env {
    pub async fn new(prefix: &str) -> Env {
        origan_kube::init_crypto();
        let client = common::kube_client().await;
        let ns = common::unique_ns(&client, prefix).await;
        Env {
            client,
            ns,
            manager: "helm",
        }
    }

    pub async fn done(self) {
        common::delete_ns(&self.client, &self.ns).await;
    }

    fn cmd(&self, args: &[&str], envs: &[(&str, &str)]) -> Command {
        self.cmd_in(&self.ns, args, envs)
    }

    fn cmd_in(&self, ns: &str, args: &[&str], envs: &[(&str, &str)]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_origanctl"));
        c.args(args)
            .arg("-n")
            .arg(ns)
            .arg("--kubeconfig")
            .arg(common::kubeconfig_path())
            .env_remove("HELM_DRIVER")
            .env_remove("KUBECONFIG")
            .env("ORIGANCTL_FIELD_MANAGER", self.manager);
        for (k, v) in envs {
            c.env(k, v);
        }
        c
    }

    fn run(&self, args: &[&str], envs: &[(&str, &str)]) -> (bool, String, String) {
        let out = self.cmd(args, envs).output().expect("run origanctl");
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// Runs and requires success; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        self.ok_env(args, &[])
    }

    pub fn ok_env(&self, args: &[&str], envs: &[(&str, &str)]) -> String {
        let (ok, out, err) = self.run(args, envs);
        assert!(ok, "origanctl {args:?} failed:\n{out}\n{err}");
        out
    }

    /// Runs in namespace `ns` (not the test's own) and requires success;
    /// returns stdout.
    pub fn ok_in(&self, ns: &str, args: &[&str]) -> String {
        let out = self.cmd_in(ns, args, &[]).output().expect("run origanctl");
        let (o, e) = (
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
        );
        assert!(
            out.status.success(),
            "origanctl {args:?} -n {ns} failed:\n{o}\n{e}"
        );
        o.into_owned()
    }

    /// Runs and requires success; returns stdout + stderr.
    pub fn ok_all(&self, args: &[&str]) -> String {
        let (ok, out, err) = self.run(args, &[]);
        assert!(ok, "origanctl {args:?} failed:\n{out}\n{err}");
        format!("{out}{err}")
    }

    /// Runs with extra environment and requires success; stdout + stderr.
    pub fn ok_all_env(&self, args: &[&str], envs: &[(&str, &str)]) -> String {
        let (ok, out, err) = self.run(args, envs);
        assert!(ok, "origanctl {args:?} failed:\n{out}\n{err}");
        format!("{out}{err}")
    }

    /// Runs and requires failure; returns stderr.
    pub fn fail(&self, args: &[&str]) -> String {
        let (ok, out, err) = self.run(args, &[]);
        assert!(!ok, "origanctl {args:?} should fail:\n{out}\n{err}");
        err
    }

    pub fn spawn(&self, args: &[&str]) -> std::process::Child {
        self.cmd(args, &[])
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn origanctl")
    }

    /// Spawns with stderr captured (progress lines), stdout discarded.
    pub fn spawn_capture(&self, args: &[&str]) -> std::process::Child {
        self.cmd(args, &[])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn origanctl")
    }

    /// The history, or None when the release has none.
    pub fn history_json_opt(&self, name: &str) -> Option<Vec<Value>> {
        let (ok, out, _) = self.run(&["history", name, "-o", "json"], &[]);
        ok.then(|| serde_json::from_str(&out).unwrap())
    }

    pub fn history_json(&self, name: &str) -> Vec<Value> {
        serde_json::from_str(&self.ok(&["history", name, "-o", "json"])).unwrap()
    }

    /// The reference Helm (JSON out).
    pub fn helm(&self, args: &[&str]) -> Value {
        self.helm_in(&self.ns, args)
    }

    /// The reference Helm in namespace `ns`.
    pub fn helm_in(&self, ns: &str, args: &[&str]) -> Value {
        let py = common::repo_root().join(".local/helm-venv/bin/python");
        let out = Command::new(py)
            .arg(common::helm_ref_script())
            .args(args)
            .arg("-n")
            .arg(ns)
            .output()
            .expect("run tests/helm_ref.py (make helm-ref)");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "helm_ref {args:?} failed:\n{text}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("helm_ref {args:?}: {e}: {text}"))
    }

    pub async fn origan_kube(&self) -> origan_kube::Kube {
        origan_kube::Kube::connect(&origan_kube::ClientOptions {
            kubeconfig: Some(common::kubeconfig_path()),
            context: None,
            namespace: Some(self.ns.clone()),
        })
        .await
        .unwrap()
    }
}

/// Waits until the newest record of `name` has `status`.
pub async fn wait_for_status(env: &Env, name: &str, status: &str) {
    let secrets: kube::Api<k8s_openapi::api::core::v1::Secret> =
        kube::Api::namespaced(env.client.clone(), &env.ns);
    let sel = format!("owner=helm,name={name},status={status}");
    common::poll_until(Duration::from_secs(30), status, || {
        let secrets = secrets.clone();
        let sel = sel.clone();
        async move {
            let l = secrets
                .list(&kube::api::ListParams::default().labels(&sel))
                .await
                .ok()?;
            (!l.items.is_empty()).then_some(())
        }
    })
    .await;
}

/// Writes `releases` × `revisions` records through origanctl's Secret driver.
pub async fn seed_records(env: &Env, releases: usize, revisions: u32) {
    use origanctl::release::driver::{Backend, Storage};
    use origanctl::release::{ChartRecord, Release, Status};
    let storage = Storage::new(Backend::Secrets(env.origan_kube().await));
    let mut tasks = Vec::new();
    for i in 0..releases {
        let storage = storage.clone();
        let ns = env.ns.clone();
        tasks.push(tokio::spawn(async move {
            for v in 1..=revisions {
                let mut r = Release {
                    name: format!("r{i:03}"),
                    version: v,
                    namespace: ns.clone(),
                    chart: Some(ChartRecord {
                        metadata: serde_json::json!({"name": "basic", "version": "0.1.0", "appVersion": "1.0"}),
                        ..ChartRecord::default()
                    }),
                    manifest: "---\n# Source: basic/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\n".repeat(50),
                    ..Release::default()
                };
                r.info.status = if v == revisions { Status::Deployed } else { Status::Superseded };
                r.info.last_deployed = "2026-01-01T00:00:00Z".into();
                storage.create(&r, &BTreeMap::new()).await.unwrap();
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
}
