//! Sprig's crypto functions: `bcrypt`, `htpasswd`, `derivePassword`,
//! `encryptAES`, `decryptAES`, and the key/certificate generators (see
//! `certs`).
//!
//! Owns Sprig's exact constructions: bcrypt `$2a$` at cost 10;
//! `derivePassword` as the Master Password algorithm (scrypt N=32768 r=8
//! p=2, HMAC-SHA256 seed, Sprig's templates); AES-256-CBC with a zero-padded
//! password as key, a random IV prefix, PKCS#7 padding added by hand and
//! removed unchecked (so bad input panics in Go; here it is an error with
//! Go's runtime text). Does not own hashing helpers (see `encoding`).

mod certs;
mod der;

use aes::cipher::{BlockCipherDecrypt, BlockCipherEncrypt, KeyInit};
use hmac::Mac;
use origan_gotmpl::{ElemType, Func, FuncError, FuncMap, Param, Value};

use crate::encoding::{arg_int, arg_str, base64_decode, base64_encode};
use certs::as_certificate;

pub(crate) fn register(funcs: &mut FuncMap) {
    // {{ bcrypt "pass" }} → $2a$10$…
    funcs.insert(
        "bcrypt",
        Func::new(&[Param::String], |a| Ok(Value::str(bcrypt(arg_str(a, 0)?)))),
    );
    // {{ htpasswd "user" "pass" }} → user:$2a$10$…
    funcs.insert(
        "htpasswd",
        Func::new(&[Param::String, Param::String], |a| {
            let user = arg_str(a, 0)?;
            if user.contains(':') {
                return Ok(Value::str(format!("invalid username: {user}")));
            }
            Ok(Value::str(format!("{user}:{}", bcrypt(arg_str(a, 1)?))))
        }),
    );
    // {{ derivePassword 1 "long" "password" "user" "example.com" }}
    funcs.insert(
        "derivePassword",
        Func::new(
            &[
                Param::Uint,
                Param::String,
                Param::String,
                Param::String,
                Param::String,
            ],
            |a| {
                let counter = match a.first() {
                    Some(Value::Uint(n, _)) => *n as u32,
                    Some(Value::Int(n, _)) => *n as u32,
                    _ => 0,
                };
                Ok(Value::str(derive_password(
                    counter,
                    arg_str(a, 1)?,
                    arg_str(a, 2)?,
                    arg_str(a, 3)?,
                    arg_str(a, 4)?,
                )))
            },
        ),
    );
    // {{ encryptAES "key" "text" | decryptAES "key" }} → text
    funcs.insert(
        "encryptAES",
        Func::new(&[Param::String, Param::String], |a| {
            Ok(Value::str(encrypt_aes(arg_str(a, 0)?, arg_str(a, 1)?)))
        }),
    );
    funcs.insert(
        "decryptAES",
        Func::new(&[Param::String, Param::String], |a| {
            decrypt_aes(arg_str(a, 0)?, arg_str(a, 1)?)
                .map(Value::str)
                .map_err(FuncError::new)
        }),
    );
    register_certs(funcs);
}

