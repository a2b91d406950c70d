#!/usr/bin/python3
"""Regenerates samples/: filled checklist workbooks and their expected extract JSON.

    /usr/bin/python3 tests/make_samples.py               # everything (needs build/sechk, soffice)
    /usr/bin/python3 tests/make_samples.py --golden-only # only samples/*.expected.json, from the
                                                         # committed workbooks (after a rule change)

Run from the repository root.  SECHK (default build/sechk) names the binary.

The samples are deterministic: the blank template is made with a fixed --date,
every answer below is written out here (no randomness), the creation time that
`sechk fill` and LibreOffice put in docProps/core.xml is pinned, and the zip is
rewritten with fixed entry times.  The expected JSON is `sechk extract
samples/NAME.xlsx` run from the repository root, so "path" is
"samples/NAME.xlsx".

Before writing a sample the script checks that extract reads back exactly the
answers it was made from (options and field values of every cell it did not
alter on purpose): a sample whose golden file would freeze a misreading is
refused.

Samples:
  conformant-selection  a fully conformant selection-phase submission: every provider cell and
                        every contractor cell but 33–35, later items answered as plans
                        (対応予定, 確認済み), the selection blocks of 24/27/28
  deficient             many kinds of deficiency (see DEFICIENT below); altered text and a
                        deleted marker are made at XML level after fill
  development           a development-phase submission (1–21): planned dates, 対応不要 with a
                        reason, an unchecked ＜必須＞ measure with a reason
  operation             an operation-phase submission (1–32, operation blocks with real dates)
  disposal              a disposal-phase submission (1–36, 33–35 done)
  libreoffice-resaved   operation.xlsx re-saved by LibreOffice (soffice --convert-to xlsx)
  excel-style           conformant-selection rewritten the way Japanese Excel writes a file:
                        phonetic runs (rPh, phoneticPr) in shared strings, rich-text runs with
                        each ■ in its own run, _x000D_ line breaks, xml:space, a different sheet
                        name and sheet part, the table from column B with two rows above
"""

import copy
import json
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "interop"))
import variants  # noqa: E402

SECHK = os.environ.get("SECHK", "build/sechk")
DATE = "2026-04-01"


def A(checked=(), **fields):
    """One cell's answers: the checked option ids and slot values (keyword = slot id, '_' for '-')."""
    return (list(checked), {k.replace("_", "-"): v for k, v in fields.items()})


# ---------------------------------------------------------------- answer sets

SELECTION = {
    1: {"provider": A(["conform", "ismap", "iso27017", "iso27001", "pmark"]),
        "contractor": A(["confirmed"], remarks="ISMAPクラウドサービスリストの登録を確認した。")},
    2: {"provider": A(["conform"], disclosure="秘密保持契約（NDA）の締結後に開示"),
        "contractor": A(["confirmed"])},
    3: {"provider": A(["conform"], remarks="(1)はWebアプリケーション診断及びプラットフォーム診断を年1回実施"),
        "contractor": A(["implement-1", "implement-2", "implement-3"])},
    4: {"provider": A(["conform"]), "contractor": A(["confirmed"])},
    5: {"provider": A(["disposal", "evidence-submit", "possible"], methods="③、⑤",
                      remarks="③は物理サーバ、⑤はストレージ上のデータ"),
        "contractor": A(["confirmed"])},
    6: {"provider": A(["conform"]), "contractor": A(["confirmed"])},
    7: {"provider": A(["yes"], count="12", customers="A県、B市、C町"),
        "contractor": A(["yes"], count="3", customers="D県")},
    8: {"provider": A(["conform", "priority"]), "contractor": A(["confirmed"])},
    9: {"contractor": A(["confirmed"])},
    10: {"provider": A(["conform"], free_text="ISO/IEC 27001 の認証範囲で変更管理手順を運用"),
         "contractor": A(["confirmed"])},
    11: {"provider": A(["conform"]), "contractor": A(["confirmed"])},
    12: {"provider": A(["conform"]), "contractor": A(["considered"])},
    13: {"provider": A(["conform", "yes"]), "contractor": A(["considered"])},
    14: {"provider": A(["logs", "yes"], log_list="アクセスログ、操作ログ", years="3"),
         "contractor": A(["considered"])},
    15: {"provider": A(["done"]), "contractor": A(["done", "confirmed"])},
    # Later items at the first submission (brief 4a, No.15): the provider answers its
    # whole column, the contractor every cell but 更改・廃棄, later items as plans
    16: {"provider": A(["idpw", "mfa", "ip", "fw", "admin-min", "admin-hardening", "access-min"]),
         "contractor": A(["auth", "ip", "fw", "admin-min", "admin-hardening", "access-min"],
                         auth_other="多要素認証（ワンタイムパスワード）")},
    17: {"provider": A(["critical-ops", "vm", "ids", "waf", "unused-off", "dos", "backup"]),
         "contractor": A(["critical-ops", "vm", "ids", "tamper", "unused-off", "dos", "backup"])},
    18: {"contractor": A(["planned"], planned_date="2026年9月")},
    19: {"contractor": A(["planned-undecided"])},
    20: {"contractor": A(["manuals", "network-control", "capacity", "availability", "time-sync", "data-link"])},
    21: {"contractor": A(["confirmed"])},
    22: {"contractor": A(["planned"], planned_date="2026年10月")},
    23: {"contractor": A(["start-planned"], start_planned_date="2026年11月")},
    # the selection blocks 【選定（調達）段階で回答】 of 24 and 【選定、開発（導入・構築）の段階で回答】 of 27, 28
    24: {"contractor": A(["confirmed"])},
    25: {"contractor": A(["confirmed"])},
    26: {"contractor": A(["confirmed"])},
    27: {"contractor": A(["confirmed"])},
    28: {"contractor": A(["confirmed"])},
    29: {"contractor": A(["confirmed"])},
    30: {"contractor": A(["confirmed"])},
    31: {"contractor": A(["planned-undecided"])},
    32: {"contractor": A(["confirmed"])},
    36: {"contractor": A(["confirmed"])},
}

