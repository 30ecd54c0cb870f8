//! Sprig's type conversions (`toString`, `toStrings`, `atoi`, `int`,
//! `int64`, `float64`, `toDecimal`) and the Go conversion rules the other
//! families share: spf13/cast v1.7.0 `ToInt`/`ToInt64`/`ToFloat64`, Sprig's
//! `strval`/`strslice`, and strconv's `ParseInt`/`ParseFloat`/`Atoi`.
//!
//! Does not own fmt's `%v` (origan-gotmpl's `fmt`), nor text/template's
//! conversion of arguments to parameter types (the evaluator).

mod parse;

use origan_gotmpl::fmt::format_value;
use origan_gotmpl::{ElemType, Func, FuncMap, Param, Value};

pub(crate) use parse::{atoi, parse_float, parse_int};

/// Sprig's `strval`: strings as they are, `[]byte` as text, Stringers via
/// `String()`, anything else through fmt's `%v` (so nil is `<nil>`).
pub(crate) fn strval(v: &Value) -> String {
    match v {
        Value::String(s) => s.to_string(),
        Value::ByteString(b) | Value::Bytes(b) => origan_gotmpl::value::go_lossy(b),
        _ => format_value(v),
    }
}

/// Sprig's `strslice`: a slice becomes its non-nil items through `strval`,
/// nil becomes an empty slice, anything else a one-item slice.
pub(crate) fn strslice(v: &Value) -> Vec<String> {
    match v {
        Value::List(l) => l
            .items
            .iter()
            .filter(|x| !matches!(x, Value::Nil))
            .map(strval)
            .collect(),
        Value::Bytes(b) => b.iter().map(|x| x.to_string()).collect(),
        Value::Nil => Vec::new(),
        other => vec![strval(other)],
    }
}

/// A `[]string` value.
pub(crate) fn string_list(items: Vec<String>) -> Value {
    Value::typed_list(
        items.into_iter().map(Value::str).collect(),
        ElemType::String,
    )
}

/// Go's `int64(f)` conversion as amd64 performs it: truncation, and the
/// "integer indefinite" value `math.MinInt64` for NaN and out-of-range input.
pub(crate) fn f64_to_i64(f: f64) -> i64 {
    // ±2^63: the first floats outside int64's range.
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    if f.is_nan() || !(-LIMIT..LIMIT).contains(&f) {
        i64::MIN
    } else {
        f as i64
    }
}

/// cast's `trimZeroDecimal`: `"4.00"` → `"4"`, but `"4."` and `"4.5"` stay.
fn trim_zero_decimal(s: &str) -> &str {
    let b = s.as_bytes();
    let mut found_zero = false;
    for i in (1..=b.len()).rev() {
        match b[i - 1] {
            b'.' => {
                if found_zero {
                    return &s[..i - 1];
                }
            }
            b'0' => found_zero = true,
            _ => return s,
        }
    }
    s
}

/// spf13/cast `ToInt64` (errors swallowed as 0, as Sprig does). `int` is 64
/// bits wide on Helm's platforms, so this is also `ToInt`.
pub(crate) fn to_int64(v: &Value) -> i64 {
    match v {
        Value::Int(i, _) => *i,
        Value::Uint(u, _) => *u as i64,
        Value::Float(f) => f64_to_i64(*f),
        Value::String(s) => parse_int(trim_zero_decimal(s), 0).unwrap_or(0),
        Value::Bool(b) => i64::from(*b),
        _ => 0,
    }
}

/// spf13/cast `ToFloat64` (errors swallowed as 0).
pub(crate) fn to_float64(v: &Value) -> f64 {
    match v {
        Value::Int(i, _) => *i as f64,
        Value::Uint(u, _) => *u as f64,
        Value::Float(f) => *f,
        Value::String(s) => parse_float(s).unwrap_or(0.0),
        Value::Bool(b) => f64::from(u8::from(*b)),
        _ => 0.0,
    }
}

/// Sprig's `toDecimal`: the value printed by `fmt.Sprint`, read as octal.
fn to_decimal(v: &Value) -> i64 {
    parse_int(&format_value(v), 8).unwrap_or(0)
}

pub(crate) fn register(funcs: &mut FuncMap) {
    // toString(v interface{}) string — `{{ toString 1.5 }}` → `1.5`
    funcs.insert(
        "toString",
        Func::new(&[Param::Any], |a| {
            // Go's string([]byte) keeps the bytes, UTF-8 or not.
            Ok(match &a[0] {
                Value::Bytes(b) => Value::go_string(b.to_vec()),
                v @ Value::ByteString(_) => v.clone(),
                v => Value::str(strval(v)),
            })
        }),
    );
    // toStrings(v interface{}) []string — `{{ toStrings (list 1 nil) }}` → `[1]`
    funcs.insert(
        "toStrings",
        Func::new(&[Param::Any], |a| Ok(string_list(strslice(&a[0])))),
    );
    // atoi(a string) int — `{{ atoi "42" }}` → `42`; errors give 0.
    funcs.insert(
        "atoi",
        Func::new(&[Param::String], |a| {
            Ok(Value::int(atoi(a[0].as_str().unwrap_or(""))))
        }),
    );
    // int(v interface{}) int — `{{ int "4.0" }}` → `4`, `{{ int 4.9 }}` → `4`
    funcs.insert(
        "int",
        Func::new(&[Param::Any], |a| Ok(Value::int(to_int64(&a[0])))),
    );
    // int64(v interface{}) int64 — `{{ int64 "0x10" }}` → `16`
    funcs.insert(
        "int64",
        Func::new(&[Param::Any], |a| Ok(Value::int64(to_int64(&a[0])))),
    );
    // float64(v interface{}) float64 — `{{ float64 "1e3" }}` → `1000`
    funcs.insert(
        "float64",
        Func::new(&[Param::Any], |a| Ok(Value::Float(to_float64(&a[0])))),
    );
    // toDecimal(v interface{}) int64 — `{{ toDecimal "777" }}` → `511`
    funcs.insert(
        "toDecimal",
        Func::new(&[Param::Any], |a| Ok(Value::int64(to_decimal(&a[0])))),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_zero_decimals_like_cast() {
        assert_eq!(trim_zero_decimal("4.00"), "4");
        assert_eq!(trim_zero_decimal("4."), "4.");
        assert_eq!(trim_zero_decimal("4.50"), "4.50");
        assert_eq!(trim_zero_decimal("10"), "10");
    }

    #[test]
    fn float_to_int_follows_amd64() {
        assert_eq!(f64_to_i64(-4.9), -4);
        assert_eq!(f64_to_i64(f64::NAN), i64::MIN);
        assert_eq!(f64_to_i64(1e300), i64::MIN);
    }
}
