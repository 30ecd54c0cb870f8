//! Sprig's string functions that index Go strings by byte: `substr`,
//! `trunc`, `abbrev`, `abbrevboth`, `wrap`, `wrapWith` (goutils
//! `WrapCustom`) and `nospace` (goutils `DeleteWhiteSpace`).
//!
//! Go strings are byte strings, so a cut inside a multi-byte rune produces
//! invalid UTF-8 (`trunc 2 "héllo"` is the bytes `h\xc3`): `substr` and
//! `trunc` return such cuts as Go strings of those bytes. The others
//! return text, a broken rune replaced by U+FFFD.

use origan_gotmpl::{FuncError, Value};

use super::unicode::{byte_rune, is_space};

/// Bytes back to a string, replacing invalid UTF-8.
pub(crate) fn lossy(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// A Go string of these bytes, valid UTF-8 or not.
fn cut(b: &[u8]) -> Value {
    Value::go_string(b.to_vec())
}

/// Sprig's `substring`, with Go's runtime panics for bad bounds.
pub(crate) fn substr(start: i64, end: i64, b: &[u8]) -> Result<Value, FuncError> {
    let len = b.len() as i64;
    let oob = |m: String| {
        Err(FuncError::new(format!(
            "runtime error: slice bounds out of range {m}"
        )))
    };
    if start < 0 {
        if end < 0 {
            return oob(format!("[:{end}]"));
        }
        if end > len {
            return oob(format!("[:{end}] with length {len}"));
        }
        return Ok(cut(&b[..end as usize]));
    }
    if end < 0 || end > len {
        if start > len {
            return oob(format!("[{start}:{len}]"));
        }
        return Ok(cut(&b[start as usize..]));
    }
    if start > end {
        return oob(format!("[{start}:{end}]"));
    }
    Ok(cut(&b[start as usize..end as usize]))
}

/// Sprig's `trunc`: the first `c` bytes, or the last `-c` bytes.
pub(crate) fn trunc(c: i64, b: &[u8]) -> Value {
    let len = b.len() as i64;
    if c < 0 && len + c > 0 {
        return cut(&b[(len + c) as usize..]);
    }
    if c >= 0 && len > c {
        return cut(&b[..c as usize]);
    }
    cut(b)
}

/// goutils `AbbreviateFull`; `None` stands for its errors (Sprig then
/// returns "").
fn abbreviate_full(s: &[u8], offset: i64, max_width: i64) -> Option<Vec<u8>> {
    if s.is_empty() {
        return Some(Vec::new());
    }
    if max_width < 4 {
        return None;
    }
    let len = s.len() as i64;
    if len <= max_width {
        return Some(s.to_vec());
    }
    let mut offset = offset.min(len);
    if len - offset < max_width - 3 {
        offset = len - (max_width - 3);
    }
    let marker = b"...";
    if offset <= 4 {
        let mut v = s[..(max_width - 3) as usize].to_vec();
        v.extend_from_slice(marker);
        return Some(v);
    }
    if max_width < 7 {
        return None;
    }
    let mut v = marker.to_vec();
    if offset + max_width - 3 < len {
        v.extend(abbreviate_full(&s[offset as usize..], 0, max_width - 3)?);
    } else {
        v.extend_from_slice(&s[(len - (max_width - 3)) as usize..]);
    }
    Some(v)
}

/// Sprig's `abbrev`.
pub(crate) fn abbrev(width: i64, s: &str) -> String {
    if width < 4 {
        return s.to_string();
    }
    abbreviate_full(s.as_bytes(), 0, width).map_or_else(String::new, |v| lossy(&v))
}

/// Sprig's `abbrevboth`.
pub(crate) fn abbrevboth(left: i64, right: i64, s: &str) -> String {
    if right < 4 || left > 0 && right < 7 {
        return s.to_string();
    }
    abbreviate_full(s.as_bytes(), left, right).map_or_else(String::new, |v| lossy(&v))
}

/// goutils `WrapCustom`: breaks at the last space within `width` bytes;
/// long words are split only when `long_words`.
pub(crate) fn wrap_custom(s: &str, width: i64, newline: &str, long_words: bool) -> String {
    if s.is_empty() {
        return String::new();
    }
    let newline = if newline.is_empty() { "\n" } else { newline };
    let width = width.max(1) as usize;
    let b = s.as_bytes();
    let len = b.len();
    let mut offset = 0usize;
    let mut out: Vec<u8> = Vec::new();
    while len - offset > width {
        if b[offset] == b' ' {
            offset += 1;
            continue;
        }
        let end = width + offset + 1;
        let space = b[offset..end].iter().rposition(|&c| c == b' ');
        if let Some(p) = space {
            out.extend_from_slice(&b[offset..offset + p]);
            out.extend_from_slice(newline.as_bytes());
            offset += p + 1;
        } else if long_words {
            out.extend_from_slice(&b[offset..width + offset]);
            out.extend_from_slice(newline.as_bytes());
            offset += width;
        } else {
            let end = width + offset;
            match b[end..].iter().position(|&c| c == b' ') {
                None => {
                    out.extend_from_slice(&b[offset..]);
                    offset = len;
                }
                Some(i) => {
                    out.extend_from_slice(&b[offset..i + end]);
                    out.extend_from_slice(newline.as_bytes());
                    offset = i + end + 1;
                }
            }
        }
    }
    out.extend_from_slice(&b[offset..]);
    lossy(&out)
}

/// goutils `DeleteWhiteSpace`: drops whitespace bytes; when any was dropped,
/// the kept bytes are re-encoded one rune per byte (so `é` becomes `Ã©`).
pub(crate) fn nospace(s: &str) -> String {
    if !s.bytes().any(|b| is_space(byte_rune(b))) {
        return s.to_string();
    }
    s.bytes().map(byte_rune).filter(|c| !is_space(*c)).collect()
}
