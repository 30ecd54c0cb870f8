//! Semantic versions as Masterminds/semver v3 (3.5.0, the version Helm v4.2.3 pins) models them.
//!
//! Owns: [`Version`], the lenient parser (`NewVersion` with its default `CoerceNewVersion = true`),
//! the strict parser (`StrictNewVersion`), precedence (`Compare`), `String()` and the `Inc*`
//! helpers, plus [`VersionError`] with Go's error texts. Does not own constraints (see
//! `constraints`) or tag resolution (see `collection`).

use std::cmp::Ordering;
use std::fmt;

use crate::gofmt::{ParseUintError, go_parse_uint};

/// Errors from parsing or changing a [`Version`]; `Display` is the exact Go error text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VersionError {
    /// `ErrInvalidSemVer`.
    #[error("invalid semantic version")]
    InvalidSemVer,
    /// `ErrEmptyString` (strict parser only; the lenient one says "invalid semantic version").
    #[error("version string empty")]
    EmptyString,
    /// `ErrInvalidCharacters` (strict parser only).
    #[error("invalid characters in version")]
    InvalidCharacters,
    /// `ErrSegmentStartsZero`: a numeric segment or prerelease identifier with a leading 0.
    #[error("version segment starts with 0")]
    SegmentStartsZero,
    /// `ErrInvalidMetadata`.
    #[error("invalid metadata string")]
    InvalidMetadata,
    /// `ErrInvalidPrerelease`.
    #[error("invalid prerelease string")]
    InvalidPrerelease,
    /// Lenient parser: a numeric segment does not fit in u64 (Go wraps the strconv error).
    #[error("error parsing version segment: {0}")]
    Segment(ParseUintError),
    /// Strict parser: strconv error returned unwrapped (e.g. an empty segment in `1..2`).
    #[error("{0}")]
    ParseUint(ParseUintError),
    /// An `Inc*` call would overflow; Go panics with this text (text/template turns the panic
    /// into an error).
    #[error("{0} version increment would overflow uint64")]
    Overflow(&'static str),
}

/// A parsed semantic version. Fields mirror Go's `semver.Version`.
///
/// Equality and ordering follow Masterminds `Compare`: build metadata is ignored, so
/// `1.0.0+a == 1.0.0+b`. Use [`Version::original`] or [`Version::metadata`] to tell them apart.
#[derive(Debug, Clone)]
pub struct Version {
    major: u64,
    minor: u64,
    patch: u64,
    pre: String,
    metadata: String,
    original: String,
}

/// The parts of a version as `looseSemVerRegex` of Masterminds/semver
/// (`^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?$`)
/// captures them: major, `.minor`, `.patch` (each `""` when absent), prerelease and metadata.
///
/// Matched by hand rather than with a `regex::Regex`: compiling that regex cost more than
/// the rest of a small chart's version handling in every `origanctl` run. The pattern is
/// unambiguous (digit runs are greedy, `+` and `.` are not identifier characters), so a
/// left-to-right scan accepts exactly what the regex accepts.
struct LooseParts<'a> {
    major: &'a str,
    minor: &'a str,
    patch: &'a str,
    pre: &'a str,
    metadata: &'a str,
}

/// `[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*`: dot-separated, non-empty identifiers.
fn dotted_identifiers(s: &str) -> bool {
    s.split('.')
        .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
}

fn loose_parts(s: &str) -> Option<LooseParts<'_>> {
    let rest = s.strip_prefix('v').unwrap_or(s);
    let digits = |t: &str| t.bytes().take_while(u8::is_ascii_digit).count();
    let n = digits(rest);
    if n == 0 {
        return None;
    }
    let (major, mut rest) = rest.split_at(n);
    // `(\.[0-9]+)?`: a dot followed by at least one digit, taken whole.
    let mut dotted = || {
        let n = rest.strip_prefix('.').map_or(0, digits);
        let (part, tail) = rest.split_at(if n == 0 { 0 } else { n + 1 });
        rest = tail;
        part
    };
    let minor = dotted();
    let patch = dotted();
    let (mut pre, mut metadata) = ("", "");
    if let Some(tail) = rest.strip_prefix('-') {
        let end = tail.find('+').unwrap_or(tail.len());
        (pre, rest) = tail.split_at(end);
        if !dotted_identifiers(pre) {
            return None;
        }
    }
    if let Some(tail) = rest.strip_prefix('+') {
        (metadata, rest) = (tail, "");
        if !dotted_identifiers(metadata) {
            return None;
        }
    }
    rest.is_empty().then_some(LooseParts {
        major,
        minor,
        patch,
        pre,
        metadata,
    })
}

