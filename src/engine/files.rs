//! `.Files`: a chart's non-template files and their methods (Helm's
//! `pkg/engine/files.go`).
//!
//! Owns `Get`, `GetBytes`, `Glob`, `Lines`, `AsConfig` and `AsSecrets`, and
//! the gobwas/glob pattern dialect `Glob` uses. Which files are in the set is
//! decided by the chart loader.

use std::any::Any;
use std::collections::BTreeMap;
use std::rc::Rc;

use origan_gotmpl::{ElemType, Object, Param, Value};
use origan_yaml::Data;

use super::convert::base64;

/// A chart's files by path (`/`-separated, relative to the chart root).
#[derive(Clone, Default)]
pub struct Files {
    files: Rc<BTreeMap<String, Rc<[u8]>>>,
}

impl Files {
    /// A set of files.
    pub fn new(files: BTreeMap<String, Rc<[u8]>>) -> Files {
        Files {
            files: Rc::new(files),
        }
    }

    fn get(&self, name: &str) -> Option<&Rc<[u8]>> {
        self.files.get(name)
    }

    /// `Glob`: the files whose path matches `pattern`. Helm falls back to
    /// `**` (everything) when the pattern does not compile.
    fn glob(&self, pattern: &str) -> Files {
        let matched = self
            .files
            .iter()
            .filter(|(k, _)| glob_match(pattern, k).unwrap_or(true))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        Files::new(matched)
    }

    /// `AsConfig` / `AsSecrets`: `toYaml` of `{basename: content}`.
    fn as_yaml(&self, encode: bool) -> String {
        let mut m = BTreeMap::new();
        for (k, v) in self.files.iter() {
            let base = k.rsplit('/').next().unwrap_or(k).to_string();
            let text = if encode {
                base64(v)
            } else {
                String::from_utf8_lossy(v).into_owned()
            };
            m.insert(base, Data::String(text));
        }
        // Helm ignores the error and returns "" (it cannot fail on strings).
        origan_yaml::to_yaml(&Data::Map(m)).unwrap_or_default()
    }
}

impl Object for Files {
    fn type_name(&self) -> String {
        "engine.files".to_string()
    }
    fn kind_name(&self) -> &'static str {
        "map"
    }
    fn member(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        let arg = |i: usize| -> Result<&str, String> {
            match args.get(i) {
                Some(Value::String(s)) => Ok(s),
                Some(other) => Err(format!(
                    "wrong type for value; expected string; got {}",
                    other.type_name()
                )),
                None => Err(format!("wrong number of args for {name}: want 1 got 0")),
            }
        };
        Some((|| {
            Ok(match name {
                "Get" => {
                    let f = self.get(arg(0)?);
                    Value::str(
                        f.map(|b| String::from_utf8_lossy(b).into_owned())
                            .unwrap_or_default(),
                    )
                }
                "GetBytes" => Value::Bytes(
                    self.get(arg(0)?)
                        .cloned()
                        .unwrap_or_else(|| Rc::from(&[][..])),
                ),
                "Glob" => Value::Object(Rc::new(self.glob(arg(0)?))),
                "Lines" => {
                    let Some(f) = self.get(arg(0)?) else {
                        return Ok(Value::typed_list(Vec::new(), ElemType::String));
                    };
                    let text = String::from_utf8_lossy(f);
                    let text = text.strip_suffix('\n').unwrap_or(&text);
                    Value::typed_list(text.split('\n').map(Value::str).collect(), ElemType::String)
                }
                "AsConfig" => Value::str(self.as_yaml(false)),
                "AsSecrets" => Value::str(self.as_yaml(true)),
                _ => return Err(String::new()),
            })
        })())
        .and_then(|r| match r {
            Err(e) if e.is_empty() => None,
            r => Some(r),
        })
    }
    fn is_method(&self, name: &str) -> bool {
        matches!(
            name,
            "Get" | "GetBytes" | "Glob" | "Lines" | "AsConfig" | "AsSecrets"
        )
    }
    fn template_string(&self) -> String {
        let parts: Vec<String> = self
            .files
            .iter()
            .map(|(k, v)| {
                let bytes: Vec<String> = v.iter().map(|b| b.to_string()).collect();
                format!("{k}:[{}]", bytes.join(" "))
            })
            .collect();
        format!("map[{}]", parts.join(" "))
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn method_params(&self, name: &str) -> Option<(Vec<Param>, Option<Param>)> {
        match name {
            "Get" | "GetBytes" | "Glob" | "Lines" => Some((vec![Param::String], None)),
            "AsConfig" | "AsSecrets" => Some((vec![], None)),
            _ => None,
        }
    }
    /// `engine.files` is a Go map: ranging, `index` and `len` see its entries.
    fn collection(&self) -> Option<Value> {
        let entries = self
            .files
            .iter()
            .map(|(k, v)| (k.clone(), Value::Bytes(v.clone())))
            .collect();
        Some(Value::typed_map(entries, ElemType::Any))
    }
}

