//! Registry credentials where Helm keeps them (`$HELM_REGISTRY_CONFIG`, else
//! `<config home>/helm/registry/config.json`, Docker's `config.json`
//! format), falling back to Docker's own config and its credential helpers.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Map, Value as Json};

use crate::Error;

/// A username and password (or token) for one registry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Credentials {
    /// Username.
    pub username: String,
    /// Password or token.
    pub password: String,
}

/// Reads and writes registry credentials.
#[derive(Clone, Debug)]
pub struct CredentialStore {
    /// The file `login` writes (Helm's registry config).
    pub path: PathBuf,
    /// Files read after it, in order (Docker's config).
    pub fallbacks: Vec<PathBuf>,
}

impl CredentialStore {
    /// Helm's default locations, or `registry_config` when given
    /// (`--registry-config`).
    pub fn new(registry_config: Option<&Path>) -> CredentialStore {
        let path = registry_config
            .map(Path::to_path_buf)
            .or_else(|| std::env::var_os("HELM_REGISTRY_CONFIG").map(PathBuf::from))
            .unwrap_or_else(|| helm_config_home().join("registry/config.json"));
        let docker = std::env::var_os("DOCKER_CONFIG")
            .map(PathBuf::from)
            .or_else(|| home().map(|h| h.join(".docker")))
            .map(|d| d.join("config.json"));
        CredentialStore {
            path,
            fallbacks: docker.into_iter().collect(),
        }
    }

    /// Credentials for `host`, from the first file that has them (an
    /// `auths` entry, or a credential helper named by `credHelpers` or
    /// `credsStore`).
    pub fn get(&self, host: &str) -> Result<Option<Credentials>, Error> {
        for file in std::iter::once(&self.path).chain(&self.fallbacks) {
            let Some(cfg) = read_json(file)? else {
                continue;
            };
            if let Some(c) = from_auths(&cfg, host) {
                return Ok(Some(c));
            }
            let helper = cfg
                .get("credHelpers")
                .and_then(|h| h.get(host))
                .or_else(|| cfg.get("credsStore"))
                .and_then(Json::as_str);
            if let Some(helper) = helper
                && let Some(c) = run_helper(helper, host)
            {
                return Ok(Some(c));
            }
        }
        Ok(None)
    }

    /// Stores credentials for `host` in Helm's registry config (`login`).
    pub fn store(&self, host: &str, creds: &Credentials) -> Result<(), Error> {
        let mut cfg = read_json(&self.path)?.unwrap_or_default();
        let auths = cfg
            .entry("auths")
            .or_insert_with(|| Json::Object(Map::new()));
        if !auths.is_object() {
            *auths = Json::Object(Map::new());
        }
        let token = STANDARD.encode(format!("{}:{}", creds.username, creds.password));
        auths
            .as_object_mut()
            .expect("auths is an object")
            .insert(host.to_string(), serde_json::json!({ "auth": token }));
        write_json(&self.path, &cfg)
    }

    /// Removes `host` from Helm's registry config (`logout`). Returns whether
    /// there was anything to remove.
    pub fn remove(&self, host: &str) -> Result<bool, Error> {
        let Some(mut cfg) = read_json(&self.path)? else {
            return Ok(false);
        };
        let removed = cfg
            .get_mut("auths")
            .and_then(Json::as_object_mut)
            .and_then(|a| a.remove(host))
            .is_some();
        if removed {
            write_json(&self.path, &cfg)?;
        }
        Ok(removed)
    }
}

fn from_auths(cfg: &Map<String, Json>, host: &str) -> Option<Credentials> {
    let auths = cfg.get("auths")?.as_object()?;
    // Docker keeps docker.io under its legacy index address.
    let keys = [
        host.to_string(),
        format!("https://{host}"),
        format!("http://{host}"),
    ];
    let entry = keys.iter().find_map(|k| auths.get(k))?;
    if let Some(auth) = entry.get("auth").and_then(Json::as_str) {
        let decoded = String::from_utf8(STANDARD.decode(auth).ok()?).ok()?;
        let (u, p) = decoded.split_once(':')?;
        return Some(Credentials {
            username: u.to_string(),
            password: p.to_string(),
        });
    }
    let u = entry.get("username").and_then(Json::as_str)?;
    let p = entry.get("password").and_then(Json::as_str)?;
    Some(Credentials {
        username: u.to_string(),
        password: p.to_string(),
    })
}

