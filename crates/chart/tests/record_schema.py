#!/usr/bin/env python3
"""Record Helm v4.2.3's values.schema.json verdicts for a table of schemas/values.

Run from the repository root with the reference SDK:
    .local/helm-venv/bin/python crates/chart/tests/record_schema.py
It writes crates/chart/tests/data/schema.json, read by tests/schema_golden.rs.
Each case is a one-chart directory (no values.yaml, so the values checked are the
given ones) validated with helm_python's Chart.validate_schema, which returns
ValidateAgainstSchema's text (the part after "values don't meet ... chart(s):\\n").
"""

import json
import os
import sys
import tempfile

import helm_python as h

HERE = os.path.dirname(os.path.abspath(__file__))

OBJ = {"type": "object"}
CASES = [
    ("type-integer", {"properties": {"a": {"type": "integer"}}}, {"a": 1.5}),
    ("type-integer-ok", {"properties": {"a": {"type": "integer"}}}, {"a": 2.0}),
    ("type-multi", {"properties": {"a": {"type": ["string", "null"]}}}, {"a": 1}),
    ("type-bool", {"properties": {"a": {"type": "boolean"}}}, {"a": "yes"}),
    ("required-many", {"required": ["a", "b", "c"]}, {"b": 1}),
    ("min-max", {"properties": {"a": {"minimum": 1, "maximum": 3}, "b": {"maximum": 1e22}}}, {"a": 0, "b": 1e23}),
    ("exclusive", {"properties": {"a": {"exclusiveMinimum": 5}, "b": {"exclusiveMaximum": 1.5}}}, {"a": 5, "b": 2}),
    ("multiple-of", {"properties": {"a": {"multipleOf": 0.5}}}, {"a": 1.3}),
    ("enum", {"properties": {"a": {"enum": ["x", "y", 3]}, "b": {"enum": ["only"]}, "c": {"enum": [[1], {"k": 1}]}}},
     {"a": "z", "b": "no", "c": 2}),
    ("const", {"properties": {"a": {"const": "v"}, "b": {"const": {"k": 1}}}}, {"a": "w", "b": {}}),
    ("strings", {"properties": {"a": {"minLength": 3}, "b": {"maxLength": 1}, "c": {"pattern": "^[a-z]+$"}}},
     {"a": "ab", "b": "xyz", "c": "A'b\"c"}),
    ("additional", {"properties": {"a": {}}, "additionalProperties": False}, {"a": 1, "x": 2, "y": 3}),
    ("additional-one", {"additionalProperties": {"type": "string"}}, {"x": 2}),
    ("arrays", {"properties": {"a": {"minItems": 2}, "b": {"maxItems": 1}, "c": {"uniqueItems": True},
                               "d": {"contains": {"type": "string"}}, "e": {"items": {"type": "integer"}}}},
     {"a": [1], "b": [1, 2], "c": [1, 2, 1], "d": [1, 2], "e": [1, "x", 3]}),
    ("prefix-items", {"properties": {"a": {"prefixItems": [{"type": "string"}], "items": False}}}, {"a": [1, 2]}),
    ("objects", {"properties": {"a": {"minProperties": 2}, "b": {"maxProperties": 0},
                                "c": {"propertyNames": {"pattern": "^x"}}}},
     {"a": {"k": 1}, "b": {"k": 1}, "c": {"yes": 1, "x1": 2}}),
    ("dependent-required", {"dependentRequired": {"a": ["b", "c"]}}, {"a": 1}),
    ("false-schema", {"properties": {"a": False}}, {"a": 1}),
    ("not", {"properties": {"a": {"not": {"type": "string"}}}}, {"a": "s"}),
    ("anyof", {"properties": {"a": {"anyOf": [{"type": "string"}, {"minimum": 5}]}}}, {"a": 1}),
    ("oneof-none", {"properties": {"a": {"oneOf": [{"type": "string"}, {"type": "boolean"}]}}}, {"a": 1}),
    ("oneof-two", {"properties": {"a": {"oneOf": [{"type": "number"}, {"minimum": 0}]}}}, {"a": 1}),
    ("allof", {"properties": {"a": {"allOf": [{"type": "string"}, {"minLength": 5}]}}}, {"a": 1}),
    ("allof-nested-prop", {"properties": {"b": {"allOf": [{"properties": {"c": {"type": "string"}}}]}}}, {"b": {"c": 2}}),
    ("allof-root", {"allOf": [{"required": ["x"]}, {"properties": {"y": {"type": "string"}}}]}, {"y": 1}),
    ("allof-one-of-two", {"allOf": [{"required": ["x"]}, {"type": "object"}]}, {}),
    ("allof-nested-allof", {"properties": {"a": {"allOf": [{"allOf": [{"type": "string"}]}]}}}, {"a": 1}),
    ("allof-if-then", {"allOf": [{"if": {"properties": {"k": {"const": 1}}}, "then": {"required": ["v"]}}]}, {"k": 1}),
    ("allof-items", {"properties": {"l": {"items": {"allOf": [{"type": "string"}]}}}}, {"l": ["ok", 3]}),
    ("if-then", {"if": {"properties": {"kind": {"const": "x"}}, "required": ["kind"]},
                 "then": {"required": ["xval"]}}, {"kind": "x"}),
    ("ref-defs", {"$defs": {"port": {"type": "integer", "maximum": 65535}},
                  "properties": {"p": {"$ref": "#/$defs/port"}}}, {"p": 70000}),
    ("draft7-definitions", {"$schema": "http://json-schema.org/draft-07/schema#",
                            "definitions": {"s": {"type": "string"}},
                            "properties": {"a": {"$ref": "#/definitions/s"}, "b": {"items": [{"type": "string"}]}}},
     {"a": 1, "b": [2]}),
    ("draft4-exclusive", {"$schema": "http://json-schema.org/draft-04/schema#",
                          "properties": {"a": {"minimum": 5, "exclusiveMinimum": True}}}, {"a": 5}),
    ("nested-pointer", {"properties": {"a/b": {"properties": {"c~d": {"type": "string"}}},
                                       "list": {"items": {"properties": {"n": {"type": "string"}}}}}},
     {"a/b": {"c~d": 1}, "list": [{"n": "ok"}, {"n": 2}]}),
    ("root-type", {"type": "array"}, {"a": 1}),
    ("ok", {"properties": {"a": {"type": "object"}}}, {"a": {}}),
    ("format-ignored", {"properties": {"a": {"format": "email"}}}, {"a": "not-an-email"}),
]


def main():
    out = []
    for name, schema, values in CASES:
        with tempfile.TemporaryDirectory() as d:
            with open(os.path.join(d, "Chart.yaml"), "w") as f:
                f.write("apiVersion: v2\nname: sch\nversion: 0.1.0\n")
            with open(os.path.join(d, "values.schema.json"), "w") as f:
                json.dump(schema, f)
            rec = {"name": name, "schema": schema, "values": values}
            try:
                h.Chart.load(d).validate_schema(values)
                rec["ok"] = True
            except Exception as e:
                rec["error"] = getattr(e, "detail", str(e))
            out.append(rec)
    with open(os.path.join(HERE, "data", "schema.json"), "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")
    print(f"recorded {len(out)} schema cases", file=sys.stderr)


if __name__ == "__main__":
    main()
