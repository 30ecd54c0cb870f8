//! encoding/json as Helm uses it: `Marshal` (HTML-safe escaping, sorted keys, Go float
//! format), `MarshalIndent(v, "", "  ")`, an encoder with `SetEscapeHTML(false)` (Helm's
//! `toRawJson`), and `Unmarshal` into `interface{}` / map / slice with Go's syntax-error
//! texts. Also Go's `strconv.Quote` for error messages. Owns nothing YAML-specific.

use std::collections::BTreeMap;

use crate::{Data, Error, format_float_json};

fn write_string(out: &mut String, s: &str, escape_html: bool) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' if escape_html => {
                out.push_str("\\u00");
                out.push(HEX[(c as usize) >> 4] as char);
                out.push(HEX[(c as usize) & 0xf] as char);
            }
            c if (c as u32) < 0x20 => {
                out.push_str("\\u00");
                out.push(HEX[(c as usize) >> 4] as char);
                out.push(HEX[(c as usize) & 0xf] as char);
            }
            // Escaped unconditionally by Go (JSONP safety).
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out.push('"');
}

fn encode(
    out: &mut String,
    d: &Data,
    escape_html: bool,
    indent: Option<usize>,
) -> Result<(), Error> {
    let nl = |out: &mut String, depth: usize| {
        out.push('\n');
        for _ in 0..depth {
            out.push_str("  ");
        }
    };
    match d {
        Data::Null => out.push_str("null"),
        Data::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Data::Int(i) => out.push_str(&i.to_string()),
        Data::Uint(u) => out.push_str(&u.to_string()),
        Data::Float(f) => {
            if !f.is_finite() {
                return Err(Error::new(format!(
                    "json: unsupported value: {}",
                    crate::format_float_g(*f)
                )));
            }
            out.push_str(&format_float_json(*f));
        }
        Data::String(s) => write_string(out, s, escape_html),
        Data::List(items) => {
            out.push('[');
            if items.is_empty() {
                out.push(']');
                return Ok(());
            }
            for (i, it) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                if let Some(depth) = indent {
                    nl(out, depth + 1);
                }
                encode(out, it, escape_html, indent.map(|d| d + 1))?;
            }
            if let Some(depth) = indent {
                nl(out, depth);
            }
            out.push(']');
        }
        Data::Map(m) => {
            out.push('{');
            if m.is_empty() {
                out.push('}');
                return Ok(());
            }
            for (i, (k, v)) in m.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                if let Some(depth) = indent {
                    nl(out, depth + 1);
                }
                write_string(out, k, escape_html);
                out.push(':');
                if indent.is_some() {
                    out.push(' ');
                }
                encode(out, v, escape_html, indent.map(|d| d + 1))?;
            }
            if let Some(depth) = indent {
                nl(out, depth);
            }
            out.push('}');
        }
    }
    Ok(())
}

/// `json.Marshal` (Helm's `toJson`).
pub fn to_json(d: &Data) -> Result<String, Error> {
    let mut out = String::new();
    encode(&mut out, d, true, None)?;
    Ok(out)
}

/// `json.MarshalIndent(v, "", "  ")` (Helm's `toPrettyJson`).
pub fn to_json_pretty(d: &Data) -> Result<String, Error> {
    let mut out = String::new();
    encode(&mut out, d, true, Some(0))?;
    Ok(out)
}

/// An encoder with `SetEscapeHTML(false)`, trailing newline trimmed (Helm's `toRawJson`).
pub fn to_raw_json(d: &Data) -> Result<String, Error> {
    let mut out = String::new();
    encode(&mut out, d, false, None)?;
    Ok(out)
}

