//! `file://` dependencies (and charts already in charts/), no registry.

use super::*;

#[test]
fn update_writes_helms_lock_and_archives_then_build_reproduces_them() {
    let (base, h, o) = twin("file", |d| file_tree(d, FILE_DEPS));
    helm(&base, "update", &h, false).unwrap();
    let out = ours(&base, &["dependency", "update", s(&o)]).unwrap();
    assert_eq!(out, "Saving 2 charts\nDeleting outdated charts\n");
    assert_eq!(
        lock_sans_time(&o, "Chart.lock"),
        lock_sans_time(&h, "Chart.lock")
    );
    assert_eq!(charts_tar(&o), charts_tar(&h));
    assert_eq!(
        charts(&o).keys().cloned().collect::<Vec<_>>(),
        ["sub1-0.2.0.tgz", "sub2-0.2.0.tgz"]
    );
    no_staging_left(&o);
    // The umbrella renders the same in Helm (from its charts/) and origanctl (from ours).
    let theirs = helm_ref(&["template", s(&h), "--release", "r"]);
    let mine = ours(&base, &["template", "r", s(&o)]).unwrap();
    assert_eq!(mine.trim(), theirs["manifest"].as_str().unwrap().trim());
    assert!(mine.contains("name: r-two"), "{mine}");

    // build from the lock: the same bytes again, the lock left alone.
    let first = charts(&o);
    let lock = std::fs::read(o.join("Chart.lock")).unwrap();
    std::fs::remove_dir_all(o.join("charts")).unwrap();
    let out = ours(&base, &["dependency", "build", s(&o)]).unwrap();
    assert_eq!(out, "Saving 2 charts\nDeleting outdated charts\n");
    assert_eq!(charts(&o), first);
    assert_eq!(std::fs::read(o.join("Chart.lock")).unwrap(), lock);

    // update with nothing changed keeps the lock (same digest: not rewritten).
    ours(&base, &["dependency", "update", s(&o), "--skip-refresh"]).unwrap();
    assert_eq!(std::fs::read(o.join("Chart.lock")).unwrap(), lock);

    // Helm's build of the same lock gives the same tar streams.
    std::fs::remove_dir_all(h.join("charts")).unwrap();
    helm(&base, "build", &h, false).unwrap();
    assert_eq!(charts_tar(&o), charts_tar(&h));
}

#[test]
fn build_without_lock_is_update() {
    let (base, h, o) = twin("nolock", |d| file_tree(d, FILE_DEPS));
    helm(&base, "build", &h, false).unwrap();
    ours(&base, &["dependency", "build", s(&o)]).unwrap();
    assert_eq!(
        lock_sans_time(&o, "Chart.lock"),
        lock_sans_time(&h, "Chart.lock")
    );
    assert_eq!(charts_tar(&o), charts_tar(&h));
}

#[test]
fn outdated_archives_are_removed_as_helm_removes_them() {
    let (base, h, o) = twin("stale", |d| {
        let c = file_tree(d, FILE_DEPS);
        // An older sub1, an undeclared chart, an empty directory.
        old_archive(&c, "sub1", "0.1.0");
        old_archive(&c, "other", "1.0.0");
        std::fs::create_dir_all(c.join("charts/somedir")).unwrap();
        c
    });
    assert!(charts(&o).contains_key("sub1-0.1.0.tgz"));
    helm(&base, "update", &h, false).unwrap();
    ours(&base, &["dependency", "update", s(&o)]).unwrap();
    assert_eq!(
        charts(&o).keys().collect::<Vec<_>>(),
        charts(&h).keys().collect::<Vec<_>>()
    );
    assert_eq!(charts_tar(&o), charts_tar(&h));
}

#[test]
fn lock_out_of_sync_fails_like_helm_and_touches_nothing() {
    let (base, h, o) = twin("sync", |d| file_tree(d, FILE_DEPS));
    helm(&base, "update", &h, false).unwrap();
    ours(&base, &["dependency", "update", s(&o)]).unwrap();
    for c in [&h, &o] {
        let y = std::fs::read_to_string(c.join("Chart.yaml")).unwrap();
        write(
            &c.join("Chart.yaml"),
            &y.replace("version: 0.2.0", "version: ~0.2.0"),
        );
    }
    let before = charts(&o);
    let theirs = helm(&base, "build", &h, false).unwrap_err();
    let mine = ours(&base, &["dependency", "build", s(&o)]).unwrap_err();
    assert_eq!(mine, theirs);
    assert!(mine.contains("out of sync"), "{mine}");
    assert_eq!(charts(&o), before);
}

