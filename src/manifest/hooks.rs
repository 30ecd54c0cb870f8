//! Hook documents: the `helm.sh/hook*` annotations and what they mean
//! (`pkg/release/v1/hook.go`, `manifest_sorter.go`).
//!
//! Owns parsing of events, weights and delete policies. Running hooks
//! belongs to the release actions.

use std::fmt;

use super::Head;

/// The annotation that makes a document a hook.
pub const HOOK_ANNOTATION: &str = "helm.sh/hook";
/// The annotation giving a hook's weight.
pub const WEIGHT_ANNOTATION: &str = "helm.sh/hook-weight";
/// The annotation giving a hook's delete policies.
pub const DELETE_POLICY_ANNOTATION: &str = "helm.sh/hook-delete-policy";

/// When a hook runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum HookEvent {
    /// `pre-install`
    PreInstall,
    /// `post-install`
    PostInstall,
    /// `pre-delete`
    PreDelete,
    /// `post-delete`
    PostDelete,
    /// `pre-upgrade`
    PreUpgrade,
    /// `post-upgrade`
    PostUpgrade,
    /// `pre-rollback`
    PreRollback,
    /// `post-rollback`
    PostRollback,
    /// `test` (also written `test-success`)
    Test,
}

impl HookEvent {
    /// Parses an event name as Helm does (already trimmed and lower-cased).
    pub fn parse(s: &str) -> Option<HookEvent> {
        Some(match s {
            "pre-install" => HookEvent::PreInstall,
            "post-install" => HookEvent::PostInstall,
            "pre-delete" => HookEvent::PreDelete,
            "post-delete" => HookEvent::PostDelete,
            "pre-upgrade" => HookEvent::PreUpgrade,
            "post-upgrade" => HookEvent::PostUpgrade,
            "pre-rollback" => HookEvent::PreRollback,
            "post-rollback" => HookEvent::PostRollback,
            "test" | "test-success" => HookEvent::Test,
            _ => return None,
        })
    }

    /// The name Helm stores in release records.
    pub fn as_str(self) -> &'static str {
        match self {
            HookEvent::PreInstall => "pre-install",
            HookEvent::PostInstall => "post-install",
            HookEvent::PreDelete => "pre-delete",
            HookEvent::PostDelete => "post-delete",
            HookEvent::PreUpgrade => "pre-upgrade",
            HookEvent::PostUpgrade => "post-upgrade",
            HookEvent::PreRollback => "pre-rollback",
            HookEvent::PostRollback => "post-rollback",
            HookEvent::Test => "test",
        }
    }
}

impl fmt::Display for HookEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// When a hook's resource is deleted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HookDeletePolicy {
    /// `hook-succeeded`
    HookSucceeded,
    /// `hook-failed`
    HookFailed,
    /// `before-hook-creation`
    BeforeHookCreation,
}

impl HookDeletePolicy {
    /// Parses a policy name; unknown names are ignored, as Helm does.
    pub fn parse(s: &str) -> Option<HookDeletePolicy> {
        Some(match s {
            "hook-succeeded" => HookDeletePolicy::HookSucceeded,
            "hook-failed" => HookDeletePolicy::HookFailed,
            "before-hook-creation" => HookDeletePolicy::BeforeHookCreation,
            _ => return None,
        })
    }

    /// The name Helm stores in release records.
    pub fn as_str(self) -> &'static str {
        match self {
            HookDeletePolicy::HookSucceeded => "hook-succeeded",
            HookDeletePolicy::HookFailed => "hook-failed",
            HookDeletePolicy::BeforeHookCreation => "before-hook-creation",
        }
    }
}

/// A hook document.
#[derive(Clone, Debug, PartialEq)]
pub struct Hook {
    /// `metadata.name`
    pub name: String,
    /// `kind`
    pub kind: String,
    /// The template path.
    pub path: String,
    /// The document text.
    pub manifest: String,
    /// The events it runs on.
    pub events: Vec<HookEvent>,
    /// `helm.sh/hook-weight` (0 when absent or not an integer, as Helm's
    /// `strconv.Atoi` failure leaves it).
    pub weight: i32,
    /// `helm.sh/hook-delete-policy`
    pub delete_policies: Vec<HookDeletePolicy>,
}

impl Hook {
    /// Builds a hook from a document, or `None` when any listed event is
    /// unknown (Helm then drops the document without a word).
    pub(crate) fn from_doc(path: &str, doc: &str, head: &Head, events: &str) -> Option<Hook> {
        let mut parsed = Vec::new();
        for e in events.split(',') {
            parsed.push(HookEvent::parse(&e.trim().to_lowercase())?);
        }
        let weight = head
            .annotations
            .get(WEIGHT_ANNOTATION)
            .and_then(|w| w.parse::<i32>().ok())
            .unwrap_or(0);
        let delete_policies = head
            .annotations
            .get(DELETE_POLICY_ANNOTATION)
            .map(|p| {
                p.split(',')
                    .filter_map(|s| HookDeletePolicy::parse(&s.trim().to_lowercase()))
                    .collect()
            })
            .unwrap_or_default();
        Some(Hook {
            name: head.name.clone().unwrap_or_default(),
            kind: head.kind.clone(),
            path: path.to_string(),
            manifest: doc.to_string(),
            events: parsed,
            weight,
            delete_policies,
        })
    }
}
