//! Composing parser events into a document tree and decoding it as yaml.v2 does into
//! `interface{}` (`decode.go`): resolved scalars, tags (`!!str`, `!!int`, `!!binary`, ...),
//! anchors and aliases (with yaml.v2's excessive-aliasing guard), merge keys `<<` with
//! yaml.v2's order rules (a later merge overrides earlier explicit keys), duplicate keys
//! (last wins), invalid keys. Also the nesting-depth limit. Does not own YAML→JSON
//! conversion (`convert.rs`) or scanning/parsing (libyaml-safer).

use libyaml_safer::{EventData, MappingStyle, Parser, ScalarStyle, SequenceStyle};

use crate::Error;
use crate::resolve::MERGE_TAG;
pub(crate) use crate::scalar::go_sharp_v;
use crate::scalar::scalar;
use crate::source::{Source, go_error};

/// Deepest collection nesting accepted by the readers and writers. yaml.v2 has no limit
/// and yaml.v3 / encoding/json stop at 10,000, but Go stacks grow while ours do not: 512
/// keeps every recursive path (decode, convert, emit, drop) inside a 2 MiB thread stack
/// even in debug builds, far beyond any real chart's nesting.
pub const MAX_DEPTH: usize = 512;

/// A YAML value as yaml.v2 decodes it into `interface{}`: scalars resolved with YAML 1.1
/// rules, maps with merge keys applied and duplicate keys collapsed (last wins), keys
/// still typed. Timestamps are strings, `!!binary` is decoded.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Null,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    String(String),
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

#[derive(Debug)]
enum Raw {
    Scalar {
        value: String,
        tag: Option<String>,
        implicit: bool,
    },
    Seq(Vec<usize>),
    Map(Vec<usize>),
    Alias {
        target: usize,
        name: String,
    },
}

/// One document as an arena of raw nodes.
struct Doc {
    nodes: Vec<Raw>,
    root: Option<usize>,
}

/// Reads documents from the event stream; `limit` stops after that many documents.
/// libyaml-safer can still panic on a few malformed inputs (e.g. a tag followed by `,`
/// in a flow collection); such a panic becomes an error rather than a crash.
///
/// go-yaml v2 also accepts the escape `\'` in double-quoted scalars, which libyaml 0.2.5
/// (and so libyaml-safer) rejects: when the parser stops on one, it is rewritten to the
/// equivalent `\x27` and the text parsed again.
fn compose(text: &str, limit: usize) -> Result<Vec<Doc>, Error> {
    if let Some(e) = crate::source::incompatible_version(text) {
        return Err(e);
    }
    let mut text = std::borrow::Cow::Borrowed(text);
    let mut retried_tags = false;
    for _ in 0..1000 {
        let r = std::panic::catch_unwind(|| compose_inner(&text, limit));
        match r {
            Ok(Ok(docs)) => return Ok(docs),
            Ok(Err(Stop::Go(e))) => return Err(e),
            Ok(Err(Stop::QuoteEscape(i, e))) => {
                if text.get(i..i + 2) != Some("\\'") {
                    return Err(e);
                }
                let mut t = text.into_owned();
                t.replace_range(i..i + 2, "\\x27");
                text = std::borrow::Cow::Owned(t);
            }
            Err(_) => {
                // The one known panic: a tag followed by ',' in a flow collection. go-yaml
                // takes the ',' into the tag (an unknown tag, so the node stays a string);
                // '.' keeps the tag unknown without ending it.
                let fixed = crate::source::tags_before_commas(&text);
                if retried_tags || fixed == *text {
                    return Err(Error::new(
                        "yaml: internal error: the YAML parser gave up on this input",
                    ));
                }
                retried_tags = true;
                text = std::borrow::Cow::Owned(fixed);
            }
        }
    }
    Err(Error::new("yaml: found unknown escape character"))
}

/// Why composing stopped.
enum Stop {
    Go(Error),
    /// libyaml-safer rejected an escape at this byte offset (maybe go-yaml's `\'`).
    QuoteEscape(usize, Error),
}

impl From<Error> for Stop {
    fn from(e: Error) -> Self {
        Stop::Go(e)
    }
}

