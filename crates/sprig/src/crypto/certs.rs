//! Sprig's key and certificate generators: `genPrivateKey`, `genCA`,
//! `genCAWithKey`, `genSelfSignedCert(WithKey)`, `genSignedCert(WithKey)`,
//! `buildCustomCert`, and the `sprig.certificate` object (`.Cert`, `.Key`).
//!
//! Owns Sprig's certificate template (random 128-bit serial, CN-only
//! subject, IP and DNS SANs, now … now+days, key encipherment + digital
//! signature (+ cert sign for CAs), server+client auth, basic constraints)
//! and Go's PEM key formats: `RSA PRIVATE KEY` (PKCS#1), `EC PRIVATE KEY`
//! (SEC1 with curve and public key) and `PRIVATE KEY` (PKCS#8) for
//! Ed25519, Sprig's ASN.1 sequence for `DSA PRIVATE KEY`. Keys and
//! signatures come from rcgen on aws-lc-rs; DSA keys from RustCrypto `dsa`
//! (only generated: Go cannot sign certificates with DSA either).

use std::any::Any;
use std::net::IpAddr;
use std::rc::Rc;

use origan_gotmpl::{Object, Value};
use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose, PKCS_ECDSA_P256_SHA256, PKCS_ED25519, PKCS_RSA_SHA256,
    RsaKeySize, SanType, SerialNumber,
};
use rustls_pki_types::{PrivateKeyDer, PrivatePkcs1KeyDer, PrivatePkcs8KeyDer, PrivateSec1KeyDer};

use super::der::{pem_decode, pem_encode, pkcs8_ed25519, pkcs8_inner, sec1_p256, sec1_scalar};
use crate::encoding::base64_decode;

/// Sprig's `certificate` struct.
pub struct Certificate {
    /// PEM certificate.
    pub cert: String,
    /// PEM private key.
    pub key: String,
}

