"""Piecewise-linear encoding of the features: bins, values, defaults, persistence."""

import pickle

import numpy as np
import pytest
import torch
from scipy import sparse

from skprob import (
    BernoulliClassifier,
    CategoricalClassifier,
    GaussianRegressor,
    HeteroscedasticRegressor,
)
from skprob._training.piecewise_linear import (
    PiecewiseLinearEncoding,
    piecewise_linear_bins,
)

from .conftest import SMALL

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


def _encoding(model):
    return model.net_.module_.encoding


def _bins_per_feature(model, n_features):
    return np.bincount(_encoding(model).bin_features.numpy(), minlength=n_features)


def test_a_flag_and_a_constant_get_no_bins_and_ties_merge():
    knots = np.array(
        [
            [0.0, 1.0, 2.0, 4.0],  # three bins
            [0.0, 0.0, 1.0, 1.0],  # a flag: its ramp would be itself
            [5.0, 5.0, 5.0, 5.0],  # constant
            [0.0, 0.0, 2.0, 3.0],  # a tie: two bins
        ]
    )
    features, left, width = piecewise_linear_bins(knots)
    np.testing.assert_array_equal(features, [0, 0, 0, 3, 3])
    np.testing.assert_array_equal(left, [0.0, 1.0, 2.0, 0.0, 2.0])
    np.testing.assert_array_equal(width, [1.0, 1.0, 2.0, 2.0, 1.0])


def test_no_feature_with_bins_gives_an_empty_encoding():
    features, left, width = piecewise_linear_bins(np.zeros((2, 5)))
    assert features.shape == left.shape == width.shape == (0,)
    encoding = PiecewiseLinearEncoding(n_features=2, n_bins=0)
    X = torch.randn(4, 2)
    torch.testing.assert_close(encoding(X), X)


def test_the_ramps_rebuild_the_feature_inside_its_range_and_saturate_outside():
    knots = np.array([[0.0, 1.0, 3.0, 6.0], [-1.0, 0.0, 0.5, 1.0]])
    encoding = PiecewiseLinearEncoding(n_features=2, n_bins=6).double()
    encoding.set_bins(*piecewise_linear_bins(knots))
    X = torch.tensor(
        [[0.5, -1.0], [2.0, 0.25], [6.0, 1.0], [-4.0, 9.0]], dtype=torch.float64
    )
    out = encoding(X)
    assert out.shape == (4, 8)
    torch.testing.assert_close(out[:, :2], X)
    ramps = out[:, 2:]
    # Row 1, feature 0 at 2.0: the first bin full, the second half way, the third empty.
    torch.testing.assert_close(
        ramps[1, :3], torch.tensor([1.0, 0.5, 0.0], dtype=torch.float64)
    )
    # Inside the range: the left end plus each ramp times its width is the feature.
    widths = torch.tensor([1.0, 2.0, 3.0, 1.0, 0.5, 0.5], dtype=torch.float64)
    rebuilt = torch.stack(
        [
            knots[0, 0] + (ramps[:3, :3] * widths[:3]).sum(1),
            knots[1, 0] + (ramps[:3, 3:] * widths[3:]).sum(1),
        ],
        dim=1,
    )
    torch.testing.assert_close(rebuilt, X[:3])
    # Outside: 0 below the first knot, 1 above the last; the feature itself goes on.
    torch.testing.assert_close(
        ramps[3], torch.tensor([0.0, 0, 0, 1, 1, 1], dtype=torch.float64)
    )


DEFAULT_NETWORK = {"n_estimators": 1, "max_epochs": 2, "random_state": 0}


def test_the_defaults_bin_regressors_finely_and_classifiers_coarsely():
    rng = np.random.RandomState(0)
    X = np.column_stack(
        [rng.normal(size=400), rng.randint(0, 2, 400), rng.randint(0, 3, 400)]
    )
    y = X[:, 0] + rng.normal(scale=0.1, size=400)
    regressor = HeteroscedasticRegressor(**DEFAULT_NETWORK).fit(X, y)
    # 16 bins for the continuous column; none for the flag; two for three values.
    np.testing.assert_array_equal(_bins_per_feature(regressor, 3), [16, 0, 2])
    classifier = BernoulliClassifier(**DEFAULT_NETWORK).fit(X, y > 0)
    np.testing.assert_array_equal(_bins_per_feature(classifier, 3), [4, 0, 2])
    assert CategoricalClassifier(**DEFAULT_NETWORK).fit(X, y > 0).net_.module_.encoding


