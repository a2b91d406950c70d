#!/usr/bin/env python3
"""Builds the one-file page: web/sechk.html with its CSS and scripts inlined.

usage: web-inline.py TEMPLATE.html CORE.js OUT.html

In the template, the line `/*@CSS@*/` becomes web/*.css and the line
`<!--@SCRIPTS@-->` becomes one <script> per file: web/pre-*.js, CORE.js
(emscripten's output, the WebAssembly inlined), then the other web/*.js, in
name order.  Nothing
external is referenced: the build fails if a script or style would close its
element early or load anything from elsewhere.
"""
import glob
import os
import re
import sys


def main():
    tpl_path, core_path, out_path = sys.argv[1:4]
    web = os.path.dirname(tpl_path)
    with open(tpl_path, encoding="utf-8") as f:
        page = f.read()
    css = ""
    for p in sorted(glob.glob(os.path.join(web, "*.css"))):
        with open(p, encoding="utf-8") as f:
            css += f.read()
    js_files = sorted(glob.glob(os.path.join(web, "*.js")))
    pre = [p for p in js_files if os.path.basename(p).startswith("pre-")]
    scripts = pre + [core_path] + [p for p in js_files if p not in pre]
    parts = []
    for p in scripts:
        with open(p, encoding="utf-8") as f:
            js = f.read()
        if re.search(r"</script", js, re.I):
            sys.exit(f"web-inline: {p}: contains </script")
        parts.append(f"<script>\n{js}\n</script>")
    if "</style" in css.lower():
        sys.exit("web-inline: CSS contains </style")
    for mark in ("/*@CSS@*/", "<!--@SCRIPTS@-->"):
        if page.count(mark) != 1:
            sys.exit(f"web-inline: {tpl_path}: expected one {mark}")
    page = page.replace("/*@CSS@*/", css).replace("<!--@SCRIPTS@-->", "\n".join(parts))
    # nothing from elsewhere: no http(s) URL in src/href, no @import
    if re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", page, re.I) or "@import" in css:
        sys.exit("web-inline: the page references an external resource")
    tmp = out_path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(page)
    os.replace(tmp, out_path)


if __name__ == "__main__":
    main()