/// Go `strconv.Quote`.
pub(crate) fn go_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c if c.is_control() => {
                if (c as u32) < 0x10000 {
                    out.push_str(&format!("\\u{:04x}", c as u32))
                } else {
                    out.push_str(&format!("\\U{:08x}", c as u32))
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Go's `quoteChar` for scanner errors (a byte, not a rune).
fn quote_char(c: u8) -> String {
    match c {
        b'\'' => "'\\''".into(),
        b'"' => "'\"'".into(),
        c if c >= 0x80 => format!("'\\x{c:02x}'"),
        c => {
            let q = go_quote(&(c as char).to_string());
            format!("'{}'", &q[1..q.len() - 1])
        }
    }
}

struct P<'a> {
    b: &'a [u8],
    i: usize,
    depth: usize,
    /// encoding/json keeps decoding after a type error and reports the first one.
    type_err: Option<Error>,
}

fn is_ws(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r')
}

impl P<'_> {
    fn err_at(&self, what: &str) -> Error {
        if self.i >= self.b.len() {
            return Error::new("unexpected end of JSON input");
        }
        Error::new(format!(
            "invalid character {} {what}",
            quote_char(self.b[self.i])
        ))
    }
    fn ws(&mut self) {
        while self.i < self.b.len() && is_ws(self.b[self.i]) {
            self.i += 1;
        }
    }
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }
    fn value(&mut self) -> Result<Data, Error> {
        self.ws();
        match self.peek() {
            None => Err(Error::new("unexpected end of JSON input")),
            Some(b'{') => {
                self.depth += 1;
                if self.depth > crate::MAX_DEPTH {
                    return Err(Error::new("exceeded max depth"));
                }
                self.i += 1;
                let mut m = BTreeMap::new();
                self.ws();
                if self.peek() == Some(b'}') {
                    self.i += 1;
                    self.depth -= 1;
                    return Ok(Data::Map(m));
                }
                loop {
                    self.ws();
                    if self.peek() != Some(b'"') {
                        return Err(self.err_at("looking for beginning of object key string"));
                    }
                    let k = self.string()?;
                    self.ws();
                    if self.peek() != Some(b':') {
                        return Err(self.err_at("after object key"));
                    }
                    self.i += 1;
                    let v = self.value()?;
                    m.insert(k, v);
                    self.ws();
                    match self.peek() {
                        Some(b',') => self.i += 1,
                        Some(b'}') => {
                            self.i += 1;
                            self.depth -= 1;
                            return Ok(Data::Map(m));
                        }
                        _ => return Err(self.err_at("after object key:value pair")),
                    }
                }
            }
            Some(b'[') => {
                self.depth += 1;
                if self.depth > crate::MAX_DEPTH {
                    return Err(Error::new("exceeded max depth"));
                }
                self.i += 1;
                let mut l = Vec::new();
                self.ws();
                if self.peek() == Some(b']') {
                    self.i += 1;
                    self.depth -= 1;
                    return Ok(Data::List(l));
                }
                loop {
                    l.push(self.value()?);
                    self.ws();
                    match self.peek() {
                        Some(b',') => self.i += 1,
                        Some(b']') => {
                            self.i += 1;
                            self.depth -= 1;
                            return Ok(Data::List(l));
                        }
                        _ => return Err(self.err_at("after array element")),
                    }
                }
            }
            Some(b'"') => Ok(Data::String(self.string()?)),
            Some(b't') => self.literal("true", Data::Bool(true)),
            Some(b'f') => self.literal("false", Data::Bool(false)),
            Some(b'n') => self.literal("null", Data::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(self.err_at("looking for beginning of value")),
        }
    }
    fn literal(&mut self, word: &str, v: Data) -> Result<Data, Error> {
        for (k, &w) in word.as_bytes().iter().enumerate() {
            match self.peek() {
                Some(c) if c == w => self.i += 1,
                None => return Err(Error::new("unexpected end of JSON input")),
                Some(_) => {
                    return Err(self.err_at(&format!(
                        "in literal {word} (expecting {})",
                        quote_char(word.as_bytes()[k])
                    )));
                }
            }
        }
        Ok(v)
    }
    fn digits(&mut self) -> usize {
        let st = self.i;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.i += 1;
        }
        self.i - st
    }
    fn number(&mut self) -> Result<Data, Error> {
        let st = self.i;
        if self.peek() == Some(b'-') {
            self.i += 1;
            if !self.peek().is_some_and(|c| c.is_ascii_digit()) {
                return Err(self.err_at("in numeric literal"));
            }
        }
        if self.peek() == Some(b'0') {
            self.i += 1;
        } else {
            self.digits();
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            if self.digits() == 0 {
                return Err(self.err_at("after decimal point in numeric literal"));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if self.digits() == 0 {
                return Err(self.err_at("in exponent of numeric literal"));
            }
        }
        let text = std::str::from_utf8(&self.b[st..self.i]).unwrap_or("0");
        match text.parse::<f64>() {
            Ok(f) if f.is_finite() => Ok(Data::Float(f)),
            _ => {
                if self.type_err.is_none() {
                    self.type_err = Some(Error::new(format!(
                        "json: cannot unmarshal number {text} into Go value of type float64"
                    )));
                }
                Ok(Data::Null)
            }
        }
    }
    fn hex4(&mut self) -> Result<u32, Error> {
        let mut v = 0u32;
        for _ in 0..4 {
            match self.peek() {
                Some(c) if c.is_ascii_hexdigit() => {
                    v = v * 16 + (c as char).to_digit(16).unwrap_or(0);
                    self.i += 1;
                }
                _ => return Err(self.err_at("in \\u hexadecimal character escape")),
            }
        }
        Ok(v)
    }
    fn string(&mut self) -> Result<String, Error> {
        self.i += 1;
        let mut out: Vec<u8> = Vec::new();
        loop {
            let Some(c) = self.peek() else {
                return Err(Error::new("unexpected end of JSON input"));
            };
            match c {
                b'"' => {
                    self.i += 1;
                    return Ok(String::from_utf8_lossy(&out).into_owned());
                }
                b'\\' => {
                    self.i += 1;
                    let Some(e) = self.peek() else {
                        return Err(Error::new("unexpected end of JSON input"));
                    };
                    let simple = match e {
                        b'"' => Some(b'"'),
                        b'\\' => Some(b'\\'),
                        b'/' => Some(b'/'),
                        b'b' => Some(8),
                        b'f' => Some(12),
                        b'n' => Some(b'\n'),
                        b'r' => Some(b'\r'),
                        b't' => Some(b'\t'),
                        b'u' => None,
                        _ => return Err(self.err_at("in string escape code")),
                    };
                    self.i += 1;
                    if let Some(s) = simple {
                        out.push(s);
                        continue;
                    }
                    let mut cp = self.hex4()?;
                    if (0xD800..0xDC00).contains(&cp)
                        && self.b.get(self.i) == Some(&b'\\')
                        && self.b.get(self.i + 1) == Some(&b'u')
                    {
                        let save = self.i;
                        self.i += 2;
                        let lo = self.hex4()?;
                        if (0xDC00..0xE000).contains(&lo) {
                            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                        } else {
                            self.i = save;
                        }
                    }
                    let ch = char::from_u32(cp).unwrap_or('\u{fffd}');
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                }
                c if c < 0x20 => return Err(self.err_at("in string literal")),
                c => {
                    out.push(c);
                    self.i += 1;
                }
            }
        }
    }
}

