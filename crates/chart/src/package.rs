//! `helm package`'s archive writer (`pkg/chart/v2/util/save.go`, Helm v4.2):
//! a loaded chart back to `NAME-VERSION.tgz` bytes.
//!
//! Owns: the entry order (Chart.yaml re-marshalled, Chart.lock, values.yaml
//! raw, values.schema.json, templates, other files, then every subchart as an
//! expanded directory), the USTAR headers Go's `archive/tar` writes for
//! Helm's `tar.Header{Name, Mode: 0644, Size, ModTime}`, and the gzip header
//! (`Comment = "Helm"`, Helm's 41-byte `Extra`, MTIME 0, OS 255).
//! Does not own: loading the chart (`load`), `--version`/`--app-version`
//! overrides (the caller edits the metadata first), file placement.
//!
//! Differences from Helm: the deflate stream comes from flate2, not Go's
//! `compress/flate`, so the `.tgz` bytes differ while the tar stream inside is
//! byte-identical. Entry times are Helm v4's (each source file's mtime) and a
//! zero time (unknown) becomes `SOURCE_DATE_EPOCH` when set, else 0 rather
//! than `time.Now()`, so the same input always gives the same bytes.

use std::io::Write;

use flate2::{Compression, GzBuilder};

use crate::load::Chart;
use crate::metadata::{API_VERSION_V1, API_VERSION_V2};

/// Helm's gzip `Extra` field (v3 and v4.2): 41 raw bytes, not an RFC 1952 subfield.
pub const HELM_GZIP_EXTRA: &[u8] = b"+aHR0cHM6Ly95b3V0dS5iZS96OVV6MWljandyTQo=";