fn compose_inner(text: &str, limit: usize) -> Result<Vec<Doc>, Stop> {
    let src = Source::new(text);
    // libyaml-safer 0.3 refuses any input whose first byte is 0xEF but which
    // does not open with the UTF-8 BOM ("invalid byte order marker"), so a
    // text starting with a character in U+F000..U+FFFF (U+FFFD, fullwidth
    // forms) fails. Go's reader checks for the whole BOM and otherwise reads
    // UTF-8. A BOM put in front is skipped by the reader and moves no mark.
    let with_bom;
    let mut input =
        if src.text.as_bytes().first() == Some(&0xef) && !src.text.starts_with('\u{feff}') {
            with_bom = format!("\u{feff}{}", src.text);
            with_bom.as_bytes()
        } else {
            src.text.as_bytes()
        };
    let mut parser = Parser::new();
    parser.set_input_string(&mut input);
    let mut docs = Vec::new();
    let mut cur: Option<Doc> = None;
    let mut stack: Vec<usize> = Vec::new();
    // Per open collection: the closing indicator if it is a flow collection, and the
    // line it starts on.
    let mut flow: Vec<(Option<char>, u64)> = Vec::new();
    let mut anchors: std::collections::HashMap<String, usize> = Default::default();
    loop {
        let ev = match parser.parse() {
            Ok(ev) => ev,
            Err(e) => {
                let go = go_error(&e, &src);
                return Err(match e.problem_mark() {
                    Some(m) if e.problem() == "found unknown escape character" => {
                        Stop::QuoteEscape(m.index as usize, go)
                    }
                    _ => Stop::Go(go),
                });
            }
        };
        let end_mark = ev.end_mark;
        let (idx, anchor) = match ev.data {
            EventData::StreamStart { .. } => continue,
            EventData::StreamEnd => break,
            EventData::DocumentStart { .. } => {
                cur = Some(Doc {
                    nodes: Vec::new(),
                    root: None,
                });
                anchors.clear();
                continue;
            }
            EventData::DocumentEnd { .. } => {
                if let Some(d) = cur.take() {
                    docs.push(d);
                }
                if docs.len() >= limit {
                    break;
                }
                continue;
            }
            EventData::MappingEnd | EventData::SequenceEnd => {
                stack.pop();
                flow.pop();
                continue;
            }
            EventData::Alias { anchor } => {
                let Some(&target) = anchors.get(&anchor) else {
                    return Err(Stop::Go(Error::new(format!(
                        "yaml: unknown anchor '{anchor}' referenced"
                    ))));
                };
                (
                    push(
                        &mut cur,
                        Raw::Alias {
                            target,
                            name: anchor,
                        },
                    ),
                    None,
                )
            }
            EventData::Scalar {
                anchor,
                tag,
                mut value,
                plain_implicit,
                style,
                ..
            } => {
                src.fix_block_at_eof(&mut value, style, end_mark);
                // go-yaml's older scanner ends a plain scalar at '?' inside flow
                // collections, and the parser then fails; libyaml 0.2.5 reads on.
                if style == ScalarStyle::Plain
                    && let Some(&(Some(close), start_line)) = flow.last()
                    && value.get(1..).is_some_and(|rest| rest.contains('?'))
                {
                    let line = if ev.start_mark.line != 0 {
                        ev.start_mark.line
                    } else {
                        start_line
                    };
                    let where_ = if line != 0 {
                        format!("line {line}: ")
                    } else {
                        String::new()
                    };
                    return Err(Stop::Go(Error::new(format!(
                        "yaml: {where_}did not find expected ',' or '{close}'"
                    ))));
                }
                let implicit = plain_implicit;
                (
                    push(
                        &mut cur,
                        Raw::Scalar {
                            value,
                            tag,
                            implicit,
                        },
                    ),
                    anchor,
                )
            }
            EventData::SequenceStart { anchor, style, .. } => {
                let close = (style == SequenceStyle::Flow).then_some(']');
                flow.push((close, ev.start_mark.line));
                (push(&mut cur, Raw::Seq(Vec::new())), anchor)
            }
            EventData::MappingStart { anchor, style, .. } => {
                let close = (style == MappingStyle::Flow).then_some('}');
                flow.push((close, ev.start_mark.line));
                (push(&mut cur, Raw::Map(Vec::new())), anchor)
            }
        };
        let doc = cur.as_mut().expect("node inside a document");
        if let Some(a) = anchor {
            anchors.insert(a, idx);
        }
        match stack.last() {
            Some(&parent) => match &mut doc.nodes[parent] {
                Raw::Seq(c) | Raw::Map(c) => c.push(idx),
                _ => unreachable!("parents are collections"),
            },
            None => doc.root = Some(idx),
        }
        if matches!(doc.nodes[idx], Raw::Seq(_) | Raw::Map(_)) {
            stack.push(idx);
            if stack.len() > MAX_DEPTH {
                return Err(Stop::Go(Error::new(format!(
                    "yaml: exceeded max depth of {MAX_DEPTH}"
                ))));
            }
        }
    }
    Ok(docs)
}

