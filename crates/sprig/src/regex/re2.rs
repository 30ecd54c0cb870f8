//! Go RE2 syntax on top of the `regex` crate.
//!
//! Owns the translation of a Go `regexp` pattern into an equivalent `regex`
//! crate pattern, checking it the way Go's `regexp/syntax` parser does so
//! that errors read as Go's (`error parsing regexp: missing closing ):
//! `(``). Does not own matching loops or replacement templates (see the
//! parent module).
//!
//! Differences it bridges: Go's `\d \s \w \b` are ASCII-only (Rust's are
//! Unicode); Go accepts `\Q…\E`, octal escapes, a literal `{` that does not
//! start a valid repeat, and duplicate group names; Go rejects `a**`,
//! repeats above 1000 and Rust-only syntax (`\<`, `(?x)`, `[a&&b]` means
//! literal `&`). Capture names are kept here, not in the Rust pattern.

use regex::Regex;

/// A compiled Go regexp.
#[derive(Clone)]
pub(crate) struct GoRegex {
    /// The translated pattern.
    pub re: Regex,
    /// Group names by group index (index 0 is the whole match).
    pub names: Vec<Option<String>>,
    /// The original Go pattern (Go's `regexp.Regexp.String()`).
    pub expr: String,
}

/// Go's `regexp/syntax` error text: `error parsing regexp: CODE: `EXPR``.
fn err(code: &str, expr: &str) -> String {
    format!("error parsing regexp: {code}: `{expr}`")
}

const MISSING_PAREN: &str = "missing closing )";
const UNEXPECTED_PAREN: &str = "unexpected )";
const MISSING_BRACKET: &str = "missing closing ]";
const INVALID_ESCAPE: &str = "invalid escape sequence";
const INVALID_RANGE: &str = "invalid character class range";
const INVALID_NAMED: &str = "invalid named capture";
const INVALID_PERL: &str = "invalid or unsupported Perl syntax";
const INVALID_REPEAT_OP: &str = "invalid nested repetition operator";
const INVALID_REPEAT_SIZE: &str = "invalid repeat count";
const MISSING_REPEAT_ARG: &str = "missing argument to repetition operator";
const TRAILING_BACKSLASH: &str = "trailing backslash at end of expression";

thread_local! {
    /// Compiled patterns by source text. Charts call `regexReplaceAll` with
    /// the same few patterns thousands of times (bitnami's `common` helpers),
    /// and compiling dominates rendering without this cache.
    static CACHE: std::cell::RefCell<std::collections::HashMap<String, Result<GoRegex, String>>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

/// Patterns kept at most; past this the cache is cleared (a template that
/// builds patterns from data must not grow memory without bound).
const CACHE_MAX: usize = 512;

/// Go's `regexp.Compile`: the error is Go's `err.Error()` text.
pub(crate) fn compile(expr: &str) -> Result<GoRegex, String> {
    if let Some(hit) = CACHE.with(|c| c.borrow().get(expr).cloned()) {
        return hit;
    }
    let result = compile_uncached(expr);
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() >= CACHE_MAX {
            c.clear();
        }
        c.insert(expr.to_string(), result.clone());
    });
    result
}

fn compile_uncached(expr: &str) -> Result<GoRegex, String> {
    let mut t = Translator {
        src: expr,
        pos: 0,
        out: String::with_capacity(expr.len() + 16),
        names: vec![None],
        frames: Vec::new(),
        has_operand: false,
        weight: 1,
        level_max: 1,
        last_repeat: None,
        operand_end: 0,
    };
    t.run()?;
    let re = regex::RegexBuilder::new(&t.out)
        .size_limit(64 << 20)
        .build()
        .map_err(|_| err("expression too large", expr))?;
    Ok(GoRegex {
        re,
        names: t.names,
        expr: expr.to_string(),
    })
}

/// Go's `regexp.QuoteMeta`.
pub(crate) fn quote_meta(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 2);
    for c in s.chars() {
        if r"\.+*?()|[]{}^$".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

struct Frame {
    /// The largest repeat product seen inside the group (for Go's
    /// "invalid repeat count" check on nested repeats).
    level_max: u64,
}

struct Translator<'a> {
    src: &'a str,
    pos: usize,
    out: String,
    names: Vec<Option<String>>,
    frames: Vec<Frame>,
    /// Whether the top of Go's parse stack is an operand (not `(` or `|`).
    has_operand: bool,
    /// Repeat product of the top operand.
    weight: u64,
    /// Largest repeat product in the current group.
    level_max: u64,
    /// Start of the previous token when it was a repeat operator.
    last_repeat: Option<usize>,
    /// End of the top operand in `out`: a repeat after a flag group
    /// (`a(?i)*`, valid in Go) binds to the operand, not to the group.
    operand_end: usize,
}

