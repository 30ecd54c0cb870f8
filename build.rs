//! Build script for the `origanctl` binary. Owns only link options; it does
//! not generate code.
//!
//! The binary is linked as a non-PIE executable. `origanctl template` is a
//! short-lived process, and a PIE binary of this size spends most of its
//! start-up in the dynamic loader applying ~36,000 relative relocations
//! (which also copy-on-write every page of `.data.rel.ro`). Linked at a fixed
//! address those relocations are resolved by the linker instead. The object
//! code stays position-independent, so nothing else changes; only executables
//! of this package get the flag (tests and proc-macros are untouched).

fn main() {
    // `-no-pie` comes after rustc's own `-pie` on the linker line, and the
    // last of the two wins.
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
