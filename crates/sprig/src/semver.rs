//! Sprig's `semver` and `semverCompare`, and the `*semver.Version` host
//! object templates call methods on (`.Major`, `.Compare`, `.IncMinor`…).
//!
//! Owns the template binding: the object's Go type name (`*semver.Version`
//! from `semver`, `semver.Version` from `Inc*`/`Set*`), which methods each
//! receiver kind has, and how it prints. Does not own version parsing or
//! constraint logic (crate origan-semver).

use std::any::Any;
use std::cmp::Ordering;
use std::rc::Rc;

use origan_gotmpl::{Func, FuncError, FuncMap, IntType, Object, Param, Value};
use origan_semver::Version;

use crate::encoding::arg_str;

pub(crate) fn register(funcs: &mut FuncMap) {
    // {{ (semver "1.2.3-beta.1").Prerelease }} → beta.1
    funcs.insert(
        "semver",
        Func::new(&[Param::String], |a| {
            let v = Version::parse(arg_str(a, 0)?).map_err(|e| FuncError::new(e.to_string()))?;
            Ok(SemverObject::pointer(v))
        }),
    );
    // {{ semverCompare ">=1.2.0" "1.2.5" }} → true
    funcs.insert(
        "semverCompare",
        Func::new(&[Param::String, Param::String], |a| {
            origan_semver::semver_compare(arg_str(a, 0)?, arg_str(a, 1)?)
                .map(Value::Bool)
                .map_err(|e| FuncError::new(e.to_string()))
        }),
    );
}

/// A Masterminds `*semver.Version` (or a `semver.Version` value).
pub struct SemverObject {
    /// The version.
    pub version: Version,
    /// `*semver.Version` (from `semver`) rather than `semver.Version`
    /// (returned by `IncMajor` and friends): only pointers have the
    /// pointer-receiver methods (`Compare`, `LessThan`, `Original`…).
    pub pointer: bool,
}

impl SemverObject {
    /// A `*semver.Version` value.
    pub fn pointer(version: Version) -> Value {
        Value::Object(Rc::new(SemverObject {
            version,
            pointer: true,
        }))
    }

    fn value(version: Version) -> Value {
        Value::Object(Rc::new(SemverObject {
            version,
            pointer: false,
        }))
    }
}

const VALUE_METHODS: &[&str] = &[
    "String",
    "Major",
    "Minor",
    "Patch",
    "Prerelease",
    "Metadata",
    "IncPatch",
    "IncMinor",
    "IncMajor",
    "SetPrerelease",
    "SetMetadata",
    "MarshalJSON",
    "MarshalText",
];
const POINTER_METHODS: &[&str] = &[
    "Original",
    "LessThan",
    "LessThanEqual",
    "GreaterThan",
    "GreaterThanEqual",
    "Equal",
    "Compare",
];

/// The `*semver.Version` argument of a comparison method.
fn other_version<'a>(name: &str, args: &'a [Value]) -> Result<&'a Version, String> {
    if args.len() != 1 {
        return Err(format!(
            "wrong number of args for {name}: want 1 got {}",
            args.len()
        ));
    }
    match &args[0] {
        Value::Object(o) => match o.as_any().downcast_ref::<SemverObject>() {
            Some(s) if s.pointer => Ok(&s.version),
            _ => Err(format!(
                "wrong type for value; expected *semver.Version; got {}",
                o.type_name()
            )),
        },
        other => Err(format!(
            "wrong type for value; expected *semver.Version; got {}",
            other.type_name()
        )),
    }
}

impl Object for SemverObject {
    fn type_name(&self) -> String {
        if self.pointer {
            "*semver.Version".to_string()
        } else {
            "semver.Version".to_string()
        }
    }

    fn kind_name(&self) -> &'static str {
        if self.pointer { "ptr" } else { "struct" }
    }

    fn member(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        if !self.is_method(name) {
            return None;
        }
        let v = &self.version;
        let no_args = |value: Value| {
            if args.is_empty() {
                Ok(value)
            } else {
                Err(format!(
                    "wrong number of args for {name}: want 0 got {}",
                    args.len()
                ))
            }
        };
        let string_arg = || match args {
            [Value::String(s)] => Ok(s.to_string()),
            [other] => Err(format!(
                "wrong type for value; expected string; got {}",
                other.type_name()
            )),
            _ => Err(format!(
                "wrong number of args for {name}: want 1 got {}",
                args.len()
            )),
        };
        let cmp = || other_version(name, args).map(|o| v.compare(o));
        Some(match name {
            "String" => no_args(Value::str(v.to_string())),
            "Original" => no_args(Value::str(v.original())),
            "Major" => no_args(Value::Uint(v.major(), IntType::Uint64)),
            "Minor" => no_args(Value::Uint(v.minor(), IntType::Uint64)),
            "Patch" => no_args(Value::Uint(v.patch(), IntType::Uint64)),
            "Prerelease" => no_args(Value::str(v.prerelease())),
            "Metadata" => no_args(Value::str(v.metadata())),
            "IncPatch" | "IncMinor" | "IncMajor" => {
                let next = match name {
                    "IncPatch" => v.inc_patch(),
                    "IncMinor" => v.inc_minor(),
                    _ => v.inc_major(),
                };
                match next {
                    Ok(n) => no_args(SemverObject::value(n)),
                    Err(e) => Err(e.to_string()),
                }
            }
            "SetPrerelease" | "SetMetadata" => string_arg().and_then(|s| {
                let r = if name == "SetPrerelease" {
                    v.set_prerelease(&s)
                } else {
                    v.set_metadata(&s)
                };
                r.map(SemverObject::value).map_err(|e| e.to_string())
            }),
            // What toJson/toYaml print: the version as a JSON string.
            "MarshalJSON" => no_args(Value::Bytes(
                origan_semver::go_quote(&v.to_string()).into_bytes().into(),
            )),
            "MarshalText" => no_args(Value::Bytes(v.to_string().into_bytes().into())),
            "Compare" => cmp().map(|o| Value::int(o as i64)),
            "LessThan" => cmp().map(|o| Value::Bool(o == Ordering::Less)),
            "LessThanEqual" => cmp().map(|o| Value::Bool(o != Ordering::Greater)),
            "GreaterThan" => cmp().map(|o| Value::Bool(o == Ordering::Greater)),
            "GreaterThanEqual" => cmp().map(|o| Value::Bool(o != Ordering::Less)),
            "Equal" => cmp().map(|o| Value::Bool(o == Ordering::Equal)),
            _ => return None,
        })
    }

    fn is_method(&self, name: &str) -> bool {
        VALUE_METHODS.contains(&name) || (self.pointer && POINTER_METHODS.contains(&name))
    }

    fn template_string(&self) -> String {
        self.version.to_string()
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}
