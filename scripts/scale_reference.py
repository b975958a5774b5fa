#!/usr/bin/env python3
"""NumPy reference for `grok bench --suite scale`: every matrix's singular values of a safetensors file.

    OMP_NUM_THREADS=1 python3 scripts/scale_reference.py FILE

Memory-maps the file (F32 tensors only), computes np.linalg.svd(compute_uv=False) (LAPACK gesdd) in
float64 for every tensor of rank >= 2 (read as [shape[0], rest]) and the spectral entropy
H = -sum p ln p, p = sigma / sum(sigma), and prints as its last line

    RESULT <wall seconds after import> <CPU seconds after import> <peak RSS MiB> numpy-<version>

or `SKIP <reason>` when NumPy is missing (the benchmark then notes it). Peak RSS is ru_maxrss of this
process (KiB on Linux).
"""
import json
import resource
import struct
import sys
import time

try:
    import numpy as np
except ImportError:
    print("SKIP NumPy is not installed")
    sys.exit(0)


def main(path):
    start = time.perf_counter()
    cpu = time.process_time()
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
    header.pop("__metadata__", None)
    data = np.memmap(path, dtype=np.uint8, mode="r", offset=8 + n)
    total_h, matrices = 0.0, 0
    for name, info in header.items():
        if info["dtype"] != "F32" or len(info["shape"]) < 2:
            continue
        begin, end = info["data_offsets"]
        a = np.frombuffer(data[begin:end], dtype="<f4").reshape(info["shape"][0], -1).astype(np.float64)
        s = np.linalg.svd(a, compute_uv=False)
        if s[0] > 0:
            s = s[s > max(a.shape) * np.spacing(s[0])]
            p = s / s.sum()
            total_h += float(-(p * np.log(p)).sum())
        matrices += 1
    wall = time.perf_counter() - start
    cpu = time.process_time() - cpu
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    print(f"{matrices} matrices, sum of H {total_h:.4f}", flush=True)
    print(f"RESULT {wall:.3f} {cpu:.3f} {rss:.1f} NumPy-{np.__version__}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
