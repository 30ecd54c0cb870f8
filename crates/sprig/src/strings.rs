//! Sprig's string functions: trimming, case, `substr`/`trunc`/`abbrev`,
//! `wrap`, `quote`/`squote`/`cat`, `indent`/`nindent`, `replace`, `plural`,
//! `repeat`, `split`/`splitList`/`splitn`, `join`, `sortAlpha`,
//! `contains`/`hasPrefix`/`hasSuffix`.
//!
//! Arguments are declared with Sprig's Go parameter types, so text/template
//! refuses `{{ trim 5 }}` before any function runs. Does not own the random
//! string functions (`randAlpha`, `shuffle`, ...: see `random`), regexes,
//! encodings or hashes, the path functions (`base`, `dir`, ...: see `url`),
//! nor conversions (`toString` etc.: see `conv`).

mod bytes;
mod case;
mod unicode;

use std::collections::BTreeMap;

use origan_gotmpl::fmt::{format_value, quote};
use origan_gotmpl::{ElemType, Func, FuncError, FuncMap, Param, Value};

use crate::conv::{string_list, strslice, strval, to_int64};

fn s(v: &Value) -> &str {
    v.as_str().unwrap_or("")
}

fn int(v: &Value) -> i64 {
    to_int64(v)
}

/// A `string` argument's bytes (for [`Param::GoString`] parameters).
fn go_bytes(v: &Value) -> &[u8] {
    v.string_bytes().unwrap_or_default()
}

fn ok(x: impl Into<std::rc::Rc<str>>) -> Result<Value, FuncError> {
    Ok(Value::str(x))
}

/// `strings.Replace(src, old, new, -1)` on Go strings that are not valid
/// UTF-8 (an `include` whose output ends inside a character). An empty
/// `old` matches at the start and after each UTF-8 sequence, a byte that
/// starts none counting as one.
fn replace_bytes(src: &[u8], old: &[u8], new: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(src.len());
    if old.is_empty() {
        out.extend_from_slice(new);
        let mut rest = src;
        while !rest.is_empty() {
            let width = match std::str::from_utf8(rest) {
                Ok(t) => t.chars().next().map_or(1, char::len_utf8),
                Err(e) if e.valid_up_to() > 0 => std::str::from_utf8(&rest[..e.valid_up_to()])
                    .ok()
                    .and_then(|t| t.chars().next())
                    .map_or(1, char::len_utf8),
                Err(_) => 1,
            };
            out.extend_from_slice(&rest[..width]);
            out.extend_from_slice(new);
            rest = &rest[width..];
        }
        return out;
    }
    let mut i = 0;
    while i < src.len() {
        if src[i..].starts_with(old) {
            out.extend_from_slice(new);
            i += old.len();
        } else {
            out.push(src[i]);
            i += 1;
        }
    }
    out
}

/// `strings.Repeat`, with its panic for a negative count.
fn repeat(count: i64, s: &str) -> Result<String, FuncError> {
    if count < 0 {
        return Err(FuncError::new("strings: negative Repeat count"));
    }
    let total = (s.len() as u128) * (count as u128);
    if total > i64::MAX as u128 {
        return Err(FuncError::new("strings: Repeat output length overflow"));
    }
    // Go would try (and, past the host's memory, die); refuse instead of
    // letting the allocation abort the process.
    if total > 1 << 32 {
        return Err(FuncError::new(format!(
            "cannot repeat to {total} bytes (limit 4 GiB)"
        )));
    }
    Ok(s.repeat(count as usize))
}

/// Sprig's `indent`: pad the start and every line break.
fn indent(spaces: i64, v: &str) -> Result<String, FuncError> {
    let pad = repeat(spaces, " ")?;
    Ok(format!("{pad}{}", v.replace('\n', &format!("\n{pad}"))))
}

