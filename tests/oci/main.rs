//! OCI registry tests against the local registries of tests/env (`make
//! registry-up`) and the reference Helm (tests/helm_ref.py): package, push,
//! pull, version resolution, credentials, TLS, integrity and caching, and the
//! publish script; install/upgrade from oci:// on the local cluster (install.rs)
//! and `show oci://` (show.rs). Every expected result is produced by Helm in the test.
//! Tests fail (never skip) when the registry is down.

#[path = "../common/mod.rs"]
mod common;
mod install;
mod show;

use std::io::Read;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant, SystemTime};

use serde_json::Value as Json;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The registry coordinates; panics with the fix when it is not reachable.
fn registry() -> common::RegistryEnv {
    let env = common::registry_env();
    for host in [&env.registry, &env.registry_tls] {
        let addr = host.parse().expect("host:port");
        if TcpStream::connect_timeout(&addr, Duration::from_secs(2)).is_err() {
            panic!("registry {host} is not reachable; run `make registry-up`");
        }
    }
    env
}

/// A private scratch directory (removed at the end of the process is not
/// needed: it lives under target's tmp).
fn scratch(tag: &str) -> PathBuf {
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let d = std::env::temp_dir().join(format!("oci-test-{tag}-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn unique_repo(reg: &str, tag: &str) -> String {
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("oci://{reg}/t/{tag}-{nanos}")
}

/// Runs origanctl with a private HOME / cache / credentials file.
fn origanctl(home: &Path, args: &[&str]) -> Output {
    common::origanctl_at_home(home, "registry.json", args)
}

fn ok(o: Output) -> String {
    assert!(
        o.status.success(),
        "origanctl failed: {}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

/// `python3 tests/helm_ref.py ARGS…` → JSON (Err with Helm's error text).
fn helm(args: &[&str]) -> Result<Json, String> {
    let o = Command::new("python3")
        .arg(root().join("tests/helm_ref.py"))
        .args(args)
        .output()
        .expect("run helm_ref.py");
    let v: Json = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "helm_ref.py gave no JSON ({e}): {}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    });
    if o.status.success() {
        Ok(v)
    } else {
        Err(v["error"].as_str().unwrap_or("").to_string())
    }
}

fn creds(env: &common::RegistryEnv) -> [String; 4] {
    [
        "--username".into(),
        env.user.clone(),
        "--password".into(),
        env.password.clone(),
    ]
}

fn set_mtime(path: &Path, secs: u64) {
    let f = std::fs::File::options().write(true).open(path).unwrap();
    f.set_modified(SystemTime::UNIX_EPOCH + Duration::from_secs(secs))
        .unwrap();
}

/// A small chart with fixed mtimes (test input, not expected output).
fn make_chart(dir: &Path, name: &str, version: &str) -> PathBuf {
    let c = dir.join(name);
    std::fs::create_dir_all(c.join("templates")).unwrap();
    let files = [
        (
            "Chart.yaml",
            format!(
                "# comment Helm drops\napiVersion: v2\nname: {name}\nversion: \"{version}\"\nappVersion: \"1.0\"\ndescription: A <test> & chart\nmaintainers:\n  - name: Ann\n    email: ann@example.com\nannotations:\n  example.com/x: y\n"
            ),
        ),
        ("values.yaml", "replicas: 2 # kept raw\nname: demo\n".into()),
        (
            "templates/cm.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-{{ .Values.name }}\ndata:\n  replicas: {{ .Values.replicas | quote }}\n  chart: {{ .Chart.Version | quote }}\n".into(),
        ),
        ("README.md", format!("# {name}\n")),
    ];
    for (i, (f, text)) in files.iter().enumerate() {
        std::fs::write(c.join(f), text).unwrap();
        set_mtime(&c.join(f), 1_600_000_000 + i as u64 * 1000);
    }
    c
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .unwrap();
    out
}

fn field(text: &str, key: &str) -> String {
    text.lines()
        .find_map(|l| l.strip_prefix(key))
        .unwrap_or_else(|| panic!("no {key} in {text:?}"))
        .trim()
        .to_string()
}

/// The manifest digest the registry stores for `repo:tag` (the repository
/// path without host; `tag` in registry form).
fn stored_digest(env: &common::RegistryEnv, repo: &str, tag: &str) -> String {
    let client = env.client();
    client
        .get_manifest(repo, tag, &[origan_registry::MANIFEST_MEDIA_TYPE])
        .unwrap()
        .1
}

/// (file names, sha256 of each) of a directory.
fn pulled_files(dir: &Path) -> Vec<(String, String)> {
    files_in(dir)
        .into_iter()
        .map(|f| {
            let d = origan_registry::digest_of(&std::fs::read(dir.join(&f)).unwrap());
            (f, d)
        })
        .collect()
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            out.push(e.file_name().to_string_lossy().into_owned());
        }
    }
    out.sort();
    out
}

#[test]
fn package_matches_helm_and_is_reproducible() {
    let home = scratch("pkg");
    let mut charts = vec![make_chart(&home, "demo", "0.4.2+b.7")];
    // The real chart too (schema, .helmignore, many templates), with its mtimes pinned.
    let origan = home.join("origan");
    assert!(
        Command::new("cp")
            .args(["-r"])
            .arg(root().join("charts/origan"))
            .arg(&origan)
            .status()
            .unwrap()
            .success()
    );
    assert!(
        Command::new("find")
            .arg(&origan)
            .args(["-exec", "touch", "-d", "@1650000000", "{}", "+"])
            .status()
            .unwrap()
            .success()
    );
    charts.push(origan);
    for chart in &charts {
        let ours = home.join("ours");
        let again = home.join("again");
        let theirs = home.join("theirs");
        let c = chart.to_str().unwrap();
        let out = ok(origanctl(
            &home,
            &["package", c, "-d", ours.to_str().unwrap()],
        ));
        assert!(out.starts_with("Successfully packaged chart and saved it to: "));
        ok(origanctl(
            &home,
            &["package", c, "-d", again.to_str().unwrap()],
        ));
        let h = helm(&["package", c, "--destination", theirs.to_str().unwrap()]).unwrap();
        let helm_path = PathBuf::from(h["path"].as_str().unwrap());
        let helm_path = if helm_path.is_absolute() {
            helm_path
        } else {
            root().join(helm_path)
        };
        let name = helm_path.file_name().unwrap();
        assert_eq!(files_in(&ours), vec![name.to_string_lossy().to_string()]);
        let a = std::fs::read(ours.join(name)).unwrap();
        let b = std::fs::read(again.join(name)).unwrap();
        let hb = std::fs::read(&helm_path).unwrap();
        assert_eq!(a, b, "packaging twice gives the same bytes");
        // gzip header through the comment: magic, flags, MTIME 0, OS 255, Extra, "Helm\0".
        let hdr = 10 + 2 + 41 + 5;
        assert_eq!(a[..hdr], hb[..hdr], "gzip header");
        assert!(
            gunzip(&a) == gunzip(&hb),
            "tar stream identical to Helm's for {c}"
        );
        // Helm loads and renders our archive exactly as its own.
        let ours_path = ours.join(name);
        let r1 = helm(&["render", ours_path.to_str().unwrap(), "--release", "r"]).unwrap();
        let r2 = helm(&["render", helm_path.to_str().unwrap(), "--release", "r"]).unwrap();
        // charts/origan generates random secrets: compare which templates rendered there.
        let keys = |r: &Json| {
            r["manifests"]
                .as_object()
                .unwrap()
                .keys()
                .cloned()
                .collect::<Vec<_>>()
        };
        if chart.ends_with("demo") {
            assert_eq!(r1, r2);
        } else {
            assert_eq!(keys(&r1), keys(&r2));
        }
        assert!(!keys(&r1).is_empty());
        for d in [&ours, &again, &theirs] {
            std::fs::remove_dir_all(d).unwrap();
        }
    }
}

#[test]
fn origanctl_push_helm_pull_and_back() {
    let env = registry();
    let home = scratch("push");
    let chart = make_chart(&home, "demo", "1.2.3+meta.1");
    let pkg = home.join("pkg");
    ok(origanctl(
        &home,
        &[
            "package",
            chart.to_str().unwrap(),
            "-d",
            pkg.to_str().unwrap(),
        ],
    ));
    let tgz = pkg.join("demo-1.2.3+meta.1.tgz");
    let ours = unique_repo(&env.registry, "ours");
    let mut args = vec!["push", tgz.to_str().unwrap(), ours.as_str(), "--plain-http"];
    let c = creds(&env);
    args.extend(c.iter().map(String::as_str));
    let out = ok(origanctl(&home, &args));
    let pushed = field(&out, "Pushed:");
    let digest = field(&out, "Digest:");
    assert!(pushed.ends_with("/demo:1.2.3_meta.1"), "{pushed}");

    // Helm pulls it: same bytes, same digest.
    let hdir = home.join("helm-pull");
    std::fs::create_dir_all(&hdir).unwrap();
    let r = helm(&[
        "pull",
        &format!("{ours}/demo"),
        "--version",
        "1.2.3+meta.1",
        "--destination",
        hdir.to_str().unwrap(),
    ])
    .unwrap();
    assert!(r["output"].is_string());
    let path_of = |r: &str| {
        r.trim_start_matches("oci://")
            .split_once('/')
            .unwrap()
            .1
            .to_string()
    };
    assert_eq!(
        stored_digest(&env, &format!("{}/demo", path_of(&ours)), "1.2.3_meta.1"),
        digest
    );
    let pulled: Vec<String> = files_in(&hdir);
    assert_eq!(pulled.len(), 1, "{pulled:?}");
    assert_eq!(
        std::fs::read(hdir.join(&pulled[0])).unwrap(),
        std::fs::read(&tgz).unwrap()
    );

    // Helm pushes the same file elsewhere: the same manifest (config blob and
    // annotations byte-identical), so the same digest.
    let theirs = unique_repo(&env.registry, "theirs");
    helm(&["push", tgz.to_str().unwrap(), &theirs]).unwrap();
    assert_eq!(
        stored_digest(&env, &format!("{}/demo", path_of(&theirs)), "1.2.3_meta.1"),
        digest,
        "Helm's push of the same archive stores the same manifest"
    );

    // origanctl pulls Helm's push: same bytes, Helm's file name.
    let odir = home.join("our-pull");
    let mut args = vec![
        "pull".to_string(),
        format!("{theirs}/demo"),
        "--version".into(),
        "1.2.3+meta.1".into(),
        "-d".into(),
        odir.to_str().unwrap().into(),
        "--plain-http".into(),
    ];
    args.extend(c.iter().cloned());
    let a: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = ok(origanctl(&home, &a));
    assert_eq!(field(&out, "Digest:"), digest);
    assert_eq!(files_in(&odir), pulled, "same file name as Helm's pull");
    assert_eq!(
        std::fs::read(odir.join(&pulled[0])).unwrap(),
        std::fs::read(&tgz).unwrap()
    );
    // By digest, with --untar.
    let udir = home.join("untar");
    let mut args = vec![
        "pull".to_string(),
        format!("{theirs}/demo@{digest}"),
        "-d".into(),
        udir.to_str().unwrap().into(),
        "--untar".into(),
        "--plain-http".into(),
    ];
    args.extend(c.iter().cloned());
    let a: Vec<&str> = args.iter().map(String::as_str).collect();
    ok(origanctl(&home, &a));
    assert_eq!(
        std::fs::read(udir.join("demo/values.yaml")).unwrap(),
        std::fs::read(chart.join("values.yaml")).unwrap()
    );
    // `show … oci://` is wired by the show verb through action::pull::resolve_chart.
}

#[test]
fn version_constraints_resolve_as_helm() {
    let env = registry();
    let home = scratch("versions");
    let repo = unique_repo(&env.registry, "ver");
    let c = creds(&env);
    let versions = [
        "0.1.0",
        "0.2.0",
        "0.3.0",
        "0.3.1",
        "0.3.2-rc.1",
        "1.0.0-alpha",
        "1.0.0",
        "1.2.0+build.5",
        "1.10.0",
        "2.0.0-beta.2",
        "1.0",
        "v3.0.0",
    ];
    for v in versions {
        let dir = home.join(format!("src-{v}"));
        let chart = make_chart(&dir, "multi", v);
        ok(origanctl(
            &home,
            &[
                "package",
                chart.to_str().unwrap(),
                "-d",
                home.join("pkgs").to_str().unwrap(),
            ],
        ));
        let tgz = home.join("pkgs").join(format!("multi-{v}.tgz"));
        let mut args = vec!["push", tgz.to_str().unwrap(), repo.as_str(), "--plain-http"];
        args.extend(c.iter().map(String::as_str));
        ok(origanctl(&home, &args));
    }
    let reference = format!("{repo}/multi");
    let cases = [
        "",
        "*",
        "^0.3",
        "~0.3.0",
        ">=1.0.0 <2",
        "1.x",
        ">0.0.0-0",
        "^2.0.0-0",
        "1.2.0+build.5",
        "0.3.2-rc.1",
        "1.0",
        "v3.0.0",
        "^9",
        "<0.3",
        "0.3.x || 1.10.x",
    ];
    let mut agreed = 0;
    for v in cases {
        let hd = home.join("h");
        let od = home.join("o");
        std::fs::create_dir_all(&hd).unwrap();
        let mut hargs = vec![
            "pull",
            reference.as_str(),
            "--destination",
            hd.to_str().unwrap(),
        ];
        if !v.is_empty() {
            hargs.extend(["--version", v]);
        }
        let theirs = helm(&hargs).map(|_| pulled_files(&hd));
        let mut oargs = vec![
            "pull",
            reference.as_str(),
            "-d",
            od.to_str().unwrap(),
            "--plain-http",
            "--version",
            v,
        ];
        oargs.extend(c.iter().map(String::as_str));
        let o = origanctl(&home, &oargs);
        let ours = if o.status.success() {
            let out = String::from_utf8(o.stdout).unwrap();
            assert!(out.contains("Digest: sha256:"), "{out}");
            Ok(pulled_files(&od))
        } else {
            Err(String::from_utf8_lossy(&o.stderr).into_owned())
        };
        match (&theirs, &ours) {
            (Ok(t), Ok(u)) => assert_eq!(t, u, "--version {v:?}"),
            (Err(_), Err(e)) => {
                assert!(files_in(&od).is_empty());
                assert_eq!(e.trim().lines().count(), 1, "{e}");
            }
            _ => panic!("--version {v:?}: Helm {theirs:?}, origanctl {ours:?}"),
        }
        agreed += 1;
        let _ = std::fs::remove_dir_all(&hd);
        let _ = std::fs::remove_dir_all(&od);
    }
    eprintln!(
        "version resolution: {agreed}/{} cases agree with Helm over {} tags",
        cases.len(),
        versions.len()
    );
}

/// Runs a failing origanctl command: one-line error, bounded time, no file in `dest`.
fn expect_failure(home: &Path, args: &[&str], dest: &Path, needle: &str) {
    let start = Instant::now();
    let o = origanctl(home, args);
    let took = start.elapsed();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success(), "{args:?} succeeded");
    assert!(took < Duration::from_secs(20), "{args:?} took {took:?}");
    assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
    assert!(err.contains(needle), "{err:?} lacks {needle:?}");
    assert!(
        files_in(dest).is_empty(),
        "left behind: {:?}",
        files_in(dest)
    );
    eprintln!("{:>6} ms  {}", took.as_millis(), err.trim());
}

#[test]
fn failures_are_clear_bounded_and_leave_nothing() {
    let env = registry();
    let home = scratch("fail");
    let chart = make_chart(&home, "bad", "0.1.0");
    // Unique content: registry blobs are shared by digest across repositories and
    // this test corrupts one.
    std::fs::write(chart.join("unique.txt"), home.display().to_string()).unwrap();
    let pkg = home.join("pkg");
    ok(origanctl(
        &home,
        &[
            "package",
            chart.to_str().unwrap(),
            "-d",
            pkg.to_str().unwrap(),
        ],
    ));
    let repo = unique_repo(&env.registry, "fail");
    let c = creds(&env);
    let tgz = pkg.join("bad-0.1.0.tgz");
    let mut args = vec!["push", tgz.to_str().unwrap(), repo.as_str(), "--plain-http"];
    args.extend(c.iter().map(String::as_str));
    ok(origanctl(&home, &args));
    let reference = format!("{repo}/bad");
    let dest = home.join("dest");
    std::fs::create_dir_all(&dest).unwrap();
    let d = dest.to_str().unwrap();

    // Wrong credentials.
    expect_failure(
        &home,
        &[
            "pull",
            &reference,
            "-d",
            d,
            "--plain-http",
            "--username",
            &env.user,
            "--password",
            "wrong",
        ],
        &dest,
        "authentication",
    );
    // Unreachable: a port that was just closed.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    expect_failure(
        &home,
        &[
            "pull",
            &format!("oci://127.0.0.1:{port}/x/bad"),
            "--version",
            "0.1.0",
            "-d",
            d,
            "--plain-http",
        ],
        &dest,
        "failed to reach registry",
    );
    // Missing tag.
    let mut a = vec![
        "pull",
        reference.as_str(),
        "--version",
        "9.9.9",
        "-d",
        d,
        "--plain-http",
    ];
    a.extend(c.iter().map(String::as_str));
    expect_failure(&home, &a, &dest, "not found");

    // Cache: a first pull stores the layer; after the blob is tampered with in the
    // registry's storage, the cached copy is still used (no download)...
    let mut a = vec![
        "pull",
        reference.as_str(),
        "--version",
        "0.1.0",
        "-d",
        d,
        "--plain-http",
    ];
    a.extend(c.iter().map(String::as_str));
    ok(origanctl(&home, &a));
    let tgz_bytes = std::fs::read(&tgz).unwrap();
    assert_eq!(
        std::fs::read(dest.join("bad-0.1.0.tgz")).unwrap(),
        tgz_bytes
    );
    std::fs::remove_file(dest.join("bad-0.1.0.tgz")).unwrap();
    let hex = origan_registry::digest_of(&tgz_bytes)[7..].to_string();
    let blob = root()
        .join(".local/registry/plain/data/docker/registry/v2/blobs/sha256")
        .join(&hex[..2])
        .join(&hex)
        .join("data");
    let mut tampered = std::fs::read(&blob).unwrap();
    let mid = tampered.len() / 2;
    tampered[mid] ^= 0xff;
    std::fs::write(&blob, &tampered).unwrap();
    assert!(home.join("cache/origanctl/oci/sha256").join(&hex).exists());
    ok(origanctl(&home, &a));
    assert_eq!(
        std::fs::read(dest.join("bad-0.1.0.tgz")).unwrap(),
        tgz_bytes
    );
    std::fs::remove_file(dest.join("bad-0.1.0.tgz")).unwrap();
    // ...while a client with an empty cache downloads it and refuses it.
    let fresh = scratch("fresh");
    expect_failure(&fresh, &a, &dest, "digest mismatch");
    assert!(!fresh.join("cache/origanctl/oci/sha256").join(&hex).exists());
    tampered[mid] ^= 0xff;
    std::fs::write(&blob, &tampered).unwrap();
}

