"""Behaviour every estimator shares: validation, errors, reproducibility, persistence."""

import pickle
import re
import warnings

import numpy as np
import pytest
import scipy.sparse as sp
import torch
from sklearn.base import clone
from sklearn.datasets import make_classification, make_regression
from sklearn.exceptions import ConvergenceWarning, NotFittedError
from sklearn.model_selection import GridSearchCV, cross_validate
from sklearn.utils._param_validation import InvalidParameterError

from skprob import (
    BernoulliClassifier,
    CategoricalClassifier,
    GaussianRegressor,
    HeteroscedasticRegressor,
    TrainingDivergedError,
)
from skprob._training.network import EnsembleLinear
from skprob._training.run import AUTO_FLOAT32_MIN_ROWS, AUTO_FLOAT32_MIN_ROWS_LBFGS

from .conftest import SMALL

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

ESTIMATORS = [
    GaussianRegressor,
    HeteroscedasticRegressor,
    BernoulliClassifier,
    CategoricalClassifier,
]


@pytest.fixture(scope="module")
def data():
    X, y = make_classification(n_samples=150, n_features=6, random_state=0)
    return X, y


def predictions(estimator, X):
    if hasattr(estimator, "predict_proba"):
        return estimator.predict_proba(X)
    return np.column_stack(estimator.predict(X, return_std=True))


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_same_random_state_same_model_and_global_rng_untouched(Estimator, data):
    X, y = data
    # The legacy global RandomState is what random_state=None draws from: it must stay.
    torch_state, numpy_state = torch.get_rng_state(), np.random.get_state()  # noqa: NPY002
    first = predictions(Estimator(**SMALL).fit(X, y), X)
    second = predictions(Estimator(**SMALL).fit(X, y), X)
    np.testing.assert_array_equal(first, second)
    assert torch.equal(torch.get_rng_state(), torch_state)
    assert np.random.get_state()[1].tolist() == numpy_state[1].tolist()  # noqa: NPY002
    other = predictions(Estimator(**{**SMALL, "random_state": 1}).fit(X, y), X)
    assert not np.allclose(first, other)


def test_the_batch_order_is_drawn_from_random_state(data):
    # Initial weights and batch order both follow random_state; the order's seed is
    # the net's, so that a warm start goes on with the same generator.
    def batch_order_seed(random_state):
        params = {**SMALL, "random_state": random_state, "max_epochs": 1}
        return CategoricalClassifier(**params).fit(*data).net_.shuffle_seed

    assert batch_order_seed(0) == batch_order_seed(0) != batch_order_seed(1)


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_inputs_are_never_modified(Estimator, data):
    X, y = data
    X_copy, y_copy = X.copy(), y.copy()
    weights = np.linspace(0.5, 2.0, len(y))
    weights_copy = weights.copy()
    estimator = Estimator(**SMALL).fit(X, y, sample_weight=weights)
    estimator.predict(X)
    np.testing.assert_array_equal(X, X_copy)
    np.testing.assert_array_equal(y, y_copy)
    np.testing.assert_array_equal(weights, weights_copy)


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_pickle_and_clone_round_trip(Estimator, data):
    X, y = data
    estimator = Estimator(**SMALL).fit(X, y)
    restored = pickle.loads(pickle.dumps(estimator))
    np.testing.assert_array_equal(predictions(restored, X), predictions(estimator, X))
    fresh = clone(estimator)
    assert fresh.get_params() == estimator.get_params()
    assert not hasattr(fresh, "net_")
    fresh.set_params(max_epochs=3, hidden_layer_sizes=(4, 4))
    assert fresh.fit(X, y).n_iter_ <= 3


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_divergence_is_an_error_that_names_the_learning_rate(Estimator, data):
    X, y = data
    # Cross-entropy has bounded gradients, so a huge step alone only makes the weights
    # grow; on badly scaled features the outputs then overflow within a few steps.
    estimator = Estimator(
        optimizer="sgd", learning_rate=1e12, max_epochs=20, random_state=0
    )
    with pytest.raises(TrainingDivergedError, match="learning rate"):
        estimator.fit(X * 1e200, y)


def test_huge_targets_train_as_their_standardised_selves(diabetes):
    X, y = diabetes
    params = dict(n_estimators=1, max_epochs=5, random_state=0)
    small = GaussianRegressor(**params).fit(X, y)
    # (y - mean)^2 overflows float64 here: the standard deviation is taken without it.
    huge = GaussianRegressor(**params).fit(X, y * 1e155)
    np.testing.assert_allclose(huge.predict(X) / 1e155, small.predict(X), rtol=1e-12)


