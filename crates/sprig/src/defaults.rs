//! Sprig's defaults and flow functions: `default`, `empty`, `coalesce`,
//! `all`, `any`, `ternary`, `fail` and `hello`.
//!
//! Does not own Helm's `required` and `fail` (origanctl's engine overrides
//! `fail` at render time), nor the JSON functions Sprig keeps in the same
//! source file (`toJson`, `fromJson`, ...: Helm's engine and the encoding
//! family).

use origan_gotmpl::{Func, FuncError, FuncMap, Param, Value};

/// Sprig's `empty`: nil, false, zero numbers and zero-length strings, slices
/// and maps are empty; structs and pointers (host objects) never are.
pub(crate) fn empty(v: &Value) -> bool {
    match v {
        Value::Nil => true,
        Value::Bool(b) => !b,
        Value::Int(i, _) => *i == 0,
        Value::Uint(u, _) => *u == 0,
        Value::Float(f) => *f == 0.0,
        Value::String(s) => s.is_empty(),
        Value::ByteString(b) | Value::Bytes(b) => b.is_empty(),
        Value::List(l) => l.items.is_empty(),
        Value::Map(m) => m.entries.borrow().is_empty(),
        Value::Object(_) => false,
    }
}

pub(crate) fn register(funcs: &mut FuncMap) {
    let any = Param::Any;
    // default(d interface{}, given ...interface{}) interface{} — `{{ default "d" "" }}` → `d`
    funcs.insert(
        "default",
        Func::variadic(&[any], any, |a| match a.get(1) {
            Some(g) if !empty(g) => Ok(g.clone()),
            _ => Ok(a[0].clone()),
        }),
    );
    // empty(given interface{}) bool — `{{ empty 0 }}` → `true`
    funcs.insert(
        "empty",
        Func::new(&[any], |a| Ok(Value::Bool(empty(&a[0])))),
    );
    // coalesce(v ...interface{}) interface{} — `{{ coalesce "" 0 "x" }}` → `x`
    funcs.insert(
        "coalesce",
        Func::variadic(&[], any, |a| {
            Ok(a.iter().find(|v| !empty(v)).cloned().unwrap_or(Value::Nil))
        }),
    );
    // all(v ...interface{}) bool — `{{ all 1 "a" true }}` → `true`
    funcs.insert(
        "all",
        Func::variadic(&[], any, |a| Ok(Value::Bool(a.iter().all(|v| !empty(v))))),
    );
    // any(v ...interface{}) bool — `{{ any 0 "" "x" }}` → `true`
    funcs.insert(
        "any",
        Func::variadic(&[], any, |a| Ok(Value::Bool(a.iter().any(|v| !empty(v))))),
    );
    // ternary(vt, vf interface{}, v bool) interface{} — `{{ ternary "y" "n" true }}` → `y`
    funcs.insert(
        "ternary",
        Func::new(&[any, any, Param::Bool], |a| {
            Ok(if matches!(a[2], Value::Bool(true)) {
                a[0].clone()
            } else {
                a[1].clone()
            })
        }),
    );
    // fail(msg string) (string, error) — `{{ fail "boom" }}` → error `boom`
    funcs.insert(
        "fail",
        Func::new(&[Param::String], |a| {
            Err(FuncError::new(a[0].as_str().unwrap_or("")))
        }),
    );
    // hello() string — `{{ hello }}` → `Hello!`
    funcs.insert("hello", Func::new(&[], |_| Ok(Value::str("Hello!"))));
}