fn push(cur: &mut Option<Doc>, raw: Raw) -> usize {
    let doc = cur.get_or_insert_with(|| Doc {
        nodes: Vec::new(),
        root: None,
    });
    doc.nodes.push(raw);
    doc.nodes.len() - 1
}

/// Parses every document of a YAML stream (yaml.v2 decoding rules, as `yaml.NewDecoder`
/// would). An empty document is `Node::Null`.
pub fn parse_documents(text: &str) -> Result<Vec<Node>, Error> {
    let docs = compose(text, usize::MAX)?;
    docs.iter().map(|d| Decoder::new(d).document()).collect()
}

/// Parses the first document only, as `yaml.Unmarshal` does; an empty stream is `Null`.
pub fn parse_first_document(text: &str) -> Result<Node, Error> {
    let docs = compose(text, 1)?;
    match docs.first() {
        Some(d) => Decoder::new(d).document(),
        None => Ok(Node::Null),
    }
}

struct Decoder<'a> {
    doc: &'a Doc,
    active_aliases: Vec<usize>,
    decode_count: u64,
    alias_count: u64,
    alias_depth: usize,
    depth: usize,
}

/// yaml.v2 `allowedAliasRatio`.
fn allowed_alias_ratio(decode_count: u64) -> f64 {
    if decode_count <= 400_000 {
        0.99
    } else if decode_count >= 4_000_000 {
        0.10
    } else {
        0.99 - 0.89 * ((decode_count - 400_000) as f64 / 3_600_000.0)
    }
}

impl<'a> Decoder<'a> {
    fn new(doc: &'a Doc) -> Self {
        Decoder {
            doc,
            active_aliases: Vec::new(),
            decode_count: 0,
            alias_count: 0,
            alias_depth: 0,
            depth: 0,
        }
    }

    fn document(&mut self) -> Result<Node, Error> {
        match self.doc.root {
            Some(r) => self.unmarshal(r),
            None => Ok(Node::Null),
        }
    }

    fn count(&mut self) -> Result<(), Error> {
        self.decode_count += 1;
        if self.alias_depth > 0 {
            self.alias_count += 1;
        }
        if self.alias_count > 100
            && self.decode_count > 1000
            && self.alias_count as f64 / self.decode_count as f64
                > allowed_alias_ratio(self.decode_count)
        {
            return Err(Error::new("yaml: document contains excessive aliasing"));
        }
        Ok(())
    }

    fn unmarshal(&mut self, idx: usize) -> Result<Node, Error> {
        self.count()?;
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(Error::new(format!(
                "yaml: exceeded max depth of {MAX_DEPTH}"
            )));
        }
        let r = match &self.doc.nodes[idx] {
            Raw::Scalar {
                value,
                tag,
                implicit,
            } => scalar(value, tag.as_deref(), *implicit),
            Raw::Alias { target, name } => self.alias(idx, *target, name),
            Raw::Seq(children) => {
                let mut out = Vec::with_capacity(children.len());
                for &c in children {
                    out.push(self.unmarshal(c)?);
                }
                Ok(Node::Seq(out))
            }
            Raw::Map(children) => {
                let mut out = MapBuilder::default();
                self.mapping(children, &mut out)?;
                Ok(Node::Map(out.finish()))
            }
        };
        self.depth -= 1;
        r
    }

    fn alias(&mut self, idx: usize, target: usize, name: &str) -> Result<Node, Error> {
        if self.active_aliases.contains(&idx) {
            return Err(Error::new(format!(
                "yaml: anchor '{name}' value contains itself"
            )));
        }
        self.active_aliases.push(idx);
        self.alias_depth += 1;
        let r = self.unmarshal(target);
        self.alias_depth -= 1;
        self.active_aliases.pop();
        r
    }

    fn mapping(&mut self, children: &[usize], out: &mut MapBuilder) -> Result<(), Error> {
        for pair in children.chunks(2) {
            let (k, v) = (pair[0], pair[1]);
            if self.is_merge(k) {
                self.merge(v, out)?;
                continue;
            }
            let key = self.unmarshal(k)?;
            if matches!(key, Node::Map(_) | Node::Seq(_)) {
                return Err(Error::new(format!(
                    "yaml: invalid map key: {}",
                    go_sharp_v(&key)
                )));
            }
            let val = self.unmarshal(v)?;
            out.insert(key, val);
        }
        Ok(())
    }

    fn is_merge(&self, idx: usize) -> bool {
        matches!(&self.doc.nodes[idx], Raw::Scalar { value, tag, implicit }
            if value == "<<" && (*implicit || tag.as_deref() == Some(MERGE_TAG)))
    }

    /// The node an alias points at (one level, as yaml.v2 checks `n.alias.kind`).
    fn target_kind(&self, idx: usize) -> &Raw {
        match &self.doc.nodes[idx] {
            Raw::Alias { target, .. } => &self.doc.nodes[*target],
            other => other,
        }
    }

    fn merge(&mut self, v: usize, out: &mut MapBuilder) -> Result<(), Error> {
        let want_map =
            || Error::new("yaml: map merge requires map or sequence of maps as the value");
        match &self.doc.nodes[v] {
            Raw::Map(_) | Raw::Alias { .. } => {
                if !matches!(self.target_kind(v), Raw::Map(_)) {
                    return Err(want_map());
                }
                self.merge_one(v, out)
            }
            Raw::Seq(items) => {
                // Step backwards as earlier nodes take precedence (yaml.v2).
                for &item in items.iter().rev() {
                    if !matches!(self.target_kind(item), Raw::Map(_)) {
                        return Err(want_map());
                    }
                    self.merge_one(item, out)?;
                }
                Ok(())
            }
            Raw::Scalar { .. } => Err(want_map()),
        }
    }

    /// Decodes a mapping (or an alias to one) straight into `out`.
    fn merge_one(&mut self, idx: usize, out: &mut MapBuilder) -> Result<(), Error> {
        match &self.doc.nodes[idx] {
            Raw::Map(children) => {
                self.count()?;
                self.mapping(children, out)
            }
            Raw::Alias { target, name } => {
                if self.active_aliases.contains(&idx) {
                    return Err(Error::new(format!(
                        "yaml: anchor '{name}' value contains itself"
                    )));
                }
                self.count()?;
                self.active_aliases.push(idx);
                self.alias_depth += 1;
                let r = self.merge_one(*target, out);
                self.alias_depth -= 1;
                self.active_aliases.pop();
                r
            }
            _ => Err(Error::new(
                "yaml: map merge requires map or sequence of maps as the value",
            )),
        }
    }
}

