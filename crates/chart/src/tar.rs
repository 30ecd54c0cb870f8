//! A small streaming tar reader, bounded in memory, for chart archives.
//!
//! Owns: parsing ustar/GNU/PAX headers the way Go's `archive/tar` reader presents
//! them to Helm (`Name`, `Size`, `Typeflag`, `Mode`, `ModTime`), skipping data and
//! padding, and refusing oversized metadata records. Does not own: Helm's path and
//! size rules (see `archive`), decompression, or writing archives.
//!
//! Why not the `tar` crate: GNU long-name and PAX records are read into memory by
//! the reader itself; here they are capped (1 MiB, like Go's `maxSpecialFileSize`)
//! so a hostile header cannot make us allocate gigabytes.

use std::io::{self, Read};

/// Go's `archive/tar` limit on PAX / GNU long-name payloads.
const MAX_SPECIAL_FILE_SIZE: u64 = 1 << 20;

/// Errors from the tar layer (texts follow Go's `archive/tar` where one exists).
#[derive(Debug, thiserror::Error)]
pub enum TarError {
    #[error("archive/tar: invalid tar header")]
    InvalidHeader,
    #[error("unexpected EOF")]
    UnexpectedEof,
    #[error("archive/tar: header field too long")]
    FieldTooLong,
    #[error("{0}")]
    Io(String),
}

impl From<io::Error> for TarError {
    fn from(e: io::Error) -> Self {
        if e.kind() == io::ErrorKind::UnexpectedEof {
            TarError::UnexpectedEof
        } else {
            TarError::Io(e.to_string())
        }
    }
}

/// The kind of an entry, after Go's normalisation (`TypeRegA` with a trailing
/// slash is a directory, otherwise a regular file).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Regular,
    Directory,
    Symlink,
    HardLink,
    /// PAX global header (`g`): Helm skips these.
    GlobalHeader,
    /// Character/block devices, FIFOs, sparse files, anything else.
    Other(u8),
}

/// One entry's header as Helm sees it.
#[derive(Debug, Clone)]
pub struct Header {
    pub name: String,
    pub size: u64,
    pub kind: Kind,
    pub mode: u64,
    pub mtime: i64,
}

impl Header {
    /// Go's `hd.FileInfo().IsDir()`: the type flag or the mode's S_IFDIR bits.
    pub fn is_dir(&self) -> bool {
        self.kind == Kind::Directory || (self.mode & 0o170000) == 0o040000
    }
}

/// Streaming reader: call [`TarReader::next_header`], then read the entry's data with
/// [`TarReader::read_data`] or let the next call skip it.
pub struct TarReader<R: Read> {
    inner: R,
    /// Data bytes of the current entry not yet consumed.
    remaining: u64,
    /// Padding after the current entry's data.
    padding: u64,
    /// Total bytes read from `inner` (the decompressed stream).
    pub consumed: u64,
}

impl<R: Read> TarReader<R> {
    pub fn new(inner: R) -> Self {
        TarReader {
            inner,
            remaining: 0,
            padding: 0,
            consumed: 0,
        }
    }

