"""Expected cell texts computed from a template file, independently of sechk's C code.

Used by the interop tests: parses templates/*.xml with the standard library
and renders each cell the way docs/template-format.md defines it
(<box> as □, <slot> as its placeholder, <lit> as its text, "―" for absent cells).
"""
import xml.etree.ElementTree as ET

NS = "{urn:sechk:template:1}"


def cell_text(cell):
    """The printed text of a <provider>/<contractor> element."""
    if cell.get("absent") == "true":
        return "\u2015"
    text = cell.find(NS + "text")
    out = [text.text or ""]
    for child in text:
        tag = child.tag[len(NS):]
        if tag == "box":
            out.append("\u25a1")
        elif tag in ("slot", "lit"):
            out.append(child.text or "")
        out.append(child.tail or "")
    return "".join(out)


def cell_options(cell):
    """Option ids and labels of a cell, in marker order."""
    if cell.get("absent") == "true":
        return None
    return [(b.get("id"), b.get("label")) for b in cell.find(NS + "text").iter(NS + "box")]


def cell_slots(cell):
    """Slot ids, labels and placeholders of a cell, in order."""
    if cell.get("absent") == "true":
        return None
    return [(s.get("id"), s.get("label"), s.text or "") for s in cell.find(NS + "text").iter(NS + "slot")]


def load(path):
    """Returns a dict describing the template: title, phases, levels, columns, items."""
    root = ET.parse(path).getroot()
    t = {
        "id": root.get("id"),
        "version": root.get("version"),
        "title": root.find(NS + "title").text,
        "phases": [(p.get("id"), p.get("label")) for p in root.find(NS + "phases")],
        "levels": {l.get("id"): l.get("label") for l in root.find(NS + "levels")},
        "columns": {c.get("id"): c.text for c in root.find(NS + "columns")},
        "fields": {f.get("id"): (f.get("label"), f.get("placeholder") or "") for f in root.find(NS + "document")},
        "items": [],
    }
    for it in root.iter(NS + "item"):
        prov, cont = it.find(NS + "provider"), it.find(NS + "contractor")
        t["items"].append({
            "no": int(it.get("no")),
            "lifecycle": it.get("lifecycle"),
            "level": it.get("level"),
            "evidence": it.get("evidence") == "true",
            "requirement": it.find(NS + "requirement").text,
            "provider": cell_text(prov),
            "contractor": cell_text(cont),
            "options": {"provider": cell_options(prov), "contractor": cell_options(cont)},
            "slots": {"provider": cell_slots(prov), "contractor": cell_slots(cont)},
        })
    return t
