//! Helm's own template functions (`pkg/engine/funcs.go` and the late-bound
//! ones in `engine.go`): `include`, `tpl`, `required`, `fail`, `lookup`, the
//! YAML/JSON/TOML conversions, on top of Sprig.
//!
//! Owns the function map templates see. The wording of engine errors is
//! `error`'s.

use std::collections::BTreeMap;
use std::rc::Rc;

use origan_gotmpl::{ExecFunc, Func, FuncError, FuncMap, Param, Value};
use origan_yaml::Data;

use super::convert::{data_to_value, value_to_data, value_to_json};
use super::error::warn_wrap;

/// Answers `lookup` from a cluster. Offline rendering has none, and `lookup`
/// then returns an empty map, as Helm's `template` and client dry-run do.
pub trait Lookup {
    /// A Get (when `name` is given) or a List; `Ok(None)` when not found.
    fn lookup(
        &self,
        api_version: &str,
        kind: &str,
        namespace: &str,
        name: &str,
    ) -> Result<Option<Data>, String>;
}

/// Helm's include recursion limit per template name (`recursionMaxNums`).
const INCLUDE_MAX_DEPTH: usize = 1000;

/// Sprig's functions, then Helm's on top (Helm's win where names clash).
pub(super) fn func_map(lookup: Option<Rc<dyn Lookup>>) -> FuncMap {
    let mut m = FuncMap::new();
    origan_sprig::register(&mut m);
    register_data_funcs(&mut m);
    register_exec_funcs(&mut m);

    m.insert(
        "lookup",
        Func::new(
            &[Param::String, Param::String, Param::String, Param::String],
            move |a| {
                let s = |i: usize| a[i].as_str().unwrap_or_default().to_string();
                let Some(l) = &lookup else {
                    return Ok(Value::map(BTreeMap::new()));
                };
                match l.lookup(&s(0), &s(1), &s(2), &s(3)) {
                    Ok(Some(d)) => Ok(data_to_value(&d)),
                    Ok(None) => Ok(Value::map(BTreeMap::new())),
                    Err(e) => Err(FuncError::new(e)),
                }
            },
        ),
    );
    // CVE-2023-25165: without --enable-dns, getHostByName answers "".
    m.insert(
        "getHostByName",
        Func::new(&[Param::String], |_| Ok(Value::str(""))),
    );
    m
}

fn to_yaml(v: &Value) -> Result<String, String> {
    // origan_yaml::to_yaml already trims the one trailing newline, as Helm's toYAML.
    origan_yaml::to_yaml(&value_to_data(v)).map_err(|e| e.to_string())
}

fn register_data_funcs(m: &mut FuncMap) {
    // toYaml swallows errors and returns "" (Helm's toYAML).
    m.insert(
        "toYaml",
        Func::new(&[Param::Any], |a| {
            Ok(Value::str(to_yaml(&a[0]).unwrap_or_default()))
        }),
    );
    m.insert(
        "mustToYaml",
        Func::new(&[Param::Any], |a| {
            to_yaml(&a[0]).map(Value::str).map_err(FuncError::new)
        }),
    );
    m.insert(
        "toYamlPretty",
        Func::new(&[Param::Any], |a| {
            let s = origan_yaml::to_yaml_pretty(&value_to_data(&a[0])).unwrap_or_default();
            Ok(Value::str(s))
        }),
    );
    // Helm's conventions: a failed parse gives {"Error": msg} or [msg].
    m.insert(
        "fromYaml",
        Func::new(&[Param::String], |a| {
            Ok(data_to_value(&origan_yaml::helm_from_yaml(
                a[0].as_str().unwrap_or_default(),
            )))
        }),
    );
    m.insert(
        "fromYamlArray",
        Func::new(&[Param::String], |a| {
            Ok(data_to_value(&origan_yaml::helm_from_yaml_array(
                a[0].as_str().unwrap_or_default(),
            )))
        }),
    );
    let json = |f: fn(&Data) -> Result<String, origan_yaml::Error>, must: bool| {
        Func::new(&[Param::Any], move |a| match value_to_json(&a[0], f) {
            Ok(s) => Ok(Value::str(s)),
            Err(e) if must => Err(FuncError::new(e.to_string())),
            Err(_) => Ok(Value::str("")),
        })
    };
    m.insert("toJson", json(origan_yaml::to_json, false));
    m.insert("mustToJson", json(origan_yaml::to_json, true));
    m.insert("toPrettyJson", json(origan_yaml::to_json_pretty, false));
    m.insert("mustToPrettyJson", json(origan_yaml::to_json_pretty, true));
    m.insert("toRawJson", json(origan_yaml::to_raw_json, false));
    m.insert("mustToRawJson", json(origan_yaml::to_raw_json, true));
    m.insert(
        "fromJson",
        Func::new(&[Param::String], |a| {
            Ok(data_to_value(&origan_yaml::helm_from_json(
                a[0].as_str().unwrap_or_default(),
            )))
        }),
    );
    // Sprig's mustFromJson: any JSON value, errors fail.
    m.insert(
        "mustFromJson",
        Func::new(&[Param::String], |a| {
            origan_yaml::from_json(a[0].as_str().unwrap_or_default())
                .map(|d| data_to_value(&d))
                .map_err(|e| FuncError::new(e.to_string()))
        }),
    );
    m.insert(
        "fromJsonArray",
        Func::new(&[Param::String], |a| {
            Ok(data_to_value(&origan_yaml::helm_from_json_array(
                a[0].as_str().unwrap_or_default(),
            )))
        }),
    );
    m.insert(
        "toToml",
        Func::new(&[Param::Any], |a| {
            Ok(Value::str(super::toml::to_toml(&value_to_data(&a[0]))))
        }),
    );
    m.insert(
        "mustToToml",
        Func::new(&[Param::Any], |a| {
            Ok(Value::str(super::toml::to_toml(&value_to_data(&a[0]))))
        }),
    );
    m.insert(
        "fromToml",
        Func::new(&[Param::String], |a| {
            Ok(
                match super::toml::from_toml(a[0].as_str().unwrap_or_default()) {
                    Ok(d) => data_to_value(&d),
                    Err(e) => error_map(&e),
                },
            )
        }),
    );
}

