"""Quality: held-out predictive distributions against the alternatives a user would pick.

    python benchmarks/bench_quality.py [--repeats 5]

Every model runs with default settings behind a StandardScaler (NGBClassifier, a tree
ensemble that cannot sit in a Pipeline, runs bare; so do gradient boosting, CatBoost and
RealMLP, which scale or need no scaling themselves; the last two where installed,
``_peers.py``), on repeated random 75/25 splits; the table shows mean (std) over the
splits.
Regression (diabetes; a synthetic heteroscedastic problem): NLL per row, CRPS, RMSE and the
coverage of 90% intervals. Classification (breast_cancer, wine, digits): log loss,
accuracy and expected calibration error (top-label, 10 bins).
"""

import argparse
import json
import warnings

import numpy as np
from _baselines import ConstantSigma
from _peers import (
    CatBoostUncertainty,
    RealMLPConstantSigma,
    available,
    catboost_classifier,
    realmlp_classifier,
)
from ngboost import NGBClassifier, NGBRegressor
from ngboost.distns import Bernoulli, k_categorical
from scipy import stats
from sklearn.datasets import load_breast_cancer, load_diabetes, load_digits, load_wine
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import RBF, ConstantKernel, WhiteKernel
from sklearn.linear_model import BayesianRidge, LogisticRegression
from sklearn.metrics import accuracy_score, log_loss, root_mean_squared_error
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skprob import (
    BernoulliClassifier,
    CategoricalClassifier,
    GaussianRegressor,
    HeteroscedasticRegressor,
    predict_dist,
)
from skprob.metrics import (
    crps,
    expected_calibration_error,
    interval_coverage,
    negative_log_likelihood,
)

#: Fits that raised, by model: reported under the tables instead of ending the run.
FAILURES = {}

#: Extra parameters of every skprob estimator (``--skprob-params``).
SKPROB_PARAMS = {}


def heteroscedastic_data(n_rows=1000, seed=0):
    """y = sin(3 x0) + x1 + noise whose std grows from 0.05 to 1 along x0."""
    rng = np.random.RandomState(seed)
    X = rng.uniform(-1, 1, size=(n_rows, 5))
    noise_std = 0.05 + 0.95 * (X[:, 0] + 1) / 2
    return X, np.sin(3 * X[:, 0]) + X[:, 1] + noise_std * rng.normal(size=n_rows)


def distribution_of(model, X):
    """The predictive distribution of any of the regressors here."""
    if isinstance(model, ConstantSigma | CatBoostUncertainty | RealMLPConstantSigma):
        return model.predict_dist(X)
    final = model[-1]
    if hasattr(final, "pred_dist"):  # NGBoost
        params = final.pred_dist(model[:-1].transform(X)).params
        return stats.norm(params["loc"], params["scale"])
    if hasattr(final, "predict_dist"):  # skprob: a Normal, or an ensemble's mixture
        return predict_dist(model, X)
    mean, std = model.predict(X, return_std=True)
    return stats.norm(mean, std)


def regressors(seed):
    scaled = lambda estimator: make_pipeline(StandardScaler(), estimator)  # noqa: E731
    gp_kernel = ConstantKernel() * RBF(np.ones(1)) + WhiteKernel()
    return {
        "skprob GaussianRegressor": scaled(
            GaussianRegressor(random_state=seed, **SKPROB_PARAMS)
        ),
        "skprob HeteroscedasticRegressor": scaled(
            HeteroscedasticRegressor(random_state=seed, **SKPROB_PARAMS)
        ),
        "NGBRegressor": scaled(NGBRegressor(random_state=seed, verbose=False)),
        "MLPRegressor + const sigma": ConstantSigma(
            scaled(MLPRegressor(random_state=seed))
        ),
        "BayesianRidge": scaled(BayesianRidge()),
        "GaussianProcessRegressor": scaled(
            GaussianProcessRegressor(gp_kernel, normalize_y=True, random_state=seed)
        ),
    } | peers(
        {
            "CatBoost": ("catboost", CatBoostUncertainty),
            "RealMLP + const sigma": ("pytabkit", RealMLPConstantSigma),
        },
        seed,
    )


def classifiers(seed, n_classes):
    scaled = lambda estimator: make_pipeline(StandardScaler(), estimator)  # noqa: E731
    skprob_classifier = BernoulliClassifier if n_classes == 2 else CategoricalClassifier
    distribution = Bernoulli if n_classes == 2 else k_categorical(n_classes)
    return {
        f"skprob {skprob_classifier.__name__}": scaled(
            skprob_classifier(random_state=seed, **SKPROB_PARAMS)
        ),
        # NGBoost's classifier sets no attribute that Pipeline's fitted check knows, so it
        # cannot sit in a pipeline; being tree-based it needs no scaling.
        "NGBClassifier": NGBClassifier(Dist=distribution, random_state=seed, verbose=False),
        "LogisticRegression": scaled(LogisticRegression(max_iter=1000)),
        "MLPClassifier": scaled(MLPClassifier(random_state=seed)),
        "HistGradientBoosting": HistGradientBoostingClassifier(random_state=seed),
    } | peers(
        {
            "CatBoost": ("catboost", catboost_classifier),
            "RealMLP": ("pytabkit", realmlp_classifier),
        },
        seed,
    )


