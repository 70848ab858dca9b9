"""Small data: does holding out validation rows help when there are only tens of rows?

    python benchmarks/bench_small_data.py

Measures the rule behind ``early_stopping="auto"`` (a validation split for regressors
from 64 rows on, for classifiers from 200):
5-fold cross-validated NLL of y (regressors, diabetes) and log loss (classifiers,
breast_cancer and wine) on the first n rows of a fixed shuffle, with
``early_stopping=True`` against ``early_stopping=False``, everything else at the defaults
(one network, ``random_state=0``). The table shows mean +- standard error over the folds.
"""

import warnings

import numpy as np
from sklearn.base import is_regressor
from sklearn.datasets import load_breast_cancer, load_diabetes, load_wine
from sklearn.model_selection import KFold, StratifiedKFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skprob import (
    BernoulliClassifier,
    CategoricalClassifier,
    GaussianRegressor,
    HeteroscedasticRegressor,
)
from skprob.metrics import nll_scorer

CASES = [
    (load_diabetes, HeteroscedasticRegressor, (50, 100, 240)),
    (load_diabetes, GaussianRegressor, (50, 100)),
    (load_breast_cancer, BernoulliClassifier, (80, 150)),
    (load_wine, CategoricalClassifier, (178,)),
]


def cross_validated_loss(Estimator, X, y, early_stopping):
    regression = is_regressor(Estimator())
    cv = (KFold if regression else StratifiedKFold)(5, shuffle=True, random_state=0)
    model = make_pipeline(
        StandardScaler(), Estimator(early_stopping=early_stopping, random_state=0)
    )
    scores = -cross_val_score(
        model, X, y, cv=cv, scoring=nll_scorer if regression else "neg_log_loss"
    )
    return scores.mean(), scores.std() / np.sqrt(len(scores))


def main():
    warnings.simplefilter("ignore")
    print(
        f"{'estimator':26s} {'data':14s} {'rows':>5s} {'with split':>16s} {'without':>16s}"
    )
    for load, Estimator, sizes in CASES:
        X, y = load(return_X_y=True)
        order = np.random.RandomState(1).permutation(len(y))
        for n in sizes:
            Xn, yn = X[order[:n]], y[order[:n]]
            cells = [
                "{:.3f} +- {:.3f}".format(*cross_validated_loss(Estimator, Xn, yn, stop))
                for stop in (True, False)
            ]
            name = load.__name__.removeprefix("load_")
            print(
                f"{Estimator.__name__:26s} {name:14s} {n:5d} {cells[0]:>16} {cells[1]:>16}"
            )


if __name__ == "__main__":
    main()