fn register_certs(funcs: &mut FuncMap) {
    let list = Param::List(ElemType::Any);
    let err = |r: Result<Value, String>| r.map_err(FuncError::new);
    // {{ genPrivateKey "ecdsa" }} → -----BEGIN EC PRIVATE KEY-----…
    funcs.insert(
        "genPrivateKey",
        Func::new(&[Param::String], |a| {
            Ok(Value::str(certs::gen_private_key(arg_str(a, 0)?)))
        }),
    );
    // {{ (genCA "my-ca" 365).Cert }}
    funcs.insert(
        "genCA",
        Func::new(&[Param::String, Param::Int], move |a| {
            err(certs::gen_ca(arg_str(a, 0)?, arg_int(a, 1)?, None))
        }),
    );
    // {{ (genCAWithKey "my-ca" 365 (genPrivateKey "ecdsa")).Key }}
    funcs.insert(
        "genCAWithKey",
        Func::new(&[Param::String, Param::Int, Param::String], move |a| {
            err(certs::gen_ca(
                arg_str(a, 0)?,
                arg_int(a, 1)?,
                Some(arg_str(a, 2)?),
            ))
        }),
    );
    // {{ (genSelfSignedCert "foo.com" (list "10.0.0.1") (list "foo.com") 365).Cert }}
    funcs.insert(
        "genSelfSignedCert",
        Func::new(&[Param::String, list, list, Param::Int], move |a| {
            err(certs::gen_self_signed(
                arg_str(a, 0)?,
                &a[1],
                &a[2],
                arg_int(a, 3)?,
                None,
            ))
        }),
    );
    funcs.insert(
        "genSelfSignedCertWithKey",
        Func::new(
            &[Param::String, list, list, Param::Int, Param::String],
            move |a| {
                err(certs::gen_self_signed(
                    arg_str(a, 0)?,
                    &a[1],
                    &a[2],
                    arg_int(a, 3)?,
                    Some(arg_str(a, 4)?),
                ))
            },
        ),
    );
    // {{ $ca := genCA "ca" 365 }}{{ (genSignedCert "foo.com" nil nil 365 $ca).Cert }}
    funcs.insert(
        "genSignedCert",
        Func::new(
            &[Param::String, list, list, Param::Int, Param::Any],
            move |a| {
                let ca = ca_arg(&a[4])?;
                err(certs::gen_signed(
                    arg_str(a, 0)?,
                    &a[1],
                    &a[2],
                    arg_int(a, 3)?,
                    ca,
                    None,
                ))
            },
        ),
    );
    funcs.insert(
        "genSignedCertWithKey",
        Func::new(
            &[
                Param::String,
                list,
                list,
                Param::Int,
                Param::Any,
                Param::String,
            ],
            move |a| {
                let ca = ca_arg(&a[4])?;
                err(certs::gen_signed(
                    arg_str(a, 0)?,
                    &a[1],
                    &a[2],
                    arg_int(a, 3)?,
                    ca,
                    Some(arg_str(a, 5)?),
                ))
            },
        ),
    );
    // {{ buildCustomCert (b64enc $certPem) (b64enc $keyPem) }}
    funcs.insert(
        "buildCustomCert",
        Func::new(&[Param::String, Param::String], move |a| {
            err(certs::build_custom(arg_str(a, 0)?, arg_str(a, 1)?))
        }),
    );
}

fn ca_arg(v: &Value) -> Result<&certs::Certificate, FuncError> {
    as_certificate(v).ok_or_else(|| {
        FuncError::new(format!(
            "wrong type for value; expected sprig.certificate; got {}",
            v.type_name()
        ))
    })
}

/// Sprig's `bcrypt`: Go's `bcrypt.GenerateFromPassword(…, 10)` (`$2a$`).
fn bcrypt(input: &str) -> String {
    // x/crypto/bcrypt refuses passwords longer than 72 bytes.
    if input.len() > 72 {
        return "failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes"
            .to_string();
    }
    match bcrypt::hash_with_result(input, 10) {
        Ok(h) => h.format_for_version(bcrypt::Version::TwoA),
        Err(e) => format!("failed to encrypt string with bcrypt: {e}"),
    }
}

const MASTER_PASSWORD_SEED: &str = "com.lyndir.masterpassword";

fn password_templates(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "maximum" => &["anoxxxxxxxxxxxxxxxxx", "axxxxxxxxxxxxxxxxxno"],
        "long" => &[
            "CvcvnoCvcvCvcv",
            "CvcvCvcvnoCvcv",
            "CvcvCvcvCvcvno",
            "CvccnoCvcvCvcv",
            "CvccCvcvnoCvcv",
            "CvccCvcvCvcvno",
            "CvcvnoCvccCvcv",
            "CvcvCvccnoCvcv",
            "CvcvCvccCvcvno",
            "CvcvnoCvcvCvcc",
            "CvcvCvcvnoCvcc",
            "CvcvCvcvCvccno",
            "CvccnoCvccCvcv",
            "CvccCvccnoCvcv",
            "CvccCvccCvcvno",
            "CvcvnoCvccCvcc",
            "CvcvCvccnoCvcc",
            "CvcvCvccCvccno",
            "CvccnoCvcvCvcc",
            "CvccCvcvnoCvcc",
            "CvccCvcvCvccno",
        ],
        "medium" => &["CvcnoCvc", "CvcCvcno"],
        "short" => &["Cvcn"],
        "basic" => &["aaanaaan", "aannaaan", "aaannaaa"],
        "pin" => &["nnnn"],
        _ => return None,
    })
}

fn template_chars(c: u8) -> &'static [u8] {
    match c {
        b'V' => b"AEIOU",
        b'C' => b"BCDFGHJKLMNPQRSTVWXYZ",
        b'v' => b"aeiou",
        b'c' => b"bcdfghjklmnpqrstvwxyz",
        b'A' => b"AEIOUBCDFGHJKLMNPQRSTVWXYZ",
        b'a' => b"AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz",
        b'n' => b"0123456789",
        b'o' => b"@&%?,=[]_:-+*$#!'^~;()/.",
        _ => b"AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()",
    }
}

