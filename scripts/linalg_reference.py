#!/usr/bin/env python3
"""NumPy reference values for the linear-algebra contract (grok-metrics-api LinearAlgebraContract).

Builds the same matrices as the Java test helper MatrixCases.splitmix(rows, cols, seed): entry i (row-major)
is splitmix64(seed * 2^32 + i), its top 53 bits as a uniform in [0, 1), minus 0.5, rounded to float32.
Prints, per shape, sigma_1, sigma_(k/2+1), sigma_k, the sum of sigma and the spectral entropy
H = -sum p ln p with p = sigma / sum(sigma) (nats), from np.linalg.svd in float64 (LAPACK gesdd).

    python3 scripts/linalg_reference.py
"""
import numpy as np

MASK = (1 << 64) - 1


def splitmix(rows, cols, seed):
    z = (np.uint64(seed) << np.uint64(32)) + np.arange(rows * cols, dtype=np.uint64)
    with np.errstate(over="ignore"):
        z = z + np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    u = (z >> np.uint64(11)).astype(np.float64) * 2.0 ** -53 - 0.5
    return u.astype(np.float32).astype(np.float64).reshape(rows, cols)


SHAPES = [(1, 1, 1), (7, 1, 2), (1, 9, 3), (300, 150, 4), (150, 300, 5), (512, 256, 6), (784, 256, 7),
          (768, 768, 8), (768, 2304, 9), (3072, 768, 10), (1024, 128, 11), (128, 1024, 12)]

if __name__ == "__main__":
    print("numpy", np.__version__)
    for rows, cols, seed in SHAPES:
        a = splitmix(rows, cols, seed)
        s = np.linalg.svd(a, compute_uv=False)
        p = s / s.sum()
        h = float(-(p[p > 0] * np.log(p[p > 0])).sum())
        k = len(s)
        print(f"new NumPyCase({rows}, {cols}, {seed}, {float(s[0])!r}, {float(s[k // 2])!r}, {float(s[-1])!r}, "
              f"{float(s.sum())!r}, {abs(h)!r}),")
