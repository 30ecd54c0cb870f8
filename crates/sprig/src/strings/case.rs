//! Case conversions: Go's `strings.Title`, goutils' `SwapCase`,
//! `Uncapitalize` and `Initials`, and huandu/xstrings v1.5.0's
//! `ToSnakeCase`, `ToKebabCase` and `ToPascalCase` (Sprig's `camelcase`).

use super::unicode::{
    byte_rune, is_letter, is_lower, is_number, is_punct, is_space, is_title, is_upper, to_lower,
    to_title, to_upper,
};

/// `strings.Title`'s separator test: ASCII letters, digits and `_` join
/// words, other ASCII separates; beyond ASCII, letters and digits join and
/// spaces separate, anything else joins.
fn title_separator(c: char) -> bool {
    if c.is_ascii() {
        return !(c.is_ascii_alphanumeric() || c == '_');
    }
    if is_letter(c) || c.is_numeric() {
        return false;
    }
    is_space(c)
}

/// `strings.Title` (deprecated in Go, still what Sprig's `title` calls).
pub(crate) fn title(s: &str) -> String {
    let mut prev = ' ';
    s.chars()
        .map(|c| {
            let out = if title_separator(prev) {
                to_title(c)
            } else {
                c
            };
            prev = c;
            out
        })
        .collect()
}

/// goutils `Uncapitalize`: lower-cases the first rune of each
/// whitespace-separated word.
pub(crate) fn untitle(s: &str) -> String {
    let mut next = true;
    s.chars()
        .map(|c| {
            if is_space(c) {
                next = true;
                c
            } else if next {
                next = false;
                to_lower(c)
            } else {
                c
            }
        })
        .collect()
}

/// goutils `SwapCase`: upper and title case become lower; lower case becomes
/// title case at the start of a word and upper case elsewhere.
pub(crate) fn swapcase(s: &str) -> String {
    let mut whitespace = true;
    s.chars()
        .map(|c| {
            if is_upper(c) || is_title(c) {
                whitespace = false;
                to_lower(c)
            } else if is_lower(c) {
                if whitespace {
                    whitespace = false;
                    to_title(c)
                } else {
                    to_upper(c)
                }
            } else {
                whitespace = is_space(c);
                c
            }
        })
        .collect()
}

/// goutils `Initials`, which walks bytes: each byte after a space byte is
/// taken as the rune of that number (so `é` contributes `Ã`, and the `0xA0`
/// byte inside `à` counts as a space).
pub(crate) fn initials(s: &str) -> String {
    let mut out = String::new();
    let mut gap = true;
    for b in s.bytes() {
        let c = byte_rune(b);
        if is_space(c) {
            gap = true;
        } else if gap {
            out.push(c);
            gap = false;
        }
    }
    out
}

/// xstrings' connector runes: `-`, `_` and spaces.
fn is_connector(c: char) -> bool {
    c == '-' || c == '_' || is_space(c)
}

/// xstrings' `isAlphabet`: a letter that is not CJK.
fn is_alphabet(c: char) -> bool {
    if !is_letter(c) {
        return false;
    }
    !matches!(c as u32, 0x4E00..=0x9FCC | 0x3400..=0x4D85 | 0x20000..=0x2B81D)
}

