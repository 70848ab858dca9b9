"""Model file size: what a fitted model pickles to, and whether training rows are inside.

    python benchmarks/bench_model_file.py [--rows 50000] [--features 20]

Fits each estimator at its defaults (two epochs: the size does not depend on training
length) on random float64 rows and prints the bytes of ``pickle.dumps(model)`` and of
``skops.io.dumps(model)``, the bytes of the weights alone, and whether any training row's
bytes occur in the pickle.
"""

import argparse
import pickle
import warnings

import numpy as np
import skops.io as sio

from skprob import (
    BernoulliClassifier,
    CategoricalClassifier,
    GaussianRegressor,
    HeteroscedasticRegressor,
)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--features", type=int, default=20)
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    rng = np.random.RandomState(0)
    X = rng.normal(size=(args.rows, args.features))
    y_real = X[:, 0] + rng.normal(size=args.rows)
    y_class = (X[:, 0] > 0).astype(int) + (X[:, 1] > 1)
    print(f"{args.rows:,} x {args.features} float64 rows")
    print(f"{'estimator':26s} {'pickle':>11s} {'skops':>11s} {'weights':>11s}  row inside")
    for Estimator, y in [
        (GaussianRegressor, y_real),
        (HeteroscedasticRegressor, y_real),
        (BernoulliClassifier, (y_class > 0).astype(int)),
        (CategoricalClassifier, y_class),
    ]:
        model = Estimator(max_epochs=2, random_state=0).fit(X, y)
        pickled = pickle.dumps(model)
        weights = sum(p.numel() * p.element_size() for p in model.net_.module_.parameters())
        inside = any(
            X[i].tobytes() in pickled for i in range(0, args.rows, args.rows // 50)
        )
        print(
            f"{Estimator.__name__:26s} {len(pickled):11,d} {len(sio.dumps(model)):11,d} "
            f"{weights:11,d}  {inside}"
        )


if __name__ == "__main__":
    main()
