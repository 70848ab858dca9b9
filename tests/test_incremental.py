"""Training further: warm_start and partial_fit, as MLPRegressor and MLPClassifier have."""

import pickle
import re

import numpy as np
import pytest
from sklearn.datasets import load_iris
from sklearn.preprocessing import StandardScaler

from skprob import (
    BernoulliClassifier,
    CategoricalClassifier,
    DistributionRegressor,
    GaussianRegressor,
    HeteroscedasticRegressor,
    TrainingDivergedError,
)
from skprob.metrics import negative_log_likelihood

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

SMALL = {"hidden_layer_sizes": (16,), "n_estimators": 2, "random_state": 0}


@pytest.fixture(scope="module")
def iris():
    X, y = load_iris(return_X_y=True)
    return StandardScaler().fit_transform(X), np.array(
        ["setosa", "versicolor", "virginica"]
    )[y]


def _chunks(n_rows, n_chunks):
    return np.array_split(np.arange(n_rows), n_chunks)


def test_warm_start_trains_on_from_the_fitted_weights(diabetes):
    X, y = diabetes
    model = HeteroscedasticRegressor(max_epochs=30, **SMALL).fit(X, y)
    before, first_curve = model.predict(X), model.loss_curve_.copy()
    # A step too small to move anything: a warm start keeps the trained model, a cold
    # one restarts from the untrained network.
    model.set_params(warm_start=True, learning_rate=1e-12, max_epochs=2)
    model.fit(X, y)
    np.testing.assert_allclose(model.predict(X), before, rtol=1e-6)
    assert model.n_iter_ == 32
    np.testing.assert_array_equal(model.loss_curve_[:30], first_curve)
    assert model.validation_loss_curve_.shape == (32,)
    cold = model.set_params(warm_start=False).fit(X, y)
    assert cold.n_iter_ == 2
    assert np.abs(cold.predict(X) - before).mean() > 10


def test_a_warm_start_with_a_validation_split_stops_on_it_and_keeps_its_best_epoch(
    diabetes,
):
    X, y = diabetes
    params = {**SMALL, "n_estimators": 1, "learning_rate": 0.01, "compute_dtype": "float64"}
    # The network's own validation NLL is compared below: no neighbour correction.
    params["neighbor_correction"] = "off"
    model = HeteroscedasticRegressor(max_epochs=30, **params).fit(X, y)
    # A learning rate five times larger: the validation loss turns up at once while
    # the training loss goes on falling.
    model.set_params(
        warm_start=True, learning_rate=0.05, max_epochs=40, n_iter_no_change=5
    ).fit(X, y)
    continued = model.validation_loss_curve_[30:]
    # Stopped by the validation rows (after the plateaus' lower learning rates), before
    # the budget's 40 epochs, with the best epoch's weights.
    assert np.argmin(continued) + 1 + 2 <= len(continued) < 40
    assert continued[-1] > continued.min()
    lrs = np.asarray(model.net_.history[30:, "lr"])
    assert lrs[0] == pytest.approx(0.05) and lrs[-1] == pytest.approx(0.05 * 0.09)
    rows = model.net_.validation_rows_[0]
    held_out = negative_log_likelihood(y[rows], model.predict_dist(X[rows]))
    assert held_out == pytest.approx(continued.min(), rel=1e-9)


def test_a_warm_start_that_diverges_is_an_error_though_the_first_fit_was_good(diabetes):
    X, y = diabetes
    model = GaussianRegressor(max_epochs=10, warm_start=True, **SMALL).fit(X, y)
    with pytest.raises(TrainingDivergedError, match=r"member \d's best training loss"):
        model.set_params(learning_rate=100).fit(X, y)


def test_warm_start_keeps_the_fitted_target_encoding(diabetes):
    X, y = diabetes
    model = GaussianRegressor(max_epochs=5, warm_start=True, **SMALL).fit(X, y)
    loc, scale = model.target_loc_.copy(), model.target_scale_.copy()
    model.fit(X, 2 * y + 100)
    np.testing.assert_array_equal(model.target_loc_, loc)
    np.testing.assert_array_equal(model.target_scale_, scale)
    # The network learnt the new targets through the old encoding.
    assert np.mean(model.predict(X)) > np.mean(y) + 50


@pytest.mark.parametrize(
    "change", [{"hidden_layer_sizes": (8,)}, {"n_estimators": 3}, {"activation": "tanh"}]
)
def test_warm_start_refuses_a_changed_model(diabetes, change):
    X, y = diabetes
    model = HeteroscedasticRegressor(max_epochs=2, warm_start=True, **SMALL).fit(X, y)
    ((name, value),) = change.items()
    with pytest.raises(ValueError, match=re.escape(f"{name}={value!r} differ from")):
        model.set_params(**change).fit(X, y)
    with pytest.raises(ValueError, match=name):
        model.partial_fit(X, y)
    # Training parameters may change.
    model.set_params(**{name: SMALL.get(name, "relu")}, learning_rate=1e-3).fit(X, y)


