//! `show chart|values|readme|crds|all oci://…` against the reference Helm's
//! `show` of the same registry reference, for a chart the reference Helm
//! packaged and pushed; and the `+` → `_` notice on push and pull.

use super::{common, creds, helm, make_chart, ok, origanctl, registry, scratch};

#[test]
fn show_oci_matches_helm() {
    let env = registry();
    let home = scratch("oci-show");
    let dir = make_chart(&home, "showme", "1.4.0");
    std::fs::create_dir_all(dir.join("crds")).unwrap();
    std::fs::write(
        dir.join("crds/widgets.yaml"),
        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\n",
    )
    .unwrap();
    let r = helm(&[
        "package",
        dir.to_str().unwrap(),
        "--destination",
        home.join("pkg").to_str().unwrap(),
    ])
    .unwrap();
    let tgz = r["path"].as_str().unwrap().to_string();
    let repo = format!(
        "oci://{}/t/oci-show-{}",
        env.registry,
        common::unique_name("r")
    );
    helm(&["push", &tgz, &repo]).unwrap();
    let reference = format!("{repo}/showme");
    let c = creds(&env);
    for format in ["all", "chart", "values", "readme", "crds"] {
        // (helm_python's show takes no version option: the tag goes in the reference.)
        let want = helm(&["show", format, &format!("{reference}:1.4.0")]).unwrap()["output"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(!want.is_empty(), "{format}");
        // A constraint resolves to the same single tag.
        let mut a = vec![
            "show",
            format,
            reference.as_str(),
            "--version",
            "^1",
            "--plain-http",
        ];
        a.extend(c.iter().map(String::as_str));
        let o = origanctl(&home, &a);
        let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
        let got = ok(o);
        assert_eq!(got, want, "show {format} oci:// differs from Helm's");
        assert!(stderr.contains("Pulled: "), "{stderr}");
        // The same bytes shown from the archive give the same text.
        assert_eq!(ok(origanctl(&home, &["show", format, &tgz])), want);
    }

    // The TLS registry: works with --ca-file, refused without it.
    let tls_repo = format!(
        "oci://{}/t/oci-show-{}",
        env.registry_tls,
        common::unique_name("r")
    );
    helm(&["push", &tgz, &tls_repo]).unwrap();
    let tls_ref = format!("{tls_repo}/showme");
    let want = helm(&["show", "chart", &format!("{tls_ref}:1.4.0")]).unwrap()["output"]
        .as_str()
        .unwrap()
        .to_string();
    let ca = env.ca.to_str().unwrap();
    let mut a = vec!["show", "chart", tls_ref.as_str(), "--version", "1.4.0"];
    a.extend(c.iter().map(String::as_str));
    let refused = origanctl(&home, &a);
    assert!(!refused.status.success(), "TLS without --ca-file succeeded");
    a.extend(["--ca-file", ca]);
    assert_eq!(ok(origanctl(&home, &a)), want);
}

#[test]
fn plus_in_version_prints_helms_underscore_notice() {
    let env = registry();
    let home = scratch("oci-plus");
    let dir = make_chart(&home, "plus", "0.1.0+build.7");
    let pkg = home.join("pkg");
    ok(origanctl(
        &home,
        &[
            "package",
            dir.to_str().unwrap(),
            "-d",
            pkg.to_str().unwrap(),
        ],
    ));
    let repo = format!(
        "oci://{}/t/oci-plus-{}",
        env.registry,
        common::unique_name("r")
    );
    let c = creds(&env);
    let tgz = pkg.join("plus-0.1.0+build.7.tgz");
    let mut a = vec!["push", tgz.to_str().unwrap(), repo.as_str(), "--plain-http"];
    a.extend(c.iter().map(String::as_str));
    let out = ok(origanctl(&home, &a));
    let pushed = super::field(&out, "Pushed:");
    assert!(pushed.ends_with(":0.1.0_build.7"), "{pushed}");
    // Helm's lines, after Pushed:/Digest:, in Helm's order.
    let notice = format!(
        "{pushed} contains an underscore.\n{}\n",
        origan_registry::UNDERSCORE_MESSAGE
    );
    assert!(out.ends_with(&notice), "{out}");
    assert!(
        notice
            .contains("\n\nOCI artifact references (e.g. tags) do not support the plus sign (+).")
    );

    // Pull prints it as well (Helm checks the whole reference there).
    let dest = home.join("dest");
    let reference = format!("{repo}/plus");
    let mut a = vec![
        "pull",
        reference.as_str(),
        "--version",
        "0.1.0+build.7",
        "-d",
        dest.to_str().unwrap(),
        "--plain-http",
    ];
    a.extend(c.iter().map(String::as_str));
    let out = ok(origanctl(&home, &a));
    assert!(
        out.contains("contains an underscore.\n\nOCI artifact"),
        "{out}"
    );

    // No notice without `+`.
    let dir = make_chart(&home.join("plain"), "plus", "0.2.0");
    ok(origanctl(
        &home,
        &[
            "package",
            dir.to_str().unwrap(),
            "-d",
            pkg.to_str().unwrap(),
        ],
    ));
    let tgz = pkg.join("plus-0.2.0.tgz");
    let mut a = vec!["push", tgz.to_str().unwrap(), repo.as_str(), "--plain-http"];
    a.extend(c.iter().map(String::as_str));
    let out = ok(origanctl(&home, &a));
    assert!(!out.contains("underscore"), "{out}");
}
