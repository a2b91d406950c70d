#!/usr/bin/env python3
"""By turns: the SAX floor, two sechk binaries with -j 1 and -j 2 (--no-review).

    batch_turns.py --old OLD/sechk --new build/sechk --floor build/bench/floor_xmlreader \
        --files build/bench/files [--rounds 5]

Each round runs the floor (`floor_xmlreader -s` over the files), OLD -j 1,
OLD -j 2, NEW -j 1, NEW -j 2 once, in that order, so that the machine's
drift hits all of them alike; prints the medians (wall, and CPU: user +
system of the process and its workers) and the ratios: -j 1 against the
floor (throughput), -j 2 against -j 1.  Output folders go to a temporary
folder, removed at the end.  Only the standard library.
"""
import argparse, glob, os, resource, shutil, statistics, subprocess, tempfile, time


def timed(argv):
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    t1 = time.monotonic()
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    return t1 - t0, (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--old", required=True)
    p.add_argument("--new", required=True)
    p.add_argument("--floor", required=True)
    p.add_argument("--files", required=True, help="a folder of .xlsx files")
    p.add_argument("--rounds", type=int, default=5)
    a = p.parse_args()
    files = sorted(glob.glob(os.path.join(a.files, "*.xlsx")))
    tmp = tempfile.mkdtemp(prefix="batch_turns.")
    try:
        cmds = {"floor": [a.floor, "-s"] + files}
        for name, binp in (("old", a.old), ("new", a.new)):
            for j in (1, 2):
                out = os.path.join(tmp, "%s-%d" % (name, j))
                cmds["%s-j%d" % (name, j)] = [binp, "batch", a.files, "-o", out, "-j", str(j), "--no-review"]
        res = {k: [] for k in cmds}
        for _ in range(a.rounds):
            for k, argv in cmds.items():
                if "-o" in argv:
                    shutil.rmtree(argv[argv.index("-o") + 1], ignore_errors=True)
                res[k].append(timed(argv))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    med = {k: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v)) for k, v in res.items()}
    print("load %s; %d files; %d rounds" % (" ".join(open("/proc/loadavg").read().split()[:3]), len(files), a.rounds))
    for k, (w, c) in med.items():
        print("%-8s wall %.3f s  cpu %.3f s  (runs %s)" % (k, w, c, " ".join("%.2f" % x for x, _ in res[k])))
    fw, fc = med["floor"]
    for name in ("old", "new"):
        w1, c1 = med[name + "-j1"]
        w2, c2 = med[name + "-j2"]
        print("%s: -j 1 vs floor %.2fx (CPU %.2fx); -j 2 vs -j 1 %.2fx (-j 2 CPU %.2f of -j 1's)"
              % (name, fw / w1, fc / c1, w1 / w2, c2 / c1))


if __name__ == "__main__":
    main()
