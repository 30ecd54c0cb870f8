//! Helm charts as OCI artifacts (`pkg/registry/client.go`, `chart.go`):
//! the media types, the config blob (Chart.yaml as JSON), manifest
//! annotations, and version resolution over tags.

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
/// version are appended as Helm does). `metadata` is Chart.yaml as Helm's
/// JSON (`name`, `version`, ... with empty fields omitted); `created` the
/// RFC 3339 creation time annotation.
pub fn push_chart(
    client: &Client,
    base: &Reference,
    archive: &[u8],
    prov: Option<&[u8]>,
    metadata: &Json,
    created: &str,
) -> Result<PushResult, Error> {
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
    let config = serde_json::to_vec(metadata).expect("JSON values serialize");
    let config_digest = client.push_blob(&repo, &config)?;
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
    let manifest = json!({
        "schemaVersion": 2,
        "config": descriptor(CONFIG_MEDIA_TYPE, &config_digest, config.len()),
        "layers": layers,
        "annotations": annotations(metadata, created),
    });
    let body = serde_json::to_vec(&manifest).expect("JSON values serialize");
    let digest = client.put_manifest(&repo, &tag, &body, MANIFEST_MEDIA_TYPE)?;
    Ok(PushResult {
        reference: format!("{}/{repo}:{tag}", base.registry),
        digest,
    })
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

/// Pulls a chart: resolves the version, fetches the manifest, checks that it
/// is a Helm chart, fetches and verifies config, chart and prov blobs.
pub fn pull_chart(
    client: &Client,
    reference: &Reference,
    version: &str,
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
    let archive = blob(chart_layer)?;
    let prov = match layers.iter().find(|l| media(l) == PROV_LAYER_MEDIA_TYPE) {
        Some(p) => Some(blob(p)?),
        None => None,
    };
    let shown = match tag {
        Some(t) => format!("{}/{}:{t}", reference.registry, reference.repository),
        None => format!("{}/{}@{digest}", reference.registry, reference.repository),
    };
    let _ = digest_of;
    Ok(PullResult {
        reference: shown,
        digest,
        archive,
        prov,
        metadata,
        warning,
    })
}
