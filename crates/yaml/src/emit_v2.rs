//! Helm's `toYaml` = sigs.k8s.io/yaml `Marshal`: `json.Marshal`, then `JSONToYAML`
//! (yaml.v2 reads the JSON back — integral numbers become ints — and yaml.v2's encoder
//! writes it: natural key order, plain style unless the text would resolve to a
//! non-string or is a base-60 float, literal blocks for multi-line text), then the
//! trailing newline trimmed. The libyaml emitter itself (indent 2, width 80, unicode) is
//! libyaml-safer's, which is what go-yaml v2's `emitterc.go` is a port of.

use libyaml_safer::{Emitter, Encoding, Event, MappingStyle, ScalarStyle, SequenceStyle};

use crate::resolve::{self, Resolved};
use crate::sort::sort_keys;
use crate::{Data, Error, format_float_g, format_float_json};

fn em(e: &mut Emitter<'_>, ev: Event) -> Result<(), Error> {
    e.emit(ev)
        .map_err(|err| Error::new(format!("yaml: {}", err.problem())))
}

fn plain(e: &mut Emitter<'_>, s: &str) -> Result<(), Error> {
    em(
        e,
        Event::scalar(None, None, s, true, true, ScalarStyle::Plain),
    )
}

/// yaml.v2 `encoder.stringv` style choice.
pub(crate) fn string_style(s: &str, v3: bool) -> ScalarStyle {
    let can_use_plain = resolve::resolve_plain(s) == Resolved::Str
        && !resolve::is_base60_float(s)
        && !(v3 && resolve::is_old_bool(s));
    if s.contains('\n') {
        ScalarStyle::Literal
    } else if can_use_plain {
        ScalarStyle::Plain
    } else {
        ScalarStyle::DoubleQuoted
    }
}

/// JSONToYAML re-reads json.Marshal's output with the YAML reader, which rejects raw C1
/// controls, DEL and U+FFFE/U+FFFF (JSON leaves them unescaped); Helm's toYaml then prints "".
fn check_reader_chars(s: &str) -> Result<(), Error> {
    if s.chars()
        .any(|c| matches!(c, '\u{7f}'..='\u{84}' | '\u{86}'..='\u{9f}' | '\u{fffe}' | '\u{ffff}'))
    {
        return Err(Error::new("yaml: control characters are not allowed"));
    }
    Ok(())
}

/// Placeholder for a character beyond the BMP. go-yaml's `is_printable` rejects them, so
/// Go double-quotes such strings and writes `\UXXXXXXXX`; libyaml-safer would write them
/// raw. Ten private-use characters (the escape's width, so line folding is unchanged)
/// stand in for the escape and are replaced after emitting.
const PH_START: char = '\u{f8f0}';
const PH_DIGIT0: char = '\u{f8e0}';

fn has_astral(s: &str) -> bool {
    s.chars().any(|c| c as u32 > 0xffff)
}