def test_targets_too_large_for_float64_are_refused_with_the_reason():
    X = np.random.RandomState(0).normal(size=(20, 2))
    y = np.full(20, 1.7e308)  # their sum overflows
    with pytest.raises(ValueError, match="too large for float64"):
        GaussianRegressor().fit(X, y)


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_non_finite_predictions_are_an_error_not_nan(Estimator, data):
    X, y = data
    estimator = Estimator(**SMALL).fit(X, y)
    with torch.no_grad():
        estimator.net_.module_.output.weight[0, 0] = float("nan")
    with pytest.raises(TrainingDivergedError, match="non-finite"):
        estimator.predict(X)


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_unfitted_estimator_raises_not_fitted(Estimator, data):
    with pytest.raises(NotFittedError):
        Estimator().predict_dist(data[0])


@pytest.mark.parametrize(
    "params, error, match",
    [
        ({"activation": "swish"}, InvalidParameterError, "activation"),
        ({"optimizer": "rmsprop"}, InvalidParameterError, "optimizer"),
        ({"learning_rate": -1.0}, InvalidParameterError, "learning_rate"),
        ({"batch_size": 0}, InvalidParameterError, "batch_size"),
        ({"validation_fraction": 1.0}, InvalidParameterError, "validation_fraction"),
        ({"hidden_layer_sizes": (10, 0)}, ValueError, "hidden_layer_sizes"),
        ({"device": "not-a-device"}, ValueError, "not a torch device"),
    ],
)
def test_bad_parameters_are_named(params, error, match, data):
    with pytest.raises(error, match=match):
        GaussianRegressor(**params).fit(*data)


@pytest.mark.skipif(torch.cuda.is_available(), reason="checks the no-GPU message")
def test_cuda_without_a_gpu_is_a_clear_error(data):
    with pytest.raises(ValueError, match="no CUDA device"):
        CategoricalClassifier(device="cuda").fit(*data)


def test_all_zero_weights_are_an_error(data):
    X, y = data
    with pytest.raises(ValueError, match="non-zero"):
        GaussianRegressor().fit(X, y, sample_weight=np.zeros(len(y)))


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_sparse_input_matches_dense(Estimator, data):
    X, y = data
    X = np.where(np.abs(X) > 1, X, 0.0)
    # The networks match; the regressors' neighbour correction is fitted for dense
    # rows only (tests/test_neighbor_correction.py), so it is off on both sides here.
    params = dict(SMALL)
    if "neighbor_correction" in Estimator().get_params():
        params["neighbor_correction"] = "off"
    dense = Estimator(**params).fit(X, y)
    sparse = Estimator(**params).fit(sp.csr_matrix(X), y)
    np.testing.assert_allclose(
        predictions(sparse, sp.csr_matrix(X)), predictions(dense, X), rtol=1e-10
    )


def test_large_sparse_input_is_densified_per_batch(data, monkeypatch):
    from skprob._training import data as data_module

    X, y = data
    monkeypatch.setattr(data_module, "DENSIFY_SPARSE_BELOW_BYTES", 0)
    sparse = CategoricalClassifier(**SMALL).fit(sp.csr_matrix(X), y)
    monkeypatch.undo()
    dense = CategoricalClassifier(**SMALL).fit(X, y)
    np.testing.assert_allclose(sparse.predict_proba(X), dense.predict_proba(X), rtol=1e-10)


def _network_dtype(estimator):
    return next(estimator.net_.module_.parameters()).dtype


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_small_data_train_in_the_dtype_of_the_input(dtype, data):
    X, y = (column[: AUTO_FLOAT32_MIN_ROWS - 1] for column in data)
    estimator = CategoricalClassifier(**SMALL).fit(X.astype(dtype), y)
    expected = torch.float32 if dtype == np.float32 else torch.float64
    assert _network_dtype(estimator) == expected


