//! Version constraints as Masterminds/semver v3 (3.5.0) parses and checks them.
//!
//! Owns: [`Constraints`] (`NewConstraint`, `Check`, `Validate`, `String`), the constraint grammar
//! (operators `=` `!=` `>` `<` `>=` `=>` `<=` `=<` `~` `~>` `^`, wildcards `x` `X` `*`, hyphen
//! ranges, `||` OR, comma/space AND) and the 3.4+ prerelease rule (an AND group that names a
//! prerelease anywhere admits prereleases for all its comparators). Error and `validate` texts are
//! Go's, byte for byte. Does not own version parsing (see `version`).
//!
//! The grammar is implemented with the same regular expressions Masterminds uses: Go's RE2 and
//! Rust's `regex` share leftmost-first semantics, so odd inputs split the same way. Go's `\s` is
//! ASCII `[\t\n\f\r ]` (no `\v`), spelled out explicitly here.

use std::fmt;
use std::sync::LazyLock;

use regex::Regex;

use crate::gofmt::go_quote;
use crate::version::Version;

/// Errors from [`Constraints::parse`]; `Display` is the exact Go error text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConstraintError {
    /// `improper constraint: %q` — the quoted part is the offending `||` segment.
    #[error("improper constraint: {}", go_quote(.0))]
    Improper(String),
    /// The constraint matched the grammar but its version did not parse (e.g. `>=1.2.3-01`).
    #[error("constraint parser error")]
    Parser,
}

/// Go's `\s`.
const WS: &str = r"[\t\n\f\r ]";
/// The operator alternation, including Go's empty alternative right after `=`.
const OPS: &str = r"=||!=|>|<|>=|=>|<=|=<|~|~>|\^";
/// `cvRegex`: a version with optional wildcards. Note the `|` inside the character classes is a
/// literal pipe in Go too (a Masterminds quirk we keep).
const CV: &str = concat!(
    r"v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?",
    r"(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?",
    r"(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?"
);

fn re(pattern: String) -> Regex {
    Regex::new(&pattern).expect("static regex")
}

static CONSTRAINT_RE: LazyLock<Regex> =
    LazyLock::new(|| re(format!(r"^{WS}*({OPS}){WS}*({CV}){WS}*$")));
static RANGE_RE: LazyLock<Regex> =
    LazyLock::new(|| re(format!(r"{WS}*({CV}){WS}+-{WS}+({CV}){WS}*")));
static FIND_RE: LazyLock<Regex> = LazyLock::new(|| re(format!(r"({OPS}){WS}*({CV})")));
static VALID_RE: LazyLock<Regex> = LazyLock::new(|| {
    re(format!(
        r"^({WS}*({OPS}){WS}*({CV}){WS}*)((?:{WS}+|,{WS}*)({OPS}){WS}*({CV}){WS}*)*$"
    ))
});

/// The comparison an operator selects (several spellings share one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    TildeOrEqual,
    NotEqual,
    Greater,
    Less,
    GreaterEqual,
    LessEqual,
    Tilde,
    Caret,
}

impl Op {
    fn from_str(s: &str) -> Op {
        match s {
            "!=" => Op::NotEqual,
            ">" => Op::Greater,
            "<" => Op::Less,
            ">=" | "=>" => Op::GreaterEqual,
            "<=" | "=<" => Op::LessEqual,
            "~" | "~>" => Op::Tilde,
            "^" => Op::Caret,
            // "" and "="
            _ => Op::TildeOrEqual,
        }
    }
}

/// One comparator such as `>=1.2` (Go's unexported `constraint`).
#[derive(Debug, Clone)]
struct Constraint {
    /// The version compared against, wildcards replaced by 0.
    con: Version,
    /// The version text as written (`1.x`), used in messages and `String()`.
    orig: String,
    /// The operator as written.
    origfunc: String,
    op: Op,
    minor_dirty: bool,
    dirty: bool,
    patch_dirty: bool,
}

fn is_x(s: &str) -> bool {
    matches!(s, "x" | "*" | "X")
}

/// A check result: `Err` carries Go's reason text.
type CheckResult = Result<(), String>;

fn q(v: &Version) -> String {
    go_quote(&v.to_string())
}

