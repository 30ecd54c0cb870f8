//! The top-level data each template sees (`.Values`, `.Release`, `.Chart`,
//! `.Capabilities`, `.Template`, `.Files`, `.Subcharts`) and the order in
//! which templates are parsed and run (Helm's `allTemplates`, `recAllTpls`
//! and `sortTemplates`).

use std::collections::BTreeMap;
use std::rc::Rc;

use origan_chart::{Chart, Metadata};
use origan_gotmpl::{Map, MissingKey, Options, Templates, Value};
use origan_yaml::Data;

use super::{
    Capabilities, Error, Lookup, ReleaseInfo, convert::data_to_value, error, files::Files, funcs,
};

/// A template to parse, with the data of the chart it belongs to.
struct Entry {
    /// Full name, e.g. `parent/charts/sub/templates/x.yaml`.
    name: String,
    text: String,
    /// The chart's scope map (shared by the chart's templates, as in Helm).
    scope: Map,
    /// `<chart path>/templates`
    base_path: String,
}

pub(super) fn render_tree(
    chart: &Chart,
    values: &Data,
    release: &ReleaseInfo,
    caps: &Capabilities,
    lookup: Option<Rc<dyn Lookup>>,
    lint: bool,
) -> Result<BTreeMap<String, Vec<u8>>, Error> {
    let release_v = release_value(release);
    let caps_v = caps.to_value();
    let mut entries = Vec::new();
    collect(
        chart,
        &chart.metadata.name,
        data_to_value(values),
        true,
        &release_v,
        &caps_v,
        &mut entries,
    );
    // Helm's sortTemplates: deepest paths first, then reverse lexicographic,
    // so a parent's `define` (parsed later) overrides a subchart's.
    entries.sort_by(|a, b| {
        let (da, db) = (a.name.matches('/').count(), b.name.matches('/').count());
        db.cmp(&da).then_with(|| b.name.cmp(&a.name))
    });

    let mut funcs = funcs::func_map(lookup);
    if lint {
        funcs::lint_overrides(&mut funcs);
    }
    let mut set = Templates::new("gotpl", funcs);
    set.set_options(Options {
        missing_key: MissingKey::Zero,
        ..Options::default()
    });
    for e in &entries {
        set.parse(&e.name, &e.text).map_err(|err| Error {
            message: error::parse_error_text(&e.name, &err),
        })?;
    }
    let mut out = BTreeMap::new();
    for e in &entries {
        let base = e.name.rsplit('/').next().unwrap_or(&e.name);
        if base.starts_with('_') {
            continue;
        }
        // Helm sets vals["Template"] on the chart's shared map before each run.
        e.scope.entries.borrow_mut().insert(
            "Template".to_string(),
            Value::named_map(
                BTreeMap::from([
                    ("Name".to_string(), Value::str(e.name.as_str())),
                    ("BasePath".to_string(), Value::str(e.base_path.as_str())),
                ]),
                "common.Values",
            ),
        );
        let out_bytes = set
            .execute_bytes(&e.name, &Value::Map(e.scope.clone()))
            .map_err(|err| Error {
                message: error::exec_error_text(&e.name, &err),
            })?;
        out.insert(e.name.clone(), super::strip_no_value(out_bytes));
    }
    Ok(out)
}

fn release_value(r: &ReleaseInfo) -> Value {
    Value::map(BTreeMap::from([
        ("Name".to_string(), Value::str(r.name.as_str())),
        ("Namespace".to_string(), Value::str(r.namespace.as_str())),
        ("Revision".to_string(), Value::int(r.revision)),
        ("IsUpgrade".to_string(), Value::Bool(r.is_upgrade)),
        ("IsInstall".to_string(), Value::Bool(r.is_install)),
        ("Service".to_string(), Value::str("Helm")),
    ]))
}

