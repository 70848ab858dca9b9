"""
Quickstart: four distributions, four estimators
===============================================

Each skprob estimator is the maximum-likelihood recipe: choose a distribution over y, let
a network predict its parameters, minimise the negative log-likelihood (NLL). This script
fits all four on data that ships with scikit-learn and reports, on held-out rows:

- the NLL per row (lower is better; what training minimised),
- a point metric of the mode (RMSE for regression, accuracy for classification),
- how honest the uncertainty is: the coverage of 90% prediction intervals for the
  regressors, and the expected calibration error (ECE) of the classifiers.

It saves a figure of the predictive intervals and reliability diagrams.
"""

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from sklearn.datasets import load_breast_cancer, load_diabetes, load_digits  # noqa: E402
from sklearn.metrics import accuracy_score, log_loss, root_mean_squared_error  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

from skprob import (  # noqa: E402
    BernoulliClassifier,
    CategoricalClassifier,
    GaussianRegressor,
    HeteroscedasticRegressor,
)
from skprob.metrics import expected_calibration_error, reliability_curve  # noqa: E402

CONFIDENCE = 0.9


def fit_regressor(estimator, X_train, X_test, y_train, y_test):
    model = make_pipeline(StandardScaler(), estimator).fit(X_train, y_train)
    dist = model[-1].predict_dist(model[:-1].transform(X_test))
    low, high = dist.interval(CONFIDENCE)
    row = {
        "NLL": -dist.logpdf(y_test).mean(),
        "point": root_mean_squared_error(y_test, dist.mean()),
        "uncertainty": np.mean((y_test >= low) & (y_test <= high)),
    }
    return row, dist


def fit_classifier(estimator, X_train, X_test, y_train, y_test):
    model = make_pipeline(StandardScaler(), estimator).fit(X_train, y_train)
    proba = model.predict_proba(X_test)
    row = {
        "NLL": log_loss(y_test, proba, labels=model.classes_),
        "point": accuracy_score(y_test, model.predict(X_test)),
        "uncertainty": expected_calibration_error(y_test, proba, labels=model.classes_),
    }
    return row, proba


def main(figure_path="quickstart.png"):
    split = {"test_size": 0.25, "random_state": 0}
    X, y = load_diabetes(return_X_y=True)
    reg_data = train_test_split(X, y, **split)
    X, y = load_breast_cancer(return_X_y=True)
    binary_data = train_test_split(X, y, stratify=y, **split)
    X, y = load_digits(return_X_y=True)
    digits_data = train_test_split(X, y, stratify=y, **split)

    results, figure_data = {}, {}
    for name, estimator in [
        ("GaussianRegressor", GaussianRegressor(random_state=0)),
        ("HeteroscedasticRegressor", HeteroscedasticRegressor(random_state=0)),
    ]:
        results[name], figure_data[name] = fit_regressor(estimator, *reg_data)
    for name, estimator, data in [
        ("BernoulliClassifier", BernoulliClassifier(random_state=0), binary_data),
        ("CategoricalClassifier", CategoricalClassifier(random_state=0), digits_data),
    ]:
        results[name], figure_data[name] = fit_classifier(estimator, *data)

    datasets = {
        "GaussianRegressor": "diabetes",
        "HeteroscedasticRegressor": "diabetes",
        "BernoulliClassifier": "breast_cancer",
        "CategoricalClassifier": "digits",
    }
    print(f"Held-out results ({split['test_size']:.0%} of each data set)\n")
    header = (
        f"{'estimator':<26}{'data':<15}{'NLL/row':>9}  {'point metric':<18}"
        f"{'uncertainty':<24}"
    )
    print(header)
    print("-" * len(header))
    for name, row in results.items():
        is_regressor = "Regressor" in name
        point = f"RMSE {row['point']:.2f}" if is_regressor else f"acc {row['point']:.3f}"
        uncertainty = (
            f"{CONFIDENCE:.0%} PI coverage {row['uncertainty']:.3f}"
            if is_regressor
            else f"ECE {row['uncertainty']:.3f}"
        )
        nll = f"{row['NLL']:>9.3f}"
        print(f"{name:<26}{datasets[name]:<15}{nll}  {point:<18}{uncertainty:<24}")

    fig, axes = plt.subplots(2, 2, figsize=(11, 8.5))
    y_test = reg_data[3]
    order = np.argsort(y_test)
    for ax, name in zip(axes[0], ["GaussianRegressor", "HeteroscedasticRegressor"]):
        dist = figure_data[name]
        low, high = dist.interval(CONFIDENCE)
        positions = np.arange(len(order))
        ax.fill_between(
            positions,
            low[order],
            high[order],
            alpha=0.3,
            label=f"{CONFIDENCE:.0%} interval",
        )
        ax.plot(positions, dist.mean()[order], ".", ms=4, label="predicted mean")
        ax.plot(positions, y_test[order], "k.", ms=3, label="observed y")
        ax.set(
            title=f"{name} (diabetes)\ncoverage {results[name]['uncertainty']:.2f}",
            xlabel="held-out rows, sorted by y",
            ylabel="disease progression",
        )
        ax.legend(loc="upper left", fontsize=8)
    for ax, name, data in zip(
        axes[1],
        ["BernoulliClassifier", "CategoricalClassifier"],
        [binary_data, digits_data],
    ):
        proba, y_test_c = figure_data[name], data[3]
        frac, mean_conf, _ = reliability_curve(
            y_test_c, proba, labels=np.unique(data[2]), n_bins=10, strategy="quantile"
        )
        ax.plot([0, 1], [0, 1], "k:", label="perfectly calibrated")
        ax.plot(mean_conf, frac, "o-", label="skprob")
        ax.set(
            title=f"{name} ({datasets[name]})\nECE {results[name]['uncertainty']:.3f}",
            xlabel="predicted probability of the predicted class",
            ylabel="observed accuracy",
            xlim=(0, 1.02),
            ylim=(0, 1.02),
        )
        ax.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    fig.savefig(figure_path, dpi=110)
    print(f"\nFigure saved to {Path(figure_path).resolve()}")
    return results


if __name__ == "__main__":
    main(*sys.argv[1:2])
