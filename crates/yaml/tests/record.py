#!/usr/bin/env python3
"""Record YAML/JSON goldens from the reference Helm (helm_python, Helm v4.2.3 SDK).

Run with /work/main/.local/helm-venv/bin/python crates/yaml/tests/record.py
Writes tests/data/goldens.json: for every input text, what Helm's template functions
made of it (fromYaml/fromYamlArray/fromJson piped into toYaml, toYamlPretty, toJson,
toPrettyJson, toRawJson) and what loading it as a chart's values.yaml gave.
"""
import json
import os
import sys
import tempfile

from helm_python import Chart, Config

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "data", "goldens.json")

LONG = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore"
WORD90 = "x" * 90

# YAML inputs (each a mapping document unless the name says otherwise).
YAML_INPUTS = {
    "scalars": "a: 1\nb: 1.5\nc: -2\nd: 0x1F\ne: 0777\nf: 0o17\ng: 0b101\nh: 1_000\ni: +12\nj: .5\nk: 1.\nl: 08\nm: 1e3\nn: 6.02e23\no: -0.0\n",
    "bigints": "a: 9007199254740993\nb: 12345678901234567890\nc: 123456789012345678901234567890\nd: -9223372036854775808\ne: 18446744073709551615\nf: 18446744073709551616\n",
    "floats": "a: 0.000001\nb: 0.0000001\nc: 1e21\nd: 1e20\ne: 1234567.5\nf: 3600.0\ng: 1e400\nh: 0.1\ni: 100000.5\n",
    "bools": "a: yes\nb: No\nc: ON\nd: off\ne: y\nf: N\ng: true\nh: False\ni: TRUE\nj: tRUE\n",
    "bool_keys": "y: 1\nn: 2\nyes: 3\non: 4\noff: 5\ntrue: 6\nYES: 7\n",
    "nulls": "a: ~\nb: null\nc: NULL\nd:\ne: Null\nf: nULL\n",
    "dates": "a: 2001-12-14\nb: 2001-12-14T21:59:43.10-05:00\nc: 2001-12-14 21:59:43.10\nd: 2001-1-2\ne: 2001-13-14\nf: 1:20\ng: 190:20:30\nh: 2001-02-30\n",
    "quote_needed": "a: 'yes'\nb: '123'\nc: ''\nd: '2001-12-14'\ne: '1:20'\nf: '~'\ng: 'null'\nh: '1e3'\ni: '0x10'\nj: 'true'\nk: '.inf'\nl: '<<'\nm: '1_000'\nn: '-'\no: '08'\n",
    "single_quoted": "a: 'a: b'\nb: ' lead'\nc: 'trail '\nd: '@foo'\ne: '- x'\nf: '# not a comment'\ng: '*wild'\nh: 'a #b'\ni: 'a# b'\nj: '&x'\nk: '!tag'\nl: '%p'\nm: '`b'\nn: '[x]'\no: '{x}'\np: '? q'\nq: ':x'\nr: 'x:'\ns: \"it's\"\nt: '|'\nu: '>'\nv: ',a'\n",
    "double_needed": "a: \"tab\\there\"\nb: \"nul\\0x\"\nc: \"bell\\a\"\nd: \"esc\\e\"\ne: \"nbsp\\u00a0x\"\nf: \"\\u0085\"\ng: \"bom\\ufeffx\"\nh: \"ls\\u2028x\"\ni: \"del\\x7f\"\nj: \"emoji \\U0001F600\"\nk: \"é ü 日本\"\n",
    "multiline": "a: \"l1\\nl2\"\nb: \"l1\\nl2\\n\"\nc: \"l1\\nl2\\n\\n\"\nd: \"\\nlead\"\ne: \" sp\\nx\"\nf: \"x \\ny\"\ng: \"x\\n y\"\nh: \"\\n\"\ni: \"a\\n\\nb\"\nj: \"trail\\nsp \"\nk: \"cr\\r\\nlf\"\n",
    "block_scalars": "lit: |\n  line1\n  line2\nkeep: |+\n  keep\n\nstrip: |-\n  strip\nfold: >\n  folded\n  text\n\n  para\nind: |2\n   indented\n",
    "long_strings": "a: " + LONG + "\nb: " + LONG + " " + LONG + "\nc: " + WORD90 + "\nd: \"" + LONG + ": colon\"\ne: \"" + ("word " * 30).strip() + "\"\nf: \"tab\\t " + LONG + "\"\ng: \"" + LONG + "\\n" + LONG + "\"\n",
    "long_nested": "a:\n  b:\n    c:\n      d: " + LONG + "\n      e:\n      - " + LONG + "\n",
    "long_quoted": "a: '" + LONG + " # hash'\nb: '" + ("y " * 50).strip() + "'\nc: \" " + LONG + "\"\n",
    "keys": "\"1\": one\n\"10\": ten\n\"2\": two\nB: b\na-b: 1\na.b: 2\na2: 3\na10: 4\nb: 5\nmy_key: 6\nmyKey: 7\n\"\": empty\n\"a b\": sp\n\"a:b\": colon\n\"x: y\": cs\n\"-\": dash\n\"?\": q\n",
    "numeric_keys": "1: one\n2.5: f\n0x10: hex\n-1: neg\n1e3: e\n",
    "odd_keys": "\"yes\": 1\n\"null\": 2\n\"~\": 3\n\"123\": 4\n\"true\": 5\n",
    "long_key": "\"" + ("k" * 130) + "\": v\n\"" + ("k" * 127) + "\": w\n",
    "nested": "a:\n  b:\n  - 1\n  - x: 1\n    y: [1, 2]\n  - - n1\n    - n2\n  - []\n  - {}\n  c: {}\n  d: []\nl:\n- - - deep\n",
    "empty_collections": "a: {}\nb: []\nc: [{}]\nd: [[]]\ne: {x: {}}\n",
    "anchors": "base: &b\n  x: 1\n  y: 2\nref: *b\nlist: &l [1, 2]\nlref: *l\ns: &s str\nsref: *s\n",
    "merge": "base: &b {x: 1, y: 2}\nother: &o {y: 3, z: 4}\nm1:\n  <<: *b\n  y: 9\nm2:\n  <<: [*b, *o]\nm3:\n  y: 0\n  <<: *b\nm4:\n  <<: {q: 1}\n  w: 2\n",
    "merge_quoted": "a: &a {x: 1}\nb:\n  '<<': *a\n",
    "tags": "a: !!str 123\nb: !!int '12'\nc: !!float 1\nd: !!bool 'yes'\ne: !custom hello\nf: ! 12\ng: !!binary aGVsbG8=\nh: !!str\ni: !!null ''\n",
    "flow": "a: {x: 1, y: [a, b, {c: d}]}\nb: [1, 'two', \"three\", four five]\nc: {? complex}\n",
    "comments": "# c\na: 1 # trailing\n# another\nb: 'x' # q\n",
    "duplicate_keys": "a: 1\na: 2\nb: {x: 1, x: 2}\n",
    "unicode": "name: héllo\nja: 日本語\nmixed: \"a\\u00e9b\"\n\u00e9t\u00e9: key\n",
    "trailing_spaces": "a: \"x  \"\nb: \"  x\"\nc: \" \"\nd: \"x \\n\"\n",
    "special_strings": "a: \"---\"\nb: \"...\"\nc: \"--- x\"\nd: \"a --- b\"\ne: \"=\"\nf: \"<<\"\ng: \"a'b\"\nh: 'a\"b'\ni: \"back\\\\slash\"\nj: \"<html>&amp;</html>\"\nk: \"\\u2028\"\nl: \"1.0.0\"\nm: \"v1.2\"\nn: \"1,000\"\no: \"0.0.0.0/0\"\np: \"*\"\nq: \"foo: bar: baz\"\n",
    "inf_value": "v: .inf\n",
    "neginf_value": "v: -.Inf\n",
    "nan_value": "v: .nan\n",
    "null_key": "~: x\n",
    "list_key": "? [a, b]\n: x\n",
    "map_key": "? {a: 1}\n: x\n",
    "bad_indent": "a:\n  b: 1\n c: 2\n",
    "tab_indent": "a:\n\t- x\n",
    "bad_token": "x: @foo\n",
    "unclosed_flow": "a: [1, 2\n",
    "unclosed_quote": "a: \"abc\n",
    "mapping_values": "a: b: c\n",
    "unknown_alias": "a: *nope\n",
    "self_alias": "a: &x [1, *x]\n",
    "merge_scalar": "a:\n  <<: 1\n",
    "bad_int_tag": "a: !!int abc\n",
    "bad_binary": "a: !!binary '%%%'\n",
    "list_doc": "- a\n- b\n",
    "scalar_doc": "just a string\n",
    "empty_doc": "",
    "comment_doc": "# nothing\n",
    "multi_doc": "a: 1\nb: {x: 1}\n---\nb: {y: 2}\n---\na: 3\n",
    "doc_start": "--- \na: 1\n",
    "doc_end": "a: 1\n...\n",
    "bad_separator": "a: 1\n--- b: 2\n",
    "bom": "\ufeffa: 1\n",
    "crlf": "a: 1\r\nb: two\r\n",
    "control_char": "a: \"\\x01\"\n",
    "deep_flow": "a: " + "[" * 50 + "]" * 50 + "\n",
    "many_types_list": "l: [1, 1.5, 'x', true, null, {}, [], 1e6, -0.5]\n",
    "html_chars": "a: \"<>&\"\nb: \"\\u2029\"\n",
    # Inputs without a final line break (block scalars at EOF, errors at EOF).
    "eof_literal": "a: |\n  x",
    "eof_literal_two": "a: |\n  x\n\n  y",
    "eof_literal_keep": "a: |+\n  x",
    "eof_literal_strip": "a: |-\n  x",
    "eof_folded": "a: >\n  x\n  y",
    "eof_keep_blank": "a: |+\n  x\n\n  ",
    "eof_clip_blank": "a: |\n  x\n  ",
    "eof_seq_literal": "- |\n  x",
    "eof_plain": "a: b",
    "eof_quote": "a: \"abc",
    "eof_squote": "a: 'abc",
    "eof_flow": "a: [1, 2",
    "eof_flow_map": "a: {x: 1",
    "eof_backslash": "a: \"x\\",
    "eof_comment": "a: |\n  x\n# c",
    "flow_tag_comma": "a: [!!str, x]\n",
    # Folding and quoting in the v2 emitter (80 columns).
    "fold_double": "a: \"" + ("word " * 20) + "\\ttab\"\nb: \"" + ("w" * 85) + " tail\\u0001\"\n",
    "fold_single": "a: '" + ("word " * 18) + "# x'\nb: '" + (("ab " * 30).strip()) + ":'\n",
    "fold_in_list": "l:\n- " + LONG + "\n- - " + LONG + "\n- k: " + LONG + "\n",
    "fold_spaces": "a: \"" + ("w  " * 40).strip() + "\"\nb: \"" + ("w" * 79) + " " + ("v" * 10) + "\"\n",
    "fold_deep_key": "a:\n  b:\n    c:\n      d:\n        e: " + LONG + "\n",
    "emoji_key": "\"😀\": smile\nk: \"x 😀 y\"\nlong: \"" + ("😀 " * 40).strip() + "\"\n",
    "multiline_key": "? \"a\\nb\"\n: v\n",
    "nbsp_strings": "a: \"x\\u00a0\"\nb: \"\\u00a0x\"\nc: \"\\u3000\"\n",
    "numbers_pretty": "a: 1000000\nb: 1.5\nc: 12345678\nd: 0.00001\ne: -3\nf: 1e21\ng: 123456789012345678\n",
    "quote_keys_v3": "\"yes\": 1\n\"1.5\": 2\n\"on\": 3\n\"null\": 4\n\"\": 5\n\" x\": 6\n",
    "seq_of_seq": "l:\n- - a\n  - b\n- - - c\n- []\n- - {}\n",
    "map_in_seq_in_map": "a:\n- b: 1\n  c:\n  - d\n  - e: f\n    g: h\n",
    "lit_in_seq": "l:\n- \"x\\ny\"\n- k: \"p\\nq\\n\"\n",
    "lead_space_multiline": "a: \"  x\\ny\"\nb: \"x\\n  y\\n\"\n",
    "windows_breaks": "a: \"x\\r\\ny\"\nb: \"x\\ry\"\n",
    "anchor_merge_chain": "a: &a {x: 1}\nb: &b\n  <<: *a\n  y: 2\nc:\n  <<: *b\n  z: 3\n",
    "merge_list_order": "a: &a {k: a}\nb: &b {k: b}\nc:\n  <<: [*a, *b]\n",
    "merge_override_later": "a: &a {k: a}\nc:\n  k: own\n  <<: *a\n",
    "nested_anchor_alias": "a: &a\n  b: &b [1, {c: *missing}]\n",
    "alias_key": "a: &k key\n*k : v\n",
    "timestamps_more": "a: 2001-12-14t21:59:43.10-05:00\nb: 2001-12-14T21:59:43Z\nc: 2001-12-14 21:59:43\nd: 2001-12-14T21:59:43\ne: 12001-12-14\nf: 2001-12-14 21:59\n",
    "sexagesimal": "a: 190:20:30.15\nb: 1:2\nc: -1:30\nd: 1:60\ne: \"1:20:30\"\n",
    "special_floats": "a: .Inf\nb: -.inf\n",
    "yaml_directive": "%YAML 1.1\n---\na: 1\n",
    "tag_directive": "%TAG !e! tag:example.com,2000:\n---\na: !e!foo bar\n",
    "indentation_seq": "a:\n  - 1\n  - 2\nb:\n    c: 3\n",
    "plain_multiline": "a: this is\n  a plain\n  multi line\nb: x\n\n  y\n",
    "key_only_question": "? a\n? b\n",
    "empty_values_in_list": "l:\n-\n- ~\n- ''\n",
    "unicode_escapes": "a: \"\\x41\\u00e9\\U0001F600\\N\\_\\L\\P\"\n",
    # Parser corners where go-yaml v2 (a port of an older libyaml) may differ from 0.2.5.
    "flow_colon_url": "a: [http://x.com, b]\n",
    "flow_colon_map": "a: {b:1}\n",
    "flow_colon_seq": "a: [b:c]\n",
    "flow_colon_quoted": "a: {\"b\":1}\n",
    "dq_escaped_squote": "a: \"it\\'s\"\n",
    "dq_raw_tab": "a: \"x\ty\"\n",
    "plain_tab": "a: b\tc\n",
    "flow_key_seq": "[a, b]: c\n",
    "anchor_empty": "a: &x\nb: *x\n",
    "tagged_map": "a: !!map {b: 1}\nc: !!seq [1]\n",
    "flow_multiline": "a: [1,\n  2,\n  3]\nb: {x: 1,\n  y: 2}\n",
    "seq_indent_variants": "a:\n- 1\nb:\n  - 2\nc:\n    - 3\n",
    "plain_continuation": "a: b\n  c\n  d\n",
    "doc_start_scalar": "--- |\n  text\n",
    "doc_start_map_inline": "--- {a: 1}\n",
    "colon_in_plain": "a: b:c\nd: http://x:80/y\n",
    "hash_in_plain": "a: b#c\nd: 'e #f'\n",
    "question_plain": "a: ?b\nc: -d\n",
    "trailing_comment_seq": "a: # c\n  - 1 # d\n",
    "empty_flow_entries": "a: [1, , 2]\n",
    "flow_trailing_comma": "a: [1, 2, ]\nb: {x: 1, }\n",
    "block_in_flow": "a: [- 1]\n",
    "key_no_space": "a:1\n",
    "dup_anchor": "a: &x 1\nb: &x 2\nc: *x\n",
    "long_plain_key": "" + ("k" * 1030) + ": v\n",
    "utf16_like": "a: \"\\u00ff\\u0100\"\n",
    "dash_value": "a: -\nb: --\nc: - x\n",
    # Helm 4.2.x LoadValues: a final unterminated line of exactly 4096 (or 8192) bytes is dropped.
    "line_4096_unterminated": "b: 1\na: \"" + "x" * 4091 + "\"",
    "line_8192_unterminated": "a: \"" + "x" * 8187 + "\"",
    "line_4096_terminated": "a: \"" + "x" * 4091 + "\"\n",
    "line_4095_unterminated": "a: \"" + "x" * 4090 + "\"",
    # libyaml 0.2.x changes after go-yaml v2 forked.
    "yaml_12_directive": "%YAML 1.2\n---\na: 1\n",
    "yaml_13_directive": "%YAML 1.3\n---\na: 1\n",
    "flow_question": "a: [b?c, ?d]\n",
    "flow_question_map": "a: {b?: c}\n",
    "local_tag_flow": "a: [!x, y]\n",
    "local_tag_flow_map": "a: {k: !x}\n",
    "doc_end_directive": "a: 1\n...\n%YAML 1.1\n---\nb: 2\n",
    "alias_key_space": "a: &k key\nb: {*k : v}\n",
    "empty_key_flow": "a: {: v}\n",
    "nested_flow_seq_key": "? - a\n  - b\n: c\n",
    # Tabs in various places.
    "tab_after_colon": "a:\t1\n",
    "tab_after_dash": "-\tx\n",
    "tab_in_flow": "a: [1,\t2]\n",
    "tab_blank_line": "a:\n\t\n  b: 1\n",
    "tab_before_comment": "a: 1\t# c\n",
    "tab_in_plain": "a: x\ty\n",
    "tab_indent_block_scalar": "a: |\n\tx\n",
    "tab_after_key_question": "?\ta\n:\tb\n",
    "doc_end_then_doc": "a: 1\n...\n---\nb: 2\n",
    "bare_doc_end": "...\n",
    "plain_ending_colon": "a: b:\n",
    "anchor_on_seq_item": "- &a x\n- *a\n",
    "anchor_names": "a: &a-b.c/d x\nb: *a-b.c/d\n",
    "unicode_key_sort": "é: 1\ne: 2\nz: 3\nÄ: 4\n_: 5\n",
    "digit_key_sort": "a01: 1\na1: 2\na001: 3\na10: 4\na9: 5\n0: 6\n00: 7\n",
    "wide_values": "a:\n  " + ("k" * 70) + ": " + ("v " * 10).strip() + "\n",
}

