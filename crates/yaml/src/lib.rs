//! YAML and JSON reading and writing exactly as Helm v4.2.3 does them through Go's
//! gopkg.in/yaml.v2 (YAML 1.1), sigs.k8s.io/yaml, yaml.v3 (`toYamlPretty`) and encoding/json.
//!
//! Owns: the data model ([`Data`], [`Node`]), the yaml.v2 resolver and decoder, the
//! sigs.k8s.io/yaml YAML→JSON conversion, the encoders (`toYaml`, `toYamlPretty`,
//! `toJson` family), JSON decoding, Go float formatting, Helm's manifest splitting and the
//! manifest head (`SimpleHead`) reader. Does not own: template functions themselves (their
//! `Error`-key/empty-on-error conventions belong to the template engine), values coalescing.
//!
//! Scanning and parsing of YAML text is done by `libyaml-safer` (a safe port of libyaml,
//! which go-yaml v2 is itself a port of), so problem texts and marks match Go's; the
//! places where libyaml 0.2.5 and go-yaml v2 part ways are handled in `source.rs` and
//! `compose.rs`. The `toYaml` emitter is libyaml-safer's too; `toYamlPretty` (yaml.v3)
//! has its own small block emitter.
//!
//! Which function for which Helm operation:
//! - values files (chart `values.yaml`, `-f`): [`load_values`] (Helm 4 `LoadValues`:
//!   multi-document, deep-merged; prefix errors with `cannot load values.yaml: `);
//! - `fromYaml`/`fromYamlArray`/`fromJson`/`fromJsonArray`: [`helm_from_yaml`] and friends
//!   (error conventions included); `toYaml`/`toYamlPretty`/`toJson`/`toPrettyJson`/
//!   `toRawJson`: [`to_yaml`], [`to_yaml_pretty`], [`to_json`], [`to_json_pretty`],
//!   [`to_raw_json`] (Helm prints "" when they fail);
//! - rendered manifests: [`split_manifests`] per file, then [`parse_head`] per document
//!   (error text goes after `YAML parse error on FILE: `);
//! - typed files (Chart.yaml, index.yaml, ...): [`parse_first_document`] into [`Node`]s,
//!   [`coerce_string`] for Go string fields, or [`from_yaml`] for the JSON view;
//! - `{{ . }}` of a float: [`format_float_g`]; of any value: [`format_go_v`].
//!
//! Limits: nesting deeper than [`MAX_DEPTH`] and yaml.v2's "excessive aliasing" are
//! errors; parsing never panics (a libyaml-safer panic becomes an error).

mod compose;
mod convert;
mod emit_v2;
mod emit_v3;
mod error;
mod floatfmt;
mod head;
mod helmfn;
mod json;
mod reader;
mod resolve;
mod scalar;
mod sort;
mod source;
mod split;

use std::collections::BTreeMap;

pub use compose::{MAX_DEPTH, Node, parse_documents, parse_first_document};
pub use convert::{from_yaml, from_yaml_array, from_yaml_map, load_values, merge_maps};
pub use emit_v2::to_yaml;
pub use emit_v3::to_yaml_pretty;
pub use error::Error;
pub use floatfmt::{format_float_g, format_float_g32, format_float_json, format_go_v};
pub use head::{Head, coerce_string, parse_head, parse_head_bytes};
pub use helmfn::{helm_from_json, helm_from_json_array, helm_from_yaml, helm_from_yaml_array};
pub use json::{from_json, from_json_array, from_json_map, to_json, to_json_pretty, to_raw_json};
pub use reader::reader_error;
pub use split::split_manifests;

/// JSON-like data as Go sees it after sigs.k8s.io/yaml / encoding/json: map keys are
/// strings and maps are sorted. Numbers read from YAML or JSON are always `Float`
/// (Go's float64); `Int`/`Uint` exist for values made by templates (`--set`, Sprig).
#[derive(Debug, Clone, PartialEq)]
pub enum Data {
    Null,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    String(String),
    List(Vec<Data>),
    Map(BTreeMap<String, Data>),
}
