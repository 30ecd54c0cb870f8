//! `.helmignore` rules with Helm's own semantics (pkg/ignore/rules.go) and a port of
//! Go's `path/filepath.Match` (Unix flavour).
//!
//! Owns: parsing rule files, evaluating a relative path. Does not own: walking
//! directories (`dir`). These are not gitignore semantics: the first positive match
//! ignores, a negated rule `!p` ignores every path that does *not* match `p`, `**` is
//! an error, patterns without `/` match the basename only.

/// Name of the ignore file at a chart's root.
pub const HELM_IGNORE: &str = ".helmignore";

/// Errors while parsing rules (Helm's texts).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IgnoreError {
    #[error("double-star (**) syntax is not supported")]
    DoubleStar,
    #[error("syntax error in pattern")]
    BadPattern,
}

#[derive(Debug, Clone)]
struct Pattern {
    /// The pattern handed to `filepath.Match` (no `!`, no trailing `/`, no leading `/`).
    glob: String,
    negate: bool,
    must_dir: bool,
    /// Match only the basename (no `/` in the rule).
    basename: bool,
}

/// An ordered rule list.
#[derive(Debug, Clone, Default)]
pub struct Rules {
    patterns: Vec<Pattern>,
}

impl Rules {
    /// No rules.
    pub fn empty() -> Self {
        Rules::default()
    }

    /// Parses a `.helmignore` file's text (a BOM on the first line is stripped).
    pub fn parse(text: &str) -> Result<Self, IgnoreError> {
        let mut r = Rules::empty();
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        // bufio.Scanner's ScanLines: split on \n, drop one trailing \r.
        for line in text.split('\n') {
            let line = line.strip_suffix('\r').unwrap_or(line);
            r.parse_rule(line)?;
        }
        Ok(r)
    }

    /// Helm's `AddDefaults`: dotfiles under `templates/` are ignored.
    pub fn add_defaults(&mut self) {
        self.parse_rule("templates/.?*")
            .expect("the default rule is valid");
    }

    fn parse_rule(&mut self, rule: &str) -> Result<(), IgnoreError> {
        // Go's strings.TrimSpace (Unicode white space).
        let rule = rule.trim();
        if rule.is_empty() || rule.starts_with('#') {
            return Ok(());
        }
        if rule.contains("**") {
            return Err(IgnoreError::DoubleStar);
        }
        go_match(rule, "abc")?;
        let mut rule = rule;
        let negate = if let Some(r) = rule.strip_prefix('!') {
            rule = r;
            true
        } else {
            false
        };
        let must_dir = if let Some(r) = rule.strip_suffix('/') {
            rule = r;
            true
        } else {
            false
        };
        let (glob, basename) = if let Some(r) = rule.strip_prefix('/') {
            (r, false)
        } else {
            (rule, !rule.contains('/'))
        };
        self.patterns.push(Pattern {
            glob: glob.to_string(),
            negate,
            must_dir,
            basename,
        });
        Ok(())
    }

    /// Whether the chart-relative path `path` (no trailing `/`) is ignored.
    pub fn ignore(&self, path: &str, is_dir: bool) -> bool {
        if path.is_empty() || path == "." || path == "./" {
            return false;
        }
        for p in &self.patterns {
            let matches = || {
                let name = if p.basename { go_base(path) } else { path };
                go_match(&p.glob, name).unwrap_or(false)
            };
            if p.negate {
                // Helm quirk: a negated rule ignores what it does NOT match.
                if p.must_dir && !is_dir {
                    return true;
                }
                if !matches() {
                    return true;
                }
                continue;
            }
            if p.must_dir && !is_dir {
                continue;
            }
            if matches() {
                return true;
            }
        }
        false
    }
}

/// Go's `filepath.Base` for `/`-separated paths.
fn go_base(p: &str) -> &str {
    let t = p.trim_end_matches('/');
    if t.is_empty() {
        return if p.is_empty() { "." } else { "/" };
    }
    match t.rfind('/') {
        Some(i) => &t[i + 1..],
        None => t,
    }
}

/// Go's `filepath.Match` on Unix: `*`, `?`, `[...]` with `^` negation and ranges,
/// `\` escapes; `*` and `?` never match `/`.
pub fn go_match(pattern: &str, name: &str) -> Result<bool, IgnoreError> {
    let mut pattern = pattern;
    let mut name = name;
    'pattern: while !pattern.is_empty() {
        let (star, chunk, rest) = scan_chunk(pattern);
        pattern = rest;
        if star && chunk.is_empty() {
            return Ok(!name.contains('/'));
        }
        let (t, ok) = match_chunk(chunk, name)?;
        if ok && (t.is_empty() || !pattern.is_empty()) {
            name = t;
            continue;
        }
        if star {
            for (i, c) in name.char_indices() {
                if c == '/' {
                    break;
                }
                let _ = i;
                let next = &name[i + c.len_utf8()..];
                // Go skips byte by byte; with valid UTF-8 only rune starts can match.
                let (t, ok) = match_chunk(chunk, next)?;
                if ok {
                    if pattern.is_empty() && !t.is_empty() {
                        continue;
                    }
                    name = t;
                    continue 'pattern;
                }
            }
        }
        // Before returning false, check that the rest of the pattern is well formed.
        while !pattern.is_empty() {
            let (_, chunk, rest) = scan_chunk(pattern);
            pattern = rest;
            match_chunk(chunk, "")?;
        }
        return Ok(false);
    }
    Ok(name.is_empty())
}

