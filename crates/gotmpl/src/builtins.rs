//! Go's builtin template functions (`text/template/funcs.go`): `not len
//! index slice print printf println html js urlquery eq ne lt le gt ge`,
//! plus the signatures of `and`, `or` and `call`, whose evaluation the
//! evaluator does itself (short-circuit; node names in messages).
//!
//! Owns their semantics and Go's error texts, including the reflect panics
//! Go turns into errors (`reflect: slice index out of range`). A function of
//! the same name in the user's [`crate::FuncMap`] takes precedence, as in
//! Go (Helm's Sprig `slice` shadows the builtin).

use crate::fmt::{format_value, sprint, sprintf, sprintln};
use crate::func::Param;
use crate::value::{IntType, Value};

/// A builtin's Go signature.
pub(crate) struct Sig {
    pub params: &'static [Param],
    pub variadic: Option<Param>,
}

const ONE: &[Param] = &[Param::Any];
const TWO: &[Param] = &[Param::Any, Param::Any];
const NONE: &[Param] = &[];

/// The names of Go's builtins.
pub const NAMES: &[&str] = &[
    "and", "call", "html", "index", "slice", "js", "len", "not", "or", "print", "printf",
    "println", "urlquery", "eq", "ge", "gt", "le", "lt", "ne",
];

pub(crate) fn signature(name: &str) -> Option<Sig> {
    let v = Some(Param::Any);
    let (params, variadic) = match name {
        "and" | "or" | "call" | "index" | "slice" | "eq" => (ONE, v),
        "not" | "len" => (ONE, None),
        "print" | "println" | "html" | "js" | "urlquery" => (NONE, v),
        "printf" => (&[Param::String][..], v),
        "ne" | "lt" | "le" | "gt" | "ge" => (TWO, None),
        _ => return None,
    };
    Some(Sig { params, variadic })
}

pub(crate) fn call(name: &str, a: &[Value]) -> Result<Value, String> {
    Ok(match name {
        "not" => Value::Bool(!a[0].is_true()),
        "len" => Value::int(length(&a[0].collection_view())?),
        "index" => index(&a[0].collection_view(), &a[1..])?,
        "slice" => slice(&a[0].collection_view(), &a[1..])?,
        "print" => Value::str(sprint(a)),
        "println" => Value::str(sprintln(a)),
        "printf" => Value::str(sprintf(a[0].as_str().unwrap_or_default(), &a[1..])),
        "html" => Value::str(html_escape(&eval_args(a))),
        "js" => Value::str(js_escape(&eval_args(a))),
        "urlquery" => Value::str(query_escape(&eval_args(a))),
        "eq" => Value::Bool(eq(&a[0], &a[1..])?),
        "ne" => Value::Bool(!eq(&a[0], &a[1..2])?),
        "lt" => Value::Bool(lt(&a[0], &a[1])?),
        "le" => Value::Bool(lt(&a[0], &a[1])? || eq(&a[0], &a[1..2])?),
        "gt" => Value::Bool(!(lt(&a[0], &a[1])? || eq(&a[0], &a[1..2])?)),
        "ge" => Value::Bool(!lt(&a[0], &a[1])?),
        _ => return Err(format!("unknown builtin {name}")),
    })
}

fn length(v: &Value) -> Result<i64, String> {
    Ok(match v {
        Value::Nil => return Err("len of nil pointer".into()),
        Value::String(s) => s.len() as i64,
        Value::ByteString(b) | Value::Bytes(b) => b.len() as i64,
        Value::List(l) => l.items.len() as i64,
        Value::Map(m) => m.entries.borrow().len() as i64,
        other => return Err(format!("len of type {}", other.type_name())),
    })
}

/// Go's `indexArg`.
fn index_arg(i: &Value, cap: usize) -> Result<usize, String> {
    let x: i128 = match i {
        Value::Int(x, _) => i128::from(*x),
        Value::Uint(x, _) => i128::from(*x),
        Value::Nil => return Err("cannot index slice/array with nil".into()),
        other => {
            return Err(format!(
                "cannot index slice/array with type {}",
                other.type_name()
            ));
        }
    };
    if x < 0 || x > cap as i128 {
        return Err(format!("index out of range: {x}"));
    }
    Ok(x as usize)
}

