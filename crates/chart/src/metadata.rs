//! Chart.yaml (`Metadata`, `Maintainer`, `Dependency`) and Chart.lock (`Lock`).
//!
//! Owns: decoding these files the way Helm does (sigs.k8s.io/yaml into Go structs:
//! scalars coerced into string fields, field names matched case-insensitively,
//! unknown fields ignored), `Metadata.Validate` with Helm's error texts, and the
//! two output shapes: Helm's JSON field names (release records, `helm show chart`)
//! and the Go-field-name map that templates see as `.Chart`. Does not own:
//! classifying chart files (`load`) or dependency processing (`dependencies`).

use std::collections::BTreeMap;

use origan_yaml::{Data, Node};

/// Errors from decoding or validating Chart.yaml / Chart.lock.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MetadataError {
    /// Helm's `ValidationError`: "validation: ..." (the text includes the prefix).
    #[error("validation: {0}")]
    Validation(String),
    /// A YAML or type error (the text is the full Go message after the file prefix).
    #[error("{0}")]
    Decode(String),
}

/// A chart maintainer.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Maintainer {
    pub name: String,
    pub email: String,
    pub url: String,
}

/// One `dependencies:` entry of Chart.yaml (or requirements.yaml / a lock file).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Dependency {
    pub name: String,
    pub version: String,
    pub repository: String,
    pub condition: String,
    pub tags: Vec<String>,
    pub enabled: bool,
    /// Strings or `{child, parent}` maps, as written; normalised by dependency processing.
    pub import_values: Vec<Data>,
    pub alias: String,
}

/// Chart.yaml.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Metadata {
    pub name: String,
    pub home: String,
    pub sources: Vec<String>,
    pub version: String,
    pub description: String,
    pub keywords: Vec<String>,
    pub maintainers: Vec<Maintainer>,
    pub icon: String,
    pub api_version: String,
    pub condition: String,
    pub tags: String,
    pub app_version: String,
    pub deprecated: bool,
    /// `None` when absent (Go's nil map prints as `null` / `map[]`).
    pub annotations: Option<BTreeMap<String, String>>,
    pub kube_version: String,
    pub dependencies: Vec<Dependency>,
    pub chart_type: String,
    /// A `null` entry in `maintainers:` / `dependencies:` (a validation error in Helm).
    null_maintainer: bool,
    null_dependency: bool,
    /// Go tells `dependencies: []` (an empty, non-nil slice) from no key (nil);
    /// dependency processing runs only for a non-nil list.
    pub(crate) dependencies_declared: bool,
}

/// Chart.lock / requirements.lock.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Lock {
    /// The `generated` timestamp as written.
    pub generated: String,
    pub digest: String,
    pub dependencies: Vec<Dependency>,
}

pub const API_VERSION_V1: &str = "v1";
pub const API_VERSION_V2: &str = "v2";

// ---------------------------------------------------------------------------
// Decoding (encoding/json into a struct, after sigs.k8s.io/yaml's conversion)
// ---------------------------------------------------------------------------

fn json_kind(n: &Node) -> &'static str {
    match n {
        Node::Null => "null",
        Node::Bool(_) => "bool",
        Node::Int(_) | Node::Uint(_) | Node::Float(_) => "number",
        Node::String(_) => "string",
        Node::Seq(_) => "array",
        Node::Map(_) => "object",
    }
}

/// Collects the first type error, as encoding/json does (it keeps decoding).
struct Decoder {
    err: Option<String>,
}

impl Decoder {
    fn type_err(&mut self, n: &Node, field: &str, go_type: &str) {
        if self.err.is_none() {
            self.err = Some(format!(
                "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go struct field {field} of type {go_type}",
                json_kind(n)
            ));
        }
    }

    /// sigs.k8s.io/yaml stringifies numbers and bools aimed at a string field.
    fn string(&mut self, n: &Node, field: &str, dst: &mut String) {
        match n {
            Node::Null => {}
            Node::String(s) => *dst = s.clone(),
            Node::Bool(b) => *dst = b.to_string(),
            Node::Int(i) => *dst = i.to_string(),
            Node::Uint(u) => *dst = u.to_string(),
            Node::Float(f) => *dst = origan_yaml::format_float_g(*f),
            other => self.type_err(other, field, "string"),
        }
    }