DEVELOPMENT = dict(SELECTION)
DEVELOPMENT.update({
    16: {"provider": A(["idpw", "mfa", "ip", "fw", "admin-min", "admin-hardening", "access-min"]),
         "contractor": A(["auth", "ip", "fw", "admin-min", "admin-hardening", "access-min", "separate"],
                         auth_other="多要素認証（ワンタイムパスワード）")},
    17: {"provider": A(["critical-ops", "vm", "ids", "waf", "unused-off", "dos", "backup"]),
         "contractor": A(["critical-ops", "vm", "ids", "unused-off", "dos", "backup", "waf"],
                         remarks="改ざん防止策：静的コンテンツのみのため対策不要と判断（県と協議済み）")},
    18: {"contractor": A(["planned"], planned_date="2026年9月")},
    19: {"contractor": A(["not-needed"], reason="SaaSの利用のみで、利用者側の開発は生じないため。")},
    20: {"contractor": A(["manuals", "network-control", "capacity", "availability", "time-sync", "data-link"])},
    21: {"contractor": A(["confirmed"])},
    # 【開発（導入・構築）の段階以降に回答】 of No.24
    24: {"contractor": A(["confirmed", "planned"], planned_date="2026年10月")},
})

OPERATION = dict(DEVELOPMENT)
OPERATION.update({
    17: {"provider": A(["critical-ops", "vm", "ids", "waf", "unused-off", "dos", "backup"]),
         "contractor": A(["critical-ops", "vm", "ids", "tamper", "unused-off", "dos", "backup", "bastion", "waf"])},
    18: {"contractor": A(["done"], done_date="2025年9月")},
    19: {"contractor": A(["done"], done_date="2025年10月")},
    22: {"contractor": A(["done"], done_date="2025年11月")},
    23: {"contractor": A(["start-done", "periodic-done"], start_done_date="2025年12月",
                         periodic_done_dates="2026年3月")},
    24: {"contractor": A(["confirmed", "done"], done_dates="2025年11月、2026年4月")},
    25: {"contractor": A(["confirmed"], other_text="脆弱性スキャンの月次実施")},
    26: {"contractor": A(["confirmed"])},
    27: {"contractor": A(["confirmed", "done"], done_dates="2026年1月、2026年4月")},
    28: {"contractor": A(["confirmed", "done"], done_dates="2026年1月")},
    29: {"contractor": A(["confirmed"])},
    30: {"contractor": A(["confirmed"])},
    31: {"contractor": A(["done", "revised"], done_date="2025年10月", revised_date="2026年2月",
                         remarks="運用保守体制の変更に伴い改定")},
    32: {"contractor": A(["confirmed"])},
})

