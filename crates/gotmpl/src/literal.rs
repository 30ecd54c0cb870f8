//! Decoding of Go literals as the template parser sees them:
//! `strconv.Unquote` for `"..."`, `` `...` `` and `'c'`, and `newNumber`'s
//! int/uint/float classification of numeric constants (hex, octal, binary,
//! underscores, floats, runes).
//!
//! Owns literal decoding only; the lexer decides token boundaries.

use crate::ast::Number;

/// Decodes one escape or character of a Go quoted literal at the start of
/// `s` (`strconv.UnquoteChar`), appending its bytes. Returns the rest.
fn unquote_char<'a>(s: &'a str, quote: char, out: &mut Vec<u8>) -> Option<&'a str> {
    let mut it = s.chars();
    let c = it.next()?;
    if c == quote && (quote == '\'' || quote == '"') {
        return None;
    }
    if c != '\\' {
        let mut b = [0u8; 4];
        out.extend_from_slice(c.encode_utf8(&mut b).as_bytes());
        return Some(it.as_str());
    }
    let e = it.next()?;
    let rest = it.as_str();
    let push_rune = |out: &mut Vec<u8>, v: u32| -> bool {
        match char::from_u32(v) {
            Some(ch) => {
                let mut b = [0u8; 4];
                out.extend_from_slice(ch.encode_utf8(&mut b).as_bytes());
                true
            }
            None => false,
        }
    };
    match e {
        'a' => out.push(7),
        'b' => out.push(8),
        'f' => out.push(12),
        'n' => out.push(b'\n'),
        'r' => out.push(b'\r'),
        't' => out.push(b'\t'),
        'v' => out.push(11),
        '\\' => out.push(b'\\'),
        '\'' | '"' => {
            if e != quote {
                return None;
            }
            out.push(e as u8);
        }
        'x' | 'u' | 'U' => {
            let n = match e {
                'x' => 2,
                'u' => 4,
                _ => 8,
            };
            let hex = rest.get(..n)?;
            let v = u32::from_str_radix(hex, 16).ok()?;
            if hex.starts_with(['+', '-']) {
                return None;
            }
            if e == 'x' {
                // \xHH is a byte, even in a double-quoted string.
                if quote == '\'' {
                    push_rune(out, v).then_some(())?;
                } else {
                    out.push(v as u8);
                }
            } else if !push_rune(out, v) {
                return None;
            }
            return Some(&rest[n..]);
        }
        '0'..='7' => {
            let oct = s.get(1..4)?;
            let v = u32::from_str_radix(oct, 8).ok()?;
            if v > 255 {
                return None;
            }
            out.push(v as u8);
            return Some(&s[4..]);
        }
        _ => return None,
    }
    Some(rest)
}

/// `strconv.Unquote` for a string token as text (template names);
/// `None` is Go's "invalid syntax".
pub fn unquote(lit: &str) -> Option<String> {
    unquote_bytes(lit).map(|b| String::from_utf8_lossy(&b).into_owned())
}

/// `strconv.Unquote` for a string token: Go's bytes, which `\xHH` escapes
/// may leave invalid UTF-8.
pub fn unquote_bytes(lit: &str) -> Option<Vec<u8>> {
    if let Some(body) = lit.strip_prefix('`') {
        let body = body.strip_suffix('`')?;
        return Some(body.replace('\r', "").into_bytes());
    }
    let body = lit.strip_prefix('"')?.strip_suffix('"')?;
    let mut out = Vec::with_capacity(body.len());
    let mut s = body;
    while !s.is_empty() {
        s = unquote_char(s, '"', &mut out)?;
    }
    Some(out)
}

/// Decodes a character constant `'x'` to its rune value.
pub fn unquote_rune(lit: &str) -> Result<u32, String> {
    let body = &lit[1..];
    let mut out = Vec::new();
    let tail = unquote_char(body, '\'', &mut out).ok_or("invalid syntax")?;
    if tail != "'" {
        return Err(format!("malformed character constant: {lit}"));
    }
    // A \xHH escape in a rune literal is the code point HH.
    let s = String::from_utf8_lossy(&out);
    Ok(s.chars().next().map_or(0, |c| c as u32))
}

