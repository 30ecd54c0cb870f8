//! Sprig's regular-expression functions: `regexMatch`, `regexFind`,
//! `regexFindAll`, `regexReplaceAll`, `regexReplaceAllLiteral`,
//! `regexSplit`, `regexQuoteMeta` and their `must*` variants.
//!
//! Owns Go `regexp` semantics on top of the translated pattern: the
//! `FindAll` loop (empty matches right after a match are dropped), the
//! `ReplaceAll` loop, `Split`, and `Expand` (`$1x` names group `1x`;
//! `${1}x` is group 1 then `x`). The non-`must` variants use
//! `regexp.MustCompile`, so a bad pattern is a panic that text/template
//! turns into an error `regexp: Compile(`…`): …`; the `must` variants
//! return the plain compile error. Does not own RE2 parsing (see `re2`).

mod re2;

use origan_gotmpl::{ElemType, Func, FuncError, FuncMap, Param, Value};
use origan_semver::go_quote;

use crate::encoding::{arg_int, arg_str};
use re2::{GoRegex, compile, quote_meta};

pub(crate) fn register(funcs: &mut FuncMap) {
    let ss = &[Param::String, Param::String];
    let ssi = &[Param::String, Param::String, Param::Int];
    let sss = &[Param::String, Param::String, Param::String];

    // {{ regexMatch "^[a-z]+$" "abc" }} → true (a bad pattern is just false)
    funcs.insert(
        "regexMatch",
        Func::new(ss, |a| {
            let ok =
                compile(arg_str(a, 0)?).is_ok_and(|re| re.re.is_match(arg_str(a, 1).unwrap_or("")));
            Ok(Value::Bool(ok))
        }),
    );
    // {{ mustRegexMatch "^[a-z]+$" "abc" }} → true; a bad pattern is an error
    funcs.insert(
        "mustRegexMatch",
        Func::new(ss, |a| {
            let re = compile(arg_str(a, 0)?).map_err(FuncError::new)?;
            Ok(Value::Bool(re.re.is_match(arg_str(a, 1)?)))
        }),
    );
    for (name, must) in [("regexFind", false), ("mustRegexFind", true)] {
        // {{ regexFind "[0-9]+" "abc123" }} → 123
        funcs.insert(
            name,
            Func::new(ss, move |a| {
                let re = compiled(a, must)?;
                let s = arg_str(a, 1)?;
                Ok(Value::str(re.re.find(s).map_or("", |m| m.as_str())))
            }),
        );
    }
    for (name, must) in [("regexFindAll", false), ("mustRegexFindAll", true)] {
        // {{ regexFindAll "[0-9]+" "a1b22" -1 }} → [1 22]
        funcs.insert(
            name,
            Func::new(ssi, move |a| {
                let re = compiled(a, must)?;
                let s = arg_str(a, 1)?;
                let found = find_all(&re, s, arg_int(a, 2)?)
                    .into_iter()
                    .map(|(b, e)| Value::str(&s[b..e]))
                    .collect();
                Ok(Value::typed_list(found, ElemType::String))
            }),
        );
    }
    for (name, must) in [("regexReplaceAll", false), ("mustRegexReplaceAll", true)] {
        // {{ regexReplaceAll "a(x*)b" "-ab-axxb-" "${1}W" }} → -W-xxW-
        funcs.insert(
            name,
            Func::new(sss, move |a| {
                let re = compiled(a, must)?;
                let repl = arg_str(a, 2)?;
                let out = replace_all(&re, arg_str(a, 1)?, |out, s, caps| {
                    expand(out, repl, s, caps, &re.names);
                });
                Ok(Value::str(out))
            }),
        );
    }
    for (name, must) in [
        ("regexReplaceAllLiteral", false),
        ("mustRegexReplaceAllLiteral", true),
    ] {
        // {{ regexReplaceAllLiteral "a(x*)b" "-ab-" "${1}" }} → -${1}-
        funcs.insert(
            name,
            Func::new(sss, move |a| {
                let re = compiled(a, must)?;
                let repl = arg_str(a, 2)?;
                let out = replace_all(&re, arg_str(a, 1)?, |out, _, _| out.push_str(repl));
                Ok(Value::str(out))
            }),
        );
    }
    for (name, must) in [("regexSplit", false), ("mustRegexSplit", true)] {
        // {{ regexSplit "z+" "pizza" -1 }} → [pi a]
        funcs.insert(
            name,
            Func::new(ssi, move |a| {
                let re = compiled(a, must)?;
                let parts = split(&re, arg_str(a, 1)?, arg_int(a, 2)?)
                    .into_iter()
                    .map(Value::str)
                    .collect();
                Ok(Value::typed_list(parts, ElemType::String))
            }),
        );
    }
    // {{ regexQuoteMeta "1.5+2" }} → 1\.5\+2
    funcs.insert(
        "regexQuoteMeta",
        Func::new(&[Param::String], |a| {
            Ok(Value::str(quote_meta(arg_str(a, 0)?)))
        }),
    );
}

