"""The float32/float64 question: would training float64 input in float32 pass sklearn?

    python benchmarks/float32_checks.py

skprob trains in the dtype of X: float32 stays float32, everything else is float64
(sklearn's MLP does the same). This runs sklearn's sample-weight equivalence check, which
compares predictions at rtol 1e-7, once as shipped and once with float32 training forced
for float64 input. What float64 costs in time is in bench_speed.py.
"""

import warnings

import torch
from sklearn.utils.estimator_checks import check_sample_weight_equivalence_on_dense_data

import skprob._base as base
from skprob import CategoricalClassifier, GaussianRegressor


def run_checks(label):
    for Estimator in (GaussianRegressor, CategoricalClassifier):
        try:
            check_sample_weight_equivalence_on_dense_data(Estimator.__name__, Estimator())
            print(f"{label:<32}{Estimator.__name__:<24}passes")
        except AssertionError as error:
            gaps = [
                line.split(":")[1].strip()
                for line in str(error).splitlines()
                if line.startswith("Max relative")
            ]
            print(f"{label:<32}{Estimator.__name__:<24}fails, max relative gap {gaps[0]}")


def main():
    warnings.simplefilter("ignore")
    shipped = dict(base._TORCH_DTYPES)
    run_checks("float64 input -> float64")
    base._TORCH_DTYPES.update({key: torch.float32 for key in shipped})
    try:
        run_checks("float64 input -> float32 forced")
    finally:
        base._TORCH_DTYPES.update(shipped)


if __name__ == "__main__":
    main()