/// Sprig's `derivePassword` (Master Password v?).
fn derive_password(counter: u32, kind: &str, password: &str, user: &str, site: &str) -> String {
    let Some(templates) = password_templates(kind) else {
        return format!("cannot find password template {kind}");
    };
    let mut salt = MASTER_PASSWORD_SEED.as_bytes().to_vec();
    salt.extend_from_slice(&(user.len() as u32).to_be_bytes());
    salt.extend_from_slice(user.as_bytes());
    let mut key = [0u8; 64];
    let params = match scrypt::Params::new(15, 8, 2) {
        Ok(p) => p,
        Err(e) => return format!("failed to derive password: {e}"),
    };
    if let Err(e) = scrypt::scrypt(password.as_bytes(), &salt, &params, &mut key) {
        return format!("failed to derive password: {e}");
    }
    let mut msg = MASTER_PASSWORD_SEED.as_bytes().to_vec();
    msg.extend_from_slice(&(site.len() as u32).to_be_bytes());
    msg.extend_from_slice(site.as_bytes());
    msg.extend_from_slice(&counter.to_be_bytes());
    let Ok(mut mac) = hmac::Hmac::<sha2::Sha256>::new_from_slice(&key) else {
        return "failed to derive password: hmac".to_string();
    };
    mac.update(&msg);
    let seed = mac.finalize().into_bytes();
    let template = templates[seed[0] as usize % templates.len()].as_bytes();
    template
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            let chars = template_chars(c);
            chars[seed[i + 1] as usize % chars.len()] as char
        })
        .collect()
}

fn aes_key(password: &str) -> aes::Aes256 {
    let mut key = [0u8; 32];
    let n = password.len().min(32);
    key[..n].copy_from_slice(&password.as_bytes()[..n]);
    aes::Aes256::new(&key.into())
}

/// Sprig's `encryptAES`: base64(IV ‖ AES-256-CBC(PKCS#7(plaintext))).
fn encrypt_aes(password: &str, plaintext: &str) -> String {
    if plaintext.is_empty() {
        return String::new();
    }
    let cipher = aes_key(password);
    let mut content = plaintext.as_bytes().to_vec();
    let pad = 16 - content.len() % 16;
    content.extend(std::iter::repeat_n(pad as u8, pad));
    let mut out = vec![0u8; 16];
    rand::fill(&mut out[..]);
    let mut prev: [u8; 16] = out[..16].try_into().unwrap_or([0; 16]);
    for chunk in content.chunks(16) {
        let mut block = aes::Block::default();
        for i in 0..16 {
            block[i] = chunk[i] ^ prev[i];
        }
        cipher.encrypt_block(&mut block);
        prev.copy_from_slice(&block);
        out.extend_from_slice(&block);
    }
    base64_encode(&out)
}

/// Sprig's `decryptAES`. Go panics on malformed ciphertext; the panic
/// texts are reproduced as errors.
fn decrypt_aes(password: &str, crypt64: &str) -> Result<String, String> {
    if crypt64.is_empty() {
        return Ok(String::new());
    }
    let crypt = base64_decode(crypt64)?;
    let cipher = aes_key(password);
    if crypt.len() < 16 {
        // Go's DecodeString slices a buffer of DecodedLen(len(s)) bytes.
        return Err(format!(
            "runtime error: slice bounds out of range [:16] with capacity {}",
            crypt64.len() / 4 * 3
        ));
    }
    let (iv, body) = crypt.split_at(16);
    if body.len() % 16 != 0 {
        return Err("crypto/cipher: input not full blocks".to_string());
    }
    let mut prev: [u8; 16] = iv.try_into().unwrap_or([0; 16]);
    let mut plain = Vec::with_capacity(body.len());
    for chunk in body.chunks(16) {
        let mut block = aes::Block::default();
        block.copy_from_slice(chunk);
        cipher.decrypt_block(&mut block);
        for i in 0..16 {
            plain.push(block[i] ^ prev[i]);
        }
        prev.copy_from_slice(chunk);
    }
    let Some(&last) = plain.last() else {
        return Err("runtime error: index out of range [-1]".to_string());
    };
    let keep = plain.len() as i64 - i64::from(last);
    if keep < 0 {
        return Err(format!(
            "runtime error: slice bounds out of range [:{keep}]"
        ));
    }
    plain.truncate(keep as usize);
    Ok(crate::encoding::lossy(plain))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aes_round_trip() {
        let c = encrypt_aes("secretkey", "plaintext");
        assert_eq!(decrypt_aes("secretkey", &c).unwrap(), "plaintext");
        assert_eq!(
            decrypt_aes("key", "notbase64!").unwrap_err(),
            "illegal base64 data at input byte 9"
        );
    }
}
