//! yaml.v2's `decoder.scalar` into `interface{}`: tag handling (`!!str`, `!!int`,
//! `!!float`, `!!null`, `!!binary`, unknown tags), the resolver call and its
//! "cannot decode" errors, and Go's `%#v` of decoded values for error texts. Owns no
//! parsing or composing.

use crate::Error;
use crate::compose::Node;
use crate::resolve::{
    self, BINARY_TAG, BOOL_TAG, FLOAT_TAG, INT_TAG, MERGE_TAG, NULL_TAG, Resolved, STR_TAG,
    TIMESTAMP_TAG,
};

fn short_tag(tag: &str) -> String {
    match tag.strip_prefix("tag:yaml.org,2002:") {
        Some(rest) => format!("!!{rest}"),
        None => tag.to_string(),
    }
}

/// yaml.v2 `decoder.scalar` into `interface{}`.
pub(crate) fn scalar(value: &str, tag: Option<&str>, implicit: bool) -> Result<Node, Error> {
    let tag = tag.unwrap_or("");
    if tag.is_empty() && !implicit {
        return Ok(Node::String(value.to_string()));
    }
    let resolvable = matches!(
        tag,
        "" | STR_TAG | BOOL_TAG | INT_TAG | FLOAT_TAG | TIMESTAMP_TAG | NULL_TAG
    );
    if !resolvable {
        if tag == BINARY_TAG {
            return decode_binary(value);
        }
        // Unknown tags (and `!!null`, `!`, `!foo`) leave the text as a string.
        return Ok(Node::String(value.to_string()));
    }
    let r = if tag == STR_TAG {
        Resolved::Str
    } else {
        resolve::resolve_plain(value)
    };
    let (rtag, node) = match r {
        Resolved::Null => (NULL_TAG, Node::Null),
        Resolved::Bool(b) => (BOOL_TAG, Node::Bool(b)),
        Resolved::Int(i) => (INT_TAG, Node::Int(i)),
        Resolved::Uint(u) => (INT_TAG, Node::Uint(u)),
        Resolved::Float(f) => (FLOAT_TAG, Node::Float(f)),
        Resolved::Timestamp => (TIMESTAMP_TAG, Node::String(value.to_string())),
        Resolved::Merge => (MERGE_TAG, Node::String(value.to_string())),
        Resolved::Str => (STR_TAG, Node::String(value.to_string())),
    };
    if tag.is_empty() || tag == rtag || tag == STR_TAG {
        return Ok(node);
    }
    if tag == FLOAT_TAG && rtag == INT_TAG {
        return Ok(match node {
            Node::Int(i) => Node::Float(i as f64),
            Node::Uint(u) => Node::Float(u as f64),
            n => n,
        });
    }
    Err(Error::new(format!(
        "yaml: cannot decode {} `{}` as a {}",
        short_tag(rtag),
        value,
        short_tag(tag)
    )))
}

fn decode_binary(value: &str) -> Result<Node, Error> {
    // Go's base64.StdEncoding.DecodeString ignores \r and \n.
    let clean: Vec<u8> = value
        .bytes()
        .filter(|&c| c != b'\n' && c != b'\r')
        .collect();
    match base64_decode(&clean) {
        Some(bytes) => Ok(Node::String(String::from_utf8_lossy(&bytes).into_owned())),
        None => Err(Error::new(
            "yaml: !!binary value contains invalid base64 data",
        )),
    }
}

fn base64_decode(s: &[u8]) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(4) {
        return None;
    }
    let val = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => (c - b'A') as u32,
            b'a'..=b'z' => (c - b'a' + 26) as u32,
            b'0'..=b'9' => (c - b'0' + 52) as u32,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        })
    };
    let mut out = Vec::with_capacity(s.len() / 4 * 3);
    let chunks = s.len() / 4;
    for (ci, ch) in s.chunks(4).enumerate() {
        let pad = ch.iter().rev().take_while(|&&c| c == b'=').count();
        if pad > 2 || (pad > 0 && ci + 1 != chunks) {
            return None;
        }
        let mut n = 0u32;
        for &c in &ch[..4 - pad] {
            n = (n << 6) | val(c)?;
        }
        n <<= 6 * pad as u32;
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..3 - pad]);
    }
    Some(out)
}

/// Go's `%#v` of a decoded value (used in yaml.v2 and sigs.k8s.io/yaml error texts).
pub(crate) fn go_sharp_v(n: &Node) -> String {
    match n {
        Node::Null => "interface {}(nil)".into(),
        Node::Bool(b) => b.to_string(),
        Node::Int(i) => i.to_string(),
        Node::Uint(u) => format!("0x{u:x}"),
        Node::Float(f) => crate::format_float_g(*f),
        Node::String(s) => crate::json::go_quote(s),
        Node::Seq(items) => {
            let parts: Vec<String> = items.iter().map(go_sharp_v_elem).collect();
            format!("[]interface {{}}{{{}}}", parts.join(", "))
        }
        Node::Map(entries) => {
            let mut parts: Vec<String> = entries
                .iter()
                .map(|(k, v)| format!("{}:{}", go_sharp_v_elem(k), go_sharp_v_elem(v)))
                .collect();
            parts.sort();
            format!("map[interface {{}}]interface {{}}{{{}}}", parts.join(", "))
        }
    }
}

/// Inside containers Go prints the dynamic type of interface elements only for nil.
fn go_sharp_v_elem(n: &Node) -> String {
    match n {
        Node::Null => "interface {}(nil)".into(),
        other => go_sharp_v(other),
    }
}
