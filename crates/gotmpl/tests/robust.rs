//! Robustness: random template-like input must produce output or an error,
//! never a panic or a hang.

use origan_gotmpl::{FuncMap, MissingKey, Options, Templates, Value};

const PIECES: &[&str] = &[
    "{{",
    "}}",
    "{{-",
    "-}}",
    " ",
    "\n",
    ".",
    ".a",
    ".b.c",
    "$",
    "$x",
    ":=",
    "=",
    "|",
    "(",
    ")",
    "\"s\"",
    "`r`",
    "'c'",
    "1",
    "-2",
    "0x1f",
    "1e3",
    "1.5",
    "if",
    "else",
    "end",
    "range",
    "with",
    "define",
    "template",
    "block",
    "break",
    "continue",
    "nil",
    "true",
    "and",
    "or",
    "not",
    "len",
    "index",
    "slice",
    "print",
    "printf",
    "\"%d %s %v %q %x\"",
    "eq",
    "lt",
    "html",
    "js",
    "urlquery",
    "call",
    "/*",
    "*/",
    ",",
    "\"a\"",
    "{{ end }}",
    "{{ if 1 }}",
    "{{ range . }}",
    "{{ define \"a\" }}",
    "{{ template \"a\" . }}",
    "\\",
    "\"",
    "'",
    "`",
    "é",
    "}",
    "{",
];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn random_templates_never_panic() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let data = Value::map(
        [
            (
                "a".to_string(),
                Value::list(vec![Value::int(1), Value::Nil]),
            ),
            ("b".to_string(), Value::map(Default::default())),
        ]
        .into_iter()
        .collect(),
    );
    let mut ok = 0;
    for _ in 0..5000 {
        let n = 1 + (rng.next() % 24) as usize;
        let text: String = (0..n)
            .map(|_| PIECES[(rng.next() % PIECES.len() as u64) as usize])
            .collect();
        let mut set = Templates::new("s", FuncMap::new());
        set.set_options(Options {
            missing_key: MissingKey::Zero,
            max_steps: 100_000,
            ..Options::default()
        });
        if set.parse("t", &text).is_ok() && set.execute("t", &data).is_ok() {
            ok += 1;
        }
    }
    eprintln!("{ok} of 5000 random templates ran");
}
