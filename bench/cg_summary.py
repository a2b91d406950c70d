#!/usr/bin/env python3
"""Summarises callgrind output files for docs/performance.md (bench/profile.sh).

    cg_summary.py [--top N] FILE.callgrind...

For each file: the total instructions (Ir), the self cost grouped by shared
object (sechk itself, libxml2, zlib, libc, the dynamic loader, ...), and the
top N of sechk's own functions by inclusive cost.  Uses callgrind_annotate.
"""
import re
import subprocess
import sys

LINE = re.compile(r"^\s*([\d,]+)\s+\(\s*[\d.]+%\)\s+(.*?)(?:\s+\[(.*)\])?\s*$")


def annotate(path, inclusive):
    argv = ["callgrind_annotate", "--auto=no", "--threshold=100"]
    if inclusive:
        argv.append("--inclusive=yes")
    out = subprocess.run(argv + [path], capture_output=True, text=True).stdout
    total, rows, started = 0, [], False
    for line in out.splitlines():
        if "PROGRAM TOTALS" in line:
            total = int(line.split()[0].replace(",", ""))
            continue
        if line.startswith("Ir") and "file:function" in line:
            started = True
            continue
        if not started:
            continue
        m = LINE.match(line)
        if m:
            rows.append((int(m.group(1).replace(",", "")), m.group(2), m.group(3) or ""))
    return total, rows


def short_obj(obj, func):
    base = obj.rsplit("/", 1)[-1]
    if not obj and func.startswith("./elf/"):
        return "dynamic loader"
    if not obj and func.startswith("./"):
        return "libc (malloc, string, stdio)"
    if not obj and ("/src/" in func or func.startswith("src/")):
        return "sechk"
    for pat, name in (("libxml2", "libxml2"), ("libz.so", "zlib"), ("libc.so", "libc (malloc, string, stdio)"),
                      ("ld-linux", "dynamic loader"), ("libjansson", "jansson"), ("libxlsxwriter", "libxlsxwriter"),
                      ("libminizip", "minizip"), ("libzip", "libzip"), ("libicu", "ICU"), ("libcrypto", "libcrypto")):
        if pat in base:
            return name
    if base in ("sechk",) or "/src/" in func:
        return "sechk"
    return base or "other"


def summarise(path, top):
    total, self_rows = annotate(path, False)
    _, inc_rows = annotate(path, True)
    by_obj = {}
    for ir, func, obj in self_rows:
        k = short_obj(obj, func)
        by_obj[k] = by_obj.get(k, 0) + ir
    print("%s: %s Ir" % (path, format(total, ",")))
    print()
    print("| self cost by object | Ir | % |")
    print("|---|---:|---:|")
    for k, ir in sorted(by_obj.items(), key=lambda x: -x[1])[:10]:
        print("| %s | %s | %.1f |" % (k, format(ir, ","), 100.0 * ir / total))
    print()
    out = []
    seen, n = set(), 0
    for ir, func, obj in inc_rows:
        if "/src/" not in func and not func.startswith("src/"):
            continue
        name = func.split(":", 1)[-1]
        where = func.split(":", 1)[0].split("/src/")[-1].replace("src/", "", 1)
        if name in seen or name in ("main",):
            continue
        seen.add(name)
        out.append("| %s `%s` | %s | %.1f |" % (where, name, format(ir, ","), 100.0 * ir / total))
        n += 1
        if n >= top:
            break
    if out:
        print("| sechk function (inclusive) | Ir | % |")
        print("|---|---:|---:|")
        print("\n".join(out))
        print()


def main(argv):
    top = 15
    if len(argv) > 2 and argv[1] == "--top":
        top = int(argv[2])
        argv = argv[2:]
    for path in argv[1:]:
        summarise(path, top)


if __name__ == "__main__":
    main(sys.argv)
