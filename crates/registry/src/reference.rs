//! `oci://host[:port]/repo/name[:tag][@sha256:digest]` references, with
//! Helm's `+` → `_` in tags (OCI tags may not contain `+`).

use crate::Error;

/// A parsed OCI reference.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reference {
    /// `host[:port]`
    pub registry: String,
    /// The repository path, e.g. `charts/origan`.
    pub repository: String,
    /// The tag as the registry stores it (`_` for `+`).
    pub tag: Option<String>,
    /// `sha256:...`
    pub digest: Option<String>,
}

impl Reference {
    /// Parses a reference with or without the `oci://` scheme.
    pub fn parse(s: &str) -> Result<Reference, Error> {
        let bad = |reason: &str| Error::Reference {
            reference: s.to_string(),
            reason: reason.to_string(),
        };
        let rest = s.strip_prefix("oci://").unwrap_or(s);
        let (rest, digest) = match rest.split_once('@') {
            Some((r, d)) => {
                let hex = d
                    .strip_prefix("sha256:")
                    .ok_or_else(|| bad("digest must be sha256:<hex>"))?;
                if hex.len() != 64
                    || !hex
                        .bytes()
                        .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
                {
                    return Err(bad(
                        "digest must be sha256 followed by 64 lowercase hex digits",
                    ));
                }
                (r, Some(d.to_string()))
            }
            None => (rest, None),
        };
        let (registry, path) = rest
            .split_once('/')
            .ok_or_else(|| bad("missing repository"))?;
        if registry.is_empty() {
            return Err(bad("missing registry host"));
        }
        // A tag is after the last ':' of the last path segment.
        let (repository, tag) = match path.rsplit_once('/') {
            Some((dir, last)) => match last.split_once(':') {
                Some((name, tag)) => (format!("{dir}/{name}"), Some(tag.to_string())),
                None => (path.to_string(), None),
            },
            None => match path.split_once(':') {
                Some((name, tag)) => (name.to_string(), Some(tag.to_string())),
                None => (path.to_string(), None),
            },
        };
        if repository.is_empty()
            || !repository
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-/".contains(&b))
        {
            return Err(bad("repository must be lowercase letters, digits and ._-/"));
        }
        let tag = tag.map(|t| t.replace('+', "_"));
        if let Some(t) = &tag
            && (t.is_empty()
                || t.len() > 128
                || !t
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b)))
        {
            return Err(bad("invalid tag"));
        }
        Ok(Reference {
            registry: registry.to_string(),
            repository,
            tag,
            digest,
        })
    }

    /// `host/repo:tag` (or `@digest`), as Helm prints it after `Pulled:`.
    pub fn to_display(&self) -> String {
        let mut s = format!("{}/{}", self.registry, self.repository);
        if let Some(t) = &self.tag {
            s.push(':');
            s.push_str(t);
        }
        if let Some(d) = &self.digest {
            s.push('@');
            s.push_str(d);
        }
        s
    }

    /// The last path segment: the chart name.
    pub fn name(&self) -> &str {
        self.repository
            .rsplit('/')
            .next()
            .unwrap_or(&self.repository)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_tags_digests_and_ports() {
        let r = Reference::parse("oci://127.0.0.1:5000/charts/origan:0.1.0+b1").unwrap();
        assert_eq!(r.registry, "127.0.0.1:5000");
        assert_eq!(r.repository, "charts/origan");
        assert_eq!(r.tag.as_deref(), Some("0.1.0_b1"));
        let d = format!("sha256:{}", "a".repeat(64));
        let r = Reference::parse(&format!("oci://r.io/c@{d}")).unwrap();
        assert_eq!(r.digest.as_deref(), Some(d.as_str()));
        assert_eq!(r.tag, None);
    }

    #[test]
    fn refuses_bad_references() {
        assert!(Reference::parse("oci://host").is_err());
        assert!(Reference::parse("oci://host/Upper").is_err());
        assert!(Reference::parse("oci://host/c@sha256:zz").is_err());
    }
}
