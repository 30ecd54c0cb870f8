//! Go's `text/template`, as Helm uses it: lexer, parser, evaluator and Go's
//! builtin functions, with positions on every node and errors worded as Go
//! words them.
//!
//! This crate knows nothing of Helm, Kubernetes or Sprig. Function libraries
//! register themselves into a [`FuncMap`]; host objects (Helm's `.Files`,
//! `.Capabilities`, Sprig's semver and time values) implement [`Object`].

pub mod fmt;
pub mod func;
pub mod value;

pub use func::{Func, FuncError, FuncMap, Param};
pub use value::{ElemType, IntType, List, Map, Object, Value};
