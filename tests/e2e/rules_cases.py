#!/usr/bin/env python3
"""Rule tests for sechk, run through `sechk fill` and `sechk check -f json`.

Three sets of cases, each an answer set built from the conformant base of a
phase (tests/rules/conformant.txt) with a few changes:

  rows    for every row of the rules table (`sechk template --rules`, the
          table of docs/rules.md), one case that must trigger the row's
          finding and one close case that must not.  The cases are derived
          from the row's rule column (the rule in template terms) by the
          row's code: e.g. for `year-month ... timing=done` /
          date-after-document, the option is checked with 2026年5月 (after the
          document's 2026年4月1日: found) and with 2026年4月 (not found).
  cases   the hand-written cases of tests/rules/cases.txt: the checklist's
          substantive rules, statuses, phases and whole-file checks.

Every row must be covered by a triggering and a non-triggering case, else the
run fails.  A finding matches a row when item, column, code and severity are
equal and the Japanese message matches the row's message ("…" standing for
what the answers supply).

usage: rules_cases.py SECHK TEMPLATE.xml CONFORMANT.txt CASES.txt WORKDIR
"""

import json
import os
import re
import shlex
import subprocess
import sys
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor

NS = {"t": "urn:sechk:template:1"}
PHASES = ["selection", "development", "operation", "disposal"]
PARTIES = ["provider", "contractor"]
DOC_DATE = "2026年4月1日"


# ---------------------------------------------------------------- template

class Cell:
    def __init__(self):
        self.due = []  # phases its unscoped blocks are due in
        self.options = []  # ids in order
        self.slots = []
        self.groups = {}  # id -> dict
        self.group_of = {}  # option id -> group id


class Item:
    def __init__(self, no, lifecycle, level):
        self.no, self.lifecycle, self.level = no, lifecycle, level
        self.cells = {}  # party -> Cell or None (absent)

    def first_phase(self):
        return 0 if self.lifecycle == "all" else PHASES.index(self.lifecycle)


def load_template(path):
    root = ET.parse(path).getroot()
    items = {}
    due_from = {}
    for col in root.findall("t:columns/t:column", NS):
        if col.get("due-from"):
            due_from[col.get("id")] = PHASES.index(col.get("due-from"))
    for it in root.findall("t:item", NS):
        item = Item(int(it.get("no")), it.get("lifecycle"), it.get("level"))
        for party in PARTIES:
            el = it.find("t:" + party, NS)
            if el is None or el.get("absent") == "true":
                item.cells[party] = None
                continue
            cell = Cell()
            cell.due = PHASES[due_from.get(party, item.first_phase()):]
            text = el.find("t:text", NS)
            for node in text.iter():
                tag = node.tag.split("}")[-1]
                if tag == "box":
                    cell.options.append(node.get("id"))
                elif tag == "slot":
                    cell.slots.append(node.get("id"))
            for g in el.findall("t:group", NS):
                gd = {
                    "id": g.get("id"),
                    "kind": g.get("kind"),
                    "options": g.get("options").split(),
                    "parent": g.get("parent"),
                    "phases": g.get("phases").split() if g.get("phases") else None,
                    "min": int(g.get("min") or 0),
                    "optional": g.get("optional") in ("true", "1"),
                }
                gd["due"] = gd["phases"] or cell.due
                cell.groups[gd["id"]] = gd
                for o in gd["options"]:
                    cell.group_of[o] = gd["id"]
            item.cells[party] = cell
        items[item.no] = item
    return items


# ------------------------------------------------------------------ answers

