//! Lint rules for Chart.yaml, values.yaml, dependencies and CRDs
//! (Helm's `pkg/lint/rules/{chartfile,values,dependencies,crds}.go`), with
//! Helm's texts. Templates are in `templates.rs`.

use std::collections::BTreeSet;

use origan_chart::Metadata;
use origan_yaml::Data;

use super::{Linter, Severity};

/// `rules.Chartfile`.
pub(super) fn chartfile(l: &mut Linter) {
    const FILE: &str = "Chart.yaml";
    let path = l.chart_dir.join(FILE);
    if path.is_dir() {
        l.rule(
            Severity::Error,
            FILE,
            Some("should be a file, not a directory".into()),
        );
    }
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            l.rule(
                Severity::Error,
                FILE,
                Some(format!(
                    "unable to parse YAML\n\t{}",
                    super::go_io_error(&e)
                )),
            );
            return;
        }
    };
    let cf = match Metadata::parse(&text) {
        Ok(m) => m,
        Err(e) => {
            l.rule(
                Severity::Error,
                FILE,
                Some(format!("unable to parse YAML\n\t{e}")),
            );
            return;
        }
    };
    let raw = origan_yaml::from_yaml(&text).unwrap_or(Data::Null);
    let e = Severity::Error;
    l.rule(e, FILE, chart_name(&cf));
    l.rule(e, FILE, api_version(&cf));
    l.rule(e, FILE, string_type(&raw, "version"));
    l.rule(e, FILE, version(&cf));
    l.rule(e, FILE, string_type(&raw, "appVersion"));
    l.rule(e, FILE, maintainers(&cf));
    l.rule(e, FILE, sources(&cf));
    l.rule(
        Severity::Info,
        FILE,
        cf.icon
            .is_empty()
            .then(|| "icon is recommended".to_string()),
    );
    l.rule(
        e,
        FILE,
        (!cf.icon.is_empty() && !is_request_url(&cf.icon))
            .then(|| format!("invalid icon URL '{}'", cf.icon)),
    );
    l.rule(
        e,
        FILE,
        (cf.api_version == "v1" && !cf.chart_type.is_empty()).then(|| {
            "chart type is not valid in apiVersion 'v1'. It is valid in apiVersion 'v2'".into()
        }),
    );
    l.rule(
        e,
        FILE,
        (cf.api_version == "v1" && !cf.dependencies.is_empty()).then(|| {
            "dependencies are not valid in the Chart file with apiVersion 'v1'. They are valid in apiVersion 'v2'".into()
        }),
    );
    l.rule(
        Severity::Warning,
        FILE,
        origan_semver::Version::parse_strict(&cf.version)
            .is_err()
            .then(|| format!("version '{}' is not a valid SemVerV2", cf.version)),
    );
}

fn chart_name(cf: &Metadata) -> Option<String> {
    if cf.name.is_empty() {
        return Some("name is required".into());
    }
    let base = cf.name.rsplit('/').next().unwrap_or(&cf.name);
    (base != cf.name).then(|| format!("chart name {:?} is invalid", cf.name))
}

fn api_version(cf: &Metadata) -> Option<String> {
    match cf.api_version.as_str() {
        "" => Some("apiVersion is required. The value must be either \"v1\" or \"v2\"".into()),
        "v1" | "v2" => None,
        v => Some(format!(
            "apiVersion '{v}' is not valid. The value must be either \"v1\" or \"v2\""
        )),
    }
}

/// Go's type name of a YAML scalar decoded into `interface{}`.
fn string_type(raw: &Data, key: &str) -> Option<String> {
    let Data::Map(m) = raw else { return None };
    let ty = match m.get(key)? {
        Data::String(_) | Data::Null => return None,
        Data::Bool(_) => "bool",
        Data::Int(_) => "int",
        Data::Uint(_) => "uint64",
        Data::Float(_) => "float64",
        Data::List(_) => "[]interface {}",
        Data::Map(_) => "map[string]interface {}",
    };
    Some(format!(
        "{key} should be of type string but it's of type {ty}"
    ))
}

fn version(cf: &Metadata) -> Option<String> {
    if cf.version.is_empty() {
        return Some("version is required".into());
    }
    let v = match origan_semver::Version::parse(&cf.version) {
        Ok(v) => v,
        Err(_) => return Some(format!("version '{}' is not a valid SemVer", cf.version)),
    };
    let c = origan_semver::Constraints::parse(">0.0.0-0").ok()?;
    let (ok, msgs) = c.validate(&v);
    if !ok && let Some(m) = msgs.first() {
        return Some(format!("version {m}"));
    }
    None
}

fn maintainers(cf: &Metadata) -> Option<String> {
    for m in &cf.maintainers {
        if m.name.is_empty() {
            return Some("each maintainer requires a name".into());
        }
        if !m.email.is_empty() && !is_email(&m.email) {
            return Some(format!(
                "invalid email '{}' for maintainer '{}'",
                m.email, m.name
            ));
        }
        if !m.url.is_empty() && !is_url(&m.url) {
            return Some(format!(
                "invalid url '{}' for maintainer '{}'",
                m.url, m.name
            ));
        }
    }
    None
}

fn sources(cf: &Metadata) -> Option<String> {
    cf.sources
        .iter()
        .find(|s| s.is_empty() || !is_request_url(s))
        .map(|s| format!("invalid source URL '{s}'"))
}

