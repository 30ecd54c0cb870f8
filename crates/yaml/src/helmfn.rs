//! Helm's own template functions over this crate's readers, with their error conventions
//! (`pkg/engine/funcs.go`): `fromYaml`/`fromJson` put the message under an `Error` key of
//! the (possibly partial) map, `fromYamlArray`/`fromJsonArray` return a one-element list
//! holding the message, and the `to*` functions print "" on error (the caller maps `Err`
//! to ""). Owns only these conventions.

use std::collections::BTreeMap;

use crate::{Data, from_yaml_array, from_yaml_map, json};

fn with_error(mut m: BTreeMap<String, Data>, msg: String) -> Data {
    m.insert("Error".to_string(), Data::String(msg));
    Data::Map(m)
}

/// Helm `fromYaml`.
pub fn helm_from_yaml(text: &str) -> Data {
    match from_yaml_map(text) {
        Ok(m) => Data::Map(m),
        Err(e) => with_error(BTreeMap::new(), e.to_string()),
    }
}

/// Helm `fromYamlArray`.
pub fn helm_from_yaml_array(text: &str) -> Data {
    from_yaml_array(text).unwrap_or_else(|e| Data::List(vec![Data::String(e.to_string())]))
}

fn type_name(d: &Data) -> &'static str {
    match d {
        Data::Null => "null",
        Data::Bool(_) => "bool",
        Data::Int(_) | Data::Uint(_) | Data::Float(_) => "number",
        Data::String(_) => "string",
        Data::List(_) => "array",
        Data::Map(_) => "object",
    }
}

/// Helm `fromJson`: a type error deep inside keeps the partial map (with nulls).
pub fn helm_from_json(text: &str) -> Data {
    match json::decode(text) {
        Err(e) => with_error(BTreeMap::new(), e.to_string()),
        Ok((Data::Map(m), None)) => Data::Map(m),
        Ok((Data::Map(m), Some(e))) => with_error(m, e.to_string()),
        Ok((Data::Null, _)) => Data::Map(BTreeMap::new()),
        Ok((other, _)) => with_error(
            BTreeMap::new(),
            format!(
                "json: cannot unmarshal {} into Go value of type map[string]interface {{}}",
                type_name(&other)
            ),
        ),
    }
}

/// Helm `fromJsonArray`.
pub fn helm_from_json_array(text: &str) -> Data {
    let msg = match json::decode(text) {
        Err(e) => e.to_string(),
        Ok((Data::List(l), None)) => return Data::List(l),
        Ok((Data::Null, None)) => return Data::List(Vec::new()),
        Ok((Data::List(_), Some(e))) => e.to_string(),
        Ok((other, _)) => format!(
            "json: cannot unmarshal {} into Go value of type []interface {{}}",
            type_name(&other)
        ),
    };
    Data::List(vec![Data::String(msg)])
}
