//! The OCI distribution API over HTTP(S): pings, manifests, blobs and tag
//! lists, with basic auth and the bearer-token flow of the distribution
//! spec (a 401 challenge names a realm; a token is fetched with the
//! credentials and the request is sent again). `registry login` first tries
//! the OAuth2 password grant, as Helm v4 does ([`Client::login_ping`]).

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::io::Read;
use std::path::PathBuf;
use std::time::Duration;

use reqwest::blocking::{Client as Http, RequestBuilder, Response};
use reqwest::{Method, StatusCode};
use sha2::{Digest as _, Sha256};

use crate::auth::challenge_params;
use crate::{Credentials, Error};

/// How to reach a registry.
#[derive(Clone, Debug, Default)]
pub struct ClientOptions {
    /// `--plain-http`: HTTP instead of HTTPS.
    pub plain_http: bool,
    /// `--ca-file`
    pub ca_file: Option<PathBuf>,
    /// `--cert-file` (with `--key-file`): a client certificate.
    pub cert_file: Option<PathBuf>,
    /// `--key-file`
    pub key_file: Option<PathBuf>,
    /// `--insecure-skip-tls-verify`
    pub insecure: bool,
    /// Request timeout (default 60 s); connecting gives up after 10 s.
    pub timeout: Option<Duration>,
}

/// A client for one registry host.
pub struct Client {
    http: Http,
    host: String,
    scheme: &'static str,
    creds: Option<Credentials>,
    tokens: RefCell<HashMap<String, String>>,
    force_oauth2: Cell<bool>,
    /// The host answered a basic challenge: send the credentials up front
    /// from then on (ORAS caches the scheme per host the same way), which
    /// saves a 401 round trip per request.
    basic: Cell<bool>,
}

/// Blobs larger than this are refused: a chart is a few megabytes, and a
/// registry that lies about sizes must not fill the disk or memory.
pub const MAX_BLOB: u64 = 64 << 20;

