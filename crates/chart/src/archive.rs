//! Reading a chart `.tgz` into memory, with Helm's path and size checks.
//!
//! Owns: Helm's `LoadArchiveFiles` (pkg/chart/loader/archive/archive.go): gzip →
//! tar, first path component stripped, absolute / parent / drive paths refused,
//! `MaxDecompressedChartSize` and `MaxDecompressedFileSize`, BOM stripping, and the
//! gzip sniffing of `EnsureArchive`. Does not own: classifying files into a chart
//! (`load`), directory loading (`dir`).
//!
//! Differences from Helm, all on the safe side:
//! * symlink, hard-link, device and FIFO entries are refused (Helm reads them as
//!   empty files);
//! * the number of entries is capped ([`Limits::max_entries`]); Helm has no cap;
//! * the whole decompressed stream (headers and skipped entries included) is capped
//!   at twice the chart limit, so directory entries claiming data cannot be used to
//!   burn CPU;
//! * the archive is validated in a first streaming pass that keeps nothing, so a
//!   bomb is refused with bounded memory; only then are the files collected.

use flate2::read::MultiGzDecoder;

use crate::tar::{Kind, TarError, TarReader};

/// Helm's `MaxDecompressedChartSize` (100 MiB).
pub const MAX_DECOMPRESSED_CHART_SIZE: u64 = 100 * 1024 * 1024;
/// Helm's `MaxDecompressedFileSize` (5 MiB).
pub const MAX_DECOMPRESSED_FILE_SIZE: u64 = 5 * 1024 * 1024;
/// origanctl's own cap on archive entries (Helm has none).
pub const MAX_ENTRIES: usize = 10_000;

/// Limits applied while loading; the defaults are Helm's plus origanctl's extra caps.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_chart_size: u64,
    pub max_file_size: u64,
    pub max_entries: usize,
    /// How deep `charts/*.tgz` inside `charts/*.tgz` may nest.
    pub max_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_chart_size: MAX_DECOMPRESSED_CHART_SIZE,
            max_file_size: MAX_DECOMPRESSED_FILE_SIZE,
            max_entries: MAX_ENTRIES,
            max_depth: 16,
        }
    }
}

/// A file read out of an archive or a directory.
#[derive(Debug, Clone, PartialEq)]
pub struct BufferedFile {
    /// Path relative to the chart root, `/`-separated.
    pub name: String,
    /// Modification time in Unix seconds (0 when unknown).
    pub mod_time: i64,
    pub data: Vec<u8>,
}