    fn boolean(&mut self, n: &Node, field: &str, dst: &mut bool) {
        match n {
            Node::Null => {}
            Node::Bool(b) => *dst = *b,
            other => self.type_err(other, field, "bool"),
        }
    }

    fn strings(&mut self, n: &Node, field: &str, dst: &mut Vec<String>) {
        match n {
            Node::Null => dst.clear(),
            Node::Seq(items) => {
                *dst = items
                    .iter()
                    .map(|i| {
                        let mut s = String::new();
                        self.string(i, field, &mut s);
                        s
                    })
                    .collect();
            }
            other => self.type_err(other, field, "[]string"),
        }
    }
}

/// Object fields as encoding/json sees them: keys stringified, sorted (Go's
/// json.Marshal of a map), so a later case-variant of a key wins.
fn fields(n: &Node) -> Vec<(String, &Node)> {
    let Node::Map(entries) = n else {
        return Vec::new();
    };
    let mut map: BTreeMap<String, &Node> = BTreeMap::new();
    for (k, v) in entries {
        if let Some(key) = key_string(k) {
            map.insert(key, v);
        }
    }
    map.into_iter().collect()
}

fn key_string(k: &Node) -> Option<String> {
    Some(match k {
        Node::String(s) => s.clone(),
        Node::Int(i) => i.to_string(),
        Node::Uint(u) => u.to_string(),
        Node::Float(f) => origan_yaml::format_float_g(*f),
        Node::Bool(b) => b.to_string(),
        _ => return None,
    })
}

/// encoding/json field matching: exact name, else ASCII case-insensitive.
fn field_is(key: &str, name: &str) -> bool {
    key == name || key.eq_ignore_ascii_case(name)
}

/// yaml.v2 node → the `interface{}` value encoding/json would produce.
pub(crate) fn node_to_data(n: &Node) -> Data {
    match n {
        Node::Null => Data::Null,
        Node::Bool(b) => Data::Bool(*b),
        Node::Int(i) => Data::Float(*i as f64),
        Node::Uint(u) => Data::Float(*u as f64),
        Node::Float(f) => Data::Float(*f),
        Node::String(s) => Data::String(s.clone()),
        Node::Seq(items) => Data::List(items.iter().map(node_to_data).collect()),
        Node::Map(_) => Data::Map(
            fields(n)
                .into_iter()
                .map(|(k, v)| (k, node_to_data(v)))
                .collect(),
        ),
    }
}

fn decode_maintainer(d: &mut Decoder, n: &Node) -> Maintainer {
    let mut m = Maintainer::default();
    if !matches!(n, Node::Map(_)) {
        d.type_err(n, "Metadata.maintainers", "v2.Maintainer");
        return m;
    }
    for (k, v) in fields(n) {
        if field_is(&k, "name") {
            d.string(v, "Maintainer.maintainers.name", &mut m.name);
        } else if field_is(&k, "email") {
            d.string(v, "Maintainer.maintainers.email", &mut m.email);
        } else if field_is(&k, "url") {
            d.string(v, "Maintainer.maintainers.url", &mut m.url);
        }
    }
    m
}

fn decode_dependency(d: &mut Decoder, n: &Node, st: &str) -> Dependency {
    let mut dep = Dependency::default();
    if !matches!(n, Node::Map(_)) {
        d.type_err(n, &format!("{st}.dependencies"), "v2.Dependency");
        return dep;
    }
    let f = |name: &str| format!("Dependency.dependencies.{name}");
    for (k, v) in fields(n) {
        if field_is(&k, "name") {
            d.string(v, &f("name"), &mut dep.name);
        } else if field_is(&k, "version") {
            d.string(v, &f("version"), &mut dep.version);
        } else if field_is(&k, "repository") {
            d.string(v, &f("repository"), &mut dep.repository);
        } else if field_is(&k, "condition") {
            d.string(v, &f("condition"), &mut dep.condition);
        } else if field_is(&k, "tags") {
            d.strings(v, &f("tags"), &mut dep.tags);
        } else if field_is(&k, "enabled") {
            d.boolean(v, &f("enabled"), &mut dep.enabled);
        } else if field_is(&k, "import-values") {
            match v {
                Node::Null => dep.import_values.clear(),
                Node::Seq(items) => dep.import_values = items.iter().map(node_to_data).collect(),
                other => d.type_err(other, &f("import-values"), "[]interface {}"),
            }
        } else if field_is(&k, "alias") {
            d.string(v, &f("alias"), &mut dep.alias);
        }
    }
    dep
}

