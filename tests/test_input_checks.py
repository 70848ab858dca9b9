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
from skprob._training import member_splits

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


def test_early_stopping_on_a_single_row_is_an_error_that_says_why():
    with pytest.raises(
        ValueError,
        match=r"^early_stopping needs at least one training and one validation row; "
        r"validation_fraction=0\.1 of 1 rows leaves none\. Use more data or "
        r"early_stopping=False\.$",
    ):
        GaussianRegressor(early_stopping=True, **QUICK).fit([[0.0]], [1.0])


@pytest.mark.parametrize(
    "n_rows, validation_fraction, n_valid",
    [(10, 0.1, 1), (2, 0.5, 1), (3, 0.5, 2)],
    ids=["one validation row", "one of each", "one training row"],
)
def test_early_stopping_trains_on_a_single_training_or_validation_row(
    n_rows, validation_fraction, n_valid
):
    train, valid = member_splits(
        np.arange(n_rows), 2, validation_fraction, 0, stratify=lambda n_valid: False
    )
    assert valid.shape == (2, n_valid)
    assert train.shape == (2, n_rows - n_valid)
    X = np.linspace(-1, 1, n_rows)[:, None]
    reg = GaussianRegressor(
        early_stopping=True, validation_fraction=validation_fraction, **QUICK
    ).fit(X, 2 * X[:, 0])
    assert np.isfinite(reg.validation_loss_curve_).all()
