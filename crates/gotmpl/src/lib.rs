//! Go's `text/template`, as Helm uses it: lexer, parser, evaluator and Go's
//! builtin functions, with positions on every node and errors worded as Go
//! words them.
//!
//! This crate knows nothing of Helm, Kubernetes or Sprig. Function libraries
//! register themselves into a [`FuncMap`]; host objects (Helm's `.Files`,
//! `.Capabilities`, Sprig's semver and time values) implement [`Object`].
//!
//! # Usage
//!
//! ```
//! use origan_gotmpl::{ExecFunc, FuncMap, MissingKey, Options, Param, Templates, Value};
//!
//! let mut funcs = FuncMap::new();
//! // Helm's `include`: run a template of the set and return its text.
//! funcs.insert_exec(
//!     "include",
//!     ExecFunc::new(&[Param::String, Param::Any], |ex, args| {
//!         let name = args[0].as_str().unwrap_or_default().to_string();
//!         ex.execute_named(&name, &args[1])
//!             .map(Value::str)
//!             .map_err(|e| origan_gotmpl::FuncError::new(e.to_string()))
//!     }),
//! );
//! let mut set = Templates::new("gotpl", funcs);
//! set.set_options(Options { missing_key: MissingKey::Zero, ..Options::default() });
//! set.parse("c/templates/_h.tpl", r#"{{ define "n" }}hi {{ . }}{{ end }}"#).unwrap();
//! set.parse("c/templates/a.yaml", r#"{{ include "n" "x" | printf "%q" }}"#).unwrap();
//! assert_eq!(set.execute("c/templates/a.yaml", &Value::Nil).unwrap(), "\"hi x\"");
//! ```
//!
//! * [`Templates`] is a set: [`Templates::parse`] adds a named file (its
//!   `define`s become templates of the set, later ones replacing earlier
//!   ones), [`Templates::execute`] runs one; `clone()` is cheap.
//! * Functions that need the executor ([`ExecFunc`], registered with
//!   [`FuncMap::insert_exec`]) receive an [`Exec`]: the current template
//!   name, [`Exec::execute_named`] (`include`), [`Exec::execute_text`]
//!   (`tpl`: parse into a clone and run), and [`Exec::count`] for
//!   recursion counters.
//! * Helm's `tpl` parses its text under the set's name (`gotpl`), so use
//!   `ex.execute_text(ex.templates().name(), text, data)`; wrap errors as
//!   Helm does (`cannot parse template %q: ...`, `error during tpl function
//!   execution for %q: ...`) and erase `<no value>` from the result.
//!   Helm's `include` counts nested uses per name (`Exec::count`).
//! * Helm's root context, `.Values` and `.Template` are of the named type
//!   `common.Values`: build them with [`Value::named_map`].
//! * Host objects that are Go maps or slices with methods (`.Files`, the
//!   result of `.Files.Glob`) return their contents from
//!   [`Object::collection`] so `range`, `index`, `len` and truth work.
//! * Errors ([`Error`]) print exactly as Go's and keep file, line, column,
//!   template name and context apart for Helm's re-wording.
//! * [`fmt`] is Go's fmt (`Sprint`, `Sprintf`, `%v`) for values.

mod ast;
pub mod builtins;
mod error;
mod exec;
pub mod fmt;
pub mod func;
mod lex;
mod literal;
mod parse;
mod template;
pub mod value;

pub use error::Error;
pub use exec::Exec;
pub use func::{ExecFunc, Func, FuncError, FuncMap, Param};
pub use template::{MissingKey, Options, Templates};
pub use value::{ElemType, IntType, List, Map, Object, Value};