/// Errors while reading an archive. Texts are Helm's where Helm has one.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    #[error("gzip: invalid header")]
    NotGzip,
    #[error("{0}")]
    Tar(#[from] TarError),
    #[error("chart illegally contains absolute paths")]
    AbsolutePath,
    #[error("chart illegally contains content outside the base directory: {}", origan_semver::go_quote(.0))]
    OutsideBase(String),
    #[error("chart illegally references parent directory")]
    ParentDirectory,
    #[error("chart contains illegally named files")]
    DrivePath,
    #[error("chart yaml not in base directory")]
    ChartYamlNotInBase,
    #[error("decompressed chart is larger than the maximum size {0}")]
    ChartTooLarge(u64),
    #[error("decompressed chart file {} is larger than the maximum file size {}", origan_semver::go_quote(.0), .1)]
    FileTooLarge(String, u64),
    #[error("no files in chart archive")]
    Empty,
    #[error("chart archive entry {} is a {}; refusing to load it", origan_semver::go_quote(.0), .1)]
    UnsupportedEntry(String, &'static str),
    #[error("chart archive has more than {0} entries")]
    TooManyEntries(usize),
    #[error("file '{0}' seems to be a YAML file, but expected a gzipped archive")]
    YamlNotArchive(String),
    #[error("file '{0}' does not appear to be a gzipped archive; got '{1}'")]
    NotArchive(String, String),
}

/// Helm's `EnsureArchive`: a friendly error when `name` is not gzip data.
pub fn ensure_archive(name: &str, data: &[u8]) -> Result<(), ArchiveError> {
    if data.starts_with(b"\x1f\x8b\x08") {
        return Ok(());
    }
    if name.ends_with(".yml") || name.ends_with(".yaml") {
        return Err(ArchiveError::YamlNotArchive(name.to_string()));
    }
    let kind = if data.is_empty() || std::str::from_utf8(&data[..data.len().min(512)]).is_ok() {
        "text/plain; charset=utf-8"
    } else {
        "application/octet-stream"
    };
    Err(ArchiveError::NotArchive(name.to_string(), kind.to_string()))
}

/// Reads every file of a gzipped chart archive, applying Helm's checks and `limits`.
pub fn load_archive_files(data: &[u8], limits: &Limits) -> Result<Vec<BufferedFile>, ArchiveError> {
    if !data.starts_with(&[0x1f, 0x8b]) {
        return Err(ArchiveError::NotGzip);
    }
    // Pass 1 keeps nothing: a bomb is refused without holding its content.
    walk(data, limits, None)?;
    let mut files = Vec::new();
    walk(data, limits, Some(&mut files))?;
    if files.is_empty() {
        return Err(ArchiveError::Empty);
    }
    Ok(files)
}

fn walk(
    data: &[u8],
    limits: &Limits,
    mut keep: Option<&mut Vec<BufferedFile>>,
) -> Result<(), ArchiveError> {
    let mut tr = TarReader::new(MultiGzDecoder::new(data));
    let mut remaining = limits.max_chart_size;
    let stream_cap = limits.max_chart_size.saturating_mul(2);
    let mut entries = 0usize;
    loop {
        if tr.consumed > stream_cap {
            return Err(ArchiveError::ChartTooLarge(limits.max_chart_size));
        }
        let hd = match tr.next_header() {
            Ok(Some(h)) => h,
            Ok(None) => break,
            Err(TarError::Io(msg)) if msg.contains("invalid gzip header") => {
                return Err(ArchiveError::NotGzip);
            }
            Err(e) => return Err(e.into()),
        };
        entries += 1;
        if entries > limits.max_entries {
            return Err(ArchiveError::TooManyEntries(limits.max_entries));
        }
        if hd.is_dir() || hd.kind == Kind::GlobalHeader {
            continue;
        }
        let what = match hd.kind {
            Kind::Regular => None,
            Kind::Symlink => Some("symbolic link"),
            Kind::HardLink => Some("hard link"),
            _ => Some("special file (device, FIFO or unsupported type)"),
        };
        // Archives made on Windows may use `\`; Helm splits on it when present.
        let delim = if hd.name.contains('\\') { '\\' } else { '/' };
        let parts: Vec<&str> = hd.name.split(delim).collect();
        let n = parts[1..].join("/");
        if n.starts_with('/') {
            return Err(ArchiveError::AbsolutePath);
        }
        let n = go_path_clean(&n);
        if n == "." {
            return Err(ArchiveError::OutsideBase(hd.name.clone()));
        }
        if n.starts_with("..") {
            return Err(ArchiveError::ParentDirectory);
        }
        if is_drive_path(&n) {
            return Err(ArchiveError::DrivePath);
        }
        if parts[0] == "Chart.yaml" {
            return Err(ArchiveError::ChartYamlNotInBase);
        }
        if let Some(what) = what {
            return Err(ArchiveError::UnsupportedEntry(hd.name.clone(), what));
        }
        if hd.size > remaining {
            return Err(ArchiveError::ChartTooLarge(limits.max_chart_size));
        }
        if hd.size > limits.max_file_size {
            return Err(ArchiveError::FileTooLarge(
                hd.name.clone(),
                limits.max_file_size,
            ));
        }
        let written = match keep.as_deref_mut() {
            Some(out) => {
                let mut buf = Vec::with_capacity(hd.size as usize);
                let w = tr.read_data(&mut buf, remaining)?;
                if buf.starts_with(UTF8_BOM) {
                    buf.drain(..3);
                }
                out.push(BufferedFile {
                    name: n,
                    mod_time: hd.mtime,
                    data: buf,
                });
                w
            }
            None => tr.discard_data(remaining)?,
        };
        remaining -= written;
        if written < hd.size || remaining == 0 {
            return Err(ArchiveError::ChartTooLarge(limits.max_chart_size));
        }
    }
    Ok(())
}

pub(crate) const UTF8_BOM: &[u8] = &[0xEF, 0xBB, 0xBF];

/// `^[a-zA-Z]:/`
fn is_drive_path(n: &str) -> bool {
    let b = n.as_bytes();
    b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && b[2] == b'/'
}

/// Go's `path.Clean`.
pub(crate) fn go_path_clean(p: &str) -> String {
    if p.is_empty() {
        return ".".to_string();
    }
    let rooted = p.starts_with('/');
    let mut out: Vec<&str> = Vec::new();
    for seg in p.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if out.last().is_some_and(|s| *s != "..") {
                    out.pop();
                } else if !rooted {
                    out.push("..");
                }
            }
            s => out.push(s),
        }
    }
    let joined = out.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_string(),
        (false, false) => joined,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tar::testutil::{entry, header};
    use flate2::{Compression, write::GzEncoder};
    use std::io::Write;
    use std::time::{Duration, Instant};

    fn gz(tar: &[u8]) -> Vec<u8> {
        let mut e = GzEncoder::new(Vec::new(), Compression::fast());
        e.write_all(tar).unwrap();
        e.finish().unwrap()
    }

    fn load(tar: &[u8]) -> Result<Vec<BufferedFile>, ArchiveError> {
        load_archive_files(&gz(tar), &Limits::default())
    }

    fn err(tar: &[u8]) -> String {
        load(tar).unwrap_err().to_string()
    }

    #[test]
    fn strips_first_component_and_bom() {
        let mut t = entry("whatever/Chart.yaml", b"\xEF\xBB\xBFname: x\n");
        t.extend(entry("whatever/templates/a.yaml", b"a"));
        t.extend(header("whatever/templates/", 0, b'5'));
        t.extend([0u8; 1024]);
        let files = load(&t).unwrap();
        assert_eq!(files.len(), 2);
        assert_eq!(files[0].name, "Chart.yaml");
        assert_eq!(files[0].data, b"name: x\n");
        assert_eq!(files[1].name, "templates/a.yaml");
    }

    #[test]
    fn path_checks() {
        assert_eq!(
            err(&entry("x/../../etc/passwd", b"")),
            "chart illegally references parent directory"
        );
        assert_eq!(
            err(&entry("x//etc/passwd", b"")),
            "chart illegally contains absolute paths"
        );
        assert_eq!(
            err(&entry("x/a/..", b"")),
            "chart illegally contains content outside the base directory: \"x/a/..\""
        );
        assert_eq!(
            err(&entry("x/c:/win", b"")),
            "chart contains illegally named files"
        );
        assert_eq!(
            err(&entry("Chart.yaml/x", b"")),
            "chart yaml not in base directory"
        );
        assert_eq!(
            err(&entry("Chart.yaml", b"")),
            "chart illegally contains content outside the base directory: \"Chart.yaml\""
        );
        assert_eq!(
            err(&entry("x\\..\\..\\evil", b"")),
            "chart illegally references parent directory"
        );
    }

    #[test]
    fn symlink_entry_is_refused() {
        let mut t = header("x/templates/link.yaml", 0, b'2').to_vec();
        t.extend([0u8; 1024]);
        assert_eq!(
            err(&t),
            "chart archive entry \"x/templates/link.yaml\" is a symbolic link; refusing to load it"
        );
        let mut t = header("x/hard", 0, b'1').to_vec();
        t.extend([0u8; 1024]);
        assert!(err(&t).contains("hard link"));
    }

    #[test]
    fn empty_archive() {
        assert_eq!(err(&[0u8; 1024]), "no files in chart archive");
        assert_eq!(
            load_archive_files(b"name: x", &Limits::default())
                .unwrap_err()
                .to_string(),
            "gzip: invalid header"
        );
    }

    #[test]
    fn per_file_limit() {
        let t = header("x/big", MAX_DECOMPRESSED_FILE_SIZE + 1, b'0');
        assert_eq!(
            err(&t),
            "decompressed chart file \"x/big\" is larger than the maximum file size 5242880"
        );
    }

    /// A 1 GiB entry of zeros, streamed through a gzip encoder.
    #[test]
    fn one_gib_bomb_single_entry() {
        let mut enc = GzEncoder::new(Vec::new(), Compression::fast());
        enc.write_all(&header("x/bomb", 1 << 30, b'0')).unwrap();
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..8 {
            // only the first 8 MiB are written: the header alone must trigger the refusal
            enc.write_all(&zeros).unwrap();
        }
        let data = enc.finish().unwrap();
        let start = Instant::now();
        let e = load_archive_files(&data, &Limits::default()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "decompressed chart is larger than the maximum size 104857600"
        );
        assert!(start.elapsed() < Duration::from_secs(1));
    }

    /// 1 GiB of zeros spread over 5 MiB entries (each under the per-file limit):
    /// a multi-member gzip stream, one member per entry, like concatenated gzip
    /// files (Go's gzip reader, like ours, reads every member).
    #[test]
    fn one_gib_bomb_many_entries() {
        let limits = Limits::default();
        let mut member_tar = header("x/f", MAX_DECOMPRESSED_FILE_SIZE, b'0').to_vec();
        member_tar.extend(vec![0u8; MAX_DECOMPRESSED_FILE_SIZE as usize]);
        let member = gz(&member_tar);
        let mut data = Vec::new();
        for _ in 0..205 {
            data.extend_from_slice(&member);
        }
        let start = Instant::now();
        let e = load_archive_files(&data, &limits).unwrap_err();
        let took = start.elapsed();
        assert_eq!(
            e.to_string(),
            "decompressed chart is larger than the maximum size 104857600"
        );
        // Unoptimised builds inflate ~10x slower; the 1 s bound holds in release.
        let bound = if cfg!(debug_assertions) { 5 } else { 1 };
        assert!(took < Duration::from_secs(bound), "{took:?}");
    }

    #[test]
    fn hundred_thousand_entries() {
        let mut enc = GzEncoder::new(Vec::new(), Compression::fast());
        for i in 0..100_000 {
            enc.write_all(&header(&format!("x/f{i}"), 0, b'0')).unwrap();
        }
        enc.write_all(&[0u8; 1024]).unwrap();
        let data = enc.finish().unwrap();
        let start = Instant::now();
        let e = load_archive_files(&data, &Limits::default()).unwrap_err();
        assert_eq!(e.to_string(), "chart archive has more than 10000 entries");
        let took = start.elapsed();
        // 1 s in release; unoptimised builds on a busy machine get more room.
        let bound = if cfg!(debug_assertions) { 3 } else { 1 };
        assert!(took < Duration::from_secs(bound), "{took:?}");
    }

    #[test]
    fn path_clean() {
        for (i, o) in [
            ("a/b/../c", "a/c"),
            ("", "."),
            ("a/..", "."),
            ("../a", "../a"),
            ("/../a", "/a"),
            ("a//b/./", "a/b"),
        ] {
            assert_eq!(go_path_clean(i), o);
        }
    }

    #[test]
    fn ensure_archive_messages() {
        assert_eq!(
            ensure_archive("values.yaml", b"a: 1")
                .unwrap_err()
                .to_string(),
            "file 'values.yaml' seems to be a YAML file, but expected a gzipped archive"
        );
        assert!(ensure_archive("x.tgz", &gz(b"")).is_ok());
    }
}