fn decode_dependencies(
    d: &mut Decoder,
    v: &Node,
    st: &str,
    out: &mut Vec<Dependency>,
    saw_null: &mut bool,
) {
    match v {
        Node::Null => out.clear(),
        Node::Seq(items) => {
            out.clear();
            for i in items {
                if matches!(i, Node::Null) {
                    *saw_null = true;
                    continue;
                }
                out.push(decode_dependency(d, i, st));
            }
        }
        other => d.type_err(other, &format!("{st}.dependencies"), "[]*v2.Dependency"),
    }
}

impl Metadata {
    /// Decodes Chart.yaml text onto `self` (Go's `yaml.Unmarshal(data, c.Metadata)`:
    /// fields not in the text keep their value, which is how requirements.yaml adds
    /// dependencies to an already-loaded Metadata).
    pub fn decode_into(&mut self, text: &str) -> Result<(), MetadataError> {
        let node = origan_yaml::parse_first_document(text).map_err(|e| {
            MetadataError::Decode(format!("error converting YAML to JSON: {}", e.message()))
        })?;
        self.decode_node(&node)
    }

    /// Decodes Helm's JSON form (e.g. `chart.metadata` of a release record).
    pub fn from_json_data(d: &Data) -> Result<Metadata, MetadataError> {
        let mut m = Metadata::default();
        m.decode_node(&data_to_node(d))?;
        Ok(m)
    }

    fn decode_node(&mut self, node: &Node) -> Result<(), MetadataError> {
        let mut d = Decoder { err: None };
        match node {
            Node::Map(_) => {}
            Node::Null => return Ok(()),
            other => {
                return Err(MetadataError::Decode(format!(
                    "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go value of type v2.Metadata",
                    json_kind(other)
                )));
            }
        }
        for (k, v) in fields(node) {
            let k = k.as_str();
            let m = "Metadata";
            if field_is(k, "name") {
                d.string(v, "Metadata.name", &mut self.name);
            } else if field_is(k, "home") {
                d.string(v, "Metadata.home", &mut self.home);
            } else if field_is(k, "sources") {
                d.strings(v, "Metadata.sources", &mut self.sources);
            } else if field_is(k, "version") {
                d.string(v, "Metadata.version", &mut self.version);
            } else if field_is(k, "description") {
                d.string(v, "Metadata.description", &mut self.description);
            } else if field_is(k, "keywords") {
                d.strings(v, "Metadata.keywords", &mut self.keywords);
            } else if field_is(k, "maintainers") {
                match v {
                    Node::Null => self.maintainers.clear(),
                    Node::Seq(items) => {
                        self.maintainers.clear();
                        for i in items {
                            if matches!(i, Node::Null) {
                                self.null_maintainer = true;
                                continue;
                            }
                            let mt = decode_maintainer(&mut d, i);
                            self.maintainers.push(mt);
                        }
                    }
                    other => d.type_err(other, "Metadata.maintainers", "[]*v2.Maintainer"),
                }
            } else if field_is(k, "icon") {
                d.string(v, "Metadata.icon", &mut self.icon);
            } else if field_is(k, "apiVersion") {
                d.string(v, "Metadata.apiVersion", &mut self.api_version);
            } else if field_is(k, "condition") {
                d.string(v, "Metadata.condition", &mut self.condition);
            } else if field_is(k, "tags") {
                d.string(v, "Metadata.tags", &mut self.tags);
            } else if field_is(k, "appVersion") {
                d.string(v, "Metadata.appVersion", &mut self.app_version);
            } else if field_is(k, "deprecated") {
                d.boolean(v, "Metadata.deprecated", &mut self.deprecated);
            } else if field_is(k, "annotations") {
                match v {
                    Node::Null => self.annotations = None,
                    Node::Map(_) => {
                        let mut out = self.annotations.take().unwrap_or_default();
                        for (ak, av) in fields(v) {
                            let mut s = String::new();
                            d.string(av, "Metadata.annotations", &mut s);
                            out.insert(ak, s);
                        }
                        self.annotations = Some(out);
                    }
                    other => d.type_err(other, "Metadata.annotations", "map[string]string"),
                }
            } else if field_is(k, "kubeVersion") {
                d.string(v, "Metadata.kubeVersion", &mut self.kube_version);
            } else if field_is(k, "dependencies") {
                decode_dependencies(
                    &mut d,
                    v,
                    m,
                    &mut self.dependencies,
                    &mut self.null_dependency,
                );
                self.dependencies_declared = matches!(v, Node::Seq(_));
            } else if field_is(k, "type") {
                d.string(v, "Metadata.type", &mut self.chart_type);
            }
        }
        match d.err {
            Some(e) => Err(MetadataError::Decode(e)),
            None => Ok(()),
        }
    }

