//! Kubernetes access for origanctl, knowing nothing of Helm releases.
//!
//! Owns: kubeconfig loading (`--kubeconfig`, `--kube-context`, `KUBECONFIG`,
//! exec auth plugins, all through the `kube` crate), a client wrapper with a
//! discovery cache, server-side apply of one document, replace and
//! client-side patches, get/delete, readiness
//! per kind driven by watches with progress lines, and a Lease lock.
//! Does not own: release records, manifests rendering, hook semantics.

mod client;
mod error;
mod lease;
mod objects;
mod openapi;
pub mod ready;
mod update;
mod wait;

pub use client::{ClientOptions, Kube, ResourceInfo};
pub use error::{Error, LockedBy};
pub use lease::{Holder, LeaseGuard, LeaseOptions, Takeover};
pub use objects::{ObjectRef, Propagation, parse_documents};
pub use openapi::PatchMeta;
pub use ready::Readiness;
pub use update::upgraded_managed_fields;
pub use wait::{NotReady, WaitOptions, WaitReport, parse_state_line, state_line};

/// Selects rustls' `ring` crypto provider for the process. Needed when the
/// dependency graph enables more than one provider (another crate pulling
/// `aws-lc-rs`), where rustls refuses to guess. Idempotent.
pub fn init_crypto() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// Server-side apply (PATCH) requests sent by this process, for
/// `ORIGANCTL_STATS` and tests proving a no-change upgrade sends none.
pub fn apply_count() -> usize {
    objects::APPLY_COUNT.load(std::sync::atomic::Ordering::Relaxed)
}

/// The field manager Helm 4's CLI uses for server-side apply
/// (`kube.ManagedFieldsManager = "helm"`): using the same one lets Helm and
/// origanctl take over each other's releases without conflicts.
pub const FIELD_MANAGER: &str = "helm";

/// Re-exported so callers use the same versions.
pub use k8s_openapi;
/// Re-exported so callers use the same versions.
pub use kube;
