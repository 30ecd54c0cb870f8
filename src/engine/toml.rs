//! `toToml` and `fromToml` (Helm's `funcs.go`, BurntSushi/toml's encoder).
//!
//! Owns the encoder's layout: plain keys before tables, sorted keys, two-space
//! indentation of nested tables, a blank line before top-level tables and
//! before each `[[array]]` table, floats in Go's `g` form with `.0` added to
//! integral ones.

use std::collections::BTreeMap;
use std::fmt::Write;

use origan_yaml::Data;

/// Encodes `d` as BurntSushi's encoder does; on failure returns the error
/// text, as Helm's `toToml` does.
pub fn to_toml(d: &Data) -> String {
    let mut out = String::new();
    match d {
        Data::Map(m) => write_table(&mut out, &[], m),
        Data::List(items) if items.iter().any(|x| matches!(x, Data::Map(_))) => {
            return "toml: top-level values must be Go maps or structs".to_string();
        }
        Data::Null => {}
        other => {
            inline(&mut out, other);
        }
    }
    out
}

fn is_table(d: &Data) -> bool {
    match d {
        Data::Map(_) => true,
        Data::List(items) => !items.is_empty() && items.iter().all(|x| matches!(x, Data::Map(_))),
        _ => false,
    }
}

fn indent(depth: usize) -> String {
    "  ".repeat(depth.saturating_sub(1))
}

fn newline(out: &mut String) {
    if !out.is_empty() {
        out.push('\n');
    }
}

fn key_path(keys: &[&str]) -> String {
    keys.iter()
        .map(|k| quote_key(k))
        .collect::<Vec<_>>()
        .join(".")
}

fn write_table(out: &mut String, path: &[&str], m: &BTreeMap<String, Data>) {
    for (k, v) in m {
        if matches!(v, Data::Null) || is_table(v) {
            continue;
        }
        let mut full = path.to_vec();
        full.push(k);
        let _ = write!(out, "{}{} = ", indent(full.len()), quote_key(k));
        inline(out, v);
        out.push('\n');
    }
    for (k, v) in m {
        let mut full = path.to_vec();
        full.push(k);
        match v {
            Data::Map(sub) => {
                if full.len() == 1 {
                    newline(out);
                }
                let _ = writeln!(out, "{}[{}]", indent(full.len()), key_path(&full));
                write_table(out, &full, sub);
            }
            Data::List(items) if is_table(v) => {
                for item in items {
                    if let Data::Map(sub) = item {
                        newline(out);
                        let _ = writeln!(out, "{}[[{}]]", indent(full.len()), key_path(&full));
                        write_table(out, &full, sub);
                    }
                }
            }
            _ => {}
        }
    }
}

fn inline(out: &mut String, d: &Data) {
    match d {
        Data::Null => {}
        Data::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Data::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Data::Uint(u) => {
            let _ = write!(out, "{u}");
        }
        Data::Float(f) => out.push_str(&float(*f)),
        Data::String(s) => out.push_str(&quote(s)),
        Data::List(items) => {
            out.push('[');
            for (i, x) in items
                .iter()
                .filter(|x| !matches!(x, Data::Null))
                .enumerate()
            {
                if i > 0 {
                    out.push_str(", ");
                }
                inline(out, x);
            }
            out.push(']');
        }
        Data::Map(m) => {
            out.push('{');
            for (i, (k, v)) in m
                .iter()
                .filter(|(_, v)| !matches!(v, Data::Null))
                .enumerate()
            {
                if i > 0 {
                    out.push_str(", ");
                }
                let _ = write!(out, "{} = ", quote_key(k));
                inline(out, v);
            }
            out.push('}');
        }
    }
}

fn float(f: f64) -> String {
    if f.is_nan() {
        return "nan".to_string();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf" } else { "-inf" }.to_string();
    }
    let s = origan_yaml::format_float_g(f);
    if s.contains('.') || s.contains('e') {
        s
    } else {
        format!("{s}.0")
    }
}

fn quote_key(k: &str) -> String {
    if !k.is_empty()
        && k.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        k.to_string()
    } else {
        quote(k)
    }
}

fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Parses TOML into data (integers as int64, as BurntSushi decodes them).
pub fn from_toml(text: &str) -> Result<Data, String> {
    let table: toml::Table = text
        .parse()
        .map_err(|e: toml::de::Error| go_error(text, &e))?;
    Ok(convert(&toml::Value::Table(table)))
}

