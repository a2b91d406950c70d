#!/usr/bin/python3
"""Helpers of tests/e2e/test_diff.sh (standard library, plus jsonschema for `validate`).

    diff_cases.py edit IN.json OUT.json EDIT...   copy an answers JSON with edits:
        opt:NO:COLUMN:ID:true|false     check or uncheck an option
        field:NO:COLUMN:ID:VALUE        set a field's value
        doc:KEY:VALUE                   set document.created|updated|service
        template:KEY:VALUE              set template.id|version
    diff_cases.py validate SCHEMA.json DIFF.json  validate a diff against the schema
    diff_cases.py assert DIFF.json EXPR...        each Python EXPR, with d the diff and
                                                  ch(no, column, kind, id) / fi(no, column, code)
                                                  helpers, must be true
"""
import json
import sys


def edit(src, dst, edits):
    d = json.load(open(src, encoding="utf-8"))
    if isinstance(d, list):
        d = d[0]
    items = {it["no"]: it for it in d["items"]}
    for e in edits:
        kind, rest = e.split(":", 1)
        if kind in ("opt", "field"):
            no, col, ident, value = rest.split(":", 3)
            cell = items[int(no)]["cells"][col]
            key = "options" if kind == "opt" else "fields"
            hit = [x for x in cell[key] if x["id"] == ident]
            if not hit:
                sys.exit("no %s %s in No.%s %s" % (key, ident, no, col))
            if kind == "opt":
                hit[0]["checked"] = value == "true"
            else:
                hit[0]["value"] = value
        elif kind in ("doc", "template"):
            key, value = rest.split(":", 1)
            d["document" if kind == "doc" else "template"][key] = value
        else:
            sys.exit("unknown edit " + e)
    json.dump(d, open(dst, "w", encoding="utf-8"), ensure_ascii=False, indent=2)


def validate(schema, doc):
    import jsonschema

    jsonschema.validate(json.load(open(doc, encoding="utf-8")), json.load(open(schema, encoding="utf-8")))


def check(path, exprs):
    d = json.load(open(path, encoding="utf-8"))

    def ch(no, column, kind=None, ident=None):
        return [c for c in d["changes"] if c["no"] == no and c["column"] == column
                and (kind is None or c["kind"] == kind) and (ident is None or c["id"] == ident)]

    def fi(no, column, code=None):
        return [f for f in d["findings"] if f["no"] == no and f["column"] == column
                and (code is None or f["code"] == code)]

    bad = 0
    for x in exprs:
        if not eval(x, {"d": d, "ch": ch, "fi": fi, "len": len, "all": all, "any": any, "set": set}):
            print("assertion failed: " + x, file=sys.stderr)
            bad += 1
    return bad


def main(argv):
    if argv[0] == "edit":
        edit(argv[1], argv[2], argv[3:])
    elif argv[0] == "validate":
        validate(argv[1], argv[2])
    elif argv[0] == "assert":
        return 1 if check(argv[1], argv[2:]) else 0
    else:
        sys.exit(__doc__)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
