#!/usr/bin/env python3
"""sechk benchmarks: generate the inputs (issue 8, docs/performance.md).

    gen_inputs.py answers BASE.json OUTDIR N SEED [CLEAN.json...]
        N answer files OUTDIR/a0000.json ... with seeded, varied answers
        (BASE.json is `sechk extract` of a blank `sechk template`); the
        caller turns each into a workbook with `sechk fill`.  a0000 answers
        all four phases at random; of the others, 40 % (if CLEAN files are
        given: `sechk extract` of conformant samples) are a clean answer set
        with other remarks and service name, the rest random answers up to a
        random phase (which the checker finds deficient).

    gen_inputs.py bigsheet BASE.xlsx OUT.xlsx ROWS SEED
        a workbook whose one sheet has ROWS rows: BASE.xlsx's checklist
        (header block, header row and its 36 items) followed by filler rows
        of checklist-like Japanese text, each with its own unique shared
        strings (about 880 bytes of sharedStrings.xml and 260 bytes of
        sheet XML per row: 100,000 rows give ~88 MB + ~27 MB, as brief
        section 9 describes).  Both parts are streamed into the zip, never
        held whole in memory.

Only the standard library; deterministic for a given SEED.
"""
import json
import os
import random
import re
import sys
import zipfile
from xml.sax.saxutils import escape

# ---------------------------------------------------------------- answers

REMARKS = [
    "ISMAPクラウドサービスリストの登録を確認した。",
    "サービス仕様書（第{n}版）の該当箇所を確認した。",
    "提供者のホワイトペーパーにより確認。",
    "詳細は別紙{n}のとおり。",
    "契約書第{n}条に定めがある。",
    "管理画面の設定で対応する。",
    "担当者へのヒアリングにより確認した（{m}月{d}日）。",
    "SLAに記載あり。",
    "",
    "",
    "",
]
TEXTS = [
    "東京リージョン及び大阪リージョン",
    "日本国内のデータセンター",
    "多要素認証（ワンタイムパスワード）",
    "操作ログ、認証ログ、通信ログ",
    "暗号化消去（NIST SP 800-88 準拠）",
    "物理破壊及び消去証明書の発行",
    "第三者による年次監査",
    "{n}社",
    "日本法、東京地方裁判所",
    "脆弱性診断を年{m}回実施",
]


def _fmt(rng, s):
    return s.format(n=rng.randint(1, 99), m=rng.randint(1, 12), d=rng.randint(1, 28))


def _date(rng):
    return "%d年%d月%d日" % (rng.choice((2025, 2026, 2027)), rng.randint(1, 12), rng.randint(1, 28))


PHASES = ["selection", "development", "operation", "disposal"]


def vary(base, rng, k):
    d = json.loads(json.dumps(base))
    d.pop("summary", None)
    d["source"] = {"path": "bench-%04d.xlsx" % k, "sheet": d.get("source", {}).get("sheet", "")}
    reach = rng.choice((0, 1, 1, 2, 2, 2, 3))  # the latest phase answered
    if k == 0:
        reach = 3  # the first file (the per-file benchmark's) answers every item
    careful = rng.random() < 0.6  # careful answerers check consistently
    doc = d.setdefault("document", {})
    doc["created"] = _date(rng)
    doc["updated"] = _date(rng) if rng.random() < 0.5 else ""
    doc["service"] = "%sクラウド %s" % (rng.choice(("サンプル", "テスト", "県庁", "市町村共同")),
                                     rng.choice(("ストレージ", "グループウェア", "電子申請", "文書管理")))
    for it in d["items"]:
        life = it.get("lifecycle")
        due = life == "all" or (life in PHASES and PHASES.index(life) <= reach)
        for cell in it["cells"].values():
            if not cell:
                continue
            opts = cell.get("options") or []
            for j, o in enumerate(opts):
                if not due:
                    o["checked"] = False
                elif careful:
                    o["checked"] = j == 0 or rng.random() < 0.3
                else:
                    o["checked"] = rng.random() < 0.45
            for f in cell.get("fields") or []:
                fid = f.get("id", "")
                if not due or rng.random() < (0.3 if careful else 0.6):
                    f["value"] = ""
                elif "date" in fid:
                    f["value"] = _date(rng)
                elif fid.startswith("remarks"):
                    f["value"] = _fmt(rng, rng.choice(REMARKS))
                else:
                    f["value"] = _fmt(rng, rng.choice(TEXTS))
    return d


