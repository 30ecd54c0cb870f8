//! `origanctl push CHART.tgz oci://HOST/PATH` and `registry login|logout`.
//!
//! Owns: reading the archive (and a `.prov` next to it), the config blob in
//! the exact bytes Helm's `json.Marshal(chart.Metadata)` gives, the
//! `created` annotation from the file's mtime, and the login ping.
//! Does not own: the upload protocol and manifest layout (origan-registry),
//! registry flags (`pull::RegistryOptions`), printing (cli).

use std::path::Path;

use origan_chart::{Dependency, Metadata};
use origan_registry::{Credentials, PushResult, Reference};

use super::pull::{PullError, RegistryOptions};

/// Pushes the chart archive at `archive` under `remote`.
pub fn push(archive: &Path, remote: &str, opts: &RegistryOptions) -> Result<PushResult, PullError> {
    let io = |source| PullError::Io {
        path: archive.display().to_string(),
        source,
    };
    let meta = std::fs::metadata(archive).map_err(io)?;
    if meta.is_dir() {
        // Helm's text.
        return Err(PullError::Chart {
            reference: archive.display().to_string(),
            message: "cannot push directory, must provide chart archive (.tgz)".into(),
        });
    }
    let bytes = std::fs::read(archive).map_err(io)?;
    let chart = origan_chart::load_archive(&bytes).map_err(|e| PullError::Chart {
        reference: archive.display().to_string(),
        message: e.to_string(),
    })?;
    let mut prov_path = archive.as_os_str().to_owned();
    prov_path.push(".prov");
    let prov = std::fs::read(&prov_path).ok();
    let created = rfc3339_local(meta.modified().ok());
    let base = Reference::parse(remote)?;
    let client = opts.client(&base.registry)?;
    let config = helm_config_json(&chart.metadata);
    Ok(origan_registry::push_chart(
        &client,
        &base,
        &bytes,
        prov.as_deref(),
        &config,
        &created,
    )?)
}

/// Go's `time.RFC3339` in the local zone (`Z` for UTC), as Helm formats the
/// archive's mtime for `org.opencontainers.image.created`.
fn rfc3339_local(t: Option<std::time::SystemTime>) -> String {
    let ts = t
        .and_then(|t| jiff::Timestamp::try_from(t).ok())
        .unwrap_or_else(jiff::Timestamp::now);
    let z = ts.to_zoned(jiff::tz::TimeZone::system());
    if z.offset().seconds() == 0 {
        z.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
    } else {
        z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
    }
}

/// `registry login HOST`: pings `/v2/` with the credentials, then stores them.
pub fn login(host: &str, creds: Credentials, opts: &RegistryOptions) -> Result<(), PullError> {
    if let Err(e) = Reference::parse(&format!("{host}/x")) {
        return Err(e.into());
    }
    let client = origan_registry::Client::new(host, Some(creds.clone()), &opts.client_options())?;
    client.login_ping()?;
    opts.store().store(host, &creds)?;
    Ok(())
}

/// `registry logout HOST`: removes stored credentials; false when there were none.
pub fn logout(host: &str, opts: &RegistryOptions) -> Result<bool, PullError> {
    Ok(opts.store().remove(host)?)
}

/// Helm's config blob: `json.Marshal(chart.Metadata)` — struct field order,
/// `omitempty` fields left out, and Go's HTML-safe string escaping.
pub fn helm_config_json(m: &Metadata) -> Vec<u8> {
    let mut o = Obj::default();
    o.str("name", &m.name);
    o.str("home", &m.home);
    o.list("sources", &m.sources);
    o.str("version", &m.version);
    o.str("description", &m.description);
    o.list("keywords", &m.keywords);
    if !m.maintainers.is_empty() {
        let items: Vec<String> = m
            .maintainers
            .iter()
            .map(|mt| {
                let mut x = Obj::default();
                x.str("name", &mt.name);
                x.str("email", &mt.email);
                x.str("url", &mt.url);
                x.finish()
            })
            .collect();
        o.raw("maintainers", format!("[{}]", items.join(",")));
    }
    o.str("icon", &m.icon);
    o.str("apiVersion", &m.api_version);
    o.str("condition", &m.condition);
    o.str("tags", &m.tags);
    o.str("appVersion", &m.app_version);
    if m.deprecated {
        o.raw("deprecated", "true".into());
    }
    if let Some(a) = m.annotations.as_ref().filter(|a| !a.is_empty()) {
        let body: Vec<String> = a
            .iter()
            .map(|(k, v)| format!("{}:{}", go_string(k), go_string(v)))
            .collect();
        o.raw("annotations", format!("{{{}}}", body.join(",")));
    }
    o.str("kubeVersion", &m.kube_version);
    if !m.dependencies.is_empty() {
        let items: Vec<String> = m.dependencies.iter().map(dependency_json).collect();
        o.raw("dependencies", format!("[{}]", items.join(",")));
    }
    o.str("type", &m.chart_type);
    o.finish().into_bytes()
}

fn dependency_json(d: &Dependency) -> String {
    let mut o = Obj::default();
    o.raw("name", go_string(&d.name));
    o.str("version", &d.version);
    o.raw("repository", go_string(&d.repository));
    o.str("condition", &d.condition);
    o.list("tags", &d.tags);
    if d.enabled {
        o.raw("enabled", "true".into());
    }
    if !d.import_values.is_empty() {
        let items: Vec<String> = d
            .import_values
            .iter()
            .map(|v| origan_yaml::to_json(v).unwrap_or_else(|_| "null".into()))
            .collect();
        o.raw("import-values", format!("[{}]", items.join(",")));
    }
    o.str("alias", &d.alias);
    o.finish()
}

#[derive(Default)]
struct Obj(Vec<String>);

impl Obj {
    fn raw(&mut self, k: &str, v: String) {
        self.0.push(format!("\"{k}\":{v}"));
    }
    fn str(&mut self, k: &str, v: &str) {
        if !v.is_empty() {
            self.raw(k, go_string(v));
        }
    }
    fn list(&mut self, k: &str, v: &[String]) {
        if !v.is_empty() {
            let items: Vec<String> = v.iter().map(|s| go_string(s)).collect();
            self.raw(k, format!("[{}]", items.join(",")));
        }
    }
    fn finish(self) -> String {
        format!("{{{}}}", self.0.join(","))
    }
}

/// A JSON string as Go's `encoding/json` writes it: `<`, `>`, `&`, U+2028
/// and U+2029 escaped as `\u00XX`, other controls as `\n`/`\t`/... or `\u00XX`.
fn go_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