/// `json.Unmarshal` into `interface{}`: numbers are float64; errors use Go's wording
/// (`invalid character 'b' looking for beginning of value`, `unexpected end of JSON input`).
pub fn from_json(text: &str) -> Result<Data, Error> {
    let (v, type_err) = decode(text)?;
    match type_err {
        Some(e) => Err(e),
        None => Ok(v),
    }
}

/// Syntax errors fail outright; a type error (number out of float64 range) leaves a null
/// in its place and is returned beside the partial value, as encoding/json does.
pub(crate) fn decode(text: &str) -> Result<(Data, Option<Error>), Error> {
    let mut p = P {
        b: text.as_bytes(),
        i: 0,
        depth: 0,
        type_err: None,
    };
    let v = p.value()?;
    p.ws();
    if p.i < p.b.len() {
        return Err(p.err_at("after top-level value"));
    }
    Ok((v, p.type_err))
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

/// `json.Unmarshal` into `map[string]interface{}` (Helm's `fromJson`); `null` is empty.
pub fn from_json_map(text: &str) -> Result<BTreeMap<String, Data>, Error> {
    match from_json(text)? {
        Data::Map(m) => Ok(m),
        Data::Null => Ok(BTreeMap::new()),
        other => Err(Error::new(format!(
            "json: cannot unmarshal {} into Go value of type map[string]interface {{}}",
            type_name(&other)
        ))),
    }
}

/// `json.Unmarshal` into `[]interface{}` (Helm's `fromJsonArray`); `null` is empty.
pub fn from_json_array(text: &str) -> Result<Data, Error> {
    match from_json(text)? {
        Data::List(l) => Ok(Data::List(l)),
        Data::Null => Ok(Data::List(Vec::new())),
        other => Err(Error::new(format!(
            "json: cannot unmarshal {} into Go value of type []interface {{}}",
            type_name(&other)
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roundtrip_and_errors() {
        let d = from_json(r#"{"b":[1,2.5,"<x>"],"a":null}"#).unwrap();
        assert_eq!(
            to_json(&d).unwrap(),
            r#"{"a":null,"b":[1,2.5,"\u003cx\u003e"]}"#
        );
        assert_eq!(to_raw_json(&d).unwrap(), r#"{"a":null,"b":[1,2.5,"<x>"]}"#);
        assert_eq!(
            from_json("bad").unwrap_err().to_string(),
            "invalid character 'b' looking for beginning of value"
        );
        assert_eq!(
            from_json("{").unwrap_err().to_string(),
            "unexpected end of JSON input"
        );
    }
}
