//! Parser and lexer unit tests: token shapes, positions, and Go's error
//! texts (those below are the ones Go's parse package documents or that
//! the Helm corpus shows).

use crate::lex::{LineIndex, Tok, lex};
use crate::parse::parse;

fn toks(s: &str) -> Vec<(Tok, String)> {
    let li = LineIndex::new(s);
    lex(s, &li)
        .into_iter()
        .map(|i| (i.typ, i.val.to_string()))
        .collect()
}

fn perr(s: &str) -> String {
    match parse("t", s, &|f| f == "f") {
        Ok(_) => String::new(),
        Err(e) => e.to_string(),
    }
}

#[test]
fn trim_markers_and_comments() {
    let t = toks("a  {{- 1 -}}  b{{/* c */}}d{{- /* e */ -}} f");
    let texts: Vec<&str> = t
        .iter()
        .filter(|(k, _)| *k == Tok::Text)
        .map(|(_, v)| v.as_str())
        .collect();
    assert_eq!(texts, ["a", "b", "d", "f"]);
    // `{{-3}}` is the number -3, not a trim marker.
    assert!(
        toks("{{-3}}")
            .iter()
            .any(|(k, v)| *k == Tok::Number && v == "-3")
    );
}

#[test]
fn token_shapes() {
    let t = toks("{{ $x := .a.b | f 0x1F 'c' `r` \"s\" }}");
    let kinds: Vec<Tok> = t
        .iter()
        .map(|(k, _)| *k)
        .filter(|k| *k != Tok::Space)
        .collect();
    assert_eq!(
        kinds,
        [
            Tok::LeftDelim,
            Tok::Variable,
            Tok::Declare,
            Tok::Field,
            Tok::Field,
            Tok::Pipe,
            Tok::Identifier,
            Tok::Number,
            Tok::CharConstant,
            Tok::RawString,
            Tok::String,
            Tok::RightDelim,
            Tok::Eof
        ]
    );
}

#[test]
fn lexer_errors() {
    assert_eq!(
        perr("{{ .a-b }}"),
        "template: t:1: bad character U+002D '-'"
    );
    assert_eq!(
        perr("{{ \"x }}"),
        "template: t:1: unterminated quoted string"
    );
    assert_eq!(perr("{{/* x }}"), "template: t:1: unclosed comment");
    assert_eq!(perr("{{ 1 ) }}"), "template: t:1: unexpected right paren");
    assert_eq!(
        perr("a\n{{ 1\n"),
        "template: t:3: unclosed action started at t:2"
    );
    assert_eq!(perr("{{ 3x }}"), "template: t:1: bad number syntax: \"3x\"");
}

#[test]
fn parser_errors() {
    assert_eq!(perr("{{ g }}"), "template: t:1: function \"g\" not defined");
    assert_eq!(perr("{{ $y }}"), "template: t:1: undefined variable \"$y\"");
    assert_eq!(perr("\n{{ end }}"), "template: t:2: unexpected {{end}}");
    assert_eq!(
        perr("{{ if }}{{ end }}"),
        "template: t:1: missing value for if"
    );
    assert_eq!(
        perr("{{ break }}"),
        "template: t:1: {{break}} outside {{range}}"
    );
    assert_eq!(
        perr("{{ 1 | 2 }}"),
        "template: t:1: non executable command in pipeline stage 2"
    );
    assert_eq!(
        perr("{{ \"x\".y }}"),
        "template: t:1: unexpected . after term \"\\\"x\\\"\""
    );
    assert_eq!(perr("{{ if 1 }}"), "template: t:1: unexpected EOF");
    assert_eq!(
        perr("{{define \"a\"}}x{{end}}{{define \"a\"}}y{{end}}"),
        "template: t:1: template: multiple definition of template \"a\""
    );
}

#[test]
fn positions_and_strings() {
    let trees = parse("t", "x\n  {{ .a.b | f }}", &|f| f == "f").unwrap();
    let node = &trees[0].root.nodes[1];
    assert_eq!(node.to_string(), "{{.a.b | f}}");
    let crate::ast::Node::Action(p) = node else {
        panic!("not an action")
    };
    // A field chain is placed at its second field, as Go's parser does.
    let a = &p.cmds[0].args[0];
    assert_eq!(a.to_string(), ".a.b");
    let li = &trees[0].source.lines;
    assert_eq!((li.line(a.pos()), li.col(a.pos())), (2, 7));
}

#[test]
fn defines_are_separate_trees() {
    let trees = parse(
        "t",
        "{{define \"a\"}}A{{end}}body{{block \"b\" .}}B{{end}}",
        &|_| false,
    )
    .unwrap();
    let names: Vec<&str> = trees.iter().map(|t| &*t.name).collect();
    assert_eq!(names, ["t", "a", "b"]);
}
