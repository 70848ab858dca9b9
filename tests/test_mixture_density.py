"""Mixture density networks: the NormalMixture family and MixtureDensityRegressor."""

import numpy as np
import pytest
import torch
from scipy import stats
from scipy.special import logsumexp, softmax

from skprob import HeteroscedasticRegressor, MixtureDensityRegressor
from skprob.distributions import MixtureDistribution
from skprob.families import Normal, NormalMixture
from skprob.metrics import negative_log_likelihood

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


def _raw(n_rows, k, seed=0):
    generator = torch.Generator().manual_seed(seed)
    return 2 * torch.randn(n_rows, 3 * k, generator=generator, dtype=torch.float64)


@pytest.mark.parametrize("link", ["softplus", "exp", "square"])
def test_nll_is_minus_the_log_of_the_weighted_sum_of_densities(link):
    family = NormalMixture(3, variance_link=link)
    raw = _raw(40, 3)
    y = torch.linspace(-4, 4, 40, dtype=torch.float64)[:, None]
    logits, loc, raw_variance = raw[:, :3], raw[:, 3:6], raw[:, 6:]
    variance = family._link(raw_variance) + family.variance_floor
    weights = softmax(logits.numpy(), axis=1)
    density = stats.norm.pdf(y.numpy(), loc.numpy(), np.sqrt(variance.numpy()))
    expected = -np.log((weights * density).sum(axis=1))
    np.testing.assert_allclose(family.nll(raw, y).numpy(), expected, rtol=1e-9)
    # The same as torch's MixtureSameFamily.
    torch_nll = -family.torch_distribution(family.params(raw)).log_prob(y)
    np.testing.assert_allclose(family.nll(raw, y).numpy(), torch_nll.numpy(), rtol=1e-9)


def test_nll_stays_finite_far_from_every_component():
    # Every density underflows to 0 at y = 1e3; the log of their sum would be -inf.
    family = NormalMixture(2)
    raw = torch.tensor([[0.0, 0.0, -1.0, 1.0, 0.0, 0.0]], dtype=torch.float64)
    nll = family.nll(raw, torch.tensor([[1e3]], dtype=torch.float64))
    assert torch.isfinite(nll).all() and float(nll) > 1e4


def test_one_component_is_the_normal_family():
    mixture, normal = NormalMixture(1), Normal(1, heteroscedastic=True)
    raw = _raw(30, 1)
    y = torch.randn(30, 1, dtype=torch.float64)
    # Any logit: one component has weight 1.
    np.testing.assert_allclose(
        mixture.nll(raw, y).numpy(), normal.nll(raw[:, 1:], y).numpy(), rtol=1e-12
    )
    y_np = np.random.RandomState(0).normal(3.0, 2.0, size=(200, 1))
    weights = np.ones(200)
    np.testing.assert_allclose(
        mixture.initial_raw(y_np, weights)[1:], normal.initial_raw(y_np, weights)
    )


def test_start_spreads_the_components_over_the_weighted_quantiles():
    family = NormalMixture(4)
    y = np.arange(100, dtype=float)[:, None]
    raw = family.initial_raw(y, np.ones(100))
    logits, means, raw_variance = raw[:4], raw[4:8], raw[8:]
    np.testing.assert_array_equal(logits, 0.0)
    np.testing.assert_allclose(means, [12, 37, 62, 87], atol=1)
    variance = family._link(torch.tensor(raw_variance)).numpy() + family.variance_floor
    np.testing.assert_allclose(variance, y.var() / 16)
    # Weights move the quantiles: the top half weighted 3x pulls every mean up.
    weights = np.where(y[:, 0] >= 50, 3.0, 1.0)
    weighted_means = family.initial_raw(y, weights)[4:8]
    assert np.all(weighted_means > means)


def test_the_mixture_mean_and_density_are_the_families():
    family = NormalMixture(3)
    params = family.params(_raw(10, 3))
    mean = (params["log_weights"].exp() * params["loc"]).sum(dim=1).numpy()
    dist = family.scipy_distribution({k: v.numpy() for k, v in params.items()})
    assert isinstance(dist, MixtureDistribution)
    np.testing.assert_allclose(dist.mean(), mean, rtol=1e-12)
    y = np.linspace(-2, 2, 10)
    np.testing.assert_allclose(
        -dist.logpdf(y),
        family.nll(_raw(10, 3), torch.tensor(y)[:, None]).numpy(),
        rtol=1e-9,
    )


def inverse_problem(n, seed):
    """x = y + 0.3 sin(2 pi y) + noise: several y for one x in the middle."""
    rng = np.random.RandomState(seed)
    y = rng.uniform(0, 1, size=n)
    x = y + 0.3 * np.sin(2 * np.pi * y) + rng.uniform(-0.1, 0.1, size=n)
    return x[:, None], y


