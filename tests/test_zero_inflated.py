"""Zero-inflated counts: the families, statsmodels' zero-inflated models as their linear
fits, and a search that prefers them where the zeros are in excess."""

import numpy as np
import pytest
import torch
from scipy import stats
from sklearn.model_selection import GridSearchCV

from skprob import DistributionRegressor, predict_dist
from skprob.families import ZeroInflatedNegativeBinomial, ZeroInflatedPoisson
from skprob.metrics import negative_log_likelihood, nll_scorer

from .conftest import LINEAR_EXACT

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

EXACT = {**LINEAR_EXACT, "compute_dtype": "float64"}


def zero_heavy_counts(n=600, seed=0, zero_probability=0.3, size=None):
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(n, 2))
    mean = np.exp(0.5 + 0.6 * X[:, 0] - 0.4 * X[:, 1])
    if size is None:
        counts = rng.poisson(mean)
    else:
        counts = rng.negative_binomial(size, size / (size + mean))
    return X, np.where(rng.uniform(size=n) < zero_probability, 0, counts).astype(float)


@pytest.mark.parametrize("family", [ZeroInflatedPoisson(), ZeroInflatedNegativeBinomial()])
def test_the_nll_is_the_mixture_of_a_point_mass_and_the_count_family(family):
    rng = np.random.RandomState(1)
    raw = torch.as_tensor(rng.normal(size=(60, family.n_network_outputs)))
    y = rng.poisson(1.5, size=(60, 1)).astype(float)
    params = family.params_numpy(raw)
    pi = params["zero_probability"][:, 0]
    count = {k: v[:, 0] for k, v in params.items() if k != "zero_probability"}
    pmf = family.count.scipy_distribution(count).pmf(y[:, 0])
    expected = -np.log(np.where(y[:, 0] == 0, pi, 0) + (1 - pi) * pmf)
    np.testing.assert_allclose(family.nll(raw, torch.as_tensor(y)), expected, rtol=1e-10)
    dist = family.scipy_distribution(params)
    np.testing.assert_allclose(-dist.logpmf(y), expected[:, None], rtol=1e-10)
    mean, variance = family.moments(params)
    np.testing.assert_allclose(mean, dist.mean(), rtol=1e-10)
    np.testing.assert_allclose(variance, dist.var(), rtol=1e-8)


def test_a_linear_model_is_statsmodels_zero_inflated_poisson():
    count_model = pytest.importorskip("statsmodels.discrete.count_model")
    X, y = zero_heavy_counts()
    design = np.column_stack([np.ones(len(X)), X])
    reference = count_model.ZeroInflatedPoisson(y, design, inflation="logit").fit(
        method="newton", maxiter=100, tol=1e-12, disp=False
    )
    model = DistributionRegressor(
        distribution="zero_inflated_poisson", dispersion="constant", **EXACT
    ).fit(X, y)
    log_likelihood = -len(y) * negative_log_likelihood(y, model.predict_dist(X))
    np.testing.assert_allclose(log_likelihood, reference.llf, rtol=1e-9)
    expected_mean = reference.predict(design, exog_infl=np.ones((len(y), 1)))
    # L-BFGS stops at its gradient tolerance (as in test_identities.py), here along the
    # flat valley where a larger rate trades against more structural zeros: 3e-10 of the
    # log-likelihood, 1e-4 of the means.
    np.testing.assert_allclose(model.predict(X), expected_mean, rtol=2e-4)


def test_a_search_prefers_the_zero_inflated_family_where_zeros_are_in_excess():
    X, y = zero_heavy_counts(n=900, zero_probability=0.4, size=3.0)
    search = GridSearchCV(
        DistributionRegressor(hidden_layer_sizes=(16,), random_state=0),
        {
            "distribution": [
                "poisson",
                "negative_binomial",
                "zero_inflated_poisson",
                "zero_inflated_negative_binomial",
            ]
        },
        scoring=nll_scorer,
        cv=3,
    ).fit(X, y)
    assert search.best_params_["distribution"].startswith("zero_inflated")
    dist = predict_dist(search, X[:5])
    # An ensemble's distribution: one mixture of the members' point masses and counts.
    assert dist.n_components == 2 * search.best_estimator_.n_estimators
    np.testing.assert_allclose(dist.pmf(0) + dist.sf(0), 1.0)
    assert (dist.pmf(0) > stats.poisson(dist.mean()).pmf(0)).all()


def test_zero_inflated_families_take_one_output():
    with pytest.raises(ValueError, match="one output"):
        ZeroInflatedPoisson(2)
