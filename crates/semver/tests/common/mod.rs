//! Test helper: evaluate the small subset of Helm templates that only call Sprig's `semver` /
//! `semverCompare` on literal strings, using origan_semver, so Helm-recorded expectations can be
//! compared. Does not implement Go templates in general: anything else returns `None` (skipped).

use std::sync::LazyLock;

use origan_semver::{Version, VersionError, semver, semver_compare};
use regex::Regex;

/// What a template evaluated to: rendered text, or the Go error text of the failing call.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    Text(String),
    Error(String),
}

/// A Go interpreted string literal, captured whole (quotes included).
const S: &str = r#""(?:[^"\\]|\\.)*""#;

static COMPARE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"^\{{\{{ semverCompare ({S}) ({S}) \}}\}}$")).unwrap());
static PIPE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"^\{{\{{ ({S}) \| semverCompare ({S}) \}}\}}$")).unwrap()
});
static SEMVER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"^\{{\{{ semver ({S}) \}}\}}$")).unwrap());
static FIELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^\{{\{{ \(semver ({S})\)((?:\.[A-Za-z]+)+) \}}\}}$"
    ))
    .unwrap()
});
static METHOD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^\{{\{{ \(semver ({S})\)\.([A-Za-z]+) \(semver ({S})\) \}}\}}$"
    ))
    .unwrap()
});

/// Decode a Go string literal (only the escapes our inputs can contain).
fn unquote(lit: &str) -> Option<String> {
    let inner = lit.strip_prefix('"')?.strip_suffix('"')?;
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next()? {
            '"' => out.push('"'),
            '\\' => out.push('\\'),
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'u' => {
                let hex: String = chars.by_ref().take(4).collect();
                out.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
            }
            _ => return None,
        }
    }
    Some(out)
}

fn err(e: impl ToString) -> Outcome {
    Outcome::Error(e.to_string())
}

/// Apply a chain of field/method names without arguments, as the template would print it.
fn fields(v: Version, chain: &str) -> Option<Outcome> {
    let mut v = v;
    let names: Vec<&str> = chain.trim_start_matches('.').split('.').collect();
    for (i, name) in names.iter().enumerate() {
        let last = i + 1 == names.len();
        let next: Result<Version, VersionError> = match *name {
            "IncMajor" => v.inc_major(),
            "IncMinor" => v.inc_minor(),
            "IncPatch" => v.inc_patch(),
            _ if last => {
                let text = match *name {
                    "String" => v.to_string(),
                    "Major" => v.major().to_string(),
                    "Minor" => v.minor().to_string(),
                    "Patch" => v.patch().to_string(),
                    "Prerelease" => v.prerelease().to_string(),
                    "Metadata" => v.metadata().to_string(),
                    "Original" => v.original().to_string(),
                    _ => return None,
                };
                return Some(Outcome::Text(text));
            }
            _ => return None,
        };
        v = match next {
            Ok(n) => n,
            Err(e) => return Some(err(e)),
        };
    }
    // A Version value prints through its String method.
    Some(Outcome::Text(v.to_string()))
}

/// Evaluate `template` if it is one of the supported shapes.
pub fn eval(template: &str) -> Option<Outcome> {
    let t = template.trim_end_matches('\n');
    let compare = |c: &str, v: &str| {
        Some(match semver_compare(&unquote(c)?, &unquote(v)?) {
            Ok(b) => Outcome::Text(b.to_string()),
            Err(e) => err(e),
        })
    };
    if let Some(m) = COMPARE.captures(t) {
        return compare(&m[1], &m[2]);
    }
    if let Some(m) = PIPE.captures(t) {
        return compare(&m[2], &m[1]);
    }
    if let Some(m) = SEMVER.captures(t) {
        return Some(match semver(&unquote(&m[1])?) {
            Ok(v) => Outcome::Text(v.to_string()),
            Err(e) => err(e),
        });
    }
    if let Some(m) = FIELD.captures(t) {
        return match semver(&unquote(&m[1])?) {
            Ok(v) => fields(v, &m[2]),
            Err(e) => Some(err(e)),
        };
    }
    if let Some(m) = METHOD.captures(t) {
        let a = match semver(&unquote(&m[1])?) {
            Ok(v) => v,
            Err(e) => return Some(err(e)),
        };
        let b = match semver(&unquote(&m[3])?) {
            Ok(v) => v,
            Err(e) => return Some(err(e)),
        };
        let ord = a.compare(&b);
        let text = match &m[2] {
            "Compare" => (ord as i8).to_string(),
            "LessThan" => ord.is_lt().to_string(),
            "LessThanEqual" => ord.is_le().to_string(),
            "GreaterThan" => ord.is_gt().to_string(),
            "GreaterThanEqual" => ord.is_ge().to_string(),
            "Equal" => ord.is_eq().to_string(),
            _ => return None,
        };
        return Some(Outcome::Text(text));
    }
    None
}

/// Does our outcome agree with Helm's? For errors, Helm's message must end with ours (Helm
/// prefixes the template position and "error calling F: ").
pub fn agrees(ours: &Outcome, expected: Option<&str>, expected_error: Option<&str>) -> bool {
    match (ours, expected, expected_error) {
        (Outcome::Text(t), Some(e), None) => t == e,
        (Outcome::Error(m), None, Some(e)) => e.ends_with(&format!(": {m}")),
        _ => false,
    }
}
