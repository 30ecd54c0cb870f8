//! Helm charts in OCI registries (Helm's `pkg/registry`): references, tags
//! (`+` stored as `_`), credentials where Helm and Docker keep them, the
//! distribution API with basic and bearer-token auth, and push/pull with
//! Helm's media types, every blob checked against its digest.
//!
//! Knows nothing of chart contents beyond the metadata JSON it is handed and
//! the archive bytes; loading and packaging charts is `origan-chart`'s job.

mod auth;
mod chart;
mod client;
mod reference;

pub use auth::{CredentialStore, Credentials};
pub use chart::{
    CHART_LAYER_MEDIA_TYPE, CONFIG_MEDIA_TYPE, LEGACY_CHART_LAYER_MEDIA_TYPE, MANIFEST_MEDIA_TYPE,
    PROV_LAYER_MEDIA_TYPE, PullResult, PushResult, pull_chart, push_chart, resolve_version,
};
pub use client::{Client, ClientOptions, digest_of};
pub use reference::Reference;

/// Helm's `registryUnderscoreMessage` (`pkg/registry/client.go`, helm#10166),
/// printed after a push whose tag, or a pull whose reference, holds `_`.
pub const UNDERSCORE_MESSAGE: &str = "
OCI artifact references (e.g. tags) do not support the plus sign (+). To support
storing semantic versions, Helm adopts the convention of changing plus (+) to
an underscore (_) in chart version tags when pushing to a registry and back to
a plus (+) when pulling from a registry.";

/// The lines Helm prints after `Pushed:`/`Digest:` when the pushed tag
/// holds `_` (a `+` in the chart version), else `None`. Helm looks at the
/// tag alone on push.
pub fn push_underscore_notice(reference: &str) -> Option<String> {
    let last = reference.rsplit('/').next().unwrap_or(reference);
    let tag = last.split_once(':').map(|(_, t)| t).unwrap_or("");
    tag.contains('_')
        .then(|| format!("{reference} contains an underscore.\n{UNDERSCORE_MESSAGE}\n"))
}

/// The same notice after `Pulled:`/`Digest:`: Helm checks the whole
/// reference on pull, so an `_` in the repository path prints it too.
pub fn pull_underscore_notice(reference: &str) -> Option<String> {
    reference
        .contains('_')
        .then(|| format!("{reference} contains an underscore.\n{UNDERSCORE_MESSAGE}\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn underscore_notice_follows_helms_conditions() {
        assert!(push_underscore_notice("h:5000/r/c:1.0.0").is_none());
        assert!(push_underscore_notice("h:5000/my_repo/c:1.0.0").is_none());
        let n = push_underscore_notice("h:5000/r/c:1.0.0_b.1").unwrap();
        assert!(n.starts_with("h:5000/r/c:1.0.0_b.1 contains an underscore.\n\nOCI artifact"));
        assert!(n.ends_with("when pulling from a registry.\n"));
        assert!(pull_underscore_notice("h:5000/my_repo/c:1.0.0").is_some());
        assert!(pull_underscore_notice("h:5000/r/c:1.0.0").is_none());
    }
}

/// What went wrong talking to a registry.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The reference could not be parsed.
    #[error("invalid reference {reference:?}: {reason}")]
    Reference {
        /// The text given.
        reference: String,
        /// Why.
        reason: String,
    },
    /// The registry could not be reached.
    #[error("failed to reach registry {host}: {source}")]
    Unreachable {
        /// host:port
        host: String,
        /// The cause.
        source: reqwest::Error,
    },
    /// The registry refused the credentials.
    #[error(
        "authentication to {host} failed: {status} (check the username and password, or `origanctl registry login {host}`)"
    )]
    Unauthorized {
        /// host:port
        host: String,
        /// HTTP status line.
        status: String,
    },
    /// The registry answered with an error.
    #[error("{what}: registry answered {status}: {body}")]
    Status {
        /// What was being done.
        what: String,
        /// HTTP status.
        status: u16,
        /// The body (truncated).
        body: String,
    },
    /// Content did not match its digest.
    #[error("digest mismatch for {what}: expected {expected}, got {actual}")]
    Digest {
        /// Which content.
        what: String,
        /// The digest the manifest or reference named.
        expected: String,
        /// The digest of what was received.
        actual: String,
    },
    /// The manifest is not a Helm chart.
    #[error("{0}")]
    Manifest(String),
    /// No tag satisfies the requested version.
    #[error("{0}")]
    Version(String),
    /// Reading or writing local files (credentials, cache).
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// TLS files could not be read or parsed.
    #[error("TLS configuration: {0}")]
    Tls(String),
}
