//! The crate's error type, worded exactly as Go's text/template words its
//! errors, with the pieces (template name, line, column, context) kept
//! apart so Helm's engine can re-format them (`parse error at (f:1): ...`,
//! `execution error at (f:1:3): ...`).

/// A parse or execution error.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// `template: NAME:LINE: MESSAGE` from the parser. `name` is Go's
    /// `ParseName` (the file being parsed).
    #[error("template: {name}:{line}: {message}")]
    Parse {
        /// The file being parsed.
        name: String,
        /// 1-based line of the offending token.
        line: usize,
        /// Go's message, e.g. `function "env" not defined`.
        message: String,
    },
    /// `template: FILE:LINE:COL: executing "NAME" at <CONTEXT>: MESSAGE`.
    #[error("template: {file}:{line}:{col}: executing \"{name}\" at <{context}>: {message}")]
    Exec {
        /// The file the failing node was parsed from (Go's `ParseName`).
        file: String,
        /// 1-based line.
        line: usize,
        /// Go's column: 0-based byte offset in the line.
        col: usize,
        /// The executing template's name.
        name: String,
        /// The node, printed as Go prints it (`.Values.x`, `eq .a 1`).
        context: String,
        /// The message, e.g. `error calling eq: incompatible types ...`.
        message: String,
        /// The error a function call returned, which Go wraps with `%w`
        /// (`error calling NAME: %w`); `None` for Go's own errors, which
        /// wrap nothing. Helm v4 walks this chain to reformat the message.
        wrapped: Option<Box<crate::func::FuncError>>,
    },
    /// `template: NAME: MESSAGE`, for execution errors without a node.
    #[error("template: {name}: {message}")]
    ExecNoNode {
        /// The executing template's name.
        name: String,
        /// The message.
        message: String,
    },
    /// `template: no template "NAME" associated with template "SET"`.
    #[error("template: no template {} associated with template {}", crate::fmt::quote(.name), crate::fmt::quote(.set))]
    NoTemplate {
        /// The requested name.
        name: String,
        /// The set's name (Helm's is `gotpl`).
        set: String,
    },
}

impl Error {
    /// The chain Go's `errors.Unwrap` walks from this error, as texts:
    /// this error's text, then (for a failed function call) the function's
    /// error and whatever it wraps in turn. Helm v4's engine reformats an
    /// execution error from this chain (`reformatExecErrorMsg`).
    pub fn chain(&self) -> Vec<String> {
        let mut out = vec![self.to_string()];
        if let Error::Exec {
            wrapped: Some(f), ..
        } = self
        {
            match &f.source {
                Some(inner) => out.extend(inner.chain()),
                None => out.push(f.message.clone()),
            }
        }
        out
    }

    /// The bare message without Go's `template: ...` prefix.
    pub fn message(&self) -> String {
        match self {
            Error::Parse { message, .. }
            | Error::Exec { message, .. }
            | Error::ExecNoNode { message, .. } => message.clone(),
            Error::NoTemplate { .. } => self.to_string(),
        }
    }
}
