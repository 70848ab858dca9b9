"""The Beta family: proportions in (0, 1), and beta regression as its linear model."""

import numpy as np
import pytest
import torch

from skprob import DistributionRegressor
from skprob.families import Beta
from skprob.metrics import negative_log_likelihood

from .conftest import LINEAR_EXACT

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


def proportions(n=400, seed=0, precision=15.0):
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(n, 3))
    mean = 1 / (1 + np.exp(-(0.3 + X @ np.array([0.8, -0.5, 0.0]))))
    return X, rng.beta(mean * precision, (1 - mean) * precision)


@pytest.mark.parametrize("n_targets", [1, 2])
def test_beta_nll_moments_and_start_are_scipys(n_targets):
    family = Beta(n_targets)
    rng = np.random.RandomState(1)
    raw = torch.as_tensor(rng.normal(scale=2.0, size=(50, 2 * n_targets)))
    y = rng.uniform(1e-6, 1 - 1e-6, size=(50, n_targets))
    params = family.params_numpy(raw)
    dist = family.scipy_distribution(params)
    np.testing.assert_allclose(
        family.nll(raw, torch.as_tensor(y)), -dist.logpdf(y).sum(axis=1), rtol=1e-9
    )
    np.testing.assert_allclose(
        family.nll(raw, torch.as_tensor(y)),
        -family.torch_distribution(family.params(raw)).log_prob(torch.as_tensor(y)),
        rtol=1e-9,
    )
    mean, variance = family.moments(params)
    np.testing.assert_allclose(mean, dist.mean(), rtol=1e-12)
    np.testing.assert_allclose(variance, dist.var(), rtol=1e-10)
    # The start has the weighted moments of y.
    weights = rng.randint(1, 4, size=50).astype(float)
    start = family.params_numpy(torch.as_tensor(family.initial_raw(y, weights))[None])
    m = np.average(y, axis=0, weights=weights)
    v = np.average((y - m) ** 2, axis=0, weights=weights)
    np.testing.assert_allclose(start["mean"][0], m, rtol=1e-10)
    np.testing.assert_allclose(start["precision"][0], m * (1 - m) / v - 1, rtol=1e-8)


# statsmodels' optimiser reports that it stopped short of gtol=1e-10; its maximum agrees
# with ours to the digits asserted.
@pytest.mark.filterwarnings("ignore::statsmodels.tools.sm_exceptions.ConvergenceWarning")
def test_a_linear_model_is_statsmodels_beta_regression():
    betareg = pytest.importorskip("statsmodels.othermod.betareg")
    X, y = proportions()
    design = np.column_stack([np.ones(len(X)), X])
    reference = betareg.BetaModel(y, design).fit(disp=False, maxiter=1000, gtol=1e-10)
    model = DistributionRegressor(
        distribution="beta", dispersion="constant", **LINEAR_EXACT
    ).fit(X, y)
    dist = model.predict_dist(X)
    np.testing.assert_allclose(
        -len(y) * negative_log_likelihood(y, dist), reference.llf, rtol=1e-8
    )
    np.testing.assert_allclose(model.predict(X), reference.predict(), rtol=1e-5)
    precision = np.exp(reference.params[-1])  # statsmodels' log link for phi
    np.testing.assert_allclose(dist.kwds["a"] + dist.kwds["b"], precision, rtol=1e-4)


@pytest.mark.parametrize("edge", [0.0, 1.0, 1.5])
def test_zeros_and_ones_are_refused_with_the_way_out(edge):
    X, y = proportions(n=50)
    y = y.copy()
    y[7] = edge
    with pytest.raises(ValueError, match=r"row 7 has y = .*squeeze them into \(0, 1\)"):
        DistributionRegressor(distribution="beta", max_epochs=2).fit(X, y)


def test_the_default_network_fits_proportions_better_than_a_normal():
    X, y = proportions(n=1500, precision=5.0)
    train, test = slice(0, 1000), slice(1000, None)
    scores = {}
    for name in ("beta", "normal"):
        model = DistributionRegressor(distribution=name, random_state=0, max_epochs=200)
        model.fit(X[train], y[train])
        scores[name] = negative_log_likelihood(y[test], model.predict_dist(X[test]))
        assert ((model.predict(X[test]) > 0) & (model.predict(X[test]) < 1)).all() or (
            name == "normal"
        )
    assert scores["beta"] < scores["normal"] - 0.05
    # The beta's intervals stay inside (0, 1).
    model = DistributionRegressor(distribution="beta", n_estimators=2, random_state=0)
    low, high = model.fit(X[train], y[train]).predict_dist(X[test]).interval(0.95)
    assert (low > 0).all() and (high < 1).all()
