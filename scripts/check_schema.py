#!/usr/bin/python3
"""Validates scenario files against scenarios/schema.json (JSON Schema draft
2020-12, with Debian's python3-jsonschema).

    scripts/check_schema.py [--expect-invalid] FILE...

Prints one line per file whose verdict differs from the expectation (valid
by default) and exits 1 if there is any; 0 otherwise. A file that is not
JSON at all is invalid. The loader (`futurescope check`) stays the
authority: it also checks what a schema cannot express."""
import json
import os
import sys

import jsonschema

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
with open(os.path.join(root, "scenarios", "schema.json")) as f:
    schema = json.load(f)
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)

args = sys.argv[1:]
expect_valid = True
if args and args[0] == "--expect-invalid":
    expect_valid = False
    args = args[1:]
wrong = 0
for path in args:
    try:
        with open(path, "rb") as f:
            doc = json.loads(f.read().decode("utf-8"))
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
    except (ValueError, UnicodeDecodeError, RecursionError) as e:
        errors = [e]
    if bool(errors) == expect_valid:
        wrong += 1
        why = errors[0].message if errors and hasattr(errors[0], "message") else str(errors[0]) if errors else "valid"
        print(f"{path}: expected {'valid' if expect_valid else 'invalid'}: {why[:200]}")
sys.exit(1 if wrong else 0)
