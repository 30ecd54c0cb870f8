//! sigs.k8s.io/yaml's `Unmarshal` into `interface{}`, `map[string]interface{}` and
//! `[]interface{}`: yaml.v2 decoding, `convertToJSONableObject` (keys stringified, ±Inf/NaN
//! rejected by json.Marshal), then the JSON round trip that makes every number a float64.
//! Also Helm 4's multi-document `LoadValues` (k8s YAMLReader splitting + `MergeMaps`).
//! Does not own parsing (`compose.rs`) or encoding.

use std::collections::BTreeMap;

use crate::compose::{Node, go_sharp_v, parse_first_document};
use crate::{Data, Error, format_float_g, format_float_g32};

const CONVERT: &str = "error converting YAML to JSON";
const UNMARSHAL: &str = "error unmarshaling JSON: while decoding JSON";

/// `convertToJSONableObject` + `json.Marshal` + `json.Unmarshal` into `interface{}`.
pub(crate) fn node_to_data(n: &Node) -> Result<Data, Error> {
    Ok(match n {
        Node::Null => Data::Null,
        Node::Bool(b) => Data::Bool(*b),
        Node::Int(i) => Data::Float(*i as f64),
        Node::Uint(u) => Data::Float(*u as f64),
        Node::Float(f) => {
            if f.is_finite() {
                Data::Float(*f)
            } else {
                return Err(Error::new(format!(
                    "json: unsupported value: {}",
                    format_float_g(*f)
                )));
            }
        }
        Node::String(s) => Data::String(s.clone()),
        Node::Seq(items) => {
            let mut out = Vec::with_capacity(items.len());
            for it in items {
                out.push(node_to_data(it)?);
            }
            Data::List(out)
        }
        Node::Map(entries) => {
            let mut m = BTreeMap::new();
            for (k, v) in entries {
                let key = key_string(k, v)?;
                m.insert(key, node_to_data(v)?);
            }
            Data::Map(m)
        }
    })
}

/// How sigs.k8s.io/yaml turns a YAML map key into a JSON object key.
pub(crate) fn key_string(k: &Node, v: &Node) -> Result<String, Error> {
    Ok(match k {
        Node::String(s) => s.clone(),
        Node::Int(i) => i.to_string(),
        // Go formats float keys with bitSize 32 ("stolen from go-yaml").
        Node::Float(f) => match format_float_g32(*f).as_str() {
            "+Inf" => ".inf".into(),
            "-Inf" => "-.inf".into(),
            "NaN" => ".nan".into(),
            s => s.to_string(),
        },
        Node::Bool(b) => b.to_string(),
        Node::Null => {
            return Err(Error::new(format!(
                "unsupported map key of type: %!s(<nil>), key: <nil>, value: {}",
                sharp_v_value(v)
            )));
        }
        other => {
            let ty = match other {
                Node::Uint(_) => "uint64",
                _ => "interface {}",
            };
            return Err(Error::new(format!(
                "unsupported map key of type: {ty}, key: {}, value: {}",
                go_sharp_v(other),
                sharp_v_value(v)
            )));
        }
    })
}

fn sharp_v_value(v: &Node) -> String {
    match v {
        Node::Null => "<nil>".into(),
        other => go_sharp_v(other),
    }
}

/// sigs.k8s.io/yaml `Unmarshal(text, &interface{})` (first document only).
pub fn from_yaml(text: &str) -> Result<Data, Error> {
    let node = parse_first_document(text).map_err(|e| e.wrap(CONVERT))?;
    node_to_data(&node).map_err(|e| e.wrap(CONVERT))
}

fn json_type(d: &Data) -> &'static str {
    match d {
        Data::Null => "null",
        Data::Bool(_) => "bool",
        Data::Int(_) | Data::Uint(_) | Data::Float(_) => "number",
        Data::String(_) => "string",
        Data::List(_) => "array",
        Data::Map(_) => "object",
    }
}

/// sigs.k8s.io/yaml `Unmarshal(text, &map[string]interface{}{})`: Helm's `fromYaml` and
/// values files. A null document gives an empty map.
pub fn from_yaml_map(text: &str) -> Result<BTreeMap<String, Data>, Error> {
    match from_yaml(text)? {
        Data::Map(m) => Ok(m),
        Data::Null => Ok(BTreeMap::new()),
        other => Err(Error::new(format!(
            "{UNMARSHAL}: json: cannot unmarshal {} into Go value of type map[string]interface {{}}",
            json_type(&other)
        ))),
    }
}