class Answers:
    """Checked options and slot values per (item, column)."""

    def __init__(self, items):
        self.items = items
        self.checked = {}
        self.fields = {}
        self.doc = {"created": DOC_DATE, "updated": DOC_DATE, "service": "テストサービス"}
        for no, it in items.items():
            for party, cell in it.cells.items():
                if cell is not None:
                    self.checked[(no, party)] = set()
                    self.fields[(no, party)] = {}

    def copy(self):
        a = Answers.__new__(Answers)
        a.items = self.items
        a.checked = {k: set(v) for k, v in self.checked.items()}
        a.fields = {k: dict(v) for k, v in self.fields.items()}
        a.doc = dict(self.doc)
        return a

    def cell(self, no, party):
        c = self.items[no].cells[party]
        if c is None:
            raise ValueError("No.%d %s is a ― cell" % (no, party))
        return c

    def check(self, no, party, oid, on=True):
        if oid not in self.cell(no, party).options:
            raise ValueError("No.%d %s has no option %r" % (no, party, oid))
        (self.checked[(no, party)].add if on else self.checked[(no, party)].discard)(oid)

    def set(self, no, party, sid, value):
        if sid not in self.cell(no, party).slots:
            raise ValueError("No.%d %s has no slot %r" % (no, party, sid))
        self.fields[(no, party)][sid] = value

    def select(self, no, party, oid):
        """Checks oid the way an answerer would: its exclusive siblings
        unchecked, its parent checked, and a first sub-option when the
        option's sub-options are required."""
        cell = self.cell(no, party)
        self.check(no, party, oid)
        gid = cell.group_of.get(oid)
        if gid:
            g = cell.groups[gid]
            if g["kind"] == "exactly-one":
                for o in g["options"]:
                    if o != oid:
                        self.check(no, party, o, False)
            if g["parent"]:
                self.select(no, party, g["parent"])
        for g in cell.groups.values():
            if g["parent"] == oid and (g["kind"] == "exactly-one" or g["min"] > 0):
                if not any(o in self.checked[(no, party)] for o in g["options"]):
                    self.select(no, party, g["options"][0])

    def to_json(self):
        items = []
        for no in sorted(self.items):
            cells = {}
            for party in PARTIES:
                cell = self.items[no].cells[party]
                if cell is None:
                    cells[party] = None
                    continue
                cells[party] = {
                    "options": [{"id": o, "checked": o in self.checked[(no, party)]} for o in cell.options],
                    "fields": [{"id": s, "value": self.fields[(no, party)].get(s, "")} for s in cell.slots],
                }
            items.append({"no": no, "cells": cells})
        return {"format": "sechk/answers-v1", "document": self.doc, "items": items}


def apply_actions(a, no, party, actions):
    for act in actions:
        if act == "-*":
            for o in a.cell(no, party).options:
                a.check(no, party, o, False)
        elif act.startswith("+"):
            a.check(no, party, act[1:])
        elif act.startswith("-"):
            a.check(no, party, act[1:], False)
        elif act.startswith("~"):
            a.select(no, party, act[1:])
        elif "=" in act:
            k, v = act.split("=", 1)
            a.set(no, party, k, v)
        else:
            raise ValueError("unknown action %r" % act)


def load_bases(items, path):
    lines = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            w = shlex.split(line)
            lines.append((PHASES.index(w[0]), int(w[1]), w[2], w[3:], n))
    bases = {}
    for p, ph in enumerate(PHASES):
        a = Answers(items)
        for lp, no, party, acts, n in lines:
            if lp <= p:
                apply_actions(a, no, party, acts)
        bases[ph] = a
    bases["blank"] = Answers(items)
    return bases


# ------------------------------------------------------------------- cases

class Case:
    def __init__(self, name, phase, base, origin):
        self.name, self.phase, self.base, self.origin = name, phase, base, origin
        self.answers = None
        self.expect = []  # (no, column, code, severity|None, regex|None)
        self.reject = []  # (no, column, code, regex|None)
        self.status = []  # (no, status)
        self.phase_used = None
        self.max_errors = None
        self.max_findings = None
        self.statuses_only = None  # set of statuses allowed for every item
        self.result = None
        self.rows_hit = []
        self.rows_miss = []


def msg_regex(message):
    """The row's message as a pattern: "…" stands for any text."""
    return re.compile("^" + ".*".join(re.escape(p) for p in message.split("…")) + "$", re.S)


def parse_rules_table(text):
    rows = []
    for line in text.splitlines():
        if not line.startswith("| ") or line.startswith("| item") or line.startswith("|---"):
            continue
        cols = [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line)[1:-1]]
        item, column, rule, severity, code, ja, en = cols
        rows.append({"item": item, "column": column, "rule": rule, "severity": severity, "code": code,
                     "ja": ja, "en": en})
    return rows