impl Constraint {
    /// `parseConstraint` for a non-empty comparator string.
    fn parse(c: &str) -> Result<Constraint, ConstraintError> {
        let m = CONSTRAINT_RE
            .captures(c)
            .ok_or_else(|| ConstraintError::Improper(c.to_string()))?;
        let g = |i: usize| m.get(i).map_or("", |x| x.as_str());
        let (orig, origfunc) = (g(2), g(1));
        let (major, minor, patch, pre) = (g(3), g(4), g(5), g(6));
        let mut minor_dirty = false;
        let mut patch_dirty = false;
        let mut dirty = false;
        let ver = if is_x(major) || major.is_empty() {
            dirty = true;
            format!("0.0.0{pre}")
        } else if is_x(minor.trim_start_matches('.')) || minor.is_empty() {
            minor_dirty = true;
            dirty = true;
            format!("{major}.0.0{pre}")
        } else if is_x(patch.trim_start_matches('.')) || patch.is_empty() {
            dirty = true;
            patch_dirty = true;
            format!("{major}{minor}.0{pre}")
        } else {
            orig.to_string()
        };
        let con = Version::parse(&ver).map_err(|_| ConstraintError::Parser)?;
        Ok(Constraint {
            con,
            orig: orig.to_string(),
            origfunc: origfunc.to_string(),
            op: Op::from_str(origfunc),
            minor_dirty,
            dirty,
            patch_dirty,
        })
    }

    fn check(&self, v: &Version, include_pre: bool) -> CheckResult {
        // Every comparator rejects a prerelease version when its group does not admit them.
        if !v.prerelease().is_empty() && !include_pre {
            return Err(format!(
                "{} is a prerelease version and the constraint is only looking for release versions",
                q(v)
            ));
        }
        match self.op {
            Op::TildeOrEqual => self.tilde_or_equal(v),
            Op::NotEqual => self.not_equal(v),
            Op::Greater => self.greater(v),
            Op::Less => self.less(v),
            Op::GreaterEqual => self.greater_equal(v),
            Op::LessEqual => self.less_equal(v),
            Op::Tilde => self.tilde(v),
            Op::Caret => self.caret(v),
        }
    }

    fn fail(&self, v: &Version, what: &str) -> CheckResult {
        Err(format!("{} {what} {}", q(v), go_quote(&self.orig)))
    }

    fn not_equal(&self, v: &Version) -> CheckResult {
        let c = &self.con;
        if self.dirty {
            if c.major() != v.major() {
                return Ok(());
            }
            if c.minor() != v.minor() && !self.minor_dirty {
                return Ok(());
            } else if self.minor_dirty {
                return self.fail(v, "is equal to");
            } else if c.patch() != v.patch() && !self.patch_dirty {
                return Ok(());
            } else if self.patch_dirty {
                if (!v.prerelease().is_empty() || !c.prerelease().is_empty())
                    && crate::version::compare_prerelease(v.prerelease(), c.prerelease())
                        != std::cmp::Ordering::Equal
                {
                    return Ok(());
                }
                return self.fail(v, "is equal to");
            }
        }
        if v == c {
            return self.fail(v, "is equal to");
        }
        Ok(())
    }

    fn greater(&self, v: &Version) -> CheckResult {
        let c = &self.con;
        let le = "is less than or equal to";
        if !self.dirty {
            return if v > c { Ok(()) } else { self.fail(v, le) };
        }
        if v.major() > c.major() {
            Ok(())
        } else if v.major() < c.major() || self.minor_dirty {
            // `>11` needs 12 or higher: 11.1.0 is not greater than 11.
            self.fail(v, le)
        } else if self.patch_dirty {
            // `>11.1` needs 11.2 or higher.
            if v.minor() > c.minor() {
                Ok(())
            } else {
                self.fail(v, le)
            }
        } else if v > c {
            Ok(())
        } else {
            self.fail(v, le)
        }
    }

    fn less(&self, v: &Version) -> CheckResult {
        if v < &self.con {
            Ok(())
        } else {
            self.fail(v, "is greater than or equal to")
        }
    }

    fn greater_equal(&self, v: &Version) -> CheckResult {
        if v >= &self.con {
            Ok(())
        } else {
            self.fail(v, "is less than")
        }
    }

