//! Rendering a chart for a release: values, engine, NOTES, manifests and
//! hooks (Helm's `renderResources` in `pkg/action/action.go`).
//!
//! Shared by `template`, `install`, `upgrade` and `lint`.

use std::collections::BTreeMap;

use origan_chart::Chart;
use origan_yaml::Data;

use std::rc::Rc;

use crate::engine::{self, Capabilities, Lookup, ReleaseInfo};
use crate::manifest::{self, Hook, Manifest};

/// What rendering a release produced.
#[derive(Debug)]
pub struct Rendered {
    /// Hook documents, sorted by kind.
    pub hooks: Vec<Hook>,
    /// Regular documents, sorted by kind.
    pub manifests: Vec<Manifest>,
    /// The root chart's `templates/NOTES.txt`, rendered.
    pub notes: Option<String>,
    /// The coalesced values the templates saw.
    pub values: Data,
}

/// Why rendering failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Dependencies or values could not be combined with the chart's.
    #[error(transparent)]
    Prepare(#[from] origan_chart::PrepareError),
    /// The values fail the chart's (or a subchart's) values.schema.json.
    #[error(transparent)]
    Schema(#[from] origan_chart::schema::SchemaError),
    /// A template failed to parse or execute.
    #[error(transparent)]
    Engine(#[from] engine::Error),
    /// A rendered document is not a Kubernetes object.
    #[error("{0}")]
    Manifest(#[from] manifest::Error),
}

/// Renders `chart` with the user's values for a release.
pub fn render(
    chart: &mut Chart,
    user_values: Data,
    release: &ReleaseInfo,
    caps: &Capabilities,
    lookup: Option<Rc<dyn Lookup>>,
) -> Result<Rendered, Error> {
    let values = origan_chart::prepare(chart, user_values)?;
    origan_chart::schema::validate_values(chart, &values)?;
    let mut files = engine::render(chart, &values, release, caps, lookup)?;
    // Helm removes every NOTES.txt from the manifests and keeps only the root
    // chart's as the release notes.
    let root_notes = format!("{}/templates/NOTES.txt", chart.metadata.name);
    // The notes are stored in the release record, whose JSON carries each
    // invalid byte as U+FFFD (encoding/json), so they are kept as that text.
    let notes = files.remove(&root_notes).map(|out| {
        String::from_utf8(out).unwrap_or_else(|e| origan_gotmpl::value::go_lossy(e.as_bytes()))
    });
    files.retain(|path, _| !path.ends_with("NOTES.txt"));
    let (hooks, manifests) = manifest::sort_manifests(&files)?;
    Ok(Rendered {
        hooks,
        manifests,
        notes,
        values,
    })
}

/// Files rendered per template path, for callers that need them raw.
pub type RenderedFiles = BTreeMap<String, Vec<u8>>;
