//! The evaluator: Go's `text/template/exec.go` over [`crate::ast`] trees.
//!
//! Owns walking (text, actions, if/with/range with break/continue,
//! `template`), variables and their scopes, field access on maps and
//! objects (with Go's nil-interface rules and missingkey modes), pipelines,
//! function calls with Go's argument conversion, printing of `{{ . }}`, the
//! "current node" that error messages cite, and the step and depth limits.
//! Does not own the builtin functions' bodies (see `builtins`) nor the
//! template set (see `template`).

mod call;

use rustc_hash::FxHashMap;
use std::cell::{Cell, RefCell};

use crate::ast::{Arg, Branch, Command, List, Node, Pipe, Tree};
use crate::error::Error;
use crate::func::FuncError;
use crate::template::{MissingKey, Templates};
use crate::value::{ElemType, IntType, Value};

/// A value as the evaluator holds it. `iface` marks a value read from an
/// `interface{}` slot (a map entry or slice element): a nil there is a nil
/// interface, and field access on it fails with `nil pointer evaluating
/// interface {}.x`, while a nil produced by a pipeline is an invalid value
/// whose fields are simply missing (Go's `indirect`/`IsValid` distinction).
#[derive(Clone, Debug)]
pub(crate) struct V {
    pub val: Value,
    pub iface: bool,
}

impl V {
    pub fn plain(val: Value) -> V {
        V { val, iface: false }
    }
}

/// The node execution is at, for error messages.
#[derive(Clone, Copy)]
pub(crate) enum At<'t> {
    Arg(&'t Arg),
    Cmd(&'t Command),
    Pipe(&'t Pipe),
    Node(&'t Node),
}

impl At<'_> {
    fn pos(&self) -> usize {
        match self {
            At::Arg(a) => a.pos(),
            At::Cmd(c) => c.pos,
            At::Pipe(p) => p.pos,
            At::Node(n) => match n {
                Node::Text(_) => 0,
                Node::Action(p) => p.pos,
                Node::If(b) | Node::With(b) | Node::Range(b) => b.pipe.pos,
                Node::Template { pos, .. } => *pos,
                Node::Break(p) | Node::Continue(p) => *p,
            },
        }
    }

    fn context(&self) -> String {
        match self {
            At::Arg(a) => a.to_string(),
            At::Cmd(c) => c.to_string(),
            At::Pipe(p) => p.to_string(),
            At::Node(n) => n.to_string(),
        }
    }
}

/// State shared by one top-level execution and all executions nested in it
/// (`template`, `include`, `tpl`).
#[derive(Default)]
pub(crate) struct Shared {
    pub steps: Cell<u64>,
    pub counters: RefCell<FxHashMap<String, usize>>,
}

/// Control flow out of a walk.
#[derive(PartialEq, Eq)]
pub(crate) enum Flow {
    Normal,
    Break,
    Continue,
}

pub(crate) type EResult<T> = Result<T, Error>;

/// One template's execution (Go's `state`).
pub(crate) struct State<'a> {
    pub set: &'a Templates,
    pub tree: &'a Tree,
    pub shared: &'a Shared,
    pub vars: Vec<(std::rc::Rc<str>, V)>,
    pub depth: usize,
    pub at: Option<At<'a>>,
    pub out: Vec<u8>,
}

/// What a function that needs the executor (Helm's `include`, `tpl`,
/// `required`) sees: the running template set, the current template name,
/// and the means to run more templates with the same limits.
pub struct Exec<'a> {
    set: &'a Templates,
    shared: &'a Shared,
    depth: usize,
    name: &'a str,
}

impl<'a> Exec<'a> {
    /// The name of the template being executed (Go's `s.tmpl.Name()`).
    pub fn template_name(&self) -> &str {
        self.name
    }

    /// The template set being executed (for `tpl`, the clone).
    pub fn templates(&self) -> &Templates {
        self.set
    }

    /// Nesting depth of template executions so far.
    pub fn depth(&self) -> usize {
        self.depth
    }