/// govalidator's `IsRequestURL`: an absolute URL with a scheme.
fn is_request_url(s: &str) -> bool {
    match s.split_once("://") {
        Some((scheme, rest)) => {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
                && !rest.is_empty()
                && !s.contains(char::is_whitespace)
        }
        None => {
            // `mailto:x` and similar opaque URLs also parse in Go.
            s.split_once(':')
                .is_some_and(|(sch, rest)| !sch.is_empty() && !rest.is_empty())
                && !s.contains(char::is_whitespace)
        }
    }
}

/// govalidator's `IsURL`, loosely: a host with a dot or a scheme.
fn is_url(s: &str) -> bool {
    !s.is_empty() && !s.contains(char::is_whitespace) && (s.contains("://") || s.contains('.'))
}

/// govalidator's `IsEmail`, loosely: `local@domain.tld`.
fn is_email(s: &str) -> bool {
    match s.rsplit_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !s.contains(char::is_whitespace)
        }
        None => false,
    }
}

/// `rules.ValuesWithOverrides`.
pub(super) fn values(l: &mut Linter, overrides: &Data, skip_schema: bool) {
    const FILE: &str = "values.yaml";
    let path = l.chart_dir.join(FILE);
    if !path.exists() {
        l.rule(Severity::Info, FILE, Some("file does not exist".into()));
        return;
    }
    let err = (|| {
        let text = std::fs::read_to_string(&path).map_err(|e| super::go_io_error(&e))?;
        let values = origan_yaml::load_values(&text)
            .map_err(|e| format!("unable to parse YAML: {}", strip_unmarshal(&e.to_string())))?;
        let schema = match std::fs::read(l.chart_dir.join("values.schema.json")) {
            Ok(s) if !s.is_empty() => s,
            _ => return Ok(()),
        };
        if skip_schema {
            return Ok(());
        }
        // Overrides first, then the file's values fill the gaps (CoalesceTables).
        let mut warnings = Vec::new();
        let merged =
            origan_chart::coalesce::coalesce_tables(overrides, &Data::Map(values), &mut warnings);
        origan_chart::schema::validate_single(&merged, &schema)
    })()
    .err();
    l.rule(Severity::Error, FILE, err);
}

/// `ReadValuesFile` reports YAML errors without the document wrapper.
fn strip_unmarshal(s: &str) -> String {
    s.strip_prefix("cannot unmarshal yaml document: ")
        .unwrap_or(s)
        .to_string()
}

/// `rules.Dependencies`.
pub(super) fn dependencies(l: &mut Linter) {
    let chart = match origan_chart::load(&l.chart_dir) {
        Ok(c) => c,
        Err(e) => {
            l.rule(
                Severity::Error,
                "",
                Some(format!("unable to load chart\n\t{e}")),
            );
            return;
        }
    };
    let dir = l.chart_dir.display().to_string();
    let declared: BTreeSet<&str> = chart
        .metadata
        .dependencies
        .iter()
        .map(|d| d.name.as_str())
        .collect();
    let loaded: Vec<&str> = chart.dependencies.iter().map(|c| c.name()).collect();
    let missing_meta: Vec<&str> = loaded
        .iter()
        .copied()
        .filter(|n| !declared.contains(n))
        .collect();
    l.rule(
        Severity::Error,
        &dir,
        (!missing_meta.is_empty()).then(|| {
            format!(
                "chart metadata is missing these dependencies: {}",
                missing_meta.join(",")
            )
        }),
    );
    let mut seen = BTreeSet::new();
    let mut dup = None;
    for d in &chart.metadata.dependencies {
        let key = if d.alias.is_empty() {
            &d.name
        } else {
            &d.alias
        };
        if !seen.insert(key.clone()) && dup.is_none() {
            dup = Some(format!("multiple dependencies with name or alias {key:?}"));
        }
    }
    l.rule(Severity::Error, &dir, dup);
    let missing_dir: Vec<&str> = chart
        .metadata
        .dependencies
        .iter()
        .map(|d| d.name.as_str())
        .filter(|n| !loaded.contains(n))
        .collect();
    l.rule(
        Severity::Warning,
        &dir,
        (!missing_dir.is_empty()).then(|| {
            format!(
                "chart directory is missing these dependencies: {}",
                missing_dir.join(",")
            )
        }),
    );
}

/// `rules.Crds`.
pub(super) fn crds(l: &mut Linter) {
    const DIR: &str = "crds/";
    let path = l.chart_dir.join("crds");
    if !path.exists() {
        return;
    }
    if !path.is_dir() {
        l.rule(Severity::Error, DIR, Some("not a directory".into()));
        return;
    }
    let chart = match origan_chart::load(&l.chart_dir) {
        Ok(c) => c,
        Err(e) => {
            l.rule(Severity::Error, DIR, Some(e.to_string()));
            return;
        }
    };
    for crd in chart.crd_objects() {
        let text = String::from_utf8_lossy(&crd.file.data);
        for doc in super::templates::yaml_documents(&text) {
            let obj = match doc {
                Ok(Some(o)) => o,
                Ok(None) => continue,
                Err(e) => {
                    l.rule(Severity::Error, &crd.name, Some(e));
                    return;
                }
            };
            l.rule(
                Severity::Error,
                &crd.name,
                (!obj.api_version.starts_with("apiextensions.k8s.io"))
                    .then(|| "apiVersion is not in 'apiextensions.k8s.io'".into()),
            );
            l.rule(
                Severity::Error,
                &crd.name,
                (obj.kind != "CustomResourceDefinition")
                    .then(|| "object kind is not 'CustomResourceDefinition'".into()),
            );
        }
    }
}
