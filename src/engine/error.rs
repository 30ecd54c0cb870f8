//! Helm v4's wording of template errors (`pkg/engine/engine.go`):
//! `cleanupParseError` for parse errors and `reformatExecErrorMsg` for
//! execution errors, which turns Go's one-line `template: FILE:L:C:
//! executing "NAME" at <NODE>: MSG` into Helm v4's multi-line form.
//!
//! Owns only the text; the error chain comes from origan-gotmpl
//! ([`origan_gotmpl::Error::chain`]) and `required`/`fail` mark their
//! messages with [`warn_wrap`].

use origan_gotmpl::Error as TemplateError;

use crate::manifest::go_trim_space;

const WARN_START: &str = "HELM_ERR_START";
const WARN_END: &str = "HELM_ERR_END";

/// Helm's `warnWrap`: `required` and `fail` wrap their message so that the
/// engine can find it again inside any chain of wrapping errors.
pub(super) fn warn_wrap(msg: &str) -> String {
    format!("{WARN_START}{msg}{WARN_END}")
}

/// Helm's `warnRegex` (`HELM_ERR_START((?s).*)HELM_ERR_END`): the text
/// between the first start marker and the last end marker after it.
fn warn_message(s: &str) -> Option<&str> {
    let start = s.find(WARN_START)? + WARN_START.len();
    let end = s[start..].rfind(WARN_END)? + start;
    Some(&s[start..end])
}

/// `cleanupParseError`: `parse error at (FILE:LINE): MSG`, the location
/// being the second `": "`-separated token and the message the last one.
pub(super) fn parse_error_text(filename: &str, err: &TemplateError) -> String {
    let text = err.to_string();
    let tokens: Vec<&str> = text.split(": ").collect();
    if tokens.len() == 1 {
        return format!("parse error in ({filename}): {text}");
    }
    format!(
        "parse error at ({}): {}",
        tokens[1],
        tokens[tokens.len() - 1]
    )
}

/// `reformatExecErrorMsg`. `required`/`fail` give `execution error at
/// (LOC): MSG`. Otherwise every error of the chain must read as a
/// text/template error, and the chain is printed as `LOC`, `executing ...`
/// and the message on indented lines; if one does not (a function's own
/// error, e.g. `error calling eq: incompatible types ...`), Go's one-line
/// text is kept.
pub(super) fn exec_error_text(filename: &str, err: &TemplateError) -> String {
    let text = err.to_string();
    // Only text/template's ExecError is reformatted.
    if !matches!(
        err,
        TemplateError::Exec { .. } | TemplateError::ExecNoNode { .. }
    ) {
        return text;
    }
    let tokens: Vec<&str> = text.splitn(3, ": ").collect();
    if tokens.len() != 3 {
        return format!("execution error in ({filename}): {text}");
    }
    if let Some(msg) = warn_message(tokens[2]) {
        return format!("execution error at ({}): {msg}", tokens[1]);
    }
    let mut locations: Vec<Traceable> = Vec::new();
    for link in err.chain() {
        let Some(t) = parse_exec_error(&link) else {
            return text;
        };
        if locations.last() != Some(&t) {
            locations.push(t);
        }
    }
    let out: String = locations.iter().map(Traceable::render).collect();
    go_trim_space(&out).to_string()
}

/// Helm's `TraceableError`.
#[derive(Debug, PartialEq)]
struct Traceable {
    location: String,
    message: String,
    executed_function: String,
}

impl Traceable {
    fn render(&self) -> String {
        let mut s = String::new();
        if !self.location.is_empty() {
            s.push_str(&self.location);
            s.push_str("\n  ");
        }
        if !self.executed_function.is_empty() {
            s.push_str(&self.executed_function);
            s.push_str("\n    ");
        }
        if !self.message.is_empty() {
            s.push_str(&self.message);
            s.push('\n');
        }
        s
    }
}

/// Helm cuts a message at a chained `" template:"`, whose text is the next
/// link of the chain.
fn cut_chained(msg: &str) -> &str {
    msg.find(" template:").map_or(msg, |i| &msg[..i])
}

/// `parseTemplateExecErrorString`: the no-template, executing and simple
/// forms of a text/template error, in that order.
fn parse_exec_error(s: &str) -> Option<Traceable> {
    let remainder = s.strip_prefix("template: ")?;
    if remainder.starts_with("no template ") {
        return Some(Traceable {
            location: String::new(),
            message: s.to_string(),
            executed_function: String::new(),
        });
    }
    if let Some(t) = parse_executing(remainder) {
        return Some(t);
    }
    let sep = remainder.rfind(": ")?;
    Some(Traceable {
        location: remainder[..sep].to_string(),
        message: cut_chained(&remainder[sep + 2..]).to_string(),
        executed_function: String::new(),
    })
}

/// `parseTemplateExecutingAtErrorType`:
/// `NAME: executing "FUNC" at <LOCATION>: MSG`.
fn parse_executing(remainder: &str) -> Option<Traceable> {
    let (template_name, after) = remainder.split_once(": executing ")?;
    let rest = after.strip_prefix('"')?;
    let end_quote = rest.find('"')?;
    let function = &rest[..end_quote];
    let after_at = rest[end_quote + 1..].strip_prefix(" at <")?;
    let (location, msg) = after_at.split_once(">: ")?;
    Some(Traceable {
        location: template_name.to_string(),
        message: cut_chained(msg).to_string(),
        executed_function: format!("executing \"{function}\" at <{location}>:"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warn_message_spans_lines_to_the_last_end_marker() {
        assert_eq!(
            warn_message("x HELM_ERR_STARTa\nbHELM_ERR_END y HELM_ERR_END"),
            Some("a\nbHELM_ERR_END y ")
        );
        assert_eq!(warn_message("HELM_ERR_START only"), None);
    }

    #[test]
    fn executing_form_falls_back_to_the_simple_form() {
        let t = parse_exec_error("template: t:1:2: executing x").unwrap();
        assert_eq!(t.location, "t:1:2");
        assert_eq!(t.message, "executing x");
        assert!(parse_exec_error("no prefix").is_none());
    }
}
