"""A fit maps its rows through the module's fixed map once, and trains as if per step."""

import numpy as np
import pytest
import torch
from sklearn.datasets import make_regression

from skprob import GaussianRegressor, HeteroscedasticRegressor
from skprob._training import run
from skprob._training.data import ArrayData
from skprob._training.network import DistributionMLP

FAST = {"n_estimators": 2, "hidden_layer_sizes": (8,), "max_epochs": 6}


@pytest.fixture(scope="module")
def data():
    X, y = make_regression(n_samples=300, n_features=4, noise=5.0, random_state=0)
    X[:, 0] = np.exp(X[:, 0])  # a heavy tail, for the feature map's clip
    return X, y


def _module(**kwargs):
    module = DistributionMLP(
        n_features=4,
        hidden_layer_sizes=(8,),
        activation="relu",
        n_network_outputs=2,
        **kwargs,
    ).double()
    return module


def test_the_rows_and_their_subsets_are_replaced_by_their_image(data):
    X, y = data
    module = _module(
        feature_scaling="robust", numeric_embedding="piecewise_linear", n_piecewise_bins=8
    )
    module.set_feature_statistics(np.ones(4), np.full(4, 0.5))
    module.set_piecewise_bins(
        np.repeat(np.arange(4), 2), np.tile([-1.0, 0.0], 4), np.ones(8)
    )
    arrays = ArrayData(X, y[:, None], dtype=torch.float64)
    train, valid = arrays.subset(np.arange(200)), arrays.subset(np.arange(200, 300))
    assert run.map_rows_once(module, arrays, train, valid)
    expected = module.fixed_map(torch.as_tensor(X))
    assert arrays.X.shape == (300, 12)
    torch.testing.assert_close(arrays.X, expected, rtol=0, atol=0)
    assert train.X is arrays.X and valid.X is arrays.X
    # The module's forward on mapped rows is its forward on the rows themselves.
    torch.testing.assert_close(
        module(arrays.X, mapped=True), module(torch.as_tensor(X)), rtol=1e-12, atol=1e-12
    )


def test_nothing_is_mapped_without_a_fixed_map_or_above_the_size_limit(data, monkeypatch):
    X, y = data
    arrays = ArrayData(X, y[:, None], dtype=torch.float64)
    before = arrays.X
    assert not run.map_rows_once(_module(), arrays)
    assert arrays.X is before
    monkeypatch.setattr(run, "MAP_ROWS_ONCE_MAX_BYTES", X.size * 8 - 1)
    assert not run.map_rows_once(_module(feature_scaling="robust"), arrays)
    assert arrays.X is before


@pytest.mark.filterwarnings("ignore:.*still improving")
@pytest.mark.parametrize("Estimator", [GaussianRegressor, HeteroscedasticRegressor])
def test_a_fit_on_mapped_rows_is_the_fit_with_the_map_at_every_step(
    Estimator, data, monkeypatch
):
    X, y = data
    X_before = X.copy()
    params = {**FAST, "compute_dtype": "float64", "random_state": 0}
    once = Estimator(**params).fit(X, y)
    assert once.net_.inputs_mapped() is False  # predictions see the user's rows
    monkeypatch.setattr(run, "MAP_ROWS_ONCE_MAX_BYTES", 0)
    every_step = Estimator(**params).fit(X, y)
    np.testing.assert_allclose(once.predict(X), every_step.predict(X), rtol=1e-9)
    np.testing.assert_allclose(
        once.validation_loss_curve_, every_step.validation_loss_curve_, rtol=1e-9
    )
    np.testing.assert_array_equal(X, X_before)
