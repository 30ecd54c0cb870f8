//! Sprig's random functions: `randAlphaNum`, `randAlpha`, `randNumeric`,
//! `randAscii`, `randInt`, `randBytes`, `shuffle`, `uuidv4`.
//!
//! Owns the character sets and argument quirks (a negative length gives
//! ""; `randInt a b` fails with Go's `invalid argument to Intn` when
//! `b <= a`). Randomness comes from `rand`'s thread-local CSPRNG. Does not
//! own key generation (see `crypto`).

use origan_gotmpl::{Func, FuncError, FuncMap, Param, Value};

use crate::encoding::{arg_int, arg_str, base64_encode};

const UPPER: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const LOWER: &str = "abcdefghijklmnopqrstuvwxyz";
const DIGITS: &str = "0123456789";

/// `count` characters drawn uniformly from `set` (goutils' CryptoRandom*:
/// zero or negative counts give "").
fn random_string(count: i64, set: &[u8]) -> String {
    if count <= 0 {
        return String::new();
    }
    (0..count)
        .map(|_| set[rand::random_range(0..set.len())] as char)
        .collect()
}

fn charset(parts: &[&str]) -> Vec<u8> {
    parts.concat().into_bytes()
}

pub(crate) fn register(funcs: &mut FuncMap) {
    let sets: [(&str, Vec<u8>); 4] = [
        // {{ randAlphaNum 8 }} → e.g. 3kQz9aBx
        ("randAlphaNum", charset(&[UPPER, LOWER, DIGITS])),
        // {{ randAlpha 8 }} → e.g. qWeRtYuI
        ("randAlpha", charset(&[UPPER, LOWER])),
        // {{ randNumeric 4 }} → e.g. 0417
        ("randNumeric", charset(&[DIGITS])),
        // {{ randAscii 8 }} → printable ASCII, e.g. a%9!Qz~r
        ("randAscii", (b' '..=b'~').collect()),
    ];
    for (name, set) in sets {
        funcs.insert(
            name,
            Func::new(&[Param::Int], move |a| {
                Ok(Value::str(random_string(arg_int(a, 0)?, &set)))
            }),
        );
    }
    // {{ randInt 1 10 }} → 1..9
    funcs.insert(
        "randInt",
        Func::new(&[Param::Int, Param::Int], |a| {
            let (min, max) = (arg_int(a, 0)?, arg_int(a, 1)?);
            let span = max.wrapping_sub(min);
            if span <= 0 {
                return Err(FuncError::new("invalid argument to Intn"));
            }
            Ok(Value::int(rand::random_range(0..span).wrapping_add(min)))
        }),
    );
    // {{ randBytes 16 }} → 16 random bytes, base64-encoded
    funcs.insert(
        "randBytes",
        Func::new(&[Param::Int], |a| {
            let n = arg_int(a, 0)?;
            if n < 0 {
                return Err(FuncError::new("runtime error: makeslice: len out of range"));
            }
            let mut buf = vec![0u8; n as usize];
            rand::fill(&mut buf[..]);
            Ok(Value::str(base64_encode(&buf)))
        }),
    );
    // {{ shuffle "hello" }} → e.g. lleho (runes permuted)
    funcs.insert(
        "shuffle",
        Func::new(&[Param::String], |a| {
            let mut runes: Vec<char> = arg_str(a, 0)?.chars().collect();
            for i in (1..runes.len()).rev() {
                let j = rand::random_range(0..=i);
                runes.swap(i, j);
            }
            Ok(Value::str(runes.into_iter().collect::<String>()))
        }),
    );
    // {{ uuidv4 }} → e.g. 1b4e28ba-2fa1-41d2-883f-0016d3cca427
    funcs.insert("uuidv4", Func::new(&[], |_| Ok(Value::str(uuid_v4()))));
}

/// A random (version 4, RFC 4122 variant) UUID in canonical form.
pub(crate) fn uuid_v4() -> String {
    let mut b = [0u8; 16];
    rand::fill(&mut b[..]);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = crate::encoding::hex(&b);
    format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    )
}
