//! Helm's `--set` family grammar (pkg/strvals/parser.go and literal_parser.go).
//!
//! Owns: `--set` (typed scalars), `--set-string`, `--set-json` (key=JSON pairs),
//! `--set-file` (value read through a caller-supplied reader), `--set-literal`,
//! escapes, list indexes, nesting and index limits, and Helm's error texts,
//! including the recovered Go panics (`unable to parse key: interface conversion:
//! ...`). Does not own: the order in which flags are merged (`user_values`).

use std::collections::BTreeMap;

use origan_yaml::Data;

/// Helm's `MaxIndex`.
pub const MAX_INDEX: i64 = 65536;
/// Helm's `MaxNestedNameLevel`.
pub const MAX_NESTED_NAME_LEVEL: usize = 30;

/// A parse error; the text is Helm's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct StrvalsError(pub String);

type Map = BTreeMap<String, Data>;

/// A reader for `--set-file` values: gets the raw value (a path), returns the value.
pub type ValueReader<'a> = dyn FnMut(&str) -> Result<Data, String> + 'a;

enum Mode<'a> {
    Typed,
    Strings,
    Json,
    File(&'a mut ValueReader<'a>),
    /// `--set-literal`: no escapes, no `,` separator, the value is the rest.
    Literal,
}

/// Internal outcome: `Eof` ends parsing successfully (Go's io.EOF).
#[derive(Debug)]
enum Stop {
    Eof,
    Err(String),
}

type R<T> = Result<T, Stop>;

fn err<T>(s: impl Into<String>) -> R<T> {
    Err(Stop::Err(s.into()))
}

fn q(s: &[char]) -> String {
    origan_semver::go_quote(&s.iter().collect::<String>())
}

/// Go's `%q` of a `[]rune`: `['a' 'b']`.
fn quote_rune_slice(rs: &[char]) -> String {
    let parts: Vec<String> = rs.iter().map(|&c| go_quote_rune(c)).collect();
    format!("[{}]", parts.join(" "))
}

/// Go's `strconv.QuoteRune`.
fn go_quote_rune(c: char) -> String {
    match c {
        '\'' => "'\\''".into(),
        '"' => "'\"'".into(),
        _ => {
            let q = origan_semver::go_quote(&c.to_string());
            format!("'{}'", &q[1..q.len() - 1])
        }
    }
}

/// Go's type name of a value, for the recovered `interface conversion` panics.
fn go_type(d: &Data) -> &'static str {
    match d {
        Data::Null => "nil",
        Data::Bool(_) => "bool",
        Data::Int(_) => "int64",
        Data::Uint(_) => "uint64",
        Data::Float(_) => "float64",
        Data::String(_) => "string",
        Data::List(_) => "[]interface {}",
        Data::Map(_) => "map[string]interface {}",
    }
}

fn conversion_panic(d: &Data, want: &str) -> Stop {
    Stop::Err(format!(
        "unable to parse key: interface conversion: interface {{}} is {}, not {want}",
        go_type(d)
    ))
}

struct Parser<'a> {
    s: Vec<char>,
    pos: usize,
    mode: Mode<'a>,
}

