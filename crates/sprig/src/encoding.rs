//! Sprig's encoding and hash functions: `b64enc`, `b64dec`, `b32enc`,
//! `b32dec`, `sha1sum`, `sha256sum`, `sha512sum`, `adler32sum`.
//!
//! Owns Go-faithful base64/base32 codecs (Go's `encoding/base64` and
//! `encoding/base32` `StdEncoding`, including where their decoders report
//! `illegal base64 data at input byte N`), hex and Adler-32, plus the small
//! argument helpers the other Sprig-B modules share. Does not own the
//! cryptographic functions (see `crypto`).

use origan_gotmpl::{Func, FuncError, FuncMap, Param, Value};
use sha1::Digest;

/// The `i`th argument as a string (the evaluator converted it already).
pub(crate) fn arg_str(args: &[Value], i: usize) -> Result<&str, FuncError> {
    match args.get(i) {
        Some(Value::String(s)) => Ok(s),
        Some(other) => Err(FuncError::new(format!(
            "wrong type for value; expected string; got {}",
            other.type_name()
        ))),
        None => Err(FuncError::new("missing argument")),
    }
}

/// Bytes as text for a decoder: its input is ASCII when valid, so invalid
/// bytes only need to stay invalid characters.
pub(crate) fn go_text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// The `i`th argument as a Go `int`.
pub(crate) fn arg_int(args: &[Value], i: usize) -> Result<i64, FuncError> {
    match args.get(i) {
        Some(Value::Int(n, _)) => Ok(*n),
        Some(Value::Uint(n, _)) => Ok(*n as i64),
        Some(other) => Err(FuncError::new(format!(
            "wrong type for value; expected int; got {}",
            other.type_name()
        ))),
        None => Err(FuncError::new("missing argument")),
    }
}

/// Registers a `func(string) string` that reads its argument's bytes (a Go
/// string need not be UTF-8) and may return bytes.
fn bytes_fn(funcs: &mut FuncMap, name: &str, f: fn(&[u8]) -> Value) {
    funcs.insert(
        name,
        Func::new(&[Param::GoString], move |args| {
            Ok(f(args[0].string_bytes().unwrap_or_default()))
        }),
    );
}

/// Registers a `func(string) string`.
pub(crate) fn str_fn(funcs: &mut FuncMap, name: &str, f: fn(&str) -> String) {
    funcs.insert(
        name,
        Func::new(&[Param::String], move |args| {
            Ok(Value::str(f(arg_str(args, 0)?)))
        }),
    );
}

pub(crate) fn register(funcs: &mut FuncMap) {
    // {{ b64enc "hello" }} → aGVsbG8=
    bytes_fn(funcs, "b64enc", |b| Value::str(base64_encode(b)));
    // {{ b64dec "aGVsbG8=" }} → hello; bad input yields the decoder's error text.
    bytes_fn(funcs, "b64dec", |b| match base64_decode(&go_text(b)) {
        Ok(b) => Value::go_string(b),
        Err(e) => Value::str(e),
    });
    // {{ b32enc "hello" }} → NBSWY3DP
    bytes_fn(funcs, "b32enc", |b| Value::str(base32_encode(b)));
    // {{ b32dec "NBSWY3DP" }} → hello; bad input yields the decoder's error text.
    bytes_fn(funcs, "b32dec", |b| match base32_decode(&go_text(b)) {
        Ok(b) => Value::go_string(b),
        Err(e) => Value::str(e),
    });
    // {{ sha1sum "hello" }} → aaf4c61d...
    bytes_fn(funcs, "sha1sum", |b| {
        Value::str(hex(&sha1::Sha1::digest(b)))
    });
    // {{ sha256sum "hello" }} → 2cf24dba...
    bytes_fn(funcs, "sha256sum", |b| {
        Value::str(hex(&sha2::Sha256::digest(b)))
    });
    // {{ sha512sum "hello" }} → 9b71d224...
    str_fn(funcs, "sha512sum", |s| {
        hex(&sha2::Sha512::digest(s.as_bytes()))
    });
    // {{ adler32sum "hello" }} → 103547413 (decimal, as Sprig prints it)
    str_fn(funcs, "adler32sum", |s| adler32(s.as_bytes()).to_string());
}

/// Go strings may hold any bytes; ours are UTF-8, so invalid sequences
/// become U+FFFD (a known gap of the value model: `len` differs).
pub(crate) fn lossy(b: Vec<u8>) -> String {
    match String::from_utf8(b) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    }
}

/// Lower-case hex, as Go's `hex.EncodeToString`.
pub(crate) fn hex(b: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(b.len() * 2);
    for &x in b {
        s.push(DIGITS[(x >> 4) as usize] as char);
        s.push(DIGITS[(x & 15) as usize] as char);
    }
    s
}