def peers(makers, seed):
    """The peers whose library is installed (``_peers.py``), built for ``seed``."""
    return {
        name: make(seed) for name, (module, make) in makers.items() if available(module)
    }


#: Whether only skprob's models run (``--only-skprob``), and which others (``--models``).
ONLY_SKPROB = [False]
MODELS = []


def selected(models):
    if MODELS:
        return {name: model for name, model in models.items() if name in MODELS}
    if not ONLY_SKPROB[0]:
        return models
    return {name: model for name, model in models.items() if name.startswith("skprob")}


def evaluate_regression(X, y, repeats):
    scores = {}
    for seed in range(repeats):
        X_train, X_test, y_train, y_test = train_test_split(
            X, y, test_size=0.25, random_state=seed
        )
        for name, model in selected(regressors(seed)).items():
            dist = distribution_of(model.fit(X_train, y_train), X_test)
            row = scores.setdefault(name, {"NLL": [], "CRPS": [], "RMSE": [], "cov90": []})
            row["NLL"].append(negative_log_likelihood(y_test, dist))
            row["CRPS"].append(crps(y_test, dist))
            row["RMSE"].append(root_mean_squared_error(y_test, dist.mean()))
            row["cov90"].append(interval_coverage(y_test, dist, confidence=0.9))
    return scores


def evaluate_classification(X, y, repeats):
    scores = {}
    for seed in range(repeats):
        X_train, X_test, y_train, y_test = train_test_split(
            X, y, test_size=0.25, random_state=seed, stratify=y
        )
        for name, model in selected(classifiers(seed, len(np.unique(y)))).items():
            row = scores.setdefault(name, {"log loss": [], "accuracy": [], "ECE": []})
            try:
                proba = model.fit(X_train, y_train).predict_proba(X_test)
            except ValueError as error:  # a model that fails on a split is reported
                FAILURES.setdefault(name, []).append(f"split {seed}: {error}")
                continue
            labels = np.unique(y_train)
            row["log loss"].append(log_loss(y_test, proba, labels=labels))
            row["accuracy"].append(accuracy_score(y_test, labels[proba.argmax(axis=1)]))
            row["ECE"].append(expected_calibration_error(y_test, proba, labels=labels))
    return scores


def print_scores(title, scores, best_by):
    if not scores:  # --models named none of this table's contenders
        return
    metrics = list(next(iter(scores.values())))
    width = max(len(name) for name in scores) + 2
    print(f"\n{title}")
    print(f"{'model':<{width}}" + "".join(f"{m:>17}" for m in metrics))
    scored = [name for name in scores if scores[name][best_by]]
    best = min(scored, key=lambda name: np.mean(scores[name][best_by]))
    for name, row in scores.items():
        if not row[best_by]:
            print(f"{name:<{width}}failed on every split")
            continue
        cells = "".join(f"{np.mean(row[m]):>9.3f} ({np.std(row[m]):.3f})" for m in metrics)
        failed = FAILURES.pop(name, [])
        note = f"  ({len(failed)} split(s) failed: {failed[0][:60]})" if failed else ""
        print(
            f"{name:<{width}}{cells}{'  <- best ' + best_by if name == best else ''}{note}"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument(
        "--skprob-params",
        type=json.loads,
        default={},
        help="JSON of extra parameters for every skprob estimator (default: none)",
    )
    parser.add_argument(
        "--only-skprob", action="store_true", help="skip the other libraries' models"
    )
    parser.add_argument("--models", nargs="*", default=[], help="run only these models")
    args = parser.parse_args()
    SKPROB_PARAMS.update(args.skprob_params)
    ONLY_SKPROB[0] = args.only_skprob
    MODELS.extend(args.models)
    warnings.simplefilter("ignore")  # convergence chatter of the defaults
    print(
        f"mean (std) over {args.repeats} random 75/25 splits; "
        "defaults behind StandardScaler"
    )
    for title, (X, y) in {
        "diabetes (442 rows)": load_diabetes(return_X_y=True),
        "heteroscedastic synthetic (1000 rows)": heteroscedastic_data(),
    }.items():
        print_scores(title, evaluate_regression(X, y, args.repeats), "NLL")
    for title, (X, y) in {
        "breast_cancer (569 rows, 2 classes)": load_breast_cancer(return_X_y=True),
        "wine (178 rows, 3 classes)": load_wine(return_X_y=True),
        "digits (1797 rows, 10 classes)": load_digits(return_X_y=True),
    }.items():
        print_scores(title, evaluate_classification(X, y, args.repeats), "log loss")


if __name__ == "__main__":
    main()