impl Parser<'_> {
    fn read(&mut self) -> Option<char> {
        let c = self.s.get(self.pos).copied();
        if c.is_some() {
            self.pos += 1;
        }
        c
    }

    /// Go's `runesUntil`: reads to a stop rune, honouring `\` escapes. `None` as
    /// the stop means EOF.
    fn until(&mut self, stop: &[char], escapes: bool) -> (Vec<char>, Option<char>) {
        let mut v = Vec::new();
        loop {
            match self.read() {
                None => return (v, None),
                Some(c) if stop.contains(&c) => return (v, Some(c)),
                Some('\\') if escapes => match self.read() {
                    None => return (v, None),
                    Some(n) => v.push(n),
                },
                Some(c) => v.push(c),
            }
        }
    }

    fn literal(&self) -> bool {
        matches!(self.mode, Mode::Literal)
    }

    fn parse(&mut self, data: &mut Map) -> Result<(), StrvalsError> {
        loop {
            match self.key(data, 0) {
                Ok(()) => {}
                Err(Stop::Eof) => return Ok(()),
                Err(Stop::Err(e)) => return Err(StrvalsError(e)),
            }
        }
    }

    fn reader(&mut self, rs: &[char]) -> R<Data> {
        let s: String = rs.iter().collect();
        match &mut self.mode {
            Mode::Typed => Ok(typed_val(&s)),
            Mode::Strings | Mode::Json | Mode::Literal => Ok(Data::String(s)),
            Mode::File(r) => r(&s).map_err(Stop::Err),
        }
    }

    fn key(&mut self, data: &mut Map, level: usize) -> R<()> {
        let lit = self.literal();
        let stop: &[char] = if lit {
            &['=', '[', '.']
        } else {
            &['=', '[', ',', '.']
        };
        let (k, last) = self.until(stop, !lit);
        let ks: String = k.iter().collect();
        match last {
            None => {
                if k.is_empty() {
                    return Err(Stop::Eof);
                }
                err(format!("key {} has no value", q(&k)))
            }
            Some('[') => {
                let i = self.key_index()?;
                let mut list = match data.remove(&ks) {
                    None => Vec::new(),
                    Some(Data::List(l)) => l,
                    Some(other) => {
                        let e = conversion_panic(&other, "[]interface {}");
                        data.insert(ks, other);
                        return Err(e);
                    }
                };
                let r = self.list_item(&mut list, i, level);
                set(data, &ks, Data::List(list));
                r
            }
            Some('=') => {
                if lit {
                    let rest: String = self.s[self.pos..].iter().collect();
                    self.pos = self.s.len();
                    set(data, &ks, Data::String(rest));
                    return Ok(());
                }
                if matches!(self.mode, Mode::Json) {
                    if self.empty_val() {
                        set(data, &ks, Data::Null);
                        return Ok(());
                    }
                    let v = self.json_value()?;
                    set(data, &ks, v);
                    self.empty_val();
                    return Ok(());
                }
                match self.val_list() {
                    ValList::List(l) => {
                        set(data, &ks, Data::List(l));
                        Ok(())
                    }
                    ValList::Eof => {
                        set(data, &ks, Data::String(String::new()));
                        Err(Stop::Eof)
                    }
                    ValList::NotList => {
                        let (rs, _) = self.until(&[','], true);
                        let v = self.reader(&rs)?;
                        set(data, &ks, v);
                        Ok(())
                    }
                    ValList::Err(e) => Err(e),
                }
            }
            Some(',') => {
                set(data, &ks, Data::String(String::new()));
                err(format!("key {} has no value (cannot end with ,)", q(&k)))
            }
            Some('.') => self.nested(data, k, level),
            Some(_) => unreachable!("runesUntil returns only stop runes"),
        }
    }

    fn nested(&mut self, data: &mut Map, k: Vec<char>, level: usize) -> R<()> {
        let ks: String = k.iter().collect();
        let level = level + 1;
        if level > MAX_NESTED_NAME_LEVEL {
            return err(format!(
                "value name nested level is greater than maximum supported nested level of {MAX_NESTED_NAME_LEVEL}"
            ));
        }
        let (mut inner, existed) = match data.remove(&ks) {
            None => (Map::new(), false),
            Some(Data::Map(m)) => (m, true),
            Some(other) => {
                let e = conversion_panic(&other, "map[string]interface {}");
                data.insert(ks, other);
                return Err(e);
            }
        };
        let e = self.key(&mut inner, level);
        let empty = inner.is_empty();
        // Go's inner map stays referenced by data[k] when it already existed; it is
        // (re)assigned only when non-empty.
        if !empty || existed {
            set(data, &ks, Data::Map(inner));
        }
        match e {
            Ok(()) if empty => err(format!("key map {} has no value", q(&k))),
            other => other,
        }
    }

    fn key_index(&mut self) -> R<i64> {
        let esc = !self.literal();
        let (v, last) = self.until(&[']'], esc);
        if last.is_none() {
            // Go wraps io.EOF ("error parsing index: %w"); parse() treats any
            // wrapped EOF as the end of input, so this ends parsing silently.
            return Err(Stop::Eof);
        }
        go_atoi(&v.iter().collect::<String>())
            .map_err(|e| Stop::Err(format!("error parsing index: {e}")))
    }

    fn list_item(&mut self, list: &mut Vec<Data>, i: i64, level: usize) -> R<()> {
        if i < 0 {
            return err(format!("negative {i} index not allowed"));
        }
        let esc = !self.literal();
        let (k, last) = self.until(&['[', '.', '='], esc);
        if !k.is_empty() {
            return err(format!(
                "unexpected data at end of array index: {}",
                quote_rune_slice(&k)
            ));
        }
        match last {
            None => Err(Stop::Eof),
            Some('=') => {
                if self.literal() {
                    let rest: String = self.s[self.pos..].iter().collect();
                    self.pos = self.s.len();
                    return set_index(list, i, Data::String(rest));
                }
                if matches!(self.mode, Mode::Json) {
                    if self.empty_val() {
                        return set_index(list, i, Data::Null);
                    }
                    let v = self.json_value()?;
                    set_index(list, i, v)?;
                    self.empty_val();
                    return Ok(());
                }
                match self.val_list() {
                    ValList::List(l) => set_index(list, i, Data::List(l)),
                    ValList::Eof => set_index(list, i, Data::String(String::new())),
                    ValList::NotList => {
                        let (rs, _) = self.until(&[','], true);
                        let v = self.reader(&rs)?;
                        set_index(list, i, v)
                    }
                    ValList::Err(e) => Err(e),
                }
            }
            Some('[') => {
                let next = self.key_index()?;
                let idx = i as usize;
                let mut crt = match list.get(idx) {
                    Some(Data::Null) | None => Vec::new(),
                    Some(Data::List(l)) => l.clone(),
                    Some(other) => return Err(conversion_panic(other, "[]interface {}")),
                };
                self.list_item(&mut crt, next, level)?;
                set_index(list, i, Data::List(crt))
            }
            Some('.') => {
                let idx = i as usize;
                let mut inner = match list.get_mut(idx) {
                    Some(Data::Map(m)) => std::mem::take(m),
                    Some(slot) => {
                        // Indices out of order: Go replaces the element with an empty map.
                        *slot = Data::Map(Map::new());
                        Map::new()
                    }
                    None => Map::new(),
                };
                let r = self.key(&mut inner, level);
                if let Some(slot) = list.get_mut(idx) {
                    // Go's inner map is the list element itself, so it is updated
                    // even when key() fails.
                    *slot = Data::Map(inner.clone());
                }
                r?;
                set_index(list, i, Data::Map(inner))
            }
            Some(_) => unreachable!("runesUntil returns only stop runes"),
        }
    }

    /// Go's `emptyVal`: skips spaces; true at EOF or a comma (consumed).
    fn empty_val(&mut self) -> bool {
        loop {
            match self.read() {
                None => return true,
                Some(',') => return true,
                Some(c) if c.is_whitespace() => {}
                Some(_) => {
                    self.pos -= 1;
                    return false;
                }
            }
        }
    }

    fn val_list(&mut self) -> ValList {
        match self.read() {
            None => return ValList::Eof,
            Some('{') => {}
            Some(_) => {
                self.pos -= 1;
                return ValList::NotList;
            }
        }
        let mut list = Vec::new();
        loop {
            let (rs, last) = self.until(&[',', '}'], true);
            match last {
                None => {
                    return ValList::Err(Stop::Err("list must terminate with '}'".into()));
                }
                Some('}') => {
                    match self.read() {
                        Some(',') | None => {}
                        Some(_) => self.pos -= 1,
                    }
                    return match self.reader(&rs) {
                        Ok(v) => {
                            list.push(v);
                            ValList::List(list)
                        }
                        Err(e) => ValList::Err(e),
                    };
                }
                _ => match self.reader(&rs) {
                    Ok(v) => list.push(v),
                    Err(e) => return ValList::Err(e),
                },
            }
        }
    }

    /// One JSON value from the current position (Go's json.Decoder.Decode), then
    /// the position moves past it.
    fn json_value(&mut self) -> R<Data> {
        let rest: String = self.s[self.pos..].iter().collect();
        let mut stream = serde_json::Deserializer::from_str(&rest).into_iter::<serde_json::Value>();
        match stream.next() {
            Some(Ok(v)) => {
                let consumed = rest[..stream.byte_offset()].chars().count();
                self.pos += consumed;
                Ok(json_to_data(v))
            }
            Some(Err(e)) => err(json_error_text(&rest, &e)),
            None => err("EOF"),
        }
    }
}