/// Builds the scope of `chart` (found at `path`) and of its subcharts, and
/// queues their templates. Returns the chart's scope for `.Subcharts`.
fn collect(
    chart: &Chart,
    path: &str,
    values: Value,
    is_root: bool,
    release: &Value,
    caps: &Value,
    entries: &mut Vec<Entry>,
) -> Value {
    let chart_data = chart_value(&chart.metadata, is_root);
    let files: BTreeMap<String, Rc<[u8]>> = chart
        .files
        .iter()
        .map(|f| (f.name.clone(), Rc::from(f.data.as_slice())))
        .collect();
    // Helm's `.Values` (and the root) are `common.Values` maps; typeOf and
    // Sprig's `dig` see the difference.
    let values = match values {
        Value::Map(m) => Value::Map(Map {
            name: Some("common.Values".into()),
            ..m
        }),
        _ => Value::named_map(BTreeMap::new(), "common.Values"),
    };
    let scope_map = BTreeMap::from([
        ("Values".to_string(), values.clone()),
        ("Release".to_string(), release.clone()),
        ("Chart".to_string(), chart_data),
        ("Capabilities".to_string(), caps.clone()),
        (
            "Files".to_string(),
            Value::Object(Rc::new(Files::new(files))),
        ),
    ]);
    let Value::Map(scope) = Value::named_map(scope_map, "common.Values") else {
        unreachable!("Value::map builds a map")
    };

    let mut subcharts = BTreeMap::new();
    for dep in &chart.dependencies {
        let name = dep.metadata.name.clone();
        let sub_values = match &values {
            Value::Map(m) => m.entries.borrow().get(&name).cloned().unwrap_or(Value::Nil),
            _ => Value::Nil,
        };
        let sub_scope = collect(
            dep,
            &format!("{path}/charts/{name}"),
            sub_values,
            false,
            release,
            caps,
            entries,
        );
        subcharts.insert(name, sub_scope);
    }
    scope
        .entries
        .borrow_mut()
        .insert("Subcharts".to_string(), Value::map(subcharts));

    let is_library = chart.metadata.chart_type.eq_ignore_ascii_case("library");
    for t in &chart.templates {
        let base = t.name.rsplit('/').next().unwrap_or(&t.name);
        // Library charts contribute only their partials.
        if is_library && !base.starts_with('_') {
            continue;
        }
        entries.push(Entry {
            name: format!("{path}/{}", t.name),
            text: String::from_utf8_lossy(&t.data).into_owned(),
            scope: scope.clone(),
            base_path: format!("{path}/templates"),
        });
    }
    Value::Map(scope)
}

/// A nil `map[string]string`: `.Chart.Annotations` when Chart.yaml has
/// none. Go prints a nil map as `map[]` and encoding/json marshals it as
/// `null`, so neither an empty map nor nil `interface{}` will do.
struct NilStringMap;

impl origan_gotmpl::Object for NilStringMap {
    fn type_name(&self) -> String {
        "map[string]string".to_string()
    }
    fn kind_name(&self) -> &'static str {
        "map"
    }
    fn member(&self, name: &str, _args: &[Value]) -> Option<Result<Value, String>> {
        (name == "MarshalJSON").then(|| Ok(Value::str("null")))
    }
    fn is_method(&self, _name: &str) -> bool {
        false
    }
    fn template_string(&self) -> String {
        "map[]".to_string()
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
    fn collection(&self) -> Option<Value> {
        Some(Value::typed_map(
            BTreeMap::new(),
            origan_gotmpl::ElemType::String,
        ))
    }
}

/// `.Chart`: Helm 4 exposes Chart.yaml as a map keyed by the Go field names,
/// with empty lists rather than nil and `Annotations` nil when absent.
fn chart_value(m: &Metadata, is_root: bool) -> Value {
    let s = |x: &str| Value::str(x);
    let strs = |xs: &[String]| Value::list(xs.iter().map(|x| Value::str(x.as_str())).collect());
    let maintainers = m
        .maintainers
        .iter()
        .map(|x| {
            Value::map(BTreeMap::from([
                ("Name".to_string(), s(&x.name)),
                ("Email".to_string(), s(&x.email)),
                ("URL".to_string(), s(&x.url)),
            ]))
        })
        .collect();
    let dependencies = m
        .dependencies
        .iter()
        .map(|d| {
            Value::map(BTreeMap::from([
                ("Name".to_string(), s(&d.name)),
                ("Version".to_string(), s(&d.version)),
                ("Repository".to_string(), s(&d.repository)),
                ("Condition".to_string(), s(&d.condition)),
                ("Tags".to_string(), strs(&d.tags)),
                ("Enabled".to_string(), Value::Bool(d.enabled)),
                (
                    "ImportValues".to_string(),
                    Value::list(d.import_values.iter().map(data_to_value).collect()),
                ),
                ("Alias".to_string(), s(&d.alias)),
            ]))
        })
        .collect();
    let annotations = match &m.annotations {
        None => Value::Object(Rc::new(NilStringMap)),
        Some(a) => Value::map(a.iter().map(|(k, v)| (k.clone(), s(v))).collect()),
    };
    Value::map(BTreeMap::from([
        ("Name".to_string(), s(&m.name)),
        ("Home".to_string(), s(&m.home)),
        ("Sources".to_string(), strs(&m.sources)),
        ("Version".to_string(), s(&m.version)),
        ("Description".to_string(), s(&m.description)),
        ("Keywords".to_string(), strs(&m.keywords)),
        ("Maintainers".to_string(), Value::list(maintainers)),
        ("Icon".to_string(), s(&m.icon)),
        ("APIVersion".to_string(), s(&m.api_version)),
        ("Condition".to_string(), s(&m.condition)),
        ("Tags".to_string(), s(&m.tags)),
        ("AppVersion".to_string(), s(&m.app_version)),
        ("Deprecated".to_string(), Value::Bool(m.deprecated)),
        ("Annotations".to_string(), annotations),
        ("KubeVersion".to_string(), s(&m.kube_version)),
        ("Dependencies".to_string(), Value::list(dependencies)),
        ("Type".to_string(), s(&m.chart_type)),
        ("IsRoot".to_string(), Value::Bool(is_root)),
    ]))
}