    /// Parses Chart.yaml text (no validation).
    pub fn parse(text: &str) -> Result<Metadata, MetadataError> {
        let mut m = Metadata::default();
        m.decode_into(text)?;
        Ok(m)
    }

    /// Helm's `Metadata.Validate`: sanitises strings in place, then checks.
    pub fn validate(&mut self) -> Result<(), MetadataError> {
        let v = |s: String| MetadataError::Validation(s);
        for s in [
            &mut self.name,
            &mut self.description,
            &mut self.home,
            &mut self.icon,
            &mut self.condition,
            &mut self.tags,
            &mut self.app_version,
            &mut self.kube_version,
        ] {
            *s = sanitize_string(s);
        }
        for s in self.sources.iter_mut().chain(self.keywords.iter_mut()) {
            *s = sanitize_string(s);
        }
        if self.api_version.is_empty() {
            return Err(v("chart.metadata.apiVersion is required".into()));
        }
        if self.name.is_empty() {
            return Err(v("chart.metadata.name is required".into()));
        }
        if self.name == "." || self.name == ".." {
            return Err(v(format!(
                "chart.metadata.name {} is not allowed",
                origan_semver::go_quote(&self.name)
            )));
        }
        if self.name.contains('/') {
            return Err(v(format!(
                "chart.metadata.name {} is invalid",
                origan_semver::go_quote(&self.name)
            )));
        }
        if self.version.is_empty() {
            return Err(v("chart.metadata.version is required".into()));
        }
        if origan_semver::Version::parse(&self.version).is_err() {
            return Err(v(format!(
                "chart.metadata.version {} is invalid",
                origan_semver::go_quote(&self.version)
            )));
        }
        if !matches!(self.chart_type.as_str(), "" | "application" | "library") {
            return Err(v(
                "chart.metadata.type must be application or library".into()
            ));
        }
        if self.null_maintainer {
            return Err(v("maintainers must not contain empty or null nodes".into()));
        }
        for m in &mut self.maintainers {
            m.name = sanitize_string(&m.name);
            m.email = sanitize_string(&m.email);
            m.url = sanitize_string(&m.url);
        }
        if self.null_dependency {
            return Err(v("dependencies must not contain empty or null nodes".into()));
        }
        let mut seen = std::collections::BTreeSet::new();
        for d in &mut self.dependencies {
            d.validate()?;
            let key = if d.alias.is_empty() {
                d.name.clone()
            } else {
                d.alias.clone()
            };
            if !seen.insert(key.clone()) {
                return Err(v(format!(
                    "more than one dependency with name or alias {}",
                    origan_semver::go_quote(&key)
                )));
            }
        }
        Ok(())
    }