#[test]
fn missing_and_broken_local_dependencies_fail_like_helm_leaving_charts_alone() {
    let cases = [
        // No such directory.
        "- name: gone\n  version: 1.0.0\n  repository: file://../gone\n",
        // The directory is no chart (Chart.yaml without a name).
        "- name: broken\n  version: 1.0.0\n  repository: file://../broken\n",
        // The local chart's version does not satisfy the constraint.
        "- name: sub1\n  version: ^5.0.0\n  repository: file://../sub1\n",
        // Not a constraint.
        "- name: sub1\n  version: \"not a version\"\n  repository: file://../sub1\n",
    ];
    for (i, deps) in cases.iter().enumerate() {
        let (base, h, o) = twin(&format!("bad{i}"), |d| {
            write(
                &d.join("broken/Chart.yaml"),
                "apiVersion: v2\nversion: 1.0.0\n",
            );
            let c = file_tree(d, deps);
            old_archive(&c, "keep", "1.0.0");
            c
        });
        let before = charts(&o);
        let theirs = helm(&base, "update", &h, false).unwrap_err();
        let mine = ours(&base, &["dependency", "update", s(&o)]).unwrap_err();
        eprintln!("origanctl: {mine}");
        // Helm prints the chart path it was given; ours was given another.
        let mine_as_helm = mine.replace(
            s(base.join("ours").as_path()),
            s(base.join("helm").as_path()),
        );
        // A dependency that does not load: Helm prints the loader's error
        // alone, origanctl names the dependency first (COMPATIBILITY.md).
        let named = format!("dependency \"broken\" (file://../broken): {theirs}");
        if i == 1 {
            assert_eq!(mine_as_helm, named, "case {i}");
        } else {
            assert_eq!(mine_as_helm, theirs, "case {i}");
        }
        assert_eq!(charts(&o), before, "case {i}");
        assert!(!o.join("Chart.lock").exists(), "case {i}");
        no_staging_left(&o);
    }
}

#[test]
fn charts_dir_dependency_is_checked_in_place() {
    // No repository: the chart must already be in charts/ at a matching version.
    let (base, h, o) = twin("inplace", |d| {
        let c = umbrella(d, "- name: sub1\n  version: ^0.2.0\n");
        subchart(&c.join("charts"), "sub1", "0.2.0");
        c
    });
    helm(&base, "update", &h, false).unwrap();
    let out = ours(&base, &["dependency", "update", s(&o)]).unwrap();
    assert_eq!(
        out,
        "Saving 1 charts\nDependency sub1 did not declare a repository. Assuming it exists in the charts directory\nDeleting outdated charts\n"
    );
    assert_eq!(
        lock_sans_time(&o, "Chart.lock"),
        lock_sans_time(&h, "Chart.lock")
    );
    assert_eq!(charts_tar(&o), charts_tar(&h));
}

#[test]
fn api_v1_chart_writes_requirements_lock() {
    let (base, h, o) = twin("v1", |d| {
        subchart(d, "sub1", "0.2.0");
        let c = d.join("umb");
        write(
            &c.join("Chart.yaml"),
            "apiVersion: v1\nname: umb\nversion: 1.0.0\n",
        );
        write(
            &c.join("requirements.yaml"),
            "dependencies:\n- name: sub1\n  version: \"> 0.1\"\n  repository: file://../sub1\n",
        );
        c
    });
    helm(&base, "update", &h, false).unwrap();
    ours(&base, &["dependency", "update", s(&o)]).unwrap();
    assert_eq!(
        lock_sans_time(&o, "requirements.lock"),
        lock_sans_time(&h, "requirements.lock")
    );
    assert!(!o.join("Chart.lock").exists());
    assert_eq!(charts_tar(&o), charts_tar(&h));
    // build accepts the v1 lock.
    std::fs::remove_dir_all(o.join("charts")).unwrap();
    ours(&base, &["dependency", "build", s(&o)]).unwrap();
    assert_eq!(charts_tar(&o), charts_tar(&h));
    // and refuses it, as Helm does, once requirements.yaml changed.
    for c in [&h, &o] {
        let y = std::fs::read_to_string(c.join("requirements.yaml")).unwrap();
        write(&c.join("requirements.yaml"), &y.replace("> 0.1", ">= 0.2"));
    }
    let theirs = helm(&base, "build", &h, false).unwrap_err();
    let mine = ours(&base, &["dependency", "build", s(&o)]).unwrap_err();
    // stderr: a log line about the Helm 2 hash (Helm's log.Println), then the error.
    let lines: Vec<&str> = mine.lines().collect();
    assert_eq!(lines.len(), 2, "{mine}");
    assert!(
        lines[0].contains(" warning: a valid Helm v3 hash"),
        "{mine}"
    );
    assert_eq!(lines[1], format!("Error: {theirs}"));
    assert!(theirs.contains("requirements.lock"), "{theirs}");
}

#[test]
fn http_repositories_are_refused_clearly() {
    let base = scratch("http");
    let c = umbrella(
        &base,
        "- name: nginx\n  version: 1.0.0\n  repository: https://charts.example.com/\n",
    );
    let e = ours(&base, &["dependency", "update", s(&c)]).unwrap_err();
    assert!(e.contains("\"nginx\"") && e.contains("not support"), "{e}");
    assert!(!c.join("charts").exists());
}

#[test]
fn sub_second_mtimes_round_as_gos_tar_writer_does() {
    // Go's archive/tar rounds ModTime to the nearest second; a file written
    // at .7 s lands on the next second in Helm's archive.
    let (base, h, o) = twin("mtime", |d| {
        let c = file_tree(d, FILE_DEPS);
        for (f, ms) in [
            ("sub1/Chart.yaml", 700),
            ("sub1/values.yaml", 499),
            ("sub2/values.yaml", 500),
        ] {
            let p = d.join(f);
            let t = SystemTime::UNIX_EPOCH + Duration::from_millis(1_700_000_000_000 + ms);
            std::fs::File::options()
                .write(true)
                .open(&p)
                .unwrap()
                .set_modified(t)
                .unwrap();
        }
        c
    });
    helm(&base, "update", &h, false).unwrap();
    ours(&base, &["dependency", "update", s(&o)]).unwrap();
    assert_eq!(charts_tar(&o), charts_tar(&h));
}
