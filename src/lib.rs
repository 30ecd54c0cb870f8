//! origanctl: a Helm-chart-compatible package manager and installer.
//!
//! Layers, each importing only those below it (Helm's own layering):
//! `cli` → `action` → `engine`, `manifest` → the crates under `crates/`
//! (`origan-chart`, `origan-gotmpl`, `origan-sprig`, `origan-yaml`,
//! `origan-semver`).

pub mod action;
pub mod cli;
pub mod engine;
pub mod manifest;
pub mod release;