JSON_INPUTS = {
    "j_obj": "{\"b\": [1, 2.5, \"x\"], \"a\": {\"z\": null, \"y\": true}}",
    "j_num": "{\"a\": 1e6, \"b\": 1e-7, \"c\": 12345678901234567890, \"d\": -0, \"e\": 0.1}",
    "j_str": "{\"a\": \"\\u003chi\\u003e\", \"b\": \"\\ud83d\\ude00\", \"c\": \"\\n\\t\\b\\f\\/\"}",
    "j_bad": "bad",
    "j_trunc": "{\"a\": ",
    "j_trailing": "{} x",
    "j_badkey": "{a: 1}",
    "j_badsep": "{\"a\" 1}",
    "j_badarr": "[1 2]",
    "j_badlit": "{\"a\": tru}",
    "j_badnum": "{\"a\": 1.}",
    "j_badexp": "{\"a\": 1e}",
    "j_ctrl": "{\"a\": \"x\ny\"}",
    "j_esc": "{\"a\": \"\\q\"}",
    "j_arr": "[1, 2]",
    "j_big": "{\"a\": 1e400}",
}

# Rendered manifest files: split into documents and each read as Helm's SimpleHead by a
# client-side dry-run install (what `helm template` runs).
MANIFESTS = {
    "m_bad_flow": "a: [1",
    "m_list": "- x",
    "m_kind_list": "kind: [a]",
    "m_text": "just text",
    "m_kind_num": "kind: 1\napiVersion: 1.10",
    "m_meta_scalar": "metadata: x",
    "m_name_list": "metadata:\n  name: [a]",
    "m_ann_list": "metadata:\n  annotations: [a]",
    "m_ann_value_list": "metadata:\n  annotations:\n    a: [x]",
    "m_ann_values": "kind: ConfigMap\nmetadata:\n  name: x\n  annotations:\n    a: 1\n    b: true\n    c: null",
    "m_api_map": "apiVersion: {a: 1}",
    "m_comment_only": "# only comment",
    "m_separators": "---\n---\n\n---\nkind: A",
    "m_inf_elsewhere": "kind: Pod\nx: .inf",
    "m_null_key": "kind: Pod\n~: x",
    "m_second_doc_bad": "kind: A\n---\n- b",
    "m_tab": "kind: Pod\n\tbad: tab",
    "m_mapping_values": "key: value: x",
    "m_ok": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n",
    "m_name_num": "kind: A\nmetadata:\n  name: 12345678901",
    "m_kind_map": "kind: {a: b}",
    "m_meta_list": "metadata: [a]",
    "m_scalar_num": "42",
    "m_unknown_anchor": "kind: *x",
}

