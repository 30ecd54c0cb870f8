//! strconv's number parsers as Sprig and spf13/cast reach them:
//! `ParseInt(s, base, 64)` (base 0 reads `0x`/`0o`/`0b`/leading-`0`
//! prefixes and `_` separators), `Atoi` (clamps on overflow) and
//! `ParseFloat(s, 64)` (`inf`, `nan`, hex floats, `_` separators).

/// Why `ParseInt` failed.
#[derive(Debug, PartialEq)]
pub(crate) enum IntError {
    /// Not a number: strconv's `invalid syntax`.
    Syntax,
    /// Out of range; strconv still returns the clamped value.
    Range(i64),
}

/// strconv's `underscoreOK`: `_` only between digits or after a base prefix.
fn underscore_ok(s: &str) -> bool {
    let mut s = s.as_bytes();
    if let Some(b'+' | b'-') = s.first() {
        s = &s[1..];
    }
    let mut saw = b'^';
    let mut i = 0;
    let mut hex = false;
    if s.len() >= 2 && s[0] == b'0' && matches!(s[1].to_ascii_lowercase(), b'b' | b'o' | b'x') {
        i = 2;
        saw = b'0';
        hex = s[1].eq_ignore_ascii_case(&b'x');
    }
    while i < s.len() {
        let c = s[i];
        if c.is_ascii_digit() || hex && c.is_ascii_hexdigit() {
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

/// strconv `ParseInt(s, base, 64)` for base 0, 8 or 10, with Go's errors.
pub(crate) fn parse_int_err(s: &str, base: u32) -> Result<i64, IntError> {
    let (neg, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if body.is_empty() {
        return Err(IntError::Syntax);
    }
    let mut base = base;
    let mut digits = body;
    let base0 = base == 0;
    if base0 {
        base = 10;
        let b = body.as_bytes();
        if b[0] == b'0' {
            let p = b.get(1).map(u8::to_ascii_lowercase);
            match p {
                Some(b'b') if b.len() >= 3 => (base, digits) = (2, &body[2..]),
                Some(b'o') if b.len() >= 3 => (base, digits) = (8, &body[2..]),
                Some(b'x') if b.len() >= 3 => (base, digits) = (16, &body[2..]),
                _ => (base, digits) = (8, &body[1..]),
            }
        }
    }
    let mut n: u64 = 0;
    let mut overflow = false;
    let mut underscores = false;
    for c in digits.chars() {
        if c == '_' && base0 {
            underscores = true;
            continue;
        }
        let d = c
            .to_digit(36)
            .filter(|d| *d < base)
            .ok_or(IntError::Syntax)?;
        match n
            .checked_mul(u64::from(base))
            .and_then(|m| m.checked_add(u64::from(d)))
        {
            Some(m) => n = m,
            None => overflow = true,
        }
    }
    if underscores && !underscore_ok(body) {
        return Err(IntError::Syntax);
    }
    let limit = 1u64 << 63;
    if overflow || (!neg && n >= limit) || (neg && n > limit) {
        return Err(IntError::Range(if neg { i64::MIN } else { i64::MAX }));
    }
    Ok(if neg {
        (n as i64).wrapping_neg()
    } else {
        n as i64
    })
}

/// `ParseInt` with any error as `None`.
pub(crate) fn parse_int(s: &str, base: u32) -> Option<i64> {
    parse_int_err(s, base).ok()
}

/// `strconv.Atoi` as Sprig wraps it: syntax errors give 0, out-of-range
/// values the clamped bound (strconv returns it with the error).
pub(crate) fn atoi(s: &str) -> i64 {
    match parse_int_err(s, 10) {
        Ok(i) | Err(IntError::Range(i)) => i,
        Err(IntError::Syntax) => 0,
    }
}

/// `strconv.ParseFloat(s, 64)`; `None` for syntax errors and overflow (cast
/// turns both into 0).
pub(crate) fn parse_float(s: &str) -> Option<f64> {
    if let Some(f) = special(s) {
        return Some(f);
    }
    let (neg, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let b = body.as_bytes();
    let v = if b.len() >= 2 && b[0] == b'0' && b[1].eq_ignore_ascii_case(&b'x') {
        parse_hex_float(&body[2..])?
    } else {
        parse_dec_float(body)?
    };
    if body.contains('_') && !underscore_ok(body) {
        return None;
    }
    if v.is_infinite() {
        return None;
    }
    Some(if neg { -v } else { v })
}

/// `inf`, `infinity` (either sign) and `nan`, case-insensitively.
fn special(s: &str) -> Option<f64> {
    let lower = s.to_ascii_lowercase();
    let (sign, rest) = match lower.as_bytes().first() {
        Some(b'-') => (-1.0, &lower[1..]),
        Some(b'+') => (1.0, &lower[1..]),
        _ => {
            if lower == "nan" {
                return Some(f64::NAN);
            }
            (1.0, lower.as_str())
        }
    };
    (rest == "inf" || rest == "infinity").then_some(sign * f64::INFINITY)
}

/// Decimal mantissa with optional `.` and `e` exponent; `_` allowed here and
/// checked by the caller.
fn parse_dec_float(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let mut i = 0;
    let mut digits = 0;
    while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
        digits += usize::from(b[i] != b'_');
        i += 1;
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
            digits += usize::from(b[i] != b'_');
            i += 1;
        }
    }
    if digits == 0 {
        return None;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        let start = i;
        while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
            i += 1;
        }
        if i == start {
            return None;
        }
    }
    if i != b.len() {
        return None;
    }
    s.replace('_', "").parse::<f64>().ok()
}

/// Hex mantissa (after `0x`) with a mandatory `p` binary exponent.
fn parse_hex_float(s: &str) -> Option<f64> {
    let (mant, exp) = s.split_once(['p', 'P'])?;
    let mut value = 0f64;
    let mut frac_digits = 0i32;
    let mut seen_dot = false;
    let mut digits = 0;
    for c in mant.chars() {
        match c {
            '_' => {}
            '.' if !seen_dot => seen_dot = true,
            _ => {
                let d = c.to_digit(16)?;
                value = value * 16.0 + f64::from(d);
                digits += 1;
                if seen_dot {
                    frac_digits += 1;
                }
            }
        }
    }
    if digits == 0 {
        return None;
    }
    let exp: i32 = exp.replace('_', "").parse().ok()?;
    Some(value * 2f64.powi(exp - 4 * frac_digits))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_ints_like_strconv() {
        assert_eq!(parse_int("010", 0), Some(8));
        assert_eq!(parse_int("0o10", 0), Some(8));
        assert_eq!(parse_int("0x10", 0), Some(16));
        assert_eq!(parse_int("1_000", 0), Some(1000));
        assert_eq!(parse_int("08", 0), None);
        assert_eq!(parse_int("0", 0), Some(0));
        assert_eq!(parse_int("-9223372036854775808", 0), Some(i64::MIN));
        assert_eq!(parse_int("0o17", 8), None);
        assert_eq!(atoi("99999999999999999999"), i64::MAX);
        assert_eq!(atoi(" 5"), 0);
    }

    #[test]
    fn parses_floats_like_strconv() {
        assert_eq!(parse_float("1e3"), Some(1000.0));
        assert_eq!(parse_float("1_000.5"), Some(1000.5));
        assert_eq!(parse_float("0x10"), None);
        assert_eq!(parse_float("0x1p-2"), Some(0.25));
        assert_eq!(parse_float("1e400"), None);
        assert_eq!(parse_float("  2.5"), None);
        assert_eq!(parse_float("-Inf"), Some(f64::NEG_INFINITY));
        assert!(parse_float("NaN").unwrap().is_nan());
        assert_eq!(parse_float(".5"), Some(0.5));
        assert_eq!(parse_float("5."), Some(5.0));
    }
}
