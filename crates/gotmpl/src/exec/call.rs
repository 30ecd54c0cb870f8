//! Function and method calls: Go's `evalFunction`, `evalCall`, `evalArg`
//! and `validateType`, i.e. arity checks, conversion of untyped constants
//! to the declared parameter types, type errors worded as Go words them,
//! the pipeline's final argument, and the short-circuit `and`/`or`.

use super::{At, EResult, State, V};
use crate::ast::{Arg, Number};
use crate::builtins;
use crate::func::{FuncError, Param};
use crate::value::Value;

/// How a callee's result is produced.
enum Body<'f> {
    Plain(&'f crate::func::Func),
    Exec(&'f crate::func::ExecFunc),
    Builtin,
}

impl<'a> State<'a> {
    /// Go's `evalFunction`: `name` is a function (user map first, then
    /// builtins); `call_node` is what "error calling" errors cite.
    pub(super) fn eval_function(
        &mut self,
        dot: &V,
        ident: &'a Arg,
        name: &str,
        call_node: At<'a>,
        args: &'a [Arg],
        fin: Option<Value>,
    ) -> EResult<V> {
        self.at = Some(At::Arg(ident));
        let funcs = self.set.funcs();
        let (body, params, variadic): (Body<'_>, &[Param], Option<Param>) =
            if let Some(f) = funcs.get(name) {
                (Body::Plain(f), &f.params, f.variadic)
            } else if let Some(f) = funcs.get_exec(name) {
                (Body::Exec(f), &f.params, f.variadic)
            } else if let Some(sig) = builtins::signature(name) {
                (Body::Builtin, sig.params, sig.variadic)
            } else {
                return Err(self.errorf(format!(
                    "{} is not a defined function",
                    crate::fmt::quote(name)
                )));
            };
        let args: &'a [Arg] = if args.is_empty() { args } else { &args[1..] };
        if matches!(body, Body::Builtin) && (name == "and" || name == "or") {
            self.check_arity(name, params, variadic, args, &fin)?;
            return self.and_or(dot, name == "or", args, fin).map(V::plain);
        }
        let argv = self.eval_call_args(dot, name, params, variadic, args, fin)?;
        let result = match body {
            Body::Plain(f) => (f.body)(&argv),
            Body::Exec(f) => {
                let mut ex = self.exec_handle();
                (f.body)(&mut ex, &argv)
            }
            Body::Builtin => {
                if name == "call" {
                    Err(FuncError::new(call_error(&argv, args)))
                } else {
                    builtins::call(name, &argv).map_err(FuncError::new)
                }
            }
        };
        match result {
            Ok(v) => Ok(V::plain(v)),
            Err(e) => {
                self.at = Some(call_node);
                Err(self.error_calling(name, e))
            }
        }
    }

    fn check_arity(
        &self,
        name: &str,
        params: &[Param],
        variadic: Option<Param>,
        args: &[Arg],
        fin: &Option<Value>,
    ) -> EResult<()> {
        let num_in = args.len() + usize::from(fin.is_some());
        if variadic.is_some() {
            if num_in < params.len() {
                return Err(self.errorf(format!(
                    "wrong number of args for {name}: want at least {} got {}",
                    params.len(),
                    args.len()
                )));
            }
        } else if num_in != params.len() {
            return Err(self.errorf(format!(
                "wrong number of args for {name}: want {} got {num_in}",
                params.len()
            )));
        }
        Ok(())
    }

    /// Go's `evalCall` argument handling.
    fn eval_call_args(
        &mut self,
        dot: &V,
        name: &str,
        params: &[Param],
        variadic: Option<Param>,
        args: &'a [Arg],
        fin: Option<Value>,
    ) -> EResult<Vec<Value>> {
        self.check_arity(name, params, variadic, args, &fin)?;
        let num_in = args.len() + usize::from(fin.is_some());
        let num_fixed = if variadic.is_some() {
            params.len()
        } else {
            args.len()
        };
        let mut argv = Vec::with_capacity(num_in);
        let mut i = 0;
        while i < num_fixed && i < args.len() {
            argv.push(self.eval_arg(dot, params[i], &args[i])?);
            i += 1;
        }
        if let Some(vt) = variadic {
            while i < args.len() {
                argv.push(self.eval_arg(dot, vt, &args[i])?);
                i += 1;
            }
        }
        if let Some(f) = fin {
            let t = match variadic {
                Some(vt) => {
                    if num_in - 1 < num_fixed {
                        params[num_in - 1]
                    } else {
                        vt
                    }
                }
                None => params[params.len() - 1],
            };
            argv.push(self.validate_type(f, t)?);
        }
        Ok(argv)
    }

    /// Builtin `and`/`or`: evaluate arguments one by one and stop at the
    /// first falsy (`and`) or truthy (`or`) one, returning it.
    fn and_or(
        &mut self,
        dot: &V,
        is_or: bool,
        args: &'a [Arg],
        fin: Option<Value>,
    ) -> EResult<Value> {
        let mut v = Value::Nil;
        for a in args {
            v = self.eval_arg(dot, Param::Any, a)?;
            if v.is_true() == is_or {
                return Ok(v);
            }
        }
        if let Some(f) = fin {
            v = f;
        }
        Ok(v)
    }

    /// A method call on a host object: `.Files.Get "x"`.
    pub(super) fn call_method(
        &mut self,
        dot: &V,
        o: &std::rc::Rc<dyn crate::value::Object>,
        name: &str,
        node: &'a Arg,
        args: &'a [Arg],
        fin: Option<Value>,
    ) -> EResult<V> {
        let args: &'a [Arg] = if args.is_empty() { args } else { &args[1..] };
        let argv = match o.method_params(name) {
            Some((params, variadic)) => {
                self.eval_call_args(dot, name, &params, variadic, args, fin)?
            }
            None => {
                let mut argv = Vec::with_capacity(args.len() + 1);
                for a in args {
                    argv.push(self.eval_arg(dot, Param::Any, a)?);
                }
                if let Some(f) = fin {
                    argv.push(f);
                }
                argv
            }
        };
        match o.member(name, &argv) {
            Some(Ok(v)) => Ok(V::plain(v)),
            Some(Err(e)) => {
                self.at = Some(At::Arg(node));
                Err(self.error_calling(name, FuncError::new(e)))
            }
            None => Err(self.errorf(format!(
                "can't evaluate field {name} in type {}",
                o.type_name()
            ))),
        }
    }

    /// Go's `evalArg`: evaluates an argument node for a parameter type.
    pub(super) fn eval_arg(&mut self, dot: &V, typ: Param, n: &'a Arg) -> EResult<Value> {
        self.at = Some(At::Arg(n));
        match n {
            Arg::Dot(_) => return self.validate_held(dot.clone(), typ),
            Arg::Nil(_) => {
                return match typ {
                    Param::Any | Param::List(_) | Param::Map(_) | Param::Bytes => {
                        Ok(zero_param(typ))
                    }
                    _ => Err(self.errorf(format!("cannot assign nil to {}", typ.type_name()))),
                };
            }
            Arg::Field(..) => {
                let v = self.eval_field_node(dot, n, std::slice::from_ref(n), None)?;
                return self.validate_held(v, typ);
            }
            Arg::Variable(..) => {
                let v = self.eval_variable_node(dot, n, &[], None)?;
                return self.validate_held(v, typ);
            }
            Arg::Pipe(p) => {
                let v = stacker::maybe_grow(64 * 1024, 1024 * 1024, || self.eval_pipeline(dot, p))?;
                return self.validate_type(v, typ);
            }
            Arg::Identifier(_, name) => {
                let v = self.eval_function(dot, n, name, At::Arg(n), &[], None)?;
                return self.validate_type(v.val, typ);
            }
            Arg::Chain(..) => {
                let v = self.eval_chain_node(dot, n, &[], None)?;
                return self.validate_held(v, typ);
            }
            _ => {}
        }
        match typ {
            Param::Bool => match n {
                Arg::Bool(_, b) => Ok(Value::Bool(*b)),
                _ => Err(self.errorf(format!("expected bool; found {n}"))),
            },
            Param::Float => match n {
                Arg::Number(_, Number { float: Some(f), .. }) => Ok(Value::Float(*f)),
                _ => Err(self.errorf(format!("expected float; found {n}"))),
            },
            Param::Int | Param::Int64 => match n {
                Arg::Number(_, Number { int: Some(i), .. }) => Ok(if typ == Param::Int {
                    Value::int(*i)
                } else {
                    Value::int64(*i)
                }),
                _ => Err(self.errorf(format!("expected integer; found {n}"))),
            },
            Param::Uint => match n {
                Arg::Number(_, Number { uint: Some(u), .. }) => {
                    Ok(Value::Uint(*u, crate::value::IntType::Uint))
                }
                _ => Err(self.errorf(format!("expected unsigned integer; found {n}"))),
            },
            Param::String | Param::GoString => match n {
                Arg::String { text, .. } => Ok(self.validate_type(text.clone(), typ)?),
                _ => Err(self.errorf(format!("expected string; found {n}"))),
            },
            Param::Any => match n {
                Arg::Bool(_, b) => Ok(Value::Bool(*b)),
                Arg::Number(_, num) => self.ideal_constant(n, num),
                Arg::String { text, .. } => Ok(text.clone()),
                _ => Err(self.errorf(format!(
                    "can't handle assignment of {n} to empty interface argument"
                ))),
            },
            Param::List(_) | Param::Map(_) | Param::Bytes => Err(self.errorf(format!(
                "can't handle {n} for arg of type {}",
                typ.type_name()
            ))),
        }
    }

    /// [`State::validate_type`] of a value as the evaluator holds it. A nil
    /// read from an `interface{}` slot (a map entry, a slice element, a
    /// range variable) is a valid `interface {}` value rather than Go's
    /// invalid value, and only an `interface{}` parameter takes it: Go says
    /// `wrong type for value; expected string; got interface {}`.
    pub(super) fn validate_held(&self, v: V, typ: Param) -> EResult<Value> {
        if v.iface && matches!(v.val, Value::Nil) && typ != Param::Any {
            return Err(self.errorf(format!(
                "wrong type for value; expected {}; got interface {{}}",
                typ.type_name()
            )));
        }
        self.validate_type(v.val, typ)
    }

    /// Go's `validateType`: a value must be assignable to the parameter.
    /// A nil here is Go's invalid value (the result of a pipeline).
    pub(super) fn validate_type(&self, v: Value, typ: Param) -> EResult<Value> {
        if let Value::Nil = v {
            return match typ {
                Param::Any | Param::List(_) | Param::Map(_) | Param::Bytes => Ok(zero_param(typ)),
                _ => Err(self.errorf(format!("invalid value; expected {}", typ.type_name()))),
            };
        }
        let ok = match (typ, &v) {
            (Param::Any, _) => true,
            (Param::String | Param::GoString, Value::String(_)) => true,
            (Param::GoString, Value::ByteString(_)) => true,
            (Param::String, Value::ByteString(b)) => {
                return Ok(Value::str(crate::value::go_lossy(b)));
            }
            (Param::Bool, Value::Bool(_)) => true,
            (Param::Int, Value::Int(_, crate::value::IntType::Int)) => true,
            (Param::Int64, Value::Int(_, crate::value::IntType::Int64)) => true,
            (Param::Uint, Value::Uint(_, crate::value::IntType::Uint)) => true,
            (Param::Float, Value::Float(_)) => true,
            (Param::List(e), Value::List(l)) => l.elem == e,
            (Param::Map(e), Value::Map(m)) => m.elem == e,
            (Param::Bytes, Value::Bytes(_)) => true,
            _ => false,
        };
        if ok {
            return Ok(v);
        }
        Err(self.errorf(format!(
            "wrong type for value; expected {}; got {}",
            typ.type_name(),
            v.type_name()
        )))
    }
}

/// The zero value Go passes for a nil argument of a nil-able type.
fn zero_param(typ: Param) -> Value {
    match typ {
        Param::List(e) => Value::typed_list(Vec::new(), e),
        Param::Map(e) => Value::typed_map(Default::default(), e),
        Param::Bytes => Value::Bytes(std::rc::Rc::from(Vec::new())),
        _ => Value::Nil,
    }
}

/// Builtin `call`: values never hold functions here, so it always fails
/// with Go's wording.
fn call_error(argv: &[Value], args: &[Arg]) -> String {
    match argv.first() {
        None | Some(Value::Nil) => "call of nil".into(),
        Some(v) => {
            let node = args.first().map(|a| format!("{a} ")).unwrap_or_default();
            format!("non-function {node}of type {}", v.type_name())
        }
    }
}
