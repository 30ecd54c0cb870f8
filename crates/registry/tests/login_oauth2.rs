//! `Client::login_ping` against a scripted token-auth registry on loopback:
//! Helm v4's login first answers a bearer challenge with an OAuth2 password
//! grant (POST), and when the token endpoint refuses it (GHCR answers the
//! POST with 405) pings again with the distribution token GET. The server
//! here records every request so that the exact conversation is checked.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use origan_registry::{Client, ClientOptions, Credentials};

/// One request as the server saw it: method, path (without query), whether
/// it carried `Authorization: Basic`/`Bearer`, and the body.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    path: String,
    auth: String,
    body: String,
}

/// Serves until the test ends. `oauth2_ok`: whether POST /token is honoured.
fn serve(oauth2_ok: bool) -> (String, Arc<Mutex<Vec<Seen>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let host = listener.local_addr().unwrap().to_string();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let realm = format!("http://{host}/token");
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            let mut parts = line.split_whitespace();
            let method = parts.next().unwrap_or("").to_string();
            let target = parts.next().unwrap_or("").to_string();
            let path = target.split('?').next().unwrap_or("").to_string();
            let (mut auth, mut len) = (String::new(), 0usize);
            loop {
                let mut h = String::new();
                reader.read_line(&mut h).unwrap();
                let h = h.trim_end();
                if h.is_empty() {
                    break;
                }
                let (k, v) = h.split_once(':').unwrap_or((h, ""));
                match k.to_ascii_lowercase().as_str() {
                    "authorization" => auth = v.trim().split(' ').next().unwrap_or("").to_string(),
                    "content-length" => len = v.trim().parse().unwrap_or(0),
                    _ => {}
                }
            }
            let mut body = vec![0; len];
            reader.read_exact(&mut body).unwrap();
            let body = String::from_utf8_lossy(&body).into_owned();
            let (status, extra, payload) = match (method.as_str(), path.as_str()) {
                ("GET", "/v2/") if auth == "Bearer" => ("200 OK", String::new(), "{}".to_string()),
                ("GET", "/v2/") => (
                    "401 Unauthorized",
                    format!("WWW-Authenticate: Bearer realm=\"{realm}\",service=\"test\"\r\n"),
                    "{}".to_string(),
                ),
                ("POST", "/token") if oauth2_ok && body.contains("grant_type=password") => (
                    "200 OK",
                    String::new(),
                    r#"{"access_token":"t1"}"#.to_string(),
                ),
                ("POST", "/token") => ("405 Method Not Allowed", String::new(), String::new()),
                ("GET", "/token") if auth == "Basic" => {
                    ("200 OK", String::new(), r#"{"token":"t2"}"#.to_string())
                }
                _ => ("404 Not Found", String::new(), String::new()),
            };
            log.lock().unwrap().push(Seen {
                method,
                path,
                auth,
                body,
            });
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\n{extra}Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{payload}",
                payload.len()
            );
        }
    });
    (host, seen)
}

fn client(host: &str) -> Client {
    Client::new(
        host,
        Some(Credentials {
            username: "user".into(),
            password: "p&ss word".into(),
        }),
        &ClientOptions {
            plain_http: true,
            ..Default::default()
        },
    )
    .unwrap()
}

fn conversation(seen: &Arc<Mutex<Vec<Seen>>>) -> Vec<String> {
    seen.lock()
        .unwrap()
        .iter()
        .map(|s| format!("{} {} {}", s.method, s.path, s.auth))
        .collect()
}

#[test]
fn oauth2_refused_then_distribution_token() {
    let (host, seen) = serve(false);
    client(&host)
        .login_ping()
        .expect("login falls back to the token GET");
    assert_eq!(
        conversation(&seen),
        [
            "GET /v2/ ",
            "POST /token ",
            "GET /v2/ ",
            "GET /token Basic",
            "GET /v2/ Bearer"
        ]
    );
    let post = seen.lock().unwrap()[1].body.clone();
    for field in [
        "grant_type=password",
        "username=user",
        "password=p%26ss+word",
        "service=test",
        "client_id=oras-go",
    ] {
        assert!(post.contains(field), "{field} not in {post}");
    }
}

#[test]
fn oauth2_honoured_needs_one_round() {
    let (host, seen) = serve(true);
    client(&host).login_ping().expect("OAuth2 login");
    assert_eq!(
        conversation(&seen),
        ["GET /v2/ ", "POST /token ", "GET /v2/ Bearer"]
    );
}

#[test]
fn pulls_never_use_oauth2() {
    // Outside login, ORAS's default (ForceAttemptOAuth2 off) holds.
    let (host, seen) = serve(true);
    client(&host).ping().unwrap();
    assert_eq!(
        conversation(&seen),
        ["GET /v2/ ", "GET /token Basic", "GET /v2/ Bearer"]
    );
}
