"""Classifier distributions, metrics and scorers speak in the labels of ``classes_``."""

import numpy as np
import pytest
from sklearn.metrics import log_loss

from skprob import BernoulliClassifier, CategoricalClassifier
from skprob.distributions import CategoricalDistribution
from skprob.metrics import negative_log_likelihood, nll_scorer

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

QUICK = dict(n_estimators=2, hidden_layer_sizes=(8,), max_epochs=5, random_state=0)
LABELS = {
    "strings": np.array(["bird", "cat", "dog"]),
    "gapped_integers": np.array([2, 7, 11]),
}


def _data(labels, n_classes=3, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(240, 3))
    index = (X[:, 0] > 0).astype(int) + (n_classes == 3) * (X[:, 1] > 0)
    return X, labels[:n_classes][index]


@pytest.mark.parametrize("kind", sorted(LABELS))
@pytest.mark.parametrize("Classifier", [CategoricalClassifier, BernoulliClassifier])
def test_nll_and_scorer_are_sklearns_log_loss_in_labels(kind, Classifier):
    n_classes = 2 if Classifier is BernoulliClassifier else 3
    X, y = _data(LABELS[kind], n_classes)
    clf = Classifier(**QUICK).fit(X, y)
    proba = clf.predict_proba(X)
    expected = log_loss(y, proba, labels=clf.classes_)
    dist = clf.predict_dist(X)
    assert negative_log_likelihood(y, dist) == pytest.approx(expected, rel=1e-10)
    assert nll_scorer(clf, X, y) == pytest.approx(-expected, rel=1e-10)
    # Each row's probability of its own label, from the distribution.
    column = np.searchsorted(clf.classes_, y)
    np.testing.assert_allclose(dist.pmf(y), proba[np.arange(len(y)), column], rtol=1e-12)


def test_weighted_nll_of_labels_is_sklearns_weighted_log_loss():
    probs = np.array([[0.7, 0.2, 0.1], [0.1, 0.6, 0.3], [0.2, 0.2, 0.6], [0.5, 0.4, 0.1]])
    dist = CategoricalDistribution(probs, classes=LABELS["strings"])
    y = np.array(["bird", "dog", "dog", "cat"])
    weight = np.array([0.5, 2.0, 0.0, 1.0])
    expected = log_loss(y, probs, sample_weight=weight, labels=LABELS["strings"])
    assert negative_log_likelihood(y, dist, sample_weight=weight) == pytest.approx(expected)
    assert expected != pytest.approx(log_loss(y, probs, labels=LABELS["strings"]))
    with pytest.raises(ValueError, match="y_true has 3 labels but the distribution 4 rows"):
        negative_log_likelihood(y[:3], dist)


def test_a_label_missing_from_training_is_a_clear_error():
    X, y = _data(LABELS["strings"])
    seen = y != "dog"
    clf = CategoricalClassifier(**QUICK).fit(X[seen], y[seen])
    with pytest.raises(ValueError, match="'dog' is not one of the classes.*'bird', 'cat'"):
        negative_log_likelihood(y, clf.predict_dist(X))
    with pytest.raises(ValueError, match="'dog'"):
        nll_scorer(clf, X, y)


def test_labelled_distribution_draws_quantiles_and_moments_are_labels():
    probs = np.array([[0.1, 0.2, 0.7], [0.6, 0.3, 0.1]])
    numbers = CategoricalDistribution(probs, classes=[2, 7, 11])
    np.testing.assert_allclose(numbers.mean(), probs @ [2, 7, 11])
    np.testing.assert_allclose(
        numbers.var(), probs @ np.square([2, 7, 11]) - numbers.mean() ** 2
    )
    np.testing.assert_array_equal(numbers.ppf(0.5), [11, 2])
    np.testing.assert_allclose(numbers.cdf([7, 6.5]), [0.3, 0.6])  # classes in order
    words = CategoricalDistribution(probs, classes=["bird", "cat", "dog"])
    np.testing.assert_array_equal(words.ppf(0.5), ["dog", "bird"])
    draws = words.rvs(size=4000, random_state=0)
    assert set(np.unique(draws)) == {"bird", "cat", "dog"}
    np.testing.assert_allclose(np.mean(draws[:, 0] == "dog"), 0.7, atol=0.03)
    with pytest.raises(TypeError, match="not numbers"):
        words.mean()
    with pytest.raises(ValueError, match="one label per column"):
        CategoricalDistribution(probs, classes=["a", "b"])


def test_unlabelled_distribution_keeps_its_index_semantics():
    dist = CategoricalDistribution([[0.2, 0.8]])
    np.testing.assert_array_equal(dist.logpmf([5]), [-np.inf])  # outside 0..K-1
    np.testing.assert_allclose(dist.pmf([1]), [0.8])
