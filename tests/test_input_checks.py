"""No silent garbage: unscaled features are named, a finite divergence is an error."""

import warnings
from functools import partial
from types import SimpleNamespace

import numpy as np
import pytest
from scipy import sparse, stats
from skorch.history import History

from skprob import (
    CategoricalClassifier,
    FeatureScaleWarning,
    GaussianRegressor,
    TrainingDivergedError,
)
from skprob._feature_scale import FEATURE_RMS_LIMIT
from skprob._training.run import (
    DIVERGENCE_MARGIN,
    _check_better_than_constant,
    member_splits,
)
from skprob.families import Normal

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

QUICK = dict(n_estimators=1, hidden_layer_sizes=(8,), max_epochs=3, random_state=0)


#: The features as given: the network's robust map (the default) needs no warning.
UNMAPPED = dict(QUICK, feature_scaling="none")


def test_unscaled_features_warn_and_name_the_column(diabetes):
    X, y = diabetes
    X = X.copy()
    X[:, 3] = X[:, 3] * 1000 + 5000
    with pytest.warns(
        FeatureScaleWarning,
        match=r"column 3 has a root mean square of 5.1e\+03.*StandardScaler",
    ):
        GaussianRegressor(**UNMAPPED).fit(X, y)


def test_unscaled_sparse_features_warn_too(diabetes):
    X, y = diabetes
    X = sparse.csr_matrix(np.abs(X) * 100)
    with pytest.warns(FeatureScaleWarning, match="GaussianRegressor"):
        GaussianRegressor(**UNMAPPED).fit(X, y)


def test_standardised_and_one_hot_features_do_not_warn(diabetes):
    X, y = diabetes  # standardised
    one_hot = np.eye(4)[np.arange(len(y)) % 4]
    counts = np.arange(len(y)) % 8  # small counts: RMS about 4.2
    X = np.column_stack([X, one_hot, counts])
    assert np.sqrt(np.mean(counts**2.0)) < FEATURE_RMS_LIMIT
    with warnings.catch_warnings():
        warnings.simplefilter("error", FeatureScaleWarning)
        GaussianRegressor(**UNMAPPED).fit(X, y)


def test_raw_features_do_not_warn_where_the_network_scales_them(diabetes):
    X, y = diabetes
    X = X * 1000 + 5000
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
        r"validation_fraction=0\.9 of 2 rows leaves none\. Use more data or "
        r"early_stopping=False\.$",
    ):
        GaussianRegressor(early_stopping=True, validation_fraction=0.9, **QUICK).fit(
            [[0.0], [1.0]], [1.0, 2.0]
        )


@pytest.mark.parametrize(
    "n_rows, validation_fraction, n_valid",
    [(10, 0.1, 1), (2, 0.5, 1), (3, 0.5, 2), (100, 0.25, 25)],
    ids=["one validation row", "one of each", "one training row", "a quarter"],
)
def test_early_stopping_trains_on_a_single_training_or_validation_row(
    n_rows, validation_fraction, n_valid
):
    train, valid = member_splits(
        np.arange(n_rows), 2, validation_fraction, 0, stratify=lambda n_valid: False
    )
    assert valid.shape == (2, n_valid)
    assert train.shape == (2, n_rows - n_valid)
    # Row numbers in the data path's dtype (int32 below 2^31 rows), every row once.
    assert train.dtype == valid.dtype == np.int32
    for member in range(2):
        np.testing.assert_array_equal(
            np.sort(np.r_[train[member], valid[member]]), np.arange(n_rows)
        )
    X = np.linspace(-1, 1, n_rows)[:, None]
    reg = GaussianRegressor(
        early_stopping=True, validation_fraction=validation_fraction, **QUICK
    ).fit(X, 2 * X[:, 0])
    assert np.isfinite(reg.validation_loss_curve_).all()


def _net_with_member_losses(*epochs):
    """A stand-in for a trained net: its history of per-member training losses."""
    history = History()
    for losses in epochs:
        history.new_epoch()
        history.record("train_member_losses", list(losses))
    return SimpleNamespace(history=history, lr=0.5)


@pytest.fixture
def outlier_of_negligible_weight():
    """99 rows near 0 and one at 1e4 of weight 1e-9, and their weighted constant fit."""
    y = np.r_[np.random.RandomState(0).normal(size=99), 1e4][:, None]
    weights = np.r_[np.ones(99), 1e-9]
    mean = np.average(y[:, 0], weights=weights)
    std = np.sqrt(np.average((y[:, 0] - mean) ** 2, weights=weights))
    constant = np.average(-stats.norm(mean, std).logpdf(y[:, 0]), weights=weights)
    # Counted with equal weights, the same model's loss would be ~5e5 nats a row.
    assert np.mean(-stats.norm(mean, std).logpdf(y[:, 0])) > constant + 1e5
    return Normal(1, heteroscedastic=True), y, weights, constant


def test_the_divergence_check_compares_with_the_weighted_constant_model(
    outlier_of_negligible_weight,
):
    family, y, weights, constant = outlier_of_negligible_weight
    start = family.initial_raw(y, weights)
    check = partial(_check_better_than_constant, family=family, initial_raw=start)
    margin = DIVERGENCE_MARGIN
    # The best epoch counts, per member; the member named is the first one far above.
    net = _net_with_member_losses(
        [constant, constant + 1e9], [constant + 1e9, constant + margin + 1]
    )
    with pytest.raises(
        TrainingDivergedError,
        match=rf"member 1's best training loss, {constant + margin + 1:.4g}, stayed far "
        rf"above {constant:.4g}, the loss of the constant model training starts from\. "
        r"Lower the learning rate \(it is 0\.5\) or standardise the features \(e\.g\. "
        r"with StandardScaler\)\.$",
    ):
        check(net, y_model=y, weights=weights, log_scale=0.0, epochs_before=0)
    close = _net_with_member_losses([constant + margin - 1, constant])
    check(close, y_model=y, weights=weights, log_scale=0.0, epochs_before=0)
    # The loss is in the units of y: the log of the target scale moves the constant.
    far = _net_with_member_losses([constant + margin + 10, constant])
    check(far, y_model=y, weights=weights, log_scale=20.0, epochs_before=0)
    with pytest.raises(TrainingDivergedError, match="member 0's"):
        check(far, y_model=y, weights=weights, log_scale=0.0, epochs_before=0)


def test_the_divergence_check_of_a_continued_fit_sees_only_its_own_epochs(
    outlier_of_negligible_weight,
):
    family, y, weights, constant = outlier_of_negligible_weight
    start = family.initial_raw(y, weights)
    net = _net_with_member_losses([constant], [constant + 1e3])
    _check_better_than_constant(net, family, start, y, weights, 0.0, epochs_before=0)
    with pytest.raises(TrainingDivergedError):
        _check_better_than_constant(net, family, start, y, weights, 0.0, epochs_before=1)
