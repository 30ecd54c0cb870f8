//! Masterminds/semver v3 (3.5.0, as pinned by Helm v4.2.3) for origanctl.
//!
//! Owns: semantic versions with Masterminds' lenient and strict parsers ([`Version`]),
//! constraints with Masterminds' grammar and prerelease rules ([`Constraints`]), Helm's OCI tag
//! ordering/resolution ([`max_satisfying`] and friends), and Sprig's `semverCompare`
//! ([`semver_compare`]). Error `Display` texts are Go's. Does not own the template-engine
//! binding of `semver`/`semverCompare` (method dispatch, Go error prefixes) nor any I/O.

mod collection;
mod constraints;
mod gofmt;
mod version;

pub use collection::{
    TagError, max_satisfying, oci_tags, sort_versions, tag_matching_version_or_constraint,
};
pub use constraints::{ConstraintError, Constraints};
pub use gofmt::{ParseUintError, go_quote};
pub use version::{Version, VersionError};

/// Error of [`semver_compare`]: whichever of the two parses failed first.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CompareError {
    /// The constraint did not parse (checked first, as Sprig does).
    #[error(transparent)]
    Constraint(#[from] ConstraintError),
    /// The version did not parse (lenient parser).
    #[error(transparent)]
    Version(#[from] VersionError),
}

/// Sprig's `semverCompare constraint version`: parse the constraint, then the version
/// (leniently), then `Check`.
pub fn semver_compare(constraint: &str, version: &str) -> Result<bool, CompareError> {
    let c = Constraints::parse(constraint)?;
    let v = Version::parse(version)?;
    Ok(c.check(&v))
}

/// Sprig's `semver version`: the lenient parser.
pub fn semver(version: &str) -> Result<Version, VersionError> {
    Version::parse(version)
}

/// Helm's `chartutil.IsCompatibleRange` (Chart.yaml `kubeVersion` checks): true only when the
/// version parses leniently, the constraint parses, and the version satisfies it.
pub fn is_compatible_range(constraint: &str, version: &str) -> bool {
    semver_compare(constraint, version).unwrap_or(false)
}
