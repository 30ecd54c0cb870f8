//! Helm's rendering engine (`pkg/engine`): one template set for the whole
//! chart tree, Helm's functions on top of Sprig, the built-in objects, and
//! the `<no value>` clean-up.
//!
//! Owns what templates see and in which order they are parsed and run. Does
//! not load charts or coalesce values (`origan-chart`), split or sort the
//! output (`manifest`), or talk to a cluster (`lookup` goes through the
//! [`Lookup`] trait).

mod capabilities;
mod convert;
mod error;
mod files;
mod funcs;
mod scope;
mod toml;

use std::collections::BTreeMap;

use origan_chart::Chart;
use origan_yaml::Data;

pub use capabilities::{Capabilities, DEFAULT_API_VERSIONS, DEFAULT_KUBE_VERSION};
pub use convert::{data_to_value, value_to_data};
pub use files::{Files, glob_match};
pub use funcs::Lookup;

/// The release a chart is rendered for (`.Release`).
#[derive(Clone, Debug)]
pub struct ReleaseInfo {
    /// `.Release.Name`
    pub name: String,
    /// `.Release.Namespace`
    pub namespace: String,
    /// `.Release.Revision`
    pub revision: i64,
    /// `.Release.IsInstall`
    pub is_install: bool,
    /// `.Release.IsUpgrade`
    pub is_upgrade: bool,
}

/// A template failed to parse or run. The text is Helm's.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct Error {
    /// What Helm would print.
    pub message: String,
}

/// Renders every template of `chart` and its enabled subcharts with the
/// coalesced `values`. Returns the output per template path
/// (`chart/templates/x.yaml`), partials left out, `<no value>` removed.
///
/// The output is bytes, as Go's strings are: `substr`, `trunc` or `b64dec`
/// can leave a file that is not valid UTF-8, and Helm keeps it as is.
pub fn render(
    chart: &Chart,
    values: &Data,
    release: &ReleaseInfo,
    caps: &Capabilities,
    lookup: Option<std::rc::Rc<dyn Lookup>>,
) -> Result<BTreeMap<String, Vec<u8>>, Error> {
    scope::render_tree(chart, values, release, caps, lookup, false)
}

/// [`render`] in Helm's lint mode (`Engine.LintMode`): `required` and `fail`
/// return an empty string instead of failing, as `helm lint` renders.
/// Invalid UTF-8 in the output reads as U+FFFD, one per bad byte.
pub fn render_lint(
    chart: &Chart,
    values: &Data,
    release: &ReleaseInfo,
    caps: &Capabilities,
) -> Result<BTreeMap<String, String>, Error> {
    let files = scope::render_tree(chart, values, release, caps, None, true)?;
    Ok(files
        .into_iter()
        .map(|(name, out)| {
            let text = String::from_utf8(out)
                .unwrap_or_else(|e| origan_gotmpl::value::go_lossy(e.as_bytes()));
            (name, text)
        })
        .collect())
}

/// Helm's `strings.ReplaceAll(out, "<no value>", "")` on a rendered file:
/// nil values print as nothing, and so does the literal text.
pub(crate) fn strip_no_value(out: Vec<u8>) -> Vec<u8> {
    const NO_VALUE: &[u8] = b"<no value>";
    let find = |from: usize, out: &[u8]| {
        out[from..]
            .windows(NO_VALUE.len())
            .position(|w| w == NO_VALUE)
            .map(|i| i + from)
    };
    let Some(mut at) = find(0, &out) else {
        return out;
    };
    let mut kept = Vec::with_capacity(out.len());
    let mut from = 0;
    loop {
        kept.extend_from_slice(&out[from..at]);
        from = at + NO_VALUE.len();
        match find(from, &out) {
            Some(next) => at = next,
            None => break,
        }
    }
    kept.extend_from_slice(&out[from..]);
    kept
}
