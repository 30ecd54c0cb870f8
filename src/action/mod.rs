//! Operations, one file per verb, named as the CLI verbs are (Helm's
//! `pkg/action`).
//!
//! Actions combine the lower layers (chart loading, values, rendering,
//! manifests); they take plain option structs and return data or typed
//! errors, never print.

pub mod apply;
pub mod create;
pub mod dependency;
pub mod dependency_lock;
pub mod dependency_update;
pub mod get;
pub mod history;
pub mod hooks;
pub mod install;
pub mod lint;
pub mod list;
pub mod package;
pub mod pull;
pub mod push;
pub mod render;
pub mod resources;
pub mod rollback;
pub mod show;
pub mod smp;
pub mod status;
pub mod template;
pub mod uninstall;
pub mod upgrade;
