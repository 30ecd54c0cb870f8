//! Splitting rendered files into YAML documents, as Helm v4.2's
//! `releaseutil.SplitManifests` does.
//!
//! Owns the separator rule only; parsing a document's head and sorting live
//! in `sort`.

/// Go's `unicode.IsSpace`.
pub fn is_go_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n'
            | '\u{0B}'
            | '\u{0C}'
            | '\r'
            | ' '
            | '\u{85}'
            | '\u{A0}'
            | '\u{1680}'
            | '\u{2000}'
            ..='\u{200A}' | '\u{2028}' | '\u{2029}' | '\u{202F}' | '\u{205F}' | '\u{3000}'
    )
}

/// RE2's `\s`: `[\t\n\f\r ]` (no `\v`, no Unicode spaces).
fn is_re2_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0C' | b'\r' | b' ')
}

/// `strings.TrimSpace` with Go's notion of space.
pub fn go_trim_space(s: &str) -> &str {
    s.trim_matches(is_go_space)
}

/// Length of the run of Go spaces (`unicode.IsSpace`) that starts `b`, as
/// `strings.TrimLeftFunc` decodes it: a byte that does not start a valid
/// UTF-8 sequence is `utf8.RuneError`, not a space.
fn go_space_prefix(b: &[u8]) -> usize {
    let mut i = 0;
    while i < b.len() {
        let width = match b[i] {
            0x00..=0x7f => 1,
            0xc0..=0xdf => 2,
            0xe0..=0xef => 3,
            _ => 4,
        };
        let Some(c) = b
            .get(i..i + width)
            .and_then(|s| std::str::from_utf8(s).ok())
            .and_then(|s| s.chars().next())
        else {
            break;
        };
        if !is_go_space(c) {
            break;
        }
        i += width;
    }
    i
}

/// `strings.TrimSpace` of a Go string: the Go spaces at both ends go; a
/// byte that is not valid UTF-8 is not a space.
pub fn go_trim_space_bytes(b: &[u8]) -> &[u8] {
    let start = go_space_prefix(b);
    let mut end = b.len();
    while end > start {
        // Decode the last character, as utf8.DecodeLastRune does.
        let from = end.saturating_sub(4).max(start);
        let last = (from..end).find_map(|i| {
            std::str::from_utf8(&b[i..end])
                .ok()
                .and_then(|s| s.chars().next_back())
                .filter(|c| c.len_utf8() == end - i)
        });
        match last {
            Some(c) if is_go_space(c) => end -= c.len_utf8(),
            _ => break,
        }
    }
    &b[start..end]
}

/// Whether `strings.TrimSpace(text) == ""` for a Go string.
pub fn is_go_blank(text: &[u8]) -> bool {
    go_space_prefix(text) == text.len()
}

/// Splits one rendered file into documents.
///
/// Helm v4.2.x: `TrimLeftFunc(file, unicode.IsSpace)`, split on the regexp
/// `(?:^|\s*\n)---\s*`, drop whitespace-only pieces, and trim only the
/// *leading* whitespace of each kept piece (v3 trimmed both ends). The
/// separator need not end its line: `---apiVersion: v1` splits too.
pub fn split_manifests(text: &str) -> Vec<&str> {
    // The split points are ASCII bytes or ends of whole characters, so every
    // range falls on character boundaries of valid UTF-8.
    split_ranges(text.as_bytes())
        .into_iter()
        .map(|(a, b)| &text[a..b])
        .collect()
}

/// [`split_manifests`] of a Go string, which need not be valid UTF-8.
pub fn split_manifests_bytes(text: &[u8]) -> Vec<&[u8]> {
    split_ranges(text)
        .into_iter()
        .map(|(a, b)| &text[a..b])
        .collect()
}

fn split_ranges(text: &[u8]) -> Vec<(usize, usize)> {
    let base = go_space_prefix(text);
    let bytes = &text[base..];
    let mut docs = Vec::new();
    let mut start = 0;
    // Position from which the next separator may be searched.
    let mut i = 0;
    // `^---` matches at the very start of the (trimmed) text.
    if bytes.starts_with(b"---") {
        let mut end = 3;
        while end < bytes.len() && is_re2_space(bytes[end]) {
            end += 1;
        }
        start = end;
        i = end;
    }
    while i < bytes.len() {
        if bytes[i] != b'\n' {
            i += 1;
            continue;
        }
        // A separator is `\s*\n---\s*`: the `\n` here must be followed by `---`.
        if bytes[i + 1..].starts_with(b"---") {
            // The leftmost match starts at the first of the run of spaces
            // before this newline (the regex engine is leftmost-first).
            let mut sep_start = i;
            while sep_start > start && is_re2_space(bytes[sep_start - 1]) {
                sep_start -= 1;
            }
            let mut end = i + 4;
            while end < bytes.len() && is_re2_space(bytes[end]) {
                end += 1;
            }
            docs.push((start, sep_start));
            start = end;
            i = end;
        } else {
            i += 1;
        }
    }
    docs.push((start, bytes.len()));
    docs.into_iter()
        .filter(|&(a, b)| !is_go_blank(&bytes[a..b]))
        .map(|(a, b)| (base + a + go_space_prefix(&bytes[a..b]), base + b))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_trailing_whitespace_of_last_document() {
        assert_eq!(
            split_manifests("a: 1\n---\nb: 2\n\n"),
            vec!["a: 1", "b: 2\n\n"]
        );
    }

    #[test]
    fn separator_need_not_end_the_line() {
        assert_eq!(
            split_manifests("---apiVersion: v1\n"),
            vec!["apiVersion: v1\n"]
        );
        assert_eq!(split_manifests("a\n--- # c\nb"), vec!["a", "# c\nb"]);
        assert_eq!(split_manifests("a\n----\nb"), vec!["a", "-\nb"]);
    }

    #[test]
    fn whitespace_only_pieces_are_dropped() {
        // Expected values checked against the corpus runner's port of Helm's regex.
        assert_eq!(
            split_manifests("a: 1\n---\n  \t\n---\nb: 2\n"),
            vec!["a: 1", "---\nb: 2\n"]
        );
        // The leading `---` eats the newline the second separator would need.
        assert_eq!(split_manifests("\n\n---\n---\na: 1\n"), vec!["---\na: 1\n"]);
        assert!(split_manifests("  \n").is_empty());
    }

    #[test]
    fn stray_separator_document() {
        // `---\n---\n\n---`: the regex eats `---\n` then the next `\n---`
        // needs a preceding newline that the first match consumed.
        let docs = split_manifests("a: 1\n---\n---\n\n---\nb: 2");
        assert_eq!(docs, vec!["a: 1", "---", "b: 2"]);
    }
}
