//! Sprig's URL and path functions: `urlParse`, `urlJoin`, `base`, `dir`,
//! `clean`, `ext`, `isAbs`, their `os*` (`path/filepath`) twins, and
//! `getHostByName`.
//!
//! Owns Go's `path` package semantics (`filepath` is the same on Unix) and
//! the dict shapes Sprig builds from `net/url`. Does not own URL parsing
//! itself (see `gourl`). `getHostByName` is registered as Helm registers it
//! without `--enable-dns`: it returns "" and never touches the network.

mod gourl;

use std::collections::BTreeMap;

use origan_gotmpl::{ElemType, Func, FuncError, FuncMap, Param, Value};

use crate::encoding::{arg_str, str_fn};

pub(crate) fn register(funcs: &mut FuncMap) {
    // {{ base "/a/b/c.txt" }} → c.txt
    str_fn(funcs, "base", base);
    str_fn(funcs, "osBase", base);
    // {{ dir "/a/b/c.txt" }} → /a/b
    str_fn(funcs, "dir", dir);
    str_fn(funcs, "osDir", dir);
    // {{ clean "a//b/../c" }} → a/c
    str_fn(funcs, "clean", clean);
    str_fn(funcs, "osClean", clean);
    // {{ ext "x.tar.gz" }} → .gz
    str_fn(funcs, "ext", |p| ext(p).to_string());
    str_fn(funcs, "osExt", |p| ext(p).to_string());
    for name in ["isAbs", "osIsAbs"] {
        // {{ isAbs "/a" }} → true
        funcs.insert(
            name,
            Func::new(&[Param::String], |a| {
                Ok(Value::Bool(arg_str(a, 0)?.starts_with('/')))
            }),
        );
    }
    // {{ getHostByName "example.com" }} → "" (Helm's default, no DNS; see
    // `dns_get_host_by_name` for `--enable-dns`)
    str_fn(funcs, "getHostByName", |_| String::new());
    // {{ (urlParse "https://h:8/p?q#f").host }} → h:8
    funcs.insert(
        "urlParse",
        Func::new(&[Param::String], |a| url_parse(arg_str(a, 0)?)),
    );
    // {{ urlJoin (dict "scheme" "https" "host" "h" "path" "/p") }} → https://h/p
    funcs.insert(
        "urlJoin",
        Func::new(&[Param::Map(ElemType::Any)], |a| match a.first() {
            Some(Value::Map(m)) => url_join(&m.entries.borrow()),
            _ => Err(FuncError::new("urlJoin: expected a map")),
        }),
    );
}

/// Sprig's real `getHostByName`, which Helm installs only with
/// `--enable-dns`: one of the name's addresses, picked at random. With no
/// address Go panics in `rand.Intn(0)`, hence the error text.
pub fn dns_get_host_by_name() -> Func {
    // {{ getHostByName "localhost" }} → 127.0.0.1 (with --enable-dns)
    Func::new(&[Param::String], |a| {
        use std::net::ToSocketAddrs;
        let mut addrs: Vec<String> = Vec::new();
        if let Ok(found) = (arg_str(a, 0)?, 0).to_socket_addrs() {
            for addr in found {
                let ip = addr.ip().to_string();
                if !addrs.contains(&ip) {
                    addrs.push(ip);
                }
            }
        }
        if addrs.is_empty() {
            return Err(FuncError::new("invalid argument to Intn"));
        }
        Ok(Value::str(
            addrs[rand::random_range(0..addrs.len())].as_str(),
        ))
    })
}

/// Go's `path.Clean` (its lazybuf: a buffer with a write index `w`).
pub(crate) fn clean(path: &str) -> String {
    if path.is_empty() {
        return ".".to_string();
    }
    let p = path.as_bytes();
    let rooted = p[0] == b'/';
    let n = p.len();
    let mut buf: Vec<u8> = vec![0; n + 2];
    let mut w = 0;
    let (mut r, mut dotdot) = (0, 0);
    let append = |buf: &mut Vec<u8>, w: &mut usize, c: u8| {
        buf[*w] = c;
        *w += 1;
    };
    if rooted {
        append(&mut buf, &mut w, b'/');
        r = 1;
        dotdot = 1;
    }
    while r < n {
        if p[r] == b'/' || (p[r] == b'.' && (r + 1 == n || p[r + 1] == b'/')) {
            r += 1;
        } else if p[r] == b'.' && p.get(r + 1) == Some(&b'.') && (r + 2 == n || p[r + 2] == b'/') {
            r += 2;
            if w > dotdot {
                w -= 1;
                while w > dotdot && buf[w] != b'/' {
                    w -= 1;
                }
            } else if !rooted {
                if w > 0 {
                    append(&mut buf, &mut w, b'/');
                }
                append(&mut buf, &mut w, b'.');
                append(&mut buf, &mut w, b'.');
                dotdot = w;
            }
        } else {
            if (rooted && w != 1) || (!rooted && w != 0) {
                append(&mut buf, &mut w, b'/');
            }
            while r < n && p[r] != b'/' {
                append(&mut buf, &mut w, p[r]);
                r += 1;
            }
        }
    }
    if w == 0 {
        return ".".to_string();
    }
    String::from_utf8_lossy(&buf[..w]).into_owned()
}