/// Why a chart could not be packaged.
#[derive(Debug, thiserror::Error)]
pub enum PackageError {
    /// Helm's `validateName`: a chart name must not contain a path.
    #[error("chart name {0:?} is not a valid file name")]
    InvalidName(String),
    /// values.schema.json is not JSON (Helm's text).
    #[error("Invalid JSON in values.schema.json")]
    InvalidSchema,
    /// A path Go would only store with a PAX header (over 255 bytes, or not ASCII).
    #[error("cannot package {0}: path is not ASCII or longer than the USTAR limits")]
    PathNotUstar(String),
    /// Chart.yaml or Chart.lock could not be marshalled.
    #[error("marshalling {0}: {1}")]
    Marshal(&'static str, String),
    /// Writing the compressed stream.
    #[error("compressing: {0}")]
    Io(#[from] std::io::Error),
}

/// `<name>-<version>.tgz`, Helm's file name for a packaged chart.
pub fn archive_name(chart: &Chart) -> String {
    format!("{}-{}.tgz", chart.metadata.name, chart.metadata.version)
}

/// The uncompressed tar stream Helm writes for `chart`.
pub fn tar_bytes(chart: &Chart) -> Result<Vec<u8>, PackageError> {
    let fallback = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or(0);
    let mut out = Vec::new();
    write_chart(&mut out, chart, "", fallback)?;
    // Go's tar.Writer.Close: two zero blocks, no padding to a record size.
    out.extend_from_slice(&[0u8; 1024]);
    Ok(out)
}

/// The `.tgz` bytes for `chart` (tar stream of [`tar_bytes`], Helm's gzip header).
pub fn archive_bytes(chart: &Chart) -> Result<Vec<u8>, PackageError> {
    let tar = tar_bytes(chart)?;
    let mut gz = GzBuilder::new()
        .extra(HELM_GZIP_EXTRA.to_vec())
        .comment("Helm")
        .mtime(0)
        .operating_system(255)
        .write(Vec::new(), Compression::default());
    gz.write_all(&tar)?;
    Ok(gz.finish()?)
}

fn write_chart(
    out: &mut Vec<u8>,
    chart: &Chart,
    prefix: &str,
    fallback: i64,
) -> Result<(), PackageError> {
    let name = &chart.metadata.name;
    if name.is_empty() || name.contains('/') || name == "." || name == ".." {
        return Err(PackageError::InvalidName(name.clone()));
    }
    let base = format!("{prefix}{name}");
    let time = |t: i64| if t == 0 { fallback } else { t };

    // Chart.yaml through sigs.k8s.io/yaml; v1 charts keep their dependencies
    // in requirements.yaml, so Helm blanks them for this marshal.
    let mut meta = chart.metadata.clone();
    if meta.api_version == API_VERSION_V1 {
        meta.dependencies.clear();
    }
    let chart_yaml = marshal("Chart.yaml", &meta.to_json_data())?;
    entry(
        out,
        &format!("{base}/Chart.yaml"),
        &chart_yaml,
        time(chart.mod_time),
    )?;

    if chart.metadata.api_version == API_VERSION_V2
        && let Some(lock) = &chart.lock
    {
        let data = marshal("Chart.lock", &lock.to_json_data())?;
        let t = parse_rfc3339(&lock.generated).unwrap_or(0);
        entry(out, &format!("{base}/Chart.lock"), &data, time(t))?;
    }
    if let Some(raw) = &chart.raw_values {
        entry(
            out,
            &format!("{base}/values.yaml"),
            raw.as_bytes(),
            time(chart.values_mod_time),
        )?;
    }
    if let Some(schema) = &chart.schema {
        if serde_json::from_slice::<serde_json::Value>(schema).is_err() {
            return Err(PackageError::InvalidSchema);
        }
        entry(
            out,
            &format!("{base}/values.schema.json"),
            schema,
            time(chart.schema_mod_time),
        )?;
    }
    for f in chart.templates.iter().chain(&chart.files) {
        entry(
            out,
            &format!("{base}/{}", f.name),
            &f.data,
            time(f.mod_time),
        )?;
    }
    for dep in &chart.dependencies {
        write_chart(out, dep, &format!("{base}/charts/"), fallback)?;
    }
    Ok(())
}

/// sigs.k8s.io/yaml `Marshal`: JSON field names, keys sorted, a final newline.
fn marshal(what: &'static str, d: &origan_yaml::Data) -> Result<Vec<u8>, PackageError> {
    let mut s = origan_yaml::to_yaml(d).map_err(|e| PackageError::Marshal(what, e.to_string()))?;
    s.push('\n');
    Ok(s.into_bytes())
}

/// One regular-file entry as Go's `tar.Writer` writes Helm's header in USTAR
/// format: octal fields zero-padded with a NUL, uid/gid 0, no user names,
/// `ustar\0` + `00`, device numbers written as zeros.
fn entry(out: &mut Vec<u8>, path: &str, data: &[u8], mtime: i64) -> Result<(), PackageError> {
    let (prefix, name) =
        split_ustar(path).ok_or_else(|| PackageError::PathNotUstar(path.into()))?;
    let mut h = [0u8; 512];
    h[..name.len()].copy_from_slice(name.as_bytes());
    octal(&mut h[100..108], 0o644);
    octal(&mut h[108..116], 0);
    octal(&mut h[116..124], 0);
    octal(&mut h[124..136], data.len() as u64);
    octal(&mut h[136..148], mtime.max(0) as u64);
    h[156] = b'0';
    h[257..263].copy_from_slice(b"ustar\0");
    h[263..265].copy_from_slice(b"00");
    octal(&mut h[329..337], 0);
    octal(&mut h[337..345], 0);
    h[345..345 + prefix.len()].copy_from_slice(prefix.as_bytes());
    // The checksum is computed with its own field as spaces, then written
    // as six octal digits, NUL, space.
    h[148..156].copy_from_slice(b"        ");
    let sum: u32 = h.iter().map(|&b| u32::from(b)).sum();
    let digits = format!("{sum:06o}\0 ");
    h[148..156].copy_from_slice(digits.as_bytes());
    out.extend_from_slice(&h);
    out.extend_from_slice(data);
    let pad = (512 - data.len() % 512) % 512;
    out.extend(std::iter::repeat_n(0u8, pad));
    Ok(())
}

/// Writes `v` as zero-padded octal filling all but the last byte (NUL).
fn octal(field: &mut [u8], v: u64) {
    let width = field.len() - 1;
    let s = format!("{v:0width$o}");
    field[..width].copy_from_slice(&s.as_bytes()[s.len() - width..]);
    field[width] = 0;
}

/// Go's `splitUSTARPath`: the whole name when it fits 100 bytes, else a
/// prefix (≤ 155) and name (≤ 100) split at a `/`. `None` when neither fits
/// or the path is not ASCII (Go would switch to a PAX header).
fn split_ustar(path: &str) -> Option<(&str, &str)> {
    if !path.is_ascii() {
        return None;
    }
    if path.len() <= 100 {
        return Some(("", path));
    }
    let len = path.len();
    let mut i = len.min(156) - 1;
    loop {
        if path.as_bytes()[i] == b'/' {
            break;
        }
        if i == 0 {
            return None;
        }
        i -= 1;
    }
    let (prefix, name) = (&path[..i], &path[i + 1..]);
    if i == 0 || name.is_empty() || name.len() > 100 || prefix.len() > 155 {
        return None;
    }
    Some((prefix, name))
}

/// `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)` to Unix seconds (Chart.lock's
/// `generated`, which Helm v4 uses as the entry time).
fn parse_rfc3339(s: &str) -> Option<i64> {
    let s = s.trim();
    let b = s.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    let num = |r: std::ops::Range<usize>| s.get(r)?.parse::<i64>().ok();
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, sec) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let mut rest = &s[19..];
    if let Some(r) = rest.strip_prefix('.') {
        rest = r.trim_start_matches(|c: char| c.is_ascii_digit());
    }
    let offset = match rest {
        "Z" | "z" => 0,
        o if o.len() == 6 => {
            let sign = if o.starts_with('-') { -1 } else { 1 };
            sign * (o[1..3].parse::<i64>().ok()? * 3600 + o[4..6].parse::<i64>().ok()? * 60)
        }
        _ => return None,
    };
    // Days from civil (Howard Hinnant's algorithm).
    let y = if mo <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (mo + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400 + h * 3600 + mi * 60 + sec - offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339() {
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(
            parse_rfc3339("2022-01-02T03:04:05.123+01:00"),
            Some(1_641_092_645 - 3600)
        );
        assert_eq!(parse_rfc3339("garbage"), None);
    }

    #[test]
    fn ustar_split() {
        assert_eq!(split_ustar("a/b"), Some(("", "a/b")));
        let long = format!("{}/{}", "d".repeat(120), "f".repeat(50));
        assert_eq!(split_ustar(&long).map(|p| p.0.len()), Some(120));
        assert_eq!(split_ustar("é"), None);
        assert_eq!(split_ustar(&"x".repeat(300)), None);
    }

    #[test]
    fn header_checksum_is_valid() {
        let mut out = Vec::new();
        entry(&mut out, "c/Chart.yaml", b"name: c\n", 1).unwrap();
        let h = &out[..512];
        let mut sum: u32 = h.iter().map(|&b| u32::from(b)).sum();
        sum -= h[148..156].iter().map(|&b| u32::from(b)).sum::<u32>();
        sum += 8 * u32::from(b' ');
        let stored = u32::from_str_radix(std::str::from_utf8(&h[148..154]).unwrap(), 8).unwrap();
        assert_eq!(sum, stored);
        assert_eq!(out.len(), 1024);
    }
}
