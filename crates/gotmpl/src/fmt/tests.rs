//! Unit tests for Go fmt. Expected strings are Go's documented outputs
//! (fmt package docs, helm-behaviour.md §3.9 observations).

use super::*;
use crate::value::Value;
use std::collections::BTreeMap;

fn f(x: f64) -> Value {
    Value::Float(x)
}

#[test]
fn float_v() {
    let cases = [
        (5.0, "5"),
        (1.5, "1.5"),
        (999999.0, "999999"),
        (1000000.0, "1e+06"),
        (12345678.0, "1.2345678e+07"),
        (1234567.5, "1.2345675e+06"),
        (0.0001, "0.0001"),
        (0.00001, "1e-05"),
        (1e-7, "1e-07"),
        (1e21, "1e+21"),
        (123456789012345678.0, "1.2345678901234568e+17"),
        (3600.0, "3600"),
        (0.0, "0"),
        (-2.5, "-2.5"),
    ];
    for (x, want) in cases {
        assert_eq!(format_value(&f(x)), want, "{x}");
    }
}

#[test]
fn printf_verbs() {
    let s = |x: &str| Value::str(x);
    assert_eq!(
        sprintf("%05.1f|%-4s|%+d", &[f(2.71928), s("a"), Value::int(3)]),
        "002.7|a   |+3"
    );
    assert_eq!(sprintf("%d", &[f(3.0)]), "%!d(float64=3)");
    assert_eq!(sprintf("%s", &[f(1.0)]), "%!s(float64=1)");
    assert_eq!(sprintf("%T %T", &[Value::int(1)]), "int %!T(MISSING)");
    assert_eq!(sprintf("%x %X", &[s("hi"), Value::int(255)]), "6869 FF");
    assert_eq!(sprintf("%q", &[s("a\"b")]), "\"a\\\"b\"");
    assert_eq!(
        sprintf(
            "%c %U %#U",
            &[Value::int(65), Value::int(65), Value::int(65)]
        ),
        "A U+0041 U+0041 'A'"
    );
    assert_eq!(
        sprintf("%e %g %.2e", &[f(1234.5678), f(1234.5678), f(1234.5678)]),
        "1.234568e+03 1234.5678 1.23e+03"
    );
    assert_eq!(
        sprintf(
            "%o %b %#x %#o",
            &[Value::int(8), Value::int(5), Value::int(255), Value::int(8)]
        ),
        "10 101 0xff 010"
    );
    assert_eq!(
        sprintf("%t %v", &[Value::Bool(true), Value::Nil]),
        "true <nil>"
    );
    assert_eq!(sprintf("%d", &[Value::Nil]), "%!d(<nil>)");
    assert_eq!(
        sprintf("a", &[Value::int(1), s("x")]),
        "a%!(EXTRA int=1, string=x)"
    );
    assert_eq!(sprintf("%", &[]), "%!(NOVERB)");
    assert_eq!(sprintf("%5.2f%%", &[f(2.0)]), " 2.00%");
    assert_eq!(
        sprintf("%.3g|%g|%G", &[f(100.0), f(1e-7), f(1e21)]),
        "100|1e-07|1E+21"
    );
    assert_eq!(
        sprintf(
            "%08.3f|%-8d|%x",
            &[f(-2.71928), Value::int(-5), Value::int(-255)]
        ),
        "-002.719|-5      |-ff"
    );
    assert_eq!(sprintf("%6.2s|", &[s("hello")]), "    he|");
    assert_eq!(
        sprintf("%[2]d %[1]d", &[Value::int(1), Value::int(2)]),
        "2 1"
    );
}

#[test]
fn float_binary_and_hex() {
    assert_eq!(
        sprintf("%x %X %b", &[f(3.0), f(1.0), f(1.0)]),
        "0x1.8p+01 0X1P+00 4503599627370496p-52"
    );
    assert_eq!(sprintf("%.1x", &[f(1.0)]), "0x1.0p+00");
}

#[test]
fn containers() {
    let mut m = BTreeMap::new();
    m.insert("b".to_string(), f(2.0));
    m.insert("a".to_string(), f(1.0));
    let map = Value::map(m);
    assert_eq!(format_value(&map), "map[a:1 b:2]");
    let l = Value::list(vec![f(1.0), Value::str("x"), Value::Nil]);
    assert_eq!(format_value(&l), "[1 x <nil>]");
    assert_eq!(
        sprintf("%d", std::slice::from_ref(&l)),
        "[%!d(float64=1) %!d(string=x) <nil>]"
    );
    assert_eq!(
        format_value(&Value::Bytes(b"hi".to_vec().into())),
        "[104 105]"
    );
    assert_eq!(sprintf("%s", &[Value::Bytes(b"hi".to_vec().into())]), "hi");
    assert_eq!(
        sprintf("%#v", &[l]),
        "[]interface {}{1, \"x\", interface {}(nil)}"
    );
    assert_eq!(
        sprintf("%q", &[Value::list(vec![Value::str("a")])]),
        "[\"a\"]"
    );
}

#[test]
fn sprint_spacing() {
    let args = [
        Value::str("a"),
        Value::int(1),
        Value::int(2),
        Value::str("b"),
    ];
    assert_eq!(sprint(&args), "a1 2b");
    assert_eq!(sprintln(&args), "a 1 2 b\n");
}
