//! Compares the `--set` family parsers with results recorded from Helm v4.2.3
//! (tests/data/strvals.json, written by tests/record_strvals.py).

use std::collections::BTreeMap;

use origan_chart::strvals;
use origan_yaml::Data;

fn golden() -> serde_json::Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/strvals.json"
    ))
    .expect("golden file");
    serde_json::from_str(&text).expect("valid JSON")
}

/// Converts recorded JSON to `Data`; integral numbers become `Int` (int64 from
/// `--set`) or `Float` (float64 from `--set-json`), per `floats`.
fn to_data(v: &serde_json::Value, floats: bool) -> Data {
    use serde_json::Value as V;
    match v {
        V::Null => Data::Null,
        V::Bool(b) => Data::Bool(*b),
        V::Number(n) => {
            if floats || n.is_f64() {
                Data::Float(n.as_f64().unwrap())
            } else {
                Data::Int(n.as_i64().unwrap())
            }
        }
        V::String(s) => Data::String(s.clone()),
        V::Array(a) => Data::List(a.iter().map(|x| to_data(x, floats)).collect()),
        V::Object(o) => Data::Map(
            o.iter()
                .map(|(k, x)| (k.clone(), to_data(x, floats)))
                .collect(),
        ),
    }
}

type ParseFn = fn(&str, &mut BTreeMap<String, Data>) -> Result<(), strvals::StrvalsError>;

fn check(section: &str, parse: ParseFn, floats: bool, exact_errors: bool) -> usize {
    let g = golden();
    let mut failures = Vec::new();
    let cases = g[section].as_array().unwrap();
    for case in cases {
        let expr = case["expr"].as_str().unwrap();
        let mut out = BTreeMap::new();
        let got = parse(expr, &mut out);
        match (&case.get("result"), &case.get("error")) {
            (Some(want), _) => {
                let want = to_data(want, floats);
                match got {
                    Ok(()) if Data::Map(out.clone()) == want => {}
                    other => {
                        failures.push(format!("{expr:?}: want {want:?}, got {other:?} {out:?}"))
                    }
                }
            }
            (None, Some(want)) => match got {
                Err(e) if !exact_errors || e.0 == want.as_str().unwrap() => {}
                other => failures.push(format!(
                    "{expr:?}: want error {want}, got {other:?} {out:?}"
                )),
            },
            _ => unreachable!(),
        }
    }
    assert!(
        failures.is_empty(),
        "{section}: {} of {} differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    cases.len()
}

#[test]
fn set_matches_helm() {
    assert!(check("set", strvals::parse_set, false, true) >= 100);
}

#[test]
fn set_string_matches_helm() {
    check("set_string", strvals::parse_set_string, false, true);
}

#[test]
fn set_json_matches_helm() {
    check("set_json", strvals::parse_set_json, true, true);
}

#[test]
fn set_literal_matches_helm() {
    check("set_literal", strvals::parse_set_literal, false, true);
}

#[test]
fn set_file_matches_helm() {
    let g = golden();
    for case in g["set_file"].as_array().unwrap() {
        let expr = case["expr"].as_str().unwrap();
        let files = case["files"].as_object().unwrap().clone();
        let mut reader = |p: &str| -> Result<Data, String> {
            files
                .get(p)
                .map(|c| Data::String(c.as_str().unwrap().to_string()))
                .ok_or_else(|| format!("open {p}: no such file or directory"))
        };
        let mut out = BTreeMap::new();
        let got = strvals::parse_set_file(expr, &mut out, &mut reader);
        if let Some(want) = case.get("result") {
            assert!(got.is_ok(), "{expr}: {got:?}");
            assert_eq!(Data::Map(out), to_data(want, false), "{expr}");
        } else {
            assert_eq!(
                got.unwrap_err().0,
                case["error"].as_str().unwrap(),
                "{expr}"
            );
        }
    }
}

#[test]
fn index_limit_boundary() {
    let mut out = BTreeMap::new();
    strvals::parse_set("a[65536]=x", &mut out).unwrap();
    let Data::List(l) = &out["a"] else { panic!() };
    assert_eq!(l.len(), 65537);
}