/// Compiles the pattern in argument 0; without `must`, failures are worded
/// as `regexp.MustCompile`'s panic.
fn compiled(a: &[Value], must: bool) -> Result<GoRegex, FuncError> {
    let expr = arg_str(a, 0)?;
    compile(expr).map_err(|e| {
        if must {
            FuncError::new(e)
        } else {
            FuncError::new(format!("regexp: Compile({}): {e}", quote(expr)))
        }
    })
}

/// Go's `regexp.quote`: backquoted when possible, else `strconv.Quote`.
fn quote(s: &str) -> String {
    let can_backquote = s
        .chars()
        .all(|c| c != '`' && c != '\u{FEFF}' && (c == '\t' || !c.is_control()));
    if can_backquote {
        format!("`{s}`")
    } else {
        go_quote(s)
    }
}

/// Group spans of one match: `caps[i]` for group i, if it participated.
type Caps = Vec<Option<(usize, usize)>>;

fn captures_at(re: &GoRegex, s: &str, pos: usize) -> Option<Caps> {
    let c = re.re.captures_at(s, pos)?;
    Some(
        (0..c.len())
            .map(|i| c.get(i).map(|m| (m.start(), m.end())))
            .collect(),
    )
}

/// Width of the rune at `pos` (Go advances by one rune after an empty match).
fn rune_width(s: &str, pos: usize) -> usize {
    s[pos..].chars().next().map_or(0, char::len_utf8)
}

/// Go's `allMatches`: successive non-overlapping matches; an empty match
/// right after the previous match is skipped. `n < 0` means all.
fn find_all(re: &GoRegex, s: &str, n: i64) -> Vec<(usize, usize)> {
    let limit = if n < 0 { usize::MAX } else { n as usize };
    let mut out = Vec::new();
    let mut pos = 0;
    let mut prev_end: Option<usize> = None;
    while out.len() < limit && pos <= s.len() {
        let Some(m) = re.re.find_at(s, pos) else {
            break;
        };
        let (b, e) = (m.start(), m.end());
        let mut accept = true;
        if e == pos {
            if Some(b) == prev_end {
                accept = false;
            }
            let w = rune_width(s, pos);
            pos += if w == 0 { 1 } else { w };
        } else {
            pos = e;
        }
        prev_end = Some(e);
        if accept {
            out.push((b, e));
        }
    }
    out
}

/// Go's `replaceAll`: `repl` appends the replacement for one match.
fn replace_all(re: &GoRegex, s: &str, mut repl: impl FnMut(&mut String, &str, &Caps)) -> String {
    let mut out = String::with_capacity(s.len());
    let mut last_end = 0;
    let mut search = 0;
    while search <= s.len() {
        let Some(caps) = captures_at(re, s, search) else {
            break;
        };
        let (b, e) = caps[0].unwrap_or((search, search));
        out.push_str(&s[last_end..b]);
        // No replacement for an empty match right after the previous one.
        if e > last_end || b == 0 {
            repl(&mut out, s, &caps);
        }
        last_end = e;
        let w = rune_width(s, search);
        if search + w > e {
            search += w;
        } else if search + 1 > e {
            search += 1;
        } else {
            search = e;
        }
    }
    out.push_str(&s[last_end..]);
    out
}

/// Go's `Regexp.Split`.
fn split<'s>(re: &GoRegex, s: &'s str, n: i64) -> Vec<&'s str> {
    if n == 0 {
        return Vec::new();
    }
    if !re.expr.is_empty() && s.is_empty() {
        return vec![""];
    }
    let matches = find_all(re, s, n);
    let mut out = Vec::with_capacity(matches.len() + 1);
    let (mut beg, mut end) = (0, 0);
    for (b, e) in matches {
        if n > 0 && out.len() as i64 == n - 1 {
            break;
        }
        end = b;
        if e != 0 {
            out.push(&s[beg..end]);
        }
        beg = e;
    }
    if end != s.len() {
        out.push(&s[beg..]);
    }
    out
}

