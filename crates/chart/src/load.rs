//! The chart model and Helm's `LoadFiles`: classifying a chart's files into
//! metadata, lock, values, schema, templates, CRDs, other files and subcharts.
//!
//! Owns: [`Chart`], [`File`], [`load`], [`load_archive`], [`load_files`] and the
//! loader's error texts (pkg/chart/v2/loader/load.go). Does not own: reading
//! archives (`archive`), walking directories (`dir`), Chart.yaml decoding
//! (`metadata`), values coalescing.
//!
//! Differences from Helm: subcharts are kept in name order (Helm iterates a Go map,
//! so its order is random); nested `.tgz` subcharts are limited in depth.

use std::collections::BTreeMap;
use std::path::Path;

use origan_yaml::Data;

use crate::archive::{self, ArchiveError, BufferedFile, Limits};
use crate::dir::{self, DirError, LoadOptions};
use crate::metadata::{API_VERSION_V1, Lock, Metadata, MetadataError};

/// A file of a chart: its path relative to the chart root (`/`-separated) and bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct File {
    pub name: String,
    pub data: Vec<u8>,
    /// Modification time in Unix seconds (0 when unknown); `helm package` uses it.
    pub mod_time: i64,
}

/// A loaded chart (Helm's `chart.Chart`, v2 layout).
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    pub metadata: Metadata,
    pub lock: Option<Lock>,
    /// Every file under `templates/`, in load order.
    pub templates: Vec<File>,
    /// `crds/**/*.{yaml,yml,json}` (these also stay in `files`, as in Helm).
    pub crds: Vec<File>,
    /// Every other file, for `.Files` (README, `.helmignore`, `crds/`, `files/` ...).
    pub files: Vec<File>,
    /// values.yaml, parsed (all documents merged); an empty map when absent.
    pub values: Data,
    /// values.yaml as written (`helm show values`).
    pub raw_values: Option<String>,
    /// values.yaml's modification time (Unix seconds, 0 when unknown); `helm package` uses it.
    pub values_mod_time: i64,
    /// values.schema.json, raw.
    pub schema: Option<Vec<u8>>,
    /// values.schema.json's modification time (Unix seconds, 0 when unknown).
    pub schema_mod_time: i64,
    /// Subcharts from `charts/` (after [`crate::prepare`], only the enabled ones).
    pub dependencies: Vec<Chart>,
    /// Warnings Helm would log while loading.
    pub warnings: Vec<String>,
    /// Chart.yaml's modification time (Unix seconds, 0 when unknown).
    pub mod_time: i64,
}

impl Chart {
    /// The chart's name from its metadata.
    pub fn name(&self) -> &str {
        &self.metadata.name
    }

    /// The values as a map (empty when values.yaml was absent or not a map).
    pub fn values_map(&self) -> BTreeMap<String, Data> {
        match &self.values {
            Data::Map(m) => m.clone(),
            _ => BTreeMap::new(),
        }
    }

    /// This chart and every subchart, parents first, each with Helm's
    /// `ChartFullPath` (`top`, `top/charts/sub`, `top/charts/sub/charts/leaf`):
    /// the prefix of template names and `# Source:` lines.
    pub fn charts_with_paths(&self) -> Vec<(String, &Chart)> {
        let mut out = Vec::new();
        self.collect_paths(self.metadata.name.clone(), &mut out);
        out
    }

    fn collect_paths<'a>(&'a self, path: String, out: &mut Vec<(String, &'a Chart)>) {
        out.push((path.clone(), self));
        for d in &self.dependencies {
            d.collect_paths(format!("{path}/charts/{}", d.metadata.name), out);
        }
    }

    /// Helm's `CRDObjects`: this chart's CRD files, then its subcharts', each with
    /// its chart path (`name/crds/x.yaml`, `name/charts/sub/crds/...`).
    pub fn crd_objects(&self) -> Vec<CrdObject<'_>> {
        let mut out = Vec::new();
        self.collect_crds(&self.metadata.name, &mut out);
        out
    }

    fn collect_crds<'a>(&'a self, full_path: &str, out: &mut Vec<CrdObject<'a>>) {
        for f in &self.crds {
            out.push(CrdObject {
                name: f.name.clone(),
                filename: format!("{full_path}/{}", f.name),
                file: f,
            });
        }
        for d in &self.dependencies {
            d.collect_crds(&format!("{full_path}/charts/{}", d.metadata.name), out);
        }
    }
}

