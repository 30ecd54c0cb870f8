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
