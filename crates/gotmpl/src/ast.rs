//! The parse tree: Go's `text/template/parse/node.go` shapes, with byte
//! positions, and the `String()` forms Go prints in error contexts
//! (`at <.Values.x>`, `at <eq .a 1>`).
//!
//! Owns node types and their printing. Does not own building them (see
//! `parse`) or running them (see `exec`).

use std::fmt::{self, Display, Formatter};
use std::rc::Rc;

use crate::lex::LineIndex;

/// A parsed template: its name, the file it was parsed from (Go's
/// `ParseName`, used in error locations) and its body.
#[derive(Debug)]
pub struct Tree {
    /// The template's name (`define` name or file name).
    pub name: Rc<str>,
    /// The source file the tree came from, with its line index.
    pub source: Rc<Source>,
    /// The body.
    pub root: List,
}

/// The text a tree was parsed from.
pub struct Source {
    /// Go's `ParseName`: the name given to the `Parse` call.
    pub parse_name: Rc<str>,
    /// Line index of the text.
    pub lines: LineIndex,
}

impl fmt::Debug for Source {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "Source({})", self.parse_name)
    }
}

impl Tree {
    /// Go's `IsEmptyTree`: only whitespace text (and comments).
    pub fn is_empty(&self) -> bool {
        self.root.nodes.iter().all(|n| match n {
            Node::Text(t) => t.trim().is_empty(),
            _ => false,
        })
    }
}

/// A sequence of nodes.
#[derive(Debug, Default)]
pub struct List {
    /// The nodes.
    pub nodes: Vec<Node>,
}

/// A statement-level node.
#[derive(Debug)]
pub enum Node {
    /// Plain text.
    Text(Rc<str>),
    /// `{{pipeline}}`.
    Action(Pipe),
    /// `{{if}}`.
    If(Branch),
    /// `{{with}}`.
    With(Branch),
    /// `{{range}}`.
    Range(Branch),
    /// `{{template "name" pipeline}}`.
    Template {
        /// Byte offset of the name.
        pos: usize,
        /// The template name.
        name: Rc<str>,
        /// The data pipeline, if any.
        pipe: Option<Pipe>,
    },
    /// `{{break}}`.
    Break(usize),
    /// `{{continue}}`.
    Continue(usize),
}

/// The common shape of if/with/range.
#[derive(Debug)]
pub struct Branch {
    /// The condition or range pipeline.
    pub pipe: Pipe,
    /// The body.
    pub list: List,
    /// The `else` body.
    pub else_list: Option<List>,
}

/// A pipeline, with optional variable declarations.
#[derive(Debug)]
pub struct Pipe {
    /// Byte offset.
    pub pos: usize,
    /// `$x = ...` rather than `$x := ...`.
    pub is_assign: bool,
    /// Declared or assigned variables (`$x`, or `$i, $v` in range).
    pub decl: Vec<Rc<str>>,
    /// The commands, separated by `|`.
    pub cmds: Vec<Command>,
}

/// A command: an operand followed by arguments.
#[derive(Debug)]
pub struct Command {
    /// Byte offset.
    pub pos: usize,
    /// Operands; the first is the function or value.
    pub args: Vec<Arg>,
}

/// An untyped numeric constant (`NumberNode`).
#[derive(Debug, Clone)]
pub struct Number {
    /// The literal text.
    pub text: Rc<str>,
    /// Representable as int64.
    pub int: Option<i64>,
    /// Representable as uint64.
    pub uint: Option<u64>,
    /// Representable as float64.
    pub float: Option<f64>,
    /// A complex literal (`1i`); rejected at execution.
    pub complex: bool,
}

/// An operand.
#[derive(Debug)]
pub enum Arg {
    /// `.`
    Dot(usize),
    /// `nil`
    Nil(usize),
    /// `true` / `false`
    Bool(usize, bool),
    /// A number or character constant.
    Number(usize, Number),
    /// A string; `quoted` is the source form.
    String {
        /// Byte offset.
        pos: usize,
        /// The literal as written.
        quoted: Rc<str>,
        /// The decoded value, a Go `string`.
        text: crate::value::Value,
    },
    /// `.a.b.c`
    Field(usize, Vec<Rc<str>>),
    /// `$x.a.b`: name then fields.
    Variable(usize, Rc<str>, Vec<Rc<str>>),
    /// A function name.
    Identifier(usize, Rc<str>),
    /// `(pipeline).a.b`
    Chain(usize, Box<Arg>, Vec<Rc<str>>),
    /// `(pipeline)`
    Pipe(Box<Pipe>),
}

impl Arg {
    /// Byte offset of the node.
    pub fn pos(&self) -> usize {
        match self {
            Arg::Dot(p)
            | Arg::Nil(p)
            | Arg::Bool(p, _)
            | Arg::Number(p, _)
            | Arg::String { pos: p, .. }
            | Arg::Field(p, _)
            | Arg::Variable(p, _, _)
            | Arg::Identifier(p, _)
            | Arg::Chain(p, _, _) => *p,
            Arg::Pipe(p) => p.pos,
        }
    }
}

