"""Correlated outputs: the multivariate Normal family, its distribution object, the
linear model's closed form, and the energy score."""

import numpy as np
import pytest
import torch
from scipy import stats

from skprob import DistributionRegressor
from skprob.distributions import MultivariateNormalDistribution
from skprob.families import MultivariateNormal
from skprob.metrics import crps, energy_score, negative_log_likelihood

from .conftest import LINEAR_EXACT

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


def correlated(n=600, seed=0, correlation=0.6):
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(n, 3))
    cov = np.array([[1.0, correlation], [correlation, 1.0]]) * np.outer([2, 0.5], [2, 0.5])
    noise = rng.multivariate_normal(np.zeros(2), cov, size=n)
    mean = np.column_stack([X[:, 0] + 0.5 * X[:, 1], 10 - X[:, 2]])
    return X, mean + noise


def test_the_nll_is_torch_and_scipys():
    family = MultivariateNormal(3)
    rng = np.random.RandomState(0)
    raw = torch.as_tensor(rng.normal(size=(20, family.n_network_outputs)))
    y = rng.normal(size=(20, 3))
    params = family.params(raw)
    expected = -family.torch_distribution(params).log_prob(torch.as_tensor(y))
    np.testing.assert_allclose(family.nll(raw, torch.as_tensor(y)), expected, rtol=1e-10)
    numpy_params = family.params_numpy(raw)
    for i in range(3):
        cov = numpy_params["scale_tril"][i] @ numpy_params["scale_tril"][i].T
        reference = stats.multivariate_normal(numpy_params["loc"][i], cov).logpdf(y[i])
        np.testing.assert_allclose(-family.nll(raw, torch.as_tensor(y))[i], reference)
    # The start is the weighted mean and covariance of y.
    weights = rng.randint(1, 4, size=20).astype(float)
    start = family.params_numpy(torch.as_tensor(family.initial_raw(y, weights))[None])
    cov = np.cov(y.T, aweights=weights, bias=True)
    np.testing.assert_allclose(start["loc"][0], np.average(y, axis=0, weights=weights))
    tril = start["scale_tril"][0]
    np.testing.assert_allclose(tril @ tril.T, cov, atol=1e-5)


def test_the_distribution_of_a_mixture():
    rng = np.random.RandomState(1)
    loc = rng.normal(size=(4, 2, 3))
    tril = np.tril(rng.normal(size=(4, 2, 2, 3)).transpose(0, 3, 1, 2)).transpose(
        0, 2, 3, 1
    )
    tril[:, [0, 1], [0, 1], :] = np.abs(tril[:, [0, 1], [0, 1], :]) + 0.5
    dist = MultivariateNormalDistribution(loc, tril)
    y = rng.normal(size=(4, 2))
    densities = [
        [
            stats.multivariate_normal(
                loc[i, :, k], tril[i, :, :, k] @ tril[i, :, :, k].T
            ).pdf(y[i])
            for k in range(3)
        ]
        for i in range(4)
    ]
    np.testing.assert_allclose(dist.pdf(y), np.mean(densities, axis=1))
    draws = dist.rvs(size=200_000, random_state=0)
    np.testing.assert_allclose(draws.mean(axis=0), dist.mean(), atol=0.03)
    np.testing.assert_allclose(
        np.cov(draws[:, 0].T), dist.cov()[0], atol=0.05 * np.abs(dist.cov()[0]).max()
    )
    marginal = dist.marginal(1)
    np.testing.assert_allclose(marginal.mean(), dist.mean()[:, 1])
    np.testing.assert_allclose(marginal.std(), dist.std()[:, 1])


def test_a_linear_model_recovers_least_squares_and_the_residual_covariance():
    X, Y = correlated()
    model = DistributionRegressor(
        distribution="multivariate_normal",
        dispersion="constant",
        **{**LINEAR_EXACT, "compute_dtype": "float64"},
    ).fit(X, Y)
    design = np.column_stack([np.ones(len(X)), X])
    coefficients, *_ = np.linalg.lstsq(design, Y, rcond=None)
    fitted = design @ coefficients
    np.testing.assert_allclose(model.predict(X), fitted, rtol=1e-4, atol=1e-4)
    residual_cov = np.cov((Y - fitted).T, bias=True)  # maximum likelihood: divided by n
    np.testing.assert_allclose(model.predict_dist(X[:1]).cov()[0], residual_cov, rtol=1e-4)
    # predict's standard deviations are the marginal ones.
    _, std = model.predict(X[:5], return_std=True)
    np.testing.assert_allclose(
        std, np.sqrt(np.diag(residual_cov))[None].repeat(5, 0), rtol=1e-4
    )


def test_correlated_outputs_score_better_jointly_than_independently():
    X, Y = correlated(n=1500, correlation=0.8)
    train, test = slice(0, 1000), slice(1000, None)
    scores = {}
    for name in ("normal", "multivariate_normal"):
        model = DistributionRegressor(distribution=name, random_state=0).fit(
            X[train], Y[train]
        )
        scores[name] = negative_log_likelihood(Y[test], model.predict_dist(X[test]))
    assert scores["multivariate_normal"] < scores["normal"] - 0.2, scores
    dist = (
        DistributionRegressor(distribution="multivariate_normal", random_state=0)
        .fit(X[train], Y[train])
        .predict_dist(X[test])
    )
    np.testing.assert_allclose(dist.corr()[:, 0, 1].mean(), 0.8, atol=0.1)
    with pytest.raises(TypeError, match="energy_score"):
        crps(Y[test], dist)


def test_the_energy_score_prefers_the_right_dependence():
    rng = np.random.RandomState(0)
    cov = np.array([[1.0, 0.9], [0.9, 1.0]])
    y = rng.multivariate_normal(np.zeros(2), cov, size=400)
    right = MultivariateNormalDistribution(
        np.zeros((400, 2)), np.linalg.cholesky(cov)[None].repeat(400, 0)
    )
    independent = MultivariateNormalDistribution(
        np.zeros((400, 2)), np.eye(2)[None].repeat(400, 0)
    )
    assert energy_score(y, right) < energy_score(y, independent)
    scoringrules = pytest.importorskip("scoringrules")
    # scoringrules' estimator over an ensemble of 300 draws a row (all pairs of them).
    draws = right.rvs(size=300, random_state=1)
    reference = scoringrules.energy_score(y, np.moveaxis(draws, 0, 1)).mean()
    np.testing.assert_allclose(energy_score(y, right, n_samples=2000), reference, rtol=0.03)
