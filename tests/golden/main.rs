//! Render parity of Origan's own chart: `origanctl template` of
//! `charts/origan` with each `values/*.yaml` must print, byte for byte, what
//! the reference Helm printed (recorded by `tests/golden/record.py`, never
//! edited by hand).

use std::path::PathBuf;
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn origan_chart_renders_as_helm_for_every_environment() {
    let mut checked = 0;
    let mut values: Vec<PathBuf> = std::fs::read_dir(root().join("values"))
        .expect("values/")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    values.sort();
    for v in values {
        let name = v.file_name().unwrap().to_string_lossy().to_string();
        let golden = root().join("tests/golden/origan").join(&name);
        let want = std::fs::read_to_string(&golden).unwrap_or_else(|e| {
            panic!(
                "{}: {e}; record it with `make golden-record`",
                golden.display()
            )
        });
        let out = Command::new(env!("CARGO_BIN_EXE_origanctl"))
            .args(["template", "origan", "charts/origan", "-n", "origan", "-f"])
            .arg(&v)
            .current_dir(root())
            .output()
            .expect("origanctl runs");
        assert!(
            out.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let got = String::from_utf8(out.stdout).expect("UTF-8 output");
        if got != want {
            let line = got
                .lines()
                .zip(want.lines())
                .position(|(a, b)| a != b)
                .unwrap_or(got.lines().count().min(want.lines().count()));
            panic!(
                "{name}: output differs from Helm's from line {}:\n  origanctl: {:?}\n  helm:      {:?}",
                line + 1,
                got.lines().nth(line),
                want.lines().nth(line)
            );
        }
        checked += 1;
    }
    assert!(
        checked >= 4,
        "expected at least four values files, found {checked}"
    );
}
