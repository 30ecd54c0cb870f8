//! Cases from the Helm-produced function corpus (`shared/conformance/functions/*.jsonl`)
//! whose template is a single `toYaml`/`toJson`-family action (optionally piped into
//! `indent`/`nindent`) over `.Values` or `.Values.a.b`, a plain `{{ .Values.a.b }}` of a
//! scalar, or whose values file fails to load. Values are loaded with this crate, the
//! function applied, and the text compared with what Helm v4.2.3 rendered.

use std::path::PathBuf;

use origan_yaml::{
    Data, format_go_v, load_values, to_json, to_json_pretty, to_raw_json, to_yaml, to_yaml_pretty,
};

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/conformance/functions")
}

fn json_str<'a>(v: &'a serde_json::Value, k: &str) -> Option<&'a str> {
    v.get(k).and_then(|x| x.as_str())
}

struct Action {
    func: Option<String>,
    path: Vec<String>,
    indent: Option<(bool, usize)>,
}

fn parse_action(t: &str) -> Option<Action> {
    let inner = t.strip_prefix("{{")?.strip_suffix("}}")?.trim();
    let stages: Vec<&str> = inner.split('|').map(str::trim).collect();
    let funcs = [
        "toYaml",
        "toYamlPretty",
        "toJson",
        "toPrettyJson",
        "toRawJson",
    ];
    let mut func = None;
    let path_text;
    let first: Vec<&str> = stages[0].split_whitespace().collect();
    match first.as_slice() {
        [f, p] if funcs.contains(f) => {
            func = Some(f.to_string());
            path_text = *p;
        }
        [p] => path_text = *p,
        _ => return None,
    }
    let mut rest = &stages[1..];
    if func.is_none()
        && let Some(f) = rest.first()
        && funcs.contains(f)
    {
        func = Some(f.to_string());
        rest = &rest[1..];
    }
    let mut indent = None;
    if let Some(st) = rest.first() {
        let parts: Vec<&str> = st.split_whitespace().collect();
        match parts.as_slice() {
            ["indent", n] => indent = Some((false, n.parse().ok()?)),
            ["nindent", n] => indent = Some((true, n.parse().ok()?)),
            _ => return None,
        }
        rest = &rest[1..];
    }
    if !rest.is_empty() {
        return None;
    }
    let p = path_text.strip_prefix(".Values")?;
    let path: Vec<String> = if p.is_empty() {
        Vec::new()
    } else {
        p.strip_prefix('.')?
            .split('.')
            .map(str::to_string)
            .collect()
    };
    if path
        .iter()
        .any(|s| s.is_empty() || !s.chars().all(|c| c.is_alphanumeric() || c == '_'))
    {
        return None;
    }
    Some(Action { func, path, indent })
}

/// Helm 4's coalescing drops null chart defaults (helm-behaviour.md §9.6); the corpus
/// values are chart defaults, so nulls inside maps vanish before templates see them.
fn drop_nulls(d: Data) -> Data {
    match d {
        Data::Map(m) => Data::Map(
            m.into_iter()
                .filter(|(_, v)| *v != Data::Null)
                .map(|(k, v)| (k, drop_nulls(v)))
                .collect(),
        ),
        other => other,
    }
}

/// Go string literal → text (the escapes the corpus uses).
fn go_unquote(lit: &str) -> Option<String> {
    let inner = lit.strip_prefix('"')?.strip_suffix('"')?;
    let mut out = String::new();
    let mut it = inner.chars();
    while let Some(c) = it.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match it.next()? {
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'r' => out.push('\r'),
            '"' => out.push('"'),
            '\\' => out.push('\\'),
            'u' => {
                let hex: String = it.by_ref().take(4).collect();
                out.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
            }
            _ => return None,
        }
    }
    Some(out)
}

/// `{{ fromYaml "LIT" }}` or `{{ fromYaml "LIT" | toJson }}` (and the other readers).
fn literal_case(t: &str) -> Option<String> {
    let inner = t.strip_prefix("{{ ")?.strip_suffix(" }}")?;
    let (func, rest) = inner.split_once(' ')?;
    if !rest.starts_with('"') {
        return None;
    }
    // The literal ends at the first unescaped quote after the opening one.
    let bytes = rest.as_bytes();
    let mut i = 1;
    while i < bytes.len() && bytes[i] != b'"' {
        i += if bytes[i] == b'\\' { 2 } else { 1 };
    }
    let lit = go_unquote(rest.get(..=i)?)?;
    let tail = rest.get(i + 1..)?.trim();
    let d = match func {
        "fromYaml" => origan_yaml::helm_from_yaml(&lit),
        "fromYamlArray" => origan_yaml::helm_from_yaml_array(&lit),
        "fromJson" => origan_yaml::helm_from_json(&lit),
        "fromJsonArray" => origan_yaml::helm_from_json_array(&lit),
        _ => return None,
    };
    Some(match tail {
        "" => format_go_v(&d),
        "| toJson" => to_json(&d).unwrap_or_default(),
        "| toYaml" => to_yaml(&d).unwrap_or_default(),
        "| toYamlPretty" => to_yaml_pretty(&d).unwrap_or_default(),
        "| toPrettyJson" => to_json_pretty(&d).unwrap_or_default(),
        "| toRawJson" => to_raw_json(&d).unwrap_or_default(),
        _ => return None,
    })
}

