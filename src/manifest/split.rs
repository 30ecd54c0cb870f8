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

/// Splits one rendered file into documents.
///
/// Helm v4.2.x: `TrimLeftFunc(file, unicode.IsSpace)`, split on the regexp
/// `(?:^|\s*\n)---\s*`, drop whitespace-only pieces, and trim only the
/// *leading* whitespace of each kept piece (v3 trimmed both ends). The
/// separator need not end its line: `---apiVersion: v1` splits too.
pub fn split_manifests(text: &str) -> Vec<&str> {
    let text = text.trim_start_matches(is_go_space);
    let bytes = text.as_bytes();
    let mut docs = Vec::new();
    let mut start = 0;
    // Position from which the next separator may be searched.
    let mut i = 0;
    // `^---` matches at the very start of the (trimmed) text.
    if text.starts_with("---") {
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
            docs.push(&text[start..sep_start]);
            start = end;
            i = end;
        } else {
            i += 1;
        }
    }
    docs.push(&text[start..]);
    docs.into_iter()
        .filter(|d| !go_trim_space(d).is_empty())
        .map(|d| d.trim_start_matches(is_go_space))
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