const ALLOWED: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-0123456789";

fn all_digits(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_digit())
}

fn all_allowed(s: &str) -> bool {
    s.bytes().all(|b| ALLOWED.contains(&b))
}

/// `validatePrerelease`: dot-separated, non-empty identifiers of `[0-9A-Za-z-]`, numeric ones
/// without leading zeros.
fn validate_prerelease(p: &str) -> Result<(), VersionError> {
    for part in p.split('.') {
        if part.is_empty() {
            return Err(VersionError::InvalidPrerelease);
        } else if all_digits(part) {
            if part.len() > 1 && part.starts_with('0') {
                return Err(VersionError::SegmentStartsZero);
            }
        } else if !all_allowed(part) {
            return Err(VersionError::InvalidPrerelease);
        }
    }
    Ok(())
}

/// `validateMetadata`: dot-separated, non-empty identifiers of `[0-9A-Za-z-]`.
fn validate_metadata(m: &str) -> Result<(), VersionError> {
    if m.split('.').any(|p| p.is_empty() || !all_allowed(p)) {
        return Err(VersionError::InvalidMetadata);
    }
    Ok(())
}

impl Version {
    /// Go's `semver.NewVersion` (lenient, `CoerceNewVersion = true`): accepts a `v` prefix,
    /// missing minor/patch (`1.2` → 1.2.0, `1` → 1.0.0) and leading zeros in the numeric
    /// segments (`01.2.3` → 1.2.3). `original()` keeps the input.
    pub fn parse(s: &str) -> Result<Version, VersionError> {
        let m = loose_parts(s).ok_or(VersionError::InvalidSemVer)?;
        let num = |g: &str| {
            if g.is_empty() {
                Ok(0)
            } else {
                go_parse_uint(g.trim_start_matches('.')).map_err(VersionError::Segment)
            }
        };
        // Go's TrimPrefix removes only one '.', and the regex guarantees exactly one.
        let v = Version {
            major: go_parse_uint(m.major).map_err(VersionError::Segment)?,
            minor: num(m.minor)?,
            patch: num(m.patch)?,
            pre: m.pre.to_string(),
            metadata: m.metadata.to_string(),
            original: s.to_string(),
        };
        if !v.pre.is_empty() {
            validate_prerelease(&v.pre)?;
        }
        if !v.metadata.is_empty() {
            validate_metadata(&v.metadata)?;
        }
        Ok(v)
    }

    /// Go's `semver.StrictNewVersion`: exactly `MAJOR.MINOR.PATCH[-PRE][+META]`, no `v`, no
    /// leading zeros. Helm uses it for OCI tag listing and the lint "SemVerV2" warning.
    pub fn parse_strict(s: &str) -> Result<Version, VersionError> {
        if s.is_empty() {
            return Err(VersionError::EmptyString);
        }
        let mut parts: Vec<&str> = s.splitn(3, '.').collect();
        if parts.len() != 3 {
            return Err(VersionError::InvalidSemVer);
        }
        let mut metadata = "";
        let mut pre = "";
        if let Some((rest, meta)) = parts[2].split_once('+') {
            metadata = meta;
            parts[2] = rest;
            validate_metadata(metadata)?;
        }
        if let Some((rest, p)) = parts[2].split_once('-') {
            pre = p;
            parts[2] = rest;
            validate_prerelease(pre)?;
        }
        for p in &parts {
            if !all_digits(p) {
                return Err(VersionError::InvalidCharacters);
            }
            if p.len() > 1 && p.starts_with('0') {
                return Err(VersionError::SegmentStartsZero);
            }
        }
        let n = |p: &str| go_parse_uint(p).map_err(VersionError::ParseUint);
        Ok(Version {
            major: n(parts[0])?,
            minor: n(parts[1])?,
            patch: n(parts[2])?,
            pre: pre.to_string(),
            metadata: metadata.to_string(),
            original: s.to_string(),
        })
    }

    /// Go's `semver.New`: builds a version from parts without validating `pre`/`metadata`;
    /// `original` becomes the `String()` form.
    pub fn new(major: u64, minor: u64, patch: u64, pre: &str, metadata: &str) -> Version {
        let mut v = Version {
            major,
            minor,
            patch,
            pre: pre.to_string(),
            metadata: metadata.to_string(),
            original: String::new(),
        };
        v.original = v.to_string();
        v
    }

    /// The major number.
    pub fn major(&self) -> u64 {
        self.major
    }

    /// The minor number.
    pub fn minor(&self) -> u64 {
        self.minor
    }