fn indent(s: &str, n: usize) -> String {
    let pad = " ".repeat(n);
    format!("{pad}{}", s.replace('\n', &format!("\n{pad}")))
}

/// Returns Some(rendered) or None when the case is outside what this test evaluates.
fn evaluate(values: &Data, a: &Action) -> Option<String> {
    // A missing last key is nil (Helm drops null chart defaults); a missing map on
    // the way is a template error, outside this test.
    const NIL: &Data = &Data::Null;
    let mut cur = values;
    for (i, seg) in a.path.iter().enumerate() {
        match cur {
            Data::Map(m) => match m.get(seg) {
                Some(v) => cur = v,
                None if i + 1 == a.path.len() => cur = NIL,
                None => return None,
            },
            _ => return None,
        }
    }
    let out = match a.func.as_deref() {
        Some("toYaml") => to_yaml(cur).unwrap_or_default(),
        Some("toYamlPretty") => to_yaml_pretty(cur).unwrap_or_default(),
        Some("toJson") => to_json(cur).unwrap_or_default(),
        Some("toPrettyJson") => to_json_pretty(cur).unwrap_or_default(),
        Some("toRawJson") => to_raw_json(cur).unwrap_or_default(),
        None => match cur {
            // `<no value>`, erased from the output.
            Data::Null => String::new(),
            other => format_go_v(other),
        },
        Some(_) => return None,
    };
    Some(match a.indent {
        None => out,
        Some((false, n)) => indent(&out, n),
        Some((true, n)) => format!("\n{}", indent(&out, n)),
    })
}

#[test]
fn function_corpus() {
    let dir = corpus_dir();
    let mut selected = 0;
    let mut failures = Vec::new();
    for file in [
        "yamltypes.jsonl",
        "helm.jsonl",
        "dicts.jsonl",
        "syntax.jsonl",
    ] {
        let text = std::fs::read_to_string(dir.join(file)).expect("corpus file");
        for line in text.lines() {
            let case: serde_json::Value = serde_json::from_str(line).unwrap();
            let id = json_str(&case, "id").unwrap_or("?").to_string();
            let values_yaml = json_str(&case, "values_yaml").unwrap_or("");
            let template = json_str(&case, "template").unwrap_or("");
            if case.get("files").is_some() || case.get("chart").is_some() {
                continue;
            }
            if let Some(err) = json_str(&case, "expected_error")
                && let Some(msg) = err.strip_prefix("cannot load values.yaml: ")
            {
                selected += 1;
                match load_values(values_yaml) {
                    Ok(_) => failures.push(format!("{id}: expected error {msg:?}, loaded fine")),
                    Err(e) if e.to_string() != msg => failures.push(format!(
                        "{id}: error\n  want {msg:?}\n  got  {:?}",
                        e.to_string()
                    )),
                    Err(_) => {}
                }
                continue;
            }
            let Some(expected) = json_str(&case, "expected") else {
                continue;
            };
            if let Some(got) = literal_case(template) {
                selected += 1;
                if got != expected {
                    failures.push(format!(
                        "{id}: {template}\n  want {expected:?}\n  got  {got:?}"
                    ));
                }
                continue;
            }
            let Some(action) = parse_action(template) else {
                continue;
            };
            let values = match load_values(values_yaml) {
                Ok(v) => drop_nulls(Data::Map(v)),
                Err(e) => {
                    failures.push(format!("{id}: values failed to load: {e}"));
                    continue;
                }
            };
            let Some(got) = evaluate(&values, &action) else {
                if std::env::var("SHOW_SKIPS").is_ok() {
                    eprintln!("skip {id}: {template}");
                }
                continue;
            };
            selected += 1;
            if got != expected {
                failures.push(format!(
                    "{id}: {template}\n  values {values_yaml:?}\n  want {expected:?}\n  got  {got:?}"
                ));
            }
        }
    }
    eprintln!(
        "function corpus: {} of {selected} selected cases pass",
        selected - failures.len()
    );
    assert!(selected > 150, "too few cases selected: {selected}");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
