"""The speed issue's case on a loaded machine, for several checkouts of skprob.

    NBUSY=2 python benchmarks/compare_checkouts_loaded.py . /path/to/old/checkout

Runs ``NBUSY`` busy-loop processes (default 2: a load of about 2, as during a
``GridSearchCV(n_jobs=2)``), then for each checkout, in a fresh process that imports
skprob from it: a warm-up fit, and the median of 3 fits of
``HeteroscedasticRegressor(max_epochs=5, early_stopping=False)`` on 20,000 x 20 float32
rows, at that checkout's defaults otherwise. Make an old checkout with
``git worktree add /tmp/old <commit>``.
"""

import os
import subprocess
import sys

from _timing import busy_processes

FIT = r"""
import sys, time, warnings
import numpy as np
sys.path.insert(0, sys.argv[1])
warnings.simplefilter("ignore")
from skprob import HeteroscedasticRegressor

rng = np.random.RandomState(0)
X = rng.normal(size=(20000, 20)).astype(np.float32)
y = (X[:, 0] + rng.normal(size=20000)).astype(np.float32)
HeteroscedasticRegressor(max_epochs=1, early_stopping=False).fit(X[:2000], y[:2000])
seconds = []
for _ in range(3):
    start = time.perf_counter()
    HeteroscedasticRegressor(max_epochs=5, early_stopping=False, random_state=0).fit(X, y)
    seconds.append(time.perf_counter() - start)
print(f"{sys.argv[1]}: median fit {sorted(seconds)[1]:.2f} s")
"""


def main():
    with busy_processes(int(os.environ.get("NBUSY", "2"))):
        for checkout in sys.argv[1:]:
            subprocess.run(
                [sys.executable, "-c", FIT, os.path.abspath(checkout)], check=True
            )


if __name__ == "__main__":
    main()
