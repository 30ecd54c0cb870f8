//! `values.schema.json` validation (pkg/chart/common/util/jsonschema.go).
//!
//! Owns: validating coalesced values against the root chart's schema and, for
//! every enabled subchart, its schema against `values[<subchart>]`; Helm's error
//! layout (`<chart>:\n- at '<pointer>': <message>`), with messages in the wording
//! of santhosh-tekuri/jsonschema v6 (the Go validator Helm 4 uses). Validation is
//! done by `boon`, the Rust port of that validator (default draft 2020-12,
//! `$schema` selects 4/6/7/2019-09). boon drops the `'allOf' failed` level when a single
//! branch fails; it is restored from the schema path. Does not own: coalescing, the
//! CLI prefix.
//!
//! `$ref` loading: `file:` URLs are read like Helm does; `urn:` references become a
//! permissive `true` schema with a warning, as in Helm; `http(s):` references are
//! not fetched (this crate does no network I/O) and fail to compile.

use std::error::Error as StdError;

use boon::{Compiler, ErrorKind, InstanceToken, Schemas, UrlLoader, ValidationError};
use origan_yaml::Data;
use serde_json::Value;

use crate::load::Chart;

/// A schema problem. The text is Helm's (without the `Error: INSTALLATION FAILED: `
/// prefix the CLI adds).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("values don't meet the specifications of the schema(s) in the following chart(s):\n{0}")]
pub struct SchemaError(pub String);

/// Helm's `ValidateAgainstSchema` with `ToRenderValues`' message prefix.
pub fn validate_values(chart: &Chart, values: &Data) -> Result<(), SchemaError> {
    let mut sb = String::new();
    let Data::Map(map) = values else {
        return Ok(());
    };
    validate_rec(chart, map, &mut sb);
    if sb.is_empty() {
        Ok(())
    } else {
        Err(SchemaError(sb))
    }
}

fn validate_rec(chart: &Chart, values: &std::collections::BTreeMap<String, Data>, sb: &mut String) {
    if let Some(schema) = &chart.schema
        && let Err(e) = validate_single(&Data::Map(values.clone()), schema)
    {
        sb.push_str(&format!("{}:\n", chart.name()));
        sb.push_str(&e);
    }
    for sub in &chart.dependencies {
        match values.get(sub.name()) {
            None | Some(Data::Null) => {}
            Some(Data::Map(m)) => validate_rec(sub, m, sb),
            Some(other) => sb.push_str(&format!(
                "{}:\ninvalid type for values: expected object (map), got {}\n",
                sub.name(),
                go_type_name(other)
            )),
        }
    }
}

fn go_type_name(d: &Data) -> &'static str {
    match d {
        Data::Null => "<nil>",
        Data::Bool(_) => "bool",
        Data::Int(_) => "int64",
        Data::Uint(_) => "uint64",
        Data::Float(_) => "float64",
        Data::String(_) => "string",
        Data::List(_) => "[]interface {}",
        Data::Map(_) => "map[string]interface {}",
    }
}

const SCHEMA_URL: &str = "file:///values.schema.json";

struct Loader;

impl UrlLoader for Loader {
    fn load(&self, url: &str) -> Result<Value, Box<dyn StdError>> {
        if url.starts_with("urn:") {
            // Helm: unresolved URNs become a permissive schema (with a warning).
            return Ok(Value::Bool(true));
        }
        if let Some(path) = url.strip_prefix("file://") {
            let text = std::fs::read_to_string(path)?;
            return Ok(serde_json::from_str(&text)?);
        }
        Err(format!("no loader for {url}: origanctl does not fetch remote schemas").into())
    }
}

/// `ValidateAgainstSingleSchema`: the per-chart error text (lines + final newline).
pub fn validate_single(values: &Data, schema: &[u8]) -> Result<(), String> {
    let schema: Value = serde_json::from_slice(schema).map_err(|e| e.to_string())?;
    let mut compiler = Compiler::new();
    compiler.use_loader(Box::new(Loader));
    compiler
        .add_resource(SCHEMA_URL, schema)
        .map_err(|e| e.to_string())?;
    let mut schemas = Schemas::new();
    let idx = compiler
        .compile(SCHEMA_URL, &mut schemas)
        .map_err(|e| e.to_string())?;
    let instance = to_json(values);
    match schemas.validate(&instance, idx) {
        Ok(()) => Ok(()),
        Err(e) => {
            let mut sb = String::new();
            display(&restore_allof(to_node(&e)), &mut sb, 0);
            let prefix = format!(
                "jsonschema validation failed with {}\n",
                quote(&format!("{SCHEMA_URL}#"))
            );
            let s = sb.strip_prefix(&prefix).unwrap_or(&sb).to_string();
            Err(s + "\n")
        }
    }
}

