"""A fit inside ``threadpoolctl.threadpool_limits(1)`` against the same fit without it.

    python benchmarks/bench_threadpool_limits.py [--busy 2] [--processes 3]

``threadpool_limits`` (scikit-learn's advice for capping threads, and what a test suite
or a notebook uses to keep one core per job) lowers OpenMP's thread count, which torch
reports as its own, and leaves the MKL inside torch at every core. A fit that trusted
the reported count ran its matrix products on two threads beside busy processes. The
default model (five members, two layers of 50 units) trains 30 epochs on 1,000 rows of
5 float32 features, with ``--busy`` busy-loop processes running, in ``--processes``
fresh processes per case (median of 3 fits in each, after a warm-up fit); the ratio
should be close to 1.
"""

import argparse
import statistics
import subprocess
import sys

from _timing import busy_processes

FIT = r"""
import sys, time, warnings
from contextlib import nullcontext
import numpy as np
from threadpoolctl import threadpool_limits
warnings.simplefilter("ignore")
from skprob import HeteroscedasticRegressor

rng = np.random.RandomState(0)
X = rng.normal(size=(1000, 5)).astype(np.float32)
y = (X[:, 0] + rng.normal(size=1000)).astype(np.float32)
params = dict(max_epochs=30, early_stopping=False, random_state=0)
HeteroscedasticRegressor(**params).fit(X, y)
seconds = []
with threadpool_limits(1) if sys.argv[1] == "limited" else nullcontext():
    for _ in range(3):
        start = time.perf_counter()
        HeteroscedasticRegressor(**params).fit(X, y)
        seconds.append(time.perf_counter() - start)
print(sorted(seconds)[1])
"""


def fit_seconds(case):
    out = subprocess.run(
        [sys.executable, "-c", FIT, case], check=True, capture_output=True, text=True
    )
    return float(out.stdout.split()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--busy", type=int, default=2)
    parser.add_argument("--processes", type=int, default=3)
    args = parser.parse_args()
    # Interleaved, so that a change in the machine's load falls on both cases.
    seconds = {"plain": [], "limited": []}
    with busy_processes(args.busy):
        for _ in range(args.processes):
            for case in seconds:
                seconds[case].append(fit_seconds(case))
    print(
        f"{args.busy} busy processes; {args.processes} fresh processes per case, "
        "median of 3 fits in each"
    )
    print(f"{'case':<28}{'min':>8}{'median':>8}{'max':>8}")
    labels = {"plain": "no limit", "limited": "threadpool_limits(1)"}
    for case, values in seconds.items():
        print(
            f"{labels[case]:<28}{min(values):>8.2f}{statistics.median(values):>8.2f}"
            f"{max(values):>8.2f}"
        )
    ratio = statistics.median(seconds["limited"]) / statistics.median(seconds["plain"])
    print(f"threadpool_limits(1) / no limit (medians): {ratio:.2f}")


if __name__ == "__main__":
    main()
