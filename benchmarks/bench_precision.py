"""The float32/float64 question: what each precision costs, and what float32 breaks.

    python benchmarks/bench_precision.py [--rows 256 512 2048] [--repeats 3]

1. Time: one epoch of the default ``HeteroscedasticRegressor`` (one network and the
   default 5-member ensemble, ``batch_size="auto"``) on float64 data of each size,
   trained with ``compute_dtype="float64"`` and ``"float32"``; medians of interleaved
   runs, and the ratio float32 / float64. ``compute_dtype="auto"`` switches to float32
   from ``skprob._training.run.AUTO_FLOAT32_MIN_ROWS`` rows.
2. sklearn's sample-weight equivalence check (predictions of integer weights against
   repeated rows, compared at rtol 1e-7) at the default and with float32 forced.
"""

import argparse
import warnings

import numpy as np
from _timing import interleaved_medians
from sklearn.utils.estimator_checks import check_sample_weight_equivalence_on_dense_data

from skprob import CategoricalClassifier, GaussianRegressor, HeteroscedasticRegressor
from skprob._training.run import AUTO_FLOAT32_MIN_ROWS

EPOCHS = 8


def epoch_seconds(n_rows, repeats):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((n_rows, 8))
    y = X[:, 0] + np.sin(X[:, 1]) + 0.3 * rng.standard_normal(n_rows)

    def fit(n_estimators, compute_dtype):
        def run():
            HeteroscedasticRegressor(
                n_estimators=n_estimators,
                max_epochs=EPOCHS,
                early_stopping=False,
                n_iter_no_change=EPOCHS,
                compute_dtype=compute_dtype,
                random_state=0,
            ).fit(X, y)

        return run

    keys = [(members, dtype) for members in (1, 5) for dtype in ("float64", "float32")]
    medians = interleaved_medians({str(key): fit(*key) for key in keys}, repeats)
    return {key: medians[str(key)] / EPOCHS for key in keys}


def sample_weight_check(label, **params):
    for Estimator in (GaussianRegressor, CategoricalClassifier):
        try:
            check_sample_weight_equivalence_on_dense_data(
                Estimator.__name__, Estimator(**params)
            )
            print(f"{label:<34}{Estimator.__name__:<24}passes")
        except AssertionError as error:
            gaps = [
                line.split(":")[1].strip()
                for line in str(error).splitlines()
                if line.startswith("Max relative")
            ]
            print(f"{label:<34}{Estimator.__name__:<24}fails, max relative gap {gaps[0]}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--rows",
        type=int,
        nargs="*",
        default=[128, 256, 512, 1024, 2048, 4096, 8192, 16384],
    )
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    warnings.simplefilter("ignore")

    print(
        f"One epoch of HeteroscedasticRegressor on float64 data, ms (median of "
        f"{args.repeats} interleaved runs of {EPOCHS} epochs); "
        f"'auto' is float32 from {AUTO_FLOAT32_MIN_ROWS} rows"
    )
    print(f"{'rows':>6}{'members':>9}{'float64':>10}{'float32':>10}{'f32 / f64':>11}")
    for n_rows in args.rows:
        seconds = epoch_seconds(n_rows, args.repeats)
        for members in (1, 5):
            f64, f32 = seconds[members, "float64"], seconds[members, "float32"]
            print(
                f"{n_rows:>6}{members:>9}{f64 * 1e3:>10.1f}{f32 * 1e3:>10.1f}"
                f"{f32 / f64:>11.2f}",
                flush=True,
            )

    print("\nsklearn's sample-weight equivalence check (rtol 1e-7)")
    sample_weight_check('compute_dtype="auto"')
    sample_weight_check('compute_dtype="float32"', compute_dtype="float32")


if __name__ == "__main__":
    main()
