//! Go's `unicode` predicates and simple case mappings, as closely as Rust's
//! standard library allows without Unicode tables.
//!
//! Go's `IsUpper`/`IsLower` are the `Lu`/`Ll` categories, narrower than
//! Rust's `Uppercase`/`Lowercase` properties (which add `Other_Uppercase` and
//! `Other_Lowercase`); Go's `ToUpper`/`ToLower` are one-rune mappings, so
//! `upper "ß"` stays `ß` where Rust would give `SS`. `is_punct` covers ASCII,
//! Latin-1 and the common Unicode punctuation blocks only.

/// Rust's `Other_Uppercase` additions to `Lu` (Roman numerals, circled and
/// squared letters).
fn other_upper(c: char) -> bool {
    matches!(c as u32, 0x2160..=0x216F | 0x24B6..=0x24CF | 0x1F130..=0x1F149 | 0x1F150..=0x1F169 | 0x1F170..=0x1F189)
}

/// Rust's main `Other_Lowercase` additions to `Ll` (ordinal indicators,
/// modifier letters, Roman numerals, circled letters).
fn other_lower(c: char) -> bool {
    matches!(c as u32,
        0xAA | 0xBA | 0x2B0..=0x2B8 | 0x2C0..=0x2C1 | 0x2E0..=0x2E4 | 0x345 | 0x37A
        | 0x1D2C..=0x1D6A | 0x1D78 | 0x1D9B..=0x1DBF | 0x2071 | 0x207F | 0x2090..=0x209C
        | 0x2170..=0x217F | 0x24D0..=0x24E9 | 0x2C7C..=0x2C7D | 0xA69C..=0xA69D | 0xA770
        | 0xA7F8..=0xA7F9 | 0xAB5C..=0xAB5F)
}

/// `unicode.IsUpper`.
pub(crate) fn is_upper(c: char) -> bool {
    c.is_uppercase() && !other_upper(c)
}

/// `unicode.IsLower`.
pub(crate) fn is_lower(c: char) -> bool {
    c.is_lowercase() && !other_lower(c)
}

/// `unicode.IsTitle` (the `Lt` category).
pub(crate) fn is_title(c: char) -> bool {
    matches!(c as u32,
        0x1C5 | 0x1C8 | 0x1CB | 0x1F2 | 0x1F88..=0x1F8F | 0x1F98..=0x1F9F | 0x1FA8..=0x1FAF
        | 0x1FBC | 0x1FCC | 0x1FFC)
}

/// `unicode.IsLetter`.
pub(crate) fn is_letter(c: char) -> bool {
    c.is_alphabetic() && !c.is_numeric() && !other_upper(c) && !matches!(c as u32, 0x345)
}

/// `unicode.IsNumber` (`Nd`, `Nl`, `No`).
pub(crate) fn is_number(c: char) -> bool {
    c.is_numeric()
}

/// `unicode.IsSpace`: the same set as Rust's `White_Space`.
pub(crate) fn is_space(c: char) -> bool {
    c.is_whitespace()
}

/// `unicode.IsPunct` (`P*` categories).
pub(crate) fn is_punct(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_punctuation()
            && !matches!(c, '$' | '+' | '<' | '=' | '>' | '^' | '`' | '|' | '~');
    }
    matches!(c as u32,
        0xA1 | 0xA7 | 0xAB | 0xB6 | 0xB7 | 0xBB | 0xBF | 0x37E | 0x387 | 0x55A..=0x55F
        | 0x589..=0x58A | 0x5BE | 0x5C0 | 0x5C3 | 0x5C6 | 0x5F3..=0x5F4 | 0x609..=0x60A
        | 0x60C..=0x60D | 0x61B | 0x61D..=0x61F | 0x66A..=0x66D | 0x6D4 | 0x964..=0x965
        | 0x970 | 0x2010..=0x2027 | 0x2030..=0x2043 | 0x2045..=0x2051 | 0x2053..=0x205E
        | 0x207D..=0x207E | 0x208D..=0x208E | 0x2308..=0x230B | 0x2329..=0x232A
        | 0x2768..=0x2775 | 0x27C5..=0x27C6 | 0x27E6..=0x27EF | 0x2983..=0x2998
        | 0x29D8..=0x29DB | 0x29FC..=0x29FD | 0x2CF9..=0x2CFC | 0x2CFE..=0x2CFF
        | 0x2E00..=0x2E2E | 0x2E30..=0x2E4F | 0x3001..=0x3003 | 0x3008..=0x3011
        | 0x3014..=0x301F | 0x3030 | 0x303D | 0x30A0 | 0x30FB | 0xFE10..=0xFE19
        | 0xFE30..=0xFE52 | 0xFE54..=0xFE61 | 0xFE63 | 0xFE68 | 0xFE6A..=0xFE6B
        | 0xFF01..=0xFF03 | 0xFF05..=0xFF0A | 0xFF0C..=0xFF0F | 0xFF1A..=0xFF1B
        | 0xFF1F..=0xFF20 | 0xFF3B..=0xFF3D | 0xFF3F | 0xFF5B | 0xFF5D | 0xFF5F..=0xFF65)
}

/// `unicode.ToUpper`: one rune to one rune.
pub(crate) fn to_upper(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_uppercase();
    }
    // Greek letters with ypogegrammeni: the full mapping (Rust) spells
    // out the iota, the simple one (Go) gives the titlecase letter.
    let greek = match c as u32 {
        0x1F80..=0x1F87 | 0x1F90..=0x1F97 | 0x1FA0..=0x1FA7 => Some(c as u32 + 8),
        0x1FB3 | 0x1FC3 | 0x1FF3 => Some(c as u32 + 9),
        _ => None,
    };
    if let Some(u) = greek.and_then(char::from_u32) {
        return u;
    }
    let mut it = c.to_uppercase();
    match (it.next(), it.next()) {
        (Some(u), None) => u,
        _ => c,
    }
}

/// `unicode.ToLower`: one rune to one rune (`İ` → `i`, where Rust's full
/// mapping adds a combining dot).
pub(crate) fn to_lower(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    if c == '\u{130}' {
        return 'i';
    }
    let mut it = c.to_lowercase();
    match (it.next(), it.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

/// `unicode.ToTitle`: upper case, except the Latin digraphs whose title
/// form differs (`ǆ` → `ǅ`).
pub(crate) fn to_title(c: char) -> char {
    match c as u32 {
        0x1C4..=0x1C6 => '\u{1C5}',
        0x1C7..=0x1C9 => '\u{1C8}',
        0x1CA..=0x1CC => '\u{1CB}',
        0x1F1..=0x1F3 => '\u{1F2}',
        _ => to_upper(c),
    }
}

/// `strings.ToUpper`.
pub(crate) fn upper(s: &str) -> String {
    s.chars().map(to_upper).collect()
}

/// `strings.ToLower`.
pub(crate) fn lower(s: &str) -> String {
    s.chars().map(to_lower).collect()
}

/// The byte `b` read as the rune of the same number, as Go's
/// `rune(str[i])` does in goutils' byte-wise loops (Latin-1).
pub(crate) fn byte_rune(b: u8) -> char {
    char::from(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_maps_one_rune_to_one_rune() {
        assert_eq!(upper("ß"), "ß");
        assert_eq!(lower("İ"), "i");
        assert_eq!(upper("ᾳ"), "ᾼ");
        assert_eq!(upper("héllo"), "HÉLLO");
        assert_eq!(to_title('ǆ'), 'ǅ');
        assert!(!is_upper('Ⅰ') && !is_lower('ª'));
        assert!(is_punct(',') && !is_punct('$') && is_punct('—'));
    }
}