/// A map under construction: insertion order kept, a repeated key replaces the value
/// (Go map semantics). Lookup is hashed on a key fingerprint to stay linear.
#[derive(Default)]
struct MapBuilder {
    entries: Vec<(Node, Node)>,
    index: std::collections::HashMap<String, Vec<usize>>,
}

impl MapBuilder {
    fn insert(&mut self, key: Node, val: Node) {
        let fp = fingerprint(&key);
        let slots = self.index.entry(fp).or_default();
        for &i in slots.iter() {
            if self.entries[i].0 == key {
                self.entries[i].1 = val;
                return;
            }
        }
        slots.push(self.entries.len());
        self.entries.push((key, val));
    }
    fn finish(self) -> Vec<(Node, Node)> {
        self.entries
    }
}

fn fingerprint(k: &Node) -> String {
    match k {
        Node::Null => "n".into(),
        Node::Bool(b) => format!("b{b}"),
        Node::Int(i) => format!("i{i}"),
        Node::Uint(u) => format!("u{u}"),
        Node::Float(f) => format!("f{}", f.to_bits()),
        Node::String(s) => format!("s{s}"),
        _ => "c".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_and_alias() {
        let n = parse_first_document("b: &b {x: 1, y: 2}\nc:\n  <<: *b\n  y: 3\n").unwrap();
        let Node::Map(m) = n else { panic!() };
        assert_eq!(m.len(), 2);
    }

    #[test]
    fn errors() {
        let e = parse_first_document("a:\n  b: 1\n c: 2").unwrap_err();
        assert_eq!(e.to_string(), "yaml: line 2: did not find expected key");
        let e = parse_first_document("x: @foo").unwrap_err();
        assert_eq!(
            e.to_string(),
            "yaml: found character that cannot start any token"
        );
        let e = parse_first_document("a:\n\t- x").unwrap_err();
        assert_eq!(
            e.to_string(),
            "yaml: line 2: found character that cannot start any token"
        );
        let e = parse_first_document("a: *x").unwrap_err();
        assert_eq!(e.to_string(), "yaml: unknown anchor 'x' referenced");
        let e = parse_first_document("a: &x [*x]").unwrap_err();
        assert_eq!(e.to_string(), "yaml: anchor 'x' value contains itself");
    }

    #[test]
    fn billion_laughs() {
        let mut s = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let p = i - 1;
            s.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        let e = parse_first_document(&s).unwrap_err();
        assert_eq!(e.to_string(), "yaml: document contains excessive aliasing");
    }

    #[test]
    fn deep_nesting_is_an_error() {
        let s = "[".repeat(MAX_DEPTH + 10);
        let e = parse_first_document(&s).unwrap_err();
        assert!(e.to_string().contains("exceeded max depth"), "{e}");
    }
}
