//! Minimal DER and PEM helpers for the key formats Go's `crypto/x509` and
//! `encoding/pem` write: PEM blocks with 64-column base64 and `\n` line
//! ends, and the few ASN.1 structures needed to turn a PKCS#8 key into
//! PKCS#1 (`RSA PRIVATE KEY`) or SEC1 (`EC PRIVATE KEY`).
//!
//! Does not own key generation or certificates (see `certs`).

use crate::encoding::{base64_decode, base64_encode};

/// One TLV: (tag, content, rest).
pub(crate) fn read_tlv(b: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let tag = *b.first()?;
    let first = *b.get(1)?;
    let (len, hdr) = if first < 0x80 {
        (first as usize, 2)
    } else {
        let n = (first & 0x7f) as usize;
        if n == 0 || n > 4 {
            return None;
        }
        let mut len = 0usize;
        for i in 0..n {
            len = (len << 8) | *b.get(2 + i)? as usize;
        }
        (len, 2 + n)
    };
    let content = b.get(hdr..hdr + len)?;
    Some((tag, content, &b[hdr + len..]))
}

/// Encodes one TLV.
pub(crate) fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes: Vec<u8> = len
            .to_be_bytes()
            .iter()
            .copied()
            .skip_while(|&x| x == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend_from_slice(&bytes);
    }
    out.extend_from_slice(content);
    out
}

/// A DER INTEGER from unsigned big-endian bytes (minimal, with a 0x00
/// prefix when the top bit is set).
pub(crate) fn der_uint(be: &[u8]) -> Vec<u8> {
    let trimmed: Vec<u8> = be.iter().copied().skip_while(|&b| b == 0).collect();
    let mut content = Vec::with_capacity(trimmed.len() + 1);
    if trimmed.first().is_none_or(|&b| b >= 0x80) {
        content.push(0);
    }
    content.extend(trimmed);
    tlv(0x02, &content)
}

/// The `privateKey` OCTET STRING of a PKCS#8 `PrivateKeyInfo`.
pub(crate) fn pkcs8_inner(pkcs8: &[u8]) -> Option<&[u8]> {
    let (_, seq, _) = read_tlv(pkcs8)?;
    let (_, _version, rest) = read_tlv(seq)?;
    let (_, _alg, rest) = read_tlv(rest)?;
    let (tag, key, _) = read_tlv(rest)?;
    (tag == 0x04).then_some(key)
}

/// The private scalar of a SEC1 `ECPrivateKey`.
pub(crate) fn sec1_scalar(sec1: &[u8]) -> Option<&[u8]> {
    let (_, seq, _) = read_tlv(sec1)?;
    let (_, _version, rest) = read_tlv(seq)?;
    let (tag, key, _) = read_tlv(rest)?;
    (tag == 0x04).then_some(key)
}

/// Go's `x509.MarshalECPrivateKey` for P-256: version 1, the scalar, the
/// named curve and the public point.
pub(crate) fn sec1_p256(scalar: &[u8], public_point: &[u8]) -> Vec<u8> {
    const P256_OID: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
    let mut padded = vec![0u8; 32usize.saturating_sub(scalar.len())];
    padded.extend_from_slice(scalar);
    let mut bits = vec![0u8];
    bits.extend_from_slice(public_point);
    let mut body = tlv(0x02, &[1]);
    body.extend(tlv(0x04, &padded));
    body.extend(tlv(0xa0, &tlv(0x06, P256_OID)));
    body.extend(tlv(0xa1, &tlv(0x03, &bits)));
    tlv(0x30, &body)
}

/// Go's `x509.MarshalPKCS8PrivateKey` for an Ed25519 seed (version 0, no
/// public key).
pub(crate) fn pkcs8_ed25519(seed: &[u8]) -> Vec<u8> {
    let mut body = tlv(0x02, &[0]);
    body.extend(tlv(0x30, &tlv(0x06, &[0x2b, 0x65, 0x70])));
    body.extend(tlv(0x04, &tlv(0x04, seed)));
    tlv(0x30, &body)
}

/// Go's `pem.EncodeToMemory`.
pub(crate) fn pem_encode(kind: &str, der: &[u8]) -> String {
    let b64 = base64_encode(der);
    let mut out = format!("-----BEGIN {kind}-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(chunk).unwrap_or(""));
        out.push('\n');
    }
    out.push_str(&format!("-----END {kind}-----\n"));
    out
}

/// A PEM block: its type and decoded bytes.
pub(crate) struct PemBlock {
    pub kind: String,
    pub der: Vec<u8>,
}

/// The first PEM block in `data`, roughly as Go's `pem.Decode` finds it
/// (headers such as `Proc-Type:` are skipped).
pub(crate) fn pem_decode(data: &str) -> Option<PemBlock> {
    let mut rest = data;
    loop {
        let start = rest.find("-----BEGIN ")?;
        let after = &rest[start + 11..];
        let type_end = after.find("-----")?;
        let kind = &after[..type_end];
        let body_start = &after[type_end + 5..];
        let end_marker = format!("-----END {kind}-----");
        if kind.contains('\n') {
            rest = after;
            continue;
        }
        let Some(end) = body_start.find(&end_marker) else {
            rest = after;
            continue;
        };
        let body = &body_start[..end];
        let b64: String = body
            .lines()
            .filter(|l| !l.contains(':'))
            .flat_map(|l| l.chars())
            .filter(|c| !c.is_whitespace())
            .collect();
        match base64_decode(&b64) {
            Ok(der) => {
                return Some(PemBlock {
                    kind: kind.to_string(),
                    der,
                });
            }
            Err(_) => rest = after,
        }
    }
}
