//! The text handed to libyaml-safer and the translation of its errors into yaml.v2's
//! words. libyaml-safer follows libyaml 0.2.5, go-yaml v2 an older libyaml with NUL-padded
//! input; this module hides the differences that show at the end of the input (see
//! [`Source`]) and formats `yaml: line N: problem` as yaml.v2's `parser.fail()` does.
//! Owns no composing or decoding.

use libyaml_safer::{ErrorKind, ScalarStyle};

use crate::Error;

pub(crate) fn go_error(e: &libyaml_safer::Error, src: &Source<'_>) -> Error {
    // yaml.v2 `parser.fail()`: the 0-based problem line (scanner errors add one); if that
    // is 0, the context line; no "line N: " when both are 0.
    if let Some(err) = src.unknown_escape_at_eof(e) {
        return err;
    }
    let mut line = 0u64;
    if let Some(m) = e.problem_mark().map(|m| src.scanner_line(e, m))
        && m != 0
    {
        line = m;
        if e.kind() == ErrorKind::Scanner {
            line += 1;
        }
    } else if let Some(m) = e.context_mark() {
        line = m.line;
    }
    let problem = e.problem();
    let problem = if problem.is_empty() {
        "unknown problem parsing YAML content"
    } else {
        problem
    };
    if line != 0 {
        Error::with_line(format!("yaml: line {line}: {problem}"), Some(line as usize))
    } else {
        Error::new(format!("yaml: {problem}"))
    }
}

/// The text handed to libyaml-safer. libyaml-safer 0.3.0 panics on a block scalar that
/// runs to the end of an input without a final line break (Go's libyaml port pads its
/// buffer with NULs instead), so such inputs get a `\n` appended; `fix_block_at_eof` and
/// `scanner_line`/`unknown_escape_at_eof` undo what that newline changes.
pub(crate) struct Source<'a> {
    pub(crate) text: std::borrow::Cow<'a, str>,
    original_len: usize,
    appended: bool,
    /// Whether the original's last line is blank (only spaces/tabs).
    last_line_blank: bool,
    /// 0-based line of the original's end.
    eof_line: u64,
}

impl<'a> Source<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        let ends_with_break =
            text.is_empty() || text.ends_with(['\n', '\r', '\u{85}', '\u{2028}', '\u{2029}']);
        let last_line = text.rsplit('\n').next().unwrap_or("");
        Source {
            text: if ends_with_break {
                std::borrow::Cow::Borrowed(text)
            } else {
                std::borrow::Cow::Owned(format!("{text}\n"))
            },
            original_len: text.len(),
            appended: !ends_with_break,
            last_line_blank: last_line.chars().all(|c| c == ' ' || c == '\t'),
            eof_line: text.matches('\n').count() as u64,
        }
    }

    /// A scanner error found past the original end (inside a quoted scalar that the
    /// appended newline extended) is where Go stops: the original's last line. Parser
    /// errors at the end need no mapping: Go's scanner also moves STREAM-END to a new line
    /// when the input does not end with one.
    fn scanner_line(&self, e: &libyaml_safer::Error, m: libyaml_safer::Mark) -> u64 {
        if self.appended && e.kind() == ErrorKind::Scanner && m.index as usize >= self.original_len
        {
            self.eof_line
        } else {
            m.line
        }
    }

    /// The appended newline turns a backslash ending a double-quoted scalar into an
    /// escaped line break; Go sees `\` followed by its NUL padding instead and reports
    /// "found unknown escape character" at the backslash.
    fn unknown_escape_at_eof(&self, e: &libyaml_safer::Error) -> Option<Error> {
        let original = &self.text[..self.original_len];
        if !self.appended
            || !original.ends_with('\\')
            || e.problem() != "found unexpected end of stream"
            || e.context() != Some("while scanning a quoted scalar")
        {
            return None;
        }
        let ctx = e.context_mark()?;
        if original.as_bytes().get(ctx.index as usize) != Some(&b'"') {
            return None;
        }
        let problem = "found unknown escape character";
        let msg = if self.eof_line != 0 {
            format!("yaml: line {}: {problem}", self.eof_line + 1)
        } else if ctx.line != 0 {
            format!("yaml: line {}: {problem}", ctx.line)
        } else {
            format!("yaml: {problem}")
        };
        Some(Error::new(msg))
    }

    /// Go reads a block scalar ending at EOF without its final line break.
    pub(crate) fn fix_block_at_eof(
        &self,
        value: &mut String,
        style: ScalarStyle,
        end: libyaml_safer::Mark,
    ) {
        if !self.appended
            || !matches!(style, ScalarStyle::Literal | ScalarStyle::Folded)
            || (end.index as usize) < self.original_len
        {
            return;
        }
        let strip = if self.last_line_blank {
            value.ends_with("\n\n")
        } else {
            value.ends_with('\n')
        };
        if strip {
            value.pop();
        }
    }
}

/// go-yaml v2 accepts only `%YAML 1.1`; libyaml 0.2.5 also takes 1.2 and later.
/// Directives precede the first document, so only the stream's opening lines are read.
pub(crate) fn incompatible_version(text: &str) -> Option<Error> {
    for (line_no, line) in text.lines().enumerate() {
        let t = line.trim_end();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let Some(rest) = t.strip_prefix("%YAML") else {
            if t.starts_with('%') {
                continue;
            }
            return None;
        };
        let version = rest.split_whitespace().next().unwrap_or("");
        if version == "1.1" {
            continue;
        }
        let (major, minor) = version.split_once('.')?;
        if major.parse::<u32>().is_err() || minor.parse::<u32>().is_err() {
            return None;
        }
        return Some(Error::new(if line_no == 0 {
            "yaml: found incompatible YAML document".to_string()
        } else {
            format!("yaml: line {line_no}: found incompatible YAML document")
        }));
    }
    None
}

/// Replaces the ',' right after a tag (`!x,` / `!!str,`) with '.', for the retry after
/// libyaml-safer panicked on a tag followed by ',' in a flow collection.
pub(crate) fn tags_before_commas(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = b.to_vec();
    let mut i = 0;
    while i < b.len() {
        let starts_token = i == 0 || matches!(b[i - 1], b' ' | b'\t' | b'\n' | b'[' | b'{' | b',');
        if b[i] == b'!' && starts_token {
            let mut j = i + 1;
            while j < b.len()
                && !matches!(
                    b[j],
                    b' ' | b'\t' | b'\r' | b'\n' | b'[' | b']' | b'{' | b'}' | b','
                )
            {
                j += 1;
            }
            if j < b.len() && b[j] == b',' {
                out[j] = b'.';
            }
            i = j;
        } else {
            i += 1;
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}