/// Go's `underscoreOK` for number literals.
fn underscore_ok(s: &str) -> bool {
    let b = s.as_bytes();
    let mut saw = b'^';
    let mut i = 0;
    if !b.is_empty() && (b[0] == b'-' || b[0] == b'+') {
        i = 1;
    }
    let mut hex = false;
    if b.len() - i >= 2 && b[i] == b'0' && matches!(b[i + 1] | 0x20, b'b' | b'o' | b'x') {
        hex = (b[i + 1] | 0x20) == b'x';
        i += 2;
        saw = b'0';
    }
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_digit() || (hex && c.is_ascii_hexdigit()) {
            saw = b'0';
        } else if c == b'_' {
            if saw != b'0' {
                return false;
            }
            saw = b'_';
        } else {
            if saw == b'_' {
                return false;
            }
            saw = b'!';
        }
        i += 1;
    }
    saw != b'_'
}

/// `strconv.ParseUint(s, 0, 64)`.
fn parse_uint(s: &str) -> Option<u64> {
    if s.is_empty() || s.starts_with(['+', '-']) {
        return None;
    }
    let (digits, base) = split_base(s);
    if digits.contains('_') && !underscore_ok(s) {
        return None;
    }
    let clean: String = digits.chars().filter(|c| *c != '_').collect();
    if clean.is_empty() {
        return if base == 8 && s == "0" { Some(0) } else { None };
    }
    u64::from_str_radix(&clean, base).ok()
}

fn split_base(s: &str) -> (&str, u32) {
    let b = s.as_bytes();
    if b.len() >= 2 && b[0] == b'0' {
        match b[1] | 0x20 {
            b'x' => return (&s[2..], 16),
            b'o' => return (&s[2..], 8),
            b'b' => return (&s[2..], 2),
            _ => return (&s[1..], 8),
        }
    }
    (s, 10)
}

/// `strconv.ParseInt(s, 0, 64)`.
fn parse_int(s: &str) -> Option<i64> {
    let (neg, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let u = parse_uint(body)?;
    if neg {
        if u <= i64::MAX as u64 + 1 {
            Some((u as i64).wrapping_neg())
        } else {
            None
        }
    } else {
        i64::try_from(u).ok()
    }
}

fn parse_float(s: &str) -> Option<f64> {
    if s.contains('_') && !underscore_ok(s) {
        return None;
    }
    let clean: String = s.chars().filter(|c| *c != '_').collect();
    let body = clean.trim_start_matches(['+', '-']);
    if body.starts_with("0x") || body.starts_with("0X") || body.contains(['i', 'n', 'N', 'I']) {
        return None;
    }
    clean.parse::<f64>().ok()
}

/// Go's `newNumber` for a number token (not a character constant).
pub fn number(text: &str) -> Result<Number, String> {
    let mut n = Number {
        text: text.into(),
        int: None,
        uint: None,
        float: None,
        complex: false,
    };
    if text.ends_with('i') {
        n.complex = true;
        return Ok(n);
    }
    n.uint = parse_uint(text);
    n.int = parse_int(text);
    if n.int == Some(0) {
        n.uint = Some(0);
    }
    if let Some(i) = n.int {
        n.float = Some(i as f64);
    } else if let Some(u) = n.uint {
        n.float = Some(u as f64);
    } else if let Some(f) = parse_float(text) {
        if !text.contains(['.', 'e', 'E', 'p', 'P']) {
            return Err(format!("integer overflow: {}", crate::fmt::quote(text)));
        }
        n.float = Some(f);
        if f.fract() == 0.0 && f.abs() < 9.2e18 {
            n.int = Some(f as i64);
        }
        if f.fract() == 0.0 && (0.0..1.8e19).contains(&f) {
            n.uint = Some(f as u64);
        }
    }
    if n.int.is_none() && n.uint.is_none() && n.float.is_none() {
        return Err(format!(
            "illegal number syntax: {}",
            crate::fmt::quote(text)
        ));
    }
    Ok(n)
}

/// A character constant as a number.
pub fn char_number(text: &str) -> Result<Number, String> {
    let r = unquote_rune(text)?;
    Ok(Number {
        text: text.into(),
        int: Some(i64::from(r)),
        uint: Some(u64::from(r)),
        float: Some(f64::from(r)),
        complex: false,
    })
}