def test_float64_data_train_in_float32_from_the_row_threshold():
    threshold = AUTO_FLOAT32_MIN_ROWS
    X, y = make_regression(n_samples=threshold, n_features=3, random_state=0)
    fast = dict(SMALL, max_epochs=1, early_stopping=False)
    below = GaussianRegressor(**fast).fit(X[: threshold - 1], y[: threshold - 1])
    at = GaussianRegressor(**fast).fit(X, y)
    assert _network_dtype(below) == torch.float64
    assert _network_dtype(at) == torch.float32
    # float64 in, float64 out, from the float32 network too; the input is not modified.
    X_before = X.copy()
    mean, std = at.predict(X, return_std=True)
    assert mean.dtype == std.dtype == np.float64
    assert at.predict_dist(X).mean().dtype == np.float64
    np.testing.assert_array_equal(X, X_before)
    # What the float32 network computes, to float32's precision.
    with torch.no_grad():
        raw = at.net_.module_(torch.as_tensor(X, dtype=torch.float32))
    mu = raw[0, :, 0].double().numpy() * at.target_scale_[0] + at.target_loc_[0]
    np.testing.assert_allclose(mean, mu, rtol=1e-12)


def test_lbfgs_trains_float64_data_in_float64_up_to_its_own_threshold():
    # Its line search compares full-batch losses, which float32 rounds.
    threshold = AUTO_FLOAT32_MIN_ROWS_LBFGS
    assert threshold > AUTO_FLOAT32_MIN_ROWS
    X, y = make_regression(n_samples=threshold, n_features=3, random_state=0)
    fast = dict(SMALL, max_epochs=1, early_stopping=False, optimizer="lbfgs")
    below = GaussianRegressor(**fast).fit(X[: threshold - 1], y[: threshold - 1])
    at = GaussianRegressor(**fast).fit(X, y)
    assert _network_dtype(below) == torch.float64
    assert _network_dtype(at) == torch.float32
    adam = dict(fast, optimizer="adam")
    assert (
        _network_dtype(
            GaussianRegressor(**adam).fit(X[: threshold - 1], y[: threshold - 1])
        )
        == torch.float32
    )


@pytest.mark.parametrize(
    "compute_dtype, data_dtype, expected",
    [
        ("float32", np.float64, torch.float32),
        ("float64", np.float32, torch.float64),
        ("auto", np.float32, torch.float32),
        ("auto", np.float64, torch.float64),
    ],
)
def test_compute_dtype_chooses_the_precision(compute_dtype, data_dtype, expected, data):
    X, y = (column[: AUTO_FLOAT32_MIN_ROWS - 1] for column in data)
    estimator = CategoricalClassifier(compute_dtype=compute_dtype, **SMALL)
    estimator.fit(X.astype(data_dtype), y)
    assert _network_dtype(estimator) == expected
    proba = estimator.predict_proba(X.astype(data_dtype))
    # float64 out unless both the input and the network are float32.
    both_float32 = data_dtype == np.float32 and expected == torch.float32
    assert proba.dtype == (np.float32 if both_float32 else np.float64)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-5)


def test_warm_start_keeps_the_precision_it_was_built_in(data):
    X, y = data
    estimator = CategoricalClassifier(compute_dtype="float32", warm_start=True, **SMALL)
    estimator.fit(X, y).fit(X, y)
    assert _network_dtype(estimator) == torch.float32
    estimator.set_params(compute_dtype="float64")
    with pytest.raises(ValueError, match="compute_dtype='float64' differ"):
        estimator.fit(X, y)


def test_partial_fit_keeps_the_precision_of_its_first_call():
    X, y = make_regression(n_samples=AUTO_FLOAT32_MIN_ROWS, n_features=3, random_state=0)
    small = X[: AUTO_FLOAT32_MIN_ROWS - 1], y[: AUTO_FLOAT32_MIN_ROWS - 1]
    first_large = GaussianRegressor(**SMALL).partial_fit(X, y).partial_fit(*small)
    assert _network_dtype(first_large) == torch.float32
    first_small = GaussianRegressor(**SMALL).partial_fit(*small).partial_fit(X, y)
    assert _network_dtype(first_small) == torch.float64


def test_a_float32_network_of_float64_data_round_trips_a_pickle(data):
    X, y = data
    estimator = GaussianRegressor(compute_dtype="float32", **SMALL).fit(X, y)
    loaded = pickle.loads(pickle.dumps(estimator))
    assert _network_dtype(loaded) == torch.float32
    np.testing.assert_array_equal(loaded.predict(X), estimator.predict(X))


