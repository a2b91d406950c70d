#!/usr/bin/python3
"""Rewrites an encrypted workbook's CFB container with one thing changed, for
sechk's tests of hostile encrypted inputs (tests/e2e/test_encrypted.sh).

    cfb_tool.py IN OUT [CHANGE]

IN is read with olefile (an independent CFB reader); OUT is a fresh CFB
(version 3, 512-byte sectors) holding only EncryptionInfo and
EncryptedPackage, both in regular sectors (the Agile XML is padded with
trailing whitespace to the 4096-byte mini-stream cutoff).  CHANGE is one of

    none               the same streams (a positive control: must still decrypt)
    spin=N             the Agile spinCount attribute set to N
    declared=N         the package's declared (decrypted) size set to N
    flip=K             byte K of the encrypted data (after the 8-byte size) inverted
    cut=N              the EncryptedPackage stream cut to N bytes
    loop               the EncryptedPackage's FAT chain made to loop on itself
    dirsize=N          the EncryptedPackage's directory size field set to N
"""

import re
import struct
import sys

import olefile

SECTOR = 512
END, FREE, FATSECT, NOSTREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF


def write_cfb(streams, loop=None, dirsize=None):
    """streams: [(name, bytes)], each at least 4096 bytes long."""
    data_secs = [-(-len(b) // SECTOR) for _, b in streams]
    n_dir = 1
    n_fat = 1
    while True:
        total = n_fat + n_dir + sum(data_secs)
        if n_fat * (SECTOR // 4) >= total:
            break
        n_fat += 1
    fat = [FREE] * (n_fat * SECTOR // 4)
    for i in range(n_fat):
        fat[i] = FATSECT
    dir_start = n_fat
    fat[dir_start] = END
    starts = []
    s = dir_start + n_dir
    for name, n in zip([nm for nm, _ in streams], data_secs):
        starts.append(s)
        for k in range(n):
            fat[s + k] = s + k + 1 if k + 1 < n else END
        if loop == name:
            fat[s + n // 2] = s  # the middle sector points back to the first
        s += n
    hdr = bytearray(512)
    hdr[0:8] = bytes.fromhex("D0CF11E0A1B11AE1")
    struct.pack_into("<HHHHH", hdr, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIII", hdr, 44, n_fat, dir_start, 0, 4096, END, 0, END, 0)
    if n_fat > 109:
        raise SystemExit("too big for this writer")
    for i in range(109):
        struct.pack_into("<I", hdr, 76 + 4 * i, i if i < n_fat else FREE)
    entries = [("Root Entry", 5, 1, NOSTREAM, END, 0)]
    for k, (name, b) in enumerate(streams):
        size = len(b)
        if dirsize is not None and name == "EncryptedPackage":
            size = dirsize
        right = k + 2 if k + 1 < len(streams) else NOSTREAM
        entries.append((name, 2, NOSTREAM, right, starts[k], size))
    d = bytearray()
    for name, typ, child, right, start, size in entries:
        e = bytearray(128)
        u = name.encode("utf-16-le")
        e[0:len(u)] = u
        struct.pack_into("<HBBIII", e, 64, len(u) + 2, typ, 1, NOSTREAM, right, child)
        struct.pack_into("<II", e, 116, start, size & 0xFFFFFFFF)
        d += e
    d += bytes(512 - len(d) % 512)
    body = b"".join(b + bytes(-len(b) % SECTOR) for _, b in streams)
    return bytes(hdr) + struct.pack("<%dI" % len(fat), *fat) + bytes(d) + body


def main(argv):
    if len(argv) not in (3, 4):
        sys.stderr.write(__doc__)
        return 2
    change = argv[3] if len(argv) == 4 else "none"
    ole = olefile.OleFileIO(argv[1])
    info = ole.openstream("EncryptionInfo").read()
    pkg = bytearray(ole.openstream("EncryptedPackage").read())
    ole.close()
    what, _, arg = change.partition("=")
    loop = dirsize = None
    if what == "spin":
        info, n = re.subn(rb'spinCount="\d+"', b'spinCount="%d"' % int(arg), info)
        assert n == 1, "no spinCount in EncryptionInfo (not Agile?)"
    elif what == "declared":
        struct.pack_into("<Q", pkg, 0, int(arg))
    elif what == "flip":
        pkg[8 + int(arg)] ^= 0xFF
    elif what == "cut":
        pkg = pkg[:int(arg)]
    elif what == "loop":
        loop = "EncryptedPackage"
    elif what == "dirsize":
        dirsize = int(arg)
    elif what != "none":
        sys.stderr.write(__doc__)
        return 2
    if len(info) < 4096:
        info = info + b" " * (4096 - len(info))
    if len(pkg) < 4096:
        raise SystemExit("the package is too small for this writer")
    with open(argv[2], "wb") as f:
        f.write(write_cfb([("EncryptionInfo", info), ("EncryptedPackage", bytes(pkg))], loop, dirsize))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
