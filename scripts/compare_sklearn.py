#!/usr/bin/env python3
"""The scikit-learn side of `npm run compare`.

Writes five stratified 80/20 splits (seeds 1-5) of each data set as CSV files (header, label in
the last column) into OUT_DIR, trains scikit-learn's MLPClassifier with its defaults on
standardised inputs for each, and prints one JSON object per split on standard output.
Usage: compare_sklearn.py DATA_DIR OUT_DIR
"""
import csv
import gzip
import json
import os
import sys
import time
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler

DATASETS = {"digits": "digits.csv.gz", "breast-cancer": "breast_cancer.csv", "iris": "iris.csv"}
SEEDS = [1, 2, 3, 4, 5]


def read_sklearn_csv(path):
    """scikit-learn's bundled CSV files: a first line 'rows,features,class names...' (none in
    digits.csv.gz), then rows of features with the class index last."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt") as f:
        rows = [r for r in csv.reader(f) if r]
    head = rows[0]
    if len(head) != len(rows[1]) or not all(v.replace(".", "", 1).isdigit() for v in head):
        rows = rows[1:]
    data = np.array([[float(v) for v in r] for r in rows])
    return data[:, :-1], data[:, -1].astype(int)


def write_split(path, x, y):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow([f"x{i}" for i in range(x.shape[1])] + ["label"])
        for row, label in zip(x, y):
            w.writerow([repr(float(v)) for v in row] + [int(label)])


def main():
    data_dir, out_dir = sys.argv[1], sys.argv[2]
    warnings.filterwarnings("ignore", category=ConvergenceWarning)
    for name, file in DATASETS.items():
        x, y = read_sklearn_csv(os.path.join(data_dir, file))
        for seed in SEEDS:
            xtr, xte, ytr, yte = train_test_split(x, y, test_size=0.2, stratify=y, random_state=seed)
            train_path = os.path.join(out_dir, f"{name}-{seed}-train.csv")
            test_path = os.path.join(out_dir, f"{name}-{seed}-test.csv")
            write_split(train_path, xtr, ytr)
            write_split(test_path, xte, yte)
            scaler = StandardScaler().fit(xtr)
            t0 = time.perf_counter()
            clf = MLPClassifier(random_state=seed).fit(scaler.transform(xtr), ytr)
            seconds = time.perf_counter() - t0
            acc = float((clf.predict(scaler.transform(xte)) == yte).mean())
            print(json.dumps({"data": name, "seed": seed, "train": train_path, "test": test_path,
                              "accuracy": acc, "seconds": seconds, "epochs": clf.n_iter_}), flush=True)


if __name__ == "__main__":
    main()
