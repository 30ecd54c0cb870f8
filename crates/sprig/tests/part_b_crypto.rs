//! Properties of Sprig's nondeterministic crypto output that Helm's cannot
//! be compared with byte for byte: keys come in the PEM formats Go writes
//! (PKCS#1 RSA 4096, SEC1 P-256 with curve and public key, PKCS#8 Ed25519)
//! and parse back; certificates carry Sprig's template (CN, SANs, CA
//! flag, key usages, validity) and signed ones name their CA as issuer.

use origan_gotmpl::{FuncMap, MissingKey, Options, Templates, Value};
use x509_parser::prelude::*;

fn render(template: &str) -> String {
    let mut funcs = FuncMap::new();
    origan_sprig::register(&mut funcs);
    let mut set = Templates::new("gotpl", funcs);
    set.set_options(Options {
        missing_key: MissingKey::Zero,
        ..Options::default()
    });
    set.parse("t", template).expect("parses");
    set.execute("t", &Value::Nil).expect("renders")
}

/// The DER of the one PEM block of `kind` in `text`.
fn pem_der(text: &str, kind: &str) -> Vec<u8> {
    let begin = format!("-----BEGIN {kind}-----\n");
    let end = format!("-----END {kind}-----\n");
    assert!(text.starts_with(&begin), "{kind} PEM expected: {text}");
    assert!(text.ends_with(&end), "PEM ends with a newline: {text:?}");
    let body = &text[begin.len()..text.len() - end.len()];
    assert!(body.lines().all(|l| l.len() <= 64), "64-column lines");
    let (_, pem) = x509_parser::pem::parse_x509_pem(text.as_bytes()).expect("PEM");
    pem.contents
}

#[test]
fn private_keys_use_go_pem_formats() {
    let ec = pem_der(&render(r#"{{ genPrivateKey "ecdsa" }}"#), "EC PRIVATE KEY");
    // SEC1 v1 with the prime256v1 OID and a 65-byte public point.
    assert_eq!(&ec[..7], &[0x30, 0x77, 0x02, 0x01, 0x01, 0x04, 0x20]);
    let oid = [0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
    assert!(ec.windows(oid.len()).any(|w| w == oid));
    assert_eq!(ec.len(), 121);

    let ed = pem_der(&render(r#"{{ genPrivateKey "ed25519" }}"#), "PRIVATE KEY");
    assert_eq!(ed.len(), 48, "Go's PKCS#8 v1 Ed25519 encoding");

    let rsa = pem_der(&render(r#"{{ genPrivateKey "rsa" }}"#), "RSA PRIVATE KEY");
    // PKCS#1: SEQUENCE { INTEGER 0, INTEGER n (4096-bit) ... }
    assert_eq!(&rsa[4..7], &[0x02, 0x01, 0x00]);
    assert_eq!(&rsa[7..10], &[0x02, 0x82, 0x02]);
}

#[test]
fn ca_and_signed_certificates() {
    let out = render(
        r#"{{ $ca := genCA "my-ca" 10 }}{{ $c := genSignedCert "svc" (list "10.0.0.1") (list "svc.ns") 5 $ca }}{{ $ca.Cert }}|{{ $ca.Key }}|{{ $c.Cert }}|{{ $c.Key }}"#,
    );
    let parts: Vec<&str> = out.split('|').collect();
    let ca_der = pem_der(parts[0], "CERTIFICATE");
    pem_der(parts[1], "RSA PRIVATE KEY");
    let leaf_der = pem_der(parts[2], "CERTIFICATE");
    pem_der(parts[3], "RSA PRIVATE KEY");

    let (_, ca) = X509Certificate::from_der(&ca_der).expect("CA parses");
    assert!(ca.is_ca());
    assert_eq!(ca.subject().to_string(), "CN=my-ca");
    let ku = ca.key_usage().expect("ku").expect("present").value;
    assert!(ku.key_cert_sign() && ku.digital_signature() && ku.key_encipherment());
    let days = (ca.validity().not_after.timestamp() - ca.validity().not_before.timestamp()) / 86400;
    assert_eq!(days, 10);

    let (_, leaf) = X509Certificate::from_der(&leaf_der).expect("leaf parses");
    assert!(!leaf.is_ca());
    assert_eq!(leaf.issuer().to_string(), "CN=my-ca");
    assert_eq!(leaf.subject().to_string(), "CN=svc");
    let san = leaf
        .subject_alternative_name()
        .expect("san")
        .expect("present")
        .value;
    let names: Vec<String> = san.general_names.iter().map(|n| n.to_string()).collect();
    assert_eq!(names, ["DNSName(svc.ns)", "IPAddress(0a:00:00:01)"]);
    let eku = leaf
        .extended_key_usage()
        .expect("eku")
        .expect("present")
        .value;
    assert!(eku.server_auth && eku.client_auth);
    assert!(leaf.tbs_certificate.serial.bits() <= 128);
}

#[test]
fn keys_given_as_pem_are_used_and_custom_certs_rebuild() {
    let out = render(
        r#"{{ $k := genPrivateKey "ecdsa" }}{{ $ca := genCAWithKey "k" 1 $k }}{{ eq $ca.Key $k }}|{{ $s := genSelfSignedCertWithKey "s" nil nil 1 $k }}{{ eq $s.Key $k }}|{{ $c := buildCustomCert ($s.Cert | b64enc) ($s.Key | b64enc) }}{{ eq $c.Cert $s.Cert }}|{{ $x := genSignedCertWithKey "x" nil nil 1 $ca (genPrivateKey "ed25519") }}{{ $x.Key | hasPrefix "-----BEGIN PRIVATE KEY-----" }}"#,
    );
    assert_eq!(out, "true|true|true|true");
}

/// DSA parameter generation is slow unoptimized; the root Cargo.toml builds
/// the bignum crates with opt-level 3 even in the dev profile.
#[test]
fn dsa_keys_use_sprig_asn1_format() {
    let der = pem_der(&render(r#"{{ genPrivateKey "dsa" }}"#), "DSA PRIVATE KEY");
    // SEQUENCE { INTEGER 0, P (2048 bits), Q (256 bits), G, Y, X }
    let (_, obj) = x509_parser::der_parser::parse_der(&der).expect("DER");
    let items = obj.as_sequence().expect("sequence");
    assert_eq!(items.len(), 6);
    let bits = |i: usize| {
        let b = items[i].as_slice().expect("integer");
        let b: Vec<u8> = b.iter().copied().skip_while(|&x| x == 0).collect();
        b.len() * 8 - b[0].leading_zeros() as usize
    };
    assert_eq!(items[0].as_u32().expect("version"), 0);
    assert_eq!(bits(1), 2048);
    assert_eq!(bits(2), 256);
}
