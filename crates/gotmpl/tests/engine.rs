//! Evaluator behaviour the corpus cannot reach: executor functions
//! (`include`/`tpl`-style), objects with methods, missingkey modes, limits.
//! Expected values follow text/template's documented semantics.

use std::any::Any;
use std::rc::Rc;

use origan_gotmpl::{
    Error, ExecFunc, FuncError, FuncMap, MissingKey, Object, Options, Param, Templates, Value,
};

fn set_with(funcs: FuncMap, files: &[(&str, &str)]) -> Templates {
    let mut set = Templates::new("gotpl", funcs);
    set.set_options(Options {
        missing_key: MissingKey::Zero,
        ..Options::default()
    });
    for (n, t) in files {
        set.parse(n, t).unwrap();
    }
    set
}

fn include_tpl() -> FuncMap {
    let mut f = FuncMap::new();
    f.insert_exec(
        "include",
        ExecFunc::new(&[Param::String, Param::Any], |ex, a| {
            let name = a[0].as_str().unwrap_or_default().to_string();
            if ex.count(&name, 1) > 1000 {
                return Err(FuncError::new(format!(
                    "rendering template has a nested reference name: {name}: unable to execute template"
                )));
            }
            let r = ex.execute_named(&name, &a[1]);
            ex.count(&name, -1);
            r.map(Value::str).map_err(|e| FuncError::new(e.to_string()))
        }),
    );
    f.insert_exec(
        "tpl",
        ExecFunc::new(&[Param::String, Param::Any], |ex, a| {
            let name = ex.template_name().to_string();
            ex.execute_text(&name, a[0].as_str().unwrap_or_default(), &a[1])
                .map(Value::str)
                .map_err(|e| FuncError::new(e.to_string()))
        }),
    );
    f
}

#[test]
fn include_and_tpl() {
    let set = set_with(
        include_tpl(),
        &[
            ("c/templates/_h.tpl", "{{ define \"n\" }}[{{ . }}]{{ end }}"),
            (
                "c/templates/a.yaml",
                "{{ include \"n\" 1 | printf \"%s!\" }} {{ tpl \"{{ define \\\"z\\\" }}Z{{ end }}{{ include \\\"z\\\" . }}{{ .k }}\" . }}",
            ),
        ],
    );
    let data = Value::map([("k".to_string(), Value::str("v"))].into_iter().collect());
    assert_eq!(set.execute("c/templates/a.yaml", &data).unwrap(), "[1]! Zv");
    // The define made inside tpl stays in the clone.
    assert!(!set.contains("z"));
}

#[test]
fn include_errors_nest_and_recursion_is_bounded() {
    let set = set_with(
        include_tpl(),
        &[
            (
                "t/_r.tpl",
                "{{ define \"r\" }}{{ include \"r\" . }}{{ end }}",
            ),
            ("t/a.yaml", "{{ include \"nope\" . }}"),
            ("t/b.yaml", "{{ include \"r\" . }}"),
        ],
    );
    let e = set
        .execute("t/a.yaml", &Value::Nil)
        .unwrap_err()
        .to_string();
    assert_eq!(
        e,
        "template: t/a.yaml:1:3: executing \"t/a.yaml\" at <include \"nope\" .>: error calling include: template: no template \"nope\" associated with template \"gotpl\""
    );
    let e = set
        .execute("t/b.yaml", &Value::Nil)
        .unwrap_err()
        .to_string();
    assert!(
        e.ends_with(
            "rendering template has a nested reference name: r: unable to execute template"
        ),
        "{e}"
    );
}

#[test]
fn template_recursion_limit() {
    let mut set = set_with(
        FuncMap::new(),
        &[(
            "t",
            "{{ define \"x\" }}{{ template \"x\" . }}{{ end }}{{ template \"x\" . }}",
        )],
    );
    set.set_options(Options {
        max_depth: 3000,
        ..*set.options()
    });
    let e = set.execute("t", &Value::Nil).unwrap_err().to_string();
    assert!(e.ends_with("exceeded maximum template depth (3000)"), "{e}");
}

#[test]
fn step_limit() {
    let mut set = set_with(FuncMap::new(), &[("t", "{{ range 100000000 }}{{ end }}")]);
    set.set_options(Options {
        max_steps: 10_000,
        ..*set.options()
    });
    assert!(set.execute("t", &Value::Nil).is_err());
}

#[test]
fn missing_key_modes() {
    let data = Value::map(Default::default());
    for (mode, want) in [
        (MissingKey::Default, Ok("<no value>".to_string())),
        (MissingKey::Zero, Ok("<no value>".to_string())),
        (MissingKey::Error, Err(())),
    ] {
        let mut set = set_with(FuncMap::new(), &[("t", "{{ .a }}")]);
        set.set_options(Options {
            missing_key: mode,
            ..Options::default()
        });
        assert_eq!(set.execute("t", &data).map_err(|_| ()), want, "{mode:?}");
    }
    // `.a.b` with `a` missing: no error by default, an error under zero.
    let mut set = set_with(FuncMap::new(), &[("t", "{{ .a.b }}")]);
    set.set_options(Options::default());
    assert_eq!(set.execute("t", &data).unwrap(), "<no value>");
    let set = set_with(FuncMap::new(), &[("t", "{{ .a.b }}")]);
    assert!(matches!(set.execute("t", &data), Err(Error::Exec { .. })));
}