/// Adler-32 checksum (Go's `hash/adler32.Checksum`).
pub(crate) fn adler32(data: &[u8]) -> u32 {
    const MOD: u32 = 65521;
    let (mut a, mut b) = (1u32, 0u32);
    for chunk in data.chunks(5552) {
        for &x in chunk {
            a += u32::from(x);
            b += a;
        }
        a %= MOD;
        b %= MOD;
    }
    (b << 16) | a
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// Standard padded base64 (Go's `base64.StdEncoding.EncodeToString`).
pub(crate) fn base64_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let v = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(B64[((v >> (18 - 6 * k)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn b64_value(c: u8) -> Option<u8> {
    B64.iter().position(|&x| x == c).map(|p| p as u8)
}

fn b64_error(pos: usize) -> String {
    format!("illegal base64 data at input byte {pos}")
}

/// Go's `base64.StdEncoding.DecodeString`, with its error text: `\r` and
/// `\n` are skipped, padding is required and checked where Go checks it.
pub(crate) fn base64_decode(s: &str) -> Result<Vec<u8>, String> {
    let src = s.as_bytes();
    let mut out = Vec::with_capacity(src.len() / 4 * 3);
    let mut si = 0;
    while si < src.len() {
        let mut dbuf = [0u8; 4];
        let mut dlen = 4;
        let mut j = 0;
        let mut trailing = None;
        while j < 4 {
            if si == src.len() {
                if j == 0 {
                    return Ok(out);
                }
                // Padding is mandatory in StdEncoding.
                return Err(b64_error(si - j));
            }
            let c = src[si];
            si += 1;
            if let Some(v) = b64_value(c) {
                dbuf[j] = v;
                j += 1;
                continue;
            }
            if c == b'\n' || c == b'\r' {
                continue;
            }
            if c != b'=' {
                return Err(b64_error(si - 1));
            }
            match j {
                0 | 1 => return Err(b64_error(si - 1)),
                2 => {
                    while si < src.len() && (src[si] == b'\n' || src[si] == b'\r') {
                        si += 1;
                    }
                    if si == src.len() {
                        return Err(b64_error(src.len()));
                    }
                    if src[si] != b'=' {
                        return Err(b64_error(si - 1));
                    }
                    si += 1;
                }
                _ => {}
            }
            while si < src.len() && (src[si] == b'\n' || src[si] == b'\r') {
                si += 1;
            }
            if si < src.len() {
                trailing = Some(si);
            }
            dlen = j;
            break;
        }
        let v = (u32::from(dbuf[0]) << 18)
            | (u32::from(dbuf[1]) << 12)
            | (u32::from(dbuf[2]) << 6)
            | u32::from(dbuf[3]);
        let bytes = [(v >> 16) as u8, (v >> 8) as u8, v as u8];
        out.extend_from_slice(&bytes[..dlen - 1]);
        if let Some(pos) = trailing {
            return Err(b64_error(pos));
        }
        if dlen < 4 {
            break;
        }
    }
    Ok(out)
}

/// Standard padded base32 (Go's `base32.StdEncoding.EncodeToString`).
pub(crate) fn base32_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(5) * 8);
    for chunk in data.chunks(5) {
        let mut b = [0u8; 5];
        b[..chunk.len()].copy_from_slice(chunk);
        let v = b.iter().fold(0u64, |acc, &x| (acc << 8) | u64::from(x));
        let chars = match chunk.len() {
            1 => 2,
            2 => 4,
            3 => 5,
            4 => 7,
            _ => 8,
        };
        for k in 0..8 {
            if k < chars {
                out.push(B32[((v >> (35 - 5 * k)) & 31) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn b32_error(pos: usize) -> String {
    format!("illegal base32 data at input byte {pos}")
}

/// Go's `base32.StdEncoding.DecodeString`: newlines are stripped first,
/// then Go's quantum decoder runs with its error offsets.
pub(crate) fn base32_decode(s: &str) -> Result<Vec<u8>, String> {
    let stripped: Vec<u8> = s.bytes().filter(|&c| c != b'\n' && c != b'\r').collect();
    let olen = stripped.len();
    let mut src: &[u8] = &stripped;
    let mut out = Vec::with_capacity(olen / 8 * 5);
    let mut end = false;
    while !src.is_empty() && !end {
        let mut dbuf = [0u8; 8];
        let mut dlen = 8;
        let mut j = 0;
        while j < 8 {
            if src.is_empty() {
                return Err(b32_error(olen - j));
            }
            let c = src[0];
            src = &src[1..];
            if c == b'=' && j >= 2 && src.len() < 8 {
                if src.len() + j < 7 {
                    return Err(b32_error(olen));
                }
                for k in 0..(7 - j) {
                    if src.len() > k && src[k] != b'=' {
                        return Err(b32_error(olen - src.len() + k - 1));
                    }
                }
                dlen = j;
                end = true;
                if dlen == 1 || dlen == 3 || dlen == 6 {
                    return Err(b32_error(olen - src.len() - 1));
                }
                break;
            }
            match B32.iter().position(|&x| x == c) {
                Some(v) => dbuf[j] = v as u8,
                None => return Err(b32_error(olen - src.len() - 1)),
            }
            j += 1;
        }
        let v = dbuf.iter().fold(0u64, |acc, &x| (acc << 5) | u64::from(x));
        let bytes = [
            (v >> 32) as u8,
            (v >> 24) as u8,
            (v >> 16) as u8,
            (v >> 8) as u8,
            v as u8,
        ];
        let n = match dlen {
            8 => 5,
            7 => 4,
            5 => 3,
            4 => 2,
            2 => 1,
            _ => 0,
        };
        out.extend_from_slice(&bytes[..n]);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trip() {
        for s in ["", "a", "ab", "abc", "abcd", "héllo ☃"] {
            assert_eq!(
                base64_decode(&base64_encode(s.as_bytes())).unwrap(),
                s.as_bytes()
            );
        }
    }

    #[test]
    fn base32_round_trip() {
        for s in ["", "a", "ab", "abc", "abcd", "abcde", "abcdef"] {
            assert_eq!(
                base32_decode(&base32_encode(s.as_bytes())).unwrap(),
                s.as_bytes()
            );
        }
    }
}