DISPOSAL = dict(OPERATION)
DISPOSAL.update({
    33: {"contractor": A(["done"], done_date="2027年1月")},
    34: {"contractor": A(["done"], done_date="2027年3月", remarks="データ消去証明書を提出済み")},
    35: {"contractor": A(["planned"], planned_date="2027年4月")},
})

# Deficiencies (a selection-phase submission: nothing scoped to a later phase is answered):
#   1  (1)ISMAP checked without 適合 (a sub-option without its parent); その他 without text
#   2  (recommended) nothing checked
#   3  contractor: nothing checked (missing answers)
#   4  不適合 with 適用される国外法 given (a non-conformity, with its reason)
#   5  廃棄方法 without numbers; 不可 without 理由
#   6  provider cell text altered (a sentence deleted, text inserted) — done after fill
#   7  実績 あり without 実績件数
#   8  the marker of 災害時…優先する機能 deleted — done after fill
#   11 適合 and 不適合 both checked (two options in an exactly-one group)
#   13 適合-いいえ, contractor only 確認済み (not 対処策を検討済み)
#   14 log retention 0.5 years (< 1)
#   16 provider: ID・パスワード only; contractor: その他 without text, ＜必須＞ measures unchecked
#   18 対応済み with 〇年〇月 left in place
#   9, 10, 12, 15, 17, 19-32, 36: unanswered
DEFICIENT = {
    1: {"provider": A(["ismap", "other"]), "contractor": A(["confirmed"])},
    3: {"provider": A(["conform"])},
    4: {"provider": A(["nonconform"], law="米国 CLOUD Act",
                      remarks="データは国内リージョンに保存するが、親会社が米国法人のため。"),
        "contractor": A(["confirmed"])},
    5: {"provider": A(["disposal", "evidence-submit", "impossible"]), "contractor": A(["confirmed"])},
    6: {"provider": A(["conform"]), "contractor": A(["confirmed"])},
    7: {"provider": A(["yes"], customers="非公開"), "contractor": A(["no"])},
    8: {"provider": A(["conform"]), "contractor": A(["confirmed"])},
    11: {"provider": A(["conform", "nonconform"], unmet="告知は6か月前"), "contractor": A(["confirmed"])},
    13: {"provider": A(["conform", "no"]), "contractor": A(["confirmed"])},
    14: {"provider": A(["logs", "yes"], log_list="監査ログ", years="0.5"), "contractor": A(["considered"])},
    16: {"provider": A(["idpw"]), "contractor": A(["ip", "other"])},
    18: {"contractor": A(["done"])},
}


# Post-fill edits of the deficient workbook (cell text changes a vendor makes).
def deficient_edits(book, info):
    refs = {it["no"]: it["cells"] for it in info["items"]}
    # No.6 provider: a sentence of the template text deleted, a remark typed outside any slot
    p6 = refs[6]["provider"]["ref"]
    book.map_cell(p6, lambda t: t.replace("セキュリティ要件の(1)～(3)を満たす場合は適合と回答すること。\n",
                                          "弊社は(1)～(3)を満たします。\n"))
    # No.8 provider: the □ before 災害時等において… deleted (the vendor removed the box)
    p8 = refs[8]["provider"]["ref"]
    book.map_cell(p8, lambda t: t.replace("□災害時等において", "災害時等において"))
    return {(6, "provider"), (8, "provider")}


SAMPLES = [
    # name, answers, document, post-fill edits
    ("conformant-selection", SELECTION,
     {"created": "2026年4月1日", "updated": "2026年5月15日", "service": "サンプルクラウド ストレージ"}, None),
    ("deficient", DEFICIENT, {"created": "2026年4月1日", "updated": "", "service": ""},
     deficient_edits),
    ("development", DEVELOPMENT,
     {"created": "2026年4月1日", "updated": "2026年6月30日", "service": "サンプルクラウド ストレージ"}, None),
    ("operation", OPERATION,
     {"created": "2025年4月1日", "updated": "2026年5月15日", "service": "サンプル電子申請サービス"}, None),
    ("disposal", DISPOSAL,
     {"created": "2025年4月1日", "updated": "2027年3月31日", "service": "サンプル電子申請サービス"}, None),
]


# ---------------------------------------------------------------- building

def run(*args, **kw):
    return subprocess.run([SECHK] + list(args), check=True, stdout=subprocess.PIPE, **kw).stdout


def extract(path):
    return json.loads(run("extract", path))