/// Go's `Regexp.expand` for `ReplaceAllString` templates.
fn expand(out: &mut String, template: &str, s: &str, caps: &Caps, names: &[Option<String>]) {
    let mut t = template;
    while let Some(i) = t.find('$') {
        out.push_str(&t[..i]);
        t = &t[i + 1..];
        if let Some(rest) = t.strip_prefix('$') {
            out.push('$');
            t = rest;
            continue;
        }
        let Some((name, rest)) = extract(t) else {
            out.push('$');
            continue;
        };
        t = rest;
        let group = match group_number(name) {
            Some(num) => caps.get(num).copied().flatten(),
            None => names
                .iter()
                .enumerate()
                .filter(|(_, n)| n.as_deref() == Some(name))
                .find_map(|(i, _)| caps.get(i).copied().flatten()),
        };
        if let Some((b, e)) = group {
            out.push_str(&s[b..e]);
        }
    }
    out.push_str(t);
}

/// Go's `extract`: a `name` or `{name}` after `$` → (name, rest).
fn extract(t: &str) -> Option<(&str, &str)> {
    let (brace, body) = match t.strip_prefix('{') {
        Some(b) => (true, b),
        None => (false, t),
    };
    let len: usize = body
        .chars()
        .take_while(|c| c.is_alphabetic() || c.is_numeric() || *c == '_')
        .map(char::len_utf8)
        .sum();
    if len == 0 {
        return None;
    }
    let name = &body[..len];
    let mut rest = &body[len..];
    if brace {
        rest = rest.strip_prefix('}')?;
    }
    Some((name, rest))
}

/// A group number as Go reads one: digits only, no leading zero, < 1e8.
fn group_number(name: &str) -> Option<usize> {
    if !name.bytes().all(|b| b.is_ascii_digit()) || (name.starts_with('0') && name.len() > 1) {
        return None;
    }
    if name.len() > 8 {
        return None;
    }
    name.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn re(p: &str) -> GoRegex {
        compile(p).unwrap()
    }

    #[test]
    fn find_all_skips_empty_after_match() {
        let r = re("a*");
        let s = "baaab";
        let got: Vec<_> = find_all(&r, s, -1)
            .into_iter()
            .map(|(b, e)| &s[b..e])
            .collect();
        assert_eq!(got, vec!["", "aaa", ""]);
    }

    #[test]
    fn compile_errors_are_worded_as_go() {
        let e = |p: &str| compile(p).err().unwrap();
        assert_eq!(e("("), "error parsing regexp: missing closing ): `(`");
        assert_eq!(e("a)"), "error parsing regexp: unexpected ): `a)`");
        assert_eq!(e("[a"), "error parsing regexp: missing closing ]: `[a`");
        assert_eq!(
            e("a**"),
            "error parsing regexp: invalid nested repetition operator: `**`"
        );
        assert_eq!(
            e("*"),
            "error parsing regexp: missing argument to repetition operator: `*`"
        );
        assert_eq!(
            e("\\8"),
            "error parsing regexp: invalid escape sequence: `\\8`"
        );
        assert_eq!(
            e("[z-a]"),
            "error parsing regexp: invalid character class range: `z-a`"
        );
        assert_eq!(
            e("a{1001}"),
            "error parsing regexp: invalid repeat count: `{1001}`"
        );
        assert_eq!(
            e("(?x)"),
            "error parsing regexp: invalid or unsupported Perl syntax: `(?x`"
        );
        assert_eq!(
            e("\\"),
            "error parsing regexp: trailing backslash at end of expression: ``"
        );
    }

    #[test]
    fn ascii_classes_and_literal_brace() {
        assert!(!re("^\\w$").re.is_match("é"));
        assert!(re("^a{,2}$").re.is_match("a{,2}"));
        assert!(re("^\\Qa.b\\E$").re.is_match("a.b"));
        assert!(re("^[[:alpha:]]+$").re.is_match("abc"));
        assert!(re("^a(?i)*b$").re.is_match("aaaB"));
    }
}
