//! The error type of this crate. Its `Display` is the message Go prints, word for word
//! where Go's wording is known (`yaml: line 3: ...`, `json: unsupported value: +Inf`,
//! `error converting YAML to JSON: ...`). Owns no logic beyond message formatting.

/// An error with Go's message text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Error {
    message: String,
    /// 1-based line as Go reports it (yaml.v2 quirk: parser errors give the 0-based line
    /// of the problem, scanner errors add one), when Go reports a line.
    pub line: Option<usize>,
}

impl Error {
    /// An error with the given full message.
    pub fn new(message: impl Into<String>) -> Self {
        Error {
            message: message.into(),
            line: None,
        }
    }

    /// The same error with a prefix, as Go's `fmt.Errorf("prefix: %w", err)` does.
    pub fn wrap(self, prefix: &str) -> Self {
        Error {
            message: format!("{prefix}: {}", self.message),
            line: self.line,
        }
    }

    /// The message text.
    pub fn message(&self) -> &str {
        &self.message
    }

    pub(crate) fn with_line(message: String, line: Option<usize>) -> Self {
        Error { message, line }
    }
}