/// gobwas/glob with `/` as separator: `*` and `?` stay within a path
/// segment, `**` crosses segments, `[abc]`/`[!a-z]` classes, `{a,b}`
/// alternatives, `\` escapes. `None` when the pattern does not compile.
pub fn glob_match(pattern: &str, name: &str) -> Option<bool> {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    validate(&p)?;
    Some(match_from(&p, 0, &n, 0, 0))
}

fn validate(p: &[char]) -> Option<()> {
    let (mut braces, mut i) = (0i32, 0);
    while i < p.len() {
        match p[i] {
            '\\' => i += 1,
            '[' => {
                let close = p[i + 1..].iter().position(|&c| c == ']')?;
                i += close + 1;
            }
            '{' => braces += 1,
            '}' => {
                braces -= 1;
                if braces < 0 {
                    return None;
                }
            }
            _ => {}
        }
        i += 1;
    }
    (braces == 0 && !p.ends_with(&['\\'])).then_some(())
}

const MAX_STEPS: usize = 100_000;

fn match_from(p: &[char], pi: usize, n: &[char], ni: usize, steps: usize) -> bool {
    if steps > MAX_STEPS {
        return false;
    }
    if pi == p.len() {
        return ni == n.len();
    }
    match p[pi] {
        '*' if p.get(pi + 1) == Some(&'*') => {
            (ni..=n.len()).any(|k| match_from(p, pi + 2, n, k, steps + 1))
        }
        '*' => {
            let mut k = ni;
            loop {
                if match_from(p, pi + 1, n, k, steps + 1) {
                    return true;
                }
                if k == n.len() || n[k] == '/' {
                    return false;
                }
                k += 1;
            }
        }
        '?' => ni < n.len() && n[ni] != '/' && match_from(p, pi + 1, n, ni + 1, steps + 1),
        '[' => {
            let Some(close) = p[pi + 1..]
                .iter()
                .position(|&c| c == ']')
                .map(|c| c + pi + 1)
            else {
                return false;
            };
            if ni >= n.len() {
                return false;
            }
            let mut class = &p[pi + 1..close];
            let negate = class.first() == Some(&'!');
            if negate {
                class = &class[1..];
            }
            let c = n[ni];
            let mut hit = false;
            let mut i = 0;
            while i < class.len() {
                if i + 2 < class.len() && class[i + 1] == '-' {
                    hit |= class[i] <= c && c <= class[i + 2];
                    i += 3;
                } else {
                    hit |= class[i] == c;
                    i += 1;
                }
            }
            hit != negate && match_from(p, close + 1, n, ni + 1, steps + 1)
        }
        '{' => {
            // Find the matching close brace and the top-level alternatives.
            let (mut depth, mut end, mut alts, mut start) = (0, pi, Vec::new(), pi + 1);
            for (i, &c) in p.iter().enumerate().skip(pi) {
                match c {
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            alts.push(&p[start..i]);
                            end = i;
                            break;
                        }
                    }
                    ',' if depth == 1 => {
                        alts.push(&p[start..i]);
                        start = i + 1;
                    }
                    _ => {}
                }
            }
            alts.iter().any(|alt| {
                let mut q: Vec<char> = alt.to_vec();
                q.extend_from_slice(&p[end + 1..]);
                match_from(&q, 0, n, ni, steps + 1)
            })
        }
        '\\' if pi + 1 < p.len() => {
            ni < n.len() && n[ni] == p[pi + 1] && match_from(p, pi + 2, n, ni + 1, steps + 1)
        }
        c => ni < n.len() && n[ni] == c && match_from(p, pi + 1, n, ni + 1, steps + 1),
    }
}

#[cfg(test)]
mod tests {
    use super::glob_match;

    #[test]
    fn star_stays_in_segment_double_star_crosses() {
        assert_eq!(glob_match("files/*.json", "files/a.json"), Some(true));
        assert_eq!(glob_match("files/*.json", "files/x/a.json"), Some(false));
        assert_eq!(glob_match("files/**.json", "files/x/a.json"), Some(true));
        assert_eq!(glob_match("**", "a/b/c"), Some(true));
    }

    #[test]
    fn classes_alternatives_and_bad_patterns() {
        assert_eq!(glob_match("a/[bc].txt", "a/c.txt"), Some(true));
        assert_eq!(glob_match("a/[!bc].txt", "a/c.txt"), Some(false));
        assert_eq!(glob_match("{a,b}/*", "b/x"), Some(true));
        assert_eq!(glob_match("a/[b", "a/b"), None);
    }
}