impl Display for Arg {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Arg::Dot(_) => f.write_str("."),
            Arg::Nil(_) => f.write_str("nil"),
            Arg::Bool(_, b) => write!(f, "{b}"),
            Arg::Number(_, n) => f.write_str(&n.text),
            Arg::String { quoted, .. } => f.write_str(quoted),
            Arg::Field(_, idents) => {
                for i in idents {
                    write!(f, ".{i}")?;
                }
                Ok(())
            }
            Arg::Variable(_, name, idents) => {
                f.write_str(name)?;
                for i in idents {
                    write!(f, ".{i}")?;
                }
                Ok(())
            }
            Arg::Identifier(_, name) => f.write_str(name),
            Arg::Chain(_, node, fields) => {
                if let Arg::Pipe(p) = node.as_ref() {
                    write!(f, "({p})")?;
                } else {
                    write!(f, "{node}")?;
                }
                for i in fields {
                    write!(f, ".{i}")?;
                }
                Ok(())
            }
            Arg::Pipe(p) => write!(f, "{p}"),
        }
    }
}

impl Display for Command {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        for (i, a) in self.args.iter().enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            if let Arg::Pipe(p) = a {
                write!(f, "({p})")?;
            } else {
                write!(f, "{a}")?;
            }
        }
        Ok(())
    }
}

impl Display for Pipe {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        if !self.decl.is_empty() {
            for (i, d) in self.decl.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                f.write_str(d)?;
            }
            f.write_str(if self.is_assign { " = " } else { " := " })?;
        }
        for (i, c) in self.cmds.iter().enumerate() {
            if i > 0 {
                f.write_str(" | ")?;
            }
            write!(f, "{c}")?;
        }
        Ok(())
    }
}

impl Display for List {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        for n in &self.nodes {
            write!(f, "{n}")?;
        }
        Ok(())
    }
}

impl Display for Node {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Node::Text(t) => write!(f, "{}", crate::fmt::quote(t)),
            Node::Action(p) => write!(f, "{{{{{p}}}}}"),
            Node::If(b) => branch(f, "if", b),
            Node::With(b) => branch(f, "with", b),
            Node::Range(b) => branch(f, "range", b),
            Node::Template { name, pipe, .. } => match pipe {
                Some(p) => write!(f, "{{{{template {} {p}}}}}", crate::fmt::quote(name)),
                None => write!(f, "{{{{template {}}}}}", crate::fmt::quote(name)),
            },
            Node::Break(_) => f.write_str("{{break}}"),
            Node::Continue(_) => f.write_str("{{continue}}"),
        }
    }
}

fn branch(f: &mut Formatter<'_>, kw: &str, b: &Branch) -> fmt::Result {
    write!(f, "{{{{{kw} {}}}}}{}", b.pipe, b.list)?;
    if let Some(e) = &b.else_list {
        write!(f, "{{{{else}}}}{e}")?;
    }
    f.write_str("{{end}}")
}

// Deeply nested input (thousands of parentheses or `if`s) would make the
// compiler-generated recursive drop overflow the stack; these drops
// dismantle nesting iteratively instead.

impl Pipe {
    fn empty() -> Pipe {
        Pipe {
            pos: 0,
            is_assign: false,
            decl: Vec::new(),
            cmds: Vec::new(),
        }
    }
}

fn take_pipes(cmds: &mut [Command], stack: &mut Vec<Pipe>) {
    for c in cmds {
        for a in &mut c.args {
            let mut a = a;
            loop {
                match a {
                    Arg::Pipe(p) => {
                        stack.push(std::mem::replace(&mut **p, Pipe::empty()));
                        break;
                    }
                    Arg::Chain(_, node, _) => a = node,
                    _ => break,
                }
            }
        }
    }
}

impl Drop for Pipe {
    fn drop(&mut self) {
        let mut stack = Vec::new();
        take_pipes(&mut self.cmds, &mut stack);
        while let Some(mut p) = stack.pop() {
            take_pipes(&mut p.cmds, &mut stack);
        }
    }
}

fn take_lists(nodes: &mut [Node], stack: &mut Vec<List>) {
    for n in nodes {
        if let Node::If(b) | Node::With(b) | Node::Range(b) = n {
            stack.push(std::mem::take(&mut b.list));
            if let Some(e) = b.else_list.take() {
                stack.push(e);
            }
        }
    }
}

impl Drop for List {
    fn drop(&mut self) {
        let mut stack = Vec::new();
        take_lists(&mut self.nodes, &mut stack);
        while let Some(mut l) = stack.pop() {
            take_lists(&mut l.nodes, &mut stack);
        }
    }
}