impl Object for Certificate {
    fn type_name(&self) -> String {
        "sprig.certificate".to_string()
    }
    fn member(&self, name: &str, _args: &[Value]) -> Option<Result<Value, String>> {
        match name {
            "Cert" => Some(Ok(Value::str(self.cert.as_str()))),
            "Key" => Some(Ok(Value::str(self.key.as_str()))),
            _ => None,
        }
    }
    fn is_method(&self, _name: &str) -> bool {
        false
    }
    fn template_string(&self) -> String {
        format!("{{{} {}}}", self.cert, self.key)
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

impl Certificate {
    fn value(self) -> Value {
        Value::Object(Rc::new(self))
    }
}

/// The certificate inside a value (the `ca` argument of `genSignedCert`).
pub(crate) fn as_certificate(v: &Value) -> Option<&Certificate> {
    match v {
        Value::Object(o) => o.as_any().downcast_ref::<Certificate>(),
        _ => None,
    }
}

/// A key pair and how Go would write it as PEM.
struct Key {
    pair: KeyPair,
    pem: String,
}

fn rsa_key(bits: RsaKeySize) -> Result<Key, String> {
    let pair = KeyPair::generate_rsa_for(&PKCS_RSA_SHA256, bits)
        .map_err(|e| format!("error generating rsa key: {e}"))?;
    let pkcs1 = pkcs8_inner(pair.serialized_der())
        .ok_or("error generating rsa key: bad PKCS#8")?
        .to_vec();
    Ok(Key {
        pair,
        pem: pem_encode("RSA PRIVATE KEY", &pkcs1),
    })
}

fn ecdsa_key() -> Result<Key, String> {
    let pair = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256).map_err(|e| e.to_string())?;
    let inner = pkcs8_inner(pair.serialized_der()).ok_or("bad PKCS#8")?;
    let scalar = sec1_scalar(inner).ok_or("bad SEC1")?;
    let sec1 = sec1_p256(scalar, pair.public_key_raw());
    Ok(Key {
        pem: pem_encode("EC PRIVATE KEY", &sec1),
        pair,
    })
}

fn ed25519_key() -> Result<Key, String> {
    let pair = KeyPair::generate_for(&PKCS_ED25519).map_err(|e| e.to_string())?;
    let inner = pkcs8_inner(pair.serialized_der()).ok_or("bad PKCS#8")?;
    let seed = super::der::read_tlv(inner)
        .map(|(_, s, _)| s)
        .ok_or("bad key")?;
    Ok(Key {
        pem: pem_encode("PRIVATE KEY", &pkcs8_ed25519(seed)),
        pair,
    })
}

/// Go's DSA key (Sprig's `DSAKeyFormat`): SEQUENCE { 0, P, Q, G, Y, X },
/// L=2048 N=256 parameters, as `DSA PRIVATE KEY`.
fn dsa_key() -> String {
    let mut rng = rand::rng();
    let Ok(components) =
        dsa::Components::try_generate_from_rng_with_key_size(&mut rng, dsa::KeySize::DSA_2048_256);
    let Ok(key) = dsa::SigningKey::try_generate_from_rng_with_components(&mut rng, components);
    let vk = key.verifying_key();
    let c = vk.components();
    let mut body = super::der::tlv(0x02, &[0]);
    for n in [
        c.p().as_ref(),
        c.q().as_ref(),
        c.g().as_ref(),
        vk.y().as_ref(),
        key.x().as_ref(),
    ] {
        body.extend(super::der::der_uint(&n.to_be_bytes()));
    }
    pem_encode("DSA PRIVATE KEY", &super::der::tlv(0x30, &body))
}

/// Sprig's `genPrivateKey`: errors are returned as the result text.
pub(crate) fn gen_private_key(typ: &str) -> String {
    let key = match typ {
        "" | "rsa" => rsa_key(RsaKeySize::_4096),
        "ecdsa" => ecdsa_key(),
        "ed25519" => ed25519_key(),
        "dsa" => return dsa_key(),
        _ => return format!("Unknown type {typ}"),
    };
    match key {
        Ok(k) => k.pem,
        Err(e) => format!("failed to generate private key: {e}"),
    }
}

/// Go's `parsePrivateKeyPEM` (Sprig), keeping the PEM text as given.
fn parse_private_key_pem(pem: &str) -> Result<Key, String> {
    let block = pem_decode(pem).ok_or("no PEM data in input")?;
    let der = block.der;
    let parsed = if block.kind == "PRIVATE KEY" {
        KeyPair::try_from(&PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(der)))
            .map_err(|e| format!("decoding PEM as PKCS#8: {e}"))?
    } else if let Some(kind) = block.kind.strip_suffix(" PRIVATE KEY") {
        match kind {
            "RSA" => KeyPair::try_from(&PrivateKeyDer::Pkcs1(PrivatePkcs1KeyDer::from(der)))
                .map_err(|e| format!("parsing RSA private key from PEM: {e}"))?,
            "EC" => KeyPair::try_from(&PrivateKeyDer::Sec1(PrivateSec1KeyDer::from(der)))
                .map_err(|e| format!("parsing EC private key from PEM: {e}"))?,
            "DSA" => return Err("parsing DSA private key from PEM: DSA is not supported".into()),
            _ => return Err(format!("invalid private key type {}", block.kind)),
        }
    } else {
        return Err(format!(
            "no private key data in PEM block of type {}",
            block.kind
        ));
    };
    Ok(Key {
        pair: parsed,
        pem: pem.to_string(),
    })
}

/// Go's `getNetIPs` / `getAlternateDNSStrs`: lists of strings, nil = none.
fn string_items(v: &Value, what: &str) -> Result<Vec<String>, String> {
    match v {
        Value::Nil => Ok(Vec::new()),
        Value::List(l) => l
            .items
            .iter()
            .map(|item| match item {
                Value::String(s) => Ok(s.to_string()),
                other => Err(format!(
                    "{what}: {} is not a string",
                    origan_gotmpl::fmt::format_value(other)
                )),
            })
            .collect(),
        other => Err(format!("{what}: {} is not a list", other.type_name())),
    }
}

/// Sprig's `getBaseCertTemplate`.
fn base_params(cn: &str, ips: &Value, dns: &Value, days: i64) -> Result<CertificateParams, String> {
    let mut ip_sans = Vec::new();
    for ip in string_items(ips, "error parsing ip")? {
        let addr: IpAddr = ip.parse().map_err(|_| format!("error parsing ip: {ip}"))?;
        ip_sans.push(SanType::IpAddress(addr));
    }
    // Go's x509 writes DNS names before IP addresses.
    let mut sans = Vec::new();
    for name in string_items(dns, "error processing alternate dns name")? {
        let ia5 = name
            .as_str()
            .try_into()
            .map_err(|_| format!("error creating certificate: invalid dns name {name}"))?;
        sans.push(SanType::DnsName(ia5));
    }
    sans.extend(ip_sans);
    let mut serial = [0u8; 16];
    rand::fill(&mut serial[..]);
    let now = time::OffsetDateTime::now_utc();
    let mut params = CertificateParams::default();
    let mut dn = DistinguishedName::new();
    if !cn.is_empty() {
        dn.push(DnType::CommonName, cn);
    }
    params.distinguished_name = dn;
    params.serial_number = Some(SerialNumber::from_slice(&serial));
    params.subject_alt_names = sans;
    params.not_before = now;
    params.not_after = now + time::Duration::hours(24 * days);
    params.key_usages = vec![
        KeyUsagePurpose::KeyEncipherment,
        KeyUsagePurpose::DigitalSignature,
    ];
    params.extended_key_usages = vec![
        ExtendedKeyUsagePurpose::ServerAuth,
        ExtendedKeyUsagePurpose::ClientAuth,
    ];
    params.is_ca = IsCa::ExplicitNoCa;
    Ok(params)
}

