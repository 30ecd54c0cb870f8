//! Sprig's list functions: `list`/`tuple`, `first`, `rest`, `last`,
//! `initial`, `append`/`push`, `prepend`, `concat`, `reverse`, `uniq`,
//! `without`, `has`, `compact`, `slice`, `chunk`, `until`, `untilStep`, and
//! their `must*` variants.
//!
//! Sprig works on any slice through reflection and reports other kinds as
//! `Cannot … on type KIND`; a nil argument dereferences a nil `reflect.Type`
//! and panics, which text/template reports as a nil pointer runtime error.
//! The non-`must` variants panic with the same error, so both forms fail
//! alike here. Does not own `sortAlpha`/`join` (see `strings`) nor
//! `all`/`any` (see `defaults`).

use std::rc::Rc;

use origan_gotmpl::{ElemType, Func, FuncError, FuncMap, IntType, Param, Value};

use crate::conv::to_int64;
use crate::defaults::empty;
use crate::types::deep_equal;

/// The panic of `reflect.TypeOf(nil).Kind()`.
pub(crate) const NIL_DEREF: &str =
    "runtime error: invalid memory address or nil pointer dereference";

/// The items of a slice argument, or Sprig's error naming the kind.
fn items(v: &Value, err: impl Fn(&str) -> String) -> Result<Rc<Vec<Value>>, FuncError> {
    match v {
        Value::List(l) => Ok(l.items.clone()),
        Value::Bytes(b) => Ok(Rc::new(
            b.iter()
                .map(|x| Value::Uint(u64::from(*x), IntType::Uint8))
                .collect(),
        )),
        Value::Nil => Err(FuncError::new(NIL_DEREF)),
        // A host object that is a Go slice (Helm's `common.VersionSet`).
        Value::Object(o) => match o.collection() {
            Some(Value::List(l)) => Ok(l.items.clone()),
            _ => Err(FuncError::new(err(o.kind_name()))),
        },
        other => Err(FuncError::new(err(other.kind_name()))),
    }
}

fn list(v: Vec<Value>) -> Result<Value, FuncError> {
    Ok(Value::list(v))
}

/// The most items `until`, `untilStep` and `seq` build. Go would allocate
/// any length (and die of memory exhaustion past what the host has); a
/// template error is kinder than aborting the process.
pub(crate) const MAX_ITEMS: i128 = 1 << 26;

/// Sprig's `untilStep`: from `start` towards `stop` (exclusive) by `step`;
/// empty when the step points away from `stop`.
pub(crate) fn until_step(start: i64, stop: i64, step: i64) -> Result<Vec<i64>, FuncError> {
    let (a, b, st) = (i128::from(start), i128::from(stop), i128::from(step));
    let n = if b < a && st < 0 {
        (a - b + (-st) - 1) / (-st)
    } else if b > a && st > 0 {
        (b - a + st - 1) / st
    } else {
        0
    };
    if n > MAX_ITEMS {
        return Err(FuncError::new(format!(
            "cannot build a list of {n} items (limit {MAX_ITEMS})"
        )));
    }
    Ok((0..n).map(|k| (a + k * st) as i64).collect())
}

fn int_list(v: Vec<i64>) -> Value {
    Value::typed_list(
        v.into_iter().map(Value::int).collect(),
        ElemType::Int(IntType::Int),
    )
}

/// Sprig's `mustChunk`, float arithmetic and all: the chunk count is
/// `floor((len-1)/size)+1`, so a zero or negative size makes Go's
/// `make` fail (or, for some lengths, yields no chunks).
fn chunk(size: i64, v: &Value) -> Result<Value, FuncError> {
    let it = items(v, |k| format!("Cannot chunk type {k}"))?;
    let l = it.len() as f64;
    let cs_f = ((l - 1.0) / size as f64).floor() + 1.0;
    let cs = crate::conv::f64_to_i64(cs_f);
    let makeslice = || FuncError::new("runtime error: makeslice: len out of range");
    if cs < 0 {
        return Err(makeslice());
    }
    let mut out = Vec::new();
    for i in 0..cs {
        let mut clen = size;
        if i == cs - 1 {
            clen = crate::conv::f64_to_i64((l % size as f64).floor());
            if clen == 0 {
                clen = size;
            }
        }
        if clen < 0 {
            return Err(makeslice());
        }
        let mut c = Vec::new();
        for j in 0..clen {
            let ix = (i * size + j) as usize;
            let item = it.get(ix).cloned().ok_or_else(|| {
                FuncError::new(format!(
                    "runtime error: index out of range [{ix}] with length {}",
                    it.len()
                ))
            })?;
            c.push(item);
        }
        out.push(Value::list(c));
    }
    list(out)
}