def parse_rule(rule):
    w = rule.split()
    kind, attrs = w[0], {}
    for tok in w[1:]:
        if "=" in tok:
            k, v = tok.split("=", 1)
            attrs[k] = v
        else:
            attrs[tok] = True
    return kind, attrs


def ref(col, r):
    """(column, id) of a reference written col-relative."""
    if ":" in r:
        p, i = r.split(":", 1)
        return p, i
    return col, r


def option_phase(items, no, party, oid):
    it = items[no]
    cell = it.cells[party]
    gid = cell.group_of.get(oid)
    if gid and cell.groups[gid]["phases"]:
        return PHASES.index(cell.groups[gid]["phases"][0])
    return it.first_phase()


def row_cases(items, bases, row, idx):
    """The triggering and the non-triggering case of one row."""
    no, col, code = int(row["item"]), row["column"], row["code"]
    kind, at = parse_rule(row["rule"])
    it = items[no]
    hit_actions, miss_actions = [], []  # lists of (no, party, fn)
    phase = it.first_phase()
    miss_phase = None  # the non-triggering case's phase, when it differs

    def sel(p, o):
        return lambda a: a.select(no, p, o)

    def chk(p, o, on=True):
        return lambda a: a.check(no, p, o, on)

    def put(p, s, v):
        return lambda a: a.set(no, p, s, v)

    if kind in ("exactly-one", "confirm", "any"):
        cell = it.cells[col]
        g = cell.groups[at["group"]]
        opts = g["options"]
        if g["phases"]:
            phase = PHASES.index(g["phases"][0])
        clear = [chk(col, o, False) for o in opts]
        if code == "unanswered":
            hit, miss = clear, [sel(col, opts[0])]
        elif code == "unconfirmed":
            hit, miss = clear, [chk(col, opts[0])]
        elif code == "conflict":
            pre = [sel(col, g["parent"])] if g["parent"] else []
            hit = pre + [sel(col, opts[0]), chk(col, opts[1])]
            miss = pre + [sel(col, opts[0])]
        elif code == "parent-without-child":
            hit = [sel(col, g["parent"])] + clear
            miss = [sel(col, g["parent"])] + clear + [chk(col, o) for o in opts[:max(1, g["min"])]]
        elif code == "child-without-parent":
            hit = [chk(col, g["parent"], False)] + clear + [chk(col, opts[0])]
            miss = [sel(col, g["parent"]), sel(col, opts[0])]
        elif code == "too-few":
            hit, miss = clear, clear + [chk(col, o) for o in opts[:g["min"]]]
        else:
            raise ValueError("row %d: no case for group code %s" % (idx, code))
    else:
        when = ref(col, at["when"]) if "when" in at else None
        slot = ref(col, at["slot"]) if "slot" in at else None
        if when:
            phase = option_phase(items, no, when[0], when[1])
        pre = [sel(*when)] if when else []
        fill = (lambda v: [put(slot[0], slot[1], v)]) if slot else (lambda v: [])
        if kind == "slot-required":
            hit, miss = pre + fill(""), pre + fill("記入あり")
        elif kind == "year-month":
            value_hit, value_miss = {
                "year-month-missing": ("", "2026年3月"),
                "year-month-placeholder": ("2025年〇月", "2026年3月"),
                "year-month-invalid": ("2025年13月", "2026年3月"),
                "date-after-document": ("2026年5月", "2026年4月"),
                "planned-past": ("2026年3月", "2026年4月"),
            }[code]
            hit, miss = pre + fill(value_hit), pre + fill(value_miss)
        elif kind == "count":
            hit, miss = pre + fill("0"), pre + fill("3")
        elif kind == "disposal-methods":
            hit, miss = pre + fill("⑦"), pre + fill("③⑤")
        elif kind == "min-value":
            low = {"value-too-low": "0.5", "value-invalid": "不明"}[code]
            hit, miss = pre + fill(low), pre + fill(at["value"])
        elif kind == "reason":
            if code == "reason-missing":
                hit, miss = pre + fill(""), pre + fill("理由を記載")
            else:
                cell = it.cells[when[0]]
                g = cell.groups.get(cell.group_of.get(when[1]))
                others = [o for o in g["options"] if o != when[1]] if g else []
                off = [sel(when[0], others[0])] if others and g["kind"] == "exactly-one" else [
                    chk(when[0], when[1], False)]
                hit, miss = pre + fill("理由を記載"), off + fill("理由を記載")
        elif kind == "reason-unchecked":
            opts = [ref(col, o) for o in at["options"].split(",")]
            phase = option_phase(items, no, opts[0][0], opts[0][1])
            all_on = [chk(p, o) for p, o in opts]
            one_off = all_on + [chk(opts[0][0], opts[0][1], False)]
            text = "" if code == "required-unchecked" else "システム構成上不要のため"
            hit, miss = one_off + fill(text), all_on + fill(text)
        elif kind == "not-only":
            opt = ref(col, at["option"])
            others = [ref(col, o) for o in at["others"].split(",")]
            phase = option_phase(items, no, opt[0], opt[1])
            clear = [chk(p, o, False) for p, o in others]
            hit = [sel(*opt)] + clear
            miss = [sel(*opt)] + clear + [sel(*others[0])]
        elif kind == "implies":
            cond = ref(col, at["if"])
            then = [ref(col, o) for o in at["then"].split(",")]
            phase = option_phase(items, no, cond[0], cond[1])
            hit = [sel(*cond)] + [chk(p, o, False) for p, o in then]
            miss = [sel(*cond)] + [chk(p, o) for p, o in then]
        elif kind == "answered-first":
            gp, gid = ref(col, at["group"])
            g = it.cells[gp].groups[gid]
            clear = [chk(gp, o, False) for o in g["options"]]
            hit = pre + clear
            miss = pre + clear + [sel(gp, g["options"][0])]
        elif kind == "nonconforming":
            opts = [ref(col, o) for o in at["options"].split(",")]
            p0, o0 = opts[0]
            phase = option_phase(items, no, p0, o0)
            cell = it.cells[p0]
            g = cell.groups.get(cell.group_of.get(o0))
            others = [o for o in (g["options"] if g else []) if (p0, o) not in opts]
            hit = [sel(p0, o0)]
            miss = [sel(p0, others[0])] if others else [chk(p0, o, False) for p, o in opts]
        elif kind == "attests":
            # an answered column with one due cell of a required item left blank
            phase = option_phase(items, no, when[0], when[1])
            except_ = at.get("except", "").split(",") if at.get("except") else []
            blank = None
            for n2 in sorted(items):
                it2 = items[n2]
                c2 = it2.cells[col]
                if n2 == no or c2 is None or it2.level != "required" or it2.lifecycle in except_:
                    continue
                if any(not g["parent"] and not g["optional"] and PHASES[phase] in g["due"]
                       for g in c2.groups.values()):
                    blank = (n2, c2)
                    break
            hit = pre + [(lambda n2, c2: lambda a: [a.check(n2, col, o, False) for o in c2.options])(*blank)]
            miss = pre
        elif kind == "planned-late":
            opts = [ref(col, o) for o in at["options"].split(",")]
            unless = [ref(col, o) for o in at["unless"].split(",")] if at.get("unless") else []
            # hit: still 予定 in the phase after the item's lifecycle; miss: the same in its phase
            miss_phase = it.first_phase()
            phase = miss_phase + 1
            hit = miss = [sel(*opts[0])] + [chk(p, o, False) for p, o in unless]
        else:
            raise ValueError("row %d: no case for rule kind %s" % (idx, kind))

    out = []
    for what, acts in (("hit", hit), ("miss", miss)):
        ph = PHASES[miss_phase if what == "miss" and miss_phase is not None else phase]
        c = Case("row%03d-%s No.%d %s %s %s" % (idx, what, no, col, code, row["rule"]), ph, ph, "rows")
        a = bases[ph].copy()
        for fn in acts:
            fn(a)
        c.answers = a
        rx = msg_regex(row["ja"])
        if what == "hit":
            c.expect.append((no, col, code, row["severity"], rx))
            c.rows_hit.append(idx)
        else:
            c.reject.append((no, col, code, rx))
            c.rows_miss.append(idx)
        out.append(c)
    return out