fn scan_chunk(pattern: &str) -> (bool, &str, &str) {
    let trimmed = pattern.trim_start_matches('*');
    let star = trimmed.len() != pattern.len();
    let b = trimmed.as_bytes();
    let mut in_range = false;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' if i + 1 < b.len() => i += 1,
            b'[' => in_range = true,
            b']' => in_range = false,
            b'*' if !in_range => break,
            _ => {}
        }
        i += 1;
    }
    (star, &trimmed[..i], &trimmed[i..])
}

fn match_chunk<'a>(chunk: &str, s: &'a str) -> Result<(&'a str, bool), IgnoreError> {
    let mut chunk = chunk;
    let mut s = s;
    let mut failed = false;
    while !chunk.is_empty() {
        if !failed && s.is_empty() {
            failed = true;
        }
        let c0 = chunk.as_bytes()[0];
        match c0 {
            b'[' => {
                let mut r: Option<char> = None;
                if !failed {
                    let c = s.chars().next().expect("non-empty");
                    r = Some(c);
                    s = &s[c.len_utf8()..];
                }
                chunk = &chunk[1..];
                let mut negated = false;
                if chunk.starts_with('^') {
                    negated = true;
                    chunk = &chunk[1..];
                }
                let mut matched = false;
                let mut nrange = 0;
                loop {
                    if chunk.starts_with(']') && nrange > 0 {
                        chunk = &chunk[1..];
                        break;
                    }
                    let (lo, rest) = get_esc(chunk)?;
                    chunk = rest;
                    let mut hi = lo;
                    if let Some(rest) = chunk.strip_prefix('-') {
                        let (h, rest) = get_esc(rest)?;
                        hi = h;
                        chunk = rest;
                    }
                    if let Some(r) = r
                        && lo <= r
                        && r <= hi
                    {
                        matched = true;
                    }
                    nrange += 1;
                }
                if matched == negated {
                    failed = true;
                }
            }
            b'?' => {
                if !failed {
                    let c = s.chars().next().expect("non-empty");
                    if c == '/' {
                        failed = true;
                    }
                    s = &s[c.len_utf8()..];
                }
                chunk = &chunk[1..];
            }
            _ => {
                if c0 == b'\\' {
                    chunk = &chunk[1..];
                    if chunk.is_empty() {
                        return Err(IgnoreError::BadPattern);
                    }
                }
                // Go compares byte by byte; on valid UTF-8 comparing whole
                // characters gives the same answer.
                let c = chunk.chars().next().expect("non-empty");
                if !failed {
                    let sc = s.chars().next().expect("non-empty");
                    if c != sc {
                        failed = true;
                    }
                    s = &s[sc.len_utf8()..];
                }
                chunk = &chunk[c.len_utf8()..];
            }
        }
    }
    if failed {
        return Ok(("", false));
    }
    Ok((s, true))
}