fn index(item: &Value, indexes: &[Value]) -> Result<Value, String> {
    if let Value::Nil = item {
        return Err("index of untyped nil".into());
    }
    let mut item = item.clone();
    for i in indexes {
        item = match &item {
            Value::Nil => return Err("index of nil pointer".into()),
            Value::List(l) => {
                let x = index_arg(i, l.items.len())?;
                match l.items.get(x) {
                    Some(v) => v.clone(),
                    None => return Err("reflect: slice index out of range".into()),
                }
            }
            Value::Bytes(b) => {
                let x = index_arg(i, b.len())?;
                match b.get(x) {
                    Some(c) => Value::Uint(u64::from(*c), IntType::Uint8),
                    None => return Err("reflect: slice index out of range".into()),
                }
            }
            Value::String(_) | Value::ByteString(_) => {
                let s = item.string_bytes().unwrap_or_default();
                let x = index_arg(i, s.len())?;
                match s.get(x) {
                    Some(c) => Value::Uint(u64::from(*c), IntType::Uint8),
                    None => return Err("reflect: string index out of range".into()),
                }
            }
            Value::Map(m) => {
                let key = match i {
                    Value::String(k) => k.clone(),
                    Value::Nil => return Err("value is nil; should be of type string".into()),
                    other => {
                        return Err(format!(
                            "value has type {}; should be string",
                            other.type_name()
                        ));
                    }
                };
                let found = m.entries.borrow().get(&*key).cloned();
                found.unwrap_or_else(|| crate::exec::zero_of(m.elem))
            }
            other => return Err(format!("can't index item of type {}", other.type_name())),
        };
    }
    Ok(item)
}

fn slice(item: &Value, indexes: &[Value]) -> Result<Value, String> {
    if let Value::Nil = item {
        return Err("slice of untyped nil".into());
    }
    if indexes.len() > 3 {
        return Err(format!("too many slice indexes: {}", indexes.len()));
    }
    let len = match item {
        Value::String(_) | Value::ByteString(_) => {
            if indexes.len() == 3 {
                return Err("cannot 3-index slice a string".into());
            }
            item.string_bytes().map_or(0, <[u8]>::len)
        }
        Value::List(l) => l.items.len(),
        Value::Bytes(b) => b.len(),
        other => return Err(format!("can't slice item of type {}", other.type_name())),
    };
    let mut idx = [0usize, len, len];
    for (k, i) in indexes.iter().enumerate() {
        idx[k] = index_arg(i, len)?;
    }
    if idx[0] > idx[1] {
        return Err(format!("invalid slice index: {} > {}", idx[0], idx[1]));
    }
    if indexes.len() == 3 && idx[1] > idx[2] {
        return Err(format!("invalid slice index: {} > {}", idx[1], idx[2]));
    }
    let (a, b) = (idx[0], idx[1]);
    Ok(match item {
        // Go slices strings by byte, possibly through a rune.
        Value::String(_) | Value::ByteString(_) => {
            Value::go_string(item.string_bytes().unwrap_or_default()[a..b].to_vec())
        }
        Value::List(l) => Value::typed_list(l.items[a..b].to_vec(), l.elem),
        Value::Bytes(bs) => Value::Bytes(bs[a..b].to_vec().into()),
        _ => unreachable!(),
    })
}

#[derive(PartialEq, Eq, Clone, Copy, Debug)]
enum Kind {
    Invalid,
    Bool,
    Int,
    Float,
    String,
    Uint,
}

fn basic_kind(v: &Value) -> Kind {
    match v {
        Value::Bool(_) => Kind::Bool,
        Value::Int(..) => Kind::Int,
        Value::Uint(..) => Kind::Uint,
        Value::Float(_) => Kind::Float,
        Value::String(_) | Value::ByteString(_) => Kind::String,
        _ => Kind::Invalid,
    }
}

const BAD_COMPARISON: &str = "incompatible types for comparison";