fn to_json(d: &Data) -> Value {
    match d {
        Data::Null => Value::Null,
        Data::Bool(b) => Value::Bool(*b),
        Data::Int(i) => Value::from(*i),
        Data::Uint(u) => Value::from(*u),
        Data::Float(f) => serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number),
        Data::String(s) => Value::String(s.clone()),
        Data::List(l) => Value::Array(l.iter().map(to_json).collect()),
        Data::Map(m) => Value::Object(m.iter().map(|(k, v)| (k.clone(), to_json(v))).collect()),
    }
}

/// An error node ready for display: boon's tree, with the `'allOf' failed` level
/// that boon leaves out when a single `allOf` branch fails put back.
struct Node {
    /// Schema location of the failing schema (boon's `schema_url`).
    url: String,
    /// Instance location tokens (already JSON-pointer escaped).
    inst: Vec<String>,
    msg: String,
    is_schema: bool,
    is_allof: bool,
    is_reference: bool,
    causes: Vec<Node>,
}

fn to_node(e: &ValidationError<'_, '_>) -> Node {
    Node {
        url: e.schema_url.to_string(),
        inst: e
            .instance_location
            .tokens
            .iter()
            .map(|t| match t {
                InstanceToken::Prop(p) => p.replace('~', "~0").replace('/', "~1"),
                InstanceToken::Item(i) => i.to_string(),
            })
            .collect(),
        msg: match &e.kind {
            ErrorKind::Schema { url } => {
                format!("jsonschema validation failed with {}", quote(url))
            }
            k => message(k),
        },
        is_schema: matches!(e.kind, ErrorKind::Schema { .. }),
        is_allof: matches!(e.kind, ErrorKind::AllOf),
        is_reference: matches!(e.kind, ErrorKind::Reference { .. }),
        causes: e.causes.iter().map(to_node).collect(),
    }
}

/// Where, in `child`'s schema path below `parent`'s, an `allOf` branch starts that
/// no error node stands for; returns (segments up to and including `allOf/N`,
/// instance tokens consumed before it). `None` when there is none or the path
/// cannot be followed (e.g. after a `$ref`).
fn unwrapped_allof(parent: &Node, child: &Node) -> Option<(String, usize)> {
    let rel = child.url.strip_prefix(&parent.url)?;
    let segs: Vec<&str> = rel.split('/').skip(1).collect();
    if rel.is_empty() {
        return None;
    }
    let mut i = 0;
    let mut consumed = 0;
    while i < segs.len() {
        let kw = segs[i];
        let next_is_index = segs.get(i + 1).is_some_and(|s| s.parse::<usize>().is_ok());
        match kw {
            "allOf" if next_is_index => {
                if !(i == 0 && parent.is_allof) {
                    let upto = format!("/{}", segs[..i].join("/"));
                    let upto = if i == 0 { String::new() } else { upto };
                    return Some((upto, consumed));
                }
                i += 2;
            }
            "anyOf" | "oneOf" | "dependentSchemas" | "dependencies" if i + 1 < segs.len() => i += 2,
            "not" | "if" | "then" | "else" | "propertyNames" => i += 1,
            "properties" | "patternProperties" | "prefixItems" if i + 1 < segs.len() => {
                consumed += 1;
                i += 2;
            }
            "items" if next_is_index => {
                consumed += 1;
                i += 2;
            }
            "items"
            | "additionalProperties"
            | "additionalItems"
            | "contains"
            | "unevaluatedProperties"
            | "unevaluatedItems" => {
                consumed += 1;
                i += 1;
            }
            _ => return None,
        }
    }
    None
}

fn restore_allof(mut n: Node) -> Node {
    let causes = std::mem::take(&mut n.causes);
    for c in causes {
        let c = match unwrapped_allof(&n, &c) {
            Some((upto, consumed)) if n.inst.len() + consumed <= c.inst.len() => {
                let depth = n.inst.len() + consumed;
                Node {
                    url: format!("{}{upto}", n.url),
                    inst: c.inst[..depth].to_vec(),
                    msg: "'allOf' failed".into(),
                    is_schema: false,
                    is_allof: true,
                    is_reference: false,
                    causes: vec![c],
                }
            }
            _ => c,
        };
        n.causes.push(restore_allof(c));
    }
    n
}