struct Files;

impl Object for Files {
    fn type_name(&self) -> String {
        "engine.files".into()
    }
    fn member(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        match name {
            "Get" => Some(Ok(Value::str(format!("content of {}", args[0].as_str()?)))),
            "Count" => Some(Ok(Value::int(2))),
            _ => None,
        }
    }
    fn is_method(&self, name: &str) -> bool {
        name == "Get"
    }
    fn template_string(&self) -> String {
        "map[a:[] b:[]]".into()
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

#[test]
fn object_methods_and_fields() {
    let set = set_with(
        FuncMap::new(),
        &[(
            "t",
            "{{ .Files.Get \"x\" }}|{{ \"y\" | .Files.Get }}|{{ .Files.Count }}|{{ .Files }}|{{ .Files.Nope }}",
        )],
    );
    let data = Value::map(
        [("Files".to_string(), Value::Object(Rc::new(Files)))]
            .into_iter()
            .collect(),
    );
    let e = set.execute("t", &data).unwrap_err().to_string();
    assert!(
        e.ends_with("can't evaluate field Nope in type engine.files"),
        "{e}"
    );
    let set = set_with(
        FuncMap::new(),
        &[(
            "t",
            "{{ .Files.Get \"x\" }}|{{ \"y\" | .Files.Get }}|{{ .Files.Count }}|{{ .Files }}",
        )],
    );
    assert_eq!(
        set.execute("t", &data).unwrap(),
        "content of x|content of y|2|map[a:[] b:[]]"
    );
}

#[test]
fn later_define_replaces_earlier_but_empty_does_not() {
    let set = set_with(
        FuncMap::new(),
        &[
            ("a", "{{ define \"x\" }}A{{ end }}"),
            ("b", "{{ define \"x\" }}B{{ end }}"),
            ("c", "{{ define \"x\" }}{{ end }}"),
            ("main", "{{ template \"x\" }}"),
        ],
    );
    assert_eq!(set.execute("main", &Value::Nil).unwrap(), "B");
}

#[test]
fn deep_nesting_does_not_overflow() {
    let depth = 5000;
    let text = format!("{}1{}", "(".repeat(depth), ")".repeat(depth));
    let set = set_with(FuncMap::new(), &[("t", &format!("{{{{ {text} }}}}"))]);
    assert_eq!(set.execute("t", &Value::Nil).unwrap(), "1");
    let ifs = format!(
        "{}x{}",
        "{{ if 1 }}".repeat(depth),
        "{{ end }}".repeat(depth)
    );
    let set = set_with(FuncMap::new(), &[("t", &ifs)]);
    assert_eq!(set.execute("t", &Value::Nil).unwrap(), "x");
    // Go's parser stops at 10000 levels.
    let mut set = Templates::new("s", FuncMap::new());
    let too_deep = format!("{{{{ {}1{} }}}}", "(".repeat(20000), ")".repeat(20000));
    let e = set.parse("t", &too_deep).unwrap_err().to_string();
    assert!(e.ends_with("max expression depth exceeded"), "{e}");
}

struct Glob(Value);

impl Object for Glob {
    fn type_name(&self) -> String {
        "engine.files".into()
    }
    fn kind_name(&self) -> &'static str {
        "map"
    }
    fn member(&self, name: &str, _args: &[Value]) -> Option<Result<Value, String>> {
        (name == "AsConfig").then(|| Ok(Value::str("cfg")))
    }
    fn is_method(&self, name: &str) -> bool {
        name == "AsConfig"
    }
    fn template_string(&self) -> String {
        origan_gotmpl::fmt::format_value(&self.0)
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn collection(&self) -> Option<Value> {
        Some(self.0.clone())
    }
}

#[test]
fn map_like_objects_range_index_and_len() {
    let files = Value::map(
        [
            ("b.txt".to_string(), Value::Bytes(b"B".to_vec().into())),
            ("a.txt".to_string(), Value::Bytes(b"A".to_vec().into())),
        ]
        .into_iter()
        .collect(),
    );
    let data = Value::map(
        [("Files".to_string(), Value::Object(Rc::new(Glob(files))))]
            .into_iter()
            .collect(),
    );
    let set = set_with(
        FuncMap::new(),
        &[(
            "t",
            "{{ range $k, $v := .Files }}{{ $k }}={{ printf \"%s\" $v }};{{ end }}{{ len .Files }} {{ index .Files \"a.txt\" }} {{ .Files.AsConfig }}",
        )],
    );
    assert_eq!(
        set.execute("t", &data).unwrap(),
        "a.txt=A;b.txt=B;2 [65] cfg"
    );
}