# Chart.yaml texts: string fields coerce YAML scalars (sigs.k8s.io/yaml into typed structs).
CHART_YAMLS = {
    "c_numbers": "apiVersion: v2\nname: rec\nversion: 1.0\nappVersion: 1.10\ndescription: yes\n"
                 "annotations:\n  a: 1\n  b: true\n  c: 1e3\n  d: 0x10\n  e: 1.5\n  f: 0.1\n  g: 123456789\n",
    "c_floats": "apiVersion: v2\nname: rec\nversion: 2.50\nappVersion: 16777217.0\nkubeVersion: 1.2e-5\n"
                "annotations:\n  big: 12345678901234567890\n  neg: -0.0\n  oct: 0777\n  x: 3.14159265358979\n",
}

TEMPLATES = {
    "fromYaml_toJson": "{{ fromYaml .Values.src | toJson }}",
    "fromYaml_toYaml": "{{ fromYaml .Values.src | toYaml }}",
    "fromYaml_toYamlPretty": "{{ fromYaml .Values.src | toYamlPretty }}",
    "fromYaml_toPrettyJson": "{{ fromYaml .Values.src | toPrettyJson }}",
    "fromYaml_toRawJson": "{{ fromYaml .Values.src | toRawJson }}",
    "fromYamlArray_toJson": "{{ fromYamlArray .Values.src | toJson }}",
    "fromYamlArray_toYaml": "{{ fromYamlArray .Values.src | toYaml }}",
}
JSON_TEMPLATES = {
    "fromJson_toJson": "{{ fromJson .Values.src | toJson }}",
    "fromJson_toYaml": "{{ fromJson .Values.src | toYaml }}",
    "fromJsonArray_toJson": "{{ fromJsonArray .Values.src | toJson }}",
}