    /// The patch number.
    pub fn patch(&self) -> u64 {
        self.patch
    }

    /// The prerelease without its leading `-` (empty when none).
    pub fn prerelease(&self) -> &str {
        &self.pre
    }

    /// The build metadata without its leading `+` (empty when none).
    pub fn metadata(&self) -> &str {
        &self.metadata
    }

    /// The string the version was parsed from (`Original()`).
    pub fn original(&self) -> &str {
        &self.original
    }

    /// Masterminds `Compare`: by major, minor, patch; a version without prerelease is greater
    /// than one with; prereleases compare identifier by identifier. Metadata is ignored.
    pub fn compare(&self, other: &Version) -> Ordering {
        self.major
            .cmp(&other.major)
            .then(self.minor.cmp(&other.minor))
            .then(self.patch.cmp(&other.patch))
            .then_with(|| match (self.pre.is_empty(), other.pre.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => compare_prerelease(&self.pre, &other.pre),
            })
    }

    /// `originalVPrefix`: Inc*/Set* keep a lowercase `v` the original had.
    fn v_prefix(&self) -> &'static str {
        if self.original.starts_with('v') {
            "v"
        } else {
            ""
        }
    }

    fn with_original(mut self, prefix: &str) -> Version {
        self.original = format!("{prefix}{self}");
        self
    }

    /// `IncPatch`: a prerelease version drops its prerelease and metadata and keeps the patch
    /// number (1.2.3-rc → 1.2.3); otherwise the patch number goes up and metadata is dropped.
    pub fn inc_patch(&self) -> Result<Version, VersionError> {
        let mut next = self.clone();
        next.metadata.clear();
        next.pre.clear();
        if self.pre.is_empty() {
            next.patch = self
                .patch
                .checked_add(1)
                .ok_or(VersionError::Overflow("patch"))?;
        }
        Ok(next.with_original(self.v_prefix()))
    }

    /// `IncMinor`: minor + 1, patch 0, prerelease and metadata dropped.
    pub fn inc_minor(&self) -> Result<Version, VersionError> {
        let mut next = self.clone();
        next.metadata.clear();
        next.pre.clear();
        next.patch = 0;
        next.minor = self
            .minor
            .checked_add(1)
            .ok_or(VersionError::Overflow("minor"))?;
        Ok(next.with_original(self.v_prefix()))
    }

    /// `IncMajor`: major + 1, minor and patch 0, prerelease and metadata dropped.
    pub fn inc_major(&self) -> Result<Version, VersionError> {
        let mut next = self.clone();
        next.metadata.clear();
        next.pre.clear();
        next.patch = 0;
        next.minor = 0;
        next.major = self
            .major
            .checked_add(1)
            .ok_or(VersionError::Overflow("major"))?;
        Ok(next.with_original(self.v_prefix()))
    }

    /// `SetPrerelease`: validated unless empty; `original` is rebuilt.
    pub fn set_prerelease(&self, pre: &str) -> Result<Version, VersionError> {
        if !pre.is_empty() {
            validate_prerelease(pre)?;
        }
        let mut next = self.clone();
        next.pre = pre.to_string();
        Ok(next.with_original(self.v_prefix()))
    }

    /// `SetMetadata`: validated unless empty; `original` is rebuilt.
    pub fn set_metadata(&self, metadata: &str) -> Result<Version, VersionError> {
        if !metadata.is_empty() {
            validate_metadata(metadata)?;
        }
        let mut next = self.clone();
        next.metadata = metadata.to_string();
        Ok(next.with_original(self.v_prefix()))
    }
}

/// `comparePrerelease`: identifier-wise; a missing identifier sorts first.
pub(crate) fn compare_prerelease(a: &str, b: &str) -> Ordering {
    let ap: Vec<&str> = a.split('.').collect();
    let bp: Vec<&str> = b.split('.').collect();
    for i in 0..ap.len().max(bp.len()) {
        let x = ap.get(i).copied().unwrap_or("");
        let y = bp.get(i).copied().unwrap_or("");
        let d = compare_pre_part(x, y);
        if d != Ordering::Equal {
            return d;
        }
    }
    Ordering::Equal
}

