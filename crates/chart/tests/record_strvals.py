#!/usr/bin/env python3
"""Record Helm v4.2.3's pkg/strvals results for the --set family.

Run from the repository root with the reference SDK:
    .local/helm-venv/bin/python crates/chart/tests/record_strvals.py
It writes crates/chart/tests/data/strvals.json, read by tests/strvals_golden.rs.

helm_python function -> Helm parser -> flag:
    parse_set_string         strvals.Parse        --set (typed: int64, bool, null)
    parse_set_string_values  strvals.ParseString  --set-string
    parse_set_json           strvals.ParseJSON    --set-json (key=<json> form)
    parse_set_literal        strvals.ParseLiteral --set-literal
    parse_set_file           strvals.ParseFile    --set-file (files made here, in a temp dir)

Results cross a JSON boundary, so Python cannot tell float64 1 from int64 1: the
test knows that numbers are int64 in --set results and float64 in --set-json ones.
"""

import json
import os
import sys
import tempfile

import helm_python as h

SET = [
    "a=1", "a=b", "a=1,b=2", "a.b=c", "a.b.c.d=e", "a=true", "a=TRUE", "a=False",
    "a=null", "a=NULL", "a=0", "a=00", "a=007", "a=-3", "a=+5", "a=-07", "a=1.5",
    "a=1e3", "a=9223372036854775807", "a=9223372036854775808", "a=-9223372036854775808",
    "a=yes", "a=no", "a=", "a= spaced ", 'a="q"', "a='q'", "a=1,", "a", "a=1,b",
    ".a=1", "a..b=1", "a.=1", "a=b=c", "name=a=b", "a\\.b=c", "a=x\\,y", "a=x\\\\y",
    "a\\=b=c", "a\\[0\\]=x", "a[0]=x", "a[0]=x,a[2]=y", "a[1].b=1", "a[0].b=1,a[0].c=2",
    "a[0][1]=x", "a[0][0]=x,a[0][1]=y", "a[1][0].b=c", "a={1,two,3.5}", "a={}", "a={a,b}",
    "a={a,b},c=d", "a={a\\,b,c}", "a={a", "a={}}", "a[0]={1,2}", "a.b=1,a=2", "a=2,a.b=1",
    "a=2,a[0]=1", "a[0]=1,a.b=2", "a[0]=1,a[0].b=2", "a[0].b=1,a[0]=2", "a[0]=x,a[0][0]=y",
    "a[-1]=x", "a[100]=x", "a[65537]=x", "a[99999999999999999999]=x", "a[x]=1", "a[1", "a[]=1", "a[+1]=x",
    "a[0]b=1", "a[0]", "a[0],b=1", "a.b", "a.b,c=d", "a,b=1", ",a=1", "a=1,,b=2",
    "a=1, b=2", " a=1", "a=x y", "a=ünïcödé", "ключ=значение", "a=b\\", "a\\", "a=\\",
    "a=%s", "a=1:20", "a=0x10", "a=1_000", "a=+", "a=-", "a=--1", "a=1-", "a=007a",
    "a=12345678901234567890", "a.b[0].c[1].d=e", "image.tag=v1.2.3",
    "env[0].name=A,env[0].value=b", "ingress.hosts[0]=a.example.com",
    "resources.limits.cpu=100m", "annotations.foo\\.bar/baz=x", "a=nil", "a=None",
    "a=on", "a=off", "a=~", "a={ a , b }", "a={true,null,0,01}", "a=[1,2]",
    "a.b.c=1,a.b.d=2,a.e=3", "a[0]=1,a[0]=2", "a[2]=z,a[0]=x",
    "=1", "a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z.aa.bb.cc.dd=1",
    "a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z.aa.bb.cc.dd.ee=1",
]

SET_STRING = [
    "a=1", "a=true", "a=null", "a=1.5", "a={1,true}", "a[0]=1", "a.b=007", "a=",
    "a", "a=x\\,y", "a=2,a.b=1", "a=-3", "a[1].b=null",
]

SET_JSON = [
    'a=1', 'a=1.5', 'a="s"', 'a=true', 'a=null', 'a=', 'a=[1,2]', 'a={"b":1}',
    'a.b=[1, 2], c=3', 'a=1,b=2', 'a=1 , b=2', 'a[0]={"x":1}', 'a[1]="y"', 'a=[1',
    'a=x', 'a={"b":{"c":[true,null]}}', 'a=  "sp"', 'a=1e3', 'a="q,r"', 'a[0]=',
    'a.b=1,a.c=2', 'a=12345678901234567890', 'a', 'a=1,', 'a={"b":1},a.c=2',
]

SET_LITERAL = [
    "a=b,c=d", "a=1", "a=true", "a=", "a", "a.b=c", "a\\.b=c", "a[0]=x", "a[0].b=x",
    "a=x\\,y", "a={1,2}", "a=null", "a.b.c=d=e", "a[1][0]=z", "a[x]=1", "a=b\nc",
]

# (expression, {file name: content})
SET_FILE = [
    ("a=f1.txt", {"f1.txt": "hello\n"}),
    ("a=f1.txt,b=f2.txt", {"f1.txt": "one", "f2.txt": "two: 2\n"}),
    ("a.b=f1.txt", {"f1.txt": "nested"}),
    ("a[0]=f1.txt", {"f1.txt": "listed"}),
    ("a=missing.txt", {}),
    ("a={f1.txt,f2.txt}", {"f1.txt": "x", "f2.txt": "y"}),
]


def record(fn, expr):
    try:
        return {"expr": expr, "result": fn(expr)}
    except Exception as e:  # HelmValuesError and friends
        return {"expr": expr, "error": getattr(e, "detail", str(e))}


def main():
    out = {
        "helm": h.helm_sdk_version() if hasattr(h, "helm_sdk_version") else "",
        "note": "numbers: int64 in set/set_string/set_literal/set_file results, float64 in set_json",
        "set": [record(h.parse_set_string, e) for e in SET],
        "set_string": [record(h.parse_set_string_values, e) for e in SET_STRING],
        "set_json": [record(h.parse_set_json, e) for e in SET_JSON],
        "set_literal": [record(h.parse_set_literal, e) for e in SET_LITERAL],
        "set_file": [],
    }
    cwd = os.getcwd()
    for expr, files in SET_FILE:
        with tempfile.TemporaryDirectory() as d:
            for name, content in files.items():
                with open(os.path.join(d, name), "w") as f:
                    f.write(content)
            os.chdir(d)
            try:
                rec = record(h.parse_set_file, expr)
            finally:
                os.chdir(cwd)
            rec["files"] = files
            out["set_file"].append(rec)
    dest = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "strvals.json")
    with open(dest, "w") as f:
        json.dump(out, f, indent=1, ensure_ascii=False, sort_keys=True)
        f.write("\n")
    n = sum(len(v) for v in out.values() if isinstance(v, list))
    print(f"wrote {dest}: {n} expressions", file=sys.stderr)


if __name__ == "__main__":
    main()
