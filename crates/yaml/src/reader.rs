//! yaml.v2's reader checks on raw bytes (`yaml_parser_update_buffer` in
//! `readerc.go`): how it decodes UTF-8 and which characters it refuses,
//! with its error texts. The rest of the crate reads `&str`; this module is
//! for Go strings that are not valid UTF-8 (a rendered manifest where
//! `substr` cut a character). Owns no scanning or parsing.

use crate::Error;

/// The first problem yaml.v2's reader finds in `input`, in its words
/// (`yaml: invalid trailing UTF-8 octet`, ...). `None` when every byte
/// decodes to an allowed character.
///
/// Go's reader decodes lazily, in 512-byte chunks, so for a long document
/// a syntax error before the bad chunk would be reported first; callers
/// use this only for input that is not valid UTF-8, where the reader error
/// is by far the usual outcome.
pub fn reader_error(input: &[u8]) -> Option<Error> {
    let mut pos = 0;
    while pos < input.len() {
        let octet = input[pos];
        let (width, lead) = match octet {
            o if o & 0x80 == 0x00 => (1, u32::from(o & 0x7f)),
            o if o & 0xe0 == 0xc0 => (2, u32::from(o & 0x1f)),
            o if o & 0xf0 == 0xe0 => (3, u32::from(o & 0x0f)),
            o if o & 0xf8 == 0xf0 => (4, u32::from(o & 0x07)),
            _ => return Some(problem("invalid leading UTF-8 octet")),
        };
        if width > input.len() - pos {
            return Some(problem("incomplete UTF-8 octet sequence"));
        }
        let mut value = lead;
        for &trailing in &input[pos + 1..pos + width] {
            if trailing & 0xc0 != 0x80 {
                return Some(problem("invalid trailing UTF-8 octet"));
            }
            value = (value << 6) + u32::from(trailing & 0x3f);
        }
        let shortest = match width {
            1 => true,
            2 => value >= 0x80,
            3 => value >= 0x800,
            _ => value >= 0x10000,
        };
        if !shortest {
            return Some(problem("invalid length of a UTF-8 sequence"));
        }
        if (0xd800..=0xdfff).contains(&value) || value > 0x10ffff {
            return Some(problem("invalid Unicode character"));
        }
        let allowed = matches!(value, 0x09 | 0x0a | 0x0d | 0x20..=0x7e | 0x85)
            || (0xa0..=0xd7ff).contains(&value)
            || (0xe000..=0xfffd).contains(&value)
            || (0x10000..=0x10ffff).contains(&value);
        if !allowed {
            return Some(problem("control characters are not allowed"));
        }
        pos += width;
    }
    None
}

fn problem(text: &str) -> Error {
    Error::new(format!("yaml: {text}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(input: &[u8]) -> Option<String> {
        reader_error(input).map(|e| e.to_string())
    }

    #[test]
    fn valid_text_passes() {
        assert_eq!(text("a: héllo ☃ 𝄞\n".as_bytes()), None);
    }

    #[test]
    fn each_problem_in_readerc_order() {
        // A lead byte whose sequence runs past the end is incomplete even
        // when the bytes that are there are not continuation bytes.
        assert!(
            text(b"a: h\xc3")
                .unwrap()
                .ends_with("incomplete UTF-8 octet sequence")
        );
        assert!(
            text(b"a: \xe2\x41")
                .unwrap()
                .ends_with("incomplete UTF-8 octet sequence")
        );
        assert!(
            text(b"a: h\xc3\n")
                .unwrap()
                .ends_with("invalid trailing UTF-8 octet")
        );
        assert!(
            text(b"\xff")
                .unwrap()
                .ends_with("invalid leading UTF-8 octet")
        );
        assert!(
            text(b"\xc0\x80")
                .unwrap()
                .ends_with("invalid length of a UTF-8 sequence")
        );
        assert!(
            text(b"\xed\xa0\x80")
                .unwrap()
                .ends_with("invalid Unicode character")
        );
        assert!(
            text(b"\x01\xff")
                .unwrap()
                .ends_with("control characters are not allowed")
        );
    }
}