def vary_clean(clean, rng, k):
    """A conformant answer set with other remarks and service name: the
    checks and dates stay as they were, so it stays clean."""
    d = json.loads(json.dumps(clean))
    d.pop("summary", None)
    d["source"] = {"path": "bench-%04d.xlsx" % k, "sheet": d.get("source", {}).get("sheet", "")}
    d.setdefault("document", {})["service"] = "%sクラウド %d" % (rng.choice(("サンプル", "県庁", "共同")), k)
    remarks = [r for r in REMARKS if r]
    for it in d["items"]:
        for cell in it["cells"].values():
            for f in (cell or {}).get("fields") or []:
                if f.get("id", "").startswith("remarks") and f.get("value"):
                    f["value"] = _fmt(rng, rng.choice(remarks))
    return d


def load_json(path):
    with open(path, encoding="utf-8") as fp:
        d = json.load(fp)
    return d[0] if isinstance(d, list) else d


def gen_answers(base_path, outdir, n, seed, clean_paths=()):
    base = load_json(base_path)
    cleans = [load_json(p) for p in clean_paths]
    os.makedirs(outdir, exist_ok=True)
    rng = random.Random(seed)
    for k in range(n):
        if k > 0 and cleans and rng.random() < 0.4:
            d = vary_clean(rng.choice(cleans), rng, k)
        else:
            d = vary(base, rng, k)
        with open(os.path.join(outdir, "a%04d.json" % k), "w", encoding="utf-8") as fp:
            json.dump(d, fp, ensure_ascii=False)


# ---------------------------------------------------------------- big sheet

SHEET = "xl/worksheets/sheet1.xml"
STRINGS = "xl/sharedStrings.xml"
FLUSH_ROWS = 500


def _si_texts(xml):
    """The plain text of each <si> (runs concatenated), for sentence material."""
    out = []
    for si in re.findall(r"<si>(.*?)</si>", xml, re.S):
        out.append("".join(re.findall(r"<t[^>]*>(.*?)</t>", si, re.S)))
    return out


def _sentences(texts):
    """Sentences of the checklist's own long texts, unescaped back to text."""
    sents = []
    for t in texts:
        t = t.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")
        for s in re.split(r"(?<=。)|\n", t):
            s = s.strip()
            if 8 <= len(s) <= 120:
                sents.append(s)
    return sorted(set(sents))


def _take(rng, pool, chars):
    parts, n = [], 0
    while n < chars:
        s = rng.choice(pool)
        parts.append(s)
        n += len(s)
    return "".join(parts)


def filler_row(rng, r, no, sents, labels, shared, mark, level):
    """Filler row r: its sheet XML and its new shared strings (which get the
    indexes shared, shared+1, ...).  The requirement text (~110 chars), the
    provider's answer (~100 chars of □/■ options and a remark), the
    contractor's (~45 chars, with a dated remark) are unique to the row,
    as in a real long checklist; the lifecycle mark and the level reuse the
    base workbook's strings (mark, level)."""
    req = "%s（参考%d）" % (_take(rng, sents, 85), r)
    prov = "　".join(("■" if rng.random() < 0.4 else "□") + o for o in rng.sample(labels, min(4, len(labels))))
    prov += "\n備考：%s（%d）" % (_take(rng, sents, 20), r)
    con = "%s確認済み\n備考：%s %d年%d月%d日確認 第%d号" % (
        "■" if rng.random() < 0.5 else "□", _take(rng, sents, 10), rng.choice((2025, 2026)), rng.randint(1, 12),
        rng.randint(1, 28), r)
    xml = (
        '<row r="%d" spans="1:9">' % r
        + '<c r="A%d" s="7"><v>%d</v></c>' % (r, no)
        + '<c r="B%d" s="7" t="s"><v>%d</v></c>' % (r, mark)
        + '<c r="F%d" s="8" t="s"><v>%d</v></c>' % (r, shared)
        + '<c r="G%d" s="7" t="s"><v>%d</v></c>' % (r, level)
        + '<c r="H%d" s="8" t="s"><v>%d</v></c>' % (r, shared + 1)
        + '<c r="I%d" s="8" t="s"><v>%d</v></c>' % (r, shared + 2)
        + "</row>"
    )
    return xml, (req, prov, con)


REFS_PER_ROW, NEW_PER_ROW = 5, 3
VOCAB = 60


