"""Classifier behaviour: labels, probabilities, the binary-only Bernoulli, the mode."""

import numpy as np
import pytest
from sklearn.datasets import load_iris, make_classification
from sklearn.exceptions import ConvergenceWarning

from skprob import BernoulliClassifier, CategoricalClassifier
from skprob.distributions import CategoricalDistribution

from .conftest import SMALL

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


@pytest.fixture(scope="module")
def binary():
    return make_classification(n_samples=200, n_features=5, random_state=0)


@pytest.mark.parametrize("Classifier", [BernoulliClassifier, CategoricalClassifier])
@pytest.mark.parametrize(
    "labels",
    [np.array(["no", "yes"]), np.array([False, True]), np.array([-1, 1])],
    ids=["strings", "bools", "minus-one-one"],
)
def test_any_binary_labels(Classifier, labels, binary):
    X, y01 = binary
    y = labels[y01]
    clf = Classifier(**SMALL).fit(X, y)
    np.testing.assert_array_equal(clf.classes_, np.sort(labels))
    proba = clf.predict_proba(X)
    assert proba.shape == (len(X), 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    # predict is the mode: the class of the larger probability.
    np.testing.assert_array_equal(clf.predict(X), clf.classes_[proba.argmax(axis=1)])
    assert clf.score(X, y) > 0.8


def test_categorical_probability_columns_follow_classes_order():
    X, y = load_iris(return_X_y=True)
    names = np.array(["virginica", "setosa", "versicolor"])[y]  # not in sorted order
    clf = CategoricalClassifier(**SMALL).fit(X, names)
    np.testing.assert_array_equal(clf.classes_, ["setosa", "versicolor", "virginica"])
    proba = clf.predict_proba(X)
    for k, label in enumerate(clf.classes_):
        # Each column is highest on average for the rows of its own class.
        assert proba[names == label, k].mean() > 0.5


def test_predict_log_proba_is_log_of_predict_proba(binary):
    X, y = binary
    for Classifier in (BernoulliClassifier, CategoricalClassifier):
        clf = Classifier(**SMALL).fit(X, y)
        np.testing.assert_allclose(
            np.exp(clf.predict_log_proba(X)), clf.predict_proba(X), rtol=1e-6
        )


def test_bernoulli_rejects_multiclass_and_points_to_categorical():
    X, y = load_iris(return_X_y=True)
    with pytest.raises(ValueError, match="Only binary classification is supported") as e:
        BernoulliClassifier(**SMALL).fit(X, y)
    assert "CategoricalClassifier" in str(e.value)


@pytest.mark.parametrize("Classifier", [BernoulliClassifier, CategoricalClassifier])
def test_a_single_class_is_a_clear_error(Classifier):
    X = np.random.RandomState(0).normal(size=(20, 3))
    with pytest.raises(ValueError, match="at least 2 classes"):
        Classifier(**SMALL).fit(X, np.zeros(20))


def test_predict_dist_matches_predict_proba(binary):
    X, y = binary
    bernoulli = BernoulliClassifier(**SMALL).fit(X, y)
    dist = bernoulli.predict_dist(X)
    np.testing.assert_allclose(dist.pmf(1), bernoulli.predict_proba(X)[:, 1], rtol=1e-6)
    np.testing.assert_allclose(dist.mean(), bernoulli.predict_proba(X)[:, 1], rtol=1e-6)

    X3, y3 = load_iris(return_X_y=True)
    categorical = CategoricalClassifier(**SMALL).fit(X3, y3)
    dist = categorical.predict_dist(X3)
    assert isinstance(dist, CategoricalDistribution)
    np.testing.assert_allclose(dist.probs, categorical.predict_proba(X3), rtol=1e-6)
    np.testing.assert_allclose(
        dist.logpmf(y3), categorical.predict_log_proba(X3)[np.arange(len(y3)), y3]
    )


def test_each_members_validation_rows_keep_the_class_shares():
    # 300 rows, a fifth of them class 1: every member's 30 validation rows hold
    # exactly 24 and 6, where a plain random split of each member would vary.
    rng = np.random.RandomState(0)
    X = rng.normal(size=(300, 3))
    y = np.r_[np.zeros(240, int), np.ones(60, int)]
    clf = CategoricalClassifier(
        n_estimators=5, hidden_layer_sizes=(4,), max_epochs=2, random_state=0
    ).fit(X, y)
    rows = clf.net_.validation_rows_
    assert rows.shape == (5, 30)
    for member_rows in rows:
        np.testing.assert_array_equal(np.bincount(y[member_rows]), [24, 6])
    assert len({tuple(np.sort(member_rows)) for member_rows in rows}) == 5


@pytest.mark.parametrize(
    "class_sizes",
    [(150, 99, 1), (8,) * 25],
    ids=["a class of one row", "more classes than validation rows"],
)
def test_a_split_that_cannot_be_stratified_is_a_random_one(class_sizes):
    y = np.repeat(np.arange(len(class_sizes)), class_sizes)
    X = np.random.RandomState(0).normal(size=(len(y), 3))
    clf = CategoricalClassifier(
        n_estimators=2, hidden_layer_sizes=(4,), max_epochs=2, random_state=0
    ).fit(X, y)
    assert clf.net_.validation_rows_.shape == (2, int(np.ceil(0.1 * len(y))))


@pytest.mark.parametrize("Classifier", [BernoulliClassifier, CategoricalClassifier])
def test_a_small_table_with_overlapping_classes_is_not_fitted_to_certainty(Classifier):
    # 200 rows whose classes overlap (a tenth of the labels flipped, little separation):
    # trained to the training loss's plateau, the default had three times logistic
    # regression's held-out log loss; with its validation split and prior it is close.
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import log_loss
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    X, y = make_classification(
        n_samples=200,
        n_features=8,
        n_informative=3,
        class_sep=0.6,
        flip_y=0.1,
        random_state=1,
    )
    folds = StratifiedKFold(5, shuffle=True, random_state=0)
    network = cross_val_predict(
        Classifier(random_state=0), X, y, cv=folds, method="predict_proba"
    )
    linear = cross_val_predict(LogisticRegression(), X, y, cv=folds, method="predict_proba")
    assert log_loss(y, network) < 1.1 * log_loss(y, linear)


def test_without_a_validation_split_the_warning_does_not_ask_for_more_epochs():
    X, y = make_classification(n_samples=40, n_features=4, random_state=0)
    with pytest.warns(ConvergenceWarning) as record:
        CategoricalClassifier(**{**SMALL, "max_epochs": 2}).fit(X, y)
    message = str(record[0].message)
    assert "training loss was still improving" in message
    assert "increase max_epochs" not in message
    assert "cross-validation" in message
