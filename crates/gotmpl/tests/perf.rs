//! A rough performance probe (ignored by default; run with
//! `cargo test --release -p origan-gotmpl --test perf -- --ignored --nocapture`):
//! a synthetic chart of 300 templates with helpers, includes, ranges and
//! conditionals, parsed and rendered once, as Helm does per release.

use std::collections::BTreeMap;
use std::time::Instant;

use origan_gotmpl::{ExecFunc, FuncError, FuncMap, MissingKey, Options, Param, Templates, Value};

#[test]
#[ignore]
fn render_300_templates() {
    let mut funcs = FuncMap::new();
    funcs.insert_exec(
        "include",
        ExecFunc::new(&[Param::String, Param::Any], |ex, a| {
            let name = a[0].as_str().unwrap_or_default().to_string();
            ex.execute_named(&name, &a[1])
                .map(Value::str)
                .map_err(|e| FuncError::new(e.to_string()))
        }),
    );
    let helpers = r#"{{- define "c.name" -}}{{ .Chart.Name }}{{- end -}}
{{- define "c.labels" -}}
app: {{ include "c.name" . }}
release: {{ .Release.Name }}
{{- range $k, $v := .Values.labels }}
{{ $k }}: {{ $v | printf "%q" }}
{{- end }}
{{- end -}}"#;
    let body = r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "c.name" . }}-{{ .Template.Name }}
  labels:
{{ include "c.labels" . | indent 4 }}
data:
{{- range $i, $item := .Values.items }}
  {{- if and $item.enabled (gt (len $item.name) 0) }}
  item{{ $i }}: {{ $item.name | printf "%s-%v" $.Release.Name | quote }}
  {{- else }}
  skipped{{ $i }}: "{{ $item.name }}"
  {{- end }}
{{- end }}
"#;
    funcs.insert(
        "indent",
        origan_gotmpl::Func::new(&[Param::Int, Param::String], |a| {
            let pad = " ".repeat(match a[0] {
                Value::Int(n, _) => n as usize,
                _ => 0,
            });
            let s = a[1].as_str().unwrap_or_default();
            Ok(Value::str(
                s.lines()
                    .map(|l| format!("{pad}{l}"))
                    .collect::<Vec<_>>()
                    .join("\n"),
            ))
        }),
    );
    funcs.insert(
        "quote",
        origan_gotmpl::Func::variadic(&[], Param::Any, |a| {
            Ok(Value::str(
                a.iter()
                    .map(|v| format!("{:?}", origan_gotmpl::fmt::format_value(v)))
                    .collect::<Vec<_>>()
                    .join(" "),
            ))
        }),
    );
    let items: Vec<Value> = (0..50)
        .map(|i| {
            let mut m = BTreeMap::new();
            m.insert("name".to_string(), Value::str(format!("item{i}")));
            m.insert("enabled".to_string(), Value::Bool(i % 3 != 0));
            Value::map(m)
        })
        .collect();
    let mut labels = BTreeMap::new();
    for i in 0..10 {
        labels.insert(format!("l{i}"), Value::str(format!("v{i}")));
    }
    let mut values = BTreeMap::new();
    values.insert("items".to_string(), Value::list(items));
    values.insert("labels".to_string(), Value::map(labels));
    let mk = |pairs: Vec<(&str, Value)>| {
        Value::map(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
    };

    let t0 = Instant::now();
    let mut set = Templates::new("gotpl", funcs);
    set.set_options(Options {
        missing_key: MissingKey::Zero,
        ..Options::default()
    });
    set.parse("c/templates/_helpers.tpl", helpers).unwrap();
    for i in 0..300 {
        set.parse(&format!("c/templates/t{i}.yaml"), body).unwrap();
    }
    let parsed = t0.elapsed();
    let mut total = 0;
    for i in 0..300 {
        let data = mk(vec![
            ("Values", Value::map(values.clone())),
            ("Release", mk(vec![("Name", Value::str("rel"))])),
            ("Chart", mk(vec![("Name", Value::str("c"))])),
            ("Template", mk(vec![("Name", Value::str(format!("t{i}")))])),
        ]);
        total += set
            .execute(&format!("c/templates/t{i}.yaml"), &data)
            .unwrap()
            .len();
    }
    eprintln!(
        "parse 301 templates: {parsed:?}; parse+render 300: {:?}; {total} bytes",
        t0.elapsed()
    );
}
