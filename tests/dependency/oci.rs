//! `oci://` dependencies from the local registry (tests/env), several tags
//! per chart, resolved by constraint.

use super::*;

/// Pushes sub1 at `versions` (packaged by Helm) to a fresh repository;
/// returns `oci://REGISTRY/dep/<unique>`.
fn push_versions(env: &common::RegistryEnv, base: &Path, versions: &[&str]) -> String {
    let repo = format!("oci://{}/dep/t{}", env.registry, nanos());
    for v in versions {
        let src = subchart(&base.join("src").join(v), "sub1", v);
        let dest = base.join("pkg");
        let p = helm_ref(&["package", s(&src), "--destination", s(&dest)]);
        let tgz = p["path"].as_str().unwrap().to_string();
        helm_ref(&["push", &tgz, &repo]);
    }
    repo
}

fn oci_deps(repo: &str, constraint: &str) -> String {
    format!(
        "- name: sub1\n  version: \"{constraint}\"\n  repository: {repo}\n- name: sub2\n  version: 0.2.0\n  repository: file://../sub2\n"
    )
}

fn oci_tree(d: &Path, deps: &str) -> PathBuf {
    subchart(d, "sub2", "0.2.0");
    umbrella(d, deps)
}

#[test]
fn constraints_resolve_over_tags_like_helm_and_build_reproduces_bytes() {
    let env = registry();
    let base = scratch("oci");
    write_creds(&base, &env);
    let repo = push_versions(
        &env,
        &base,
        &["0.1.0", "0.1.5", "0.2.0", "1.0.0", "1.1.0-rc.1"],
    );
    for (constraint, expect) in [
        ("~0.1.0", "0.1.5"),
        (">=0.1.0 <1", "0.2.0"),
        ("^1.0.0-0", "1.1.0-rc.1"),
        ("1.0.0", "1.0.0"),
        ("*", "1.0.0"),
    ] {
        let deps = oci_deps(&repo, constraint);
        let h = oci_tree(&base.join(format!("h{expect}{}", constraint.len())), &deps);
        let o = oci_tree(&base.join(format!("o{expect}{}", constraint.len())), &deps);
        helm(&base, "update", &h, true).unwrap();
        let out = ours(&base, &["dependency", "update", s(&o), "--plain-http"]).unwrap();
        assert_eq!(
            out,
            format!(
                "Saving 2 charts\nDownloading sub1 from repo {repo}\nDeleting outdated charts\n"
            ),
            "{constraint}"
        );
        assert_eq!(
            lock_sans_time(&o, "Chart.lock"),
            lock_sans_time(&h, "Chart.lock"),
            "{constraint}"
        );
        let archive = format!("sub1-{expect}.tgz");
        // The registry's bytes, unchanged, under Helm's name.
        assert_eq!(charts(&o)[&archive], charts(&h)[&archive], "{constraint}");
        assert_eq!(charts_tar(&o), charts_tar(&h), "{constraint}");
        no_staging_left(&o);

        // build from the lock: the same bytes.
        let first = charts(&o);
        std::fs::remove_dir_all(o.join("charts")).unwrap();
        ours(&base, &["dependency", "build", s(&o), "--plain-http"]).unwrap();
        assert_eq!(charts(&o), first, "{constraint}");
    }
}

#[test]
fn newer_tag_replaces_the_old_archive() {
    let env = registry();
    let base = scratch("ociup");
    write_creds(&base, &env);
    let repo = push_versions(&env, &base, &["0.1.0"]);
    let deps = oci_deps(&repo, "^0.1.0");
    let (h, o) = (
        oci_tree(&base.join("h"), &deps),
        oci_tree(&base.join("o"), &deps),
    );
    helm(&base, "update", &h, true).unwrap();
    ours(&base, &["dependency", "update", s(&o), "--plain-http"]).unwrap();
    assert!(charts(&o).contains_key("sub1-0.1.0.tgz"));
    // A newer patch appears: update moves to it and deletes 0.1.0.
    let src = subchart(&base.join("src/0.1.1"), "sub1", "0.1.1");
    let p = helm_ref(&["package", s(&src), "--destination", s(&base.join("pkg"))]);
    helm_ref(&["push", p["path"].as_str().unwrap(), &repo]);
    helm(&base, "update", &h, true).unwrap();
    ours(&base, &["dependency", "update", s(&o), "--plain-http"]).unwrap();
    assert_eq!(
        charts(&o).keys().collect::<Vec<_>>(),
        charts(&h).keys().collect::<Vec<_>>()
    );
    assert!(charts(&o).contains_key("sub1-0.1.1.tgz"));
    assert_eq!(
        lock_sans_time(&o, "Chart.lock"),
        lock_sans_time(&h, "Chart.lock")
    );
}

