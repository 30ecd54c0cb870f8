//! Conversions between the YAML/JSON data model (`origan_yaml::Data`) and
//! template values (`origan_gotmpl::Value`).
//!
//! Plain functions rather than `From` impls: both types live in other crates.

use std::collections::BTreeMap;

use origan_gotmpl::Value;
use origan_yaml::Data;

/// Values as templates see them. Integers in `Data` come only from `--set`
/// and are Go `int64` (strvals), floats are `float64` (every number of a
/// values file).
pub fn data_to_value(d: &Data) -> Value {
    match d {
        Data::Null => Value::Nil,
        Data::Bool(b) => Value::Bool(*b),
        Data::Int(i) => Value::int64(*i),
        Data::Uint(u) => Value::Uint(*u, origan_gotmpl::IntType::Uint64),
        Data::Float(f) => Value::Float(*f),
        Data::String(s) => Value::str(s.as_str()),
        Data::List(items) => Value::list(items.iter().map(data_to_value).collect()),
        Data::Map(m) => Value::map(
            m.iter()
                .map(|(k, v)| (k.clone(), data_to_value(v)))
                .collect(),
        ),
    }
}

/// Template values as `encoding/json` would marshal them (the first step of
/// `toYaml` and `toJson`). `[]byte` becomes base64 as Go's json does; host
/// objects become their string form.
pub fn value_to_data(v: &Value) -> Data {
    value_to_data_depth(v, 0)
}

// A map that contains itself (`set $d "me" $d`) makes Go's json.Marshal fail
// with a cycle error; stop at a depth instead of overflowing the stack.
const MAX_DEPTH: usize = 1000;

fn value_to_data_depth(v: &Value, depth: usize) -> Data {
    if depth > MAX_DEPTH {
        return Data::Null;
    }
    match v {
        Value::Nil => Data::Null,
        Value::Bool(b) => Data::Bool(*b),
        Value::Int(i, _) => Data::Int(*i),
        Value::Uint(u, _) => Data::Uint(*u),
        Value::Float(f) => Data::Float(*f),
        Value::String(s) => Data::String(s.to_string()),
        // encoding/json writes each invalid byte of a string as \ufffd.
        Value::ByteString(b) => Data::String(origan_gotmpl::value::go_lossy(b)),
        Value::Bytes(b) => Data::String(base64(b)),
        Value::List(l) => Data::List(
            l.items
                .iter()
                .map(|x| value_to_data_depth(x, depth + 1))
                .collect(),
        ),
        Value::Map(m) => {
            let entries = m.entries.borrow();
            let mut out = BTreeMap::new();
            for (k, x) in entries.iter() {
                out.insert(k.clone(), value_to_data_depth(x, depth + 1));
            }
            Data::Map(out)
        }
        Value::Object(o) => object_to_data(o.as_ref(), depth),
    }
}

/// How encoding/json marshals a host object: through its `MarshalJSON`
/// (`time.Time`, `*semver.Version`), as its exported fields (Sprig's
/// certificates), through its Go map or slice, or as its string form.
fn object_to_data(o: &dyn origan_gotmpl::Object, depth: usize) -> Data {
    if let Some(Ok(v)) = o.member("MarshalJSON", &[]) {
        let text = match &v {
            Value::String(s) => s.to_string(),
            Value::Bytes(b) => String::from_utf8_lossy(b).into_owned(),
            _ => String::new(),
        };
        if let Ok(d) = origan_yaml::from_json(&text) {
            return d;
        }
    }
    if o.type_name() == "sprig.certificate" {
        let field = |n: &str| match o.member(n, &[]) {
            Some(Ok(v)) => value_to_data_depth(&v, depth + 1),
            _ => Data::String(String::new()),
        };
        return Data::Map(BTreeMap::from([
            ("Cert".to_string(), field("Cert")),
            ("Key".to_string(), field("Key")),
        ]));
    }
    match o.collection() {
        Some(v) => value_to_data_depth(&v, depth + 1),
        None => Data::String(o.template_string()),
    }
}

/// Standard base64 with padding, as Go's `encoding/base64.StdEncoding`
/// (the `base64` crate the release codec already uses).
pub fn base64(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_pads_like_go() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"a"), "YQ==");
        assert_eq!(base64(b"ab"), "YWI=");
        assert_eq!(base64(b"abc"), "YWJj");
    }

    #[test]
    fn numbers_keep_their_go_types() {
        assert_eq!(data_to_value(&Data::Int(3)).type_name(), "int64");
        assert_eq!(data_to_value(&Data::Float(3.0)).type_name(), "float64");
        let m = data_to_value(&Data::Map(BTreeMap::new()));
        assert_eq!(m.type_name(), "map[string]interface {}");
    }
}