/// Go's `path.Base`.
pub(crate) fn base(path: &str) -> String {
    if path.is_empty() {
        return ".".to_string();
    }
    let trimmed = path.trim_end_matches('/');
    let last = match trimmed.rfind('/') {
        Some(i) => &trimmed[i + 1..],
        None => trimmed,
    };
    if last.is_empty() {
        "/".to_string()
    } else {
        last.to_string()
    }
}

/// Go's `path.Dir`.
pub(crate) fn dir(path: &str) -> String {
    let i = path.rfind('/').map_or(0, |i| i + 1);
    clean(&path[..i])
}

/// Go's `path.Ext`.
pub(crate) fn ext(path: &str) -> &str {
    for (i, b) in path.bytes().enumerate().rev() {
        if b == b'/' {
            break;
        }
        if b == b'.' {
            return &path[i..];
        }
    }
    ""
}

/// Sprig's `urlParse`: a dict of the URL's parts (a parse error is a panic
/// in Sprig, so an error here).
fn url_parse(raw: &str) -> Result<Value, FuncError> {
    let u = gourl::parse(raw).map_err(|e| FuncError::new(format!("unable to parse url: {e}")))?;
    let mut d = BTreeMap::new();
    let userinfo = u.user.as_ref().map(gourl::Userinfo::to_go_string);
    d.insert("scheme".to_string(), Value::str(u.scheme.as_str()));
    d.insert("host".to_string(), Value::str(u.host.as_str()));
    d.insert("hostname".to_string(), Value::str(u.hostname()));
    d.insert("path".to_string(), Value::str(u.path.as_str()));
    d.insert("query".to_string(), Value::str(u.raw_query.as_str()));
    d.insert("opaque".to_string(), Value::str(u.opaque.as_str()));
    d.insert("fragment".to_string(), Value::str(u.fragment.as_str()));
    d.insert(
        "userinfo".to_string(),
        Value::str(userinfo.unwrap_or_default()),
    );
    Ok(Value::map(d))
}

/// Sprig's `dictGetOrEmpty`: missing → "", non-string → a panic naming the
/// value's kind.
fn dict_get(d: &BTreeMap<String, Value>, key: &str) -> Result<String, FuncError> {
    match d.get(key) {
        None => Ok(String::new()),
        Some(Value::String(s)) => Ok(s.to_string()),
        // reflect.TypeOf(nil).Kind() dereferences a nil Type.
        Some(Value::Nil) => Err(FuncError::new(
            "runtime error: invalid memory address or nil pointer dereference",
        )),
        Some(v) => Err(FuncError::new(format!(
            "unable to parse {key} key, must be of type string, but {} found",
            v.kind_name()
        ))),
    }
}

/// Sprig's `urlJoin`.
fn url_join(d: &BTreeMap<String, Value>) -> Result<Value, FuncError> {
    let mut u = gourl::Url {
        scheme: dict_get(d, "scheme")?,
        host: dict_get(d, "host")?,
        path: dict_get(d, "path")?,
        raw_query: dict_get(d, "query")?,
        opaque: dict_get(d, "opaque")?,
        fragment: dict_get(d, "fragment")?,
        ..Default::default()
    };
    let userinfo = dict_get(d, "userinfo")?;
    if !userinfo.is_empty() {
        let temp = gourl::parse(&format!("proto://{userinfo}@host"))
            .map_err(|e| FuncError::new(format!("unable to parse userinfo in dict: {e}")))?;
        u.user = temp.user;
    }
    Ok(Value::str(u.to_go_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_matches_go() {
        for (i, o) in [
            ("", "."),
            ("a//b/../c", "a/c"),
            ("/../a", "/a"),
            ("../../a", "../../a"),
            ("a/../..", ".."),
            ("/a/b/", "/a/b"),
            ("a/b/../../..", ".."),
            ("/a/b/../..", "/"),
            ("abc/def/../ghi", "abc/ghi"),
        ] {
            assert_eq!(clean(i), o, "{i}");
        }
    }
}