    /// Helm's JSON form (`json:"..."` tags, `omitempty`): release records, `show chart`.
    pub fn to_json_data(&self) -> Data {
        let mut m = BTreeMap::new();
        let mut s = |k: &str, v: &str| {
            if !v.is_empty() {
                m.insert(k.to_string(), Data::String(v.to_string()));
            }
        };
        s("name", &self.name);
        s("home", &self.home);
        s("version", &self.version);
        s("description", &self.description);
        s("icon", &self.icon);
        s("apiVersion", &self.api_version);
        s("condition", &self.condition);
        s("tags", &self.tags);
        s("appVersion", &self.app_version);
        s("kubeVersion", &self.kube_version);
        s("type", &self.chart_type);
        if !self.sources.is_empty() {
            m.insert("sources".into(), str_list(&self.sources));
        }
        if !self.keywords.is_empty() {
            m.insert("keywords".into(), str_list(&self.keywords));
        }
        if !self.maintainers.is_empty() {
            let list = self
                .maintainers
                .iter()
                .map(|mt| {
                    let mut o = BTreeMap::new();
                    for (k, v) in [("name", &mt.name), ("email", &mt.email), ("url", &mt.url)] {
                        if !v.is_empty() {
                            o.insert(k.to_string(), Data::String(v.clone()));
                        }
                    }
                    Data::Map(o)
                })
                .collect();
            m.insert("maintainers".into(), Data::List(list));
        }
        if self.deprecated {
            m.insert("deprecated".into(), Data::Bool(true));
        }
        if let Some(a) = &self.annotations
            && !a.is_empty()
        {
            m.insert("annotations".into(), str_map(a));
        }
        if !self.dependencies.is_empty() {
            m.insert(
                "dependencies".into(),
                Data::List(
                    self.dependencies
                        .iter()
                        .map(Dependency::to_json_data)
                        .collect(),
                ),
            );
        }
        Data::Map(m)
    }

    /// What templates see as `.Chart` (Helm's `structToMap`: Go field names, zero
    /// values where absent, nil annotations as `null`). The engine adds `IsRoot`.
    pub fn to_template_data(&self) -> Data {
        let mut m = BTreeMap::new();
        let s = |v: &str| Data::String(v.to_string());
        m.insert("Name".into(), s(&self.name));
        m.insert("Home".into(), s(&self.home));
        m.insert("Sources".into(), str_list(&self.sources));
        m.insert("Version".into(), s(&self.version));
        m.insert("Description".into(), s(&self.description));
        m.insert("Keywords".into(), str_list(&self.keywords));
        let maint = self
            .maintainers
            .iter()
            .map(|mt| {
                let mut o = BTreeMap::new();
                o.insert("Name".into(), s(&mt.name));
                o.insert("Email".into(), s(&mt.email));
                o.insert("URL".into(), s(&mt.url));
                Data::Map(o)
            })
            .collect();
        m.insert("Maintainers".into(), Data::List(maint));
        m.insert("Icon".into(), s(&self.icon));
        m.insert("APIVersion".into(), s(&self.api_version));
        m.insert("Condition".into(), s(&self.condition));
        m.insert("Tags".into(), s(&self.tags));
        m.insert("AppVersion".into(), s(&self.app_version));
        m.insert("Deprecated".into(), Data::Bool(self.deprecated));
        m.insert(
            "Annotations".into(),
            self.annotations.as_ref().map_or(Data::Null, str_map),
        );
        m.insert("KubeVersion".into(), s(&self.kube_version));
        let deps = self
            .dependencies
            .iter()
            .map(|d| {
                let mut o = BTreeMap::new();
                o.insert("Name".into(), s(&d.name));
                o.insert("Version".into(), s(&d.version));
                o.insert("Repository".into(), s(&d.repository));
                o.insert("Condition".into(), s(&d.condition));
                o.insert("Tags".into(), str_list(&d.tags));
                o.insert("Enabled".into(), Data::Bool(d.enabled));
                o.insert("ImportValues".into(), Data::List(d.import_values.clone()));
                o.insert("Alias".into(), s(&d.alias));
                Data::Map(o)
            })
            .collect();
        m.insert("Dependencies".into(), Data::List(deps));
        m.insert("Type".into(), s(&self.chart_type));
        Data::Map(m)
    }
}