@pytest.fixture(scope="module")
def inverse_data():
    X, y = inverse_problem(1500, 0)
    X_test, y_test = inverse_problem(1000, 1)
    return X, y, X_test, y_test


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_mixture_beats_one_normal_where_the_target_has_several_modes(inverse_data):
    X, y, X_test, y_test = inverse_data
    # 80 epochs: the default budget's 167 and 106 epochs move the NLLs by 0.03 and 0.01.
    params = dict(
        n_estimators=1, random_state=0, hidden_layer_sizes=(32, 32), max_epochs=80
    )
    mdn = MixtureDensityRegressor(n_components=3, **params).fit(X, y)
    normal = HeteroscedasticRegressor(**params).fit(X, y)
    mdn_nll = negative_log_likelihood(y_test, mdn.predict_dist(X_test))
    normal_nll = negative_log_likelihood(y_test, normal.predict_dist(X_test))
    assert mdn_nll < normal_nll - 0.3
    # In the middle, x = 0.5 comes from y near 0.2, 0.5 and 0.8: at least two
    # components carry weight there.
    dist = mdn.predict_dist([[0.5]])
    assert (dist.weights[0] > 0.1).sum() >= 2


def test_predict_is_the_mixture_mean_and_std_its_spread(inverse_data):
    X, y, X_test, _ = inverse_data
    reg = MixtureDensityRegressor(
        n_components=2, n_estimators=3, max_epochs=30, random_state=0
    ).fit(X, y)
    dist = reg.predict_dist(X_test[:50])
    assert dist.n_components == 6  # members x components
    np.testing.assert_allclose(dist.weights.sum(axis=1), 1.0)
    mean, std = reg.predict(X_test[:50], return_std=True)
    np.testing.assert_allclose(mean, dist.mean())
    np.testing.assert_allclose(std, dist.std())
    assert mean.shape == (50,)


def test_targets_are_in_the_units_of_y(inverse_data):
    X, y, X_test, y_test = inverse_data
    params = dict(n_components=2, n_estimators=1, max_epochs=40, random_state=0)
    small = MixtureDensityRegressor(**params).fit(X, y)
    large = MixtureDensityRegressor(**params).fit(X, 1000 * y + 50)
    np.testing.assert_allclose(
        large.predict(X_test[:20]), 1000 * small.predict(X_test[:20]) + 50, rtol=1e-4
    )
    # A density in units 1000 times larger is 1000 times lower: log(1000) more NLL.
    nll_small = -small.predict_dist(X_test[:20]).logpdf(y_test[:20])
    nll_large = -large.predict_dist(X_test[:20]).logpdf(1000 * y_test[:20] + 50)
    np.testing.assert_allclose(nll_large, nll_small + np.log(1000), rtol=1e-4)


def test_multi_output_targets_are_refused():
    X = np.random.RandomState(0).normal(size=(30, 2))
    with pytest.raises(ValueError, match="1d|one"):
        MixtureDensityRegressor().fit(X, np.ones((30, 2)))


def test_logsumexp_of_the_mixture_matches_the_network_loss(inverse_data):
    # The fitted model's held-out NLL through predict_dist equals the family's NLL on the
    # raw outputs, shifted by the log of the target scale.
    X, y, X_test, y_test = inverse_data
    # The network's own loss: no neighbour correction.
    reg = MixtureDensityRegressor(
        n_components=2,
        n_estimators=1,
        max_epochs=20,
        random_state=0,
        neighbor_correction="off",
    ).fit(X, y)
    raw, _ = reg._raw_predictions(X_test[:30])
    raw = raw[0]
    y_model = (y_test[:30] - reg.target_loc_) / reg.target_scale_
    expected = reg.family_.nll(raw.double(), torch.tensor(y_model)[:, None]).numpy()
    expected = expected + np.log(reg.target_scale_[0])
    got = -reg.predict_dist(X_test[:30]).logpdf(y_test[:30])
    np.testing.assert_allclose(got, expected, rtol=1e-4)
    log_weights = reg.predict_dist(X_test[:30]).log_weights
    np.testing.assert_allclose(logsumexp(log_weights, axis=1), 0.0, atol=1e-6)


def test_a_point_mass_cannot_collapse_a_component_below_the_floor():
    # Half the targets are exactly 0: a component that sits on them could shrink its
    # variance without bound (the NLL would go to minus infinity); the floor stops it.
    rng = np.random.RandomState(0)
    X = rng.uniform(-1, 1, size=(600, 1))
    y = np.where(rng.uniform(size=600) < 0.5, 0.0, rng.normal(2.0, 1.0, size=600))
    reg = MixtureDensityRegressor(
        n_components=2, n_estimators=1, variance_floor=1e-4, max_epochs=60, random_state=0
    ).fit(X, y)
    dist = reg.predict_dist(X[:50])
    smallest = np.sqrt(1e-4) * reg.target_scale_[0]
    assert dist.components.std().min() >= smallest * (1 - 1e-5)
    log_density_at_zero = dist.logpdf(np.zeros(50))
    assert np.isfinite(log_density_at_zero).all()
    assert log_density_at_zero.max() <= -np.log(smallest * np.sqrt(2 * np.pi)) + 1e-6
    assert np.isfinite(dist.weights).all()