def test_early_stopping_holds_out_validation_rows():
    X, y = make_classification(n_samples=1200, n_features=6, random_state=0)
    auto = CategoricalClassifier(
        n_estimators=1, hidden_layer_sizes=(16,), random_state=0
    ).fit(X, y)
    # "auto" turns early stopping on from 64 rows for classifiers and regressors alike,
    # and keeps the best epoch.
    assert len(auto.validation_loss_curve_) == auto.n_iter_
    assert auto.best_validation_loss_ == auto.validation_loss_curve_.min()
    off = CategoricalClassifier(early_stopping=False, **SMALL).fit(X, y)
    assert not hasattr(off, "validation_loss_curve_")
    for Estimator, threshold in ((CategoricalClassifier, 64), (GaussianRegressor, 64)):
        at = Estimator(**SMALL).fit(X[:threshold], y[:threshold])
        assert len(at.validation_loss_curve_) == at.n_iter_
        below = Estimator(**SMALL).fit(X[: threshold - 1], y[: threshold - 1])
        assert not hasattr(below, "validation_loss_curve_")


def test_a_search_on_small_data_stops_early_in_every_fold_and_the_refit():
    # 100 rows in 5 folds: each fold trains on 80 rows and the refit on 100. All of
    # them must hold out validation rows, or the folds would score a model trained
    # differently from the one the search returns.
    X, y = make_regression(n_samples=100, n_features=4, noise=5.0, random_state=0)
    search = GridSearchCV(
        HeteroscedasticRegressor(**SMALL),
        {"hidden_layer_sizes": [(8,), (16,)]},
        cv=5,
        return_train_score=False,
    )
    folds = cross_validate(search.estimator, X, y, cv=5, return_estimator=True)["estimator"]
    assert all(hasattr(model, "validation_loss_curve_") for model in folds)
    search.fit(X, y)
    assert hasattr(search.best_estimator_, "validation_loss_curve_")
    assert np.isfinite(search.best_score_)


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_explicit_early_stopping_on_small_data(Estimator, data):
    X, y = data
    estimator = Estimator(early_stopping=True, validation_fraction=0.2, **SMALL).fit(X, y)
    assert len(estimator.validation_loss_curve_) == estimator.n_iter_
    assert np.isfinite(estimator.best_validation_loss_)


def test_a_search_warns_at_most_once_per_fit():
    # Every fit stops at max_epochs while still improving: one ConvergenceWarning each,
    # however many members the ensemble has, and nothing else.
    X, y = make_regression(n_samples=120, n_features=4, noise=5.0, random_state=0)
    search = GridSearchCV(
        GaussianRegressor(max_epochs=2, n_estimators=3, hidden_layer_sizes=(8,)),
        {"learning_rate": [1e-3, 3e-3]},
        cv=3,
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        search.fit(X, y)
    categories = [warning.category for warning in caught]
    assert categories == [ConvergenceWarning] * (2 * 3 + 1)


def test_training_stops_when_the_loss_stops_improving(data):
    X, y = data
    estimator = GaussianRegressor(
        hidden_layer_sizes=(), optimizer="lbfgs", tol=1e-3, max_epochs=500
    ).fit(X, y)
    assert estimator.n_iter_ < 500


def test_max_epochs_reached_warns():
    X, y = make_classification(n_samples=100, random_state=0)
    with pytest.warns(ConvergenceWarning, match="max_epochs=2"):
        CategoricalClassifier(max_epochs=2).fit(X, y)


def test_verbose_zero_is_silent_and_one_prints_epochs(data, capsys):
    X, y = data
    CategoricalClassifier(max_epochs=3, verbose=0).fit(X, y)
    assert capsys.readouterr().out == ""
    CategoricalClassifier(max_epochs=3, verbose=1).fit(X, y)
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    # A short fit: the first epoch and the budget's last (at most one line in 2 s).
    assert [line.split()[1] for line in lines[:2]] == ["1/3", "3/3"]
    assert all("train " in line and "patience " in line for line in lines[:2])
    assert "budget left <= " in lines[0] and "budget left" not in lines[1]
    assert "\x1b[" not in captured.out  # no terminal colour codes in log files
    assert captured.err == ""


SMALL_NO_EPOCHS = {key: value for key, value in SMALL.items() if key != "max_epochs"}


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_verbose_one_reports_a_long_fit_every_few_seconds(data, capsys, monkeypatch):
    from skprob._training import progress

    X, y = data
    monkeypatch.setattr(progress, "EPOCH_LOG_INTERVAL", 1e9)
    CategoricalClassifier(max_epochs=6, verbose=1, **SMALL_NO_EPOCHS).fit(X, y)
    epochs = [line.split()[1] for line in capsys.readouterr().out.splitlines()]
    assert epochs[:2] == ["1/6", "6/6"]
    monkeypatch.setattr(progress, "EPOCH_LOG_INTERVAL", 0.0)
    CategoricalClassifier(max_epochs=6, verbose=1, **SMALL_NO_EPOCHS).fit(X, y)
    epochs = [line.split()[1] for line in capsys.readouterr().out.splitlines()]
    assert epochs[:6] == [f"{k}/6" for k in range(1, 7)]


def test_verbose_two_prints_every_epoch(data, capsys):
    X, y = data
    CategoricalClassifier(max_epochs=3, verbose=2).fit(X, y)
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[1] for line in lines[:3]] == ["1/3", "2/3", "3/3"]


