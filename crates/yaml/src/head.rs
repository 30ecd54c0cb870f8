//! Helm's manifest head: `yaml.Unmarshal(doc, &SimpleHead{})` with sigs.k8s.io/yaml, i.e.
//! `apiVersion`, `kind`, `metadata.name`, `metadata.annotations` (map[string]string), with
//! sigs.k8s.io/yaml's coercion of scalars into string fields (`kind: 1` → `"1"`, floats
//! with bitSize 32) and encoding/json's type errors. Owns nothing else.

use std::collections::BTreeMap;

use crate::compose::{Node, parse_first_document};
use crate::convert::node_to_data;
use crate::{Data, Error, format_float_g32};

/// The fields of Helm's `SimpleHead` (`pkg/release/v1/util`, Go type `util.SimpleHead`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Head {
    pub api_version: String,
    pub kind: String,
    /// `None` when the document has no (or a null) `metadata`.
    pub name: Option<String>,
    pub annotations: BTreeMap<String, String>,
}

const UNMARSHAL: &str = "error unmarshaling JSON: while decoding JSON";
const CONVERT: &str = "error converting YAML to JSON";

fn json_kind(d: &Data) -> &'static str {
    match d {
        Data::Null => "null",
        Data::Bool(_) => "bool",
        Data::Int(_) | Data::Uint(_) | Data::Float(_) => "number",
        Data::String(_) => "string",
        Data::List(_) => "array",
        Data::Map(_) => "object",
    }
}

/// What a scalar becomes in a Go `string` field of a typed target (Chart.yaml's `version`,
/// `appVersion`, annotation values, ...): sigs.k8s.io/yaml turns numbers and booleans into
/// strings first (`1.0` → `"1"`, `1.10` → `"1.1"`: floats with bitSize 32). `None` for
/// null (the field keeps its zero value) and for maps and lists (a JSON type error).
pub fn coerce_string(n: &Node) -> Option<String> {
    match coerce(n) {
        Node::String(s) => Some(s),
        _ => None,
    }
}

/// sigs.k8s.io/yaml's conversion of a YAML scalar headed for a Go string field. (encoding/json
/// names nested fields of the anonymous metadata struct `.metadata.name`.)
fn coerce(n: &Node) -> Node {
    match n {
        Node::Int(i) => Node::String(i.to_string()),
        Node::Uint(u) => Node::String(u.to_string()),
        Node::Float(f) => Node::String(format_float_g32(*f)),
        Node::Bool(b) => Node::String(b.to_string()),
        other => other.clone(),
    }
}

fn get<'a>(entries: &'a [(Node, Node)], key: &str) -> Option<&'a Node> {
    entries
        .iter()
        .rev()
        .find(|(k, _)| matches!(k, Node::String(s) if s == key))
        .map(|(_, v)| v)
}

fn string_field(n: Option<&Node>, field: &str) -> Result<String, Error> {
    let Some(n) = n else {
        return Ok(String::new());
    };
    let d = node_to_data(&coerce(n)).map_err(|e| e.wrap(CONVERT))?;
    match d {
        Data::String(s) => Ok(s),
        Data::Null => Ok(String::new()),
        other => Err(Error::new(format!(
            "{UNMARSHAL}: json: cannot unmarshal {} into Go struct field {field} of type string",
            json_kind(&other)
        ))),
    }
}

/// [`parse_head`] of a Go string, which need not be valid UTF-8: yaml.v2's
/// reader refuses bad bytes before anything is parsed.
pub fn parse_head_bytes(doc: &[u8]) -> Result<Head, Error> {
    match std::str::from_utf8(doc) {
        Ok(text) => parse_head(text),
        Err(_) => Err(crate::reader::reader_error(doc)
            .unwrap_or_else(|| Error::new("yaml: invalid UTF-8"))
            .wrap(CONVERT)),
    }
}

/// Parses a rendered manifest document's head as Helm's `SortManifests` does. The error
/// text is what follows `YAML parse error on FILE: `.
pub fn parse_head(doc: &str) -> Result<Head, Error> {
    let node = parse_first_document(doc).map_err(|e| e.wrap(CONVERT))?;
    // Other fields still have to convert to JSON (e.g. `.inf` anywhere is an error).
    let whole = node_to_data(&node).map_err(|e| e.wrap(CONVERT))?;
    let entries = match &node {
        Node::Map(e) => e,
        Node::Null => return Ok(Head::default()),
        _ => {
            return Err(Error::new(format!(
                "{UNMARSHAL}: json: cannot unmarshal {} into Go value of type util.SimpleHead",
                json_kind(&whole)
            )));
        }
    };
    let mut head = Head {
        api_version: string_field(get(entries, "apiVersion"), "SimpleHead.apiVersion")?,
        kind: string_field(get(entries, "kind"), "SimpleHead.kind")?,
        ..Head::default()
    };
    match get(entries, "metadata") {
        None | Some(Node::Null) => {}
        Some(Node::Map(meta)) => {
            head.name = Some(string_field(get(meta, "name"), ".metadata.name")?);
            match get(meta, "annotations") {
                None | Some(Node::Null) => {}
                Some(Node::Map(ann)) => {
                    for (k, v) in ann {
                        let key = crate::convert::key_string(k, v).map_err(|e| e.wrap(CONVERT))?;
                        let val = string_field(Some(v), ".metadata.annotations")?;
                        head.annotations.insert(key, val);
                    }
                }
                Some(other) => {
                    let d = node_to_data(other).map_err(|e| e.wrap(CONVERT))?;
                    return Err(Error::new(format!(
                        "{UNMARSHAL}: json: cannot unmarshal {} into Go struct field .metadata.annotations of type map[string]string",
                        json_kind(&d)
                    )));
                }
            }
        }
        Some(other) => {
            let d = node_to_data(other).map_err(|e| e.wrap(CONVERT))?;
            return Err(Error::new(format!(
                "{UNMARSHAL}: json: cannot unmarshal {} into Go struct field SimpleHead.metadata of type struct {{ Name string \"json:\\\"name\\\"\"; Annotations map[string]string \"json:\\\"annotations\\\"\" }}",
                json_kind(&d)
            )));
        }
    }
    Ok(head)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads() {
        let h = parse_head("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  annotations:\n    helm.sh/hook: pre-install\n    num: 1\n").unwrap();
        assert_eq!(h.kind, "ConfigMap");
        assert_eq!(h.name.as_deref(), Some("x"));
        assert_eq!(h.annotations.get("num").map(String::as_str), Some("1"));
        assert_eq!(parse_head("# only a comment\n").unwrap(), Head::default());
        let e = parse_head("- a\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type util.SimpleHead"
        );
    }
}