enum ValList {
    List(Vec<Data>),
    Eof,
    NotList,
    Err(Stop),
}

/// encoding/json's wording for the common failures; others keep serde's text.
fn json_error_text(rest: &str, e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    if let Some(c) = rest.trim_start().chars().next()
        && !matches!(c, '{' | '[' | '"' | '-' | '0'..='9' | 't' | 'f' | 'n')
    {
        return format!(
            "invalid character {} looking for beginning of value",
            go_quote_rune(c)
        );
    }
    match e.classify() {
        Category::Eof => "unexpected EOF".into(),
        _ => format!("invalid JSON: {e}"),
    }
}

/// encoding/json into `interface{}`: every number is a float64.
pub(crate) fn json_to_data(v: serde_json::Value) -> Data {
    use serde_json::Value as V;
    match v {
        V::Null => Data::Null,
        V::Bool(b) => Data::Bool(b),
        V::Number(n) => Data::Float(n.as_f64().unwrap_or(0.0)),
        V::String(s) => Data::String(s),
        V::Array(a) => Data::List(a.into_iter().map(json_to_data).collect()),
        V::Object(o) => Data::Map(o.into_iter().map(|(k, v)| (k, json_to_data(v))).collect()),
    }
}

fn set(data: &mut Map, key: &str, val: Data) {
    if key.is_empty() {
        return;
    }
    data.insert(key.to_string(), val);
}

