//! Helm charts as OCI artifacts (`pkg/registry/client.go`, `chart.go`):
//! the media types, the config blob (Chart.yaml as JSON), manifest
//! annotations, and version resolution over tags.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value as Json, json};

use crate::client::digest_of;
use crate::{Client, Error, Reference};

/// The chart config blob.
pub const CONFIG_MEDIA_TYPE: &str = "application/vnd.cncf.helm.config.v1+json";
/// The chart archive layer.
pub const CHART_LAYER_MEDIA_TYPE: &str = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";
/// The provenance layer.
pub const PROV_LAYER_MEDIA_TYPE: &str = "application/vnd.cncf.helm.chart.provenance.v1.prov";
/// Accepted on pull, with a warning (Helm 3.0's layer type).
pub const LEGACY_CHART_LAYER_MEDIA_TYPE: &str = "application/tar+gzip";
/// The manifest.
pub const MANIFEST_MEDIA_TYPE: &str = "application/vnd.oci.image.manifest.v1+json";
const INDEX_MEDIA_TYPE: &str = "application/vnd.oci.image.index.v1+json";

/// What a push stored.
#[derive(Debug)]
pub struct PushResult {
    /// `host/repo/name:tag`
    pub reference: String,
    /// The manifest digest.
    pub digest: String,
}

/// What a pull fetched.
#[derive(Debug)]
pub struct PullResult {
    /// `host/repo/name:tag`
    pub reference: String,
    /// The manifest digest.
    pub digest: String,
    /// The chart archive, verified against its layer digest.
    pub archive: Vec<u8>,
    /// The provenance file, if the artifact has one.
    pub prov: Option<Vec<u8>>,
    /// Chart.yaml as the config blob holds it.
    pub metadata: Json,
    /// A warning to print (legacy media type).
    pub warning: Option<String>,
}

/// Pushes a chart archive to `base` (`oci://host/path`, the chart name and
/// version are appended as Helm does). `config` is the config blob exactly
/// as stored: Helm's `json.Marshal(chart.Metadata)` (struct field order,
/// empty fields omitted); `created` the RFC 3339 creation time annotation.
pub fn push_chart(
    client: &Client,
    base: &Reference,
    archive: &[u8],
    prov: Option<&[u8]>,
    config: &[u8],
    created: &str,
) -> Result<PushResult, Error> {
    let metadata: Json = serde_json::from_slice(config)
        .map_err(|e| Error::Manifest(format!("chart config is not JSON: {e}")))?;
    let metadata = &metadata;
    let name = metadata
        .get("name")
        .and_then(Json::as_str)
        .unwrap_or_default();
    let version = metadata
        .get("version")
        .and_then(Json::as_str)
        .unwrap_or_default();
    if base.tag.is_some() || base.digest.is_some() {
        return Err(Error::Reference {
            reference: base.to_display(),
            reason: "the push target must not carry a tag or digest; the chart version is the tag"
                .into(),
        });
    }
    let repo = format!("{}/{name}", base.repository);
    let tag = version.replace('+', "_");
    let config_digest = client.push_blob(&repo, config)?;
    let chart_digest = client.push_blob(&repo, archive)?;
    let mut layers = vec![descriptor(
        CHART_LAYER_MEDIA_TYPE,
        &chart_digest,
        archive.len(),
    )];
    if let Some(p) = prov {
        let d = client.push_blob(&repo, p)?;
        layers.push(descriptor(PROV_LAYER_MEDIA_TYPE, &d, p.len()));
    }
    // Helm sorts layers by digest.
    layers.sort_by(|a, b| a["digest"].as_str().cmp(&b["digest"].as_str()));
    let body = manifest_json(
        &descriptor(CONFIG_MEDIA_TYPE, &config_digest, config.len()),
        &layers,
        &annotations(metadata, created),
    );
    let digest = client.put_manifest(&repo, &tag, &body, MANIFEST_MEDIA_TYPE)?;
    Ok(PushResult {
        reference: format!("{}/{repo}:{tag}", base.registry),
        digest,
    })
}

/// The manifest as Go's `json.Marshal(ocispec.Manifest)` writes it: struct
/// field order (`schemaVersion`, `config`, `layers`, `annotations`;
/// descriptors `mediaType`, `digest`, `size`), map keys sorted, Go's
/// HTML-safe escaping. The bytes matter: they are what the digest names,
/// so the same chart pushed by Helm and by origanctl gets the same digest.
fn manifest_json(config: &Json, layers: &[Json], annotations: &Map<String, Json>) -> Vec<u8> {
    let desc = |d: &Json| {
        format!(
            "{{\"mediaType\":{},\"digest\":{},\"size\":{}}}",
            go_json(&d["mediaType"]),
            go_json(&d["digest"]),
            d["size"]
        )
    };
    let layers: Vec<String> = layers.iter().map(desc).collect();
    let mut out = format!(
        "{{\"schemaVersion\":2,\"config\":{},\"layers\":[{}]",
        desc(config),
        layers.join(",")
    );
    if !annotations.is_empty() {
        let mut keys: Vec<&String> = annotations.keys().collect();
        keys.sort();
        let body: Vec<String> = keys
            .iter()
            .map(|k| {
                format!(
                    "{}:{}",
                    go_json(&Json::String((*k).clone())),
                    go_json(&annotations[*k])
                )
            })
            .collect();
        out.push_str(&format!(",\"annotations\":{{{}}}", body.join(",")));
    }
    out.push('}');
    out.into_bytes()
}