#[test]
fn login_logout_and_tls() {
    let env = registry();
    let home = scratch("login");
    let cfg = home.join("registry.json");
    let login = |pw: &str| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_origanctl"))
            .args([
                "registry",
                "login",
                &env.registry,
                "-u",
                &env.user,
                "--password-stdin",
                "--plain-http",
            ])
            .arg("--registry-config")
            .arg(&cfg)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(format!("{pw}\n").as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    };
    let bad = login("wrong");
    assert!(!bad.status.success());
    assert!(!cfg.exists(), "nothing stored on a failed login");
    let good = login(&env.password);
    assert_eq!(
        String::from_utf8_lossy(&good.stdout).trim(),
        "Login Succeeded"
    );
    assert!(
        std::fs::read_to_string(&cfg)
            .unwrap()
            .contains(&env.registry)
    );

    // A stored login is enough to push and pull.
    let chart = make_chart(&home, "tlsdemo", "0.0.1");
    let pkg = home.join("pkg");
    ok(origanctl(
        &home,
        &[
            "package",
            chart.to_str().unwrap(),
            "-d",
            pkg.to_str().unwrap(),
        ],
    ));
    let tgz = pkg.join("tlsdemo-0.0.1.tgz");
    let repo = unique_repo(&env.registry, "login");
    ok(origanctl(
        &home,
        &["push", tgz.to_str().unwrap(), &repo, "--plain-http"],
    ));
    ok(origanctl(&home, &["registry", "logout", &env.registry]));
    assert!(
        !std::fs::read_to_string(&cfg)
            .unwrap()
            .contains(&env.registry)
    );

    // TLS registry: works with --ca-file, refused without.
    let tls_repo = unique_repo(&env.registry_tls, "tls");
    let c = creds(&env);
    let ca = env.ca.to_str().unwrap().to_string();
    let mut a = vec![
        "push",
        tgz.to_str().unwrap(),
        tls_repo.as_str(),
        "--ca-file",
        ca.as_str(),
    ];
    a.extend(c.iter().map(String::as_str));
    ok(origanctl(&home, &a));
    let dest = home.join("tls-dest");
    let r = format!("{tls_repo}/tlsdemo");
    let mut a = vec!["pull", r.as_str(), "-d", dest.to_str().unwrap()];
    a.extend(c.iter().map(String::as_str));
    expect_failure(&home, &a, &dest, "failed to reach registry");
    a.extend(["--ca-file", ca.as_str()]);
    ok(origanctl(&home, &a));
    assert_eq!(
        std::fs::read(dest.join("tlsdemo-0.0.1.tgz")).unwrap(),
        std::fs::read(&tgz).unwrap()
    );
}

#[test]
fn publish_script_against_local_registry() {
    let env = registry();
    let home = scratch("publish");
    let o = Command::new("bash")
        .arg(root().join("tests/publish.sh"))
        .current_dir(root())
        .env("ORIGANCTL", env!("CARGO_BIN_EXE_origanctl"))
        .env(
            "REGISTRY",
            format!("oci://{}/publish-test-{}", env.registry, std::process::id()),
        )
        .env("REGISTRY_USER", &env.user)
        .env("REGISTRY_PASSWORD", &env.password)
        .env("PLAIN_HTTP", "1")
        .env("HOME", &home)
        .env("HELM_REGISTRY_CONFIG", home.join("registry.json"))
        .env("OUT_DIR", home.join("dist"))
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "{out}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(out.contains("Pushed: "), "{out}");
    // Helm can pull what was published.
    let reference = format!(
        "oci://{}/publish-test-{}/origan",
        env.registry,
        std::process::id()
    );
    let hd = home.join("h");
    std::fs::create_dir_all(&hd).unwrap();
    helm(&["pull", &reference, "--destination", hd.to_str().unwrap()]).unwrap();
    assert_eq!(files_in(&hd), ["origan-0.1.0.tgz"]);
}
