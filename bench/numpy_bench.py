"""NumPy peer of `npm run bench`: the same configurations trained by hand-written float32
backpropagation on NumPy (its BLAS does the three products), printing one JSON object
{config: {"seconds": [...], "samples": n}} on stdout.

usage: python3 numpy_bench.py CONFIGS_JSON RUNS SAMPLES THREADS DATA_DIR
(THREADS is unused: the BLAS reads OPENBLAS_NUM_THREADS, set by bench/run.ts)
"""
import json
import sys
import time

import numpy as np

from idx_gz import read_idx
from warm_up import warm_up


def train_once(cfg, x, onehot, samples, seed=1):
    rng = np.random.default_rng(seed)
    sizes = cfg["sizes"]
    L = len(sizes) - 1
    W = [(rng.standard_normal((sizes[l], sizes[l - 1])) / np.sqrt(sizes[l - 1])).astype(np.float32) for l in range(1, L + 1)]
    b = [np.zeros(sizes[l], np.float32) for l in range(1, L + 1)]
    params = W + b
    m1 = [np.zeros_like(p) for p in params]
    m2 = [np.zeros_like(p) for p in params]
    lr, b1, b2, eps = cfg["lr"], 0.9, 0.999, 1e-8
    relu = cfg["hidden"] == "relu"
    bs = cfg["batchSize"]
    perm = rng.permutation(x.shape[0])[:samples]
    step = 0
    t0 = time.perf_counter()
    for i in range(0, samples, bs):
        idx = perm[i : i + bs]
        a, t = x[idx], onehot[idx]
        m = a.shape[0]
        As, Zs = [a], []
        for l in range(L):
            z = As[-1] @ W[l].T + b[l]
            Zs.append(z)
            if l < L - 1:
                a = np.maximum(z, 0) if relu else 1 / (1 + np.exp(-z))
            elif cfg["output"] == "softmax":
                e = np.exp(z - z.max(axis=1, keepdims=True))
                a = e / e.sum(axis=1, keepdims=True)
            else:
                a = 1 / (1 + np.exp(-z))
            As.append(a)
        d = (a - t) / m if cfg["output"] == "softmax" else (a - t) * a * (1 - a) / m
        grads_w, grads_b = [None] * L, [None] * L
        for l in range(L - 1, -1, -1):
            grads_w[l] = d.T @ As[l]
            grads_b[l] = d.sum(axis=0)
            if l > 0:
                d = d @ W[l]
                d *= (Zs[l - 1] > 0) if relu else As[l] * (1 - As[l])
        grads = grads_w + grads_b
        step += 1
        for j, (p, g) in enumerate(zip(params, grads)):
            if cfg["optimizer"] == "adam":
                m1[j] *= b1
                m1[j] += (1 - b1) * g
                m2[j] *= b2
                m2[j] += (1 - b2) * g * g
                p -= (lr / (1 - b1**step)) * m1[j] / (np.sqrt(m2[j] / (1 - b2**step)) + eps)
            else:
                p -= lr * g
    return time.perf_counter() - t0


def main():
    cfgs = json.loads(sys.argv[1])
    runs, samples, data_dir = int(sys.argv[2]), int(sys.argv[3]), sys.argv[5]
    images = read_idx(f"{data_dir}/train-images-idx3-ubyte.gz")
    labels = read_idx(f"{data_dir}/train-labels-idx1-ubyte.gz")
    x = images.reshape(images.shape[0], -1).astype(np.float32) / np.float32(255)
    onehot = np.eye(10, dtype=np.float32)[labels]
    n = min(samples, x.shape[0])
    out = {}
    for cfg in cfgs:
        warm_up(train_once, cfg, x, onehot)
        secs = [train_once(cfg, x, onehot, n) * (x.shape[0] / n) for _ in range(runs)]
        out[cfg["id"]] = {"seconds": secs, "samples": n, "version": np.__version__}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