/// `strings.SplitN` (n < 0: all; n == 0: none); an empty separator splits
/// into runes.
fn split_n(orig: &str, sep: &str, n: i64) -> Vec<String> {
    if n == 0 {
        return Vec::new();
    }
    if sep.is_empty() {
        let chars: Vec<char> = orig.chars().collect();
        let limit = if n < 0 || n as usize > chars.len() {
            chars.len()
        } else {
            n as usize
        };
        let mut out: Vec<String> = chars[..limit.saturating_sub(1)]
            .iter()
            .map(char::to_string)
            .collect();
        if limit > 0 {
            out.push(chars[limit - 1..].iter().collect());
        }
        return out;
    }
    if n < 0 {
        orig.split(sep).map(str::to_string).collect()
    } else {
        orig.splitn(n as usize, sep).map(str::to_string).collect()
    }
}

/// Sprig's `split`/`splitn` result: `map[string]string` keyed `_0`, `_1`, ...
fn indexed_map(parts: Vec<String>) -> Value {
    let m: BTreeMap<String, Value> = parts
        .into_iter()
        .enumerate()
        .map(|(i, p)| (format!("_{i}"), Value::str(p)))
        .collect();
    Value::typed_map(m, ElemType::String)
}

/// Sprig's `sortAlpha`: slices through `strslice`, sorted bytewise; other
/// values become a one-item list.
fn sort_alpha(v: &Value) -> Value {
    match v {
        Value::List(_) | Value::Bytes(_) => {
            let mut a = strslice(v);
            a.sort();
            string_list(a)
        }
        other => string_list(vec![strval(other)]),
    }
}

fn register_simple(funcs: &mut FuncMap, name: &str, f: fn(&str) -> String) {
    funcs.insert(name, Func::new(&[Param::String], move |a| ok(f(s(&a[0])))));
}

