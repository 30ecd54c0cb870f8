//! Helm v4.2.x `releaseutil.SplitManifests`: the whole text is left-trimmed, split on the
//! RE2 regexp `(?:^|\s*\n)---\s*` (`\s` = `[\t\n\f\r ]`), whitespace-only pieces dropped and
//! each kept piece left-trimmed (trailing whitespace kept, a 4.2 quirk). The regexp is
//! matched by hand (leftmost-first, linear). Owns nothing else.

fn re2_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

/// The documents of a rendered template file in order (`manifest-0`, `manifest-1`, ...).
pub fn split_manifests(text: &str) -> Vec<String> {
    let text = text.trim_start();
    let b = text.as_bytes();
    let mut pieces: Vec<&str> = Vec::new();
    let mut start = 0; // start of the current piece
    let mut i = 0; // search position
    // `^---`
    if b.starts_with(b"---") {
        let mut e = 3;
        while e < b.len() && re2_space(b[e]) {
            e += 1;
        }
        pieces.push("");
        start = e;
        i = e;
    }
    while i < b.len() {
        if !re2_space(b[i]) {
            i += 1;
            continue;
        }
        // A whitespace run [i, j): a match starts at i iff the run ends in '\n' followed
        // by "---" (the run cannot continue past '-').
        let mut j = i;
        while j < b.len() && re2_space(b[j]) {
            j += 1;
        }
        if b[j - 1] == b'\n' && b[j..].starts_with(b"---") {
            let mut e = j + 3;
            while e < b.len() && re2_space(b[e]) {
                e += 1;
            }
            pieces.push(&text[start..i]);
            start = e;
            i = e;
        } else {
            i = j;
        }
    }
    pieces.push(&text[start..]);
    pieces
        .into_iter()
        .filter(|p| !p.trim().is_empty())
        .map(|p| p.trim_start().to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits() {
        assert_eq!(split_manifests("a\n--- # c\nb"), ["a", "# c\nb"]);
        assert_eq!(split_manifests("a\n----\nb"), ["a", "-\nb"]);
        assert_eq!(split_manifests("---\na: 1\n\n"), ["a: 1\n\n"]);
        assert_eq!(split_manifests("x\n---\n---\n\n---\ny"), ["x", "---", "y"]);
        assert_eq!(split_manifests("---apiVersion: v1"), ["apiVersion: v1"]);
    }
}