def write_chart(d, values_yaml, templates):
    os.makedirs(os.path.join(d, "templates"), exist_ok=True)
    with open(os.path.join(d, "Chart.yaml"), "w") as f:
        f.write("apiVersion: v2\nname: rec\nversion: 0.1.0\n")
    with open(os.path.join(d, "values.yaml"), "w", encoding="utf-8", newline="") as f:
        f.write(values_yaml)
    for name, text in templates.items():
        with open(os.path.join(d, "templates", name + ".yaml"), "w") as f:
            f.write(text)


def render_funcs(src, templates):
    with tempfile.TemporaryDirectory() as tmp:
        d = os.path.join(tmp, "rec")
        write_chart(d, "", templates)
        out = Chart.load(d).render({"src": src})
        return {k: out["rec/templates/" + k + ".yaml"] for k in templates}


def render_values(src):
    with tempfile.TemporaryDirectory() as tmp:
        d = os.path.join(tmp, "rec")
        write_chart(d, src, {"values_toJson": "{{ toJson .Values }}", "values_toYaml": "{{ toYaml .Values }}"})
        try:
            out = Chart.load(d).render()
        except Exception as e:  # noqa: BLE001 - the message is the golden
            return {"error": str(e)}
        return {
            "values_toJson": out["rec/templates/values_toJson.yaml"],
            "values_toYaml": out["rec/templates/values_toYaml.yaml"],
        }


