"""What the neighbour correction costs a prediction: the same fitted model with and
without its correction, interleaved.

    python benchmarks/bench_neighbor_prediction.py [--repeats 2]

``HeteroscedasticRegressor(max_epochs=5)`` on Gaussian features (4 and 20 of them,
10,000 and 50,000 training rows), then ``predict_dist`` on 100,000 new rows. Each
prediction searches the stored training rows' nearest neighbours.
"""

import argparse
import copy
import time
import warnings

import numpy as np

from skprob import HeteroscedasticRegressor


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    warnings.simplefilter("ignore")  # five epochs do not converge
    rng = np.random.RandomState(0)
    print(f"{'rows':>7}{'features':>9}{'correction':>12}{'predict s (each run)':>26}")
    for n_rows, n_features in [(10_000, 4), (50_000, 20)]:
        X = rng.normal(size=(n_rows, n_features))
        y = np.sin(2 * X[:, 0]) + X[:, 1] ** 2 + rng.normal(scale=0.3, size=n_rows)
        model = HeteroscedasticRegressor(max_epochs=5, random_state=0).fit(X, y)
        networks_alone = copy.copy(model)
        networks_alone._neighbor_correction = None
        X_new = rng.normal(size=(100_000, n_features))
        seconds = {"with": [], "without": []}
        for _ in range(args.repeats):
            for name, fitted in [("without", networks_alone), ("with", model)]:
                start = time.perf_counter()
                fitted.predict_dist(X_new)
                seconds[name].append(time.perf_counter() - start)
        for name, values in seconds.items():
            runs = " ".join(f"{value:.2f}" for value in values)
            print(f"{n_rows:>7}{n_features:>9}{name:>12}{runs:>26}")
        print(f"chosen: {model.neighbor_correction_}")


if __name__ == "__main__":
    main()