/// jsonschema v6's `ValidationError.display` (non-verbose).
fn display(e: &Node, sb: &mut String, mut indent: usize) {
    let skip = e.causes.len() == 1 && e.is_reference;
    if !skip {
        if indent > 0 {
            sb.push('\n');
            for _ in 0..indent - 1 {
                sb.push_str("  ");
            }
            sb.push_str("- ");
        }
        indent += 1;
        if e.is_schema {
            sb.push_str(&e.msg);
        } else {
            let ptr: String = e.inst.iter().map(|t| format!("/{t}")).collect();
            sb.push_str(&format!("at {}: {}", quote(&ptr), e.msg));
        }
    }
    for c in &e.causes {
        display(c, sb, indent);
    }
}

/// jsonschema v6's `quote`: Go `%q` with `'` delimiters.
fn quote(s: &str) -> String {
    let q = origan_semver::go_quote(s);
    let inner = &q[1..q.len() - 1];
    format!("'{}'", inner.replace("\\\"", "\"").replace('\'', "\\'"))
}

fn join_quoted(v: &[impl AsRef<str>]) -> String {
    v.iter()
        .map(|s| quote(s.as_ref()))
        .collect::<Vec<_>>()
        .join(", ")
}

fn num(n: &serde_json::Number) -> String {
    loc_float(n.as_f64().unwrap_or(0.0))
}

/// golang.org/x/text's English `%d`: digits grouped by three (`70,000`).
fn int(i: usize) -> String {
    group(&i.to_string())
}