#[test]
fn unsatisfiable_and_missing_oci_dependencies_fail_leaving_charts_alone() {
    let env = registry();
    let base = scratch("ocibad");
    write_creds(&base, &env);
    let repo = push_versions(&env, &base, &["0.1.0"]);
    // No tag matches: Helm locks the constraint and fails downloading it.
    let deps = oci_deps(&repo, "^9.0.0");
    let (h, o) = (
        oci_tree(&base.join("h"), &deps),
        oci_tree(&base.join("o"), &deps),
    );
    old_archive(&o, "sub1", "0.0.1");
    let before = charts(&o);
    let theirs = helm(&base, "update", &h, true).unwrap_err();
    let mine = ours(&base, &["dependency", "update", s(&o), "--plain-http"]).unwrap_err();
    eprintln!("origanctl: {mine}");
    assert_eq!(mine, theirs);
    assert_eq!(charts(&o), before);
    assert!(!o.join("Chart.lock").exists());
    no_staging_left(&o);

    // A repository that does not exist: the error names it.
    let gone = format!("oci://{}/dep/missing{}", env.registry, nanos());
    let deps = oci_deps(&gone, "^1.0.0");
    let (h, o) = (
        oci_tree(&base.join("h2"), &deps),
        oci_tree(&base.join("o2"), &deps),
    );
    old_archive(&o, "sub1", "0.0.1");
    let before = charts(&o);
    let theirs = helm(&base, "update", &h, true).unwrap_err();
    let mine = ours(&base, &["dependency", "update", s(&o), "--plain-http"]).unwrap_err();
    eprintln!("origanctl: {mine}");
    // Helm goes on with the registry's HTTP error; the part before is the same.
    let head = format!("could not retrieve list of tags for repository {gone}: ");
    assert!(theirs.starts_with(&head), "{theirs}");
    assert!(mine.starts_with(&head), "{mine}");
    assert!(
        mine.contains(&format!("{}/sub1", gone.trim_start_matches("oci://"))),
        "{mine}"
    );
    assert_eq!(charts(&o), before);
    no_staging_left(&o);
}

#[test]
fn hostile_oci_dependency_is_refused_naming_it() {
    // The tag holds a chart named otherwise: Helm's loader accepts it, but
    // an archive that is not a chart at all must be refused. Push one by
    // hand-made manifest through origanctl's own client.
    let env = registry();
    let base = scratch("ocihostile");
    write_creds(&base, &env);
    let path = format!("dep/hostile{}/sub1", nanos());
    let client = env.client();
    // A gzip tar whose only entry escapes the chart (`../../evil`).
    let mut tar = vec![0u8; 512];
    let name = b"../../evil";
    tar[..name.len()].copy_from_slice(name);
    tar[100..108].copy_from_slice(b"0000644\0");
    tar[124..136].copy_from_slice(b"00000000004\0");
    tar[136..148].copy_from_slice(b"00000000000\0");
    tar[156] = b'0';
    tar[257..263].copy_from_slice(b"ustar\0");
    tar[263..265].copy_from_slice(b"00");
    tar[148..156].copy_from_slice(b"        ");
    let sum: u32 = tar.iter().map(|b| u32::from(*b)).sum();
    tar[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
    tar.extend_from_slice(b"pwn\n");
    tar.resize(512 * 2, 0);
    tar.extend_from_slice(&[0u8; 1024]);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut gz, &tar).unwrap();
    let layer = gz.finish().unwrap();
    let config = br#"{"apiVersion":"v2","name":"sub1","version":"1.0.0"}"#.to_vec();
    let layer_digest = client.push_blob(&path, &layer).unwrap();
    let config_digest = client.push_blob(&path, &config).unwrap();
    let manifest = serde_json::json!({
        "schemaVersion": 2,
        "mediaType": origan_registry::MANIFEST_MEDIA_TYPE,
        "config": {"mediaType": origan_registry::CONFIG_MEDIA_TYPE, "digest": config_digest, "size": config.len()},
        "layers": [{"mediaType": origan_registry::CHART_LAYER_MEDIA_TYPE, "digest": layer_digest, "size": layer.len()}],
    });
    client
        .put_manifest(
            &path,
            "1.0.0",
            manifest.to_string().as_bytes(),
            origan_registry::MANIFEST_MEDIA_TYPE,
        )
        .unwrap();
    let repo = format!("oci://{}/{}", env.registry, path.trim_end_matches("/sub1"));
    let o = oci_tree(&base.join("o"), &oci_deps(&repo, "1.0.0"));
    old_archive(&o, "keep", "1.0.0");
    let before = charts(&o);
    let mine = ours(&base, &["dependency", "update", s(&o), "--plain-http"]).unwrap_err();
    eprintln!("origanctl: {mine}");
    assert!(mine.contains(&format!("{repo}/sub1")), "{mine}");
    assert_eq!(charts(&o), before);
    assert!(!o.join("Chart.lock").exists());
    assert!(!base.join("o/evil").exists() && !base.join("evil").exists());
    no_staging_left(&o);
}