fn is_alnum(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

/// A literal rune as one Rust regex atom.
fn push_literal(out: &mut String, c: char) {
    if is_alnum(c) || c == '_' || !c.is_ascii() {
        out.push(c);
    } else {
        out.push_str(&format!("\\x{{{:X}}}", c as u32));
    }
}

fn perl_class(c: char) -> Option<(bool, &'static str)> {
    // (negated, members) with Go's ASCII-only definitions.
    match c {
        'd' => Some((false, "0-9")),
        'D' => Some((true, "0-9")),
        's' => Some((false, r"\t\n\x0C\r ")),
        'S' => Some((true, r"\t\n\x0C\r ")),
        'w' => Some((false, "0-9A-Za-z_")),
        'W' => Some((true, "0-9A-Za-z_")),
        _ => None,
    }
}

const POSIX_NAMES: [&str; 14] = [
    "alnum", "alpha", "ascii", "blank", "cntrl", "digit", "graph", "lower", "print", "punct",
    "space", "upper", "word", "xdigit",
];

impl<'a> Translator<'a> {
    fn rest(&self) -> &'a str {
        &self.src[self.pos..]
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn run(&mut self) -> Result<(), String> {
        while self.pos < self.src.len() {
            let start = self.pos;
            let mut repeat = None;
            let c = self.peek().unwrap_or('\0');
            match c {
                '(' => {
                    if self.rest().as_bytes().get(1) == Some(&b'?') {
                        self.perl_flags()?;
                    } else {
                        self.pos += 1;
                        self.names.push(None);
                        self.open_group("(");
                    }
                }
                '|' => {
                    self.pos += 1;
                    self.out.push('|');
                    self.has_operand = false;
                }
                ')' => {
                    let Some(frame) = self.frames.pop() else {
                        return Err(err(UNEXPECTED_PAREN, self.src));
                    };
                    self.pos += 1;
                    self.out.push(')');
                    self.operand_end = self.out.len();
                    self.weight = self.level_max;
                    self.level_max = frame.level_max.max(self.weight);
                    self.has_operand = true;
                }
                '^' | '$' | '.' => {
                    self.pos += 1;
                    self.out.push(c);
                    self.operand();
                }
                '[' => self.class()?,
                '*' | '+' | '?' => {
                    self.pos += 1;
                    self.repeat(start, None)?;
                    repeat = Some(start);
                }
                '{' => match parse_repeat(self.rest()) {
                    Some((min, max, len)) => {
                        let text = &self.src[start..start + len];
                        if !(0..=1000).contains(&min) || max > 1000 || (max >= 0 && min > max) {
                            return Err(err(INVALID_REPEAT_SIZE, text));
                        }
                        self.pos += len;
                        self.repeat(start, Some((min, max)))?;
                        repeat = Some(start);
                    }
                    None => {
                        self.pos += 1;
                        self.out.push_str("\\{");
                        self.operand();
                    }
                },
                '\\' => self.escape()?,
                _ => {
                    self.pos += c.len_utf8();
                    push_literal(&mut self.out, c);
                    self.operand();
                }
            }
            self.last_repeat = repeat;
        }
        if !self.frames.is_empty() {
            return Err(err(MISSING_PAREN, self.src));
        }
        Ok(())
    }

    fn operand(&mut self) {
        self.has_operand = true;
        self.weight = 1;
        self.operand_end = self.out.len();
    }

    fn open_group(&mut self, text: &str) {
        self.out.push_str(text);
        self.frames.push(Frame {
            level_max: self.level_max,
        });
        self.level_max = 1;
        self.has_operand = false;
    }

    /// A repetition operator whose text starts at `start` and ends at
    /// `self.pos`; `counted` for `{n,m}` (max -1 = unbounded).
    fn repeat(&mut self, start: usize, counted: Option<(i64, i64)>) -> Result<(), String> {
        // A trailing `?` makes it non-greedy.
        if self.peek() == Some('?') {
            self.pos += 1;
        }
        let text = &self.src[start..self.pos];
        if let Some(last) = self.last_repeat {
            return Err(err(INVALID_REPEAT_OP, &self.src[last..self.pos]));
        }
        if !self.has_operand {
            return Err(err(MISSING_REPEAT_ARG, text));
        }
        if let Some((min, max)) = counted {
            let m = if max < 0 { min } else { max } as u64;
            if (min >= 2 || max >= 2) && m > 0 && (m > 1000 || self.weight > 1000 / m) {
                return Err(err(INVALID_REPEAT_SIZE, text));
            }
            self.weight = self.weight.saturating_mul(m.max(1));
            self.level_max = self.level_max.max(self.weight);
        }
        self.out.insert_str(self.operand_end, text);
        self.operand_end += text.len();
        Ok(())
    }

    /// `(?` flags, non-capturing groups and named captures.
    fn perl_flags(&mut self) -> Result<(), String> {
        let s = self.rest();
        let b = s.as_bytes();
        let starts_p = b.len() > 4 && b[2] == b'P' && b[3] == b'<';
        let starts_name = b.len() > 3 && b[2] == b'<';
        if starts_p || starts_name {
            let name_start = if starts_p { 4 } else { 3 };
            let Some(end) = s.find('>') else {
                return Err(err(INVALID_NAMED, s));
            };
            let name = &s[name_start..end];
            if name.is_empty() || !name.chars().all(|c| c == '_' || is_alnum(c)) {
                return Err(err(INVALID_NAMED, &s[..=end]));
            }
            self.names.push(Some(name.to_string()));
            self.pos += end + 1;
            self.open_group("(");
            return Ok(());
        }
        let mut negated = false;
        let mut saw_flag = false;
        let mut i = 2;
        for c in s[2..].chars() {
            i += c.len_utf8();
            match c {
                'i' | 'm' | 's' | 'U' => saw_flag = true,
                '-' if !negated => {
                    negated = true;
                    saw_flag = false;
                }
                ':' | ')' if !negated || saw_flag => {
                    let text = &s[..i];
                    self.pos += i;
                    if c == ':' {
                        let text = text.to_string();
                        self.open_group(&text);
                    } else if text != "(?)" {
                        // Go accepts the empty `(?)`; Rust does not.
                        self.out.push_str(text);
                    }
                    return Ok(());
                }
                _ => return Err(err(INVALID_PERL, &s[..i])),
            }
        }
        Err(err(INVALID_PERL, s))
    }

    /// A backslash outside a class.
    fn escape(&mut self) -> Result<(), String> {
        let s = self.rest();
        let next = s[1..].chars().next();
        match next {
            Some('A') => self.simple_op(2, "\\A"),
            Some('z') => self.simple_op(2, "\\z"),
            Some('b') => self.simple_op(2, "(?-u:\\b)"),
            Some('B') => self.simple_op(2, "(?-u:\\B)"),
            Some('C') => Err(err(INVALID_ESCAPE, &s[..2])),
            Some('Q') => {
                let body = &s[2..];
                let (lit, consumed) = match body.find("\\E") {
                    Some(i) => (&body[..i], 2 + i + 2),
                    None => (body, s.len()),
                };
                for c in lit.chars() {
                    push_literal(&mut self.out, c);
                    self.operand();
                }
                self.pos += consumed;
                Ok(())
            }
            Some('p' | 'P') => {
                let (class, len) = unicode_class(s)?;
                self.out.push_str(&class);
                self.pos += len;
                self.operand();
                Ok(())
            }
            Some(c) if perl_class(c).is_some() => {
                let (neg, members) = perl_class(c).unwrap_or((false, ""));
                let caret = if neg { "^" } else { "" };
                self.out.push_str(&format!("[{caret}{members}]"));
                self.pos += 2;
                self.operand();
                Ok(())
            }
            _ => {
                let (c, len) = parse_escape(s)?;
                push_literal(&mut self.out, c);
                self.pos += len;
                self.operand();
                Ok(())
            }
        }
    }

    fn simple_op(&mut self, len: usize, text: &str) -> Result<(), String> {
        self.pos += len;
        self.out.push_str(text);
        self.operand();
        Ok(())
    }

    /// A bracketed class, following Go's `parseClass`.
    fn class(&mut self) -> Result<(), String> {
        let whole = self.rest();
        let mut t = &whole[1..];
        let mut out = String::from("[");
        if t.starts_with('^') {
            out.push('^');
            t = &t[1..];
        }
        let mut first = true;
        while t.is_empty() || !t.starts_with(']') || first {
            first = false;
            if let Some(i) = t
                .strip_prefix("[:")
                .filter(|r| !r.is_empty())
                .and_then(|r| r.find(":]"))
            {
                {
                    let name = &t[..i + 4];
                    let bare = name[2..name.len() - 2].trim_start_matches('^');
                    let caret_ok = name[2..].matches('^').count() <= 1;
                    if !POSIX_NAMES.contains(&bare) || !caret_ok {
                        return Err(err(INVALID_RANGE, name));
                    }
                    out.push_str(name);
                    t = &t[name.len()..];
                    continue;
                }
            }
            if t.len() >= 2 && (t.starts_with("\\p") || t.starts_with("\\P")) {
                let (class, len) = unicode_class(t)?;
                out.push_str(&class);
                t = &t[len..];
                continue;
            }
            if let Some((neg, members)) = t
                .strip_prefix('\\')
                .and_then(|r| r.chars().next())
                .and_then(perl_class)
            {
                {
                    if neg {
                        out.push_str(&format!("[^{members}]"));
                    } else {
                        out.push_str(members);
                    }
                    t = &t[2..];
                    continue;
                }
            }
            let rng = t;
            let (lo, len) = class_char(t, whole)?;
            t = &t[len..];
            let mut hi = lo;
            if t.len() >= 2 && t.starts_with('-') && !t[1..].starts_with(']') {
                t = &t[1..];
                let (h, len) = class_char(t, whole)?;
                t = &t[len..];
                hi = h;
                if hi < lo {
                    return Err(err(INVALID_RANGE, &rng[..rng.len() - t.len()]));
                }
            }
            out.push_str(&format!("\\x{{{:X}}}", lo as u32));
            if hi != lo {
                out.push_str(&format!("-\\x{{{:X}}}", hi as u32));
            }
        }
        t = &t[1..];
        out.push(']');
        self.pos = self.src.len() - t.len();
        self.out.push_str(&out);
        self.operand();
        Ok(())
    }
}

/// Go's `parseRepeat`: `{n}`, `{n,}`, `{n,m}` → (min, max, byte length);
/// `None` when `{` is a literal. Too-large numbers give min = -1.
fn parse_repeat(s: &str) -> Option<(i64, i64, usize)> {
    let b = s.as_bytes();
    let mut i = 1;
    let (min, n) = parse_int(&b[i..])?;
    i += n;
    let max;
    if i >= b.len() {
        return None;
    }
    if b[i] != b',' {
        max = min;
    } else {
        i += 1;
        if i >= b.len() {
            return None;
        }
        if b[i] == b'}' {
            max = -1;
        } else {
            let (m, n) = parse_int(&b[i..])?;
            i += n;
            max = m;
        }
    }
    if i >= b.len() || b[i] != b'}' {
        return None;
    }
    let min = if max < -1 { -1 } else { min };
    Some((min, max.max(-1), i + 1))
}

/// Go's `parseInt` for repeat counts: no leading zeros; values of 1e8 and
/// more become -2 (too big).
fn parse_int(b: &[u8]) -> Option<(i64, usize)> {
    if b.is_empty() || !b[0].is_ascii_digit() {
        return None;
    }
    if b.len() >= 2 && b[0] == b'0' && b[1].is_ascii_digit() {
        return None;
    }
    let n = b.iter().take_while(|c| c.is_ascii_digit()).count();
    let mut v: i64 = 0;
    for &c in &b[..n] {
        if v >= 100_000_000 {
            return Some((-2, n));
        }
        v = v * 10 + i64::from(c - b'0');
    }
    Some((v, n))
}

/// A class member: an escape or a single rune. Errors as Go's
/// `parseClassChar` (`whole` is the class text from `[` to the end).
fn class_char(t: &str, whole: &str) -> Result<(char, usize), String> {
    if t.is_empty() {
        return Err(err(MISSING_BRACKET, whole));
    }
    if t.starts_with('\\') {
        return parse_escape(t);
    }
    let c = t.chars().next().unwrap_or('\0');
    Ok((c, c.len_utf8()))
}

fn unhex(c: char) -> Option<u32> {
    c.to_digit(16)
}

/// Go's `parseEscape`: the rune and the escape's byte length.
fn parse_escape(s: &str) -> Result<(char, usize), String> {
    let mut it = s[1..].char_indices().map(|(i, c)| (i + 1, c));
    let Some((_, c)) = it.next() else {
        return Err(err(TRAILING_BACKSLASH, ""));
    };
    let bad = |end: usize| Err(err(INVALID_ESCAPE, &s[..end]));
    let after_c = 1 + c.len_utf8();
    let b = s.as_bytes();
    match c {
        c if c.is_ascii() && !is_alnum(c) => Ok((c, after_c)),
        '1'..='7' | '0' => {
            if c != '0' && !matches!(b.get(2), Some(b'0'..=b'7')) {
                return bad(after_c);
            }
            let mut r = c as u32 - '0' as u32;
            let mut end = 2;
            while end < 4 && matches!(b.get(end), Some(b'0'..=b'7')) {
                r = r * 8 + u32::from(b[end] - b'0');
                end += 1;
            }
            Ok((char::from_u32(r).unwrap_or('\0'), end))
        }
        'x' => {
            let Some((_, c2)) = it.next() else {
                return bad(after_c);
            };
            let mut end = after_c + c2.len_utf8();
            if c2 == '{' {
                let mut r: u32 = 0;
                let mut nhex = 0;
                loop {
                    let Some((i, d)) = it.next() else {
                        return bad(s.len());
                    };
                    end = i + d.len_utf8();
                    if d == '}' {
                        break;
                    }
                    let Some(v) = unhex(d) else {
                        return bad(end);
                    };
                    r = r * 16 + v;
                    if r > 0x10FFFF {
                        return bad(end);
                    }
                    nhex += 1;
                }
                if nhex == 0 {
                    return bad(end);
                }
                return match char::from_u32(r) {
                    Some(ch) => Ok((ch, end)),
                    None => bad(end),
                };
            }
            let y = it.next();
            if let Some((i, d)) = y {
                end = i + d.len_utf8();
            }
            match (unhex(c2), y.and_then(|(_, d)| unhex(d))) {
                (Some(x), Some(y)) => Ok((char::from_u32(x * 16 + y).unwrap_or('\0'), end)),
                _ => bad(end),
            }
        }
        'a' => Ok(('\x07', 2)),
        'f' => Ok(('\x0C', 2)),
        'n' => Ok(('\n', 2)),
        'r' => Ok(('\r', 2)),
        't' => Ok(('\t', 2)),
        'v' => Ok(('\x0B', 2)),
        _ => bad(after_c),
    }
}

/// `\pL`, `\p{Greek}`, `\P{^Greek}` → (Rust class text, byte length).
fn unicode_class(s: &str) -> Result<(String, usize), String> {
    let mut negated = s.as_bytes()[1] == b'P';
    let Some(c) = s[2..].chars().next() else {
        return Err(err(INVALID_ESCAPE, s));
    };
    let (seq, mut name) = if c != '{' {
        (&s[..2 + c.len_utf8()], &s[2..2 + c.len_utf8()])
    } else {
        let Some(end) = s.find('}') else {
            return Err(err(INVALID_RANGE, s));
        };
        (&s[..=end], &s[3..end])
    };
    if let Some(n) = name.strip_prefix('^') {
        negated = !negated;
        name = n;
    }
    let class = format!("\\{}{{{}}}", if negated { 'P' } else { 'p' }, name);
    // Go knows categories, scripts and a few aliases; Rust knows those and
    // more. Names Rust rejects are certainly unknown to Go as well.
    let valid = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ' ' || c == '-')
        && Regex::new(&class).is_ok();
    if !valid {
        return Err(err(INVALID_RANGE, seq));
    }
    Ok((class, seq.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every short pattern over RE2's metacharacters either fails with a Go
    /// parse error or translates into a pattern the `regex` crate accepts.
    #[test]
    fn short_patterns_translate_or_fail_as_go() {
        const ALPHABET: &[&str] = &[
            "(", ")", "[", "]", "{", "}", "\\", "*", "+", "?", "|", "^", "$", ".", "-", ":", "a",
            "1", "é", ",", "p", "Q", "E", "x", "d", "b", "<", "P", "&", "~",
        ];
        let mut bad = Vec::new();
        let mut patterns = vec![String::new()];
        for _ in 0..3 {
            let mut next = Vec::new();
            for p in &patterns {
                for a in ALPHABET {
                    next.push(format!("{p}{a}"));
                }
            }
            for p in &next {
                if compile(p).is_err_and(|e| e.contains("expression too large")) {
                    bad.push(p.clone());
                }
            }
            patterns = next;
        }
        assert!(
            bad.is_empty(),
            "{} untranslatable: {:?}",
            bad.len(),
            &bad[..bad.len().min(40)]
        );
    }
}