pub(crate) fn register(funcs: &mut FuncMap) {
    let st = Param::String;
    let gs = Param::GoString;
    let i = Param::Int;
    let any = Param::Any;

    // trim(s string) string — `{{ trim "  a  " }}` → `a`
    register_simple(funcs, "trim", |x| x.trim().to_string());
    // upper(s string) string — `{{ upper "abc" }}` → `ABC`
    register_simple(funcs, "upper", unicode::upper);
    // lower(s string) string — `{{ lower "ABC" }}` → `abc`
    register_simple(funcs, "lower", unicode::lower);
    // title(s string) string — `{{ title "hello world" }}` → `Hello World`
    register_simple(funcs, "title", case::title);
    // untitle(s string) string — `{{ untitle "Hello World" }}` → `hello world`
    register_simple(funcs, "untitle", case::untitle);
    // swapcase(s string) string — `{{ swapcase "Hello" }}` → `hELLO`
    register_simple(funcs, "swapcase", case::swapcase);
    // initials(s string) string — `{{ initials "First Try" }}` → `FT`
    register_simple(funcs, "initials", case::initials);
    // nospace(s string) string — `{{ nospace "a b" }}` → `ab`
    register_simple(funcs, "nospace", bytes::nospace);
    // snakecase(s string) string — `{{ snakecase "FirstName" }}` → `first_name`
    register_simple(funcs, "snakecase", |x| case::to_lower_case(x, '_'));
    // kebabcase(s string) string — `{{ kebabcase "FirstName" }}` → `first-name`
    register_simple(funcs, "kebabcase", |x| case::to_lower_case(x, '-'));
    // camelcase(s string) string — `{{ camelcase "http_server" }}` → `HttpServer`
    register_simple(funcs, "camelcase", case::pascal_case);

    // trimAll(a, b string) string — `{{ trimAll "$" "$5.00$" }}` → `5.00`
    let trim_all = Func::new(&[st, st], |a| {
        let cut = s(&a[0]);
        ok(s(&a[1]).trim_matches(|c| cut.contains(c)))
    });
    funcs.insert("trimAll", trim_all.clone());
    // trimall: the deprecated spelling of trimAll — `{{ trimall "$" "$5$" }}` → `5`
    funcs.insert("trimall", trim_all);
    // trimPrefix(a, b string) string — `{{ trimPrefix "-" "--a" }}` → `-a`
    funcs.insert(
        "trimPrefix",
        Func::new(&[st, st], |a| {
            let (p, x) = (s(&a[0]), s(&a[1]));
            ok(x.strip_prefix(p).unwrap_or(x))
        }),
    );
    // trimSuffix(a, b string) string — `{{ trimSuffix ".gz" "a.gz" }}` → `a`
    funcs.insert(
        "trimSuffix",
        Func::new(&[st, st], |a| {
            let (p, x) = (s(&a[0]), s(&a[1]));
            ok(x.strip_suffix(p).unwrap_or(x))
        }),
    );
    // contains(substr, str string) bool — `{{ contains "cat" "catch" }}` → `true`
    funcs.insert(
        "contains",
        Func::new(&[st, st], |a| Ok(Value::Bool(s(&a[1]).contains(s(&a[0]))))),
    );
    // hasPrefix(substr, str string) bool — `{{ hasPrefix "ca" "cat" }}` → `true`
    funcs.insert(
        "hasPrefix",
        Func::new(&[st, st], |a| {
            Ok(Value::Bool(s(&a[1]).starts_with(s(&a[0]))))
        }),
    );
    // hasSuffix(substr, str string) bool — `{{ hasSuffix "at" "cat" }}` → `true`
    funcs.insert(
        "hasSuffix",
        Func::new(&[st, st], |a| Ok(Value::Bool(s(&a[1]).ends_with(s(&a[0]))))),
    );
    // substr(start, end int, s string) string — `{{ substr 0 3 "hello" }}` → `hel`
    funcs.insert(
        "substr",
        Func::new(&[i, i, Param::GoString], |a| {
            bytes::substr(int(&a[0]), int(&a[1]), go_bytes(&a[2]))
        }),
    );
    // trunc(c int, s string) string — `{{ trunc 5 "hello world" }}` → `hello`
    funcs.insert(
        "trunc",
        Func::new(&[i, Param::GoString], |a| {
            Ok(bytes::trunc(int(&a[0]), go_bytes(&a[1])))
        }),
    );
    // abbrev(width int, s string) string — `{{ abbrev 5 "hello world" }}` → `he...`
    funcs.insert(
        "abbrev",
        Func::new(&[i, st], |a| ok(bytes::abbrev(int(&a[0]), s(&a[1])))),
    );
    // abbrevboth(left, right int, s string) string — `{{ abbrevboth 5 10 "1234 5678 9123" }}` → `...5678...`
    funcs.insert(
        "abbrevboth",
        Func::new(&[i, i, st], |a| {
            ok(bytes::abbrevboth(int(&a[0]), int(&a[1]), s(&a[2])))
        }),
    );
    // repeat(count int, str string) string — `{{ repeat 3 "ab" }}` → `ababab`
    funcs.insert(
        "repeat",
        Func::new(&[i, st], |a| ok(repeat(int(&a[0]), s(&a[1]))?)),
    );
    // wrap(l int, s string) string — `{{ wrap 5 "Hello World" }}` → `Hello\nWorld`
    funcs.insert(
        "wrap",
        Func::new(&[i, st], |a| {
            ok(bytes::wrap_custom(s(&a[1]), int(&a[0]), "", false))
        }),
    );
    // wrapWith(l int, sep, str string) string — `{{ wrapWith 5 "\t" "Hello World" }}` → `Hello\tWorld`
    funcs.insert(
        "wrapWith",
        Func::new(&[i, st, st], |a| {
            ok(bytes::wrap_custom(s(&a[2]), int(&a[0]), s(&a[1]), true))
        }),
    );
    // quote(str ...interface{}) string — `{{ quote "a" 5 }}` → `"a" "5"`; nils are skipped
    funcs.insert(
        "quote",
        Func::variadic(&[], any, |a| {
            let out: Vec<String> = a
                .iter()
                .filter(|v| !matches!(v, Value::Nil))
                .map(|v| quote(&strval(v)))
                .collect();
            ok(out.join(" "))
        }),
    );
    // squote(str ...interface{}) string — `{{ squote "a" }}` → `'a'`; nils are skipped
    funcs.insert(
        "squote",
        Func::variadic(&[], any, |a| {
            let out: Vec<String> = a
                .iter()
                .filter(|v| !matches!(v, Value::Nil))
                .map(|v| format!("'{}'", format_value(v)))
                .collect();
            ok(out.join(" "))
        }),
    );
    // cat(v ...interface{}) string — `{{ cat "a" 1 }}` → `a 1`; nils are skipped
    funcs.insert(
        "cat",
        Func::variadic(&[], any, |a| {
            let out: Vec<String> = a
                .iter()
                .filter(|v| !matches!(v, Value::Nil))
                .map(format_value)
                .collect();
            ok(out.join(" "))
        }),
    );
    // indent(spaces int, v string) string — `{{ indent 2 "a\nb" }}` → `  a\n  b`
    funcs.insert(
        "indent",
        Func::new(&[i, st], |a| ok(indent(int(&a[0]), s(&a[1]))?)),
    );
    // nindent(spaces int, v string) string — `{{ nindent 2 "a" }}` → `\n  a`
    funcs.insert(
        "nindent",
        Func::new(&[i, st], |a| {
            ok(format!("\n{}", indent(int(&a[0]), s(&a[1]))?))
        }),
    );
    // replace(old, new, src string) string — `{{ replace "a" "b" "banana" }}` → `bbnbnb`
    funcs.insert(
        "replace",
        Func::new(&[gs, gs, gs], |a| {
            if let (Some(old), Some(new), Some(src)) = (a[0].as_str(), a[1].as_str(), a[2].as_str())
            {
                return ok(src.replace(old, new));
            }
            Ok(Value::go_string(replace_bytes(
                go_bytes(&a[2]),
                go_bytes(&a[0]),
                go_bytes(&a[1]),
            )))
        }),
    );
    // plural(one, many string, count int) string — `{{ plural "one" "many" 2 }}` → `many`
    funcs.insert(
        "plural",
        Func::new(&[st, st, i], |a| {
            ok(if int(&a[2]) == 1 { s(&a[0]) } else { s(&a[1]) })
        }),
    );
    // split(sep, orig string) map[string]string — `{{ split "," "a,b" }}` → `map[_0:a _1:b]`
    funcs.insert(
        "split",
        Func::new(&[st, st], |a| {
            Ok(indexed_map(split_n(s(&a[1]), s(&a[0]), -1)))
        }),
    );
    // splitn(sep string, n int, orig string) map[string]string — `{{ splitn "," 2 "a,b,c" }}` → `map[_0:a _1:b,c]`
    funcs.insert(
        "splitn",
        Func::new(&[st, i, st], |a| {
            Ok(indexed_map(split_n(s(&a[2]), s(&a[0]), int(&a[1]))))
        }),
    );
    // splitList(sep, orig string) []string — `{{ splitList "," "a,b" }}` → `[a b]`
    funcs.insert(
        "splitList",
        Func::new(&[st, st], |a| {
            Ok(string_list(split_n(s(&a[1]), s(&a[0]), -1)))
        }),
    );
    // join(sep string, v interface{}) string — `{{ join "," (list 1 2) }}` → `1,2`
    funcs.insert(
        "join",
        Func::new(&[st, any], |a| ok(strslice(&a[1]).join(s(&a[0])))),
    );
    // sortAlpha(list interface{}) []string — `{{ sortAlpha (list "b" "a") }}` → `[a b]`
    funcs.insert("sortAlpha", Func::new(&[any], |a| Ok(sort_alpha(&a[0]))));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_n_follows_go() {
        assert_eq!(split_n("abc", "", -1), ["a", "b", "c"]);
        assert_eq!(split_n("abc", "", 2), ["a", "bc"]);
        assert_eq!(split_n("a,b,c", ",", 0), Vec::<String>::new());
        assert_eq!(split_n("", ",", -1), [""]);
        assert_eq!(split_n("", "", -1), Vec::<String>::new());
    }
}