    /// Go's `ExecuteTemplate` on the running set: runs template `name` with
    /// `data` and returns its output.
    pub fn execute_named(&mut self, name: &str, data: &Value) -> Result<String, Error> {
        let out = self.execute_named_bytes(name, data)?;
        Ok(crate::value::go_lossy(&out))
    }

    /// [`Exec::execute_named`] with the output as Go's `strings.Builder`
    /// holds it: bytes, not necessarily valid UTF-8.
    pub fn execute_named_bytes(&mut self, name: &str, data: &Value) -> Result<Vec<u8>, Error> {
        self.set.run(name, data, self.shared, self.depth + 1)
    }

    /// Parses `text` as template `name` into a clone of the running set and
    /// executes it with `data` (Helm's `tpl`). The clone sees every template
    /// of the set; `define`s in `text` are visible only to this execution.
    pub fn execute_text(&mut self, name: &str, text: &str, data: &Value) -> Result<String, Error> {
        let out = self.execute_text_bytes(name, text, data)?;
        Ok(crate::value::go_lossy(&out))
    }

    /// [`Exec::execute_text`] with the output as bytes.
    pub fn execute_text_bytes(
        &mut self,
        name: &str,
        text: &str,
        data: &Value,
    ) -> Result<Vec<u8>, Error> {
        let mut clone = self.set.clone();
        clone.parse(name, text)?;
        clone.run(name, data, self.shared, self.depth + 1)
    }

    /// A counter shared by this whole execution tree, for recursion limits
    /// such as Helm's 1000 nested `include`s of one name. Returns the
    /// counter's new value after adding `delta`.
    pub fn count(&mut self, key: &str, delta: isize) -> usize {
        let mut c = self.shared.counters.borrow_mut();
        let e = c.entry(key.to_string()).or_insert(0);
        *e = e.saturating_add_signed(delta);
        *e
    }
}

impl<'a> State<'a> {
    pub fn new(
        set: &'a Templates,
        tree: &'a Tree,
        shared: &'a Shared,
        depth: usize,
        dot: V,
    ) -> Self {
        State {
            set,
            tree,
            shared,
            vars: vec![("$".into(), dot)],
            depth,
            at: None,
            out: Vec::new(),
        }
    }

