//! `install`, plus what every lifecycle verb shares: options and errors, the
//! release lock and pending-state recovery, rendering a release and its
//! record, CRDs and failure records (Helm's `pkg/action/install.go`).
//! Objects and ownership are `action::resources`, applying is
//! `action::apply`, hooks are `action::hooks`.

use std::collections::BTreeMap;
use std::time::Duration;

use origan_kube::{FIELD_MANAGER, Kube, LeaseGuard, LeaseOptions, ObjectRef, WaitOptions};
use origan_yaml::Data;
use serde_json::Value;

use super::apply::{ApplyMode, apply_targets};
use super::hooks::{hook_records, run_hooks};
use super::render::{self, render};
use super::resources::{
    Target, build, check_ownership, docs_to_json, namespace_exists, wait_targets,
};
use crate::engine::{Capabilities, ReleaseInfo};
use crate::manifest::{self, HookEvent};
use crate::release::driver::{self, Storage};
use crate::release::{ChartRecord, FileRecord, Release, Status};

/// Progress lines go here (stderr in the CLI).
pub type Progress<'a> = &'a mut (dyn FnMut(&str) + Send);

/// A lifecycle failure.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Loading the chart failed.
    #[error(transparent)]
    Load(#[from] origan_chart::LoadError),
    /// Rendering failed.
    #[error(transparent)]
    Render(#[from] render::Error),
    /// Storage failed.
    #[error(transparent)]
    Storage(#[from] driver::Error),
    /// The cluster failed.
    #[error(transparent)]
    Kube(#[from] origan_kube::Error),
    /// Anything with a Helm-worded message.
    #[error("{0}")]
    Msg(String),
}

pub(crate) fn msg(s: impl Into<String>) -> Error {
    Error::Msg(s.into())
}

/// Options shared by install, upgrade and rollback.
#[derive(Clone, Debug)]
pub struct CommonOptions {
    /// `--wait`
    pub wait: bool,
    /// `--wait-for-jobs`
    pub wait_for_jobs: bool,
    /// `--timeout`
    pub timeout: Duration,
    /// `--no-hooks`
    pub no_hooks: bool,
    /// `--atomic` / `--rollback-on-failure`
    pub atomic: bool,
    /// `--description`
    pub description: Option<String>,
    /// `--take-ownership`
    pub take_ownership: bool,
    /// `--force-conflicts`
    pub force_conflicts: bool,
    /// `--force-replace`
    pub force_replace: bool,
    /// `--server-side`
    pub server_side: super::apply::ServerSide,
}

impl Default for CommonOptions {
    fn default() -> Self {
        CommonOptions {
            wait: false,
            wait_for_jobs: false,
            timeout: Duration::from_secs(300),
            no_hooks: false,
            atomic: false,
            description: None,
            take_ownership: false,
            force_conflicts: false,
            force_replace: false,
            server_side: super::apply::ServerSide::Auto,
        }
    }
}

/// Options of `install`.
#[derive(Clone, Debug, Default)]
pub struct InstallOptions {
    /// Shared options.
    pub common: CommonOptions,
    /// `--create-namespace`
    pub create_namespace: bool,
    /// `--skip-crds`
    pub skip_crds: bool,
    /// `--dry-run=server` (render against the cluster, validate on the
    /// server, change nothing).
    pub dry_run: bool,
    /// With `dry_run`: `--dry-run=server` validates every object with a
    /// dry-run apply (`--dry-run=client` of `upgrade --install` does not).
    pub dry_run_server: bool,
    /// `--replace`: reuse the name of a release whose last revision is
    /// `failed` or `uninstalled`.
    pub replace: bool,
    /// `--labels`
    pub labels: BTreeMap<String, String>,
}

/// The server-side apply field manager: Helm's CLI uses `helm`
/// (`kube.ManagedFieldsManager`); SDK programs get their executable's base
/// name (the Python reference SDK: `python`), so interop tests set
/// `ORIGANCTL_FIELD_MANAGER` to share the manager with the program they
/// hand a release to.
pub fn field_manager() -> String {
    std::env::var("ORIGANCTL_FIELD_MANAGER")
        .ok()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| FIELD_MANAGER.to_string())
}

/// Helm's `ValidateReleaseName`.
pub fn validate_name(name: &str) -> Result<(), Error> {
    if name.is_empty() {
        return Err(msg("no name provided"));
    }
    let ok_label = |l: &str| {
        !l.is_empty()
            && l.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    if name.len() > 53 || !name.split('.').all(ok_label) {
        return Err(msg(
            "invalid release name, must match regex ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$ and the length must not be longer than 53",
        ));
    }
    Ok(())
}

/// Go's `time.Now().Format(time.RFC3339Nano)` in the local zone.
pub fn now_rfc3339() -> String {
    let z = jiff::Zoned::now();
    let base = z.strftime("%Y-%m-%dT%H:%M:%S%.f").to_string();
    let off = z.offset().seconds();
    if off == 0 {
        format!("{base}Z")
    } else {
        format!("{base}{}", z.strftime("%:z"))
    }
}

// ---------------------------------------------------------------------------
// Lock and recovery
// ---------------------------------------------------------------------------

/// Takes the release Lease; then, holding it, any `pending-*` latest
/// revision was left by a process that died (it would hold the Lease
/// otherwise) and is marked `failed`, saying so on `progress`.
pub async fn lock(
    kube: &Kube,
    storage: &Storage,
    ns: &str,
    name: &str,
    operation: &str,
    progress: Progress<'_>,
) -> Result<LeaseGuard, Error> {
    let guard = kube
        .acquire_lease(ns, name, operation, &LeaseOptions::default())
        .await?;
    if let Some(t) = &guard.takeover {
        progress(&format!(
            "took over the lock of release {name}: previous holder {} ({}, since {}) {}",
            t.previous.identity, t.previous.operation, t.previous.since, t.why
        ));
    }
    if let Some(last) = storage.last(ns, name).await?
        && last.status.is_pending()
    {
        let (mut rel, labels) = storage.get(ns, name, last.version).await?;
        let was = rel.info.status.as_str();
        rel.info.status = Status::Failed;
        rel.info.description = format!(
            "{} interrupted: the process running it stopped (recovered by origanctl)",
            was
        );
        storage.update(&rel, &labels).await?;
        progress(&format!(
            "recovered release {name}: revision {} was left {was} by a process that stopped; marked failed",
            last.version
        ));
    }
    Ok(guard)
}

// ---------------------------------------------------------------------------
// Charts, values, rendering
// ---------------------------------------------------------------------------

fn put(m: &mut serde_json::Map<String, Value>, k: &str, v: &str) {
    if !v.is_empty() {
        m.insert(k.into(), Value::String(v.into()));
    }
}

/// Data → JSON.
pub fn data_to_json(d: &Data) -> Value {
    origan_yaml::to_json(d)
        .ok()
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or(Value::Null)
}

/// JSON → Data.
pub fn json_to_data(v: &Value) -> Data {
    origan_yaml::from_json(&v.to_string()).unwrap_or(Data::Null)
}

/// The chart as the release record embeds it (parent chart only), with
/// Chart.yaml's JSON field names in Go struct order.
pub fn chart_record(chart: &origan_chart::Chart) -> ChartRecord {
    use base64::Engine;
    let md = &chart.metadata;
    let mut m = serde_json::Map::new();
    m.insert("name".into(), Value::String(md.name.clone()));
    put(&mut m, "home", &md.home);
    if !md.sources.is_empty() {
        m.insert("sources".into(), serde_json::json!(md.sources));
    }
    m.insert("version".into(), Value::String(md.version.clone()));
    put(&mut m, "description", &md.description);
    if !md.keywords.is_empty() {
        m.insert("keywords".into(), serde_json::json!(md.keywords));
    }
    if !md.maintainers.is_empty() {
        let list: Vec<Value> = md
            .maintainers
            .iter()
            .map(|x| {
                let mut o = serde_json::Map::new();
                o.insert("name".into(), Value::String(x.name.clone()));
                put(&mut o, "email", &x.email);
                put(&mut o, "url", &x.url);
                Value::Object(o)
            })
            .collect();
        m.insert("maintainers".into(), Value::Array(list));
    }
    put(&mut m, "icon", &md.icon);
    m.insert("apiVersion".into(), Value::String(md.api_version.clone()));
    put(&mut m, "condition", &md.condition);
    put(&mut m, "tags", &md.tags);
    put(&mut m, "appVersion", &md.app_version);
    if md.deprecated {
        m.insert("deprecated".into(), Value::Bool(true));
    }
    if let Some(a) = md.annotations.as_ref().filter(|a| !a.is_empty()) {
        m.insert("annotations".into(), serde_json::json!(a));
    }
    put(&mut m, "kubeVersion", &md.kube_version);
    if !md.dependencies.is_empty() {
        let deps: Vec<Value> = md
            .dependencies
            .iter()
            .map(|d| {
                let mut o = serde_json::Map::new();
                o.insert("name".into(), Value::String(d.name.clone()));
                put(&mut o, "version", &d.version);
                put(&mut o, "repository", &d.repository);
                put(&mut o, "condition", &d.condition);
                put(&mut o, "alias", &d.alias);
                Value::Object(o)
            })
            .collect();
        m.insert("dependencies".into(), Value::Array(deps));
    }
    put(&mut m, "type", &md.chart_type);
    let file = |f: &origan_chart::File| FileRecord {
        name: f.name.clone(),
        data: base64::engine::general_purpose::STANDARD.encode(&f.data),
    };
    ChartRecord {
        metadata: Value::Object(m),
        lock: Value::Null,
        templates: chart.templates.iter().map(file).collect(),
        values: data_to_json(&chart.values),
        schema: chart
            .schema
            .as_ref()
            .map(|s| Value::String(base64::engine::general_purpose::STANDARD.encode(s)))
            .unwrap_or(Value::Null),
        schemamodtime: "0001-01-01T00:00:00Z".into(),
        files: chart.files.iter().map(file).collect(),
    }
}

/// Capabilities of the live cluster (its version; default API list).
pub async fn capabilities(kube: &Kube) -> Result<Capabilities, Error> {
    let v = kube.server_version().await?;
    Ok(Capabilities::default().with_overrides(Some(&v), &[]))
}

/// Renders `chart` into a release record (status `unknown`).
pub async fn render_release(
    kube: &Kube,
    chart: &mut origan_chart::Chart,
    config: Data,
    name: &str,
    ns: &str,
    revision: u32,
    is_upgrade: bool,
) -> Result<Release, Error> {
    let caps = capabilities(kube).await?;
    // Live `lookup`, as Helm's install and upgrade give templates.
    let lookup: std::rc::Rc<dyn crate::engine::Lookup> =
        std::rc::Rc::new(KubeLookup::new(kube.clone()));
    render_release_with(
        chart,
        config,
        name,
        ns,
        revision,
        is_upgrade,
        &caps,
        Some(lookup),
    )
}

/// [`render_release`] with given capabilities and lookup (none for
/// `--dry-run=client`, which never contacts the cluster).
#[allow(clippy::too_many_arguments)]
pub fn render_release_with(
    chart: &mut origan_chart::Chart,
    config: Data,
    name: &str,
    ns: &str,
    revision: u32,
    is_upgrade: bool,
    caps: &Capabilities,
    lookup: Option<std::rc::Rc<dyn crate::engine::Lookup>>,
) -> Result<Release, Error> {
    let info = ReleaseInfo {
        name: name.into(),
        namespace: ns.into(),
        revision: i64::from(revision),
        is_install: !is_upgrade,
        is_upgrade,
    };
    let rendered = render(chart, config.clone(), &info, caps, lookup)?;
    let now = now_rfc3339();
    let mut rel = Release {
        name: name.into(),
        chart: Some(chart_record(chart)),
        config: match data_to_json(&config) {
            Value::Object(m) => m,
            _ => Default::default(),
        },
        manifest: manifest::manifest_text(&rendered.manifests),
        hooks: hook_records(&rendered.hooks),
        version: revision,
        namespace: ns.into(),
        apply_method: "ssa".into(),
        ..Release::default()
    };
    rel.info.first_deployed = now.clone();
    rel.info.last_deployed = now;
    rel.info.notes = rendered.notes.unwrap_or_default();
    Ok(rel)
}

/// Installs the chart's CRDs (`crds/`) by server-side apply and waits until
/// they are Established (60 s, as Helm).
pub async fn install_crds(
    kube: &Kube,
    chart: &origan_chart::Chart,
    progress: Progress<'_>,
) -> Result<(), Error> {
    let mut refs = Vec::new();
    for crd in chart.crd_objects() {
        let text = String::from_utf8_lossy(&crd.file.data).into_owned();
        for body in docs_to_json(&text)? {
            kube.apply(&body, "", &field_manager(), false)
                .await
                .map_err(|e| msg(format!("failed to install CRD {}: {e}", crd.name)))?;
            refs.push(kube.locate(&body, "").await?.1);
        }
    }
    if !refs.is_empty() {
        let wopts = WaitOptions {
            timeout: Duration::from_secs(60),
            ..WaitOptions::default()
        };
        kube.wait_ready(&refs, wopts, progress).await?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// install
// ---------------------------------------------------------------------------

/// `install NAME CHART`, the chart already loaded (a local path or a
/// pulled `oci://` reference, see `action::pull::load_chart_ref`).
#[allow(clippy::too_many_arguments)]
pub async fn install(
    kube: &Kube,
    storage: &Storage,
    name: &str,
    ns: &str,
    mut chart: origan_chart::Chart,
    values: Data,
    opts: &InstallOptions,
    progress: Progress<'_>,
) -> Result<Release, Error> {
    validate_name(name)?;
    if opts.create_namespace && !opts.dry_run {
        kube.ensure_namespace(ns, &field_manager()).await?;
    }
    let guard = if opts.dry_run {
        None
    } else {
        Some(lock(kube, storage, ns, name, "install", progress).await?)
    };
    let out = install_locked(kube, storage, name, ns, &mut chart, values, opts, progress).await;
    if let Some(g) = guard {
        g.release().await?;
    }
    out
}

/// `install --dry-run=client`: renders with Helm's default capabilities
/// and no `lookup`, touching neither the cluster nor the release storage
/// (Helm swaps in its memory driver), and returns the release Helm would
/// print (`pending-install`, `Dry run complete`).
pub fn install_client_dry_run(
    name: &str,
    ns: &str,
    mut chart: origan_chart::Chart,
    values: Data,
    opts: &InstallOptions,
) -> Result<Release, Error> {
    validate_name(name)?;
    client_dry_run_release(name, ns, &mut chart, values, opts)
}

fn client_dry_run_release(
    name: &str,
    ns: &str,
    chart: &mut origan_chart::Chart,
    values: Data,
    opts: &InstallOptions,
) -> Result<Release, Error> {
    let caps = Capabilities::default();
    let mut rel = render_release_with(chart, values, name, ns, 1, false, &caps, None)?;
    rel.apply_method = super::apply::apply_method(opts.common.server_side.for_install());
    rel.info.status = Status::PendingInstall;
    rel.info.description = "Dry run complete".into();
    Ok(rel)
}

#[allow(clippy::too_many_arguments)]
pub(crate) async fn install_locked(
    kube: &Kube,
    storage: &Storage,
    name: &str,
    ns: &str,
    chart: &mut origan_chart::Chart,
    values: Data,
    opts: &InstallOptions,
    progress: Progress<'_>,
) -> Result<Release, Error> {
    if opts.dry_run && !opts.dry_run_server {
        // `upgrade --install --dry-run=client` of a new release.
        return client_dry_run_release(name, ns, chart, values, opts);
    }
    let hist = storage.history_meta(ns, name).await?;
    // Helm's `availableName`: any history blocks the name, unless
    // `--replace` and the last revision is `uninstalled` or `failed`.
    let revision = match hist.last() {
        None => 1,
        Some(last)
            if opts.replace && matches!(last.status, Status::Uninstalled | Status::Failed) =>
        {
            last.version + 1
        }
        Some(_) if opts.dry_run => 1,
        Some(_) => return Err(msg("cannot reuse a name that is still in use")),
    };
    let mode = ApplyMode {
        ssa: opts.common.server_side.for_install(),
        force_conflicts: opts.common.force_conflicts,
        force_replace: opts.common.force_replace,
        upgrade_managed_fields: true,
        three_way_unstructured: false,
    };
    if !opts.common.force_replace {
        mode.check()?;
    }
    if !opts.skip_crds && !opts.dry_run {
        install_crds(kube, chart, progress).await?;
    }
    let mut rel = render_release(kube, chart, values, name, ns, revision, false).await?;
    rel.apply_method = super::apply::apply_method(mode.ssa);
    let targets = build(kube, &rel.manifest, name, ns).await?;
    let refs: Vec<&Target> = targets.iter().collect();
    check_ownership(kube, &refs, name, ns, opts.common.take_ownership).await?;
    if opts.dry_run {
        if opts.dry_run_server {
            let ns_missing = opts.create_namespace && !namespace_exists(kube, ns).await?;
            super::apply::validate_on_server(kube, &targets, ns, ns_missing).await?;
        }
        rel.info.description = "Dry run complete".into();
        rel.info.status = Status::PendingInstall;
        return Ok(rel);
    }
    if let Some(last) = hist.last()
        && last.status != Status::Failed
    {
        let (mut prev, labels) = storage.get(ns, name, last.version).await?;
        prev.info.status = Status::Superseded;
        prev.info.description = "superseded by new release".into();
        storage.update(&prev, &labels).await?;
    }
    rel.info.status = Status::PendingInstall;
    rel.info.description = "Initial install underway".into();
    storage
        .create(&rel, &opts.labels)
        .await
        .map_err(|e| match e {
            driver::Error::Exists => msg("cannot reuse a name that is still in use"),
            e => e.into(),
        })?;
    match perform_install(kube, storage, &mut rel, &targets, opts, progress).await {
        Ok(()) => {
            rel.info.status = Status::Deployed;
            rel.info.description = opts
                .common
                .description
                .clone()
                .unwrap_or_else(|| "Install complete".into());
            storage.update(&rel, &opts.labels).await?;
            Ok(rel)
        }
        Err(e) => {
            rel.info.status = Status::Failed;
            rel.info.description = format!("Release \"{name}\" failed: {e}");
            storage.update(&rel, &opts.labels).await?;
            if opts.common.atomic {
                let uopts = super::uninstall::UninstallOptions {
                    timeout: opts.common.timeout,
                    ..Default::default()
                };
                match super::uninstall::uninstall_locked(kube, storage, name, ns, &uopts, progress)
                    .await
                {
                    Ok(_) => {
                        return Err(msg(format!(
                            "release {name} failed, and has been uninstalled due to rollback-on-failure being set: {e}"
                        )));
                    }
                    Err(u) => {
                        return Err(msg(format!(
                            "an error occurred while uninstalling the release. original install error: {e}: {u}"
                        )));
                    }
                }
            }
            Err(e)
        }
    }
}

async fn perform_install(
    kube: &Kube,
    storage: &Storage,
    rel: &mut Release,
    targets: &[Target],
    opts: &InstallOptions,
    progress: Progress<'_>,
) -> Result<(), Error> {
    if !opts.common.no_hooks {
        run_hooks(
            kube,
            rel,
            HookEvent::PreInstall,
            opts.common.timeout,
            progress,
        )
        .await
        .map_err(|e| msg(format!("failed pre-install: {e}")))?;
        storage.update(rel, &opts.labels).await?;
    }
    let mode = ApplyMode {
        ssa: opts.common.server_side.for_install(),
        force_conflicts: opts.common.force_conflicts,
        // Helm's install replaces only what it adopts; a plain install
        // creates, so the flag matters for `--take-ownership` alone.
        force_replace: opts.common.force_replace && !opts.common.server_side.for_install(),
        upgrade_managed_fields: true,
        three_way_unstructured: opts.common.take_ownership,
    };
    apply_targets(kube, targets, &[], &rel.namespace, mode, progress).await?;
    if opts.common.wait || opts.common.atomic {
        wait_targets(kube, targets, &opts.common, progress).await?;
    }
    if !opts.common.no_hooks {
        run_hooks(
            kube,
            rel,
            HookEvent::PostInstall,
            opts.common.timeout,
            progress,
        )
        .await
        .map_err(|e| msg(format!("failed post-install: {e}")))?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// lookup
// ---------------------------------------------------------------------------

/// Helm's live `lookup` over the cluster, for the engine's
/// [`crate::engine::Lookup`] hook: a Get when `name` is given, otherwise a
/// List (`{"apiVersion": "v1", "kind": "List", "items": [...]}`); unknown
/// kinds and missing objects give `None` (an empty map in templates).
///
/// The engine calls it synchronously from inside the async lifecycle
/// actions, so it blocks the current worker with `block_in_place`: it needs
/// the multi-threaded runtime the CLI builds.
#[derive(Clone, Debug)]
pub struct KubeLookup {
    kube: Kube,
}

impl KubeLookup {
    /// A lookup answering from `kube`.
    pub fn new(kube: Kube) -> KubeLookup {
        KubeLookup { kube }
    }

    async fn fetch(
        &self,
        api_version: &str,
        kind: &str,
        namespace: &str,
        name: &str,
    ) -> Result<Option<Value>, String> {
        let r = ObjectRef {
            api_version: api_version.into(),
            kind: kind.into(),
            namespace: namespace.into(),
            name: name.into(),
        };
        if !name.is_empty() {
            return match self.kube.get(&r).await {
                Ok(o) => Ok(o.map(|o| {
                    let mut v = serde_json::to_value(o).unwrap_or(Value::Null);
                    v["apiVersion"] = Value::String(api_version.into());
                    v["kind"] = Value::String(kind.into());
                    v
                })),
                Err(origan_kube::Error::UnknownKind { .. }) => Ok(None),
                Err(e) => Err(e.to_string()),
            };
        }
        let items = self
            .kube
            .list(api_version, kind, namespace, "")
            .await
            .map_err(|e| e.to_string())?;
        let items: Vec<Value> = items
            .into_iter()
            .filter_map(|o| serde_json::to_value(o).ok())
            .collect();
        Ok(Some(
            serde_json::json!({"apiVersion": "v1", "kind": "List", "metadata": {}, "items": items}),
        ))
    }
}

impl crate::engine::Lookup for KubeLookup {
    fn lookup(
        &self,
        api_version: &str,
        kind: &str,
        namespace: &str,
        name: &str,
    ) -> Result<Option<Data>, String> {
        let handle = tokio::runtime::Handle::try_current().map_err(|e| e.to_string())?;
        let got = tokio::task::block_in_place(|| {
            handle.block_on(self.fetch(api_version, kind, namespace, name))
        })?;
        Ok(got.map(|v| json_to_data(&v)))
    }
}