impl Dependency {
    /// Helm's `Dependency.Validate` (sanitising, alias characters).
    pub fn validate(&mut self) -> Result<(), MetadataError> {
        self.name = sanitize_string(&self.name);
        self.version = sanitize_string(&self.version);
        self.repository = sanitize_string(&self.repository);
        self.condition = sanitize_string(&self.condition);
        for t in &mut self.tags {
            *t = sanitize_string(t);
        }
        if !self.alias.is_empty()
            && !self
                .alias
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            return Err(MetadataError::Validation(format!(
                "dependency {} has disallowed characters in the alias",
                origan_semver::go_quote(&self.name)
            )));
        }
        Ok(())
    }

    /// Helm's JSON form of a dependency.
    pub fn to_json_data(&self) -> Data {
        let mut o = BTreeMap::new();
        o.insert("name".into(), Data::String(self.name.clone()));
        o.insert("repository".into(), Data::String(self.repository.clone()));
        for (k, v) in [
            ("version", &self.version),
            ("condition", &self.condition),
            ("alias", &self.alias),
        ] {
            if !v.is_empty() {
                o.insert(k.into(), Data::String(v.clone()));
            }
        }
        if !self.tags.is_empty() {
            o.insert("tags".into(), str_list(&self.tags));
        }
        if self.enabled {
            o.insert("enabled".into(), Data::Bool(true));
        }
        if !self.import_values.is_empty() {
            o.insert(
                "import-values".into(),
                Data::List(self.import_values.clone()),
            );
        }
        Data::Map(o)
    }
}

impl Lock {
    /// Parses Chart.lock / requirements.lock text.
    pub fn parse(text: &str) -> Result<Lock, MetadataError> {
        let node = origan_yaml::parse_first_document(text).map_err(|e| {
            MetadataError::Decode(format!("error converting YAML to JSON: {}", e.message()))
        })?;
        Lock::decode_node(&node)
    }

    /// Decodes Helm's JSON form (`chart.lock` of a release record).
    pub fn from_json_data(d: &Data) -> Result<Lock, MetadataError> {
        Lock::decode_node(&data_to_node(d))
    }

    fn decode_node(node: &Node) -> Result<Lock, MetadataError> {
        let mut lock = Lock::default();
        let mut d = Decoder { err: None };
        let mut saw_null = false;
        for (k, v) in fields(node) {
            if field_is(&k, "generated") {
                d.string(v, "Lock.generated", &mut lock.generated);
            } else if field_is(&k, "digest") {
                d.string(v, "Lock.digest", &mut lock.digest);
            } else if field_is(&k, "dependencies") {
                decode_dependencies(&mut d, v, "Lock", &mut lock.dependencies, &mut saw_null);
            }
        }
        match d.err {
            Some(e) => Err(MetadataError::Decode(e)),
            None => Ok(lock),
        }
    }

    /// Helm's JSON form (`generated`, `digest`, `dependencies`).
    pub fn to_json_data(&self) -> Data {
        let mut o = BTreeMap::new();
        o.insert("generated".into(), Data::String(self.generated.clone()));
        o.insert("digest".into(), Data::String(self.digest.clone()));
        o.insert(
            "dependencies".into(),
            Data::List(
                self.dependencies
                    .iter()
                    .map(Dependency::to_json_data)
                    .collect(),
            ),
        );
        Data::Map(o)
    }
}

/// JSON data → the node shape the decoder reads (numbers stay floats).
fn data_to_node(d: &Data) -> Node {
    match d {
        Data::Null => Node::Null,
        Data::Bool(b) => Node::Bool(*b),
        Data::Int(i) => Node::Int(*i),
        Data::Uint(u) => Node::Uint(*u),
        Data::Float(f) => Node::Float(*f),
        Data::String(s) => Node::String(s.clone()),
        Data::List(l) => Node::Seq(l.iter().map(data_to_node).collect()),
        Data::Map(m) => Node::Map(
            m.iter()
                .map(|(k, v)| (Node::String(k.clone()), data_to_node(v)))
                .collect(),
        ),
    }
}

fn str_list(v: &[String]) -> Data {
    Data::List(v.iter().map(|s| Data::String(s.clone())).collect())
}

fn str_map(m: &BTreeMap<String, String>) -> Data {
    Data::Map(
        m.iter()
            .map(|(k, v)| (k.clone(), Data::String(v.clone())))
            .collect(),
    )
}

/// Helm's `sanitizeString`: white space becomes a space, non-printable runes are
/// dropped. Go's `unicode.IsPrint` is approximated: controls, format characters,
/// private-use and non-characters are treated as non-printable.
pub fn sanitize_string(s: &str) -> String {
    s.chars()
        .filter_map(|c| {
            if c.is_whitespace() {
                Some(' ')
            } else if is_print(c) {
                Some(c)
            } else {
                None
            }
        })
        .collect()
}