@pytest.mark.parametrize(
    ("n_features", "hidden_layer_sizes", "bins_each"),
    # Budgets: (20 * 50 + 50 * 50 + 50 * 2) / 50 = 72 ramps; (4 * 16 + 16 * 2) / 16 = 6,
    # less than two bins (three knots) for each of four features.
    [(20, (50, 50), 3), (4, (16,), 0), (2, (50, 50), 16)],
)
def test_the_ramps_add_at_most_the_networks_own_multiply_adds(
    n_features, hidden_layer_sizes, bins_each
):
    rng = np.random.RandomState(1)
    X = rng.normal(size=(300, n_features))
    y = X.sum(1)
    params = {**DEFAULT_NETWORK, "hidden_layer_sizes": hidden_layer_sizes}
    model = HeteroscedasticRegressor(**params).fit(X, y)
    assert set(_bins_per_feature(model, n_features)) == {bins_each}
    module = model.net_.module_
    first = module.weight_matrices()[0]
    rest = (
        sum(w[0].numel() for w in module.weight_matrices()[1:])
        + n_features * first.shape[2]
    )
    assert (first.shape[1] - n_features) * first.shape[2] <= rest


def test_a_linear_model_and_the_other_embeddings_take_the_features_alone():
    X = np.random.RandomState(1).normal(size=(100, 2))
    y = X @ [1.0, 2.0]
    assert (
        _encoding(GaussianRegressor(**{**SMALL, "hidden_layer_sizes": ()}).fit(X, y))
        is None
    )
    for embedding in ("none", "periodic"):
        model = GaussianRegressor(**SMALL, numeric_embedding=embedding).fit(X, y)
        assert _encoding(model) is None


def test_bins_sit_at_weighted_quantiles_so_integer_weights_act_as_repeats():
    rng = np.random.RandomState(2)
    X = rng.lognormal(size=(60, 2))
    y = X[:, 0] + rng.normal(size=60)
    weights = rng.randint(1, 4, size=60)
    # One precision for both: the repeated rows are more than the float32 threshold.
    params = {**SMALL, "compute_dtype": "float64"}
    weighted = HeteroscedasticRegressor(**params).fit(X, y, sample_weight=weights)
    repeated = HeteroscedasticRegressor(**params).fit(
        np.repeat(X, weights, axis=0), np.repeat(y, weights)
    )
    for name in ("bin_features", "bin_left", "bin_inverse_width"):
        torch.testing.assert_close(
            getattr(_encoding(weighted), name), getattr(_encoding(repeated), name)
        )


def test_sparse_input_gets_the_same_bins_and_predictions_as_dense():
    rng = np.random.RandomState(3)
    X = rng.exponential(size=(200, 3)) * (rng.uniform(size=(200, 3)) < 0.6)
    y = X.sum(1) + rng.normal(scale=0.1, size=200)
    # The networks compare: the neighbour correction is fitted for dense rows only.
    params = {**SMALL, "neighbor_correction": "off"}
    dense = HeteroscedasticRegressor(**params).fit(X, y)
    from_sparse = HeteroscedasticRegressor(**params).fit(sparse.csr_matrix(X), y)
    torch.testing.assert_close(_encoding(dense).bin_left, _encoding(from_sparse).bin_left)
    np.testing.assert_allclose(
        from_sparse.predict(sparse.csr_matrix(X)), dense.predict(X), rtol=1e-5
    )


def test_an_encoded_model_round_trips_and_predicts_far_outside_its_bins():
    rng = np.random.RandomState(4)
    X = rng.uniform(-1, 1, size=(200, 2))
    y = np.abs(X[:, 0]) + rng.normal(scale=0.05, size=200)
    model = HeteroscedasticRegressor(**SMALL).fit(X, y)
    loaded = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(loaded.predict(X), model.predict(X))
    far = np.array([[1e6, -1e6], [-50.0, 50.0]])
    mean, std = model.predict(far, return_std=True)
    assert np.all(np.isfinite(mean)) and np.all(std > 0)


def test_the_encoding_follows_a_sharp_step_the_plain_network_rounds_off():
    # A threshold in a feature, as trees find them: the ramps put a knot near it.
    rng = np.random.RandomState(5)
    X = rng.uniform(0, 1, size=(1500, 2))
    y = (
        np.where(X[:, 0] > 0.37, 2.0, 0.0)
        + 0.5 * X[:, 1]
        + rng.normal(scale=0.1, size=1500)
    )
    train, test = slice(0, 1000), slice(1000, None)
    # The rows within 0.05 of the step, where rounding it off costs.
    near = np.abs(X[test, 0] - 0.37) < 0.05
    scores, near_step = {}, {}
    for embedding in ("piecewise_linear", "none"):
        model = HeteroscedasticRegressor(
            random_state=0, n_estimators=1, numeric_embedding=embedding
        ).fit(X[train], y[train])
        nll = -model.predict_dist(X[test]).logpdf(y[test])
        scores[embedding], near_step[embedding] = nll.mean(), nll[near].mean()
    assert scores["piecewise_linear"] < scores["none"]
    assert near_step["piecewise_linear"] < near_step["none"] - 0.3
