"""Memory: peak resident memory of a fit on 1,000,000 x 20 float32 rows.

    python benchmarks/bench_memory.py [--rows 1000000] [--features 20]

Each contender runs in a fresh process that builds the data, warms up, resets the
kernel's peak-RSS counter (``/proc/self/clear_refs``, Linux) and fits for one epoch. The
figure of merit is

    (data + model + what the fit adds at its peak) / (data + model)

where "what the fit adds" is the peak RSS during fit minus the RSS just before it (the
data already resident). Below 2 means the fit never holds more than one extra copy's
worth of memory.
"""

import argparse
import json
import subprocess
import sys

CHILD = r"""
import json, sys, warnings
import numpy as np
warnings.simplefilter("ignore")
name, n_rows, n_features = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])

def rss_kib(field):
    for line in open("/proc/self/status"):
        if line.startswith(field):
            return int(line.split()[1])

rng = np.random.default_rng(0)
X = np.empty((n_rows, n_features), dtype=np.float32)
for start in range(0, n_rows, 100_000):  # in chunks: no float64 temporary of it all
    chunk = min(100_000, n_rows - start)
    X[start:start + chunk] = rng.standard_normal((chunk, n_features))
y = (X[:, 0] + 0.5 * X[:, 1] * X[:, 2]).astype(np.float32)

if name == "skprob GaussianRegressor":
    from skprob import GaussianRegressor
    make = lambda: GaussianRegressor(max_epochs=1, random_state=0)
    n_parameters = lambda m: sum(p.numel() for p in m.net_.module_.parameters())
elif name == "sklearn MLPRegressor":
    from sklearn.neural_network import MLPRegressor
    make = lambda: MLPRegressor(max_iter=1, random_state=0)
    n_parameters = lambda m: sum(a.size for a in m.coefs_ + m.intercepts_)
make().fit(X[:2000], y[:2000])  # warm-up: imports, thread pools, allocator

before = rss_kib("VmRSS:")
open("/proc/self/clear_refs", "w").write("5")  # reset the peak (VmHWM) to now
model = make().fit(X, y)
peak = rss_kib("VmHWM:")
print(json.dumps({
    "data_mib": (X.nbytes + y.nbytes) / 2**20,
    # parameters, gradients and two Adam moments, in float32
    "model_mib": 4 * n_parameters(model) * 4 / 2**20,
    "rss_before_mib": before / 1024,
    "peak_mib": peak / 1024,
}))
"""

CONTENDERS = ["skprob GaussianRegressor", "sklearn MLPRegressor"]


def measure(name, rows, features):
    result = subprocess.run(
        [sys.executable, "-c", CHILD, name, str(rows), str(features)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--features", type=int, default=20)
    args = parser.parse_args()
    print(
        f"fit on {args.rows} x {args.features} float32 rows, one epoch, fresh process each"
    )
    header = (
        f"{'contender':<26}{'data MiB':>9}{'model MiB':>10}{'RSS before':>11}"
        f"{'peak':>8}{'fit adds':>9}{'ratio':>7}"
    )
    print(header)
    for name in CONTENDERS:
        m = measure(name, args.rows, args.features)
        adds = m["peak_mib"] - m["rss_before_mib"]
        base = m["data_mib"] + m["model_mib"]
        print(
            f"{name:<26}{m['data_mib']:>9.1f}{m['model_mib']:>10.2f}"
            f"{m['rss_before_mib']:>11.1f}{m['peak_mib']:>8.1f}{adds:>9.1f}"
            f"{(base + adds) / base:>6.2f}x"
        )


if __name__ == "__main__":
    main()
