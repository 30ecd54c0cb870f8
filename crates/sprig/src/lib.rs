//! Sprig v3.3.0's function library as Helm v4.2.3 exposes it (everything but
//! `env` and `expandenv`), registered into an origan-gotmpl [`FuncMap`] in
//! one call.
//!
//! Owns Sprig's functions and the Go conversions they rely on (spf13/cast,
//! mergo, xstrings). Does not own Go's builtins (origan-gotmpl) nor Helm's
//! own functions (`include`, `tpl`, `toYaml`, ... live in origanctl's engine).

use origan_gotmpl::FuncMap;

pub use url::dns_get_host_by_name;

mod conv;
mod defaults;
mod dicts;
mod lists;
mod math;
mod strings;
mod types;

mod crypto;
mod date;
mod encoding;
mod random;
mod regex;
mod semver;
mod url;

/// Adds every Sprig function to `funcs`.
pub fn register(funcs: &mut FuncMap) {
    strings::register(funcs);
    lists::register(funcs);
    dicts::register(funcs);
    math::register(funcs);
    types::register(funcs);
    defaults::register(funcs);
    conv::register(funcs);

    encoding::register(funcs);
    regex::register(funcs);
    crypto::register(funcs);
    random::register(funcs);
    date::register(funcs);
    semver::register(funcs);
    url::register(funcs);
}
