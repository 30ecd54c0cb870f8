//! The parser: Go's `text/template/parse/parse.go` grammar over the token
//! stream, building [`crate::ast`] trees.
//!
//! Owns the grammar (actions, pipelines, declarations, control structures,
//! `define`/`block`/`template`), the parse-time checks Go makes (defined
//! functions, declared variables, `break` outside `range`, non-executable
//! pipeline stages) and Go's parse error texts. Does not own lexing or
//! template-set bookkeeping (see `template`).
//!
//! Nesting depth is bounded (Go's `maxStackDepth`, "max expression depth
//! exceeded"), and recursion runs on a growable stack so deep input cannot
//! overflow the Rust stack.

use std::rc::Rc;

use crate::ast::{Arg, Branch, Command, List, Node, Pipe, Source, Tree};
use crate::error::Error;
use crate::lex::{Item, LineIndex, Tok, lex};
use crate::literal;
use crate::value::Value;

/// Go's `maxStackDepth` for nested parentheses and control structures.
const MAX_DEPTH: usize = 10000;

type PResult<T> = Result<T, Error>;

enum EndKind {
    End,
    Else,
}

struct Parser<'a> {
    toks: Vec<Item<'a>>,
    i: usize,
    seen: usize,
    source: Rc<Source>,
    has_func: &'a dyn Fn(&str) -> bool,
    vars: Vec<String>,
    range_depth: usize,
    action_line: usize,
    depth: usize,
    trees: Vec<Tree>,
}

/// Parses `text` as Go's `parse.Parse(name, text, ...)` does: the returned
/// trees are the main tree (named `name`, first) and every `define`/`block`.
pub(crate) fn parse(name: &str, text: &str, has_func: &dyn Fn(&str) -> bool) -> PResult<Vec<Tree>> {
    let lines = LineIndex::new(text);
    let toks = lex(text, &lines);
    let source = Rc::new(Source {
        parse_name: name.into(),
        lines,
    });
    let mut p = Parser {
        toks,
        i: 0,
        seen: 0,
        source,
        has_func,
        vars: vec!["$".into()],
        range_depth: 0,
        action_line: 0,
        depth: 0,
        trees: Vec::new(),
    };
    let root = p.parse_top()?;
    let main = Tree {
        name: name.into(),
        source: p.source.clone(),
        root,
    };
    p.add(main)?;
    // The main tree first, as callers expect.
    if let Some(idx) = p.trees.iter().position(|t| &*t.name == name) {
        let t = p.trees.remove(idx);
        p.trees.insert(0, t);
    }
    Ok(p.trees)
}

