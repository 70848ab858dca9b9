"""numeric_embedding="mixed": half the members see the ramps, the others the features."""

import pickle

import numpy as np
import pytest
import torch

from skprob import GaussianRegressor, SurvivalRegressor
from skprob._training.network import DistributionMLP

from .test_backward import _assert_backward_equals_autograd
from .test_survival import weibull_data

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

N_FEATURES, N_BINS = 3, 5


def _mixed_module(n_members):
    torch.manual_seed(2)
    module = DistributionMLP(
        N_FEATURES,
        (6, 5),
        "relu",
        2,
        n_members=n_members,
        numeric_embedding="mixed",
        n_piecewise_bins=N_BINS,
    ).double()
    module.set_piecewise_bins(
        np.repeat(np.arange(N_FEATURES), [2, 2, 1]),
        np.array([-1.0, 0.0, -0.5, 0.5, 0.0]),
        np.ones(N_BINS),
    )
    return module


def _ramp_weights(module):
    return module.body[0].weight.detach()[:, N_FEATURES:]


def test_odd_members_start_without_ramps_and_as_a_plain_layer_would():
    module = _mixed_module(4)
    ramps = _ramp_weights(module)
    assert torch.all(ramps[1::2] == 0)
    assert torch.all(ramps[0::2] != 0)
    # A plain member's first layer starts on +-1/sqrt(its own inputs), not the
    # encoded width's.
    features = module.body[0].weight.detach()[1::2, :N_FEATURES]
    bound = 1 / np.sqrt(N_FEATURES)
    assert features.abs().max() <= bound
    assert features.abs().max() > 1 / np.sqrt(N_FEATURES + N_BINS)


@pytest.mark.parametrize("shared_rows", [True, False])
def test_the_written_out_backward_pass_equals_autograd_and_leaves_the_ramps_alone(
    shared_rows,
):
    module = _mixed_module(3)
    generator = torch.Generator().manual_seed(5)
    shape = (9, N_FEATURES) if shared_rows else (3, 9, N_FEATURES)
    X = 2 * torch.randn(*shape, generator=generator, dtype=torch.float64)
    grad_raw = torch.randn(3, 9, 2, generator=generator, dtype=torch.float64)
    _assert_backward_equals_autograd(module, X, grad_raw)
    ramp_grads = module.body[0].weight.grad[1::2, N_FEATURES:]
    assert torch.all(ramp_grads == 0)


def _times(n=200):
    X, time, event = weibull_data(n=n, seed=3)
    return X, np.column_stack([time, event])


@pytest.mark.parametrize("optimizer", ["adam", "lbfgs"])  # written-out pass, autograd
def test_a_fitted_plain_member_ignores_the_ramps_and_an_encoded_one_uses_them(optimizer):
    X, y = _times()
    model = SurvivalRegressor(
        n_estimators=4,
        hidden_layer_sizes=(16, 16),
        max_epochs=20,
        optimizer=optimizer,
        random_state=0,
    ).fit(X, y)
    module = model.net_.module_
    n_features = X.shape[1]
    ramps = module.body[0].weight.detach()[:, n_features:]
    assert ramps.shape[1] > 0
    assert torch.all(ramps[1::2] == 0)  # Adam and weight decay kept them at zero
    assert torch.all(ramps[0::2].abs().sum(dim=(1, 2)) > 0)
    # Moving every bin changes what the encoded members see, not the others.
    before = model._network_raw(X)
    with torch.no_grad():
        module.encoding.bin_left.add_(0.7)
    after = model._network_raw(X)
    torch.testing.assert_close(after[1::2], before[1::2])
    assert not torch.allclose(after[0::2], before[0::2])


def test_a_mixed_model_round_trips_through_pickle():
    X, y = _times()
    model = SurvivalRegressor(
        n_estimators=2, hidden_layer_sizes=(8, 8), max_epochs=5, random_state=0
    ).fit(X, y)
    restored = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(restored.predict(X), model.predict(X))
    assert restored.net_.module_.body[0].input_mask is not None


def test_the_survival_default_is_ten_members_half_of_them_encoded():
    model = SurvivalRegressor()
    assert (model.n_estimators, model.numeric_embedding) == (10, "mixed")
    assert 'default="mixed"' in SurvivalRegressor.__doc__
    assert "n_estimators : int, default=10" in SurvivalRegressor.__doc__
    assert 'default="piecewise_linear"' in GaussianRegressor.__doc__


def test_mixed_with_one_network_or_no_bins_is_the_plain_encoding():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(120, 2))
    y = X[:, 0] + 0.1 * rng.normal(size=120)
    params = {"hidden_layer_sizes": (8,), "max_epochs": 5, "random_state": 0}
    mixed = GaussianRegressor(n_estimators=1, numeric_embedding="mixed", **params)
    encoded = GaussianRegressor(n_estimators=1, **params)
    np.testing.assert_allclose(mixed.fit(X, y).predict(X), encoded.fit(X, y).predict(X))
    flags = (X > 0).astype(float)  # no feature takes three values: no bins, no mask
    model = GaussianRegressor(n_estimators=2, numeric_embedding="mixed", **params)
    assert model.fit(flags, y).net_.module_.body[0].input_mask is None