/// serde_json's encoding plus Go's HTML-safe escapes (`<`, `>`, `&`,
/// U+2028, U+2029 as `\u00XX`).
fn go_json(v: &Json) -> String {
    let s = serde_json::to_string(v).expect("JSON values serialize");
    s.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

fn descriptor(media_type: &str, digest: &str, size: usize) -> Json {
    json!({ "mediaType": media_type, "digest": digest, "size": size })
}

/// Helm's manifest annotations (`generateOCIAnnotations`): OCI image
/// annotations from Chart.yaml, then the chart's own annotations, which may
/// override all but title and version.
fn annotations(meta: &Json, created: &str) -> Map<String, Json> {
    let s = |k: &str| {
        meta.get(k)
            .and_then(Json::as_str)
            .unwrap_or("")
            .trim()
            .to_string()
    };
    let mut a = Map::new();
    let mut put = |k: &str, v: String| {
        if !v.trim().is_empty() {
            a.insert(k.to_string(), Json::String(v));
        }
    };
    put("org.opencontainers.image.description", s("description"));
    put("org.opencontainers.image.title", s("name"));
    put("org.opencontainers.image.version", s("version"));
    put("org.opencontainers.image.url", s("home"));
    put("org.opencontainers.image.created", created.to_string());
    let source = meta
        .get("sources")
        .and_then(Json::as_array)
        .and_then(|l| l.first())
        .and_then(Json::as_str)
        .unwrap_or("")
        .to_string();
    put("org.opencontainers.image.source", source);
    let authors: Vec<String> = meta
        .get("maintainers")
        .and_then(Json::as_array)
        .map(|ms| {
            ms.iter()
                .map(|m| {
                    let name = m.get("name").and_then(Json::as_str).unwrap_or("");
                    match m.get("email").and_then(Json::as_str) {
                        Some(e) if !e.is_empty() => format!("{name} ({e})"),
                        _ => name.to_string(),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    put("org.opencontainers.image.authors", authors.join(", "));
    if let Some(own) = meta.get("annotations").and_then(Json::as_object) {
        for (k, v) in own {
            if k == "org.opencontainers.image.title" || k == "org.opencontainers.image.version" {
                continue;
            }
            a.insert(k.clone(), v.clone());
        }
    }
    a
}

/// Picks the tag to pull for `reference` and `--version` (Helm's
/// `ValidateReference` then `GetTagMatchingVersionOrConstraint`).
pub fn resolve_version(
    client: &Client,
    reference: &Reference,
    version: &str,
) -> Result<String, Error> {
    let ref_tag = reference.tag.clone().map(|t| t.replace('_', "+"));
    let version = match (version.is_empty(), ref_tag) {
        (true, Some(t)) => return Ok(t.replace('+', "_")),
        (false, Some(t)) if t != version => {
            return Err(Error::Version(format!(
                "chart reference and version mismatch: {version} is not {t}"
            )));
        }
        _ => version.to_string(),
    };
    if !version.is_empty() && origan_semver::Version::parse(&version).is_ok() {
        // A version that parses (leniently) is used verbatim as the tag.
        return Ok(version.replace('+', "_"));
    }
    let tags = client.list_tags(&reference.repository)?;
    if tags.is_empty() {
        return Err(Error::Version(format!(
            "unable to locate any tags in provided repository: {}",
            reference.to_display()
        )));
    }
    let constraint = if version.is_empty() {
        "*"
    } else {
        version.as_str()
    };
    origan_semver::max_satisfying(constraint, &tags)
        .map(|v| v.replace('+', "_"))
        .map_err(|e| Error::Version(e.to_string()))
}

fn cache_path(dir: &Path, digest: &str) -> Option<PathBuf> {
    let hex = digest.strip_prefix("sha256:")?;
    (hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| dir.join("sha256").join(hex))
}

/// A cached blob for the descriptor `d`, only when its bytes still hash to
/// the digest (a damaged cache entry is ignored and replaced).
fn cached(cache: Option<&Path>, d: &Json) -> Option<Vec<u8>> {
    let digest = d.get("digest")?.as_str()?;
    let path = cache_path(cache?, digest)?;
    let bytes = std::fs::read(path).ok()?;
    (digest_of(&bytes) == digest).then_some(bytes)
}

fn store_cached(dir: &Path, digest: &str, bytes: &[u8]) -> Result<(), Error> {
    let Some(path) = cache_path(dir, digest) else {
        return Ok(());
    };
    let io = |source| Error::Io {
        path: path.display().to_string(),
        source,
    };
    let parent = path.parent().unwrap_or(dir);
    std::fs::create_dir_all(parent).map_err(io)?;
    let tmp = parent.join(format!(".tmp-{}-{}", std::process::id(), &digest[7..19]));
    std::fs::write(&tmp, bytes).map_err(io)?;
    std::fs::rename(&tmp, &path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        io(e)
    })
}

/// Pulls a chart: resolves the version, fetches the manifest, checks that it
/// is a Helm chart, fetches and verifies config, chart and prov blobs. With
/// `cache`, a chart layer already stored there under its digest
/// (`<cache>/sha256/<hex>`, re-verified) is not downloaded again, and a
/// downloaded one is stored (temp file, then rename).
pub fn pull_chart(
    client: &Client,
    reference: &Reference,
    version: &str,
    cache: Option<&Path>,
) -> Result<PullResult, Error> {
    let (target, tag) = match (&reference.digest, version.is_empty()) {
        (Some(d), true) => (d.clone(), reference.tag.clone()),
        _ => {
            let tag = resolve_version(client, reference, version)?;
            (tag.clone(), Some(tag))
        }
    };
    let accept = [MANIFEST_MEDIA_TYPE, INDEX_MEDIA_TYPE];
    let (body, digest) = client.get_manifest(&reference.repository, &target, &accept)?;
    if let Some(d) = &reference.digest
        && *d != digest
    {
        return Err(Error::Digest {
            what: format!("chart reference {}", reference.to_display()),
            expected: d.clone(),
            actual: digest,
        });
    }
    let manifest: Json = serde_json::from_slice(&body).map_err(|e| {
        Error::Manifest(format!(
            "manifest of {} is not JSON: {e}",
            reference.to_display()
        ))
    })?;
    let layers = manifest
        .get("layers")
        .and_then(Json::as_array)
        .cloned()
        .unwrap_or_default();
    let config = manifest.get("config").cloned().unwrap_or(Json::Null);
    let found = layers.len() + usize::from(!config.is_null());
    if found < 2 {
        return Err(Error::Manifest(format!(
            "manifest does not contain minimum number of descriptors (2), descriptors found: {found}"
        )));
    }
    let media = |d: &Json| {
        d.get("mediaType")
            .and_then(Json::as_str)
            .unwrap_or("")
            .to_string()
    };
    if media(&config) != CONFIG_MEDIA_TYPE {
        return Err(Error::Manifest(format!(
            "manifest does not contain a layer with mediatype {CONFIG_MEDIA_TYPE}"
        )));
    }
    let mut warning = None;
    let chart_layer = layers
        .iter()
        .find(|l| media(l) == CHART_LAYER_MEDIA_TYPE)
        .or_else(|| {
            let legacy = layers
                .iter()
                .find(|l| media(l) == LEGACY_CHART_LAYER_MEDIA_TYPE);
            if legacy.is_some() {
                warning = Some(format!(
                    "Warning: chart media type {LEGACY_CHART_LAYER_MEDIA_TYPE} is deprecated"
                ));
            }
            legacy
        })
        .ok_or_else(|| {
            Error::Manifest(format!(
                "manifest does not contain a layer with mediatype {CHART_LAYER_MEDIA_TYPE}"
            ))
        })?;
    let blob = |d: &Json| -> Result<Vec<u8>, Error> {
        let digest = d
            .get("digest")
            .and_then(Json::as_str)
            .ok_or_else(|| Error::Manifest("descriptor without digest".into()))?;
        client.get_blob(
            &reference.repository,
            digest,
            d.get("size").and_then(Json::as_u64),
        )
    };
    let config_bytes = blob(&config)?;
    let metadata: Json = serde_json::from_slice(&config_bytes)
        .map_err(|e| Error::Manifest(format!("chart config is not JSON: {e}")))?;
    let archive = match cached(cache, chart_layer) {
        Some(bytes) => bytes,
        None => {
            let bytes = blob(chart_layer)?;
            if let Some(dir) = cache {
                store_cached(dir, &digest_of(&bytes), &bytes)?;
            }
            bytes
        }
    };
    let prov = match layers.iter().find(|l| media(l) == PROV_LAYER_MEDIA_TYPE) {
        Some(p) => Some(blob(p)?),
        None => None,
    };
    let shown = match tag {
        Some(t) => format!("{}/{}:{t}", reference.registry, reference.repository),
        None => format!("{}/{}@{digest}", reference.registry, reference.repository),
    };
    Ok(PullResult {
        reference: shown,
        digest,
        archive,
        prov,
        metadata,
        warning,
    })
}