fn set_index(list: &mut Vec<Data>, index: i64, val: Data) -> R<()> {
    if index < 0 {
        return err(format!("negative {index} index not allowed"));
    }
    if index > MAX_INDEX {
        return err(format!(
            "index of {index} is greater than maximum supported index of {MAX_INDEX}"
        ));
    }
    let i = index as usize;
    if list.len() <= i {
        list.resize(i + 1, Data::Null);
    }
    list[i] = val;
    Ok(())
}

/// Go's `strconv.Atoi` (base 10, optional sign, int64 range), with its error texts.
fn go_atoi(s: &str) -> Result<i64, String> {
    let syntax = || {
        format!(
            "strconv.Atoi: parsing {}: invalid syntax",
            origan_semver::go_quote(s)
        )
    };
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(syntax());
    }
    s.parse::<i64>().map_err(|_| {
        format!(
            "strconv.Atoi: parsing {}: value out of range",
            origan_semver::go_quote(s)
        )
    })
}

/// Helm's `typedVal` for `--set`: bools, `null`, and int64 when the text does not
/// start with `0` (except `0` itself); everything else stays a string.
pub fn typed_val(val: &str) -> Data {
    if val.eq_ignore_ascii_case("true") {
        return Data::Bool(true);
    }
    if val.eq_ignore_ascii_case("false") {
        return Data::Bool(false);
    }
    if val.eq_ignore_ascii_case("null") {
        return Data::Null;
    }
    if val == "0" {
        return Data::Int(0);
    }
    if !val.is_empty() && !val.starts_with('0') {
        let digits = val.strip_prefix(['+', '-']).unwrap_or(val);
        // strconv.ParseInt(val, 10, 64): sign + ASCII digits, no underscores.
        if !digits.is_empty()
            && digits.bytes().all(|b| b.is_ascii_digit())
            && let Ok(i) = val.parse::<i64>()
        {
            return Data::Int(i);
        }
    }
    Data::String(val.to_string())
}

fn run(expr: &str, data: &mut Map, mode: Mode<'_>) -> Result<(), StrvalsError> {
    let mut p = Parser {
        s: expr.chars().collect(),
        pos: 0,
        mode,
    };
    p.parse(data)
}

/// `--set` (`strvals.ParseInto`): parses `expr` into `data`.
pub fn parse_set(expr: &str, data: &mut Map) -> Result<(), StrvalsError> {
    run(expr, data, Mode::Typed)
}

/// `--set-string` (`ParseIntoString`): every scalar is a string.
pub fn parse_set_string(expr: &str, data: &mut Map) -> Result<(), StrvalsError> {
    run(expr, data, Mode::Strings)
}

/// `--set-json` in `key=<json>` form (`ParseJSON`). A whole-object argument
/// (`{...}`) is handled by [`crate::user_values`].
pub fn parse_set_json(expr: &str, data: &mut Map) -> Result<(), StrvalsError> {
    run(expr, data, Mode::Json)
}

/// `--set-file` (`ParseIntoFile`): each value is passed to `reader` (normally a
/// path read into a string).
pub fn parse_set_file<'a>(
    expr: &str,
    data: &mut Map,
    reader: &'a mut ValueReader<'a>,
) -> Result<(), StrvalsError> {
    run(expr, data, Mode::File(reader))
}

/// `--set-literal` (`ParseLiteralInto`): the key is parsed without escapes and the
/// value is the rest of the argument, verbatim.
pub fn parse_set_literal(expr: &str, data: &mut Map) -> Result<(), StrvalsError> {
    run(expr, data, Mode::Literal)
}