/// `comparePrePart`: numbers (that fit in u64, per `strconv.ParseUint`) sort before
/// alphanumerics; two alphanumerics compare bytewise; an empty part sorts first.
fn compare_pre_part(s: &str, o: &str) -> Ordering {
    if s == o {
        return Ordering::Equal;
    }
    if s.is_empty() {
        return Ordering::Less;
    }
    if o.is_empty() {
        return Ordering::Greater;
    }
    match (go_parse_uint(s), go_parse_uint(o)) {
        (Err(_), Err(_)) => {
            // Go returns 1 only for s > o and -1 otherwise; s != o here so that is a total order.
            if s > o {
                Ordering::Greater
            } else {
                Ordering::Less
            }
        }
        (Ok(_), Err(_)) => Ordering::Less,
        (Err(_), Ok(_)) => Ordering::Greater,
        // Quirk: equal numbers with different spelling cannot occur (leading zeros are
        // rejected), so Go's "si > oi ? 1 : -1" never sees equality.
        (Ok(si), Ok(oi)) => {
            if si > oi {
                Ordering::Greater
            } else {
                Ordering::Less
            }
        }
    }
}

impl fmt::Display for Version {
    /// Go's `String()`: `MAJOR.MINOR.PATCH[-PRE][+META]`, never a `v`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)?;
        if !self.pre.is_empty() {
            write!(f, "-{}", self.pre)?;
        }
        if !self.metadata.is_empty() {
            write!(f, "+{}", self.metadata)?;
        }
        Ok(())
    }
}

impl std::str::FromStr for Version {
    type Err = VersionError;

    /// Same as [`Version::parse`] (lenient).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Version::parse(s)
    }
}

impl PartialEq for Version {
    fn eq(&self, other: &Self) -> bool {
        self.compare(other) == Ordering::Equal
    }
}

impl Eq for Version {}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        self.compare(other)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hand-written matcher splits every string over the pattern's alphabet exactly as
    /// Masterminds' `looseSemVerRegex` (here through `regex`, which agrees with Go's RE2 on
    /// this pattern): all strings of up to 6 characters over `v0 1 . - + a`, plus longer cases.
    #[test]
    fn loose_parts_match_the_regex() {
        let re = regex::Regex::new(concat!(
            r"^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?",
            r"(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?",
            r"(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?$"
        ))
        .unwrap();
        let check = |s: &str| {
            let want = re.captures(s).map(|m| {
                let g = |i: usize| m.get(i).map_or("", |g| g.as_str());
                [g(1), g(2), g(3), g(5), g(8)]
            });
            let got = loose_parts(s).map(|p| [p.major, p.minor, p.patch, p.pre, p.metadata]);
            assert_eq!(got, want, "{s:?}");
        };
        let alphabet = ['v', '0', '1', '.', '-', '+', 'a'];
        let mut layer = vec![String::new()];
        for _ in 0..6 {
            let mut next = Vec::new();
            for s in &layer {
                for c in alphabet {
                    let t = format!("{s}{c}");
                    check(&t);
                    next.push(t);
                }
            }
            layer = next;
        }
        for s in [
            "",
            "v",
            "1.2.3-rc.1+build.5",
            "10.20.30-alpha-1.x+sha.0a1-b",
            "1.2.3.4",
            "1.2.3-+x",
            "1.2.3-a..b",
            "1.2.3+a+b",
            "V1.2.3",
            "1.2.3 ",
            "1.2.3\n",
            "١.2.3",
        ] {
            check(s);
        }
    }

    #[test]
    fn lenient_coercion() {
        let v = Version::parse("v1.2").unwrap();
        assert_eq!(v.to_string(), "1.2.0");
        assert_eq!(v.original(), "v1.2");
        assert_eq!(Version::parse("01.02.3").unwrap().to_string(), "1.2.3");
        assert_eq!(
            Version::parse("1.2.3-01").unwrap_err(),
            VersionError::SegmentStartsZero
        );
        assert_eq!(Version::parse("").unwrap_err(), VersionError::InvalidSemVer);
    }

    #[test]
    fn strict() {
        assert!(Version::parse_strict("1.2.3-rc.1+b.2").is_ok());
        assert_eq!(
            Version::parse_strict("v1.2.3").unwrap_err(),
            VersionError::InvalidCharacters
        );
        assert_eq!(
            Version::parse_strict("1.2").unwrap_err(),
            VersionError::InvalidSemVer
        );
        assert_eq!(
            Version::parse_strict("1..2").unwrap_err().to_string(),
            "strconv.ParseUint: parsing \"\": invalid syntax"
        );
    }

    #[test]
    fn incs_keep_v_prefix() {
        let v = Version::parse("v1.2.3-rc.1+m").unwrap();
        assert_eq!(v.inc_patch().unwrap().original(), "v1.2.3");
        assert_eq!(v.inc_minor().unwrap().original(), "v1.3.0");
        assert_eq!(v.inc_major().unwrap().to_string(), "2.0.0");
    }
}
