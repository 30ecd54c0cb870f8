//! Go formatting helpers needed to reproduce Masterminds/semver error texts byte for byte.
//!
//! Owns: `go_quote` (Go's `%q` / `strconv.Quote`) and `go_parse_uint` (`strconv.ParseUint(s, 10, 64)`
//! with Go's error wording). Does not own any semver logic.

use std::fmt::Write as _;

/// Quote `s` the way Go's `strconv.Quote` (and therefore `fmt`'s `%q`) does.
///
/// Printable runes are kept as they are; `"` and `\` are backslash-escaped; the usual C escapes
/// are used for control characters; everything else non-printable becomes `\xHH`, `\uHHHH` or
/// `\UHHHHHHHH`. Go's `unicode.IsPrint` is approximated: control characters, non-ASCII spaces and
/// the common format characters count as non-printable.
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{07}' => out.push_str("\\a"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{0b}' => out.push_str("\\v"),
            c if is_go_print(c) => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if (c as u32) < 0x10000 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => {
                let _ = write!(out, "\\U{:08x}", c as u32);
            }
        }
    }
    out.push('"');
    out
}

/// Approximation of Go's `unicode.IsPrint`.
fn is_go_print(c: char) -> bool {
    if c == ' ' {
        return true;
    }
    if c.is_control() || c.is_whitespace() {
        return false;
    }
    // Format characters (Unicode category Cf) and private-use areas are not printable in Go.
    !matches!(c as u32,
        0xAD | 0x600..=0x605 | 0x61C | 0x6DD | 0x70F | 0x180E | 0x200B..=0x200F
        | 0x202A..=0x202E | 0x2060..=0x206F | 0xFEFF | 0xFFF9..=0xFFFB
        | 0xE000..=0xF8FF | 0xF0000..=0x10FFFF)
}

/// Why `go_parse_uint` failed, worded like Go's `strconv.NumError`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseUintError {
    /// The input, as Go prints it (quoted with `%q`) inside the message.
    pub input: String,
    /// `true` for "value out of range", `false` for "invalid syntax".
    pub out_of_range: bool,
}

impl std::fmt::Display for ParseUintError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "strconv.ParseUint: parsing {}: {}",
            go_quote(&self.input),
            if self.out_of_range {
                "value out of range"
            } else {
                "invalid syntax"
            }
        )
    }
}

/// `strconv.ParseUint(s, 10, 64)`: ASCII digits only (no sign, no underscores), must fit u64.
pub fn go_parse_uint(s: &str) -> Result<u64, ParseUintError> {
    let err = |out_of_range| ParseUintError {
        input: s.to_string(),
        out_of_range,
    };
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(err(false));
    }
    let mut n: u64 = 0;
    for b in s.bytes() {
        n = n
            .checked_mul(10)
            .and_then(|n| n.checked_add(u64::from(b - b'0')))
            .ok_or_else(|| err(true))?;
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_basics() {
        assert_eq!(go_quote(""), "\"\"");
        assert_eq!(go_quote(" "), "\" \"");
        assert_eq!(go_quote("a\"b\\"), "\"a\\\"b\\\\\"");
        assert_eq!(go_quote("\n\x01"), "\"\\n\\x01\"");
        assert_eq!(go_quote("é"), "\"é\"");
    }

    #[test]
    fn parse_uint() {
        assert_eq!(go_parse_uint("0"), Ok(0));
        assert_eq!(go_parse_uint("18446744073709551615"), Ok(u64::MAX));
        assert!(
            go_parse_uint("18446744073709551616")
                .unwrap_err()
                .out_of_range
        );
        assert!(!go_parse_uint("+1").unwrap_err().out_of_range);
        assert!(!go_parse_uint("").unwrap_err().out_of_range);
    }
}