/// `docker-credential-<helper> get`, the credential-helper protocol.
fn run_helper(helper: &str, host: &str) -> Option<Credentials> {
    let mut child = Command::new(format!("docker-credential-{helper}"))
        .arg("get")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    child.stdin.take()?.write_all(host.as_bytes()).ok()?;
    let out = child.wait_with_output().ok()?;
    if !out.status.success() {
        return None;
    }
    let v: Json = serde_json::from_slice(&out.stdout).ok()?;
    Some(Credentials {
        username: v.get("Username")?.as_str()?.to_string(),
        password: v.get("Secret")?.as_str()?.to_string(),
    })
}

fn read_json(path: &Path) -> Result<Option<Map<String, Json>>, Error> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(Error::Io {
                path: path.display().to_string(),
                source,
            });
        }
    };
    if text.trim().is_empty() {
        return Ok(None);
    }
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|e| Error::Io {
            path: path.display().to_string(),
            source: std::io::Error::new(std::io::ErrorKind::InvalidData, e),
        })
}

fn write_json(path: &Path, cfg: &Map<String, Json>) -> Result<(), Error> {
    let io = |source| Error::Io {
        path: path.display().to_string(),
        source,
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    let text =
        serde_json::to_string_pretty(&Json::Object(cfg.clone())).expect("a JSON map serializes");
    // Written to a sibling file first so a crash never leaves half a config.
    let tmp = path.with_extension("json.tmp");
    std::fs::write(&tmp, text).map_err(io)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(0o600)).map_err(io)?;
    }
    std::fs::rename(&tmp, path).map_err(io)
}

fn home() -> Option<PathBuf> {
    std::env::var_os("HOME").map(PathBuf::from)
}

/// Helm's config home: `$HELM_CONFIG_HOME`, else `$XDG_CONFIG_HOME/helm`,
/// else `~/.config/helm`.
fn helm_config_home() -> PathBuf {
    if let Some(h) = std::env::var_os("HELM_CONFIG_HOME") {
        return PathBuf::from(h);
    }
    if let Some(x) = std::env::var_os("XDG_CONFIG_HOME") {
        return PathBuf::from(x).join("helm");
    }
    home()
        .unwrap_or_else(|| PathBuf::from("."))
        .join(".config/helm")
}

/// Parses `Www-Authenticate` parameters: `Bearer realm="...",service="..."`.
pub(crate) fn challenge_params(header: &str) -> (String, BTreeMap<String, String>) {
    let (scheme, rest) = header.split_once(' ').unwrap_or((header, ""));
    let mut params = BTreeMap::new();
    let mut rest = rest.trim();
    while !rest.is_empty() {
        let Some((key, after)) = rest.split_once('=') else {
            break;
        };
        let (value, after) = if let Some(q) = after.strip_prefix('"') {
            match q.find('"') {
                Some(end) => (&q[..end], &q[end + 1..]),
                None => (q, ""),
            }
        } else {
            after.split_once(',').unwrap_or((after, ""))
        };
        params.insert(key.trim().to_ascii_lowercase(), value.to_string());
        rest = after.trim_start_matches([',', ' ']);
    }
    (scheme.to_ascii_lowercase(), params)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_get_remove() {
        let dir = std::env::temp_dir().join(format!("origan-auth-{}", std::process::id()));
        let store = CredentialStore {
            path: dir.join("config.json"),
            fallbacks: vec![],
        };
        let c = Credentials {
            username: "u".into(),
            password: "p:w".into(),
        };
        store.store("r.io", &c).unwrap();
        assert_eq!(store.get("r.io").unwrap(), Some(c));
        assert!(store.remove("r.io").unwrap());
        assert_eq!(store.get("r.io").unwrap(), None);
        std::fs::remove_dir_all(dir).ok();
    }

    #[test]
    fn parses_bearer_challenge() {
        let (s, p) = challenge_params(
            r#"Bearer realm="https://a/token",service="reg",scope="repository:x:pull""#,
        );
        assert_eq!(s, "bearer");
        assert_eq!(p["realm"], "https://a/token");
        assert_eq!(p["scope"], "repository:x:pull");
    }
}
