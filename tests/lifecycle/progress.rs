//! The live progress display of `install --wait`: a table redrawn in place
//! on a terminal (run under util-linux `script`, which gives the command a
//! pty), one line per change otherwise, and the timeout message naming what
//! was not ready with its last reason.

use std::process::{Command, Stdio};
use std::time::Duration;

use k8s_openapi::api::apps::v1::Deployment;
use kube::Api;
use kube::api::{Patch, PatchParams};
use serde_json::json;

use super::common;
use super::support::{Env, chart};

/// Starts origanctl under `script -qfc` (a pseudo-terminal on stdin,
/// stdout and stderr); its output is everything written to the terminal.
fn on_a_terminal(env: &Env, args: &[&str]) -> std::process::Child {
    let mut line = vec![env!("CARGO_BIN_EXE_origanctl").to_string()];
    line.extend(args.iter().map(|a| a.to_string()));
    let kubeconfig = common::kubeconfig_path().display().to_string();
    line.extend([
        "-n".into(),
        env.ns.clone(),
        "--kubeconfig".into(),
        kubeconfig,
    ]);
    assert!(
        line.iter().all(|a| !a.contains([' ', '\'', '"'])),
        "arguments need no quoting: {line:?}"
    );
    Command::new("script")
        .args(["-qfec", &line.join(" "), "/dev/null"])
        .env_remove("HELM_DRIVER")
        .env_remove("KUBECONFIG")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("util-linux `script` (apt-get install bsdutils)")
}

#[tokio::test]
async fn a_terminal_gets_a_table_redrawn_in_place_and_a_summary() {
    let env = Env::new("lc-tty").await;
    // The Deployment's pods never become ready until the test changes its
    // template: the table is on screen for as long as the test wants.
    let args = [
        "install",
        "t",
        &chart(),
        "--set",
        "extra=true",
        "--set-string",
        "neverReady=true",
        "--wait",
        "--timeout",
        "60s",
    ];
    let child = on_a_terminal(&env, &args);
    let deployments: Api<Deployment> = Api::namespaced(env.client.clone(), &env.ns);
    common::poll_until(Duration::from_secs(30), "deployment t-web", || async {
        deployments.get_opt("t-web").await.ok().flatten()
    })
    .await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let fix = json!({"spec": {"template": {"metadata": {"labels": {"origanctl.test/never-ready": "false"}}}}});
    deployments
        .patch("t-web", &PatchParams::default(), &Patch::Merge(&fix))
        .await
        .unwrap();
    let out = tokio::task::spawn_blocking(move || child.wait_with_output())
        .await
        .unwrap()
        .unwrap();
    let out_text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "install failed:\n{out_text}");
    let out = out_text;
    // The table: a heading and one row per resource not yet ready, with why.
    assert!(out.contains("waiting for 1 resource:"), "{out:?}");
    assert!(out.contains("  deployment/t-web  0/1 available"), "{out:?}");
    assert!(out.contains("deployment/t-web created"), "{out:?}");
    // Redrawn in place: back to the table's first line, erase below.
    assert!(out.contains("F\x1b[J"), "{out:?}");
    // It ends without the table, with the summary and the release.
    let tail = &out[out.rfind("\x1b[J").expect("the table is erased") + 3..];
    assert!(!tail.contains("waiting for"), "{tail:?}");
    assert!(tail.contains("all 2 resources ready in "), "{tail:?}");
    assert!(tail.contains("STATUS: deployed"), "{tail:?}");

    // Not a terminal: one line per change, no escape sequences.
    let out = env.ok_all(&["upgrade", "t", &chart(), "--set", "replicas=2", "--wait"]);
    assert!(!out.contains('\x1b'), "{out:?}");
    assert!(out.contains("deployment/t-web configured\n"), "{out}");
    assert!(out.contains("deployment/t-web ready\n"), "{out}");
    env.done().await;
}

#[tokio::test]
async fn a_timeout_names_what_was_not_ready_and_why() {
    let env = Env::new("lc-timeout").await;
    let err = env.fail(&[
        "install",
        "late",
        &chart(),
        "--set-string",
        "neverReady=true",
        "--wait",
        "--timeout",
        "3s",
    ]);
    assert!(err.contains("timed out after 3s"), "{err}");
    assert!(
        err.contains(&format!("Deployment/{}/late-web 0/1 available", env.ns)),
        "names the Deployment and its last reason: {err}"
    );
    env.done().await;
}
