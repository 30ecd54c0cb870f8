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
    value_to_data_depth(v, 0, '\u{fffd}')
}

/// encoding/json's text of a value (Helm's `toJson` family): `write` of
/// [`value_to_data`], except that each byte of a string that is not valid
/// UTF-8 is written as the escape `\ufffd`, as Go's encoder does, while a
/// real U+FFFD stays a character. `Data` holds text only, so those bytes
/// travel as a noncharacter the value does not contain (the JSON writers
/// print noncharacters as they are) and are swapped afterwards.
pub fn value_to_json<E>(
    v: &Value,
    write: impl Fn(&Data) -> Result<String, E>,
) -> Result<String, E> {
    if !has_byte_string(v, 0) {
        return write(&value_to_data(v));
    }
    let plain = value_to_data(v);
    let mut taken = std::collections::BTreeSet::new();
    noncharacters_in(&plain, &mut taken);
    let Some(mark) = ('\u{fdd0}'..='\u{fdef}').find(|c| !taken.contains(c)) else {
        return write(&plain);
    };
    let text = write(&value_to_data_depth(v, 0, mark))?;
    Ok(text.replace(mark, "\\ufffd"))
}

fn has_byte_string(v: &Value, depth: usize) -> bool {
    match v {
        _ if depth > MAX_DEPTH => false,
        Value::ByteString(_) => true,
        Value::List(l) => l.items.iter().any(|x| has_byte_string(x, depth + 1)),
        Value::Map(m) => m
            .entries
            .borrow()
            .values()
            .any(|x| has_byte_string(x, depth + 1)),
        _ => false,
    }
}

/// The noncharacters U+FDD0..U+FDEF that occur in `d`'s keys and strings.
fn noncharacters_in(d: &Data, out: &mut std::collections::BTreeSet<char>) {
    let mut scan =
        |s: &str| out.extend(s.chars().filter(|c| ('\u{fdd0}'..='\u{fdef}').contains(c)));
    match d {
        Data::String(s) => scan(s),
        Data::List(items) => items.iter().for_each(|x| noncharacters_in(x, out)),
        Data::Map(m) => {
            for (k, x) in m {
                out.extend(k.chars().filter(|c| ('\u{fdd0}'..='\u{fdef}').contains(c)));
                noncharacters_in(x, out);
            }
        }
        _ => {}
    }
}

/// Go's view of bytes as text (see `go_lossy`), with `bad` for each byte
/// that does not start a valid UTF-8 sequence.
fn lossy_with(bytes: &[u8], bad: char) -> String {
    let mut out = String::with_capacity(bytes.len());
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                out.push_str(s);
                return out;
            }
            Err(e) => {
                let (good, tail) = rest.split_at(e.valid_up_to());
                out.push_str(std::str::from_utf8(good).unwrap_or_default());
                out.push(bad);
                rest = &tail[1..];
            }
        }
    }
}

// A map that contains itself (`set $d "me" $d`) makes Go's json.Marshal fail
// with a cycle error; stop at a depth instead of overflowing the stack.
const MAX_DEPTH: usize = 1000;

/// `bad` stands for each invalid byte of a string.
fn value_to_data_depth(v: &Value, depth: usize, bad: char) -> Data {
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
        Value::ByteString(b) => Data::String(lossy_with(b, bad)),
        Value::Bytes(b) => Data::String(base64(b)),
        Value::List(l) => Data::List(
            l.items
                .iter()
                .map(|x| value_to_data_depth(x, depth + 1, bad))
                .collect(),
        ),
        Value::Map(m) => {
            let entries = m.entries.borrow();
            let mut out = BTreeMap::new();
            for (k, x) in entries.iter() {
                out.insert(k.clone(), value_to_data_depth(x, depth + 1, bad));
            }
            Data::Map(out)
        }
        Value::Object(o) => object_to_data(o.as_ref(), depth, bad),
    }
}

/// How encoding/json marshals a host object: through its `MarshalJSON`
/// (`time.Time`, `*semver.Version`), as its exported fields (Sprig's
/// certificates), through its Go map or slice, or as its string form.
fn object_to_data(o: &dyn origan_gotmpl::Object, depth: usize, bad: char) -> Data {
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
            Some(Ok(v)) => value_to_data_depth(&v, depth + 1, bad),
            _ => Data::String(String::new()),
        };
        return Data::Map(BTreeMap::from([
            ("Cert".to_string(), field("Cert")),
            ("Key".to_string(), field("Key")),
        ]));
    }
    match o.collection() {
        Some(v) => value_to_data_depth(&v, depth + 1, bad),
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