fn convert(v: &toml::Value) -> Data {
    match v {
        toml::Value::String(s) => Data::String(s.clone()),
        toml::Value::Integer(i) => Data::Int(*i),
        toml::Value::Float(f) => Data::Float(*f),
        toml::Value::Boolean(b) => Data::Bool(*b),
        toml::Value::Datetime(d) => Data::String(go_time(d)),
        toml::Value::Array(a) => Data::List(a.iter().map(convert).collect()),
        toml::Value::Table(t) => {
            Data::Map(t.iter().map(|(k, v)| (k.clone(), convert(v))).collect())
        }
    }
}

/// How a TOML datetime prints once BurntSushi/toml has made it a
/// `time.Time` (Go's `Time.String()`): local dates, datetimes and times get
/// the pseudo-zones `date-local`, `datetime-local` and `time-local`; `Z`
/// is UTC; another offset is a nameless fixed zone (`+0100 +0100`). The
/// data model has no time type, so the printed form is kept as a string.
fn go_time(d: &toml::value::Datetime) -> String {
    let (y, mo, da) = d.date.map_or((0, 1, 1), |x| (x.year, x.month, x.day));
    let (h, mi, se, ns) = d.time.map_or((0, 0, 0, 0), |t| {
        (
            t.hour,
            t.minute,
            t.second.unwrap_or(0),
            t.nanosecond.unwrap_or(0),
        )
    });
    let mut out = format!("{y:04}-{mo:02}-{da:02} {h:02}:{mi:02}:{se:02}");
    if ns != 0 {
        let frac = format!("{ns:09}");
        out.push('.');
        out.push_str(frac.trim_end_matches('0'));
    }
    let zone = match d.offset {
        Some(toml::value::Offset::Z) => " +0000 UTC".to_string(),
        Some(toml::value::Offset::Custom { minutes }) => {
            let sign = if minutes < 0 { '-' } else { '+' };
            let m = minutes.unsigned_abs();
            let z = format!("{sign}{:02}{:02}", m / 60, m % 60);
            format!(" {z} {z}")
        }
        None if d.date.is_none() => " +0000 time-local".to_string(),
        None if d.time.is_none() => " +0000 date-local".to_string(),
        None => " +0000 datetime-local".to_string(),
    };
    out.push_str(&zone);
    out
}

/// BurntSushi/toml words parse errors `toml: line N (last key "K"): MSG`,
/// where K is the dotted key being parsed (table prefix included). The
/// position comes from the toml crate; the key is found by scanning the
/// lines up to the error. Messages are the toml crate's, except the ones
/// BurntSushi words differently and charts meet (a key with no value).
fn go_error(text: &str, e: &toml::de::Error) -> String {
    let at = e.span().map_or(text.len(), |r| r.start.min(text.len()));
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let mut table = String::new();
    let mut key = String::new();
    for l in before.lines() {
        let t = l.trim();
        if let Some(h) = t.strip_prefix('[') {
            table = h
                .trim_start_matches('[')
                .split(']')
                .next()
                .unwrap_or("")
                .trim()
                .to_string();
            key.clear();
        } else if let Some((k, _)) = t.split_once('=') {
            let k = k.trim().trim_matches('"');
            key = if table.is_empty() {
                k.to_string()
            } else {
                format!("{table}.{k}")
            };
        }
    }
    let rest = text[at..].trim();
    let msg = if rest.is_empty() && before.trim_end().ends_with('=') {
        "unexpected EOF; expected value".to_string()
    } else {
        e.message().trim().to_string()
    };
    if key.is_empty() {
        format!("toml: line {line}: {msg}")
    } else {
        format!("toml: line {line} (last key {key:?}): {msg}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(entries: Vec<(&str, Data)>) -> Data {
        Data::Map(
            entries
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
        )
    }

    #[test]
    fn plain_keys_before_tables_with_blank_line_at_top_level() {
        let d = map(vec![
            ("a", Data::Int(1)),
            ("b", map(vec![("c", Data::String("x".into()))])),
        ]);
        assert_eq!(to_toml(&d), "a = 1\n\n[b]\n  c = \"x\"\n");
    }

    #[test]
    fn floats_and_quoted_keys() {
        assert_eq!(float(1.0), "1.0");
        assert_eq!(float(1e6), "1e+06");
        assert_eq!(quote_key("a b"), "\"a b\"");
    }
}