impl<'a> Parser<'a> {
    fn tok(&self, i: usize) -> &Item<'a> {
        &self.toks[i.min(self.toks.len() - 1)]
    }

    fn next(&mut self) -> Item<'a> {
        let t = self.tok(self.i).clone();
        self.seen = self.seen.max(self.i);
        if self.i < self.toks.len() - 1 {
            self.i += 1;
        } else {
            self.i = self.toks.len();
        }
        t
    }

    fn backup(&mut self) {
        self.i = self.i.min(self.toks.len()) - 1;
    }

    fn peek(&mut self) -> Item<'a> {
        self.seen = self.seen.max(self.i.min(self.toks.len() - 1));
        self.tok(self.i).clone()
    }

    fn next_non_space(&mut self) -> Item<'a> {
        loop {
            let t = self.next();
            if t.typ != Tok::Space {
                return t;
            }
        }
    }

    fn peek_non_space(&mut self) -> Item<'a> {
        let t = self.next_non_space();
        self.backup();
        t
    }

    fn errorf(&self, message: String) -> Error {
        Error::Parse {
            name: self.source.parse_name.to_string(),
            line: self.tok(self.seen).line,
            message,
        }
    }

    fn unexpected(&self, t: &Item, context: &str) -> Error {
        if t.typ == Tok::Error {
            let mut extra = String::new();
            if self.action_line != 0 && self.action_line != t.line {
                extra = format!(
                    " in action started at {}:{}",
                    self.source.parse_name, self.action_line
                );
                if t.val.ends_with(" action") {
                    extra = extra[" in action".len()..].to_string();
                }
            }
            return self.errorf(format!("{t}{extra}"));
        }
        self.errorf(format!("unexpected {t} in {context}"))
    }

    fn expect(&mut self, typ: Tok, context: &str) -> PResult<Item<'a>> {
        let t = self.next_non_space();
        if t.typ != typ {
            return Err(self.unexpected(&t, context));
        }
        Ok(t)
    }

    /// Go's `Tree.add` within one parse: a second non-empty definition of
    /// a name is an error; an empty one never replaces a non-empty one.
    fn add(&mut self, tree: Tree) -> PResult<()> {
        if let Some(idx) = self.trees.iter().position(|t| t.name == tree.name) {
            if self.trees[idx].is_empty() {
                self.trees[idx] = tree;
            } else if !tree.is_empty() {
                return Err(self.errorf(format!(
                    "template: multiple definition of template {}",
                    crate::fmt::quote(&tree.name)
                )));
            }
            return Ok(());
        }
        self.trees.push(tree);
        Ok(())
    }

    fn parse_top(&mut self) -> PResult<List> {
        let mut root = List::default();
        while self.peek().typ != Tok::Eof {
            if self.peek().typ == Tok::LeftDelim {
                let save = self.i;
                self.next();
                if self.next_non_space().typ == Tok::Define {
                    self.parse_definition()?;
                    continue;
                }
                self.i = save;
            }
            match self.text_or_action()? {
                Ok(n) => root.nodes.push(n),
                Err(EndKind::End) => return Err(self.errorf("unexpected {{end}}".into())),
                Err(EndKind::Else) => return Err(self.errorf("unexpected {{else}}".into())),
            }
        }
        Ok(root)
    }

    /// Runs `f` as a nested tree (define/block): fresh variables and range depth.
    fn nested<T>(&mut self, f: impl FnOnce(&mut Self) -> PResult<T>) -> PResult<T> {
        let vars = std::mem::replace(&mut self.vars, vec!["$".into()]);
        let rd = std::mem::replace(&mut self.range_depth, 0);
        let r = f(self);
        self.vars = vars;
        self.range_depth = rd;
        r
    }

    fn parse_definition(&mut self) -> PResult<()> {
        let context = "define clause";
        let t = self.next_non_space();
        if t.typ != Tok::String && t.typ != Tok::RawString {
            return Err(self.unexpected(&t, context));
        }
        let name = literal::unquote(&t.val).ok_or_else(|| self.errorf("invalid syntax".into()))?;
        self.expect(Tok::RightDelim, context)?;
        let (list, end) = self.nested(|p| p.item_list())?;
        if let EndKind::Else = end {
            return Err(self.errorf(format!("unexpected {{{{else}}}} in {context}")));
        }
        let tree = Tree {
            name: name.into(),
            source: self.source.clone(),
            root: list,
        };
        self.add(tree)
    }

    /// Parses nodes up to `{{end}}` or `{{else}}`.
    fn item_list(&mut self) -> PResult<(List, EndKind)> {
        let mut list = List::default();
        while self.peek_non_space().typ != Tok::Eof {
            match self.text_or_action()? {
                Ok(n) => list.nodes.push(n),
                Err(end) => return Ok((list, end)),
            }
        }
        Err(self.errorf("unexpected EOF".into()))
    }

    fn text_or_action(&mut self) -> PResult<Result<Node, EndKind>> {
        let t = self.next_non_space();
        match t.typ {
            Tok::Text => Ok(Ok(Node::Text(Rc::from(&*t.val)))),
            Tok::LeftDelim => {
                let saved = self.action_line;
                self.action_line = t.line;
                let r = self.action();
                self.action_line = saved;
                r
            }
            _ => Err(self.unexpected(&t, "input")),
        }
    }

    fn action(&mut self) -> PResult<Result<Node, EndKind>> {
        let t = self.next_non_space();
        match t.typ {
            Tok::Block => return self.block_control().map(Ok),
            Tok::Break | Tok::Continue => {
                let word = if t.typ == Tok::Break {
                    "break"
                } else {
                    "continue"
                };
                let n = self.next_non_space();
                if n.typ != Tok::RightDelim {
                    return Err(self.unexpected(&n, &format!("{{{{{word}}}}}")));
                }
                if self.range_depth == 0 {
                    return Err(self.errorf(format!("{{{{{word}}}}} outside {{{{range}}}}")));
                }
                return Ok(Ok(if t.typ == Tok::Break {
                    Node::Break(t.pos)
                } else {
                    Node::Continue(t.pos)
                }));
            }
            Tok::Else => {
                let peek = self.peek_non_space();
                if peek.typ == Tok::If || peek.typ == Tok::With {
                    return Ok(Err(EndKind::Else));
                }
                self.expect(Tok::RightDelim, "else")?;
                return Ok(Err(EndKind::Else));
            }
            Tok::End => {
                self.expect(Tok::RightDelim, "end")?;
                return Ok(Err(EndKind::End));
            }
            Tok::If => return self.control("if").map(|b| Ok(Node::If(b))),
            Tok::Range => return self.control("range").map(|b| Ok(Node::Range(b))),
            Tok::With => return self.control("with").map(|b| Ok(Node::With(b))),
            Tok::Template => return self.template_control().map(Ok),
            _ => {}
        }
        self.backup();
        let pipe = self.pipeline("command", Tok::RightDelim)?;
        Ok(Ok(Node::Action(pipe)))
    }

    fn deeper(&mut self) -> PResult<()> {
        self.depth += 1;
        if self.depth >= MAX_DEPTH {
            return Err(self.errorf("max expression depth exceeded".into()));
        }
        Ok(())
    }

    fn control(&mut self, context: &str) -> PResult<Branch> {
        self.deeper()?;
        let mark = self.vars.len();
        let r = stacker::maybe_grow(64 * 1024, 1024 * 1024, || self.control_inner(context));
        self.vars.truncate(mark);
        self.depth -= 1;
        r
    }

    fn control_inner(&mut self, context: &str) -> PResult<Branch> {
        let pipe = self.pipeline(context, Tok::RightDelim)?;
        if context == "range" {
            self.range_depth += 1;
        }
        let r = self.item_list();
        if context == "range" {
            self.range_depth -= 1;
        }
        let (list, end) = r?;
        let mut else_list = None;
        if let EndKind::Else = end {
            let nt = self.peek().typ;
            if context == "if" && nt == Tok::If {
                self.next();
                let b = self.control("if")?;
                else_list = Some(List {
                    nodes: vec![Node::If(b)],
                });
            } else if context == "with" && nt == Tok::With {
                self.next();
                let b = self.control("with")?;
                else_list = Some(List {
                    nodes: vec![Node::With(b)],
                });
            } else {
                let (l, end) = self.item_list()?;
                if let EndKind::Else = end {
                    return Err(self.errorf("expected end; found {{else}}".into()));
                }
                else_list = Some(l);
            }
        }
        Ok(Branch {
            pipe,
            list,
            else_list,
        })
    }

    fn template_name(&mut self, t: &Item, context: &str) -> PResult<String> {
        match t.typ {
            Tok::String | Tok::RawString => {
                literal::unquote(&t.val).ok_or_else(|| self.errorf("invalid syntax".into()))
            }
            _ => Err(self.unexpected(t, context)),
        }
    }

    fn template_control(&mut self) -> PResult<Node> {
        let context = "template clause";
        let t = self.next_non_space();
        let name = self.template_name(&t, context)?;
        let mut pipe = None;
        if self.next_non_space().typ != Tok::RightDelim {
            self.backup();
            pipe = Some(self.pipeline(context, Tok::RightDelim)?);
        }
        Ok(Node::Template {
            pos: t.pos,
            name: name.into(),
            pipe,
        })
    }

    fn block_control(&mut self) -> PResult<Node> {
        let context = "block clause";
        let t = self.next_non_space();
        let name = self.template_name(&t, context)?;
        let pipe = self.pipeline(context, Tok::RightDelim)?;
        let (list, end) = self.nested(|p| p.item_list())?;
        if let EndKind::Else = end {
            return Err(self.errorf(format!("unexpected {{{{else}}}} in {context}")));
        }
        self.add(Tree {
            name: name.as_str().into(),
            source: self.source.clone(),
            root: list,
        })?;
        Ok(Node::Template {
            pos: t.pos,
            name: name.into(),
            pipe: Some(pipe),
        })
    }

    fn pipeline(&mut self, context: &str, end: Tok) -> PResult<Pipe> {
        let start = self.peek_non_space();
        let mut pipe = Pipe {
            pos: start.pos,
            is_assign: false,
            decl: Vec::new(),
            cmds: Vec::new(),
        };
        // Declarations: `$x :=`, `$x =`, `$i, $v :=`.
        loop {
            let v = self.peek_non_space();
            if v.typ != Tok::Variable {
                break;
            }
            let save = self.i;
            self.next_non_space();
            let next = self.peek_non_space();
            match next.typ {
                Tok::Assign | Tok::Declare => {
                    pipe.is_assign = next.typ == Tok::Assign;
                    self.next_non_space();
                    pipe.decl.push(Rc::from(&*v.val));
                    self.vars.push(v.val.to_string());
                }
                Tok::Char if &*next.val == "," => {
                    self.next_non_space();
                    pipe.decl.push(Rc::from(&*v.val));
                    self.vars.push(v.val.to_string());
                    if context == "range" && pipe.decl.len() < 2 {
                        match self.peek_non_space().typ {
                            Tok::Variable | Tok::RightDelim | Tok::RightParen => continue,
                            _ => {
                                return Err(
                                    self.errorf("range can only initialize variables".into())
                                );
                            }
                        }
                    }
                    return Err(self.errorf(format!("too many declarations in {context}")));
                }
                _ => self.i = save,
            }
            break;
        }
        loop {
            let t = self.next_non_space();
            match t.typ {
                x if x == end => {
                    self.check_pipeline(&pipe, context)?;
                    return Ok(pipe);
                }
                Tok::Bool
                | Tok::CharConstant
                | Tok::Complex
                | Tok::Dot
                | Tok::Field
                | Tok::Identifier
                | Tok::Number
                | Tok::Nil
                | Tok::RawString
                | Tok::String
                | Tok::Variable
                | Tok::LeftParen => {
                    self.backup();
                    let c = self.command()?;
                    pipe.cmds.push(c);
                }
                _ => return Err(self.unexpected(&t, context)),
            }
        }
    }

    fn check_pipeline(&self, pipe: &Pipe, context: &str) -> PResult<()> {
        if pipe.cmds.is_empty() {
            return Err(self.errorf(format!("missing value for {context}")));
        }
        for (i, c) in pipe.cmds.iter().enumerate().skip(1) {
            if matches!(
                c.args[0],
                Arg::Bool(..) | Arg::Dot(_) | Arg::Nil(_) | Arg::Number(..) | Arg::String { .. }
            ) {
                return Err(self.errorf(format!(
                    "non executable command in pipeline stage {}",
                    i + 1
                )));
            }
        }
        Ok(())
    }

    fn command(&mut self) -> PResult<Command> {
        let pos = self.peek_non_space().pos;
        let mut cmd = Command {
            pos,
            args: Vec::new(),
        };
        loop {
            self.peek_non_space();
            if let Some(op) = self.operand()? {
                cmd.args.push(op);
            }
            let t = self.next();
            match t.typ {
                Tok::Space => continue,
                Tok::RightDelim | Tok::RightParen => self.backup(),
                Tok::Pipe => {}
                _ => return Err(self.unexpected(&t, "operand")),
            }
            break;
        }
        if cmd.args.is_empty() {
            return Err(self.errorf("empty command".into()));
        }
        Ok(cmd)
    }

    fn operand(&mut self) -> PResult<Option<Arg>> {
        let Some(node) = self.term()? else {
            return Ok(None);
        };
        if self.peek().typ != Tok::Field {
            return Ok(Some(node));
        }
        let chain_pos = self.peek().pos;
        let mut fields: Vec<Rc<str>> = Vec::new();
        while self.peek().typ == Tok::Field {
            let t = self.next();
            fields.push(t.val[1..].into());
        }
        Ok(Some(match node {
            Arg::Field(_, mut idents) => {
                idents.extend(fields);
                Arg::Field(chain_pos, idents)
            }
            Arg::Variable(_, name, mut idents) => {
                idents.extend(fields);
                Arg::Variable(chain_pos, name, idents)
            }
            Arg::Bool(..) | Arg::String { .. } | Arg::Number(..) | Arg::Nil(_) | Arg::Dot(_) => {
                return Err(self.errorf(format!(
                    "unexpected . after term {}",
                    crate::fmt::quote(&node.to_string())
                )));
            }
            other => Arg::Chain(chain_pos, Box::new(other), fields),
        }))
    }

    fn term(&mut self) -> PResult<Option<Arg>> {
        let t = self.next_non_space();
        Ok(Some(match t.typ {
            Tok::Identifier => {
                if !(self.has_func)(&t.val) {
                    return Err(self.errorf(format!(
                        "function {} not defined",
                        crate::fmt::quote(&t.val)
                    )));
                }
                Arg::Identifier(t.pos, Rc::from(&*t.val))
            }
            Tok::Dot => Arg::Dot(t.pos),
            Tok::Nil => Arg::Nil(t.pos),
            Tok::Variable => {
                let name = match t.val.find('.') {
                    Some(i) => &t.val[..i],
                    None => &t.val[..],
                };
                if !self.vars.iter().any(|v| v == name) {
                    return Err(
                        self.errorf(format!("undefined variable {}", crate::fmt::quote(name)))
                    );
                }
                Arg::Variable(t.pos, name.into(), Vec::new())
            }
            Tok::Field => Arg::Field(t.pos, vec![t.val[1..].into()]),
            Tok::Bool => Arg::Bool(t.pos, &*t.val == "true"),
            Tok::Number | Tok::Complex => {
                let n = literal::number(&t.val).map_err(|e| self.errorf(e))?;
                Arg::Number(t.pos, n)
            }
            Tok::CharConstant => {
                let n = literal::char_number(&t.val).map_err(|e| self.errorf(e))?;
                Arg::Number(t.pos, n)
            }
            Tok::LeftParen => {
                self.deeper()?;
                let r = stacker::maybe_grow(64 * 1024, 1024 * 1024, || {
                    self.pipeline("parenthesized pipeline", Tok::RightParen)
                });
                self.depth -= 1;
                Arg::Pipe(Box::new(r?))
            }
            Tok::String | Tok::RawString => {
                let s = literal::unquote_bytes(&t.val)
                    .ok_or_else(|| self.errorf("invalid syntax".into()))?;
                Arg::String {
                    pos: t.pos,
                    quoted: Rc::from(&*t.val),
                    text: Value::go_string(s),
                }
            }
            _ => {
                self.backup();
                return Ok(None);
            }
        }))
    }
}

#[cfg(test)]
mod tests;