@pytest.mark.parametrize("early_stopping", [False, True])
def test_verbose_says_why_training_stopped_and_silence_stays_silent(
    data, capsys, early_stopping
):
    X, y = data
    # No improvement is large enough (tol): the patience of 2 epochs ends the fit.
    params = dict(tol=1e9, n_iter_no_change=2, early_stopping=early_stopping, **SMALL)
    CategoricalClassifier(verbose=0, **params).fit(X, y)
    assert capsys.readouterr().out == ""
    model = CategoricalClassifier(verbose=1, **params).fit(X, y)
    monitor = "valid" if early_stopping else "train"
    # With validation rows two plateaus lower the learning rate first, each later one
    # waiting ceil(0.25 * 2) = 1 epoch.
    assert model.n_iter_ == (5 if early_stopping else 3)
    wait = "1 epoch" if early_stopping else "2 epochs"
    # The best epoch of each member is that of its lowest loss, by any margin.
    assert re.fullmatch(
        rf"Stopping: the {monitor} loss has not improved by more than 1000000000.0 in "
        rf"the last {wait}; best epochs \[[1-5]\]\.",
        capsys.readouterr().out.splitlines()[-1],
    )


def test_verbose_two_adds_a_progress_bar_over_the_batches(data, capsys):
    X, y = data
    CategoricalClassifier(max_epochs=2, batch_size=10, verbose=2).fit(X, y)
    captured = capsys.readouterr()
    assert "epoch 2/2" in captured.out
    progress = [line for line in captured.err.splitlines() if "train batch" in line]
    # Not a terminal: a plain line at each tenth of the epoch, ending at the last batch.
    assert 2 * 5 <= len(progress) <= 2 * 11
    n_batches = progress[-1].split()[-1].split("/")[1]
    assert progress[-1].endswith(f"{n_batches}/{n_batches}")
    assert "\r" not in captured.err


@pytest.mark.parametrize("optimizer", ["adam", "sgd", "lbfgs"])
@pytest.mark.parametrize("nesterov", [False, True])
def test_every_optimizer_lowers_the_loss(optimizer, nesterov, data):
    if nesterov and optimizer != "sgd":
        pytest.skip("nesterov is an SGD option")
    X, y = data
    estimator = CategoricalClassifier(
        optimizer=optimizer, nesterov=nesterov, max_epochs=20, random_state=0
    ).fit(X, y)
    assert estimator.loss_curve_[-1] < estimator.loss_curve_[0]


def test_sgd_takes_the_momentum_and_nesterov_asked_for(data):
    X, y = data
    params = {**SMALL, "optimizer": "sgd", "max_epochs": 5}
    curves = {}
    for momentum, nesterov in [(0.0, False), (0.5, False), (0.5, True)]:
        model = CategoricalClassifier(momentum=momentum, nesterov=nesterov, **params).fit(
            X, y
        )
        group = model.net_.optimizer_.param_groups[0]
        assert (group["momentum"], group["nesterov"]) == (momentum, nesterov)
        curves[momentum, nesterov] = tuple(model.loss_curve_)
    assert len(set(curves.values())) == 3


def test_linear_model_has_no_hidden_layer(data):
    estimator = BernoulliClassifier(**{**SMALL, "hidden_layer_sizes": ()})
    estimator.fit(*data)
    linear_layers = [
        m for m in estimator.net_.module_.modules() if isinstance(m, EnsembleLinear)
    ]
    assert len(linear_layers) == 1