fn get_esc(chunk: &str) -> Result<(char, &str), IgnoreError> {
    let mut chunk = chunk;
    if chunk.is_empty() || chunk.starts_with('-') || chunk.starts_with(']') {
        return Err(IgnoreError::BadPattern);
    }
    if let Some(rest) = chunk.strip_prefix('\\') {
        chunk = rest;
        if chunk.is_empty() {
            return Err(IgnoreError::BadPattern);
        }
    }
    let c = chunk.chars().next().expect("non-empty");
    let rest = &chunk[c.len_utf8()..];
    if rest.is_empty() {
        return Err(IgnoreError::BadPattern);
    }
    Ok((c, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filepath_match_table() {
        // Cases from Go's documented filepath.Match behaviour.
        let cases: &[(&str, &str, Result<bool, IgnoreError>)] = &[
            ("abc", "abc", Ok(true)),
            ("*", "abc", Ok(true)),
            ("*c", "abc", Ok(true)),
            ("a*", "a", Ok(true)),
            ("a*", "abc", Ok(true)),
            ("a*", "ab/c", Ok(false)),
            ("a*/b", "abc/b", Ok(true)),
            ("a*/b", "a/c/b", Ok(false)),
            ("a*b*c*d*e*/f", "axbxcxdxe/f", Ok(true)),
            ("a*b*c*d*e*/f", "axbxcxdxexxx/fff", Ok(false)),
            ("a*b?c*x", "abxbbxdbxebxczzx", Ok(true)),
            ("a*b?c*x", "abxbbxdbxebxczzy", Ok(false)),
            ("ab[c]", "abc", Ok(true)),
            ("ab[b-d]", "abc", Ok(true)),
            ("ab[e-g]", "abc", Ok(false)),
            ("ab[^c]", "abc", Ok(false)),
            ("ab[^b-d]", "abc", Ok(false)),
            ("ab[^e-g]", "abc", Ok(true)),
            ("a\\*b", "a*b", Ok(true)),
            ("a\\*b", "ab", Ok(false)),
            ("a?b", "a☺b", Ok(true)),
            ("a[^a]b", "a☺b", Ok(true)),
            ("a???b", "a☺b", Ok(false)),
            ("a[^a][^a][^a]b", "a☺b", Ok(false)),
            ("[a-ζ]*", "α", Ok(true)),
            ("*[a-ζ]", "A", Ok(false)),
            ("a?b", "a/b", Ok(false)),
            ("a*b", "a/b", Ok(false)),
            ("[\\]a]", "]", Ok(true)),
            ("[\\-]", "-", Ok(true)),
            ("[x\\-]", "x", Ok(true)),
            ("[x\\-]", "-", Ok(true)),
            ("[x\\-]", "z", Ok(false)),
            ("[\\-x]", "x", Ok(true)),
            ("[\\-x]", "-", Ok(true)),
            ("[\\-x]", "a", Ok(false)),
            ("[]a]", "]", Err(IgnoreError::BadPattern)),
            ("[-]", "-", Err(IgnoreError::BadPattern)),
            ("[x-]", "x", Err(IgnoreError::BadPattern)),
            ("[x-]", "-", Err(IgnoreError::BadPattern)),
            ("[x-]", "z", Err(IgnoreError::BadPattern)),
            ("[-x]", "x", Err(IgnoreError::BadPattern)),
            ("[-x]", "-", Err(IgnoreError::BadPattern)),
            ("[-x]", "a", Err(IgnoreError::BadPattern)),
            ("\\", "a", Err(IgnoreError::BadPattern)),
            ("[a-b-c]", "a", Err(IgnoreError::BadPattern)),
            ("[", "a", Err(IgnoreError::BadPattern)),
            ("[^", "a", Err(IgnoreError::BadPattern)),
            ("[^bc", "a", Err(IgnoreError::BadPattern)),
            ("a[", "a", Err(IgnoreError::BadPattern)),
            ("a[", "ab", Err(IgnoreError::BadPattern)),
            ("a[", "x", Err(IgnoreError::BadPattern)),
            ("a/b[", "x", Err(IgnoreError::BadPattern)),
            ("*x", "xxx", Ok(true)),
        ];
        for (p, n, want) in cases {
            assert_eq!(&go_match(p, n), want, "Match({p:?}, {n:?})");
        }
    }

    fn rules(text: &str) -> Rules {
        let mut r = Rules::parse(text).unwrap();
        r.add_defaults();
        r
    }

    #[test]
    fn helm_rules_table() {
        // (rule, path, is_dir, ignored) in the spirit of pkg/ignore/rules_test.go.
        let cases: &[(&str, &str, bool, bool)] = &[
            ("helm.txt", "helm.txt", false, true),
            ("helm.*", "helm.txt", false, true),
            ("helm.*", "rudder.txt", false, false),
            ("*.txt", "tiller.txt", false, true),
            ("*.txt", "cargo/a.txt", false, true),
            ("cargo/*.txt", "cargo/a.txt", false, true),
            ("cargo/*.*", "cargo/a.txt", false, true),
            ("cargo/*.txt", "mast/a.txt", false, false),
            ("ru[c-e]?er.txt", "rudder.txt", false, true),
            ("templates/.?*", "templates/.dotfile", false, true),
            ("/helm.txt", "helm.txt", false, true),
            ("/helm.txt", "cargo/helm.txt", false, false),
            ("cargo/", "cargo", true, true),
            ("cargo/", "cargo", false, false),
            ("cargo/", "mast/", true, false),
            ("helm.txt/", "helm.txt", false, false),
            ("!helm.txt", "helm.txt", false, false),
            ("!helm.txt", "tiller.txt", false, true),
            ("!*.txt", "cargo", true, true),
            ("!cargo", "mast/", true, true),
            ("!cargo/", "mast/", false, true),
            ("*.txt\n!keep.txt", "keep.txt", false, true),
            ("", "templates/.hidden", false, true),
            ("", "templates/ok.yaml", false, false),
            ("", ".", true, false),
        ];
        for (rule, path, is_dir, want) in cases {
            assert_eq!(
                rules(rule).ignore(path, *is_dir),
                *want,
                "rule {rule:?} path {path:?}"
            );
        }
    }

    #[test]
    fn parse_errors() {
        assert_eq!(
            Rules::parse("a/**/b").unwrap_err().to_string(),
            "double-star (**) syntax is not supported"
        );
        assert_eq!(
            Rules::parse("[").unwrap_err().to_string(),
            "syntax error in pattern"
        );
        assert!(Rules::parse("\u{feff}# comment\n\n  x.txt  \r\n").is_ok());
    }
}
