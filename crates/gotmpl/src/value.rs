//! The value model: what a Go template sees through `interface{}`.
//!
//! Owns the shapes of values and their Go type names (`typeOf`, `kindOf`),
//! Go's truthiness and the reference semantics of maps. Does not own
//! printing (see `fmt`) or conversion rules for function arguments (see
//! `func`).
//!
//! Go distinguishes types that print alike: `int` and `int64`, `[]string` and
//! `[]interface {}`, `map[string]string` and `map[string]interface {}`.
//! Sprig's `typeOf`, `kindIs` and `deepEqual`, and text/template's argument
//! checks, expose those differences, so a value carries its Go type.

use std::any::Any;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt;
use std::rc::Rc;

/// A Go value held in an `interface{}`.
#[derive(Clone)]
pub enum Value {
    /// A nil `interface{}`: a missing map key under `missingkey=zero`, or a
    /// YAML/JSON null. Templates print it as `<no value>`, fmt as `<nil>`.
    Nil,
    /// `bool`
    Bool(bool),
    /// A signed integer of the given Go type (`int`, `int64`, ...).
    Int(i64, IntType),
    /// An unsigned integer of the given Go type (`uint`, `uint64`, ...).
    Uint(u64, IntType),
    /// `float64`
    Float(f64),
    /// `string` whose bytes are valid UTF-8: nearly every Go string.
    String(Rc<str>),
    /// `string` whose bytes are not valid UTF-8 (Go strings are byte
    /// strings: `b64dec`, `substr` cutting a rune, a `"\xff"` literal).
    /// Build strings from bytes with [`Value::go_string`], which keeps the
    /// invariant that valid UTF-8 is always a [`Value::String`].
    ByteString(Rc<[u8]>),
    /// `[]byte`
    Bytes(Rc<[u8]>),
    /// A slice (`[]interface {}`, `[]string`, ...).
    List(List),
    /// A map with string keys (`map[string]interface {}`, ...), shared by
    /// reference as Go maps are: `set $d "k" 1` is seen by every holder.
    Map(Map),
    /// A host object with fields and methods (`.Files`, `*semver.Version`,
    /// `time.Time`, ...).
    Object(Rc<dyn Object>),
}

/// Go's integer types. Signed variants are held in [`Value::Int`], unsigned
/// ones in [`Value::Uint`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum IntType {
    /// `int`
    Int,
    /// `int8`
    Int8,
    /// `int16`
    Int16,
    /// `int32` (also `rune`)
    Int32,
    /// `int64`
    Int64,
    /// `uint`
    Uint,
    /// `uint8` (also `byte`)
    Uint8,
    /// `uint16`
    Uint16,
    /// `uint32`
    Uint32,
    /// `uint64`
    Uint64,
    /// `uintptr`
    Uintptr,
}

impl IntType {
    /// The Go type name, as `typeOf` prints it.
    pub fn name(self) -> &'static str {
        match self {
            IntType::Int => "int",
            IntType::Int8 => "int8",
            IntType::Int16 => "int16",
            IntType::Int32 => "int32",
            IntType::Int64 => "int64",
            IntType::Uint => "uint",
            IntType::Uint8 => "uint8",
            IntType::Uint16 => "uint16",
            IntType::Uint32 => "uint32",
            IntType::Uint64 => "uint64",
            IntType::Uintptr => "uintptr",
        }
    }
}

/// The element type of a slice or the value type of a map.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ElemType {
    /// `interface {}`
    Any,
    /// `string`
    String,
    /// An integer type.
    Int(IntType),
    /// `float64`
    Float,
    /// `bool`
    Bool,
}

impl ElemType {
    /// The Go type name of the element.
    pub fn name(self) -> &'static str {
        match self {
            ElemType::Any => "interface {}",
            ElemType::String => "string",
            ElemType::Int(t) => t.name(),
            ElemType::Float => "float64",
            ElemType::Bool => "bool",
        }
    }
}

/// A Go slice. Items are shared; functions that "modify" a list (append,
/// prepend, ...) build a new one, as Sprig does.
#[derive(Clone)]
pub struct List {
    /// The items.
    pub items: Rc<Vec<Value>>,
    /// The element type (`[]string` vs `[]interface {}`).
    pub elem: ElemType,
}

/// A Go map with string keys. Cloning a `Map` clones the reference, not the
/// entries: Go maps are reference types and templates rely on it (`merge`
/// mutates its first argument; `.Values` is shared by all templates).
#[derive(Clone)]
pub struct Map {
    /// The entries, kept sorted: Go templates range over maps in key order.
    pub entries: Rc<RefCell<BTreeMap<String, Value>>>,
    /// The value type (`map[string]string` vs `map[string]interface {}`).
    pub elem: ElemType,
    /// A named map type, e.g. Helm's `common.Values` (the type of `.`,
    /// `.Values` and `.Template`). Go assigns a named map to a parameter
    /// of its underlying type, but a type assertion to
    /// `map[string]interface {}` fails on it (Sprig's `dig`), and `typeOf`
    /// prints the name.
    pub name: Option<Rc<str>>,
}