/// sha256 digest in OCI form.
pub fn digest_of(bytes: &[u8]) -> String {
    let hash = Sha256::digest(bytes);
    let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

impl Client {
    /// A client for `host` (`host[:port]`).
    pub fn new(
        host: &str,
        creds: Option<Credentials>,
        opts: &ClientOptions,
    ) -> Result<Client, Error> {
        let mut b = Http::builder()
            .user_agent(concat!("origanctl/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(Duration::from_secs(10))
            .timeout(opts.timeout.unwrap_or(Duration::from_secs(60)))
            .redirect(reqwest::redirect::Policy::limited(5));
        if let Some(ca) = &opts.ca_file {
            let pem =
                std::fs::read(ca).map_err(|e| Error::Tls(format!("{}: {e}", ca.display())))?;
            let cert = reqwest::Certificate::from_pem(&pem)
                .map_err(|e| Error::Tls(format!("{}: {e}", ca.display())))?;
            b = b.tls_certs_only([cert]);
        }
        if let (Some(cert), Some(key)) = (&opts.cert_file, &opts.key_file) {
            let mut pem =
                std::fs::read(cert).map_err(|e| Error::Tls(format!("{}: {e}", cert.display())))?;
            pem.extend(
                std::fs::read(key).map_err(|e| Error::Tls(format!("{}: {e}", key.display())))?,
            );
            let id = reqwest::Identity::from_pem(&pem).map_err(|e| Error::Tls(e.to_string()))?;
            b = b.identity(id);
        }
        if opts.insecure {
            b = b.tls_danger_accept_invalid_certs(true);
        }
        let http = b.build().map_err(|e| Error::Tls(e.to_string()))?;
        Ok(Client {
            http,
            host: host.to_string(),
            scheme: if opts.plain_http { "http" } else { "https" },
            creds,
            tokens: RefCell::new(HashMap::new()),
            force_oauth2: Cell::new(false),
            basic: Cell::new(false),
        })
    }

    fn url(&self, path: &str) -> String {
        if path.starts_with("http://") || path.starts_with("https://") {
            path.to_string()
        } else {
            format!("{}://{}{}", self.scheme, self.host, path)
        }
    }

    /// Sends a request, answering a 401 challenge once with basic auth or a
    /// bearer token for `scope`.
    fn send(
        &self,
        what: &str,
        scope: &str,
        build: &dyn Fn(&Http) -> RequestBuilder,
    ) -> Result<Response, Error> {
        let unreachable = |source| Error::Unreachable {
            host: self.host.clone(),
            source,
        };
        let mut req = build(&self.http);
        if let Some(t) = self.tokens.borrow().get(scope) {
            req = req.bearer_auth(t);
        } else if let (true, Some(c)) = (self.basic.get(), &self.creds) {
            req = req.basic_auth(&c.username, Some(&c.password));
        }
        let resp = req.send().map_err(unreachable)?;
        if resp.status() != StatusCode::UNAUTHORIZED {
            return Ok(resp);
        }
        let challenge = resp
            .headers()
            .get(reqwest::header::WWW_AUTHENTICATE)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("")
            .to_string();
        let (kind, params) = challenge_params(&challenge);
        let denied = |status: StatusCode| Error::Unauthorized {
            host: self.host.clone(),
            status: status.to_string(),
        };
        let resp = match kind.as_str() {
            "bearer" => {
                let token = if self.force_oauth2.get() && self.creds.is_some() {
                    self.fetch_oauth2_token(&params, scope)?
                } else {
                    self.fetch_token(&params, scope)?
                };
                self.tokens
                    .borrow_mut()
                    .insert(scope.to_string(), token.clone());
                build(&self.http)
                    .bearer_auth(token)
                    .send()
                    .map_err(unreachable)?
            }
            _ => {
                let Some(c) = &self.creds else {
                    return Err(denied(resp.status()));
                };
                let resp = build(&self.http)
                    .basic_auth(&c.username, Some(&c.password))
                    .send()
                    .map_err(unreachable)?;
                if resp.status() != StatusCode::UNAUTHORIZED {
                    self.basic.set(true);
                }
                resp
            }
        };
        if resp.status() == StatusCode::UNAUTHORIZED || resp.status() == StatusCode::FORBIDDEN {
            return Err(denied(resp.status()));
        }
        let _ = what;
        Ok(resp)
    }

    /// The distribution token flow: GET realm?service=..&scope=.. with the
    /// credentials as basic auth (anonymous when there are none).
    fn fetch_token(
        &self,
        params: &std::collections::BTreeMap<String, String>,
        scope: &str,
    ) -> Result<String, Error> {
        let realm = params.get("realm").ok_or_else(|| Error::Unauthorized {
            host: self.host.clone(),
            status: "bearer challenge without realm".into(),
        })?;
        let mut url = reqwest::Url::parse(realm).map_err(|e| Error::Unauthorized {
            host: self.host.clone(),
            status: format!("bearer realm {realm:?} is not a URL: {e}"),
        })?;
        {
            let mut q = url.query_pairs_mut();
            if let Some(s) = params.get("service") {
                q.append_pair("service", s);
            }
            if !scope.is_empty() {
                q.append_pair("scope", scope);
            }
        }
        let mut req = self.http.get(url);
        if let Some(c) = &self.creds {
            req = req.basic_auth(&c.username, Some(&c.password));
        }
        let resp = req.send().map_err(|source| Error::Unreachable {
            host: self.host.clone(),
            source,
        })?;
        if !resp.status().is_success() {
            return Err(Error::Unauthorized {
                host: self.host.clone(),
                status: resp.status().to_string(),
            });
        }
        let v: serde_json::Value = resp.json_value()?;
        v.get("token")
            .or_else(|| v.get("access_token"))
            .and_then(|t| t.as_str())
            .map(str::to_string)
            .ok_or_else(|| Error::Manifest("token endpoint returned no token".into()))
    }

    /// ORAS's OAuth2 password grant (`auth.Client` with
    /// `ForceAttemptOAuth2`): POST realm with `grant_type=password`, the
    /// credentials, `service`, `scope` and ORAS's default `client_id`; the
    /// answer's `access_token` is the bearer token.
    fn fetch_oauth2_token(
        &self,
        params: &std::collections::BTreeMap<String, String>,
        scope: &str,
    ) -> Result<String, Error> {
        let denied = |status: String| Error::Unauthorized {
            host: self.host.clone(),
            status,
        };
        let realm = params
            .get("realm")
            .ok_or_else(|| denied("bearer challenge without realm".into()))?;
        let url = reqwest::Url::parse(realm)
            .map_err(|e| denied(format!("bearer realm {realm:?} is not a URL: {e}")))?;
        let Some(creds) = self.creds.clone() else {
            return Err(denied("OAuth2 token request without credentials".into()));
        };
        let mut form = reqwest::Url::parse("http://form.invalid/").expect("constant URL");
        {
            let mut q = form.query_pairs_mut();
            q.append_pair("grant_type", "password");
            q.append_pair("username", &creds.username);
            q.append_pair("password", &creds.password);
            if let Some(s) = params.get("service") {
                q.append_pair("service", s);
            }
            q.append_pair("client_id", "oras-go");
            if !scope.is_empty() {
                q.append_pair("scope", scope);
            }
        }
        let body = form.query().unwrap_or("").to_string();
        let resp = self
            .http
            .post(url)
            .header(
                reqwest::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .body(body)
            .send()
            .map_err(|source| Error::Unreachable {
                host: self.host.clone(),
                source,
            })?;
        if !resp.status().is_success() {
            return Err(denied(format!("OAuth2 token request: {}", resp.status())));
        }
        let v: serde_json::Value = resp.json_value()?;
        v.get("access_token")
            .and_then(|t| t.as_str())
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .ok_or_else(|| denied("OAuth2 token response without access_token".into()))
    }

    /// `registry login`'s check, as Helm v4's `Client.Login` does it: ping
    /// with ORAS's `ForceAttemptOAuth2` on (a bearer challenge is answered by
    /// an OAuth2 password grant); when that is refused, ping again with it off
    /// (the distribution token GET with basic auth), since registries such as
    /// GHCR do not take the POST. Unlike Helm, an unreachable registry is not
    /// tried twice, so that the error comes back in bounded time.
    pub fn login_ping(&self) -> Result<(), Error> {
        self.force_oauth2.set(true);
        let first = self.ping();
        self.force_oauth2.set(false);
        match first {
            Err(Error::Unreachable { .. }) => first,
            Err(_) => {
                self.tokens.borrow_mut().clear();
                self.ping()
            }
            Ok(()) => Ok(()),
        }
    }

    fn check(what: &str, resp: Response) -> Result<Response, Error> {
        if resp.status().is_success() {
            return Ok(resp);
        }
        let status = resp.status().as_u16();
        let mut body = String::new();
        let _ = resp.take(2048).read_to_string(&mut body);
        Err(Error::Status {
            what: what.to_string(),
            status,
            body: body.trim().to_string(),
        })
    }

    /// `GET /v2/`: reachability and credentials (`registry login`).
    pub fn ping(&self) -> Result<(), Error> {
        let url = self.url("/v2/");
        let resp = self.send("ping", "", &|h| h.get(&url))?;
        Self::check("ping", resp).map(|_| ())
    }

    fn scope(repo: &str, push: bool) -> String {
        format!(
            "repository:{repo}:{}",
            if push { "pull,push" } else { "pull" }
        )
    }

    /// Fetches a manifest by tag or digest: (bytes, its sha256 digest).
    pub fn get_manifest(
        &self,
        repo: &str,
        reference: &str,
        accept: &[&str],
    ) -> Result<(Vec<u8>, String), Error> {
        let url = self.url(&format!("/v2/{repo}/manifests/{reference}"));
        let accept = accept.join(", ");
        let what = format!("fetching manifest {repo}:{reference}");
        let resp = self.send(&what, &Self::scope(repo, false), &|h| {
            h.get(&url).header(reqwest::header::ACCEPT, &accept)
        })?;
        if resp.status() == StatusCode::NOT_FOUND {
            return Err(Error::Version(format!(
                "{}/{repo}:{reference}: not found",
                self.host
            )));
        }
        let bytes = read_limited(Self::check(&what, resp)?, MAX_BLOB)?;
        let digest = digest_of(&bytes);
        if reference.starts_with("sha256:") && digest != reference {
            return Err(Error::Digest {
                what: format!("manifest {repo}@{reference}"),
                expected: reference.to_string(),
                actual: digest,
            });
        }
        Ok((bytes, digest))
    }

    /// Stores a manifest under `tag`; returns its digest.
    pub fn put_manifest(
        &self,
        repo: &str,
        tag: &str,
        body: &[u8],
        media_type: &str,
    ) -> Result<String, Error> {
        let url = self.url(&format!("/v2/{repo}/manifests/{tag}"));
        let what = format!("pushing manifest {repo}:{tag}");
        let resp = self.send(&what, &Self::scope(repo, true), &|h| {
            h.put(&url)
                .header(reqwest::header::CONTENT_TYPE, media_type)
                .body(body.to_vec())
        })?;
        Self::check(&what, resp)?;
        Ok(digest_of(body))
    }

    /// Uploads a blob unless the registry has it; returns its digest.
    pub fn push_blob(&self, repo: &str, data: &[u8]) -> Result<String, Error> {
        let digest = digest_of(data);
        let head = self.url(&format!("/v2/{repo}/blobs/{digest}"));
        let scope = Self::scope(repo, true);
        let resp = self.send("checking blob", &scope, &|h| h.request(Method::HEAD, &head))?;
        if resp.status().is_success() {
            return Ok(digest);
        }
        let start = self.url(&format!("/v2/{repo}/blobs/uploads/"));
        let what = format!("starting upload to {repo}");
        let resp = Self::check(&what, self.send(&what, &scope, &|h| h.post(&start))?)?;
        let location = resp
            .headers()
            .get(reqwest::header::LOCATION)
            .and_then(|l| l.to_str().ok())
            .ok_or_else(|| Error::Manifest(format!("{what}: no upload location")))?
            .to_string();
        let sep = if location.contains('?') { '&' } else { '?' };
        let put = self.url(&format!("{location}{sep}digest={digest}"));
        let what = format!("uploading blob {digest}");
        let resp = self.send(&what, &scope, &|h| {
            h.put(&put)
                .header(reqwest::header::CONTENT_TYPE, "application/octet-stream")
                .body(data.to_vec())
        })?;
        Self::check(&what, resp)?;
        Ok(digest)
    }

    /// Downloads a blob and checks it against `digest`.
    pub fn get_blob(&self, repo: &str, digest: &str, size: Option<u64>) -> Result<Vec<u8>, Error> {
        let limit = size.unwrap_or(MAX_BLOB).min(MAX_BLOB);
        let url = self.url(&format!("/v2/{repo}/blobs/{digest}"));
        let what = format!("fetching blob {digest}");
        let resp = Self::check(
            &what,
            self.send(&what, &Self::scope(repo, false), &|h| h.get(&url))?,
        )?;
        let bytes = read_limited(resp, limit)?;
        let actual = digest_of(&bytes);
        if actual != digest {
            return Err(Error::Digest {
                what: format!("blob of {repo}"),
                expected: digest.to_string(),
                actual,
            });
        }
        Ok(bytes)
    }

    /// Every tag of `repo`, following `Link` pagination.
    pub fn list_tags(&self, repo: &str) -> Result<Vec<String>, Error> {
        let mut tags = Vec::new();
        let mut next = Some(format!("/v2/{repo}/tags/list?n=1000"));
        let what = format!("listing tags of {repo}");
        while let Some(path) = next.take() {
            let url = self.url(&path);
            let resp = self.send(&what, &Self::scope(repo, false), &|h| h.get(&url))?;
            if resp.status() == StatusCode::NOT_FOUND {
                break;
            }
            let resp = Self::check(&what, resp)?;
            next = resp
                .headers()
                .get(reqwest::header::LINK)
                .and_then(|l| l.to_str().ok())
                .and_then(|l| l.split_once('<'))
                .and_then(|(_, r)| r.split_once('>'))
                .map(|(u, _)| u.to_string());
            let v = resp.json_value()?;
            if let Some(list) = v.get("tags").and_then(|t| t.as_array()) {
                tags.extend(list.iter().filter_map(|t| t.as_str().map(str::to_string)));
            }
        }
        Ok(tags)
    }

    /// The registry host.
    pub fn host(&self) -> &str {
        &self.host
    }
}

fn read_limited(resp: Response, limit: u64) -> Result<Vec<u8>, Error> {
    let mut out = Vec::new();
    resp.take(limit + 1)
        .read_to_end(&mut out)
        .map_err(|e| Error::Io {
            path: "response body".into(),
            source: e,
        })?;
    if out.len() as u64 > limit {
        return Err(Error::Manifest(format!(
            "response larger than {limit} bytes refused"
        )));
    }
    Ok(out)
}

trait JsonBody {
    fn json_value(self) -> Result<serde_json::Value, Error>;
}

impl JsonBody for Response {
    fn json_value(self) -> Result<serde_json::Value, Error> {
        let bytes = read_limited(self, 4 << 20)?;
        serde_json::from_slice(&bytes)
            .map_err(|e| Error::Manifest(format!("invalid JSON from registry: {e}")))
    }
}