    fn less_equal(&self, v: &Version) -> CheckResult {
        let c = &self.con;
        if !self.dirty {
            return if v <= c {
                Ok(())
            } else {
                self.fail(v, "is greater than")
            };
        }
        if v.major() > c.major()
            || (v.major() == c.major() && v.minor() > c.minor() && !self.minor_dirty)
        {
            return self.fail(v, "is greater than");
        }
        Ok(())
    }

    /// `~1.2.3` = `>=1.2.3 <1.3.0`; `~1` = `>=1.0.0 <2.0.0`; `~0.0.0`/`~*` = anything.
    fn tilde(&self, v: &Version) -> CheckResult {
        let c = &self.con;
        if v < c {
            return self.fail(v, "is less than");
        }
        if c.major() == 0
            && c.minor() == 0
            && c.patch() == 0
            && !self.minor_dirty
            && !self.patch_dirty
        {
            return Ok(());
        }
        if v.major() != c.major() {
            return self.fail(v, "does not have same major version as");
        }
        if v.minor() != c.minor() && !self.minor_dirty {
            return self.fail(v, "does not have same major and minor version as");
        }
        Ok(())
    }

    /// A bare or `=` version is exact, unless it has wildcards/missing parts: then it is `~`.
    fn tilde_or_equal(&self, v: &Version) -> CheckResult {
        if self.dirty {
            return self.tilde(v);
        }
        if v == &self.con {
            Ok(())
        } else {
            self.fail(v, "is not equal to")
        }
    }

    /// `^1.2.3` = `>=1.2.3 <2.0.0`; `^0.2.3` = `>=0.2.3 <0.3.0`; `^0.0.3` = `>=0.0.3 <0.0.4`;
    /// `^0.0` = `>=0.0.0 <0.1.0`; `^0` = `>=0.0.0 <1.0.0`.
    fn caret(&self, v: &Version) -> CheckResult {
        let c = &self.con;
        if v < c {
            return self.fail(v, "is less than");
        }
        if c.major() > 0 || self.minor_dirty {
            return if v.major() == c.major() {
                Ok(())
            } else {
                self.fail(v, "does not have same major version as")
            };
        }
        if v.major() > 0 {
            return self.fail(v, "does not have same major version as");
        }
        if c.minor() > 0 || self.patch_dirty {
            return if v.minor() == c.minor() {
                Ok(())
            } else {
                self.fail(v, "does not have same minor version as")
                    .map_err(|e| {
                        e + ". Expected minor versions to match when constraint major version is 0"
                    })
            };
        }
        if v.minor() > 0 {
            return self.fail(v, "does not have same minor version as");
        }
        if c.patch() == v.patch() {
            Ok(())
        } else {
            self.fail(v, "does not equal").map_err(|e| {
                e + ". Expect version and constraint to equal when major and minor versions are 0"
            })
        }
    }
}

impl fmt::Display for Constraint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.origfunc, self.orig)
    }
}

/// One or more comparators: OR groups (`||`) of AND groups (comma or space separated).
#[derive(Debug, Clone)]
pub struct Constraints {
    groups: Vec<Vec<Constraint>>,
    /// Per OR group: does any comparator carry a prerelease?
    contains_pre: Vec<bool>,
    include_prerelease: bool,
}

/// `rewriteRange`: turn every `A - B` into `>= A, <= B ` (replacing the first occurrence of each
/// matched text, as Go's `strings.Replace(o, m, t, 1)` does).
fn rewrite_range(s: &str) -> String {
    let mut out = s.to_string();
    for m in RANGE_RE.captures_iter(s) {
        let whole = m.get(0).map_or("", |x| x.as_str());
        let a = m.get(1).map_or("", |x| x.as_str());
        let b = m.get(11).map_or("", |x| x.as_str());
        out = out.replacen(whole, &format!(">= {a}, <= {b} "), 1);
    }
    out
}

