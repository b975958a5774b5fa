#!/usr/bin/env python3
"""Trains the LMN paper's MLP (Liu, Zhong, Tegmark) on a+b mod 31 with NumPy and writes the weights as
safetensors: examples/mod31-mlp.safetensors (the file the README's `grok inspect` example reads), plus
the memorizing checkpoint at step 1000 (100% train, ~0.5% test accuracy) as
examples/mod31-mlp-memorized.safetensors.

Model: embedding 31x32 per operand, concat -> 64 -> 100 -> 100 -> 31, SiLU; AdamW lr 1e-3, wd 0.2;
80/20 train/test split of all 961 pairs (seed 0); full-batch steps. Needs only NumPy (tested with 2.4.6).
Usage: python3 scripts/make_example_weights.py [steps] [out]
"""
import json, struct, sys
import numpy as np

P, D, H = 31, 32, 100
steps = int(sys.argv[1]) if len(sys.argv) > 1 else 6000
out = sys.argv[2] if len(sys.argv) > 2 else "examples/mod31-mlp.safetensors"
rng = np.random.default_rng(0)
pairs = np.array([(a, b) for a in range(P) for b in range(P)])
perm = rng.permutation(len(pairs))
ntr = int(0.8 * len(pairs))
tr, te = pairs[perm[:ntr]], pairs[perm[ntr:]]

def init(shape, fan_in):
    return (rng.standard_normal(shape) / np.sqrt(fan_in)).astype(np.float64)

params = {
    "embedding.weight": init((P, D), 1.0),
    "layers.0.weight": init((2 * D, H), 2 * D), "layers.0.bias": np.zeros(H),
    "layers.1.weight": init((H, H), H), "layers.1.bias": np.zeros(H),
    "layers.2.weight": init((H, P), H), "layers.2.bias": np.zeros(P),
}
m = {k: np.zeros_like(v) for k, v in params.items()}
v = {k: np.zeros_like(v) for k, v in params.items()}

def silu(x):
    s = 1 / (1 + np.exp(-x)); return x * s, s

def forward(p, data):
    x0 = np.concatenate([p["embedding.weight"][data[:, 0]], p["embedding.weight"][data[:, 1]]], axis=1)
    z1 = x0 @ p["layers.0.weight"] + p["layers.0.bias"]; h1, s1 = silu(z1)
    z2 = h1 @ p["layers.1.weight"] + p["layers.1.bias"]; h2, s2 = silu(z2)
    logits = h2 @ p["layers.2.weight"] + p["layers.2.bias"]
    return logits, (x0, z1, h1, s1, z2, h2, s2)

def loss_acc(p, data):
    logits, cache = forward(p, data)
    y = (data[:, 0] + data[:, 1]) % P
    z = logits - logits.max(1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(1, keepdims=True))
    return -logp[np.arange(len(y)), y].mean(), (logits.argmax(1) == y).mean(), logp, y, cache

def save(params, path, step, test_acc):
    """safetensors: 8-byte LE header length, JSON header (8-byte aligned), F32 little-endian data,
    stored as PyTorch would (Linear weights are [out, in])."""
    header, blobs, off = {"__metadata__": {"model": "LMN-paper MLP, a+b mod 31", "step": str(step),
                                           "test_accuracy": f"{test_acc:.3f}", "format": "pt",
                                           "train_pairs": ",".join(str(a * P + b) for a, b in tr)}}, [], 0
    for k, val in params.items():
        arr = (val.T if k.startswith("layers.") and k.endswith("weight") else val).astype("<f4")
        b = arr.tobytes(); header[k] = {"dtype": "F32", "shape": list(arr.shape), "data_offsets": [off, off + len(b)]}
        blobs.append(b); off += len(b)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h))); f.write(h); [f.write(b) for b in blobs]
    print("wrote", path, 8 + len(h) + off, "bytes")

lr, wd, b1, b2, eps = 1e-3, 0.2, 0.9, 0.999, 1e-8
for t in range(1, steps + 1):
    L, acc, logp, y, (x0, z1, h1, s1, z2, h2, s2) = loss_acc(params, tr)
    g = {}
    dlog = np.exp(logp); dlog[np.arange(len(y)), y] -= 1; dlog /= len(y)
    g["layers.2.weight"] = h2.T @ dlog; g["layers.2.bias"] = dlog.sum(0)
    dh2 = dlog @ params["layers.2.weight"].T; dz2 = dh2 * (s2 * (1 + z2 * (1 - s2)))
    g["layers.1.weight"] = h1.T @ dz2; g["layers.1.bias"] = dz2.sum(0)
    dh1 = dz2 @ params["layers.1.weight"].T; dz1 = dh1 * (s1 * (1 + z1 * (1 - s1)))
    g["layers.0.weight"] = x0.T @ dz1; g["layers.0.bias"] = dz1.sum(0)
    dx0 = dz1 @ params["layers.0.weight"].T
    ge = np.zeros_like(params["embedding.weight"])
    np.add.at(ge, tr[:, 0], dx0[:, :D]); np.add.at(ge, tr[:, 1], dx0[:, D:])
    g["embedding.weight"] = ge
    for k in params:
        params[k] *= 1 - lr * wd
        m[k] = b1 * m[k] + (1 - b1) * g[k]; v[k] = b2 * v[k] + (1 - b2) * g[k] ** 2
        params[k] -= lr * (m[k] / (1 - b1 ** t)) / (np.sqrt(v[k] / (1 - b2 ** t)) + eps)
    if t % 1000 == 0 or t == steps:
        Lt, acct, *_ = loss_acc(params, te)
        print(f"step {t}: train loss {L:.4f} acc {acc:.3f}  test loss {Lt:.4f} acc {acct:.3f}")
    if t == 1000 and steps > 1000:
        save(params, out.replace(".safetensors", "-memorized.safetensors"), t, loss_acc(params, te)[1])
save(params, out, steps, loss_acc(params, te)[1])

