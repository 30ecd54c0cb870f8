//! The live progress display of `install --wait`: a table redrawn in place
//! on a terminal (run under util-linux `script`, which gives the command a
//! pty), one line per change otherwise, and the timeout message naming what
//! was not ready with its last reason.

use std::process::Command;

use super::common;
use super::support::{Env, chart};

/// Runs origanctl under `script -qfc` (a pseudo-terminal on stdin, stdout
/// and stderr) and returns everything it wrote to the terminal.
fn on_a_terminal(env: &Env, args: &[&str]) -> String {
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
    let out = Command::new("script")
        .args(["-qfec", &line.join(" "), "/dev/null"])
        .env_remove("HELM_DRIVER")
        .env_remove("KUBECONFIG")
        .output()
        .expect("util-linux `script` (apt-get install bsdutils)");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "origanctl {args:?} failed:\n{text}");
    text
}

#[tokio::test]
async fn a_terminal_gets_a_table_redrawn_in_place_and_a_summary() {
    let env = Env::new("lc-tty").await;
    let args = [
        "install",
        "t",
        &chart(),
        "--set",
        "replicas=2",
        "--set",
        "extra=true",
        "--wait",
    ];
    let out = on_a_terminal(&env, &args);
    // The table: a heading and one row per resource not yet ready.
    assert!(out.contains("waiting for "), "{out:?}");
    assert!(out.contains("  deployment/t-web  "), "{out:?}");
    // Redrawn in place: back to the table's first line, erase below.
    assert!(out.contains("F\x1b[J"), "{out:?}");
    // It ends without the table, with the summary and the release.
    let tail = &out[out.rfind("\x1b[J").expect("the table is erased") + 3..];
    assert!(!tail.contains("waiting for"), "{tail:?}");
    assert!(tail.contains("all 2 resources ready in "), "{tail:?}");
    assert!(tail.contains("STATUS: deployed"), "{tail:?}");

    // Not a terminal: one line per change, no escape sequences.
    let out = env.ok_all(&["upgrade", "t", &chart(), "--set", "replicas=3", "--wait"]);
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
