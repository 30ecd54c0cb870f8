//! Helm's record encoding (`pkg/storage/driver/util.go`): JSON, gzip at best
//! compression, standard base64; decoding also accepts uncompressed JSON
//! (legacy records).

use std::io::{Read, Write};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use flate2::Compression;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;

use super::Release;

/// Gzip's magic: Helm checks these three bytes to tell gzip from raw JSON.
const GZIP_MAGIC: [u8; 3] = [0x1f, 0x8b, 0x08];

/// A record that could not be encoded or decoded.
#[derive(Debug, thiserror::Error)]
pub enum CodecError {
    /// Not base64.
    #[error("release record is not base64: {0}")]
    Base64(#[from] base64::DecodeError),
    /// Bad gzip stream.
    #[error("release record is not valid gzip: {0}")]
    Gzip(#[from] std::io::Error),
    /// Bad JSON.
    #[error("release record is not valid JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// Larger than any release record Kubernetes can hold.
    #[error("release record decompresses to more than {0} bytes")]
    TooLarge(u64),
}

/// A Secret holds at most 1 MiB; a record that inflates past this is hostile.
const MAX_DECODED: u64 = 256 << 20;

/// `encodeRelease`.
pub fn encode(rel: &Release) -> Result<String, CodecError> {
    let json = serde_json::to_vec(rel)?;
    let mut gz = GzEncoder::new(Vec::new(), Compression::best());
    gz.write_all(&json)?;
    Ok(STANDARD.encode(gz.finish()?))
}

/// `decodeRelease`.
pub fn decode(data: &str) -> Result<Release, CodecError> {
    let bytes = STANDARD.decode(data.trim())?;
    let json = if bytes.starts_with(&GZIP_MAGIC) {
        let mut out = Vec::new();
        GzDecoder::new(bytes.as_slice())
            .take(MAX_DECODED + 1)
            .read_to_end(&mut out)?;
        if out.len() as u64 > MAX_DECODED {
            return Err(CodecError::TooLarge(MAX_DECODED));
        }
        out
    } else {
        bytes
    };
    Ok(serde_json::from_slice(&json)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::release::Status;

    #[test]
    fn round_trip_and_legacy_plain_json() {
        let mut rel = Release {
            name: "web".into(),
            version: 2,
            namespace: "ns".into(),
            ..Release::default()
        };
        rel.info.status = Status::Deployed;
        let enc = encode(&rel).unwrap();
        assert_eq!(decode(&enc).unwrap(), rel);
        let plain = STANDARD.encode(serde_json::to_vec(&rel).unwrap());
        assert_eq!(decode(&plain).unwrap(), rel);
    }

    #[test]
    fn field_names_and_order_are_helms() {
        let mut rel = Release {
            name: "web".into(),
            version: 1,
            namespace: "ns".into(),
            ..Release::default()
        };
        rel.info.status = Status::PendingInstall;
        let json = serde_json::to_string(&rel).unwrap();
        assert_eq!(
            json,
            r#"{"name":"web","info":{"status":"pending-install"},"version":1,"namespace":"ns"}"#
        );
    }
}