    fn read_block(&mut self, block: &mut [u8; 512]) -> Result<bool, TarError> {
        let mut filled = 0;
        while filled < 512 {
            match self.inner.read(&mut block[filled..]) {
                Ok(0) => break,
                Ok(n) => filled += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e.into()),
            }
        }
        self.consumed += filled as u64;
        match filled {
            0 => Ok(false),
            512 => Ok(true),
            _ => Err(TarError::UnexpectedEof),
        }
    }

    fn skip(&mut self, mut n: u64) -> Result<(), TarError> {
        let mut buf = [0u8; 8192];
        while n > 0 {
            let want = n.min(buf.len() as u64) as usize;
            let got = self.inner.read(&mut buf[..want])?;
            if got == 0 {
                return Err(TarError::UnexpectedEof);
            }
            self.consumed += got as u64;
            n -= got as u64;
        }
        Ok(())
    }

    /// Reads up to `limit` bytes of the current entry's data into `out`.
    /// Returns the number of bytes appended. The rest of the entry is skipped by
    /// the next `next_header` call.
    pub fn read_data(&mut self, out: &mut Vec<u8>, limit: u64) -> Result<u64, TarError> {
        let want = self.remaining.min(limit);
        let start = out.len();
        let mut taken = (&mut self.inner).take(want);
        let got = taken.read_to_end(out)? as u64;
        self.consumed += got;
        self.remaining -= got;
        if got < want {
            out.truncate(start + got as usize);
            return Err(TarError::UnexpectedEof);
        }
        Ok(got)
    }

    /// Reads and discards up to `limit` bytes of data, returning how many were read.
    pub fn discard_data(&mut self, limit: u64) -> Result<u64, TarError> {
        let n = self.remaining.min(limit);
        self.skip(n)?;
        self.remaining -= n;
        Ok(n)
    }

    fn read_special(&mut self, size: u64) -> Result<Vec<u8>, TarError> {
        if size > MAX_SPECIAL_FILE_SIZE {
            return Err(TarError::FieldTooLong);
        }
        let mut buf = Vec::with_capacity(size as usize);
        self.remaining = size;
        self.padding = pad(size);
        self.read_data(&mut buf, size)?;
        self.finish_entry()?;
        Ok(buf)
    }

    fn finish_entry(&mut self) -> Result<(), TarError> {
        let n = self.remaining + self.padding;
        self.remaining = 0;
        self.padding = 0;
        self.skip(n)
    }

    /// Advances to the next entry; `Ok(None)` at the end of the archive.
    pub fn next_header(&mut self) -> Result<Option<Header>, TarError> {
        self.finish_entry()?;
        let mut long_name: Option<String> = None;
        let mut long_link: Option<String> = None;
        let mut pax_path: Option<String> = None;
        let mut pax_link: Option<String> = None;
        let mut pax_size: Option<u64> = None;
        loop {
            let mut block = [0u8; 512];
            if !self.read_block(&mut block)? {
                return Ok(None);
            }
            if block.iter().all(|&b| b == 0) {
                // Go: a second zero block ends the archive; EOF there is fine too.
                let mut second = [0u8; 512];
                if !self.read_block(&mut second)? || second.iter().all(|&b| b == 0) {
                    return Ok(None);
                }
                return Err(TarError::InvalidHeader);
            }
            verify_checksum(&block)?;
            let typeflag = block[156];
            let raw_size = parse_numeric(&block[124..136])?;
            let size = match pax_size.take() {
                Some(s) if !matches!(typeflag, b'x' | b'g' | b'L' | b'K') => s,
                Some(s) => {
                    pax_size = Some(s);
                    raw_size
                }
                None => raw_size,
            };
            match typeflag {
                b'x' => {
                    let data = self.read_special(size)?;
                    for (k, v) in parse_pax(&data)? {
                        match k.as_str() {
                            "path" => pax_path = Some(v),
                            "linkpath" => pax_link = Some(v),
                            "size" => {
                                pax_size = Some(v.parse().map_err(|_| TarError::InvalidHeader)?)
                            }
                            _ => {}
                        }
                    }
                    continue;
                }
                b'L' => {
                    let data = self.read_special(size)?;
                    long_name = Some(c_string(&data));
                    continue;
                }
                b'K' => {
                    let data = self.read_special(size)?;
                    long_link = Some(c_string(&data));
                    continue;
                }
                _ => {}
            }
            let ustar = &block[257..263] == b"ustar\0" && &block[263..265] == b"00";
            let mut name = c_string(&block[0..100]);
            if ustar {
                let prefix = c_string(&block[345..500]);
                if !prefix.is_empty() {
                    name = format!("{prefix}/{name}");
                }
            }
            if let Some(n) = long_name.take() {
                name = n;
            }
            if let Some(n) = pax_path.take() {
                name = n;
            }
            // Link targets are not used: links are refused by the caller.
            let _ = (long_link.take(), pax_link.take());
            let kind = match typeflag {
                b'0' | b'7' => Kind::Regular,
                0 if name.ends_with('/') => Kind::Directory,
                0 => Kind::Regular,
                b'5' => Kind::Directory,
                b'2' => Kind::Symlink,
                b'1' => Kind::HardLink,
                b'g' => Kind::GlobalHeader,
                other => Kind::Other(other),
            };
            let mode = parse_numeric(&block[100..108])?;
            let mtime = parse_numeric(&block[136..148])? as i64;
            self.remaining = size;
            self.padding = pad(size);
            return Ok(Some(Header {
                name,
                size,
                kind,
                mode,
                mtime,
            }));
        }
    }
}

fn pad(size: u64) -> u64 {
    (512 - size % 512) % 512
}

fn c_string(b: &[u8]) -> String {
    let end = b.iter().position(|&c| c == 0).unwrap_or(b.len());
    String::from_utf8_lossy(&b[..end]).into_owned()
}

/// Octal (NUL/space padded) or GNU base-256 numbers.
fn parse_numeric(field: &[u8]) -> Result<u64, TarError> {
    if let Some(&first) = field.first()
        && first & 0x80 != 0
    {
        // Base-256: the first byte's high bit marks it; negative values are refused.
        if first & 0x40 != 0 {
            return Err(TarError::InvalidHeader);
        }
        let mut v: u64 = u64::from(first & 0x3f);
        for &b in &field[1..] {
            v = v
                .checked_mul(256)
                .and_then(|v| v.checked_add(u64::from(b)))
                .ok_or(TarError::InvalidHeader)?;
        }
        return Ok(v);
    }
    let s: String = field
        .iter()
        .take_while(|&&b| b != 0)
        .map(|&b| b as char)
        .collect();
    let s = s.trim_matches(' ');
    if s.is_empty() {
        return Ok(0);
    }
    u64::from_str_radix(s, 8).map_err(|_| TarError::InvalidHeader)
}