fn placeholder(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if c as u32 > 0xffff {
            out.push(PH_START);
            out.push(PH_START);
            for d in format!("{:08X}", c as u32).chars() {
                let v = d.to_digit(16).unwrap_or(0);
                out.push(char::from_u32(PH_DIGIT0 as u32 + v).unwrap_or(PH_DIGIT0));
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn unplaceholder(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == PH_START && i + 9 < chars.len() && chars[i + 1] == PH_START {
            out.push_str("\\U");
            for &d in &chars[i + 2..i + 10] {
                let v = (d as u32).wrapping_sub(PH_DIGIT0 as u32);
                out.push(char::from_digit(v, 16).unwrap_or('0').to_ascii_uppercase());
            }
            i += 10;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// json.Marshal leaves U+0085 (NEL) raw, and yaml.v2 reading the JSON back folds it as a
/// line break inside a double-quoted scalar: blanks around it vanish, one break becomes a
/// space, n breaks become n-1 newlines.
fn fold_nel(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains('\u{85}') {
        return std::borrow::Cow::Borrowed(s);
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == ' ' || chars[i] == '\u{85}' {
            let mut j = i;
            let mut breaks = 0;
            while j < chars.len() && (chars[j] == ' ' || chars[j] == '\u{85}') {
                if chars[j] == '\u{85}' {
                    breaks += 1;
                }
                j += 1;
            }
            if breaks == 0 {
                out.extend(&chars[i..j]);
            } else if breaks == 1 {
                out.push(' ');
            } else {
                out.extend(std::iter::repeat_n('\n', breaks - 1));
            }
            i = j;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    std::borrow::Cow::Owned(out)
}

fn string_event(e: &mut Emitter<'_>, s: &str, astral: &mut bool) -> Result<(), Error> {
    check_reader_chars(s)?;
    let s = &*fold_nel(s);
    if has_astral(s) {
        *astral = true;
        let p = placeholder(s);
        return em(
            e,
            Event::scalar(None, None, &p, true, true, ScalarStyle::DoubleQuoted),
        );
    }
    em(
        e,
        Event::scalar(None, None, s, true, true, string_style(s, false)),
    )
}

/// libyaml 0.2.5 indents after a line break that ends a single-quoted scalar; go-yaml's
/// `write_single_quoted` does not. Only U+0085/U+2028/U+2029 can end one (strings with
/// '\n' are never single-quoted, and a break followed by a space rules single quotes out),
/// so the indentation between such a break and a closing `'` (not an escaped `''`) goes.
/// Lines of a literal block scalar are left alone: there the indentation after such a
/// break is the block's own, and go-yaml writes it too (`|2-`, then U+2029 and `   'a`).
fn drop_indent_before_closing_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    // The indentation of the line that opened a literal block, while inside it.
    let mut block: Option<usize> = None;
    for line in s.split_inclusive('\n') {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let content = line.trim_end_matches('\n');
        // Inside a block: blank lines, deeper lines, and lines that open with a break
        // character (go-yaml writes no indentation before a break).
        if let Some(b) = block
            && (content.trim().is_empty()
                || indent > b
                || content.starts_with(['\u{85}', '\u{2028}', '\u{2029}']))
        {
            out.push_str(line);
            continue;
        }
        block = opens_block_scalar(content).then_some(indent);
        out.push_str(&drop_in_line(line));
    }
    out
}

/// Whether a line ends with a block scalar header (`key: |2-`, `- |+`, `|`).
fn opens_block_scalar(line: &str) -> bool {
    let Some(bar) = line.rfind('|') else {
        return false;
    };
    let head = &line[..bar];
    (head.trim().is_empty() || head.ends_with(": ") || head.ends_with("- "))
        && line[bar + 1..]
            .chars()
            .all(|c| c.is_ascii_digit() || c == '-' || c == '+')
}

fn drop_in_line(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        out.push(c);
        i += 1;
        if matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}') {
            let mut j = i;
            while j < chars.len() && chars[j] == ' ' {
                j += 1;
            }
            if j > i && chars.get(j) == Some(&'\'') && chars.get(j + 1) != Some(&'\'') {
                i = j;
            }
        }
    }
    out
}

fn number_text(json: &str) -> String {
    match resolve::resolve_plain(json) {
        Resolved::Int(i) => i.to_string(),
        Resolved::Uint(u) => u.to_string(),
        Resolved::Float(f) => format_float_g(f),
        _ => json.to_string(),
    }
}

fn node(e: &mut Emitter<'_>, d: &Data, depth: usize, astral: &mut bool) -> Result<(), Error> {
    if depth > crate::MAX_DEPTH {
        return Err(Error::new("yaml: exceeded max depth"));
    }
    match d {
        Data::Null => plain(e, "null"),
        Data::Bool(b) => plain(e, if *b { "true" } else { "false" }),
        Data::Int(i) => plain(e, &i.to_string()),
        Data::Uint(u) => plain(e, &u.to_string()),
        Data::Float(f) => {
            if !f.is_finite() {
                return Err(Error::new(format!(
                    "json: unsupported value: {}",
                    format_float_g(*f)
                )));
            }
            plain(e, &number_text(&format_float_json(*f)))
        }
        Data::String(s) => string_event(e, s, astral),
        Data::List(items) => {
            em(
                e,
                Event::sequence_start(None, None, true, SequenceStyle::Block),
            )?;
            for it in items {
                node(e, it, depth + 1, astral)?;
            }
            em(e, Event::sequence_end())
        }
        Data::Map(m) => {
            em(
                e,
                Event::mapping_start(None, None, true, MappingStyle::Block),
            )?;
            let mut keys: Vec<(&str, &Data)> = m.iter().map(|(k, v)| (k.as_str(), v)).collect();
            sort_keys(&mut keys);
            for (k, v) in keys {
                string_event(e, k, astral)?;
                node(e, v, depth + 1, astral)?;
            }
            em(e, Event::mapping_end())
        }
    }
}

/// Writes `d` as yaml.v2 does (with the trailing newline).
pub(crate) fn marshal_v2(d: &Data) -> Result<String, Error> {
    let mut out = Vec::new();
    let mut astral = false;
    {
        let mut e = Emitter::new();
        e.set_output_string(&mut out);
        e.set_unicode(true);
        e.set_width(80);
        e.set_indent(2);
        em(&mut e, Event::stream_start(Encoding::Utf8))?;
        em(&mut e, Event::document_start(None, &[], true))?;
        node(&mut e, d, 0, &mut astral)?;
        em(&mut e, Event::document_end(true))?;
        em(&mut e, Event::stream_end())?;
        e.flush()
            .map_err(|err| Error::new(format!("yaml: {}", err.problem())))?;
    }
    let mut s = String::from_utf8(out).map_err(|_| Error::new("yaml: invalid UTF-8 output"))?;
    if astral {
        s = unplaceholder(&s);
    }
    if s.contains(['\u{85}', '\u{2028}', '\u{2029}']) {
        s = drop_indent_before_closing_quote(&s);
    }
    // libyaml 0.2.5 closes a stream whose last scalar is a keep-chomped (`|+`) block with
    // `...`; go-yaml v2's emitter does not (it has no open_ended == 2 state).
    if s.ends_with("\n...\n") {
        s.truncate(s.len() - 4);
    }
    Ok(s)
}

/// Helm's `toYaml` (sigs.k8s.io/yaml `Marshal`, trailing newline trimmed). A panic inside
/// libyaml-safer's emitter (none known) would become an error, never a crash.
pub fn to_yaml(d: &Data) -> Result<String, Error> {
    let s = std::panic::catch_unwind(|| marshal_v2(d))
        .map_err(|_| Error::new("yaml: internal error: the YAML emitter gave up"))??;
    Ok(s.strip_suffix('\n').map(str::to_string).unwrap_or(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basics() {
        let d = crate::from_yaml("b: [1, 2]\na: 'yes'\nc: {}\nd: \"x\\ny\"\ne: 'a: b'\n").unwrap();
        assert_eq!(
            to_yaml(&d).unwrap(),
            "a: \"yes\"\nb:\n- 1\n- 2\nc: {}\nd: |-\n  x\n  y\ne: 'a: b'"
        );
    }
}