/// xstrings `ToPascalCase` (Sprig's `camelcase`): connectors are dropped and
/// the next rune upper-cased; a run of upper case after a word start is
/// lower-cased (`HTTP_SERVER` → `HttpServer`); doubled connectors keep one.
pub(crate) fn pascal_case(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    if chars.is_empty() {
        return String::new();
    }
    let mut out = String::new();
    let mut i = 0;
    let mut r0 = chars[0];
    let mut first_upper = false;
    // Leading connectors are kept.
    while i < chars.len() {
        r0 = chars[i];
        i += 1;
        if !is_connector(r0) {
            first_upper = is_upper(r0);
            r0 = to_upper(r0);
            break;
        }
        out.push(r0);
    }
    if i >= chars.len() {
        // xstrings writes the last rune again here, so an all-connector
        // input gains one connector ("__" → "___").
        out.push(r0);
        return out;
    }
    while i < chars.len() {
        let r1 = r0;
        r0 = chars[i];
        i += 1;
        if is_connector(r0) && is_connector(r1) {
            out.push(r1);
            continue;
        }
        if is_connector(r1) {
            first_upper = is_upper(r0);
            r0 = to_upper(r0);
        } else {
            if first_upper {
                if is_upper(r0) {
                    r0 = to_lower(r0);
                } else {
                    first_upper = false;
                }
            }
            out.push(r1);
        }
    }
    out.push(r0);
    out
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum Word {
    Invalid,
    Number,
    Upper,
    Alphabet,
    Connector,
    Punct,
    Other,
}

/// xstrings' `nextWord`: the class and length (in runes) of the word at the
/// start of `s`.
fn next_word(s: &[char]) -> (Word, usize) {
    if s.is_empty() {
        return (Word::Invalid, 0);
    }
    let r = s[0];
    let run = |from: usize, pred: &dyn Fn(char) -> bool| {
        let mut n = from;
        while n < s.len() && pred(s[n]) {
            n += 1;
        }
        n
    };
    if is_connector(r) {
        (Word::Connector, run(1, &is_connector))
    } else if is_punct(r) {
        (Word::Punct, run(1, &is_punct))
    } else if is_upper(r) {
        if s.len() == 1 {
            return (Word::Upper, 1);
        }
        let r1 = s[1];
        if is_upper(r1) {
            let n = run(1, &is_upper);
            // "HTTPStatus": the last upper rune starts the next word.
            if n < s.len() && is_alphabet(s[n]) {
                return (Word::Upper, n - 1);
            }
            (Word::Upper, n)
        } else if is_alphabet(r1) {
            (Word::Upper, run(1, &|c| is_alphabet(c) && !is_upper(c)))
        } else {
            (Word::Upper, 1)
        }
    } else if is_alphabet(r) {
        (Word::Alphabet, run(1, &|c| is_alphabet(c) && !is_upper(c)))
    } else if is_number(r) {
        (Word::Number, run(1, &is_number))
    } else {
        let stop = |c: char| is_connector(c) || is_alphabet(c) || is_number(c) || is_punct(c);
        (Word::Other, run(1, &|c| !stop(c)))
    }
}

/// xstrings' `toLower`: upper-case and connector words are rewritten, other
/// words copied as they are.
fn push_lower(out: &mut String, wt: Word, word: &[char], connector: char) {
    if wt != Word::Upper && wt != Word::Connector {
        out.extend(word);
        return;
    }
    for &c in word {
        if is_connector(c) {
            out.push(connector);
        } else if is_upper(c) {
            out.push(to_lower(c));
        } else {
            out.push(c);
        }
    }
}

/// xstrings `camelCaseToLowerCase`: `ToSnakeCase` (`_`) and `ToKebabCase`
/// (`-`), with its rules for digits (`http2xx` → `http_2xx`,
/// `Bld4Floor3rd` → `bld4_floor_3rd`).
pub(crate) fn to_lower_case(s: &str, connector: char) -> String {
    let chars: Vec<char> = s.chars().collect();
    if chars.is_empty() {
        return String::new();
    }
    let mut out = String::new();
    let mut pos = 0;
    let next = |pos: &mut usize| {
        let (wt, n) = next_word(&chars[*pos..]);
        let w = (wt, *pos, *pos + n);
        *pos += n;
        w
    };
    let (mut wt, mut ws, mut we) = next(&mut pos);
    while pos < chars.len() {
        if wt != Word::Connector {
            push_lower(&mut out, wt, &chars[ws..we], connector);
        }
        let prev = wt;
        let (ls, le) = (ws, we);
        (wt, ws, we) = next(&mut pos);
        match prev {
            Word::Number => {
                while wt == Word::Alphabet || wt == Word::Number {
                    push_lower(&mut out, wt, &chars[ws..we], connector);
                    (wt, ws, we) = next(&mut pos);
                }
                if wt != Word::Invalid && wt != Word::Punct && wt != Word::Connector {
                    out.push(connector);
                }
            }
            Word::Connector => push_lower(&mut out, prev, &chars[ls..le], connector),
            Word::Punct => {}
            _ => {
                if wt != Word::Number {
                    if wt != Word::Connector && wt != Word::Punct {
                        out.push(connector);
                    }
                    continue;
                }
                if pos >= chars.len() {
                    continue;
                }
                let (ns, ne) = (ws, we);
                (wt, ws, we) = next(&mut pos);
                if wt != Word::Alphabet {
                    push_lower(&mut out, Word::Number, &chars[ns..ne], connector);
                    if wt != Word::Connector && wt != Word::Punct {
                        out.push(connector);
                    }
                    continue;
                }
                out.push(connector);
                push_lower(&mut out, Word::Number, &chars[ns..ne], connector);
                while wt == Word::Alphabet || wt == Word::Number {
                    push_lower(&mut out, wt, &chars[ws..we], connector);
                    (wt, ws, we) = next(&mut pos);
                }
                if wt != Word::Invalid && wt != Word::Connector && wt != Word::Punct {
                    out.push(connector);
                }
            }
        }
    }
    push_lower(&mut out, wt, &chars[ws..we], connector);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_and_kebab_follow_xstrings() {
        for (i, o) in [
            ("FirstName", "first_name"),
            ("HTTPServer", "http_server"),
            ("NoHTTPS", "no_https"),
            ("GO_PATH", "go_path"),
            ("GO PATH", "go_path"),
            ("GO-PATH", "go_path"),
            ("http2xx", "http_2xx"),
            ("HTTP20xOK", "http_20x_ok"),
            ("Duration2m3s", "duration_2m3s"),
            ("Bld4Floor3rd", "bld4_floor_3rd"),
            ("getHTTPResponseCode", "get_http_response_code"),
            ("userID", "user_id"),
        ] {
            assert_eq!(to_lower_case(i, '_'), o, "{i}");
        }
    }

    #[test]
    fn pascal_follows_xstrings() {
        for (i, o) in [
            ("some_words", "SomeWords"),
            ("http_server", "HttpServer"),
            ("no_https", "NoHttps"),
            ("_complex__case_", "_Complex_Case_"),
            ("some words", "SomeWords"),
            ("GOLANG_IS_GREAT", "GolangIsGreat"),
            ("x", "X"),
            ("_a_b", "_AB"),
            ("foo__bar", "Foo_Bar"),
        ] {
            assert_eq!(pascal_case(i), o, "{i}");
        }
    }
}