def install_manifest(src):
    with tempfile.TemporaryDirectory() as tmp:
        d = os.path.join(tmp, "rec")
        write_chart(d, "", {"t": "{{ .Values.src }}"})
        cfg = Config(storage_driver="memory", namespace="ns")
        try:
            rel = cfg.install(Chart.load(d), "rel", {"src": src}, dry_run="client")
        except Exception as e:  # noqa: BLE001 - the message is the golden
            return {"error": str(e)}
        return {"manifest": rel["manifest"]}


def chart_metadata(src):
    with tempfile.TemporaryDirectory() as tmp:
        d = os.path.join(tmp, "rec")
        write_chart(d, "", {})
        with open(os.path.join(d, "Chart.yaml"), "w") as f:
            f.write(src)
        return Chart.load(d).metadata


def main():
    goldens = []
    for name, src in YAML_INPUTS.items():
        goldens.append({"name": name, "kind": "yaml", "src": src,
                        "outputs": render_funcs(src, TEMPLATES), "values": render_values(src)})
    for name, src in JSON_INPUTS.items():
        goldens.append({"name": name, "kind": "json", "src": src,
                        "outputs": render_funcs(src, JSON_TEMPLATES)})
    for name, src in MANIFESTS.items():
        goldens.append({"name": name, "kind": "manifest", "src": src, "outputs": {},
                        "install": install_manifest(src)})
    for name, src in CHART_YAMLS.items():
        goldens.append({"name": name, "kind": "chart", "src": src, "outputs": {},
                        "metadata": chart_metadata(src)})
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(goldens, f, indent=1, ensure_ascii=False, sort_keys=True)
        f.write("\n")
    print(f"wrote {len(goldens)} goldens to {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
