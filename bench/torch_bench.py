"""PyTorch peer of `npm run bench`: trains the same configurations on Fashion-MNIST and prints
one JSON object {config: {"seconds": [...], "samples": n}} on stdout.

usage: python3 torch_bench.py CONFIGS_JSON RUNS SAMPLES THREADS DATA_DIR
"""
import json
import sys
import time

import numpy as np
import torch
from torch import nn

from idx_gz import read_idx
from warm_up import warm_up


def model(cfg):
    layers = []
    sizes = cfg["sizes"]
    act = {"relu": nn.ReLU, "sigmoid": nn.Sigmoid}
    for l in range(1, len(sizes)):
        layers.append(nn.Linear(sizes[l - 1], sizes[l]))
        if l < len(sizes) - 1:
            layers.append(act[cfg["hidden"]]())
    if cfg["output"] == "sigmoid":
        layers.append(nn.Sigmoid())
    return nn.Sequential(*layers)


def train_once(cfg, x, y, samples):
    torch.manual_seed(1)
    net = model(cfg)
    if cfg["optimizer"] == "adam":
        opt = torch.optim.Adam(net.parameters(), lr=cfg["lr"])
    else:
        opt = torch.optim.SGD(net.parameters(), lr=cfg["lr"])
    onehot = torch.nn.functional.one_hot(y, 10).float()
    bs = cfg["batchSize"]
    perm = torch.randperm(x.shape[0])[:samples]
    t0 = time.perf_counter()
    for i in range(0, samples, bs):
        idx = perm[i : i + bs]
        xb = x[idx]
        out = net(xb)
        if cfg["cost"] == "cross-entropy":
            loss = nn.functional.cross_entropy(out, y[idx])
        else:
            loss = 0.5 * ((out - onehot[idx]) ** 2).sum(dim=1).mean()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
    return time.perf_counter() - t0


def main():
    cfgs = json.loads(sys.argv[1])
    runs, samples, threads, data_dir = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
    torch.set_num_threads(threads)
    images = read_idx(f"{data_dir}/train-images-idx3-ubyte.gz")
    labels = read_idx(f"{data_dir}/train-labels-idx1-ubyte.gz")
    x = torch.from_numpy(images.reshape(images.shape[0], -1).astype(np.float32) / 255.0)
    y = torch.from_numpy(labels.astype(np.int64))
    n = min(samples, x.shape[0])
    out = {}
    for cfg in cfgs:
        warm_up(train_once, cfg, x, y)
        secs = [train_once(cfg, x, y, n) * (x.shape[0] / n) for _ in range(runs)]
        out[cfg["id"]] = {"seconds": secs, "samples": n, "version": torch.__version__, "threads": threads}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