/// Sprig's `mustSlice`: `list[start:end]` keeping the slice's type; nil for
/// an empty list.
fn slice(v: &Value, idx: &[Value]) -> Result<Value, FuncError> {
    let it = items(v, |k| {
        format!("list should be type of slice or array but {k}")
    })?;
    if it.is_empty() {
        return Ok(Value::Nil);
    }
    let start = idx.first().map_or(0, to_int64);
    let end = idx.get(1).map_or(it.len() as i64, to_int64);
    if start < 0 || end < start || end > it.len() as i64 {
        return Err(FuncError::new(
            "reflect.Value.Slice: slice index out of bounds",
        ));
    }
    let part = it[start as usize..end as usize].to_vec();
    Ok(match v {
        Value::List(l) => Value::typed_list(part, l.elem),
        _ => Value::Bytes(
            part.iter()
                .map(|x| match x {
                    Value::Uint(u, _) => *u as u8,
                    _ => 0,
                })
                .collect(),
        ),
    })
}

fn contains(hay: &[Value], needle: &Value) -> bool {
    hay.iter().any(|h| deep_equal(needle, h))
}

/// Registers `name` and `mustName` with the same body: Sprig's plain forms
/// panic with the error the `must` forms return.
fn both(funcs: &mut FuncMap, name: &str, f: Func) {
    let must = format!("must{}{}", name[..1].to_uppercase(), &name[1..]);
    funcs.insert(must, f.clone());
    funcs.insert(name, f);
}