fn eq(a1: &Value, rest: &[Value]) -> Result<bool, String> {
    if rest.is_empty() {
        return Err("missing argument for comparison".into());
    }
    let k1 = basic_kind(a1);
    for a in rest {
        let k2 = basic_kind(a);
        let truth = if k1 != k2 {
            match (a1, a) {
                (Value::Int(i, _), Value::Uint(u, _)) | (Value::Uint(u, _), Value::Int(i, _)) => {
                    *i >= 0 && *i as u64 == *u
                }
                _ => {
                    if !matches!(a1, Value::Nil) && !matches!(a, Value::Nil) {
                        return Err(format!(
                            "{BAD_COMPARISON}: {} and {}",
                            a1.type_name(),
                            a.type_name()
                        ));
                    }
                    false
                }
            }
        } else {
            match (a1, a) {
                (Value::Bool(x), Value::Bool(y)) => x == y,
                (Value::Int(x, _), Value::Int(y, _)) => x == y,
                (Value::Uint(x, _), Value::Uint(y, _)) => x == y,
                (Value::Float(x), Value::Float(y)) => x == y,
                (x, y) if k1 == Kind::String => x.string_bytes() == y.string_bytes(),
                _ => {
                    let n1 = matches!(a1, Value::Nil);
                    let n2 = matches!(a, Value::Nil);
                    if n1 || n2 {
                        n1 == n2
                    } else if a1.type_name() != a.type_name() {
                        return Err(format!(
                            "non-comparable types {}: {}, {}: {}",
                            format_value(a1),
                            a1.type_name(),
                            a.type_name(),
                            format_value(a)
                        ));
                    } else {
                        match (a1, a) {
                            (Value::Object(x), Value::Object(y)) => std::rc::Rc::ptr_eq(x, y),
                            _ => {
                                return Err(format!(
                                    "non-comparable type {}: {}",
                                    format_value(a),
                                    a.type_name()
                                ));
                            }
                        }
                    }
                }
            }
        };
        if truth {
            return Ok(true);
        }
    }
    Ok(false)
}

fn lt(a1: &Value, a2: &Value) -> Result<bool, String> {
    let k1 = basic_kind(a1);
    let k2 = basic_kind(a2);
    if k1 == Kind::Invalid || k2 == Kind::Invalid {
        return Err("invalid type for comparison".into());
    }
    if k1 != k2 {
        return match (a1, a2) {
            (Value::Int(i, _), Value::Uint(u, _)) => Ok(*i < 0 || (*i as u64) < *u),
            (Value::Uint(u, _), Value::Int(i, _)) => Ok(*i >= 0 && *u < *i as u64),
            _ => Err(format!(
                "{BAD_COMPARISON}: {} and {}",
                a1.type_name(),
                a2.type_name()
            )),
        };
    }
    Ok(match (a1, a2) {
        (Value::Int(x, _), Value::Int(y, _)) => x < y,
        (Value::Uint(x, _), Value::Uint(y, _)) => x < y,
        (Value::Float(x), Value::Float(y)) => x < y,
        (x, y) if basic_kind(x) == Kind::String && basic_kind(y) == Kind::String => {
            x.string_bytes() < y.string_bytes()
        }
        _ => return Err("invalid type for comparison".into()),
    })
}

/// Go's `evalArgs` for html/js/urlquery: one string is used as is;
/// otherwise each argument is made printable (nil → `<no value>`) and the
/// list goes through `fmt.Sprint`.
fn eval_args(a: &[Value]) -> String {
    if let [Value::String(s)] = a {
        return s.to_string();
    }
    let printable: Vec<Value> = a
        .iter()
        .map(|v| match v {
            Value::Nil => Value::str("<no value>"),
            Value::Object(o) => Value::str(o.template_string()),
            other => other.clone(),
        })
        .collect();
    sprint(&printable)
}

/// `template.HTMLEscapeString`.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("&#34;"),
            '\'' => out.push_str("&#39;"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\0' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// `template.JSEscapeString`.
pub fn js_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '"' => out.push_str("\\\""),
            '<' => out.push_str("\\u003C"),
            '>' => out.push_str("\\u003E"),
            '&' => out.push_str("\\u0026"),
            '=' => out.push_str("\\u003D"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04X}", c as u32)),
            c if (c as u32) < 0x80 => out.push(c),
            c if crate::fmt::is_print(c) => out.push(c),
            c => out.push_str(&format!("\\u{:04X}", c as u32)),
        }
    }
    out
}

/// `url.QueryEscape`.
pub fn query_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char);
            }
            b' ' => out.push('+'),
            b => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}
