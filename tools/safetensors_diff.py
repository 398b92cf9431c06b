#!/usr/bin/env python3
"""safetensors_diff.py A.safetensors B.safetensors: the largest difference between two checkpoints.

Prints one line: tensors compared, elements, the max absolute difference, and the max relative
difference |a - b| / max(|a|, |b|) over elements where max(|a|, |b|) >= 1e-3 (relative error of
near-zero weights says nothing). Float32, BF16 and F16 tensors; exit 2 when the files' tensors or
shapes differ. Stdlib only, so tests can run it anywhere.
"""
import json
import struct
import sys
from array import array


def load(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    header.pop("__metadata__", None)
    return header, data


def values(meta, data):
    lo, hi = meta["data_offsets"]
    raw = data[lo:hi]
    dt = meta["dtype"]
    if dt == "F32":
        a = array("f")
        a.frombytes(raw)
        return a
    if dt in ("BF16", "F16"):
        h = array("H")
        h.frombytes(raw)
        if dt == "BF16":
            return array("f", struct.unpack(f"<{len(h)}f", b"".join(struct.pack("<I", x << 16) for x in h)))
        return array("f", struct.unpack(f"<{len(h)}e", raw))
    raise SystemExit(f"safetensors_diff: dtype {dt} not handled")


def main():
    if len(sys.argv) != 3:
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        sys.exit(2)
    (ha, da), (hb, db) = load(sys.argv[1]), load(sys.argv[2])
    if sorted(ha) != sorted(hb):
        print(f"safetensors_diff: the files hold different tensors", file=sys.stderr)
        sys.exit(2)
    n = 0
    max_abs = max_rel = 0.0
    worst = ""
    for name in sorted(ha):
        if ha[name]["shape"] != hb[name]["shape"]:
            print(f"safetensors_diff: {name}: shapes {ha[name]['shape']} vs {hb[name]['shape']}", file=sys.stderr)
            sys.exit(2)
        a, b = values(ha[name], da), values(hb[name], db)
        for x, y in zip(a, b):
            d = abs(x - y)
            m = max(abs(x), abs(y))
            max_abs = max(max_abs, d)
            if m >= 1e-3 and d / m > max_rel:
                max_rel, worst = d / m, name
        n += len(a)
    print(f"tensors {len(ha)} elements {n} max_abs {max_abs:.3g} max_rel {max_rel:.3g} worst {worst or '-'}")


if __name__ == "__main__":
    main()
