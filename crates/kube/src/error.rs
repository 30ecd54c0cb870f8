//! The crate's error type.

/// What went wrong talking to the cluster.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The kubeconfig could not be read or used.
    #[error("kubernetes cluster unreachable: {0}")]
    Config(String),
    /// An API call failed.
    #[error("{context}: {}", describe(source))]
    Api {
        /// What was being done.
        context: String,
        /// The client error.
        #[source]
        source: Box<kube::Error>,
    },
    /// The API server could not be reached at all (connection refused, DNS,
    /// TLS): Helm's "Kubernetes cluster unreachable", naming the server.
    #[error("Kubernetes cluster unreachable: {context}: {server}: {reason}")]
    Unreachable {
        /// What was being done.
        context: String,
        /// The kubeconfig's server URL.
        server: String,
        /// The innermost cause (`Connection refused (os error 111)`).
        reason: String,
    },
    /// The server does not know this kind.
    #[error(
        "resource mapping not found for name: {name:?} namespace: {namespace:?} from \"\": no matches for kind {kind:?} in version {api_version:?}"
    )]
    UnknownKind {
        /// apiVersion
        api_version: String,
        /// kind
        kind: String,
        /// object name
        name: String,
        /// object namespace
        namespace: String,
    },
    /// A document is not a Kubernetes object.
    #[error("invalid object: {0}")]
    Invalid(String),
    /// Server-side apply hit a field owned by another manager.
    #[error("conflict occurred while applying object {object}: {message}")]
    Conflict {
        /// `ns/name gvk`
        object: String,
        /// The server's message.
        message: String,
    },
    /// The release lock is held by a live process.
    #[error("another operation ({}) is in progress for release {:?}: held by {} since {} (lease {}/{}, renewed {})", .0.holder.operation, .0.release, .0.holder.identity, .0.holder.since, .0.namespace, .0.lease, .0.holder.renewed)]
    Locked(Box<LockedBy>),
    /// Waiting ran out of time or a resource failed.
    #[error("{0}")]
    Wait(String),
}

impl Error {
    pub(crate) fn api(context: impl Into<String>, source: kube::Error) -> Error {
        Error::Api {
            context: context.into(),
            source: Box::new(source),
        }
    }

    /// The HTTP status code of an API error, if any.
    pub fn status_code(&self) -> Option<u16> {
        match self {
            Error::Api { source, .. } => match source.as_ref() {
                kube::Error::Api(s) => Some(s.code),
                _ => None,
            },
            _ => None,
        }
    }

    /// Whether this is a 404.
    pub fn is_not_found(&self) -> bool {
        self.status_code() == Some(404)
    }
}

/// Whether a client error happened below HTTP: nothing reached the server.
pub(crate) fn is_transport(e: &kube::Error) -> bool {
    matches!(e, kube::Error::HyperError(_) | kube::Error::Service(_))
}

/// The innermost cause of an error chain.
pub(crate) fn innermost(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cur = e;
    while let Some(next) = cur.source() {
        cur = next;
    }
    cur.to_string()
}

/// The server's message for API errors (not kube's Debug dump), the error
/// text otherwise.
pub(crate) fn describe(e: &kube::Error) -> String {
    match e {
        kube::Error::Api(s) => s.message.clone(),
        other => other.to_string(),
    }
}

/// Who holds a release lock, for [`Error::Locked`].
#[derive(Debug, Clone)]
pub struct LockedBy {
    /// Release.
    pub release: String,
    /// The live holder.
    pub holder: crate::Holder,
    /// Lease namespace.
    pub namespace: String,
    /// Lease name.
    pub lease: String,
}
