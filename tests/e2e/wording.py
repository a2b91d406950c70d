"""One wording per rule: the finding's message (src/checklist/rulekinds.c, shown by
`check`, in 指摘内容 and in the cell comments) and the review's request
(修正のお願い: the template's <actions>, else the outcome's generic action in
src/checklist/rulekinds.c) must not contradict each other.

For every code that has both (Japanese texts):
  - where a message asks for the reason in a named field (理由を「{slot}」に記入),
    the request names no other field for it (no 「備考欄」 in its place);
  - every term the request quotes in 「」 (other than examples) occurs in a
    message of the code.
Usage: wording.py RULEKINDS.c TEMPLATE.xml; prints one line per contradiction and
exits 1 if any; prints the number of codes compared otherwise."""
import re
import sys
import xml.etree.ElementTree as ET

TOKEN = re.compile(r'"((?:[^"\\]|\\.)*)"|([,{}])|(\[[A-Z_]+\]\s*=)|([A-Za-z_][A-Za-z0-9_]*)')


def entries(path, start, index=0):
    """{code: [texts]}: the index-th text (0: the Japanese message, 2: the
    Japanese action) of entries {"code", [CLASS,] "ja" "…", "en", ["ja", "en"]}
    of the table after start."""
    src = open(path, encoding="utf-8").read()
    src = src[src.index(start):]
    src = src[:src.index("};")]
    out, cur, depth = {}, [], 0
    for m in TOKEN.finditer(src):
        lit, punct = m.group(1), m.group(2)
        if punct == "{":
            depth += 1
            cur = []
        elif punct == "}":
            depth -= 1
            if len(cur) >= 3 and re.fullmatch(r"[a-z-]+", cur[0] or ""):
                texts = [t for t in cur[1:] if t != "\x00"]
                if len(texts) > index:
                    out.setdefault(cur[0], []).append(texts[index])  # Japanese comes first
            cur = []
        elif punct == ",":
            cur.append("\x00")  # a separator: the next literal starts a new text
        elif lit is not None:
            if cur and cur[-1] not in (None, "\x00"):
                cur[-1] += lit  # adjacent literals concatenate
            else:
                if cur and cur[-1] == "\x00":
                    cur.pop()
                cur.append(lit)
        elif m.group(4) and cur and cur[-1] == "\x00":
            cur.pop()  # an identifier (severity): skip
    return {k: [t for t in v if t and t != "\x00"] for k, v in out.items()}


TABLE = "sk_outcome_defs[SK_OC__COUNT] = {"
messages = entries(sys.argv[1], TABLE)
actions = entries(sys.argv[1], TABLE, 2)
NS = "{urn:sechk:template:1}"
for a in ET.parse(sys.argv[2]).getroot().iter(NS + "action"):  # the template's come first
    ja = [m.text or "" for m in a.iter(NS + "message") if m.get("lang") == "ja"]
    if ja:
        actions[a.get("code")] = ja
bad = []
compared = 0
for code, acts in actions.items():
    if code not in messages:
        continue
    compared += 1
    msgs = messages[code]
    act = acts[0]
    named = {m.group(1) for t in msgs for m in re.finditer(r"理由を「([^」]+)」に記入", t)}
    if named:
        other = re.findall(r"理由を「([^」]+)」|理由を([^、。「」]{1,8})欄|理由を?[^。]{0,12}(備考)", act)
        for x in other:
            field = next(v for v in x if v)
            if field not in named:
                bad.append(f"{code}: the message asks for the reason in 「{'」「'.join(sorted(named))}」, "
                           f"the request in {field}: {act}")
    for q in re.findall(r"「([^」]+)」", act):
        if re.search(r"[0-9０-９]|例", q):
            continue
        if not any(q in t for t in msgs):
            bad.append(f"{code}: the request quotes 「{q}」, no message of the rule says it: {act}")
print("\n".join(bad) if bad else f"wording: {compared} codes compared")
sys.exit(1 if bad else 0)