def gen_bigsheet(base_path, out_path, rows, seed):
    rng = random.Random(seed)
    with zipfile.ZipFile(base_path) as zin:
        names = zin.namelist()
        sheet = zin.read(SHEET).decode("utf-8")
        strings = zin.read(STRINGS).decode("utf-8")
        others = [(i, zin.read(i.filename)) for i in zin.infolist() if i.filename not in (SHEET, STRINGS)]
    if SHEET not in names or STRINGS not in names:
        sys.exit("gen_inputs: %s lacks %s or %s" % (base_path, SHEET, STRINGS))
    head, rest = sheet.split("<sheetData>", 1)
    body, tail = rest.split("</sheetData>", 1)
    last_row = max(int(x) for x in re.findall(r'<row r="(\d+)"', body))
    head = re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:J%d"/>' % max(rows, last_row), head)
    m = re.match(r'(.*?<sst[^>]*?)\s+count="(\d+)"\s+uniqueCount="(\d+)"\s*>(.*)</sst>\s*$', strings, re.S)
    if not m:
        sys.exit("gen_inputs: cannot parse %s of %s" % (STRINGS, base_path))
    sst_open, count, unique, sis = m.group(1), int(m.group(2)), int(m.group(3)), m.group(4)
    texts = _si_texts(sis)
    # A vocabulary of 60 sentences: real checklists repeat themselves, and
    # this keeps the deflate ratio nearer a real workbook's (~13:1 here, 21:1 in brief section 9).
    sents = _sentences(texts)
    sents = sorted(random.Random(seed).sample(sents, min(VOCAB, len(sents))))
    labels = sorted(set(re.findall(r"[□■]([^□■\n　]{2,30})", "\n".join(texts)))) or ["適合", "不適合"]
    n_fill = max(0, rows - last_row)
    count_all = count + n_fill * REFS_PER_ROW
    unique_all = unique + n_fill * NEW_PER_ROW
    mark = texts.index("〇") if "〇" in texts else 0
    level = texts.index("必須") if "必須" in texts else 0

    os.makedirs(os.path.dirname(out_path) or ".", exist_ok=True)
    tmp = out_path + ".tmp"
    # The filler rows are made twice (sheet, then strings) from the same
    # seed, so that neither part is ever held whole.
    state = rng.getstate()
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zout:
        for info, data in others:
            if info.filename == "[Content_Types].xml":
                zout.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
        zi = zipfile.ZipInfo(SHEET, date_time=(1980, 1, 1, 0, 0, 0))
        zi.compress_type = zipfile.ZIP_DEFLATED
        with zout.open(zi, "w", force_zip64=True) as fp:
            fp.write(head.encode() + b"<sheetData>" + body.encode())
            rng.setstate(state)
            shared, buf = unique, []
            for k in range(n_fill):
                r = last_row + 1 + k
                xml, _ = filler_row(rng, r, 37 + k, sents, labels, shared, mark, level)
                shared += NEW_PER_ROW
                buf.append(xml)
                if len(buf) >= FLUSH_ROWS:
                    fp.write("".join(buf).encode())
                    buf = []
            fp.write("".join(buf).encode() + b"</sheetData>" + tail.encode())
        zi = zipfile.ZipInfo(STRINGS, date_time=(1980, 1, 1, 0, 0, 0))
        zi.compress_type = zipfile.ZIP_DEFLATED
        with zout.open(zi, "w", force_zip64=True) as fp:
            fp.write(('%s count="%d" uniqueCount="%d">' % (sst_open, count_all, unique_all)).encode() + sis.encode())
            rng.setstate(state)
            shared, buf = unique, []
            for k in range(n_fill):
                r = last_row + 1 + k
                _, si = filler_row(rng, r, 37 + k, sents, labels, shared, mark, level)
                shared += NEW_PER_ROW
                for s in si:
                    buf.append("<si><t>%s</t></si>" % escape(s))
                if len(buf) >= FLUSH_ROWS * NEW_PER_ROW:
                    fp.write("".join(buf).encode())
                    buf = []
            fp.write("".join(buf).encode() + b"</sst>")
        for info, data in others:
            if info.filename != "[Content_Types].xml":
                zout.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    os.replace(tmp, out_path)


def main(argv):
    if len(argv) >= 6 and argv[1] == "answers":
        gen_answers(argv[2], argv[3], int(argv[4]), int(argv[5]), argv[6:])
    elif len(argv) == 6 and argv[1] == "bigsheet":
        gen_bigsheet(argv[2], argv[3], int(argv[4]), int(argv[5]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