fn is_print(c: char) -> bool {
    let u = c as u32;
    !(c.is_control()
        || matches!(u, 0xAD | 0x600..=0x605 | 0x61C | 0x6DD | 0x70F | 0x180E
            | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x206F | 0xFEFF
            | 0xFFF9..=0xFFFB | 0xE000..=0xF8FF | 0xFDD0..=0xFDEF | 0xF0000..=0x10FFFF
            | 0xE0000..=0xE007F)
        || (u & 0xFFFE) == 0xFFFE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coerces_scalars_into_strings() {
        let m = Metadata::parse(
            "apiVersion: v2\nname: x\nversion: 1.0\nappVersion: 1.10\nannotations: {a: 1, b: true}\n",
        )
        .unwrap();
        assert_eq!(m.version, "1");
        assert_eq!(m.app_version, "1.1");
        let a = m.annotations.unwrap();
        assert_eq!(a["a"], "1");
        assert_eq!(a["b"], "true");
    }

    #[test]
    fn case_insensitive_fields_and_type_errors() {
        let m = Metadata::parse("Name: up\nVERSION: 1.2.3\n").unwrap();
        assert_eq!((m.name.as_str(), m.version.as_str()), ("up", "1.2.3"));
        let e = Metadata::parse("name: [a]\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go struct field Metadata.name of type string"
        );
    }

    fn validate(text: &str) -> Result<Metadata, String> {
        let mut m = Metadata::parse(text).map_err(|e| e.to_string())?;
        m.validate().map_err(|e| e.to_string())?;
        Ok(m)
    }

    #[test]
    fn validation_messages() {
        let cases = [
            (
                "name: x\nversion: 1",
                "validation: chart.metadata.apiVersion is required",
            ),
            (
                "apiVersion: v2\nversion: 1",
                "validation: chart.metadata.name is required",
            ),
            (
                "apiVersion: v2\nname: ..\nversion: 1",
                "validation: chart.metadata.name \"..\" is not allowed",
            ),
            (
                "apiVersion: v2\nname: a/b\nversion: 1",
                "validation: chart.metadata.name \"a/b\" is invalid",
            ),
            (
                "apiVersion: v2\nname: a",
                "validation: chart.metadata.version is required",
            ),
            (
                "apiVersion: v2\nname: a\nversion: one",
                "validation: chart.metadata.version \"one\" is invalid",
            ),
            (
                "apiVersion: v2\nname: a\nversion: 1\ntype: Library",
                "validation: chart.metadata.type must be application or library",
            ),
            (
                "apiVersion: v2\nname: a\nversion: 1\nmaintainers: [~]",
                "validation: maintainers must not contain empty or null nodes",
            ),
            (
                "apiVersion: v2\nname: a\nversion: 1\ndependencies: [~]",
                "validation: dependencies must not contain empty or null nodes",
            ),
            (
                "apiVersion: v2\nname: a\nversion: 1\ndependencies: [{name: b, alias: 'x.y'}]",
                "validation: dependency \"b\" has disallowed characters in the alias",
            ),
            (
                "apiVersion: v2\nname: a\nversion: 1\ndependencies: [{name: b}, {name: c, alias: b}]",
                "validation: more than one dependency with name or alias \"b\"",
            ),
        ];
        for (text, want) in cases {
            assert_eq!(validate(text).unwrap_err(), want, "{text}");
        }
        let m = validate("apiVersion: v2\nname: \"a\tb\u{200b}\"\nversion: v1.2").unwrap();
        assert_eq!(m.name, "a b");
    }

    #[test]
    fn json_round_trip() {
        let m = validate(
            "apiVersion: v2\nname: a\nversion: 1\nmaintainers: [{name: x}]\ndependencies: [{name: b, version: ^1, repository: r, import-values: [d], tags: [t]}]\nannotations: {k: v}\n",
        )
        .unwrap();
        let back = Metadata::from_json_data(&m.to_json_data()).unwrap();
        assert_eq!(back, m);
        let l = Lock::parse("generated: \"2020-01-01T00:00:00Z\"\ndigest: sha256:x\ndependencies: [{name: a, version: 1.0.0, repository: r}]\n").unwrap();
        assert_eq!(Lock::from_json_data(&l.to_json_data()).unwrap(), l);
    }
}
