//! Fuzz target: parse and execute arbitrary templates (origan-gotmpl with
//! Sprig registered, plus Helm-like `include`/`tpl`) against a fixed data map.
//!
//! Owns the property "no template can panic, hang or blow the stack": runs use
//! a small step limit and depth limit. Does not check output against Helm
//! (that is the conformance suite's job).
//!
//! Functions removed from the map, so an input calling them fails to parse
//! and is skipped: slow key/hash derivation (bcrypt, htpasswd, scrypt-based
//! derivePassword, RSA/ECDSA/Ed25519 key and certificate generation), the
//! network (getHostByName) and the random generators whose cost is the size
//! argument (randBytes, randAlpha...): these are Helm-faithful by design and
//! their cost is the caller's choice, not an engine bug.
#![no_main]

use std::collections::BTreeMap;

use libfuzzer_sys::fuzz_target;
use origan_gotmpl::{ExecFunc, FuncError, FuncMap, MissingKey, Options, Param, Templates, Value};
use origan_yaml::Data;

/// Removed from the fuzzing FuncMap (see the module doc).
const EXCLUDED: &[&str] = &[
    "bcrypt",
    "htpasswd",
    "derivePassword",
    "genPrivateKey",
    "genCA",
    "genCAWithKey",
    "genSelfSignedCert",
    "genSelfSignedCertWithKey",
    "genSignedCert",
    "genSignedCertWithKey",
    "getHostByName",
    "randBytes",
    "randAlphaNum",
    "randAlpha",
    "randNumeric",
    "randAscii",
];

/// Values for `.Values`: a mix of every YAML type the conformance corpus uses.
const VALUES: &str = r#"
s: Hello World
pad: "  padded  "
csv: "a,b,,c"
url: "https://user:pass@example.com:8443/path/to/x?q=1&r=two#frag"
num: 42
f: 3.75
neg: -7
numstr: "123"
t: true
n: null
list: [b, a, c]
mixed: [3, "b", 1.5, true, null, {k: v}]
multi: "line1\nline2\nline3"
uni: "héllo wörld ☃"
empty: ""
nested: {a: {b: {c: [1, 2, {d: e}]}}, m: {}}
"#;

fn to_value(d: &Data) -> Value {
    match d {
        Data::Null => Value::Nil,
        Data::Bool(b) => Value::Bool(*b),
        Data::Int(i) => Value::int64(*i),
        Data::Uint(u) => Value::Uint(*u, origan_gotmpl::IntType::Uint64),
        Data::Float(f) => Value::Float(*f),
        Data::String(s) => Value::str(s.as_str()),
        Data::List(l) => Value::list(l.iter().map(to_value).collect()),
        Data::Map(m) => Value::named_map(
            m.iter().map(|(k, v)| (k.clone(), to_value(v))).collect(),
            "map[string]interface {}",
        ),
    }
}

fn base() -> (Templates, Value) {
    let mut funcs = FuncMap::new();
    origan_sprig::register(&mut funcs);
    for name in EXCLUDED {
        funcs.remove(name);
    }
    funcs.insert_exec(
        "include",
        ExecFunc::new(&[Param::String, Param::Any], |ex, args| {
            let name = args[0].as_str().unwrap_or_default().to_string();
            ex.execute_named(&name, &args[1])
                .map(Value::str)
                .map_err(|e| FuncError::new(e.to_string()))
        }),
    );
    funcs.insert_exec(
        "tpl",
        ExecFunc::new(&[Param::String, Param::Any], |ex, args| {
            let text = args[0].as_str().unwrap_or_default().to_string();
            let set = ex.templates().name().to_string();
            ex.execute_text(&set, &text, &args[1])
                .map(Value::str)
                .map_err(|e| FuncError::new(e.to_string()))
        }),
    );
    let mut set = Templates::new("gotpl", funcs);
    set.set_options(Options {
        missing_key: MissingKey::Zero,
        max_depth: 200,
        max_steps: 100_000,
    });
    let values = match origan_yaml::from_yaml(VALUES).expect("fixture values parse") {
        Data::Map(m) => m,
        _ => unreachable!("fixture values are a map"),
    };
    let values: BTreeMap<String, Value> = values
        .iter()
        .map(|(k, v)| (k.clone(), to_value(v)))
        .collect();
    let mut root = BTreeMap::new();
    root.insert(
        "Values".to_string(),
        Value::named_map(values, "common.Values"),
    );
    let mut release = BTreeMap::new();
    release.insert("Name".to_string(), Value::str("rel"));
    release.insert("Namespace".to_string(), Value::str("default"));
    release.insert("IsInstall".to_string(), Value::Bool(true));
    release.insert("Revision".to_string(), Value::int(1));
    root.insert("Release".to_string(), Value::map(release));
    (set, Value::named_map(root, "common.Values"))
}

thread_local! {
    static BASE: (Templates, Value) = base();
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    BASE.with(|(set, root)| {
        let mut set = set.clone();
        if set.parse("c/templates/a.yaml", text).is_err() {
            return;
        }
        let _ = set.execute("c/templates/a.yaml", root);
    });
});
