"""Where a second intra-op thread pays: one thread against two, idle and under load.

    python benchmarks/bench_threads.py                # batches of 512, 2048 and 8192 rows
    python benchmarks/bench_threads.py --processes 5  # more fresh processes under load

The default model (five members, two layers of 50 units) trains 100 steps on 20
features at each batch size, with ``n_threads=1`` and ``n_threads=2``: on an idle machine
(median of 3 fits in one process), then with ``--busy`` busy-loop processes running
(each count in several fresh processes, median of 3 fits in each: under load the time
depends on where the scheduler puts each process's threads, so one process is not
enough). A thread waiting at the end of every operator for a core that another process
holds turns each operator into a scheduler wait; that cost is per operator, so it falls
on small batches most. The thread rule of ``skprob/_training/threads.py`` is chosen from
this table.
"""

import argparse
import os
import statistics
import subprocess
import sys

from _timing import busy_processes

FIT = r"""
import sys, time, warnings
import numpy as np
warnings.simplefilter("ignore")
from skprob import HeteroscedasticRegressor

batch, n_threads = int(sys.argv[1]), int(sys.argv[2])
rng = np.random.RandomState(0)
n_rows = 20 * batch  # 20 steps an epoch, 5 epochs
X = rng.normal(size=(n_rows, 20)).astype(np.float32)
y = (X[:, 0] + rng.normal(size=n_rows)).astype(np.float32)
params = dict(batch_size=batch, early_stopping=False, n_threads=n_threads, random_state=0)
HeteroscedasticRegressor(max_epochs=1, **params).fit(X[: 2 * batch], y[: 2 * batch])
seconds = []
for _ in range(3):
    start = time.perf_counter()
    model = HeteroscedasticRegressor(max_epochs=5, **params).fit(X, y)
    seconds.append(time.perf_counter() - start)
print(batch * model.net_.module_.multiply_adds_per_row(), sorted(seconds)[1])
"""


def fit_seconds(batch, n_threads):
    out = subprocess.run(
        [sys.executable, "-c", FIT, str(batch), str(n_threads)],
        check=True,
        capture_output=True,
        text=True,
    )
    macs, seconds = out.stdout.split()[-2:]
    return int(macs), float(seconds)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", type=int, nargs="+", default=[512, 2048, 8192])
    parser.add_argument("--busy", type=int, default=2)
    parser.add_argument("--processes", type=int, default=3)
    args = parser.parse_args()
    idle = {(b, t): fit_seconds(b, t) for b in args.batches for t in (1, 2)}
    macs = {b: idle[(b, 1)][0] for b in args.batches}
    idle = {key: seconds for key, (_, seconds) in idle.items()}
    with busy_processes(args.busy):
        loaded = {
            (b, t): [fit_seconds(b, t)[1] for _ in range(args.processes)]
            for b in args.batches
            for t in (1, 2)
        }
    print(
        f"100 steps, 5 members x (50, 50) units, 20 features; {os.cpu_count()} cores; "
        f"loaded: {args.busy} busy processes, {args.processes} fresh processes per count"
    )
    print(
        f"{'batch':>6} {'MACs/batch':>11} {'idle 1 thr':>10} {'idle 2 thr':>10} "
        f"{'2/1 idle':>8}   {'loaded 1 thr (min med max)':>28} "
        f"{'loaded 2 thr (min med max)':>28} {'2/1 loaded (med)':>16}"
    )
    for b in args.batches:
        one, two = loaded[(b, 1)], loaded[(b, 2)]

        def spread(values):
            return f"{min(values):8.2f} {statistics.median(values):8.2f} {max(values):8.2f}"

        print(
            f"{b:>6} {macs[b] / 1e6:>10.1f}M {idle[(b, 1)]:>10.3f} "
            f"{idle[(b, 2)]:>10.3f} {idle[(b, 2)] / idle[(b, 1)]:>8.2f}   "
            f"{spread(one):>28} {spread(two):>28} "
            f"{statistics.median(two) / statistics.median(one):>16.2f}"
        )


if __name__ == "__main__":
    main()
