//! Go float formatting: `strconv.FormatFloat(f, 'g', -1, 64|32)` (what `%v` prints) and
//! encoding/json's float format. Built on Rust's shortest round-trip digits, which are
//! the same digits Go's shortest formatting produces. Owns nothing else.

/// Shortest decimal digits and decimal-point position: value = 0.d1d2... × 10^dp.
fn shortest(f: f64, bits32: bool) -> (bool, String, i32) {
    let s = if bits32 {
        format!("{:e}", f as f32)
    } else {
        format!("{f:e}")
    };
    let (neg, s) = match s.strip_prefix('-') {
        Some(r) => (true, r.to_string()),
        None => (false, s),
    };
    let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mant.chars().filter(|c| *c != '.').collect();
    let digits = digits.trim_end_matches('0').to_string();
    if digits.is_empty() {
        return (neg, "0".into(), 1);
    }
    (neg, digits, exp + 1)
}

fn special(f: f64) -> Option<String> {
    if f.is_nan() {
        Some("NaN".into())
    } else if f.is_infinite() {
        Some(if f > 0.0 { "+Inf" } else { "-Inf" }.into())
    } else {
        None
    }
}

fn fmt_e(neg: bool, digits: &str, dp: i32) -> String {
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    out.push_str(&digits[..1]);
    if digits.len() > 1 {
        out.push('.');
        out.push_str(&digits[1..]);
    }
    let exp = if digits == "0" { 0 } else { dp - 1 };
    out.push('e');
    out.push(if exp < 0 { '-' } else { '+' });
    let a = exp.abs();
    if a < 10 {
        out.push('0');
    }
    out.push_str(&a.to_string());
    out
}

fn fmt_f(neg: bool, digits: &str, dp: i32) -> String {
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    let nd = digits.len() as i32;
    if dp <= 0 {
        out.push('0');
        out.push('.');
        for _ in 0..(-dp) {
            out.push('0');
        }
        out.push_str(digits);
    } else if dp >= nd {
        out.push_str(digits);
        for _ in 0..(dp - nd) {
            out.push('0');
        }
    } else {
        out.push_str(&digits[..dp as usize]);
        out.push('.');
        out.push_str(&digits[dp as usize..]);
    }
    out
}

fn format_g(f: f64, bits32: bool) -> String {
    if let Some(s) = special(f) {
        return s;
    }
    let (neg, digits, dp) = shortest(f, bits32);
    // strconv's %g: "if precision was the shortest possible, use precision 6 for this
    // decision", so the exponent form is used when exp < -4 || exp >= 6.
    let eprec = 6;
    let exp = dp - 1;
    if digits == "0" {
        return if neg { "-0".into() } else { "0".into() };
    }
    if exp < -4 || exp >= eprec {
        fmt_e(neg, &digits, dp)
    } else {
        fmt_f(neg, &digits, dp)
    }
}

/// Go `strconv.FormatFloat(f, 'g', -1, 64)`: `1e+06`, `3600`, `1.5`, `1e-05`.
pub fn format_float_g(f: f64) -> String {
    format_g(f, false)
}

/// Go `strconv.FormatFloat(f, 'g', -1, 32)` (sigs.k8s.io/yaml float map keys).
pub fn format_float_g32(f: f64) -> String {
    format_g(f, true)
}

/// encoding/json's float64 format: fixed notation unless |f| < 1e-6 or |f| >= 1e21,
/// exponent without a leading zero (`1e-7`). Non-finite values are the caller's error.
pub fn format_float_json(f: f64) -> String {
    if let Some(s) = special(f) {
        return s;
    }
    let (neg, digits, dp) = shortest(f, false);
    if digits == "0" {
        return if neg { "-0".into() } else { "0".into() };
    }
    let abs = f.abs();
    if !(1e-6..1e21).contains(&abs) {
        let s = fmt_e(neg, &digits, dp);
        // clean up e-09 to e-9
        if let Some(pos) = s.find("e-0") {
            return format!("{}e-{}", &s[..pos], &s[pos + 3..]);
        }
        if let Some(pos) = s.find("e+0") {
            return format!("{}e+{}", &s[..pos], &s[pos + 3..]);
        }
        return s;
    }
    fmt_f(neg, &digits, dp)
}

/// Go's `fmt` `%v` of a value as templates print it: floats in `g` form, `<nil>`,
/// `[a b]` for lists and `map[k:v ...]` for maps (keys in byte order, as fmt sorts them).
/// (A nil reached directly by a template field lookup prints `<no value>`; that is the
/// template engine's business.)
pub fn format_go_v(d: &crate::Data) -> String {
    let mut out = String::new();
    go_v(&mut out, d);
    out
}

fn go_v(out: &mut String, d: &crate::Data) {
    use crate::Data;
    match d {
        Data::Null => out.push_str("<nil>"),
        Data::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Data::Int(i) => out.push_str(&i.to_string()),
        Data::Uint(u) => out.push_str(&u.to_string()),
        Data::Float(f) => out.push_str(&format_float_g(*f)),
        Data::String(s) => out.push_str(s),
        Data::List(items) => {
            out.push('[');
            for (i, it) in items.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                go_v(out, it);
            }
            out.push(']');
        }
        Data::Map(m) => {
            out.push_str("map[");
            for (i, (k, v)) in m.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                out.push_str(k);
                out.push(':');
                go_v(out, v);
            }
            out.push(']');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_g() {
        assert_eq!(format_float_g(1e6), "1e+06");
        assert_eq!(format_float_g(999999.0), "999999");
        assert_eq!(format_float_g(12345678.0), "1.2345678e+07");
        assert_eq!(format_float_g(1234567.5), "1.2345675e+06");
        assert_eq!(format_float_g(0.0001), "0.0001");
        assert_eq!(format_float_g(0.00001), "1e-05");
        assert_eq!(format_float_g(1e21), "1e+21");
        assert_eq!(
            format_float_g(123456789012345678.0),
            "1.2345678901234568e+17"
        );
        assert_eq!(format_float_g(3600.0), "3600");
        assert_eq!(format_float_g(-0.0), "-0");
        assert_eq!(format_float_g32(1.1), "1.1");
    }

    #[test]
    fn go_json() {
        assert_eq!(format_float_json(1e6), "1000000");
        assert_eq!(format_float_json(1e-7), "1e-7");
        assert_eq!(format_float_json(0.00001), "0.00001");
        assert_eq!(format_float_json(1e21), "1e+21");
        assert_eq!(
            format_float_json(123456789012345678.0),
            "123456789012345680"
        );
        assert_eq!(format_float_json(-0.0), "-0");
    }
}
