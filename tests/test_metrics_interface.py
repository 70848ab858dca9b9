"""One metrics interface: each metric takes what predict_dist returns, or says what fits."""

import inspect

import numpy as np
import pytest
from sklearn import metrics as sklearn_metrics
from sklearn.datasets import load_iris

from skprob import CategoricalClassifier, GaussianRegressor
from skprob.metrics import (
    brier_score_loss,
    crps,
    expected_calibration_error,
    interval_coverage,
    interval_width,
    log_loss,
    negative_log_likelihood,
    pit,
    pit_calibration_error,
    reliability_curve,
)

QUICK = dict(n_estimators=1, hidden_layer_sizes=(8,), max_epochs=5, random_state=0)
CLASS_METRICS = [log_loss, brier_score_loss, expected_calibration_error, reliability_curve]
DISTRIBUTION_METRICS = [
    negative_log_likelihood,
    crps,
    interval_coverage,
    interval_width,
    pit,
    pit_calibration_error,
]


@pytest.fixture(scope="module")
def classified():
    X, y = load_iris(return_X_y=True)
    labels = np.array(["setosa", "versicolor", "virginica"])[y]
    with pytest.warns(Warning):
        model = CategoricalClassifier(**QUICK).fit(X, labels)
    return labels, model.predict_dist(X), model.predict_proba(X)


@pytest.fixture(scope="module")
def regressed():
    X, y = load_iris(return_X_y=True)
    with pytest.warns(Warning):
        model = GaussianRegressor(**QUICK).fit(X, X[:, 0])
    return X[:, 0], model.predict_dist(X)


#: scikit-learn 1.6's Brier score takes two classes only (iris has three).
BRIER_OF_CLASSES = (
    "labels" in inspect.signature(sklearn_metrics.brier_score_loss).parameters
)


@pytest.mark.parametrize("metric", CLASS_METRICS, ids=lambda f: f.__name__)
def test_class_metrics_take_predict_dist_as_they_take_predict_proba(metric, classified):
    labels, dist, proba = classified
    if metric is brier_score_loss and not BRIER_OF_CLASSES:
        with pytest.raises(ValueError, match="needs scikit-learn >= 1.7"):
            metric(labels, dist)
        return
    from_dist = metric(labels, dist)
    from_proba = metric(labels, proba)
    np.testing.assert_allclose(
        np.concatenate([np.ravel(v) for v in np.atleast_1d(from_dist)]),
        np.concatenate([np.ravel(v) for v in np.atleast_1d(from_proba)]),
    )


def test_the_log_loss_of_a_distribution_is_sklearns_and_its_nll(classified):
    labels, dist, proba = classified
    expected = sklearn_metrics.log_loss(labels, proba)
    assert log_loss(labels, dist) == pytest.approx(expected)
    assert negative_log_likelihood(labels, dist) == pytest.approx(expected)
    if BRIER_OF_CLASSES:
        assert brier_score_loss(labels, dist) == pytest.approx(
            sklearn_metrics.brier_score_loss(labels, proba)
        )


def test_the_brier_score_of_two_classes_is_sklearns_on_the_positive_class():
    from skprob.distributions import CategoricalDistribution

    probs = np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]])
    dist = CategoricalDistribution(probs, classes=["a", "b"])
    y = ["a", "b", "b"]
    expected = sklearn_metrics.brier_score_loss(y, probs[:, 1], pos_label="b")
    assert brier_score_loss(y, dist) == pytest.approx(expected)


@pytest.mark.parametrize("metric", CLASS_METRICS, ids=lambda f: f.__name__)
def test_class_metrics_refuse_a_regressors_distribution_by_name(metric, regressed):
    y, dist = regressed
    with pytest.raises(TypeError, match=rf"{metric.__name__} scores class probabilities"):
        metric(y, dist)


@pytest.mark.parametrize("metric", DISTRIBUTION_METRICS, ids=lambda f: f.__name__)
def test_distribution_metrics_refuse_probabilities_and_say_what_fits(metric, classified):
    labels, _, proba = classified
    with pytest.raises(
        TypeError,
        match=rf"{metric.__name__} takes the distribution that predict_dist returns.*"
        r"array of shape \(150, 3\).*log_loss",
    ):
        metric(labels, proba)


def test_crps_of_a_classifier_says_it_needs_numbers(classified):
    labels, dist, _ = classified
    with pytest.raises(TypeError, match="crps scores a distribution over numbers"):
        crps(labels, dist)