def load_cases(items, bases, path):
    cases, cur = [], None
    with open(path, encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            w = shlex.split(line)
            where = "%s:%d" % (os.path.basename(path), n)
            try:
                if w[0] == "case":
                    cur = Case(w[1], None, None, where)
                    cases.append(cur)
                    continue
                if cur is None:
                    raise ValueError("expected 'case NAME' first")
                if w[0] == "phase":
                    cur.phase = w[1]
                elif w[0] == "base":
                    cur.base = w[1]
                elif w[0] in ("set", "doc") and cur.answers is None:
                    b = cur.base or cur.phase
                    if b not in bases:
                        raise ValueError("case %s: give 'base PHASE' before changes" % cur.name)
                    cur.answers = bases[b].copy()
                if w[0] == "set":
                    apply_actions(cur.answers, int(w[1]), w[2], w[3:])
                elif w[0] == "doc":
                    for kv in w[1:]:
                        k, v = kv.split("=", 1)
                        cur.answers.doc[k] = v
                elif w[0] == "expect":
                    no, col, code = int(w[1]), w[2], w[3]
                    sev = w[4] if len(w) > 4 and w[4] in ("error", "warning", "info") else None
                    sub = w[5] if sev and len(w) > 5 else (w[4] if not sev and len(w) > 4 else None)
                    cur.expect.append((no, col, code, sev, re.compile(re.escape(sub)) if sub else None))
                elif w[0] == "reject":
                    cur.reject.append((int(w[1]), w[2], w[3], re.compile(re.escape(w[4])) if len(w) > 4 else None))
                elif w[0] == "status":
                    cur.status.append((int(w[1]), w[2]))
                elif w[0] == "phase-used":
                    cur.phase_used = w[1]
                elif w[0] == "errors":
                    cur.max_errors = int(w[1])
                elif w[0] == "findings":
                    cur.max_findings = int(w[1])
                elif w[0] == "statuses":
                    cur.statuses_only = set(w[1:])
                elif w[0] not in ("phase", "base", "doc"):
                    raise ValueError("unknown line %r" % w[0])
            except (ValueError, IndexError, KeyError) as e:
                raise SystemExit("%s: %s" % (where, e))
    for c in cases:
        if c.phase is None:
            raise SystemExit("%s: case %s has no phase" % (c.origin, c.name))
        if c.answers is None:
            b = c.base or c.phase
            if b not in bases:
                raise SystemExit("%s: case %s needs 'base PHASE'" % (c.origin, c.name))
            c.answers = bases[b].copy()
    return cases


# --------------------------------------------------------------------- run

def run_all(sechk, workdir, cases):
    """Fills one workbook per case (`fill` takes one answers object), then
    checks them many files per `sechk check` call; both run on every core."""
    os.makedirs(workdir, exist_ok=True)
    by_phase = {}

    def fill(i_c):
        i, c = i_c
        j = os.path.join(workdir, "c%04d.json" % i)
        x = os.path.join(workdir, "c%04d.xlsx" % i)
        with open(j, "w", encoding="utf-8") as f:
            json.dump(c.answers.to_json(), f, ensure_ascii=False)
        r = subprocess.run([sechk, "fill", j, "-o", x], capture_output=True, text=True)
        if r.returncode != 0:
            raise SystemExit("fill failed for %s: %s" % (c.name, r.stderr))
        return x

    def check(phase, chunk):
        r = subprocess.run([sechk, "check", "-f", "json", "--phase", phase] + [x for x, _ in chunk],
                           capture_output=True, text=True)
        if r.returncode not in (0, 1):
            raise SystemExit("check failed (%d): %s" % (r.returncode, r.stderr))
        data = json.loads(r.stdout)
        if isinstance(data, dict):
            data = [data]
        by_path = {d["source"]["path"]: d for d in data}
        for x, c in chunk:
            c.result = by_path[x]

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        for x, c in zip(pool.map(fill, enumerate(cases)), cases):
            by_phase.setdefault(c.phase, []).append((x, c))
        jobs = [pool.submit(check, phase, group[k:k + 100])
                for phase, group in by_phase.items() for k in range(0, len(group), 100)]
        for j in jobs:
            j.result()


def findings(result):
    for it in result["items"]:
        for f in it["findings"]:
            yield it["no"], f


def evaluate(c):
    """Returns a list of failure descriptions."""
    errs = []
    res = c.result
    items = {it["no"]: it for it in res["items"]}
    for no, col, code, sev, rx in c.expect:
        got = [f for n, f in findings(res) if n == no and f["column"] == col and f["code"] == code
               and (rx is None or rx.search(f["message"]))]
        if not got:
            near = ["%s/%s/%s: %s" % (f["column"], f["code"], f["severity"], f["message"])
                    for n, f in findings(res) if n == no]
            errs.append("expected No.%d %s %s, got: %s" % (no, col, code, "; ".join(near) or "no finding"))
        elif sev and not any(f["severity"] == sev for f in got):
            errs.append("No.%d %s %s: severity %s, want %s" % (no, col, code, got[0]["severity"], sev))
    for no, col, code, rx in c.reject:
        got = [f for n, f in findings(res) if n == no and f["column"] == col and f["code"] == code
               and (rx is None or rx.search(f["message"]))]
        if got:
            errs.append("unexpected No.%d %s %s: %s" % (no, col, code, got[0]["message"]))
    for no, st in c.status:
        if items[no]["status"] != st:
            errs.append("No.%d status %s, want %s (%s)" % (
                no, items[no]["status"], st, "; ".join(f["code"] for f in items[no]["findings"])))
    if c.phase_used and res["phase"] != c.phase_used:
        errs.append("phase %s, want %s" % (res["phase"], c.phase_used))
    all_f = list(findings(res))
    n_err = sum(1 for _, f in all_f if f["severity"] == "error")
    if c.max_errors is not None and n_err > c.max_errors:
        errs.append("%d errors, want at most %d: %s" % (n_err, c.max_errors, "; ".join(
            "No.%d %s %s" % (n, f["column"], f["code"]) for n, f in all_f if f["severity"] == "error")[:800]))
    if c.max_findings is not None and len(all_f) > c.max_findings:
        errs.append("%d findings, want at most %d: %s" % (len(all_f), c.max_findings, "; ".join(
            "No.%d %s %s %s" % (n, f["column"], f["code"], f["message"]) for n, f in all_f)[:1200]))
    if c.statuses_only:
        bad = ["No.%d %s" % (it["no"], it["status"]) for it in res["items"] if it["status"] not in c.statuses_only]
        if bad:
            errs.append("statuses outside %s: %s" % (sorted(c.statuses_only), ", ".join(bad)))
    return errs


def main():
    if len(sys.argv) != 6:
        raise SystemExit(__doc__)
    sechk, tpl, conformant, cases_path, workdir = sys.argv[1:]
    items = load_template(tpl)
    bases = load_bases(items, conformant)
    table = subprocess.run([sechk, "template", "--rules", "--template", tpl], capture_output=True, text=True,
                           check=True).stdout
    rows = parse_rules_table(table)
    cases = []
    for idx, row in enumerate(rows):
        if row["item"] == "all":
            continue  # the reader's findings: tests/unit/test_validate.c
        cases += row_cases(items, bases, row, idx)
    hand = load_cases(items, bases, cases_path)
    cases += hand
    run_all(sechk, workdir, cases)
    failed = 0
    for c in cases:
        errs = evaluate(c)
        if errs:
            failed += 1
            print("  FAIL %s [%s]" % (c.name, c.origin), file=sys.stderr)
            for e in errs:
                print("      " + e, file=sys.stderr)
    # coverage: every numbered row triggered and not triggered by a passing case
    hit, miss = set(), set()
    for c in cases:
        if not evaluate(c):
            hit.update(c.rows_hit)
            miss.update(c.rows_miss)
    uncovered = [i for i, r in enumerate(rows) if r["item"] != "all" and (i not in hit or i not in miss)]
    for i in uncovered:
        print("  UNCOVERED row %d: No.%s %s %s %s" % (i, rows[i]["item"], rows[i]["column"], rows[i]["code"],
                                                    rows[i]["rule"]), file=sys.stderr)
    n_rows = sum(1 for r in rows if r["item"] != "all")
    print("rules: %d rows, %d row cases, %d hand-written cases, %d failed, %d rows uncovered" % (
        n_rows, len(cases) - len(hand), len(hand), failed, len(uncovered)))
    print("rule cases: %d passed, %d failed" % (len(cases) - failed, failed + len(uncovered)))
    sys.exit(1 if failed or uncovered else 0)


if __name__ == "__main__":
    main()