fn self_signed(params: CertificateParams, key: Key) -> Result<Value, String> {
    let cert = params
        .self_signed(&key.pair)
        .map_err(|e| format!("error creating certificate: {e}"))?;
    Ok(Certificate {
        cert: pem_encode("CERTIFICATE", cert.der()),
        key: key.pem,
    }
    .value())
}

fn generated_or(key: Option<&str>) -> Result<Key, String> {
    match key {
        None => rsa_key(RsaKeySize::_2048),
        Some(pem) => parse_private_key_pem(pem).map_err(|e| format!("parsing private key: {e}")),
    }
}

/// `genCA cn days` / `genCAWithKey cn days key`.
pub(crate) fn gen_ca(cn: &str, days: i64, key: Option<&str>) -> Result<Value, String> {
    let key = generated_or(key)?;
    let mut params = base_params(cn, &Value::Nil, &Value::Nil, days)?;
    params.key_usages = vec![
        KeyUsagePurpose::KeyEncipherment,
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyCertSign,
    ];
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    self_signed(params, key)
}

/// `genSelfSignedCert cn ips dns days` (and `…WithKey`).
pub(crate) fn gen_self_signed(
    cn: &str,
    ips: &Value,
    dns: &Value,
    days: i64,
    key: Option<&str>,
) -> Result<Value, String> {
    let key = generated_or(key)?;
    self_signed(base_params(cn, ips, dns, days)?, key)
}

/// `genSignedCert cn ips dns days ca` (and `…WithKey`).
pub(crate) fn gen_signed(
    cn: &str,
    ips: &Value,
    dns: &Value,
    days: i64,
    ca: &Certificate,
    key: Option<&str>,
) -> Result<Value, String> {
    let key = generated_or(key)?;
    let signer_block = pem_decode(&ca.cert)
        .filter(|b| b.kind == "CERTIFICATE" || !b.der.is_empty())
        .ok_or("unable to decode certificate")?;
    x509_parser::parse_x509_certificate(&signer_block.der)
        .map_err(|e| format!("error parsing certificate: decodedSignerCert.Bytes: {e}"))?;
    let signer_key =
        parse_private_key_pem(&ca.key).map_err(|e| format!("error parsing private key: {e}"))?;
    let params = base_params(cn, ips, dns, days)?;
    let issuer = Issuer::from_ca_cert_der(&signer_block.der.into(), signer_key.pair)
        .map_err(|e| format!("error creating certificate: {e}"))?;
    let cert = params
        .signed_by(&key.pair, &issuer)
        .map_err(|e| format!("error creating certificate: {e}"))?;
    Ok(Certificate {
        cert: pem_encode("CERTIFICATE", cert.der()),
        key: key.pem,
    }
    .value())
}

/// `buildCustomCert b64cert b64key`.
pub(crate) fn build_custom(b64cert: &str, b64key: &str) -> Result<Value, String> {
    let cert = base64_decode(b64cert).map_err(|_| "unable to decode base64 certificate")?;
    let key = base64_decode(b64key).map_err(|_| "unable to decode base64 private key")?;
    let cert = String::from_utf8_lossy(&cert).into_owned();
    let key = String::from_utf8_lossy(&key).into_owned();
    let block = pem_decode(&cert).ok_or("unable to decode certificate")?;
    x509_parser::parse_x509_certificate(&block.der)
        .map_err(|e| format!("error parsing certificate: decodedCert.Bytes: {e}"))?;
    parse_private_key_pem(&key).map_err(|e| format!("error parsing private key: {e}"))?;
    Ok(Certificate { cert, key }.value())
}
