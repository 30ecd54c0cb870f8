//! Sprig's reflection functions: `typeOf`, `typeIs`, `typeIsLike`,
//! `kindOf`, `kindIs`, and `deepEqual` (Go's `reflect.DeepEqual`, which
//! `uniq`, `without` and `has` also use).
//!
//! Does not own the Go type and kind names themselves: they come from
//! origan-gotmpl's [`Value::type_name`] and [`Value::kind_name`].

use std::rc::Rc;

use origan_gotmpl::{Func, FuncMap, Param, Value};

/// `reflect.DeepEqual`: the same Go type (so `int` ≠ `int64`, `[]string` ≠
/// `[]interface {}`) and deeply equal contents; NaN is never equal.
pub(crate) fn deep_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Nil, Value::Nil) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Int(x, t), Value::Int(y, u)) => t == u && x == y,
        (Value::Uint(x, t), Value::Uint(y, u)) => t == u && x == y,
        (Value::Float(x), Value::Float(y)) => x == y,
        (Value::String(x), Value::String(y)) => x == y,
        (Value::Bytes(x), Value::Bytes(y)) => x == y,
        (Value::List(x), Value::List(y)) => {
            x.elem == y.elem
                && x.items.len() == y.items.len()
                && x.items
                    .iter()
                    .zip(y.items.iter())
                    .all(|(p, q)| deep_equal(p, q))
        }
        (Value::Map(x), Value::Map(y)) => {
            if x.elem != y.elem {
                return false;
            }
            if Rc::ptr_eq(&x.entries, &y.entries) {
                return true;
            }
            let (x, y) = (x.entries.borrow(), y.entries.borrow());
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| deep_equal(v, w)))
        }
        (Value::Object(x), Value::Object(y)) => {
            Rc::ptr_eq(x, y) || (x.type_name() == y.type_name() && x.fmt_string() == y.fmt_string())
        }
        _ => false,
    }
}

pub(crate) fn register(funcs: &mut FuncMap) {
    let any = Param::Any;
    let s = Param::String;
    // typeOf(src interface{}) string — `{{ typeOf 1.5 }}` → `float64`
    funcs.insert(
        "typeOf",
        Func::new(&[any], |a| Ok(Value::str(a[0].type_name()))),
    );
    // typeIs(target string, src interface{}) bool — `{{ typeIs "int" 1 }}` → `true`
    funcs.insert(
        "typeIs",
        Func::new(&[s, any], |a| {
            Ok(Value::Bool(
                a[0].as_str() == Some(a[1].type_name().as_str()),
            ))
        }),
    );
    // typeIsLike(target string, src interface{}) bool — `{{ typeIsLike "T" $ptrToT }}` → `true`
    funcs.insert(
        "typeIsLike",
        Func::new(&[s, any], |a| {
            let t = a[1].type_name();
            let target = a[0].as_str().unwrap_or("");
            Ok(Value::Bool(
                t == target || t.strip_prefix('*') == Some(target),
            ))
        }),
    );
    // kindOf(src interface{}) string — `{{ kindOf (list) }}` → `slice`
    funcs.insert(
        "kindOf",
        Func::new(&[any], |a| Ok(Value::str(a[0].kind_name()))),
    );
    // kindIs(target string, src interface{}) bool — `{{ kindIs "map" (dict) }}` → `true`
    funcs.insert(
        "kindIs",
        Func::new(&[s, any], |a| {
            Ok(Value::Bool(a[0].as_str() == Some(a[1].kind_name())))
        }),
    );
    // deepEqual(x, y interface{}) bool — `{{ deepEqual (list 1) (list 1) }}` → `true`
    funcs.insert(
        "deepEqual",
        Func::new(&[any, any], |a| Ok(Value::Bool(deep_equal(&a[0], &a[1])))),
    );
}