/// A host value with fields and methods: Helm's `.Files`, `.Capabilities`,
/// `.Release`; Sprig's `*semver.Version`, `time.Time`, ...
pub trait Object {
    /// The Go type name as `typeOf` prints it, e.g. `*semver.Version`.
    fn type_name(&self) -> String;
    /// The Go kind as `kindOf` prints it: `struct`, `ptr`, `map`, ...
    fn kind_name(&self) -> &'static str {
        "struct"
    }
    /// A field, or a method called with `args`. `None` when the object has no
    /// member of that name (the evaluator words the error). Fields are only
    /// ever asked with no arguments.
    fn member(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>>;
    /// Whether `name` is a method taking arguments (so `.Files.Get "x"` passes
    /// `"x"` to it) rather than a field.
    fn is_method(&self, name: &str) -> bool;
    /// A method's Go parameters, `(fixed, variadic)`, when it declares
    /// them: the evaluator then checks the argument count (`wrong number of
    /// args for Get: want 1 got 0`) and converts arguments as for functions
    /// (`expected string; found 1`). `None` (the default) passes arguments
    /// unconverted, untyped constants as `int`/`float64`.
    fn method_params(
        &self,
        _name: &str,
    ) -> Option<(Vec<crate::func::Param>, Option<crate::func::Param>)> {
        None
    }
    /// How `{{ . }}` prints it (text/template uses `String()` when the value
    /// or its address implements fmt.Stringer).
    fn template_string(&self) -> String;
    /// How fmt's `%v` prints it (`print`, `printf "%v"`); differs from
    /// [`Object::template_string`] where `String()` has a pointer receiver,
    /// as with Helm's `.Capabilities.KubeVersion`.
    fn fmt_string(&self) -> String {
        self.template_string()
    }
    /// For downcasting in functions that take a specific Go type.
    fn as_any(&self) -> &dyn Any;
    /// For a Go map or slice type with methods (Helm's `.Files` and what
    /// `.Files.Glob` returns are `map[string][]byte` with methods): the
    /// map or list itself. `range`, `index`, `len` and `slice` then work on
    /// it, and a field that is not a member is looked up as a map key.
    fn collection(&self) -> Option<Value> {
        None
    }
}

impl Value {
    /// A `string`.
    pub fn str(s: impl Into<Rc<str>>) -> Value {
        Value::String(s.into())
    }

    /// An `int`.
    pub fn int(i: i64) -> Value {
        Value::Int(i, IntType::Int)
    }

    /// An `int64`.
    pub fn int64(i: i64) -> Value {
        Value::Int(i, IntType::Int64)
    }

    /// A `[]interface {}`.
    pub fn list(items: Vec<Value>) -> Value {
        Value::List(List {
            items: Rc::new(items),
            elem: ElemType::Any,
        })
    }

    /// A slice with a given element type, e.g. `[]string`.
    pub fn typed_list(items: Vec<Value>, elem: ElemType) -> Value {
        Value::List(List {
            items: Rc::new(items),
            elem,
        })
    }

    /// A new `map[string]interface {}`.
    pub fn map(entries: BTreeMap<String, Value>) -> Value {
        Value::Map(Map {
            entries: Rc::new(RefCell::new(entries)),
            elem: ElemType::Any,
            name: None,
        })
    }

    /// A new map of a named `map[string]interface {}` type, e.g.
    /// `common.Values`.
    pub fn named_map(entries: BTreeMap<String, Value>, name: &str) -> Value {
        Value::Map(Map {
            entries: Rc::new(RefCell::new(entries)),
            elem: ElemType::Any,
            name: Some(name.into()),
        })
    }

    /// A new map with a given value type, e.g. `map[string]string`.
    pub fn typed_map(entries: BTreeMap<String, Value>, elem: ElemType) -> Value {
        Value::Map(Map {
            entries: Rc::new(RefCell::new(entries)),
            elem,
            name: None,
        })
    }

