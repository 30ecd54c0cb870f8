//! origan-chart: Helm charts as data.
//!
//! Owns: the chart model and loader (directories and `.tgz` archives, with Helm's
//! rules and hardening), `.helmignore`, Chart.yaml / Chart.lock, values coalescing
//! (`coalesce`), dependency processing (`dependencies`), `values.schema.json`
//! validation (`schema`), the `--set` family parsers (`strvals`) and the merge of
//! user-supplied values (`user_values`). Does not own: template rendering (values
//! here are `origan_yaml::Data`; the engine converts), YAML parsing (origan-yaml),
//! fetching charts or values files from the network.
//!
//! The install/upgrade/template flow, in Helm's order:
//!
//! ```no_run
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use origan_chart::{SetArg, check_dependencies, load, merge_user_values, prepare};
//! let mut chart = load(std::path::Path::new("mychart"))?;
//! check_dependencies(&chart)?; // "found in Chart.yaml, but missing in charts/ ..."
//! let user = merge_user_values(&[], &[SetArg::Set("image.tag=v2".into())])?;
//! let values = prepare(&mut chart, user)?; // ProcessDependencies + CoalesceValues
//! origan_chart::schema::validate_values(&chart, &values)?;
//! // `values` is `.Values` of the root chart; a subchart sees `values[<its name>]`;
//! // `chart.dependencies` now lists only the enabled subcharts (aliases applied);
//! // `chart.metadata.to_template_data()` (+ `IsRoot`) is `.Chart`.
//! # Ok(()) }
//! ```

pub mod archive;
pub mod coalesce;
pub mod dependencies;
pub use dependencies::{PrepareError, check_dependencies, prepare, process_dependencies};
pub mod dir;
pub mod dispatch;
pub mod ignore;
pub mod load;
pub mod metadata;
pub mod package;
pub mod schema;
pub mod strvals;
mod tar;
pub mod user_values;
pub use user_values::{SetArg, UserValuesError, merge_user_values, merge_user_values_with};

pub use archive::{BufferedFile, Limits};

pub use dir::LoadOptions;
pub use load::{Chart, CrdObject, File, LoadError, load, load_archive, load_files, load_with};
pub use metadata::{Dependency, Lock, Maintainer, Metadata, MetadataError};
