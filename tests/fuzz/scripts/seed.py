#!/usr/bin/env python3
"""Build the fuzz seed corpora and dictionaries at run time (never committed).

Owns: tests/fuzz/corpus/<target>/ and tests/fuzz/dict/<target>.dict, made from
the shared conformance material (../shared/conformance from the repo root):
function-case templates and their values for gotmpl_*/yaml_parse, chart
templates and values files, and a handful of --set expressions for strvals.
Does not own running the fuzzer (see the Makefile lines in the report / README).
"""
import hashlib
import json
import pathlib
import re
import sys

HERE = pathlib.Path(__file__).resolve().parent.parent
SHARED = (HERE / "../../../shared/conformance").resolve()
MAX_SEED = 16 * 1024


def put(target, text):
    data = text.encode("utf-8")
    if not data or len(data) > MAX_SEED:
        return
    d = HERE / "corpus" / target
    d.mkdir(parents=True, exist_ok=True)
    (d / hashlib.sha1(data).hexdigest()).write_bytes(data)


def dict_entry(tok):
    esc = "".join(c if 32 <= ord(c) < 127 and c not in '"\\' else "\\x%02x" % ord(c)
                  for c in tok if ord(c) < 256)
    return '"%s"' % esc


def main():
    if not SHARED.is_dir():
        sys.exit(f"conformance corpus not found at {SHARED}")
    words = set()
    yamls = set()
    for f in sorted((SHARED / "functions").glob("*.jsonl")):
        for line in f.read_text().split("\n"):
            if not line.strip():
                continue
            case = json.loads(line)
            tpl = case.get("template", "")
            put("gotmpl_parse", tpl)
            put("gotmpl_exec", tpl)
            words.update(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", tpl))
            if case.get("values_yaml"):
                yamls.add(case["values_yaml"])
    charts = SHARED / "charts"
    for p in sorted(charts.rglob("*")):
        if not p.is_file():
            continue
        try:
            text = p.read_text()
        except (UnicodeDecodeError, OSError):
            continue
        if "/templates/" in str(p) and p.suffix in (".yaml", ".tpl", ".txt", ".json"):
            put("gotmpl_parse", text)
            put("gotmpl_exec", text)
        elif p.suffix in (".yaml", ".yml"):
            yamls.add(text)
    for y in sorted(yamls):
        put("yaml_parse", y)
    for s in [
        "a=b", "a.b=c,d.e=f", "list[0]=x", "list[2].k=v", "a=1,b=true,c=null",
        "a={x,y}", r"a\.b=c", "name=a\\,b", "a.b[1]=2,a.b[0]=1", "x=1e3", "x=0x10",
        'j={"k":[1,2]}', "a[0][1]=c", "a=", "=b", "a.b.c.d=e,a.b=f",
    ]:
        put("strvals", s)
    template_tokens = ["{{", "}}", "{{-", "-}}", "{{/*", "*/}}", "|", ":=", "=", "$",
                       ".Values", ".Release", "range", "if", "else", "with", "end",
                       "define", "template", "block", "break", "continue", "nil",
                       "include", "tpl", '"', "`", "(", ")", ","]
    (HERE / "dict").mkdir(exist_ok=True)
    toks = sorted(set(template_tokens) | {w for w in words if len(w) > 1})
    (HERE / "dict" / "gotmpl.dict").write_text("\n".join(dict_entry(t) for t in toks) + "\n")
    yaml_tokens = ["---", "...", ": ", "- ", "? ", "&a", "*a", "!!str", "!!int", "!!map",
                   "<<", "|", ">", "|-", ">+", "'", '"', "{", "}", "[", "]", "#", "%YAML 1.1",
                   "%TAG", "~", "null", "true", "yes", "0x1F", ".inf", "-.nan", "1e3", "0o7"]
    (HERE / "dict" / "yaml.dict").write_text("\n".join(dict_entry(t) for t in yaml_tokens) + "\n")
    sv_tokens = ["=", ",", ".", "[", "]", "\\", "{", "}", "null", "true", "0", "[0]", "[-1]"]
    (HERE / "dict" / "strvals.dict").write_text("\n".join(dict_entry(t) for t in sv_tokens) + "\n")
    for t in ("gotmpl_parse", "gotmpl_exec", "yaml_parse", "strvals"):
        n = len(list((HERE / "corpus" / t).glob("*")))
        print(f"{t}: {n} seeds")


main()