/// Helm's `{"Error": msg}` result of a failed `fromYaml`/`fromJson`.
fn error_map(msg: &str) -> Value {
    Value::map(BTreeMap::from([("Error".to_string(), Value::str(msg))]))
}

/// `include`, `tpl`, `required` and `fail`: the functions that need the
/// running template set.
fn register_exec_funcs(m: &mut FuncMap) {
    m.insert_exec(
        "include",
        ExecFunc::new(&[Param::String, Param::Any], |ex, a| {
            let name = a[0].as_str().unwrap_or_default().to_string();
            let key = format!("include:{name}");
            if ex.count(&key, 1) > INCLUDE_MAX_DEPTH {
                ex.count(&key, -1);
                return Err(FuncError::new(format!(
                    "rendering template has a nested reference name: {name}: unable to execute template"
                )));
            }
            // Go strings are bytes: a partial may end inside a character.
            let result = ex.execute_named_bytes(&name, &a[1]);
            ex.count(&key, -1);
            result.map(Value::go_string).map_err(FuncError::template)
        }),
    );
    m.insert_exec(
        "tpl",
        ExecFunc::new(&[Param::String, Param::Any], |ex, a| {
            let text = a[0].as_str().unwrap_or_default();
            // Text without an action renders as itself; skip cloning the set
            // and parsing (bitnami's `common.tplvalues.render` sends every
            // value through tpl).
            if !text.contains("{{") {
                return Ok(Value::str(text.replace("<no value>", "")));
            }
            // Helm parses tpl text under the set's own name (`gotpl`).
            let name = ex.templates().name().to_string();
            ex.execute_text_bytes(&name, text, &a[1])
                .map(|out| Value::go_string(super::strip_no_value(out)))
                .map_err(|e| {
                    let quoted = origan_gotmpl::fmt::quote(text);
                    FuncError::new(match e {
                        origan_gotmpl::Error::Parse { .. } => {
                            format!("cannot parse template {quoted}: {e}")
                        }
                        _ => format!("error during tpl function execution for {quoted}: {e}"),
                    })
                })
        }),
    );
    m.insert(
        "required",
        Func::new(&[Param::String, Param::Any], |a| match &a[1] {
            Value::Nil => Err(FuncError::new(warn_wrap(a[0].as_str().unwrap_or_default()))),
            Value::String(s) if s.is_empty() => {
                Err(FuncError::new(warn_wrap(a[0].as_str().unwrap_or_default())))
            }
            v => Ok(v.clone()),
        }),
    );
    m.insert(
        "fail",
        Func::new(&[Param::String], |a| {
            Err(FuncError::new(warn_wrap(a[0].as_str().unwrap_or_default())))
        }),
    );
}

/// Helm's lint mode: `required` and `fail` log in Helm and return `""`.
pub(super) fn lint_overrides(m: &mut FuncMap) {
    m.insert(
        "required",
        Func::new(&[Param::String, Param::Any], |a| match &a[1] {
            Value::Nil => Ok(Value::str("")),
            Value::String(s) if s.is_empty() => Ok(Value::str("")),
            v => Ok(v.clone()),
        }),
    );
    m.insert("fail", Func::new(&[Param::String], |_| Ok(Value::str(""))));
}