pub(crate) fn register(funcs: &mut FuncMap) {
    let any = Param::Any;
    // list(v ...interface{}) []interface{} — `{{ list 1 "a" }}` → `[1 a]`
    let l = Func::variadic(&[], any, |a| list(a.to_vec()));
    funcs.insert("list", l.clone());
    // tuple: an alias of list — `{{ tuple 1 2 }}` → `[1 2]`
    funcs.insert("tuple", l);
    // push(list, v interface{}) []interface{} — `{{ push (list 1) 2 }}` → `[1 2]`
    let push = Func::new(&[any, any], |a| {
        let mut v = items(&a[0], |k| format!("Cannot push on type {k}"))?.to_vec();
        v.push(a[1].clone());
        list(v)
    });
    both(funcs, "push", push.clone());
    // append: an alias of push — `{{ append (list 1) 2 }}` → `[1 2]`
    both(funcs, "append", push);
    // prepend(list, v interface{}) []interface{} — `{{ prepend (list 1) 0 }}` → `[0 1]`
    both(
        funcs,
        "prepend",
        Func::new(&[any, any], |a| {
            let it = items(&a[0], |k| format!("Cannot prepend on type {k}"))?;
            let mut v = vec![a[1].clone()];
            v.extend(it.iter().cloned());
            list(v)
        }),
    );
    // chunk(size int, list interface{}) [][]interface{} — `{{ chunk 2 (list 1 2 3) }}` → `[[1 2] [3]]`
    both(
        funcs,
        "chunk",
        Func::new(&[Param::Int, any], |a| chunk(to_int64(&a[0]), &a[1])),
    );
    // last(list interface{}) interface{} — `{{ last (list 1 2) }}` → `2`
    both(
        funcs,
        "last",
        Func::new(&[any], |a| {
            let it = items(&a[0], |k| format!("Cannot find last on type {k}"))?;
            Ok(it.last().cloned().unwrap_or(Value::Nil))
        }),
    );
    // first(list interface{}) interface{} — `{{ first (list 1 2) }}` → `1`
    both(
        funcs,
        "first",
        Func::new(&[any], |a| {
            let it = items(&a[0], |k| format!("Cannot find first on type {k}"))?;
            Ok(it.first().cloned().unwrap_or(Value::Nil))
        }),
    );
    // rest(list interface{}) []interface{} — `{{ rest (list 1 2 3) }}` → `[2 3]`
    both(
        funcs,
        "rest",
        Func::new(&[any], |a| {
            let it = items(&a[0], |k| format!("Cannot find rest on type {k}"))?;
            list(it.iter().skip(1).cloned().collect())
        }),
    );
    // initial(list interface{}) []interface{} — `{{ initial (list 1 2 3) }}` → `[1 2]`
    both(
        funcs,
        "initial",
        Func::new(&[any], |a| {
            let it = items(&a[0], |k| format!("Cannot find initial on type {k}"))?;
            let n = it.len().saturating_sub(1);
            list(it[..n].to_vec())
        }),
    );
    // reverse(v interface{}) []interface{} — `{{ reverse (list 1 2) }}` → `[2 1]`
    both(
        funcs,
        "reverse",
        Func::new(&[any], |a| {
            let it = items(&a[0], |k| format!("Cannot find reverse on type {k}"))?;
            list(it.iter().rev().cloned().collect())
        }),
    );
    // compact(list interface{}) []interface{} — `{{ compact (list 0 "a" "") }}` → `[a]`
    both(
        funcs,
        "compact",
        Func::new(&[any], |a| {
            let it = items(&a[0], |k| format!("Cannot compact on type {k}"))?;
            list(it.iter().filter(|x| !empty(x)).cloned().collect())
        }),
    );
    // uniq(list interface{}) []interface{} — `{{ uniq (list 1 1 2) }}` → `[1 2]`
    both(
        funcs,
        "uniq",
        Func::new(&[any], |a| {
            let it = items(&a[0], |k| format!("Cannot find uniq on type {k}"))?;
            let mut dest: Vec<Value> = Vec::new();
            for x in it.iter() {
                if !contains(&dest, x) {
                    dest.push(x.clone());
                }
            }
            list(dest)
        }),
    );
    // without(list interface{}, omit ...interface{}) []interface{} — `{{ without (list 1 2) 1 }}` → `[2]`
    both(
        funcs,
        "without",
        Func::variadic(&[any], any, |a| {
            let it = items(&a[0], |k| format!("Cannot find without on type {k}"))?;
            list(
                it.iter()
                    .filter(|x| !contains(&a[1..], x))
                    .cloned()
                    .collect(),
            )
        }),
    );
    // has(needle, haystack interface{}) bool — `{{ has 2 (list 1 2) }}` → `true`
    both(
        funcs,
        "has",
        Func::new(&[any, any], |a| {
            if matches!(a[1], Value::Nil) {
                return Ok(Value::Bool(false));
            }
            let it = items(&a[1], |k| format!("Cannot find has on type {k}"))?;
            Ok(Value::Bool(contains(&it, &a[0])))
        }),
    );
    // slice(list interface{}, indices ...interface{}) interface{} — `{{ slice (list 1 2 3) 1 2 }}` → `[2]`
    both(
        funcs,
        "slice",
        Func::variadic(&[any], any, |a| slice(&a[0], &a[1..])),
    );
    // concat(lists ...interface{}) interface{} — `{{ concat (list 1) (list 2) }}` → `[1 2]`
    funcs.insert(
        "concat",
        Func::variadic(&[], any, |a| {
            let mut res = Vec::new();
            for l in a {
                let it = items(l, |k| format!("Cannot concat type {k} as list"))?;
                res.extend(it.iter().cloned());
            }
            list(res)
        }),
    );
    // until(count int) []int — `{{ until 3 }}` → `[0 1 2]`
    funcs.insert(
        "until",
        Func::new(&[Param::Int], |a| {
            let n = to_int64(&a[0]);
            let step = if n < 0 { -1 } else { 1 };
            Ok(int_list(until_step(0, n, step)?))
        }),
    );
    // untilStep(start, stop, step int) []int — `{{ untilStep 0 10 3 }}` → `[0 3 6 9]`
    funcs.insert(
        "untilStep",
        Func::new(&[Param::Int, Param::Int, Param::Int], |a| {
            let (s, e, st) = (to_int64(&a[0]), to_int64(&a[1]), to_int64(&a[2]));
            Ok(int_list(until_step(s, e, st)?))
        }),
    );
}