    pub fn exec_handle(&self) -> Exec<'a> {
        Exec {
            set: self.set,
            shared: self.shared,
            depth: self.depth,
            name: &self.tree.name,
        }
    }

    /// Go's `state.errorf`.
    pub fn errorf(&self, message: String) -> Error {
        self.errorf_wrapping(message, None)
    }

    /// Go's `errorf("error calling %s: %w", name, err)`: the function's
    /// error stays reachable for Helm's reformatting.
    pub fn error_calling(&self, name: &str, err: FuncError) -> Error {
        self.errorf_wrapping(format!("error calling {name}: {err}"), Some(err))
    }

    fn errorf_wrapping(&self, message: String, wrapped: Option<FuncError>) -> Error {
        match self.at {
            None => Error::ExecNoNode {
                name: self.tree.name.to_string(),
                message,
            },
            Some(at) => {
                let pos = at.pos();
                let lines = &self.tree.source.lines;
                Error::Exec {
                    file: self.tree.source.parse_name.to_string(),
                    line: lines.line(pos),
                    col: lines.col(pos),
                    name: self.tree.name.to_string(),
                    context: at.context(),
                    message,
                    wrapped: wrapped.map(Box::new),
                }
            }
        }
    }

    fn step(&self) -> EResult<()> {
        let n = self.shared.steps.get() + 1;
        self.shared.steps.set(n);
        if n > self.set.options().max_steps {
            return Err(self.errorf(format!(
                "exceeded maximum number of execution steps ({})",
                self.set.options().max_steps
            )));
        }
        Ok(())
    }

    fn var_value(&self, name: &str) -> EResult<V> {
        for (n, v) in self.vars.iter().rev() {
            if &**n == name {
                return Ok(v.clone());
            }
        }
        Err(self.errorf(format!("undefined variable: {name}")))
    }

    fn set_var(&mut self, name: &str, v: V) -> EResult<()> {
        for (n, slot) in self.vars.iter_mut().rev() {
            if &**n == name {
                *slot = v;
                return Ok(());
            }
        }
        Err(self.errorf(format!("undefined variable: {name}")))
    }

    fn set_top_var(&mut self, n: usize, v: V) {
        let len = self.vars.len();
        self.vars[len - n].1 = v;
    }

    pub fn walk_list(&mut self, dot: &V, list: &'a List) -> EResult<Flow> {
        for n in &list.nodes {
            let f = self.walk(dot, n)?;
            if f != Flow::Normal {
                return Ok(f);
            }
        }
        Ok(Flow::Normal)
    }

    fn walk(&mut self, dot: &V, node: &'a Node) -> EResult<Flow> {
        self.step()?;
        if !matches!(node, Node::Text(_)) {
            self.at = Some(At::Node(node));
        }
        match node {
            Node::Text(t) => self.out.extend_from_slice(t.as_bytes()),
            Node::Action(pipe) => {
                let v = self.eval_pipeline(dot, pipe)?;
                if pipe.decl.is_empty() {
                    self.at = Some(At::Node(node));
                    self.print_value(&v);
                }
            }
            Node::If(b) | Node::With(b) => {
                let mark = self.vars.len();
                let with = matches!(node, Node::With(_));
                let r = stacker::maybe_grow(128 * 1024, 2 * 1024 * 1024, || {
                    self.walk_if_with(dot, b, with)
                });
                self.vars.truncate(mark);
                return r;
            }
            Node::Range(b) => {
                let mark = self.vars.len();
                let r =
                    stacker::maybe_grow(128 * 1024, 2 * 1024 * 1024, || self.walk_range(dot, b));
                self.vars.truncate(mark);
                return r;
            }
            Node::Template { name, pipe, .. } => {
                let Some(tree) = self.set.tree(name) else {
                    return Err(
                        self.errorf(format!("template {} not defined", crate::fmt::quote(name)))
                    );
                };
                if self.depth >= self.set.options().max_depth {
                    return Err(self.errorf(format!(
                        "exceeded maximum template depth ({})",
                        self.set.options().max_depth
                    )));
                }
                let new_dot = match pipe {
                    Some(p) => self.eval_pipeline(dot, p)?,
                    None => Value::Nil,
                };
                let mut st = State::new(
                    self.set,
                    tree,
                    self.shared,
                    self.depth + 1,
                    V::plain(new_dot),
                );
                let r = stacker::maybe_grow(128 * 1024, 2 * 1024 * 1024, || {
                    let d = st.vars[0].1.clone();
                    st.walk_list(&d, &tree.root)
                });
                self.out.extend_from_slice(&st.out);
                r?;
            }
            Node::Break(_) => return Ok(Flow::Break),
            Node::Continue(_) => return Ok(Flow::Continue),
        }
        Ok(Flow::Normal)
    }

    fn walk_if_with(&mut self, dot: &V, b: &'a Branch, with: bool) -> EResult<Flow> {
        let val = self.eval_pipeline(dot, &b.pipe)?;
        if val.is_true() {
            if with {
                return self.walk_list(&V::plain(val), &b.list);
            }
            return self.walk_list(dot, &b.list);
        }
        if let Some(e) = &b.else_list {
            return self.walk_list(dot, e);
        }
        Ok(Flow::Normal)
    }

    fn one_iteration(&mut self, b: &'a Branch, mark: usize, index: V, elem: V) -> EResult<Flow> {
        self.step()?;
        let decl = &b.pipe.decl;
        if !decl.is_empty() {
            if b.pipe.is_assign {
                if decl.len() > 1 {
                    self.set_var(&decl[0], index.clone())?;
                } else {
                    self.set_var(&decl[0], elem.clone())?;
                }
            } else {
                self.set_top_var(1, elem.clone());
            }
        }
        if decl.len() > 1 {
            if b.pipe.is_assign {
                self.set_var(&decl[1], elem.clone())?;
            } else {
                self.set_top_var(2, index);
            }
        }
        let r = self.walk_list(&elem, &b.list);
        self.vars.truncate(mark);
        r
    }

    fn walk_range(&mut self, dot: &V, b: &'a Branch) -> EResult<Flow> {
        let val = self.eval_pipeline(dot, &b.pipe)?.collection_view();
        let mark = self.vars.len();
        let mut ran = false;
        match &val {
            Value::List(l) => {
                let iface = l.elem == ElemType::Any;
                let items = l.items.clone();
                for (i, item) in items.iter().enumerate() {
                    ran = true;
                    let idx = V::plain(Value::int(i as i64));
                    let elem = V {
                        val: item.clone(),
                        iface,
                    };
                    if self.one_iteration(b, mark, idx, elem)? == Flow::Break {
                        break;
                    }
                }
            }
            Value::Bytes(bytes) => {
                for (i, c) in bytes.iter().enumerate() {
                    ran = true;
                    let idx = V::plain(Value::int(i as i64));
                    let elem = V::plain(Value::Uint(u64::from(*c), IntType::Uint8));
                    if self.one_iteration(b, mark, idx, elem)? == Flow::Break {
                        break;
                    }
                }
            }
            Value::Map(m) => {
                let iface = m.elem == ElemType::Any;
                let entries: Vec<(String, Value)> = m
                    .entries
                    .borrow()
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                for (k, v) in entries {
                    ran = true;
                    let idx = V::plain(Value::str(k.as_str()));
                    if self.one_iteration(b, mark, idx, V { val: v, iface })? == Flow::Break {
                        break;
                    }
                }
            }
            Value::Int(_, t) | Value::Uint(_, t) => {
                if b.pipe.decl.len() > 1 {
                    return Err(self.errorf(format!(
                        "can't use {} to iterate over more than one variable",
                        crate::fmt::format_value(&val)
                    )));
                }
                let count: u64 = match &val {
                    Value::Int(n, _) => (*n).max(0) as u64,
                    Value::Uint(u, _) => *u,
                    _ => 0,
                };
                for i in 0..count {
                    ran = true;
                    let elem = match &val {
                        Value::Int(..) => Value::Int(i as i64, *t),
                        _ => Value::Uint(i, *t),
                    };
                    if self.one_iteration(b, mark, V::plain(Value::Nil), V::plain(elem))?
                        == Flow::Break
                    {
                        break;
                    }
                }
            }
            Value::Nil => {}
            _ => {
                return Err(self.errorf(format!(
                    "range can't iterate over {}",
                    crate::fmt::format_value(&val)
                )));
            }
        }
        if !ran && let Some(e) = &b.else_list {
            return self.walk_list(dot, e);
        }
        Ok(Flow::Normal)
    }

    /// Go's `printValue` / `printableValue`: nil prints `<no value>`,
    /// objects their `String()`, the rest through fmt's `%v`.
    fn print_value(&mut self, v: &Value) {
        match v {
            Value::Nil => self.out.extend_from_slice(b"<no value>"),
            // Go writes a string's bytes, valid UTF-8 or not.
            Value::String(_) | Value::ByteString(_) => {
                self.out
                    .extend_from_slice(v.string_bytes().unwrap_or_default());
            }
            Value::Object(o) => self.out.extend_from_slice(o.template_string().as_bytes()),
            _ => {
                let text = crate::fmt::format_value(v);
                self.out.extend_from_slice(text.as_bytes());
            }
        }
    }

    /// Go's `evalPipeline`: runs the commands, feeding each result to the
    /// next as its final argument, then declares or assigns variables.
    pub fn eval_pipeline(&mut self, dot: &V, pipe: &'a Pipe) -> EResult<Value> {
        self.at = Some(At::Pipe(pipe));
        let mut value: Option<Value> = None;
        for cmd in &pipe.cmds {
            value = Some(self.eval_command(dot, cmd, value)?.val);
        }
        let value = value.unwrap_or(Value::Nil);
        for name in &pipe.decl {
            if pipe.is_assign {
                self.set_var(name, V::plain(value.clone()))?;
            } else {
                self.vars.push((name.clone(), V::plain(value.clone())));
            }
        }
        Ok(value)
    }

    fn not_a_function(&self, args: &[Arg], fin: &Option<Value>) -> EResult<()> {
        if args.len() > 1 || fin.is_some() {
            return Err(self.errorf(format!("can't give argument to non-function {}", args[0])));
        }
        Ok(())
    }

    fn eval_command(&mut self, dot: &V, cmd: &'a Command, fin: Option<Value>) -> EResult<V> {
        self.step()?;
        let first = &cmd.args[0];
        match first {
            Arg::Field(..) => return self.eval_field_node(dot, first, &cmd.args, fin),
            Arg::Chain(..) => return self.eval_chain_node(dot, first, &cmd.args, fin),
            Arg::Identifier(_, name) => {
                return self.eval_function(dot, first, name, At::Cmd(cmd), &cmd.args, fin);
            }
            Arg::Pipe(p) => {
                self.not_a_function(&cmd.args, &fin)?;
                return stacker::maybe_grow(64 * 1024, 1024 * 1024, || {
                    self.eval_pipeline(dot, p).map(V::plain)
                });
            }
            Arg::Variable(..) => return self.eval_variable_node(dot, first, &cmd.args, fin),
            _ => {}
        }
        self.at = Some(At::Arg(first));
        self.not_a_function(&cmd.args, &fin)?;
        match first {
            Arg::Bool(_, b) => Ok(V::plain(Value::Bool(*b))),
            Arg::Dot(_) => Ok(dot.clone()),
            Arg::Nil(_) => Err(self.errorf("nil is not a command".into())),
            Arg::Number(_, n) => self.ideal_constant(first, n).map(V::plain),
            Arg::String { text, .. } => Ok(V::plain(text.clone())),
            _ => Err(self.errorf(format!(
                "can't evaluate command {}",
                crate::fmt::quote(&first.to_string())
            ))),
        }
    }

    fn ideal_constant(&mut self, node: &'a Arg, n: &crate::ast::Number) -> EResult<Value> {
        self.at = Some(At::Arg(node));
        let t = &*n.text;
        let hex_int = t.len() > 2
            && t.starts_with('0')
            && (t.as_bytes()[1] | 0x20) == b'x'
            && !t.contains(['p', 'P']);
        if n.complex {
            return Err(self.errorf("complex numbers are not supported".into()));
        }
        if let Some(f) = n.float
            && !hex_int
            && !t.starts_with('\'')
            && t.contains(['.', 'e', 'E', 'p', 'P'])
        {
            return Ok(Value::Float(f));
        }
        if let Some(i) = n.int {
            return Ok(Value::int(i));
        }
        if n.uint.is_some() {
            return Err(self.errorf(format!("{t} overflows int")));
        }
        Ok(Value::Nil)
    }

    fn eval_field_node(
        &mut self,
        dot: &V,
        field: &'a Arg,
        args: &'a [Arg],
        fin: Option<Value>,
    ) -> EResult<V> {
        self.at = Some(At::Arg(field));
        let Arg::Field(_, idents) = field else {
            unreachable!()
        };
        self.eval_field_chain(dot, dot.clone(), field, idents, args, fin)
    }

    fn eval_chain_node(
        &mut self,
        dot: &V,
        chain: &'a Arg,
        args: &'a [Arg],
        fin: Option<Value>,
    ) -> EResult<V> {
        self.at = Some(At::Arg(chain));
        let Arg::Chain(_, node, fields) = chain else {
            unreachable!()
        };
        if let Arg::Nil(_) = **node {
            return Err(self.errorf(format!("indirection through explicit nil in {chain}")));
        }
        let recv = self.eval_arg(dot, crate::func::Param::Any, node)?;
        self.eval_field_chain(dot, V::plain(recv), chain, fields, args, fin)
    }

    fn eval_variable_node(
        &mut self,
        dot: &V,
        var: &'a Arg,
        args: &'a [Arg],
        fin: Option<Value>,
    ) -> EResult<V> {
        self.at = Some(At::Arg(var));
        let Arg::Variable(_, name, idents) = var else {
            unreachable!()
        };
        let value = self.var_value(name)?;
        if idents.is_empty() {
            self.not_a_function(args, &fin)?;
            return Ok(value);
        }
        self.eval_field_chain(dot, value, var, idents, args, fin)
    }

    fn eval_field_chain(
        &mut self,
        dot: &V,
        mut recv: V,
        node: &'a Arg,
        idents: &'a [std::rc::Rc<str>],
        args: &'a [Arg],
        fin: Option<Value>,
    ) -> EResult<V> {
        let n = idents.len();
        for id in &idents[..n - 1] {
            recv = self.eval_field(dot, id, node, &[], None, recv)?;
        }
        self.eval_field(dot, &idents[n - 1], node, args, fin, recv)
    }

    /// Go's `evalField`: a method or field of an object, or a map key.
    fn eval_field(
        &mut self,
        dot: &V,
        name: &str,
        node: &'a Arg,
        args: &'a [Arg],
        fin: Option<Value>,
        recv: V,
    ) -> EResult<V> {
        let has_args = args.len() > 1 || fin.is_some();
        match &recv.val {
            Value::Nil => {
                if recv.iface {
                    return Err(
                        self.errorf(format!("nil pointer evaluating interface {{}}.{name}"))
                    );
                }
                if self.set.options().missing_key == MissingKey::Error {
                    return Err(self.errorf(format!(
                        "nil data; no entry for key {}",
                        crate::fmt::quote(name)
                    )));
                }
                Ok(V::plain(Value::Nil))
            }
            Value::Object(o) => {
                if o.is_method(name) {
                    let o = o.clone();
                    return self.call_method(dot, &o, name, node, args, fin);
                }
                match o.member(name, &[]) {
                    Some(Ok(v)) => {
                        if has_args {
                            return Err(self.errorf(format!(
                                "{name} has arguments but cannot be invoked as function"
                            )));
                        }
                        Ok(V::plain(v))
                    }
                    Some(Err(e)) => Err(self.error_calling(name, FuncError::new(e))),
                    None => match o.collection() {
                        Some(c @ Value::Map(_)) => {
                            self.eval_field(dot, name, node, args, fin, V::plain(c))
                        }
                        _ => Err(self.errorf(format!(
                            "can't evaluate field {name} in type {}",
                            o.type_name()
                        ))),
                    },
                }
            }
            Value::Map(m) => {
                if has_args {
                    return Err(self.errorf(format!("{name} is not a method but has arguments")));
                }
                let found = m.entries.borrow().get(name).cloned();
                let iface = m.elem == ElemType::Any;
                match found {
                    Some(v) => Ok(V { val: v, iface }),
                    None => match self.set.options().missing_key {
                        MissingKey::Default => Ok(V::plain(Value::Nil)),
                        MissingKey::Zero => Ok(V {
                            val: zero_of(m.elem),
                            iface,
                        }),
                        MissingKey::Error => Err(self.errorf(format!(
                            "map has no entry for key {}",
                            crate::fmt::quote(name)
                        ))),
                    },
                }
            }
            other => {
                let t = if recv.iface {
                    "interface {}".to_string()
                } else {
                    other.type_name()
                };
                Err(self.errorf(format!("can't evaluate field {name} in type {t}")))
            }
        }
    }
}

/// The zero value of a map's element type (missingkey=zero).
pub(crate) fn zero_of(e: ElemType) -> Value {
    match e {
        ElemType::Any => Value::Nil,
        ElemType::String => Value::str(""),
        ElemType::Int(t) => match t {
            IntType::Uint
            | IntType::Uint8
            | IntType::Uint16
            | IntType::Uint32
            | IntType::Uint64
            | IntType::Uintptr => Value::Uint(0, t),
            _ => Value::Int(0, t),
        },
        ElemType::Float => Value::Float(0.0),
        ElemType::Bool => Value::Bool(false),
    }
}