fn group(digits: &str) -> String {
    let (sign, d) = match digits.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", digits),
    };
    let mut out = String::new();
    for (i, c) in d.chars().enumerate() {
        if i > 0 && (d.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    format!("{sign}{out}")
}

/// golang.org/x/text's English `%v` of a float64: shortest digits, grouped in
/// decimal form, `d.ddd×10ⁿ` (superscript exponent) where Go's `%v` would use an
/// exponent (exponent < -4 or >= 21).
fn loc_float(f: f64) -> String {
    if !f.is_finite() {
        return origan_yaml::format_float_g(f);
    }
    if f == 0.0 {
        return "0".into();
    }
    let e = format!("{:e}", f.abs());
    let (mant, exp) = e.split_once('e').expect("LowerExp has an exponent");
    let exp: i32 = exp.parse().expect("numeric exponent");
    let digits: String = mant.chars().filter(|c| c.is_ascii_digit()).collect();
    let sign = if f < 0.0 { "-" } else { "" };
    if !(-4..21).contains(&exp) {
        let mut m = digits[..1].to_string();
        if digits.len() > 1 {
            m.push('.');
            m.push_str(&digits[1..]);
        }
        let sup: String = exp
            .to_string()
            .chars()
            .map(|c| match c {
                '-' => '⁻',
                '0' => '⁰',
                '1' => '¹',
                '2' => '²',
                '3' => '³',
                '4' => '⁴',
                '5' => '⁵',
                '6' => '⁶',
                '7' => '⁷',
                '8' => '⁸',
                _ => '⁹',
            })
            .collect();
        return format!("{sign}{m}×10{sup}");
    }
    // Decimal form: digits with the point after exp+1 digits.
    let point = exp + 1;
    let (int_part, frac) = if point <= 0 {
        (
            "0".to_string(),
            format!("{}{digits}", "0".repeat((-point) as usize)),
        )
    } else if point as usize >= digits.len() {
        (
            format!("{digits}{}", "0".repeat(point as usize - digits.len())),
            String::new(),
        )
    } else {
        (
            digits[..point as usize].to_string(),
            digits[point as usize..].to_string(),
        )
    };
    let mut out = format!("{sign}{}", group(&int_part));
    if !frac.is_empty() {
        out.push('.');
        out.push_str(&frac);
    }
    out
}

/// jsonschema v6's `display` of a primitive.
fn show(v: &Value) -> String {
    match v {
        Value::String(s) => quote(s),
        Value::Array(_) | Value::Object(_) => "value".into(),
        Value::Number(n) => num(n),
        Value::Null => "<nil>".into(),
        Value::Bool(b) => b.to_string(),
    }
}

fn message(k: &ErrorKind<'_, '_>) -> String {
    use ErrorKind as K;
    match k {
        K::Group | K::Reference { .. } => "validation failed".into(),
        K::Schema { url } => format!("jsonschema validation failed with {}", quote(url)),
        K::ContentSchema => "contentSchema failed".into(),
        K::PropertyName { prop } => format!("invalid propertyName {}", quote(prop)),
        K::RefCycle {
            url,
            kw_loc1,
            kw_loc2,
        } => format!(
            "both {kw_loc1} and {kw_loc2} resolve to {} causing reference cycle",
            origan_semver::go_quote(url)
        ),
        K::FalseSchema => "false schema".into(),
        K::Type { got, want } => {
            // Go reports every number as "number".
            let got = match got.to_string().as_str() {
                "integer" => "number".to_string(),
                g => g.to_string(),
            };
            let want: Vec<String> = want.iter().map(|t| t.to_string()).collect();
            format!("got {got}, want {}", want.join(" or "))
        }
        K::Enum { want } => {
            if want.iter().any(|v| v.is_array() || v.is_object()) {
                "'enum' failed".into()
            } else if want.len() == 1 {
                format!("value must be {}", show(&want[0]))
            } else {
                format!(
                    "value must be one of {}",
                    want.iter().map(show).collect::<Vec<_>>().join(", ")
                )
            }
        }
        K::Const { want } => match want {
            Value::Array(_) | Value::Object(_) => "'const' failed".into(),
            w => format!("value must be {}", show(w)),
        },
        K::Format { got, want, err } => format!("{} is not valid {want}: {err}", show(got)),
        K::MinProperties { got, want } => {
            format!("minProperties: got {}, want {}", int(*got), int(*want))
        }
        K::MaxProperties { got, want } => {
            format!("maxProperties: got {}, want {}", int(*got), int(*want))
        }
        K::AdditionalProperties { got } => {
            format!("additional properties {} not allowed", join_quoted(got))
        }
        K::Required { want } => {
            if want.len() == 1 {
                format!("missing property {}", quote(want[0]))
            } else {
                format!("missing properties {}", join_quoted(want))
            }
        }
        K::Dependency { prop, missing } | K::DependentRequired { prop, missing } => format!(
            "properties {} required, if {} exists",
            join_quoted(missing),
            quote(prop)
        ),
        K::MinItems { got, want } => format!("minItems: got {}, want {}", int(*got), int(*want)),
        K::MaxItems { got, want } => format!("maxItems: got {}, want {}", int(*got), int(*want)),
        K::Contains => "no items match contains schema".into(),
        K::MinContains { got, want } => {
            if got.is_empty() {
                format!("min {want} items required to match contains schema, but none matched")
            } else {
                format!(
                    "min {want} items required to match contains schema, but matched {} items at {}",
                    got.len(),
                    got.iter()
                        .map(|i| i.to_string())
                        .collect::<Vec<_>>()
                        .join(" ")
                )
            }
        }
        K::MaxContains { got, want } => format!(
            "max {want} items required to match contains schema, but matched {} items at {}",
            got.len(),
            got.iter()
                .map(|i| i.to_string())
                .collect::<Vec<_>>()
                .join(" ")
        ),
        K::UniqueItems { got } => format!("items at {} and {} are equal", int(got[0]), int(got[1])),
        K::AdditionalItems { got } => format!("last {} additionalItem(s) not allowed", int(*got)),
        K::MinLength { got, want } => format!("minLength: got {}, want {}", int(*got), int(*want)),
        K::MaxLength { got, want } => format!("maxLength: got {}, want {}", int(*got), int(*want)),
        K::Pattern { got, want } => {
            format!("{} does not match pattern {}", quote(got), quote(want))
        }
        K::ContentEncoding { want, err } => {
            format!("value is not {} encoded: {err}", quote(want))
        }
        K::ContentMediaType { want, err, .. } => {
            format!("value if not of mediatype {}: {err}", quote(want))
        }
        K::Minimum { got, want } => format!("minimum: got {}, want {}", num(got), num(want)),
        K::Maximum { got, want } => format!("maximum: got {}, want {}", num(got), num(want)),
        K::ExclusiveMinimum { got, want } => {
            format!("exclusiveMinimum: got {}, want {}", num(got), num(want))
        }
        K::ExclusiveMaximum { got, want } => {
            format!("exclusiveMaximum: got {}, want {}", num(got), num(want))
        }
        K::MultipleOf { got, want } => {
            format!("multipleOf: got {}, want {}", num(got), num(want))
        }
        K::Not => "'not' failed".into(),
        K::AllOf => "'allOf' failed".into(),
        K::AnyOf => "'anyOf' failed".into(),
        K::OneOf(None) => "'oneOf' failed, none matched".into(),
        K::OneOf(Some((i, j))) => format!(
            "'oneOf' failed, subschemas {}, {} matched",
            int(*i),
            int(*j)
        ),
    }
}
