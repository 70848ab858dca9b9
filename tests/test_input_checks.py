"""No silent garbage: unscaled features are named, a finite divergence is an error."""

import warnings

import numpy as np
import pytest
from scipy import sparse

from skprob import (
    CategoricalClassifier,
    FeatureScaleWarning,
    GaussianRegressor,
    TrainingDivergedError,
)
from skprob._feature_scale import FEATURE_RMS_LIMIT

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

QUICK = dict(n_estimators=1, hidden_layer_sizes=(8,), max_epochs=3, random_state=0)


def test_unscaled_features_warn_and_name_the_column(diabetes):
    X, y = diabetes
    X = X.copy()
    X[:, 3] = X[:, 3] * 1000 + 5000
    with pytest.warns(
        FeatureScaleWarning,
        match=r"column 3 has a root mean square of 5.1e\+03.*StandardScaler",
    ):
        GaussianRegressor(**QUICK).fit(X, y)


def test_unscaled_sparse_features_warn_too(diabetes):
    X, y = diabetes
    X = sparse.csr_matrix(np.abs(X) * 100)
    with pytest.warns(FeatureScaleWarning, match="GaussianRegressor"):
        GaussianRegressor(**QUICK).fit(X, y)


def test_standardised_and_one_hot_features_do_not_warn(diabetes):
    X, y = diabetes  # standardised
    one_hot = np.eye(4)[np.arange(len(y)) % 4]
    counts = np.arange(len(y)) % 8  # small counts: RMS about 4.2
    X = np.column_stack([X, one_hot, counts])
    assert np.sqrt(np.mean(counts**2.0)) < FEATURE_RMS_LIMIT
    with warnings.catch_warnings():
        warnings.simplefilter("error", FeatureScaleWarning)
        GaussianRegressor(**QUICK).fit(X, y)


def test_divergence_that_stays_finite_is_an_error_that_names_the_learning_rate(diabetes):
    # Adam with a learning rate far too large: the loss stays finite but ends ~1e15 nats
    # above the constant model's, and the model would predict R^2 ~ -1e12 in silence.
    X, y = diabetes
    with pytest.raises(TrainingDivergedError, match=r"constant model.*it is 100\b"):
        GaussianRegressor(learning_rate=100, random_state=0).fit(X, y)


def test_a_classifier_far_worse_than_its_constant_start_is_an_error():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(300, 4))
    y = (X[:, 0] > 0).astype(int) + (X[:, 1] > 0)
    with pytest.raises(TrainingDivergedError, match="constant model"):
        CategoricalClassifier(learning_rate=1e4, random_state=0, n_estimators=1).fit(X, y)
