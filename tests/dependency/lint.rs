//! `lint` of packaged charts and `lint --with-subcharts` of an umbrella whose
//! dependencies `dependency update` fetched: every chart the walk finds is
//! linted by origanctl and by the reference Helm, and the findings compared.

use super::*;

use origan_yaml::Data;
use origanctl::action::lint;

/// The chart's temporary copy differs per run: `<TMP>` in its place.
/// Also sorts the names of "missing these dependencies": Helm lists them in
/// the order its loader met the subcharts, which is Go map order (random;
/// origanctl sorts by name, COMPATIBILITY.md).
fn normalise(s: &str) -> String {
    let re = regex::Regex::new(r"/[^\s:]*/helm-lint[0-9-]+").unwrap();
    let s = re.replace_all(s, "<TMP>").into_owned();
    const MISSING: &str = "chart metadata is missing these dependencies: ";
    match s.split_once(MISSING) {
        Some((head, names)) => {
            let mut names: Vec<&str> = names.split(',').collect();
            names.sort_unstable();
            format!("{head}{MISSING}{}", names.join(","))
        }
        None => s,
    }
}

/// origanctl's findings for `path` as (severity, path, text) and errors.
fn ours_lint(path: &str) -> (Vec<(u64, String, String)>, Vec<String>, usize) {
    let opts = lint::LintOptions {
        namespace: "default".into(),
        ..Default::default()
    };
    let r = lint::lint(Path::new(path), &Data::Map(Default::default()), &opts);
    (
        r.messages
            .iter()
            .map(|m| (m.severity as u64, normalise(&m.path), normalise(&m.text)))
            .collect(),
        r.errors.iter().map(|e| normalise(e)).collect(),
        r.total_charts_linted,
    )
}

/// Helm's findings for `path` (tests/helm_ref.py lint).
fn helm_lint(path: &str) -> (Vec<(u64, String, String)>, Vec<String>, usize) {
    let v = helm_ref(&["lint", path]);
    (
        v["messages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| {
                (
                    m["severity"].as_u64().unwrap(),
                    normalise(m["path"].as_str().unwrap()),
                    normalise(m["error"].as_str().unwrap()),
                )
            })
            .collect(),
        v["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| normalise(e.as_str().unwrap()))
            .collect(),
        v["total_charts_linted"].as_u64().unwrap() as usize,
    )
}

#[test]
fn packaged_charts_and_subcharts_lint_as_in_helm() {
    let base = scratch("lint");
    let c = file_tree(&base, FILE_DEPS);
    ours(&base, &["dependency", "update", s(&c)]).unwrap();
    // An unpacked subchart with its own archive inside, and one whose template fails.
    let nested = subchart(&c.join("charts"), "sub3", "1.0.0");
    let deep = subchart(&base.join("deepsrc"), "deep", "0.0.1");
    helm_ref(&[
        "package",
        s(&deep),
        "--destination",
        s(&nested.join("charts")),
    ]);
    let bad = subchart(&base.join("badsrc"), "bad", "1.0.0");
    write(
        &bad.join("templates/oops.yaml"),
        "x: {{ .Values.missing.key }}\n",
    );
    helm_ref(&["package", s(&bad), "--destination", s(&c.join("charts"))]);

    let paths = lint::with_subcharts(&[s(&c).to_string()]);
    let rel: Vec<String> = paths
        .iter()
        .map(|p| p.strip_prefix(s(&c)).unwrap().to_string())
        .collect();
    // Every chart under charts/, walked in lexical order, once.
    assert_eq!(
        rel,
        [
            "",
            "/charts/bad-1.0.0.tgz",
            "/charts/sub1-0.2.0.tgz",
            "/charts/sub2-0.2.0.tgz",
            "/charts/sub3",
            "/charts/sub3/charts/deep-0.0.1.tgz",
        ]
    );
    let mut failed = 0;
    for p in &paths {
        let theirs = helm_lint(p);
        failed += usize::from(!theirs.1.is_empty());
        assert_eq!(ours_lint(p), theirs, "{p}");
    }
    assert!(failed >= 1, "the bad archive fails");
    // The CLI: one report per path; Helm's failures fail the run.
    let o = origanctl(&base, &["lint", s(&c), "--with-subcharts"]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(!o.status.success());
    for p in &paths {
        assert!(out.contains(&format!("==> Linting {p}\n")), "{out}");
    }
    assert_eq!(
        String::from_utf8_lossy(&o.stderr).trim(),
        format!("Error: 6 chart(s) linted, {failed} chart(s) failed")
    );
    // No temporary copy is left behind.
    assert!(
        !std::fs::read_dir(std::env::temp_dir())
            .unwrap()
            .filter_map(Result::ok)
            .any(|e| e
                .file_name()
                .to_string_lossy()
                .starts_with(&format!("helm-lint{}-", std::process::id())))
    );
}

#[test]
fn unreadable_archives_fail_as_in_helm() {
    let base = scratch("lintbad");
    let junk = base.join("junk.tgz");
    write(&junk, "not gzip\n");
    let long_junk = base.join("longjunk.tgz");
    write(&long_junk, "this is not a gzip stream at all\n");
    let empty = base.join("empty.tgz");
    write(&empty, "");
    let gone = base.join("gone.tgz");
    let noname = base.join("noname.tar.gz");
    {
        // A gzip tar whose Chart.yaml has no name.
        let mut tar = Vec::new();
        let body = b"apiVersion: v2\nversion: 1.0.0\n";
        let mut h = vec![0u8; 512];
        let name = b"x/Chart.yaml";
        h[..name.len()].copy_from_slice(name);
        h[100..108].copy_from_slice(b"0000644\0");
        h[124..136].copy_from_slice(format!("{:011o}\0", body.len()).as_bytes());
        h[136..148].copy_from_slice(b"00000000000\0");
        h[156] = b'0';
        h[257..263].copy_from_slice(b"ustar\0");
        h[263..265].copy_from_slice(b"00");
        h[148..156].copy_from_slice(b"        ");
        let sum: u32 = h.iter().map(|b| u32::from(*b)).sum();
        h[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
        tar.extend_from_slice(&h);
        tar.extend_from_slice(body);
        tar.resize(1024, 0);
        tar.extend_from_slice(&[0u8; 1024]);
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        std::io::Write::write_all(&mut gz, &tar).unwrap();
        std::fs::write(&noname, gz.finish().unwrap()).unwrap();
    }
    for p in [&junk, &long_junk, &empty, &gone, &noname] {
        let mine = ours_lint(s(p));
        assert_eq!(mine, helm_lint(s(p)), "{}", p.display());
        assert_eq!(mine.2, 0);
    }
}