/// sigs.k8s.io/yaml `Unmarshal(text, &[]interface{}{})`: Helm's `fromYamlArray`.
pub fn from_yaml_array(text: &str) -> Result<Data, Error> {
    match from_yaml(text)? {
        Data::List(l) => Ok(Data::List(l)),
        Data::Null => Ok(Data::List(Vec::new())),
        other => Err(Error::new(format!(
            "{UNMARSHAL}: json: cannot unmarshal {} into Go value of type []interface {{}}",
            json_type(&other)
        ))),
    }
}

/// Helm's `loader.MergeMaps`: maps merge deeply, anything else replaces; later wins.
pub fn merge_maps(
    mut a: BTreeMap<String, Data>,
    b: BTreeMap<String, Data>,
) -> BTreeMap<String, Data> {
    for (k, v) in b {
        match (a.remove(&k), v) {
            (Some(Data::Map(old)), Data::Map(new)) => {
                a.insert(k, Data::Map(merge_maps(old, new)));
            }
            (_, v) => {
                a.insert(k, v);
            }
        }
    }
    a
}

/// k8s.io/apimachinery `YAMLReader` document splitting, as Helm 4's `LoadValues` uses it.
fn yaml_reader_docs(text: &str) -> Result<Vec<String>, Error> {
    // The LineReader (bufio.ReadLine) strips "\n" or "\r\n" and the YAMLReader writes
    // every line back with "\n", the last one included.
    let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
    // Helm 4.2.x bug (fixed on main, #32506): a final unterminated line whose length is
    // an exact multiple of bufio's 4096-byte buffer is dropped by the LineReader.
    if let Some(last) = lines.last()
        && !last.ends_with('\n')
        && !last.is_empty()
        && last.len().is_multiple_of(4096)
    {
        lines.pop();
    }
    let mut docs = Vec::new();
    let mut buf = String::new();
    for line in lines {
        let line = line.strip_suffix('\n').unwrap_or(line);
        let line = line.strip_suffix('\r').unwrap_or(line);
        if let Some(rest) = line.strip_prefix("---") {
            let trimmed = rest.trim_matches(|c: char| c.is_whitespace());
            if !trimmed.is_empty() && !trimmed.starts_with('#') {
                return Err(Error::new(format!(
                    "error reading yaml document: invalid Yaml document separator: {trimmed}"
                )));
            }
            if !buf.is_empty() {
                docs.push(std::mem::take(&mut buf));
            }
            continue;
        }
        buf.push_str(line);
        buf.push('\n');
    }
    if !buf.is_empty() {
        docs.push(buf);
    }
    Ok(docs)
}

/// Helm 4 `loader.LoadValues`: every document of the stream through sigs.k8s.io/yaml
/// into a map, deep-merged in order. Errors read
/// `cannot unmarshal yaml document: error converting YAML to JSON: yaml: line 1: ...`
/// (the caller adds its own prefix such as `cannot load values.yaml: `).
pub fn load_values(text: &str) -> Result<BTreeMap<String, Data>, Error> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut values = BTreeMap::new();
    for doc in yaml_reader_docs(text)? {
        let m = from_yaml_map(&doc).map_err(|e| e.wrap("cannot unmarshal yaml document"))?;
        values = merge_maps(values, m);
    }
    Ok(values)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multi_doc_values() {
        let v = load_values("a: 1\n---\nb: 2\n---\na: 3").unwrap();
        assert_eq!(v.get("a"), Some(&Data::Float(3.0)));
        assert_eq!(v.get("b"), Some(&Data::Float(2.0)));
    }

    #[test]
    fn keys_and_errors() {
        let d = from_yaml("y: 1\n1.5: a\n").unwrap();
        let Data::Map(m) = d else { panic!() };
        assert!(m.contains_key("true") && m.contains_key("1.5"));
        let e = from_yaml("v: .inf").unwrap_err();
        assert_eq!(
            e.to_string(),
            "error converting YAML to JSON: json: unsupported value: +Inf"
        );
        let e = from_yaml("~: x").unwrap_err();
        assert_eq!(
            e.to_string(),
            "error converting YAML to JSON: unsupported map key of type: %!s(<nil>), key: <nil>, value: \"x\""
        );
    }
}