    /// The Go type name, as Sprig's `typeOf` prints it (`fmt.Sprintf("%T")`):
    /// `<nil>`, `int`, `float64`, `[]interface {}`, `map[string]interface {}`.
    pub fn type_name(&self) -> String {
        match self {
            Value::Nil => "<nil>".to_string(),
            Value::Bool(_) => "bool".to_string(),
            Value::Int(_, t) | Value::Uint(_, t) => t.name().to_string(),
            Value::Float(_) => "float64".to_string(),
            Value::String(_) | Value::ByteString(_) => "string".to_string(),
            Value::Bytes(_) => "[]uint8".to_string(),
            Value::List(l) => format!("[]{}", l.elem.name()),
            Value::Map(m) => match &m.name {
                Some(n) => n.to_string(),
                None => format!("map[string]{}", m.elem.name()),
            },
            Value::Object(o) => o.type_name(),
        }
    }

    /// The Go kind, as Sprig's `kindOf` prints it (`reflect.Kind.String()`):
    /// `invalid` for nil, `int64`, `slice`, `map`, `struct`, `ptr`.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Value::Nil => "invalid",
            Value::Bool(_) => "bool",
            Value::Int(_, t) | Value::Uint(_, t) => t.name(),
            Value::Float(_) => "float64",
            Value::String(_) | Value::ByteString(_) => "string",
            Value::Bytes(_) | Value::List(_) => "slice",
            Value::Map(_) => "map",
            Value::Object(o) => o.kind_name(),
        }
    }

    /// Go text/template's truth: false, 0, nil, and empty strings, slices and
    /// maps are false; structs are always true.
    pub fn is_true(&self) -> bool {
        match self {
            Value::Nil => false,
            Value::Bool(b) => *b,
            Value::Int(i, _) => *i != 0,
            Value::Uint(u, _) => *u != 0,
            Value::Float(f) => *f != 0.0,
            Value::String(s) => !s.is_empty(),
            Value::ByteString(b) | Value::Bytes(b) => !b.is_empty(),
            Value::List(l) => !l.items.is_empty(),
            Value::Map(m) => !m.entries.borrow().is_empty(),
            // Structs are always true; map- or slice-kinded objects are
            // true when non-empty.
            Value::Object(o) => o.collection().is_none_or(|c| c.is_true()),
        }
    }

    /// For an object with a [`Object::collection`], that collection; any
    /// other value as is.
    pub fn collection_view(&self) -> Value {
        match self {
            Value::Object(o) => o.collection().unwrap_or_else(|| self.clone()),
            other => other.clone(),
        }
    }

    /// The string, if this is a `string` of valid UTF-8.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// A Go `string` of these bytes: a [`Value::String`] when they are
    /// valid UTF-8, else a [`Value::ByteString`].
    pub fn go_string(bytes: Vec<u8>) -> Value {
        match String::from_utf8(bytes) {
            Ok(s) => Value::String(s.into()),
            Err(e) => Value::ByteString(e.into_bytes().into()),
        }
    }

    /// The bytes of a `string`, whatever its encoding.
    pub fn string_bytes(&self) -> Option<&[u8]> {
        match self {
            Value::String(s) => Some(s.as_bytes()),
            Value::ByteString(b) => Some(b),
            _ => None,
        }
    }

    /// A `string` as text, invalid bytes as U+FFFD (see [`go_lossy`]).
    pub fn string_lossy(&self) -> Option<std::borrow::Cow<'_, str>> {
        match self {
            Value::String(s) => Some(std::borrow::Cow::Borrowed(s)),
            Value::ByteString(b) => Some(std::borrow::Cow::Owned(go_lossy(b))),
            _ => None,
        }
    }
}

/// Bytes as text the way Go's `range` over a string and encoding/json see
/// them: each byte that does not start a valid UTF-8 sequence becomes one
/// U+FFFD (Rust's `from_utf8_lossy` would fold a truncated sequence into a
/// single one).
pub fn go_lossy(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    let mut rest = bytes;
    while !rest.is_empty() {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                out.push_str(s);
                break;
            }
            Err(e) => {
                let (good, bad) = rest.split_at(e.valid_up_to());
                out.push_str(std::str::from_utf8(good).unwrap_or_default());
                out.push('\u{fffd}');
                rest = &bad[1..];
            }
        }
    }
    out
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Nil => write!(f, "nil"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Int(i, t) => write!(f, "{}({i})", t.name()),
            Value::Uint(u, t) => write!(f, "{}({u})", t.name()),
            Value::Float(x) => write!(f, "float64({x})"),
            Value::String(s) => write!(f, "{s:?}"),
            Value::ByteString(b) => write!(f, "string({b:?})"),
            Value::Bytes(b) => write!(f, "[]byte({b:?})"),
            Value::List(l) => f.debug_list().entries(l.items.iter()).finish(),
            Value::Map(m) => f.debug_map().entries(m.entries.borrow().iter()).finish(),
            Value::Object(o) => write!(f, "{}({})", o.type_name(), o.template_string()),
        }
    }
}