/// One CRD file as Helm's `CRDObjects` lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct CrdObject<'a> {
    /// Path relative to its chart (`crds/x.yaml`).
    pub name: String,
    /// Path including the chart path (`top/charts/sub/crds/x.yaml`).
    pub filename: String,
    pub file: &'a File,
}

/// Loader errors. Texts are Helm's.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{0}")]
    Archive(#[from] ArchiveError),
    #[error("{0}")]
    Dir(#[from] DirError),
    #[error("cannot load Chart.yaml: {0}")]
    ChartYaml(MetadataError),
    #[error("cannot load {0}: {1}")]
    Other(String, String),
    #[error("Chart.yaml file is missing")]
    MissingChartYaml,
    #[error("{0}")]
    Invalid(MetadataError),
    #[error("error unpacking subchart tar in {0}: expected {1}, got {2}")]
    SubchartTar(String, String, String),
    #[error("error unpacking subchart {0} in {1}: {2}")]
    Subchart(String, String, Box<LoadError>),
    #[error("subcharts nested deeper than {0} archives")]
    TooDeep(usize),
    #[error("{0}")]
    Io(String),
}

/// Loads a chart from a directory or a `.tgz` file (Helm's `loader.Load`).
pub fn load(path: &Path) -> Result<Chart, LoadError> {
    load_with(path, &LoadOptions::default())
}

/// [`load`] with explicit options (limits, symlink policy).
pub fn load_with(path: &Path, opts: &LoadOptions) -> Result<Chart, LoadError> {
    let meta = std::fs::metadata(path)
        .map_err(|e| LoadError::Io(format!("stat {}: {}", path.display(), go_io_error(&e))))?;
    if meta.is_dir() {
        let files = dir::load_dir_files(path, opts)?;
        return load_files_at(files, &opts.limits, 0);
    }
    // A compressed archive cannot usefully be larger than what it may expand to.
    if meta.len() > opts.limits.max_chart_size {
        return Err(ArchiveError::ChartTooLarge(opts.limits.max_chart_size).into());
    }
    let data = std::fs::read(path)
        .map_err(|e| LoadError::Io(format!("open {}: {}", path.display(), go_io_error(&e))))?;
    archive::ensure_archive(&path.display().to_string(), &data)?;
    match load_archive_with(&data, &opts.limits) {
        Err(LoadError::Archive(ArchiveError::NotGzip)) => Err(LoadError::Io(format!(
            "file '{}' does not appear to be a valid chart file (details: gzip: invalid header)",
            path.display()
        ))),
        other => other,
    }
}

/// Loads a chart from `.tgz` bytes (Helm's `LoadArchive`).
pub fn load_archive(data: &[u8]) -> Result<Chart, LoadError> {
    load_archive_with(data, &Limits::default())
}

/// [`load_archive`] with explicit limits.
pub fn load_archive_with(data: &[u8], limits: &Limits) -> Result<Chart, LoadError> {
    load_archive_at(data, limits, 0)
}

fn load_archive_at(data: &[u8], limits: &Limits, depth: usize) -> Result<Chart, LoadError> {
    if depth > limits.max_depth {
        return Err(LoadError::TooDeep(limits.max_depth));
    }
    let files = archive::load_archive_files(data, limits)?;
    load_files_at(files, limits, depth)
}

/// Helm's `LoadFiles`: builds a chart from in-memory files.
pub fn load_files(files: Vec<BufferedFile>) -> Result<Chart, LoadError> {
    load_files_at(files, &Limits::default(), 0)
}

fn is_crd_file(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    name.starts_with("crds/")
        && (lower.ends_with(".yaml") || lower.ends_with(".yml") || lower.ends_with(".json"))
}

fn text(f: &BufferedFile) -> String {
    String::from_utf8_lossy(&f.data).into_owned()
}

fn load_files_at(
    files: Vec<BufferedFile>,
    limits: &Limits,
    depth: usize,
) -> Result<Chart, LoadError> {
    let mut metadata: Option<Metadata> = None;
    let mut mod_time = 0;
    for f in &files {
        if f.name == "Chart.yaml" {
            let m = metadata.get_or_insert_with(Metadata::default);
            m.decode_into(&text(f)).map_err(LoadError::ChartYaml)?;
            if m.api_version.is_empty() {
                m.api_version = API_VERSION_V1.to_string();
            }
            mod_time = f.mod_time;
        }
    }
    let mut c = Chart {
        metadata: Metadata::default(),
        lock: None,
        templates: Vec::new(),
        crds: Vec::new(),
        files: Vec::new(),
        values: Data::Map(BTreeMap::new()),
        raw_values: None,
        values_mod_time: 0,
        schema: None,
        schema_mod_time: 0,
        dependencies: Vec::new(),
        warnings: Vec::new(),
        mod_time,
    };
    let mut subcharts: BTreeMap<String, Vec<BufferedFile>> = BTreeMap::new();
    for f in files {
        let as_file = |f: &BufferedFile| File {
            name: f.name.clone(),
            data: f.data.clone(),
            mod_time: f.mod_time,
        };
        match f.name.as_str() {
            "Chart.yaml" => {}
            "Chart.lock" => {
                c.lock = Some(
                    Lock::parse(&text(&f))
                        .map_err(|e| LoadError::Other("Chart.lock".into(), e.to_string()))?,
                );
            }
            "values.yaml" => {
                let raw = text(&f);
                let v = origan_yaml::load_values(&raw)
                    .map_err(|e| LoadError::Other("values.yaml".into(), e.message().to_string()))?;
                c.values = Data::Map(v);
                c.raw_values = Some(raw);
                c.values_mod_time = f.mod_time;
            }
            "values.schema.json" => {
                c.schema_mod_time = f.mod_time;
                c.schema = Some(f.data);
            }
            "requirements.yaml" => {
                let m = metadata.get_or_insert_with(Metadata::default);
                if m.api_version != API_VERSION_V1 {
                    c.warnings.push("Warning: Dependencies are handled in Chart.yaml since apiVersion \"v2\". We recommend migrating dependencies to Chart.yaml.".into());
                }
                m.decode_into(&text(&f))
                    .map_err(|e| LoadError::Other("requirements.yaml".into(), e.to_string()))?;
                if m.api_version == API_VERSION_V1 {
                    c.files.push(as_file(&f));
                }
            }
            "requirements.lock" => {
                c.lock =
                    Some(Lock::parse(&text(&f)).map_err(|e| {
                        LoadError::Other("requirements.lock".into(), e.to_string())
                    })?);
                let m = metadata.get_or_insert_with(Metadata::default);
                if m.api_version != API_VERSION_V1 {
                    c.warnings.push("Warning: Dependency locking is handled in Chart.lock since apiVersion \"v2\". We recommend migrating to Chart.lock.".into());
                }
                if m.api_version == API_VERSION_V1 {
                    c.files.push(as_file(&f));
                }
            }
            n if n.starts_with("templates/") => c.templates.push(as_file(&f)),
            n if n.starts_with("charts/") => {
                if go_ext(n) == ".prov" {
                    c.files.push(as_file(&f));
                    continue;
                }
                let fname = n["charts/".len()..].to_string();
                let cname = fname.split('/').next().unwrap_or("").to_string();
                subcharts.entry(cname).or_default().push(BufferedFile {
                    name: fname,
                    mod_time: f.mod_time,
                    data: f.data,
                });
            }
            _ => {
                if is_crd_file(&f.name) {
                    c.crds.push(as_file(&f));
                }
                c.files.push(as_file(&f));
            }
        }
    }
    let Some(mut md) = metadata else {
        return Err(LoadError::MissingChartYaml);
    };
    md.validate().map_err(LoadError::Invalid)?;
    c.metadata = md;

    for (n, files) in subcharts {
        if n.starts_with('_') || n.starts_with('.') {
            continue;
        }
        let loaded = if go_ext(&n) == ".tgz" {
            let file = &files[0];
            if file.name != n {
                return Err(LoadError::SubchartTar(
                    c.metadata.name.clone(),
                    n.clone(),
                    file.name.clone(),
                ));
            }
            load_archive_at(&file.data, limits, depth + 1)
        } else {
            let buff: Vec<BufferedFile> = files
                .into_iter()
                .filter_map(|mut f| {
                    let (_, rest) = f.name.split_once('/')?;
                    f.name = rest.to_string();
                    Some(f)
                })
                .collect();
            load_files_at(buff, limits, depth)
        };
        match loaded {
            Ok(sc) => c.dependencies.push(sc),
            Err(e) => {
                return Err(LoadError::Subchart(n, c.metadata.name.clone(), Box::new(e)));
            }
        }
    }
    Ok(c)
}

/// The text Go's `os` package gives for common errors.
fn go_io_error(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// Go's `filepath.Ext`: from the last `.` of the last element.
fn go_ext(p: &str) -> &str {
    let base_start = p.rfind('/').map_or(0, |i| i + 1);
    match p[base_start..].rfind('.') {
        Some(i) => &p[base_start + i..],
        None => "",
    }
}