def test_partial_fit_epochs_are_the_epochs_of_fit(diabetes):
    """k calls of partial_fit on all rows are fit's k epochs without a validation split:
    the same start, batches, weight decay and optimizer state, to the last bit."""
    X, y = diabetes
    fitted = HeteroscedasticRegressor(
        max_epochs=3, early_stopping=False, n_iter_no_change=100, **SMALL
    ).fit(X, y)
    streamed = HeteroscedasticRegressor(**SMALL)
    for _ in range(3):
        streamed.partial_fit(X, y)
    assert streamed.n_iter_ == 3
    np.testing.assert_array_equal(streamed.loss_curve_, fitted.loss_curve_)
    np.testing.assert_array_equal(streamed.predict(X), fitted.predict(X))
    assert not hasattr(streamed, "validation_loss_curve_")


def test_partial_fit_streams_chunks_to_a_good_model(diabetes):
    X, y = diabetes
    model = HeteroscedasticRegressor(**SMALL)
    for _ in range(15):
        for rows in _chunks(len(X), 4):
            model.partial_fit(X[rows], y[rows])
    assert model.n_iter_ == 60
    assert model.score(X, y) > 0.45
    assert model.loss_curve_[-1] < model.loss_curve_[0] - 0.3


def test_partial_fit_goes_on_after_pickling_as_if_never_stored(diabetes):
    X, y = diabetes
    model = HeteroscedasticRegressor(**SMALL).partial_fit(X, y)
    loaded = pickle.loads(pickle.dumps(model))
    model.partial_fit(X[:100], y[:100])
    loaded.partial_fit(X[:100], y[:100])
    # Adam's moments and the shuffling generator came back with the weights.
    np.testing.assert_array_equal(loaded.predict(X), model.predict(X))


def test_partial_fit_after_fit_continues(diabetes):
    X, y = diabetes
    model = HeteroscedasticRegressor(max_epochs=5, **SMALL).fit(X, y)
    model.partial_fit(X[:50], y[:50])
    assert model.n_iter_ == 6
    # The epochs that had a validation split keep their losses, the new one has none.
    assert not hasattr(model, "best_validation_loss_")
    assert not hasattr(model, "validation_loss_curve_")


def test_partial_fit_regressor_checks_the_targets_against_the_fitted_model(diabetes):
    X, y = diabetes
    model = GaussianRegressor(**SMALL).partial_fit(X, y)
    with pytest.raises(ValueError, match="y has 2 outputs.*fitted with 1"):
        model.partial_fit(X, np.c_[y, y])
    with pytest.raises(ValueError, match="expecting 10 features"):
        model.partial_fit(X[:, :3], y)
    counts = DistributionRegressor(distribution="poisson", **SMALL)
    counts.partial_fit(X, np.round(y / 10))
    with pytest.raises(ValueError, match="needs targets y >= 0"):
        counts.partial_fit(X[:5], -np.ones(5))


def test_partial_fit_classifier_learns_every_class_from_chunks_that_miss_some(iris):
    X, y = iris
    classes = ["virginica", "setosa", "versicolor"]
    # The first chunk holds no virginica; the later ones shuffle the rest.
    first = np.flatnonzero(y != "virginica")[::4]
    rest = np.random.RandomState(0).permutation(np.setdiff1d(np.arange(len(y)), first))
    # One step per chunk of 30 rows: a larger step than the default to learn in 80.
    model = CategoricalClassifier(learning_rate=0.03, **SMALL)
    model.partial_fit(X[first], y[first], classes=classes)
    np.testing.assert_array_equal(model.classes_, sorted(classes))
    for _ in range(20):
        for rows in _chunks(len(rest), 4):
            model.partial_fit(X[rest[rows]], y[rest[rows]])
    assert model.predict_proba(X).shape == (150, 3)
    assert model.score(X, y) > 0.8


def test_partial_fit_classifier_names_what_is_wrong_with_the_labels(iris):
    X, y = iris
    with pytest.raises(ValueError, match="classes must be passed on the first call"):
        CategoricalClassifier(**SMALL).partial_fit(X, y)
    model = CategoricalClassifier(**SMALL).partial_fit(X[:10], y[:10], classes=np.unique(y))
    with pytest.raises(ValueError, match="label 'daisy', which is not among the classes"):
        model.partial_fit(X[:2], ["setosa", "daisy"])
    with pytest.raises(ValueError, match=r"classes=\['a', 'b'\] differ"):
        model.partial_fit(X[:2], y[:2], classes=["a", "b"])
    with pytest.raises(ValueError, match="Only binary classification"):
        BernoulliClassifier(**SMALL).partial_fit(X[:2], y[:2], classes=np.unique(y))


def test_warm_start_classifier_keeps_its_classes(iris):
    X, y = iris
    model = BernoulliClassifier(max_epochs=5, warm_start=True, **SMALL)
    model.fit(X, y == "setosa")
    # A refit on rows of one class goes on in the fitted classes.
    model.fit(X[:20], np.ones(20, dtype=bool))
    np.testing.assert_array_equal(model.classes_, [False, True])
    with pytest.raises(ValueError, match="label 'setosa'"):
        model.fit(X[:3], y[:3])
