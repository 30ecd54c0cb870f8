//! Template functions: how a function declares its Go signature, and the
//! map of functions a template set sees.
//!
//! Owns [`Func`], [`Param`] and [`FuncMap`]. Does not own argument
//! conversion (the evaluator applies Go's rules using each [`Param`]) nor any
//! function library (Go's builtins live in `builtins`, Sprig in its own
//! crate, Helm's in origanctl's engine).
//!
//! Why declared parameter types: text/template converts untyped constants to
//! the parameter's type (`{{ repeat 3 "a" }}` passes an `int`), and refuses a
//! value of the wrong type (`wrong type for value; expected int; got float64`
//! for a values.yaml number). Both are visible in chart output and errors.

use std::fmt;
use std::rc::Rc;

use rustc_hash::FxHashMap;

use crate::exec::Exec;
use crate::value::{ElemType, Value};

/// A declared Go parameter type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Param {
    /// `interface{}`: anything; untyped int constants become `int`, float
    /// constants `float64`.
    Any,
    /// `string`, as text: a string that is not valid UTF-8 reaches the
    /// function as a [`Value::String`](crate::Value::String) with U+FFFD
    /// for its invalid bytes, so functions may read it with `as_str`.
    String,
    /// `string`, as bytes: a [`Value::ByteString`](crate::Value::ByteString)
    /// reaches the function as is. For functions that see Go strings as
    /// bytes (`b64enc`, `substr`, `trunc`, `toString`, `len`).
    GoString,
    /// `bool`
    Bool,
    /// `int`
    Int,
    /// `int64`
    Int64,
    /// `uint`
    Uint,
    /// `float64`
    Float,
    /// A slice with this element type (`[]interface {}`, `[]string`).
    List(ElemType),
    /// A map with string keys and this value type.
    Map(ElemType),
    /// `[]byte`
    Bytes,
}

/// What a function returns on failure. text/template wraps it as
/// `error calling NAME: MESSAGE`.
#[derive(Clone, Debug, PartialEq)]
pub struct FuncError {
    /// The error's text, as the Go function's `error` would print.
    pub message: String,
    /// The template error this error is (`include` returns the error of
    /// the template it ran as is), so that the chain can be walked.
    pub source: Option<Box<crate::Error>>,
}

impl FuncError {
    /// A new error with this message.
    pub fn new(message: impl Into<String>) -> FuncError {
        FuncError {
            message: message.into(),
            source: None,
        }
    }

    /// A template error returned unchanged by a function (`include`).
    pub fn template(err: crate::Error) -> FuncError {
        FuncError {
            message: err.to_string(),
            source: Some(Box::new(err)),
        }
    }
}

impl fmt::Display for FuncError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for FuncError {}

/// The body of a plain function: arguments already converted to the declared
/// parameter types.
pub type PlainFn = dyn Fn(&[Value]) -> Result<Value, FuncError>;

/// A template function with its Go signature.
#[derive(Clone)]
pub struct Func {
    /// Fixed parameters.
    pub params: Vec<Param>,
    /// The type of `...` arguments, if variadic.
    pub variadic: Option<Param>,
    /// The body.
    pub body: Rc<PlainFn>,
}

impl Func {
    /// A function with fixed parameters.
    pub fn new(
        params: &[Param],
        body: impl Fn(&[Value]) -> Result<Value, FuncError> + 'static,
    ) -> Func {
        Func {
            params: params.to_vec(),
            variadic: None,
            body: Rc::new(body),
        }
    }

    /// A function whose last parameter is `...variadic`.
    pub fn variadic(
        params: &[Param],
        variadic: Param,
        body: impl Fn(&[Value]) -> Result<Value, FuncError> + 'static,
    ) -> Func {
        Func {
            params: params.to_vec(),
            variadic: Some(variadic),
            body: Rc::new(body),
        }
    }
}

