//! Turning rendered template files into ordered manifests and hooks, as Helm's
//! `releaseutil.SortManifests` does, and printing them as `helm template`
//! does.
//!
//! Owns document splitting, head parsing, hook classification and kind
//! ordering. Does not render templates (see `engine`) nor talk to a cluster.

mod hooks;
mod kinds;
mod split;

use std::collections::BTreeMap;

pub use hooks::{Hook, HookDeletePolicy, HookEvent};
pub use kinds::{INSTALL_ORDER, UNINSTALL_ORDER, sort_by_kind};
pub use split::{
    go_trim_space, go_trim_space_bytes, is_go_blank, is_go_space, split_manifests,
    split_manifests_bytes,
};

pub use origan_yaml::Head;

/// One document of a rendered file that is not a hook.
#[derive(Clone, Debug, PartialEq)]
pub struct Manifest {
    /// The template path, e.g. `origan/templates/gateway.yaml`.
    pub path: String,
    /// The document text (leading whitespace trimmed, trailing kept).
    pub content: String,
    /// Its head.
    pub head: Head,
}

/// A document that could not be read as a Kubernetes object head.
#[derive(Debug, thiserror::Error)]
#[error("YAML parse error on {path}: {message}")]
pub struct Error {
    /// The template path.
    pub path: String,
    /// What the YAML or JSON decoder said, in Go's words.
    pub message: String,
}

/// Splits every rendered file into documents and sorts them as Helm does:
/// files in path order, partials and whitespace-only files skipped, hooks
/// apart, each list stable-sorted by install order of kinds.
///
/// Files are Go strings (bytes). A document that is not valid UTF-8 fails
/// as yaml.v2's reader fails on it (`yaml: invalid trailing UTF-8 octet`),
/// so every manifest and hook that comes out is text.
pub fn sort_manifests(
    files: &BTreeMap<String, Vec<u8>>,
) -> Result<(Vec<Hook>, Vec<Manifest>), Error> {
    let mut hooks = Vec::new();
    let mut manifests = Vec::new();
    // BTreeMap iterates in byte order of the path, as Go's sort.Strings.
    for (path, text) in files {
        let base = path.rsplit('/').next().unwrap_or(path);
        if base.starts_with('_') || is_go_blank(text) {
            continue;
        }
        for doc in split_manifests_bytes(text) {
            let head = origan_yaml::parse_head_bytes(doc).map_err(|e| Error {
                path: path.clone(),
                message: e.to_string(),
            })?;
            // parse_head_bytes accepts valid UTF-8 only.
            let doc = String::from_utf8_lossy(doc);
            match head.annotations.get(hooks::HOOK_ANNOTATION) {
                None => manifests.push(Manifest {
                    path: path.clone(),
                    content: doc.into_owned(),
                    head,
                }),
                Some(events) => {
                    // Helm drops a document whose hook list names an unknown
                    // event, silently.
                    if let Some(hook) = Hook::from_doc(path, &doc, &head, events) {
                        hooks.push(hook);
                    }
                }
            }
        }
    }
    sort_by_kind(&mut manifests, INSTALL_ORDER, |m| m.head.kind.as_str());
    sort_by_kind(&mut hooks, INSTALL_ORDER, |h| h.kind.as_str());
    Ok((hooks, manifests))
}

/// The release manifest: `---\n# Source: PATH\nDOC\n` per manifest.
pub fn manifest_text(manifests: &[Manifest]) -> String {
    let mut out = String::new();
    for m in manifests {
        out.push_str("---\n# Source: ");
        out.push_str(&m.path);
        out.push('\n');
        out.push_str(&m.content);
        out.push('\n');
    }
    out
}