fn verify_checksum(block: &[u8; 512]) -> Result<(), TarError> {
    let stored = parse_numeric(&block[148..156])?;
    let mut unsigned: u64 = 0;
    let mut signed: i64 = 0;
    for (i, &b) in block.iter().enumerate() {
        let b = if (148..156).contains(&i) { b' ' } else { b };
        unsigned += u64::from(b);
        signed += i64::from(b as i8);
    }
    if stored == unsigned || stored as i64 == signed {
        Ok(())
    } else {
        Err(TarError::InvalidHeader)
    }
}

fn parse_pax(data: &[u8]) -> Result<Vec<(String, String)>, TarError> {
    let mut out = Vec::new();
    let mut rest = data;
    while !rest.is_empty() {
        let sp = rest
            .iter()
            .position(|&b| b == b' ')
            .ok_or(TarError::InvalidHeader)?;
        let len: usize = std::str::from_utf8(&rest[..sp])
            .ok()
            .and_then(|s| s.parse().ok())
            .ok_or(TarError::InvalidHeader)?;
        if len <= sp + 1 || len > rest.len() || rest[len - 1] != b'\n' {
            return Err(TarError::InvalidHeader);
        }
        let record = &rest[sp + 1..len - 1];
        let eq = record
            .iter()
            .position(|&b| b == b'=')
            .ok_or(TarError::InvalidHeader)?;
        out.push((
            String::from_utf8_lossy(&record[..eq]).into_owned(),
            String::from_utf8_lossy(&record[eq + 1..]).into_owned(),
        ));
        rest = &rest[len..];
    }
    Ok(out)
}

#[cfg(test)]
pub(crate) mod testutil {
    //! Builds tar streams for tests (hostile ones included).

    /// One raw ustar header with a correct checksum.
    pub fn header(name: &str, size: u64, typeflag: u8) -> [u8; 512] {
        let mut h = [0u8; 512];
        let nb = name.as_bytes();
        h[..nb.len().min(100)].copy_from_slice(&nb[..nb.len().min(100)]);
        h[100..107].copy_from_slice(b"0000644");
        h[108..115].copy_from_slice(b"0000000");
        h[116..123].copy_from_slice(b"0000000");
        let s = format!("{size:011o}");
        h[124..135].copy_from_slice(s.as_bytes());
        h[136..147].copy_from_slice(b"00000000000");
        h[156] = typeflag;
        h[257..263].copy_from_slice(b"ustar\0");
        h[263..265].copy_from_slice(b"00");
        h[148..156].copy_from_slice(b"        ");
        let sum: u32 = h.iter().map(|&b| u32::from(b)).sum();
        let c = format!("{sum:06o}\0 ");
        h[148..156].copy_from_slice(c.as_bytes());
        h
    }

    /// A whole entry: header + data + padding.
    pub fn entry(name: &str, data: &[u8]) -> Vec<u8> {
        let mut v = header(name, data.len() as u64, b'0').to_vec();
        v.extend_from_slice(data);
        v.resize(v.len() + super::pad(data.len() as u64) as usize, 0);
        v
    }
}

#[cfg(test)]
mod tests {
    use super::testutil::*;
    use super::*;

    #[test]
    fn reads_entries_and_skips_unread_data() {
        let mut t = entry("a/Chart.yaml", b"name: a\n");
        t.extend(entry("a/b.txt", &[7u8; 1000]));
        t.extend([0u8; 1024]);
        let mut r = TarReader::new(&t[..]);
        let h = r.next_header().unwrap().unwrap();
        assert_eq!(h.name, "a/Chart.yaml");
        assert_eq!(h.size, 8);
        let h = r.next_header().unwrap().unwrap();
        assert_eq!(h.name, "a/b.txt");
        let mut out = Vec::new();
        assert_eq!(r.read_data(&mut out, 10).unwrap(), 10);
        assert!(r.next_header().unwrap().is_none());
    }

    #[test]
    fn pax_path_and_long_names() {
        let long = format!("a/{}", "x".repeat(150));
        let rec = format!("path={long}\n");
        let len = rec.len() + 4; // "NNN " prefix, 3 digits
        let pax = format!("{len} {rec}");
        let mut t = header("pax", pax.len() as u64, b'x').to_vec();
        t.extend(pax.as_bytes());
        t.resize(t.len() + pad(pax.len() as u64) as usize, 0);
        t.extend(entry("short", b"hi"));
        let mut r = TarReader::new(&t[..]);
        let h = r.next_header().unwrap().unwrap();
        assert_eq!(h.name, long);
        assert!(r.next_header().unwrap().is_none());
    }

    #[test]
    fn oversized_pax_record_is_refused_without_reading_it() {
        let t = header("pax", 1 << 30, b'x').to_vec();
        let mut r = TarReader::new(&t[..]);
        assert!(matches!(r.next_header(), Err(TarError::FieldTooLong)));
    }

    #[test]
    fn bad_checksum() {
        let mut h = header("a", 0, b'0');
        h[0] = b'b';
        let mut r = TarReader::new(&h[..]);
        assert!(matches!(r.next_header(), Err(TarError::InvalidHeader)));
    }
}