/// The body of a function that needs the running template set (Helm's
/// `include`, `tpl`, `required`): it receives the executor.
pub type ExecFnBody = dyn Fn(&mut Exec<'_>, &[Value]) -> Result<Value, FuncError>;

/// A template function with access to the executor, with its Go signature.
#[derive(Clone)]
pub struct ExecFunc {
    /// Fixed parameters.
    pub params: Vec<Param>,
    /// The type of `...` arguments, if variadic.
    pub variadic: Option<Param>,
    /// The body.
    pub body: Rc<ExecFnBody>,
}

impl ExecFunc {
    /// A function with fixed parameters.
    pub fn new(
        params: &[Param],
        body: impl Fn(&mut Exec<'_>, &[Value]) -> Result<Value, FuncError> + 'static,
    ) -> ExecFunc {
        ExecFunc {
            params: params.to_vec(),
            variadic: None,
            body: Rc::new(body),
        }
    }

    /// A function whose last parameter is `...variadic`.
    pub fn variadic(
        params: &[Param],
        variadic: Param,
        body: impl Fn(&mut Exec<'_>, &[Value]) -> Result<Value, FuncError> + 'static,
    ) -> ExecFunc {
        ExecFunc {
            params: params.to_vec(),
            variadic: Some(variadic),
            body: Rc::new(body),
        }
    }
}

impl Param {
    /// The Go type name, as argument errors print it.
    pub fn type_name(self) -> String {
        match self {
            Param::Any => "interface {}".into(),
            Param::String | Param::GoString => "string".into(),
            Param::Bool => "bool".into(),
            Param::Int => "int".into(),
            Param::Int64 => "int64".into(),
            Param::Uint => "uint".into(),
            Param::Float => "float64".into(),
            Param::List(e) => format!("[]{}", e.name()),
            Param::Map(e) => format!("map[string]{}", e.name()),
            Param::Bytes => "[]uint8".into(),
        }
    }
}

/// Functions by name, as Go's `template.FuncMap`. Plain functions and
/// executor functions share one namespace; inserting one kind removes a
/// function of the same name of the other kind.
#[derive(Clone, Default)]
pub struct FuncMap {
    // Looked up for every identifier the parser and evaluator meet; the
    // names are the program's own, so a fast non-keyed hash is fine.
    funcs: FxHashMap<String, Func>,
    exec: FxHashMap<String, ExecFunc>,
}

impl FuncMap {
    /// An empty map.
    pub fn new() -> FuncMap {
        FuncMap::default()
    }

    /// Adds or replaces a function.
    pub fn insert(&mut self, name: impl Into<String>, func: Func) {
        let name = name.into();
        self.exec.remove(&name);
        self.funcs.insert(name, func);
    }

    /// Adds or replaces a function that needs the executor.
    pub fn insert_exec(&mut self, name: impl Into<String>, func: ExecFunc) {
        let name = name.into();
        self.funcs.remove(&name);
        self.exec.insert(name, func);
    }

    /// Looks an executor function up.
    pub fn get_exec(&self, name: &str) -> Option<&ExecFunc> {
        self.exec.get(name)
    }

    /// Removes a function of either kind (Helm deletes `env`, `expandenv`).
    pub fn remove(&mut self, name: &str) {
        self.funcs.remove(name);
        self.exec.remove(name);
    }

    /// Adds every function of `other`, replacing same-named ones.
    pub fn extend(&mut self, other: &FuncMap) {
        for (k, v) in &other.funcs {
            self.insert(k.clone(), v.clone());
        }
        for (k, v) in &other.exec {
            self.insert_exec(k.clone(), v.clone());
        }
    }

    /// Looks a function up.
    pub fn get(&self, name: &str) -> Option<&Func> {
        self.funcs.get(name)
    }

    /// Whether a function of this name exists.
    pub fn contains(&self, name: &str) -> bool {
        self.funcs.contains_key(name) || self.exec.contains_key(name)
    }

    /// Names of all functions (unordered).
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.funcs
            .keys()
            .chain(self.exec.keys())
            .map(String::as_str)
    }
}
