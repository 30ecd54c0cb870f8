//! Fuzz target: Go text/template lexer and parser (origan-gotmpl) on arbitrary
//! text. Owns only the "parse must return Ok or Err, never panic or overflow"
//! property; execution is `gotmpl_exec`'s job.
#![no_main]

use libfuzzer_sys::fuzz_target;
use origan_gotmpl::{FuncMap, Templates};

/// Sprig registered so function names resolve as they do under Helm (the
/// parser checks that every called function exists). Built once: cloning a
/// set is cheap.
fn base() -> Templates {
    let mut funcs = FuncMap::new();
    origan_sprig::register(&mut funcs);
    Templates::new("gotpl", funcs)
}

thread_local! {
    static BASE: Templates = base();
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    BASE.with(|base| {
        let mut set = base.clone();
        let _ = set.parse("c/templates/a.yaml", text);
        // A second file in the same set: redefinitions and `block` merging.
        let _ = set.parse("c/templates/b.yaml", text);
    });
});
