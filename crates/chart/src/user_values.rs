//! Building the user-supplied values (the release `config`) from `-f` files and the
//! `--set` family, in Helm's fixed order (pkg/cli/values/options.go `MergeValues`).
//!
//! Owns: the merge order (files, then `--set-json`, `--set`, `--set-string`,
//! `--set-file`, `--set-literal`, whatever their order on the command line) and
//! the error texts Helm wraps around the parsers. Does not own: reading files or
//! URLs (the caller passes parsed files and a reader for `--set-file`), parsing
//! (`strvals`), coalescing with chart defaults (`coalesce`).

use std::collections::BTreeMap;

use origan_yaml::Data;

use crate::strvals;

/// One `--set`-family argument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SetArg {
    /// `--set`
    Set(String),
    /// `--set-string`
    String(String),
    /// `--set-json`
    Json(String),
    /// `--set-file` (`key=path`; the value is read by the caller's reader)
    File(String),
    /// `--set-literal`
    Literal(String),
}

/// Errors with Helm's wording (the CLI adds `Error: `).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UserValuesError {
    #[error("failed parsing --set-json data JSON: {0}")]
    JsonObject(String),
    #[error("failed parsing --set-json data {0}")]
    Json(String),
    #[error("failed parsing --set data: {0}")]
    Set(String),
    #[error("failed parsing --set-string data: {0}")]
    SetString(String),
    #[error("failed parsing --set-file data: {0}")]
    SetFile(String),
    #[error("failed parsing --set-literal data: {0}")]
    SetLiteral(String),
}

/// Merges `-f` files (already parsed, in order) and `--set` arguments; `--set-file`
/// values are read from the local file system (Helm also accepts URLs: use
/// [`merge_user_values_with`] to supply a reader for those).
pub fn merge_user_values(files: &[Data], sets: &[SetArg]) -> Result<Data, UserValuesError> {
    let mut read = |path: &str| -> Result<Data, String> {
        std::fs::read(path)
            .map(|b| Data::String(String::from_utf8_lossy(&b).into_owned()))
            .map_err(|e| format!("open {path}: {}", go_io_error(&e)))
    };
    merge_user_values_with(files, sets, &mut read)
}

fn go_io_error(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// [`merge_user_values`] with a caller-supplied `--set-file` reader.
pub fn merge_user_values_with(
    files: &[Data],
    sets: &[SetArg],
    read_file: &mut dyn FnMut(&str) -> Result<Data, String>,
) -> Result<Data, UserValuesError> {
    let mut base: BTreeMap<String, Data> = BTreeMap::new();
    for f in files {
        if let Data::Map(m) = f {
            base = origan_yaml::merge_maps(base, m.clone());
        }
    }
    for s in sets {
        if let SetArg::Json(v) = s {
            let trimmed = v.trim();
            if trimmed.starts_with('{') {
                let parsed: serde_json::Value = serde_json::from_str(trimmed)
                    .map_err(|_| UserValuesError::JsonObject(v.clone()))?;
                match strvals::json_to_data(parsed) {
                    Data::Map(m) => base = origan_yaml::merge_maps(base, m),
                    _ => return Err(UserValuesError::JsonObject(v.clone())),
                }
            } else {
                strvals::parse_set_json(v, &mut base)
                    .map_err(|_| UserValuesError::Json(v.clone()))?;
            }
        }
    }
    for s in sets {
        if let SetArg::Set(v) = s {
            strvals::parse_set(v, &mut base).map_err(|e| UserValuesError::Set(e.0))?;
        }
    }
    for s in sets {
        if let SetArg::String(v) = s {
            strvals::parse_set_string(v, &mut base).map_err(|e| UserValuesError::SetString(e.0))?;
        }
    }
    for s in sets {
        if let SetArg::File(v) = s {
            let mut reader = |p: &str| read_file(p);
            strvals::parse_set_file(v, &mut base, &mut reader)
                .map_err(|e| UserValuesError::SetFile(e.0))?;
        }
    }
    for s in sets {
        if let SetArg::Literal(v) = s {
            strvals::parse_set_literal(v, &mut base)
                .map_err(|e| UserValuesError::SetLiteral(e.0))?;
        }
    }
    Ok(Data::Map(base))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(s: &str) -> Data {
        Data::Map(origan_yaml::load_values(s).unwrap())
    }

    #[test]
    fn order_is_by_flag_type() {
        let files = [
            yaml("a: 1\nb: {c: 1, d: 2}\n"),
            yaml("b: {c: 3}\nnn: null\n"),
        ];
        let sets = [
            SetArg::Literal("x=lit,eral".into()),
            SetArg::String("x=str".into()),
            SetArg::Set("x=5,y=6".into()),
            SetArg::Json("y=[1]".into()),
        ];
        let Data::Map(m) = merge_user_values(&files, &sets).unwrap() else {
            panic!()
        };
        assert_eq!(m["x"], Data::String("lit,eral".into()));
        assert_eq!(m["y"], Data::Int(6));
        assert_eq!(m["nn"], Data::Null);
        let Data::Map(b) = &m["b"] else { panic!() };
        assert_eq!(b["c"], Data::Float(3.0));
        assert_eq!(b["d"], Data::Float(2.0));
    }

    #[test]
    fn json_object_argument_and_errors() {
        let Data::Map(m) =
            merge_user_values(&[], &[SetArg::Json(" {\"a\": {\"b\": 1}}".into())]).unwrap()
        else {
            panic!()
        };
        assert_eq!(
            m["a"],
            Data::Map([("b".to_string(), Data::Float(1.0))].into())
        );
        assert_eq!(
            merge_user_values(&[], &[SetArg::Json("{bad".into())])
                .unwrap_err()
                .to_string(),
            "failed parsing --set-json data JSON: {bad"
        );
        assert_eq!(
            merge_user_values(&[], &[SetArg::Set("a".into())])
                .unwrap_err()
                .to_string(),
            "failed parsing --set data: key \"a\" has no value"
        );
    }
}