impl Constraints {
    /// Go's `semver.NewConstraint`.
    pub fn parse(s: &str) -> Result<Constraints, ConstraintError> {
        let rewritten = rewrite_range(s);
        let mut groups = Vec::new();
        let mut contains_pre = Vec::new();
        for seg in rewritten.split("||") {
            if !VALID_RE.is_match(seg) {
                return Err(ConstraintError::Improper(seg.to_string()));
            }
            let mut found: Vec<&str> = FIND_RE.find_iter(seg).map(|m| m.as_str()).collect();
            if found.is_empty() {
                found.push(seg);
            }
            let mut group = Vec::with_capacity(found.len());
            let mut has_pre = false;
            for c in found {
                let pc = if c.is_empty() {
                    // Unreachable after VALID_RE, kept as Go has it: "" means >=0.0.0 (any).
                    Constraint {
                        con: Version::new(0, 0, 0, "", ""),
                        orig: String::new(),
                        origfunc: String::new(),
                        op: Op::TildeOrEqual,
                        minor_dirty: false,
                        dirty: true,
                        patch_dirty: false,
                    }
                } else {
                    Constraint::parse(c)?
                };
                has_pre |= !pc.con.prerelease().is_empty();
                group.push(pc);
            }
            groups.push(group);
            contains_pre.push(has_pre);
        }
        Ok(Constraints {
            groups,
            contains_pre,
            include_prerelease: false,
        })
    }

    /// Go's `IncludePrerelease` field: admit prereleases in every group.
    pub fn set_include_prerelease(&mut self, include: bool) {
        self.include_prerelease = include;
    }

    /// Whether prereleases are admitted everywhere (see [`Constraints::set_include_prerelease`]).
    pub fn include_prerelease(&self) -> bool {
        self.include_prerelease
    }

    /// Go's `Check`: true when any OR group has all its comparators satisfied.
    pub fn check(&self, v: &Version) -> bool {
        self.groups.iter().zip(&self.contains_pre).any(|(g, &pre)| {
            let include = self.include_prerelease || pre;
            g.iter().all(|c| c.check(v, include).is_ok())
        })
    }

    /// Go's `Validate`: `(true, [])` on success, else `false` and every reason collected across
    /// the groups (the "is a prerelease version" reason appears only once).
    pub fn validate(&self, v: &Version) -> (bool, Vec<String>) {
        let mut errs = Vec::new();
        let mut pre_reported = false;
        for (g, &pre) in self.groups.iter().zip(&self.contains_pre) {
            let include = self.include_prerelease || pre;
            let mut joy = true;
            for c in g {
                if !include && !v.prerelease().is_empty() {
                    if !pre_reported {
                        errs.push(format!(
                            "{} is a prerelease version and the constraint is only looking for release versions",
                            q(v)
                        ));
                        pre_reported = true;
                    }
                    joy = false;
                } else if let Err(e) = c.check(v, include) {
                    errs.push(e);
                    joy = false;
                }
            }
            if joy {
                return (true, Vec::new());
            }
        }
        (false, errs)
    }
}

impl fmt::Display for Constraints {
    /// Go's `String()`: comparators as written, AND joined by a space, OR by ` || `.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, g) in self.groups.iter().enumerate() {
            if i > 0 {
                f.write_str(" || ")?;
            }
            for (j, c) in g.iter().enumerate() {
                if j > 0 {
                    f.write_str(" ")?;
                }
                write!(f, "{c}")?;
            }
        }
        Ok(())
    }
}

impl std::str::FromStr for Constraints {
    type Err = ConstraintError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Constraints::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(c: &str, v: &str) -> bool {
        Constraints::parse(c)
            .unwrap()
            .check(&Version::parse(v).unwrap())
    }

    #[test]
    fn basics() {
        assert!(check("^1.2", "1.3.0"));
        assert!(!check("^1.2.0", "1.2.5-rc1"));
        assert!(check(">=1.2.3-beta.1 <1.2.4", "1.2.3-beta.2"));
        assert!(check("1.2 - 1.4.5", "1.4.5"));
        assert!(!check("1.2 - 1.4.5", "1.4.6"));
        assert!(check("<1.0.0 || >=2.0.0", "2.1.0"));
    }

    #[test]
    fn errors() {
        assert_eq!(
            Constraints::parse("").unwrap_err().to_string(),
            "improper constraint: \"\""
        );
        assert_eq!(
            Constraints::parse(">=1.2.3 || ").unwrap_err().to_string(),
            "improper constraint: \" \""
        );
    }

    #[test]
    fn string_form() {
        let c = Constraints::parse("1.2 - 1.4.5 || ^2").unwrap();
        assert_eq!(c.to_string(), ">=1.2 <=1.4.5 || ^2");
    }
}