def answers_json(skeleton, answers, document):
    """The fill input: the blank extract with the answers applied (unknown ids are an error)."""
    d = copy.deepcopy(skeleton)
    d["document"] = dict(document)
    for it in d["items"]:
        spec = answers.get(it["no"], {})
        for party, cell in it["cells"].items():
            if cell is None:
                if party in spec:
                    raise SystemExit("item %d: %s cell is ―" % (it["no"], party))
                continue
            checked, fields = spec.get(party, ([], {}))
            ids = {o["id"] for o in cell["options"]}
            fids = {f["id"] for f in cell["fields"]}
            bad = (set(checked) - ids) | (set(fields) - fids)
            if bad:
                raise SystemExit("item %d %s: unknown ids %s" % (it["no"], party, sorted(bad)))
            for o in cell["options"]:
                o["checked"] = o["id"] in checked
            for f in cell["fields"]:
                f["value"] = fields.get(f["id"], "")
    return d


def cell_answers(doc, skip=()):
    """{(no, party): (options [(id, checked)], fields [(id, value)])} of an extract or answers file."""
    out = {}
    for it in doc["items"]:
        for party, c in it["cells"].items():
            if c is not None and (it["no"], party) not in skip:
                out[(it["no"], party)] = ([(o["id"], o["checked"]) for o in c["options"]],
                                          [(f["id"], f["value"]) for f in c["fields"]])
    return out


def verify(name, got, want, skip=()):
    """Refuses a sample whose extract differs from the answers it was made from."""
    g, w = cell_answers(got, skip), cell_answers(want, skip)
    g["document"], w["document"] = got["document"], want["document"]
    bad = [k for k in w if g.get(k) != w[k]]
    if bad:
        for k in bad[:5]:
            sys.stderr.write("%s: %r\n  read:  %r\n  wrote: %r\n" % (name, k, g.get(k), w.get(k)))
        raise SystemExit("make_samples: %s: extract does not read back what was written" % name)


def write_golden(out_dir):
    names = sorted(f[:-5] for f in os.listdir(out_dir) if f.endswith(".xlsx"))
    rel = os.path.relpath(out_dir, ROOT)
    for n in names:
        path = os.path.join(rel, n + ".xlsx")
        data = run("extract", path, cwd=ROOT)
        with open(os.path.join(out_dir, n + ".expected.json"), "wb") as f:
            f.write(data)
    print("make_samples: %d expected JSON files in %s" % (len(names), rel))


def main(argv):
    global SECHK
    out_dir = os.path.join(ROOT, "samples")
    SECHK = os.path.abspath(os.path.join(ROOT, SECHK)) if not os.path.isabs(SECHK) else SECHK
    if "--golden-only" in argv:
        write_golden(out_dir)
        return 0
    os.makedirs(out_dir, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="sechk-samples.")
    try:
        blank = os.path.join(tmp, "blank.xlsx")
        run("template", "-o", blank, "--date", DATE)
        skeleton = extract(blank)
        made = {}
        for name, answers, document, edits in SAMPLES:
            ans = answers_json(skeleton, answers, document)
            ans_path = os.path.join(tmp, name + ".json")
            with open(ans_path, "w", encoding="utf-8") as f:
                json.dump(ans, f, ensure_ascii=False, indent=1)
            filled = os.path.join(tmp, name + ".filled.xlsx")
            # relative names: fill records its input's name in docProps/core.xml
            run("fill", name + ".json", "-o", name + ".filled.xlsx", cwd=tmp)
            book = variants.Book(filled)
            skip = edits(book, extract(filled)) if edits else set()
            out = os.path.join(out_dir, name + ".xlsx")
            book.save(out)
            verify(name, extract(out), ans, skip)
            made[name] = (ans, skip)
        # LibreOffice re-save of the operation sample
        lo = os.path.join(out_dir, "libreoffice-resaved.xlsx")
        variants.libreoffice(os.path.join(out_dir, "operation.xlsx"), lo, tmp)
        variants.normalise_file(lo)
        verify("libreoffice-resaved", extract(lo), made["operation"][0])
        # Japanese-Excel rewrite of the conformant selection sample
        src = os.path.join(out_dir, "conformant-selection.xlsx")
        ex = os.path.join(out_dir, "excel-style.xlsx")
        info = extract(src)
        book = variants.Book(src)
        refs = variants.answer_refs_of(info)
        variants.excel_style(book, refs, refs[::3] + ["J3", "J4"])
        book.save(ex)
        verify("excel-style", extract(ex), made["conformant-selection"][0])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    write_golden(out_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
