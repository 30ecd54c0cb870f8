//! Sorting versions and resolving an OCI chart tag from a version constraint, as Helm does.
//!
//! Owns: [`sort_versions`] (`sort.Sort(semver.Collection)`), [`oci_tags`] (the filtering and
//! ordering of `registry.Client.Tags`), [`tag_matching_version_or_constraint`]
//! (`registry.GetTagMatchingVersionOrConstraint`) and [`max_satisfying`] (both together).
//! Does not own listing tags over the network, the `+`→`_` tag encoding on push, or the
//! "use a lenient version verbatim as the tag" shortcut (helm-behaviour.md §6.4 step 4): the
//! caller decides that with [`Version::parse`] before asking for tag resolution.

use crate::constraints::{ConstraintError, Constraints};
use crate::version::Version;

/// Errors from tag resolution; `Display` is Helm's text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TagError {
    /// The version string is not a valid constraint.
    #[error(transparent)]
    Constraint(#[from] ConstraintError),
    /// No tag satisfies the constraint.
    #[error("could not locate a version matching provided version string {0}")]
    NoMatch(String),
}

/// Sort ascending by Masterminds precedence (`sort.Sort(semver.Collection(vs))`).
///
/// Go's `sort.Sort` is not stable, so the relative order of versions that compare equal
/// (same version, different metadata) is unspecified there; this sort is stable.
pub fn sort_versions(versions: &mut [Version]) {
    versions.sort_by(|a, b| a.compare(b));
}

/// Helm's `registry.Client.Tags` post-processing: map `_` back to `+`, keep only tags that pass
/// the **strict** parser, sort **descending** (`sort.Sort(sort.Reverse(semver.Collection))`),
/// return their `String()` forms.
///
/// Tags of equal precedence (differing only in metadata) keep the registry's order. That is
/// what Go does for up to 12 tags (its pdqsort falls back to a stable insertion sort); for
/// longer lists Go's order of such ties is an artefact of pdqsort and is not reproduced.
pub fn oci_tags<S: AsRef<str>>(raw_tags: &[S]) -> Vec<String> {
    let mut versions: Vec<Version> = raw_tags
        .iter()
        .filter_map(|t| Version::parse_strict(&t.as_ref().replace('_', "+")).ok())
        .collect();
    versions.sort_by(|a, b| b.compare(a));
    versions.iter().map(Version::to_string).collect()
}

/// Helm's `GetTagMatchingVersionOrConstraint` over tags in the order given (Helm passes the
/// descending list from [`oci_tags`]): an exact string match wins, otherwise the first tag
/// that parses leniently and satisfies the constraint (`*` when `version` is empty).
pub fn tag_matching_version_or_constraint<S: AsRef<str>>(
    tags: &[S],
    version: &str,
) -> Result<String, TagError> {
    let constraint = if version.is_empty() {
        Constraints::parse("*")?
    } else {
        if let Some(t) = tags.iter().find(|t| t.as_ref() == version) {
            return Ok(t.as_ref().to_string());
        }
        Constraints::parse(version)?
    };
    tags.iter()
        .map(AsRef::as_ref)
        .find(|t| Version::parse(t).is_ok_and(|v| constraint.check(&v)))
        .map(str::to_string)
        .ok_or_else(|| TagError::NoMatch(version.to_string()))
}

/// Resolve `constraint` against raw registry tags the way `helm pull oci://… --version C` does:
/// [`oci_tags`] then [`tag_matching_version_or_constraint`]. Returns the highest matching tag
/// in `+` form. An empty tag list yields `NoMatch`; Helm reports that case earlier as
/// `unable to locate any tags in provided repository: REF`, which the caller should word.
pub fn max_satisfying<S: AsRef<str>>(constraint: &str, raw_tags: &[S]) -> Result<String, TagError> {
    tag_matching_version_or_constraint(&oci_tags(raw_tags), constraint)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolution() {
        let tags = [
            "0.1.0",
            "0.3.1",
            "0.3.2-rc.1",
            "0.3.0",
            "1.0",
            "v0.3.9",
            "0.2.0_build.1",
        ];
        assert_eq!(
            oci_tags(&tags),
            ["0.3.2-rc.1", "0.3.1", "0.3.0", "0.2.0+build.1", "0.1.0"]
        );
        assert_eq!(max_satisfying("^0.3", &tags).unwrap(), "0.3.1");
        assert_eq!(max_satisfying("", &tags).unwrap(), "0.3.1");
        assert_eq!(max_satisfying(">0.0.0-0", &tags).unwrap(), "0.3.2-rc.1");
        assert_eq!(
            max_satisfying("^2", &tags).unwrap_err().to_string(),
            "could not locate a version matching provided version string ^2"
        );
    }
}
