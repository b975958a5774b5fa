#!/usr/bin/env python3
"""A safetensors file with GPT-2 small's tensor names and shapes (124M parameters, 148 tensors, F32,
N(0, 0.02^2) weights, LayerNorm gains 1), and a check of `grok inspect --json` against NumPy.

    python3 scripts/gpt2_shaped.py make /tmp/gpt2.safetensors [--seed 0]
    ./grok inspect --json --codecs zstd /tmp/gpt2.safetensors > /tmp/gpt2.json
    python3 scripts/gpt2_shaped.py check /tmp/gpt2.safetensors /tmp/gpt2.json [--tolerance 1e-4]

`check` computes every matrix's spectral entropy H = -sum p ln p, p = sigma / sum(sigma), in float64
with np.linalg.svd (LAPACK gesdd) on the memory-mapped file, and fails (exit 1) if any tensor of the
report differs by more than the tolerance (nats) or is missing. Weights are written one tensor at a
time, so memory stays at one tensor.
"""
import argparse
import json
import struct
import sys

import numpy as np

D, LAYERS, VOCAB, CONTEXT = 768, 12, 50257, 1024


def shapes():
    yield "wte.weight", (VOCAB, D)
    yield "wpe.weight", (CONTEXT, D)
    for i in range(LAYERS):
        h = f"h.{i}."
        yield h + "ln_1.weight", (D,)
        yield h + "ln_1.bias", (D,)
        yield h + "attn.c_attn.weight", (D, 3 * D)
        yield h + "attn.c_attn.bias", (3 * D,)
        yield h + "attn.c_proj.weight", (D, D)
        yield h + "attn.c_proj.bias", (D,)
        yield h + "ln_2.weight", (D,)
        yield h + "ln_2.bias", (D,)
        yield h + "mlp.c_fc.weight", (D, 4 * D)
        yield h + "mlp.c_fc.bias", (4 * D,)
        yield h + "mlp.c_proj.weight", (4 * D, D)
        yield h + "mlp.c_proj.bias", (D,)
    yield "ln_f.weight", (D,)
    yield "ln_f.bias", (D,)


def make(path, seed):
    rng = np.random.default_rng(seed)
    header, offset = {}, 0
    for name, shape in shapes():
        n = int(np.prod(shape)) * 4
        header[name] = {"dtype": "F32", "shape": list(shape), "data_offsets": [offset, offset + n]}
        offset += n
    header["__metadata__"] = {"format": "pt", "made_by": "scripts/gpt2_shaped.py", "seed": str(seed)}
    blob = json.dumps(header, separators=(",", ":")).encode()
    blob += b" " * (-len(blob) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(blob)))
        f.write(blob)
        for name, shape in shapes():
            if name.endswith(("ln_1.weight", "ln_2.weight", "ln_f.weight")):
                a = np.ones(shape, dtype=np.float32)
            elif name.endswith("bias"):
                a = np.zeros(shape, dtype=np.float32)
            else:
                a = (rng.standard_normal(shape, dtype=np.float32) * np.float32(0.02)).astype(np.float32)
            f.write(a.astype("<f4").tobytes())
    print(f"wrote {path}: {offset / 1e6:.0f} MB of F32 in {len(header) - 1} tensors")


def read(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
    header.pop("__metadata__", None)
    data = np.memmap(path, dtype=np.uint8, mode="r", offset=8 + n)
    for name, info in header.items():
        start, end = info["data_offsets"]
        yield name, np.frombuffer(data[start:end], dtype="<f4").reshape(info["shape"])


def entropy(a):
    m = a.reshape(a.shape[0], -1).astype(np.float64)
    s = np.linalg.svd(m, compute_uv=False)
    if s[0] == 0:
        return 0.0
    s = s[s > max(m.shape) * np.spacing(s[0])]
    p = s / s.sum()
    return float(-(p * np.log(p)).sum())


def check(path, report_path, tolerance):
    report = {t["name"]: t for t in json.load(open(report_path))["tensors"]}
    worst, count, bad = 0.0, 0, []
    for name, a in read(path):
        if a.ndim < 2:
            continue
        ref = entropy(a)
        got = report.get(name, {}).get("spectral_entropy_nats")
        if got is None:
            bad.append(f"{name}: no entropy in the report")
            continue
        diff = abs(got - ref)
        worst = max(worst, diff)
        count += 1
        if diff > tolerance:
            bad.append(f"{name} {list(a.shape)}: grok {got!r}, numpy {ref!r} (|diff| {diff:.3g})")
    print(f"numpy {np.__version__}: {count} matrices compared, largest |H_grok - H_numpy| = {worst:.3g} nats")
    for b in bad:
        print("MISMATCH", b)
    return 1 if bad else 0


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    mk = sub.add_parser("make")
    mk.add_argument("out")
    mk.add_argument("--seed", type=int, default=0)
    ck = sub.add_parser("check")
    ck.add_argument("file")
    ck.add_argument("report")
    ck.add_argument("--tolerance", type=float, default=1e-4)
    args = ap.parse_args()
    if args.cmd == "make":
        make(args.out, args.seed)
    else:
        sys.exit(check(args.file, args.report, args.tolerance))
