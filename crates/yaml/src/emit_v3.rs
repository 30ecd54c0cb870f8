//! Helm's `toYamlPretty`: a yaml.v3 `Encoder` with `SetIndent(2)` over the raw value (no
//! JSON round trip: float64 `1000000` prints `1e+06`). yaml.v3 differs from yaml.v2's
//! profile in three ways that matter here: sequences are indented under their key, lines
//! are never folded (width unlimited), and YAML 1.1 booleans (`yes`, `on`, ...) stay
//! quoted through `isOldBool`. This is a block-style emitter for [`Data`] trees written
//! after libyaml's scalar analysis (`yaml_emitter_analyze_scalar`) with go-yaml's
//! printable-character table; it owns no parsing.

use std::fmt::Write as _;

use libyaml_safer::ScalarStyle;

use crate::emit_v2::string_style;
use crate::sort::sort_keys;
use crate::{Data, Error, format_float_g};

/// go-yaml's `is_printable` (narrower than libyaml's: no characters beyond the BMP).
fn is_printable(c: char) -> bool {
    matches!(c, '\n' | '\x20'..='\x7e' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}')
        && c != '\u{feff}'
}

fn is_break(c: char) -> bool {
    matches!(c, '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

fn is_blankz(c: Option<char>) -> bool {
    match c {
        None => true,
        Some(c) => c == ' ' || c == '\t' || is_break(c) || c == '\0',
    }
}

struct Analysis {
    multiline: bool,
    block_plain: bool,
    single_quoted: bool,
    block: bool,
}

fn analyze(s: &str) -> Analysis {
    if s.is_empty() {
        return Analysis {
            multiline: false,
            block_plain: true,
            single_quoted: true,
            block: false,
        };
    }
    let chars: Vec<char> = s.chars().collect();
    let mut block_ind = s.starts_with("---") || s.starts_with("...");
    let (mut line_breaks, mut special) = (false, false);
    let (mut leading_space, mut leading_break, mut trailing_space, mut trailing_break) =
        (false, false, false, false);
    let (mut break_space, mut space_break, mut prev_space, mut prev_break) =
        (false, false, false, false);
    let mut preceded_ws = true;
    let n = chars.len();
    for (i, &c) in chars.iter().enumerate() {
        let followed_ws = is_blankz(chars.get(i + 1).copied());
        if i == 0 {
            match c {
                '#' | ',' | '[' | ']' | '{' | '}' | '&' | '*' | '!' | '|' | '>' | '\'' | '"'
                | '%' | '@' | '`' => block_ind = true,
                '?' | ':' if followed_ws => block_ind = true,
                '-' if followed_ws => block_ind = true,
                _ => {}
            }
        } else {
            match c {
                ':' if followed_ws => block_ind = true,
                '#' if preceded_ws => block_ind = true,
                _ => {}
            }
        }
        if !is_printable(c) {
            special = true;
        }
        if is_break(c) {
            line_breaks = true;
        }
        if c == ' ' {
            if i == 0 {
                leading_space = true;
            }
            if i + 1 == n {
                trailing_space = true;
            }
            if prev_break {
                break_space = true;
            }
            prev_space = true;
            prev_break = false;
        } else if is_break(c) {
            if i == 0 {
                leading_break = true;
            }
            if i + 1 == n {
                trailing_break = true;
            }
            if prev_space {
                space_break = true;
            }
            prev_break = true;
            prev_space = false;
        } else {
            prev_space = false;
            prev_break = false;
        }
        preceded_ws = is_blankz(Some(c));
    }
    let mut a = Analysis {
        multiline: line_breaks,
        block_plain: true,
        single_quoted: true,
        block: true,
    };
    if leading_space || leading_break || trailing_space || trailing_break {
        a.block_plain = false;
    }
    if trailing_space {
        a.block = false;
    }
    if break_space {
        a.block_plain = false;
        a.single_quoted = false;
    }
    if space_break || special {
        a.block_plain = false;
        a.single_quoted = false;
        a.block = false;
    }
    if line_breaks || block_ind {
        a.block_plain = false;
    }
    a
}

/// libyaml `select_scalar_style` for block context.
fn select_style(s: &str, wanted: ScalarStyle, simple_key: bool) -> ScalarStyle {
    let a = analyze(s);
    let mut style = wanted;
    if style == ScalarStyle::Plain
        && (!a.block_plain || (simple_key && a.multiline) || (simple_key && s.is_empty()))
    {
        style = ScalarStyle::SingleQuoted;
    }
    if style == ScalarStyle::SingleQuoted && (!a.single_quoted || (simple_key && a.multiline)) {
        style = ScalarStyle::DoubleQuoted;
    }
    if (style == ScalarStyle::Literal || style == ScalarStyle::Folded) && (!a.block || simple_key) {
        style = ScalarStyle::DoubleQuoted;
    }
    style
}

struct W {
    out: String,
}

impl W {
    /// libyaml's write_indent: a line break unless the output is already at a line start.
    fn newline(&mut self) {
        if !self.out.is_empty() && !self.out.ends_with('\n') {
            self.out.push('\n');
        }
    }

    fn pad(&mut self, n: usize) {
        for _ in 0..n {
            self.out.push(' ');
        }
    }

    fn scalar(&mut self, s: &str, style: ScalarStyle, indent: usize, simple_key: bool) {
        match select_style(s, style, simple_key) {
            ScalarStyle::Plain => self.out.push_str(s),
            ScalarStyle::SingleQuoted => {
                // Line breaks (U+0085, U+2028, U+2029 here: strings with '\n' are never
                // single-quoted) are written raw and the next line is indented.
                self.out.push('\'');
                let mut breaks = false;
                for c in s.chars() {
                    if is_break(c) {
                        if !breaks && c == '\n' {
                            self.out.push('\n');
                        }
                        self.out.push(c);
                        breaks = true;
                        continue;
                    }
                    if breaks {
                        self.pad(indent);
                        breaks = false;
                    }
                    if c == '\'' {
                        self.out.push('\'');
                    }
                    self.out.push(c);
                }
                self.out.push('\'');
            }
            ScalarStyle::Literal | ScalarStyle::Folded => self.literal(s, indent),
            _ => self.double(s),
        }
    }

    fn literal(&mut self, s: &str, indent: usize) {
        self.out.push('|');
        let first = s.chars().next();
        if first.is_some_and(|c| c == ' ' || is_break(c)) {
            self.out.push('2');
        }
        let mut rev = s.chars().rev();
        let last = rev.next();
        match last {
            None => self.out.push('-'),
            Some(c) if !is_break(c) => self.out.push('-'),
            Some(_) => match rev.next() {
                None => self.out.push('+'),
                Some(c) if is_break(c) => self.out.push('+'),
                _ => {}
            },
        }
        self.out.push('\n');
        let mut at_line_start = true;
        for c in s.chars() {
            if is_break(c) {
                // go-yaml's `write_break`: `\n` is the emitter's line break, any
                // other break character (`\r`, U+0085/2028/2029) is written as is.
                self.out.push(c);
                at_line_start = true;
            } else {
                if at_line_start {
                    self.pad(indent);
                    at_line_start = false;
                }
                self.out.push(c);
            }
        }
    }

    fn double(&mut self, s: &str) {
        self.out.push('"');
        for c in s.chars() {
            if !is_printable(c) || c == '\u{feff}' || is_break(c) || c == '"' || c == '\\' {
                self.out.push('\\');
                match c {
                    '\0' => self.out.push('0'),
                    '\x07' => self.out.push('a'),
                    '\x08' => self.out.push('b'),
                    '\t' => self.out.push('t'),
                    '\n' => self.out.push('n'),
                    '\x0b' => self.out.push('v'),
                    '\x0c' => self.out.push('f'),
                    '\r' => self.out.push('r'),
                    '\x1b' => self.out.push('e'),
                    '"' => self.out.push('"'),
                    '\\' => self.out.push('\\'),
                    '\u{85}' => self.out.push('N'),
                    '\u{a0}' => self.out.push('_'),
                    '\u{2028}' => self.out.push('L'),
                    '\u{2029}' => self.out.push('P'),
                    c => {
                        let v = c as u32;
                        let _ = if v <= 0xff {
                            write!(self.out, "x{v:02X}")
                        } else if v <= 0xffff {
                            write!(self.out, "u{v:04X}")
                        } else {
                            write!(self.out, "U{v:08X}")
                        };
                    }
                }
            } else {
                self.out.push(c);
            }
        }
        self.out.push('"');
    }

    fn scalar_of(&mut self, d: &Data, indent: usize) {
        match d {
            Data::Null => self.out.push_str("null"),
            Data::Bool(b) => self.out.push_str(if *b { "true" } else { "false" }),
            Data::Int(i) => self.out.push_str(&i.to_string()),
            Data::Uint(u) => self.out.push_str(&u.to_string()),
            Data::Float(f) => {
                let s = format_float_g(*f);
                self.out.push_str(match s.as_str() {
                    "+Inf" => ".inf",
                    "-Inf" => "-.inf",
                    "NaN" => ".nan",
                    s => s,
                });
            }
            Data::String(s) => self.scalar(s, string_style(s, true), indent, false),
            Data::List(_) => self.out.push_str("[]"),
            Data::Map(_) => self.out.push_str("{}"),
        }
    }

    /// Writes `d` whose first line continues the current line (after `- ` or `key:`).
    /// `indent` is the column of the enclosing block; `inline` says whether a block
    /// collection may start on the current line (sequence items) or needs a new line.
    fn node(&mut self, d: &Data, indent: usize, inline: bool, depth: usize) -> Result<(), Error> {
        if depth > crate::MAX_DEPTH {
            return Err(Error::new("yaml: exceeded max depth"));
        }
        match d {
            Data::Map(m) if !m.is_empty() => {
                let mut keys: Vec<(&str, &Data)> = m.iter().map(|(k, v)| (k.as_str(), v)).collect();
                sort_keys(&mut keys);
                for (i, (k, v)) in keys.into_iter().enumerate() {
                    if i > 0 || !inline {
                        self.newline();
                        self.pad(indent);
                    }
                    // libyaml's check_simple_key: keys over 128 bytes or spanning lines
                    // are written as complex keys (`? key` / `: value`).
                    let style = string_style(k, true);
                    let complex = k.len() > 128 || analyze(k).multiline;
                    if complex {
                        self.out.push_str("? ");
                        self.scalar(k, style, indent + 2, false);
                        self.newline();
                        self.pad(indent);
                    } else {
                        self.scalar(k, style, indent + 2, true);
                    }
                    self.out.push(':');
                    self.value(v, indent, depth)?;
                }
            }
            Data::List(l) if !l.is_empty() => {
                for (i, it) in l.iter().enumerate() {
                    if i > 0 || !inline {
                        self.newline();
                        self.pad(indent);
                    }
                    self.out.push_str("- ");
                    self.node(it, indent + 2, true, depth + 1)?;
                }
            }
            other => self.scalar_of(other, indent),
        }
        Ok(())
    }

    fn value(&mut self, v: &Data, indent: usize, depth: usize) -> Result<(), Error> {
        match v {
            Data::Map(m) if !m.is_empty() => self.node(v, indent + 2, false, depth + 1),
            Data::List(l) if !l.is_empty() => self.node(v, indent + 2, false, depth + 1),
            other => {
                self.out.push(' ');
                self.scalar_of(other, indent + 2);
                Ok(())
            }
        }
    }
}

/// Helm's `toYamlPretty` (yaml.v3, indent 2, trailing newline trimmed).
pub fn to_yaml_pretty(d: &Data) -> Result<String, Error> {
    let mut w = W { out: String::new() };
    match d {
        Data::Map(m) if !m.is_empty() => w.node(d, 0, true, 0)?,
        Data::List(l) if !l.is_empty() => w.node(d, 0, true, 0)?,
        other => w.scalar_of(other, 2),
    }
    // Go's encoder ends the document with a line break unless a block scalar's own break
    // already ended the line; Helm trims one trailing newline.
    if w.out.ends_with('\n') {
        w.out.pop();
    }
    Ok(w.out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pretty_shapes() {
        let d = crate::from_yaml(
            "items:\n- name: a\n  ports: [80, 443]\n- {env: {K: v}, name: b}\nm: \"a\\nb\"\n",
        )
        .unwrap();
        assert_eq!(
            to_yaml_pretty(&d).unwrap(),
            "items:\n  - name: a\n    ports:\n      - 80\n      - 443\n  - env:\n      K: v\n    name: b\nm: |-\n  a\n  b"
        );
    }
}
