"""The count families (Poisson, negative binomial), their mixture, metrics and estimator."""

import math
import re

import numpy as np
import pytest
import torch
from scipy import stats
from sklearn.model_selection import GridSearchCV
from sklearn.utils.estimator_checks import parametrize_with_checks

from skprob import DistributionRegressor, GaussianRegressor
from skprob.distributions import DiscreteMixtureDistribution
from skprob.families import (
    ConstantDispersion,
    DistributionFamily,
    NegativeBinomial,
    Poisson,
)
from skprob.families.negative_binomial import MAX_START_SIZE
from skprob.families.poisson import MIN_START_RATE
from skprob.metrics import (
    coverage_scorer,
    interval_coverage,
    negative_log_likelihood,
    nll_scorer,
    pit,
    pit_calibration_error,
)

from .capped_checks import CHECK_EPOCHS, estimator_for
from .conftest import held_out_nll_by_distribution

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

SMALL_FIT = dict(n_estimators=1, hidden_layer_sizes=(16,), max_epochs=40, random_state=0)

COUNT_FAMILIES = [Poisson(1), NegativeBinomial(1), NegativeBinomial(2, size_link="exp")]


def _raw(family, n_rows=12, seed=0):
    generator = torch.Generator().manual_seed(seed)
    n_raw = family.n_network_outputs + family.n_shared_outputs
    return 2 * torch.randn(n_rows, n_raw, generator=generator, dtype=torch.float64)


def _counts(family, n_rows=12):
    values = np.arange(n_rows * family.n_targets) % 7 * 3.0  # 0, 3, ... 18
    return torch.as_tensor(values.reshape(n_rows, family.n_targets))


@pytest.mark.parametrize("family", COUNT_FAMILIES, ids=["poisson", "nb", "nb2_exp"])
def test_count_nll_is_minus_scipy_logpmf_and_torch_log_prob(family):
    raw, y = _raw(family), _counts(family)
    params = family.params_numpy(raw.numpy())
    expected = -family.scipy_distribution(params).logpmf(y.numpy()).sum(axis=1)
    np.testing.assert_allclose(family.nll(raw, y).numpy(), expected, rtol=1e-9)
    torch_nll = -family.torch_distribution(family.params(raw)).log_prob(y)
    np.testing.assert_allclose(torch_nll.numpy(), expected, rtol=1e-9)


@pytest.mark.parametrize("family", COUNT_FAMILIES, ids=["poisson", "nb", "nb2_exp"])
def test_count_moments_are_scipys(family):
    params = family.params_numpy(_raw(family).numpy())
    mean, variance = family.moments(params)
    dist = family.scipy_distribution(params)
    np.testing.assert_allclose(mean, dist.mean(), rtol=1e-12)
    np.testing.assert_allclose(variance, dist.var(), rtol=1e-10)


def test_poisson_nll_of_a_real_target_is_the_lgamma_continuation():
    # As sklearn's PoissonRegressor: y >= 0 real, log y! = lgamma(y + 1).
    raw = torch.tensor([[0.4]], dtype=torch.float64)
    y = torch.tensor([[2.5]], dtype=torch.float64)
    expected = np.exp(0.4) - 2.5 * 0.4 + math.lgamma(3.5)
    assert float(Poisson(1).nll(raw, y)[0]) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("family", COUNT_FAMILIES[:2], ids=["poisson", "nb"])
def test_count_gradient_is_autograds(family):
    raw, y = _raw(family), _counts(family)
    nll, grad = family.nll_and_grad(raw, y)
    expected_nll, expected_grad = DistributionFamily.nll_and_grad(family, raw, y)
    torch.testing.assert_close(nll, expected_nll)
    torch.testing.assert_close(grad, expected_grad, rtol=1e-10, atol=1e-12)


def test_count_families_start_at_the_weighted_moments():
    y = np.array([[0.0], [1.0], [2.0], [10.0]])
    weights = np.array([3.0, 1.0, 1.0, 1.0])
    mean = np.average(y[:, 0], weights=weights)
    variance = np.average((y[:, 0] - mean) ** 2, weights=weights)
    np.testing.assert_allclose(np.exp(Poisson(1).initial_raw(y, weights)), [mean])
    nb = NegativeBinomial(1, size_link="exp", size_floor=1e-12)
    raw = nb.initial_raw(y, weights)
    # Variance m + m^2 / r: the size of the moments.
    np.testing.assert_allclose(np.exp(raw), [mean, mean**2 / (variance - mean)])


def test_count_starts_stay_finite_for_zeros_and_under_dispersion():
    zeros = np.zeros((5, 1))
    np.testing.assert_allclose(
        np.exp(Poisson(1).initial_raw(zeros, np.ones(5))), MIN_START_RATE
    )
    nb = NegativeBinomial(1, size_link="exp", size_floor=1e-12)
    # Less spread than a Poisson: no negative binomial has it; the nearest is a large size.
    under = np.array([[2.0], [3.0], [2.0], [3.0]])
    np.testing.assert_allclose(
        np.exp(nb.initial_raw(under, np.ones(4))), [2.5, MAX_START_SIZE]
    )
    raw = nb.initial_raw(zeros, np.ones(5))
    assert np.isfinite(raw).all()
    np.testing.assert_allclose(np.exp(raw[0]), MIN_START_RATE)


# --- The mixture of count distributions -------------------------------------------------


def _nb_mixture():
    n = np.array([[2.0, 0.5, 5.0], [1.0, 3.0, 0.7]])
    p = np.array([[0.5, 0.1, 0.9], [0.3, 0.6, 0.2]])
    weights = np.array([[0.2, 0.3, 0.5], [0.6, 0.1, 0.3]])
    return DiscreteMixtureDistribution(stats.nbinom(n, p), weights), n, p, weights


def test_discrete_mixture_pmf_cdf_and_moments_are_the_weighted_components():
    dist, n, p, weights = _nb_mixture()
    k = np.array([0.0, 4.0])
    expected_pmf = (weights * stats.nbinom.pmf(k[:, None], n, p)).sum(axis=1)
    np.testing.assert_allclose(dist.pmf(k), expected_pmf, rtol=1e-12)
    np.testing.assert_allclose(dist.logpmf(k), np.log(expected_pmf), rtol=1e-12)
    expected_cdf = (weights * stats.nbinom.cdf(k[:, None], n, p)).sum(axis=1)
    np.testing.assert_allclose(dist.cdf(k), expected_cdf, rtol=1e-12)
    means = stats.nbinom.mean(n, p)
    mean = (weights * means).sum(axis=1)
    np.testing.assert_allclose(dist.mean(), mean)
    second = (weights * (stats.nbinom.var(n, p) + means**2)).sum(axis=1)
    np.testing.assert_allclose(dist.var(), second - mean**2)
    assert not hasattr(dist, "logpdf")


@pytest.mark.parametrize("q", [1e-6, 0.05, 0.3, 0.5, 0.77, 0.95, 0.999])
def test_discrete_mixture_ppf_is_the_smallest_integer_reaching_q(q):
    dist, _, _, _ = _nb_mixture()
    k = dist.ppf(q)
    np.testing.assert_array_equal(k, np.round(k))
    assert np.all(dist.cdf(k) >= q)
    assert np.all(dist.cdf(k - 1) < q)


def _smallest_integer_reaching(cdf, q, support):
    """Scan ``support``: the first ``k`` with ``cdf(k) >= q``."""
    return support[np.argmax(cdf(support) >= q)]


def test_discrete_mixture_ppf_of_several_outputs_and_scales_against_a_scan():
    # (rows, outputs, components) of Poisson rates at different scales; each element's
    # quantile comes from its own components.
    rate = np.array([[[1.0, 2.0], [50.0, 60.0]], [[300.0, 320.0], [0.5, 9.0]]])
    weights = np.array([[[0.5, 0.5], [0.2, 0.8]], [[0.9, 0.1], [0.4, 0.6]]])
    dist = DiscreteMixtureDistribution(stats.poisson(rate), weights)
    # Interior levels, the ends, and a level equal to a cdf value (whose quantile is
    # that integer itself), in one call.
    exact = dist.cdf(np.array([[1.0, 55.0], [310.0, 4.0]]))
    q = np.array([[[0.3, 0.0], [0.95, 1.0]], [[0.5, 0.7], [0.01, 0.999]]])
    for level in (q[..., 0], q[..., 1], exact):
        k = dist.ppf(level)
        assert k.shape == (2, 2)
        for i in range(2):
            for j in range(2):
                element = DiscreteMixtureDistribution(
                    stats.poisson(rate[i, j][None]), weights[i, j][None]
                )
                support = np.arange(-1.0, 1000.0)
                if level[i, j] == 0:
                    expected = -1.0
                elif level[i, j] == 1:
                    expected = np.inf
                else:
                    expected = _smallest_integer_reaching(
                        lambda s, e=element: np.array([e.cdf(np.array([v]))[0] for v in s]),
                        level[i, j],
                        support,
                    )
                assert k[i, j] == expected, (i, j, level[i, j])
    np.testing.assert_array_equal(dist.ppf(exact), [[1.0, 55.0], [310.0, 4.0]])


def test_discrete_mixture_ppf_ends_are_each_elements_support_ends():
    # Binomials shifted by loc: each element's support is [loc, loc + n], so scipy's
    # ppf(0) is loc - 1 and ppf(1) is loc + n, different for every element.
    n = np.array([[[3, 5], [10, 2]]])
    loc = np.array([[[0.0, 0.0], [100.0, 100.0]]])
    dist = DiscreteMixtureDistribution(stats.binom(n, 0.5, loc=loc), np.full(n.shape, 0.5))
    np.testing.assert_array_equal(dist.ppf(np.array([[0.0, 0.0]])), [[-1.0, 99.0]])
    np.testing.assert_array_equal(dist.ppf(np.array([[1.0, 1.0]])), [[5.0, 110.0]])
    # Mixed with interior levels in one call.
    np.testing.assert_array_equal(dist.ppf(np.array([[0.5, 0.0]]))[0, 1], 99.0)
    np.testing.assert_array_equal(dist.ppf(np.array([[1.0, 0.5]]))[0, 0], 5.0)


def test_discrete_mixture_logpmf_of_several_outputs_sums_each_elements_components():
    rate = np.array([[[1.0, 2.0], [50.0, 60.0], [7.0, 0.5]]])
    weights = np.array([[[0.5, 0.5], [0.2, 0.8], [0.9, 0.1]]])
    dist = DiscreteMixtureDistribution(stats.poisson(rate), weights)
    k = np.array([[1.0, 55.0, 3.0]])
    expected = np.log((weights * stats.poisson.pmf(k[..., None], rate)).sum(axis=-1))
    np.testing.assert_allclose(dist.logpmf(k), expected, rtol=1e-12)


def test_discrete_mixture_ppf_edges_follow_scipy():
    dist, _, _, _ = _nb_mixture()
    np.testing.assert_array_equal(dist.ppf(0.0), [-1.0, -1.0])  # scipy: below the support
    np.testing.assert_array_equal(dist.ppf(1.0), [np.inf, np.inf])
    assert np.isnan(dist.ppf(1.5)).all()


def test_discrete_mixture_draws_are_integers_with_its_mean():
    dist, _, _, _ = _nb_mixture()
    draws = dist.rvs(size=20000, random_state=0)
    np.testing.assert_array_equal(draws, np.round(draws))
    np.testing.assert_allclose(draws.mean(axis=0), dist.mean(), rtol=0.05)


# --- Metrics on counts ------------------------------------------------------------------


def test_nll_of_counts_is_minus_log_probability_and_refuses_non_integers():
    dist = stats.poisson([2.0, 3.0])
    expected = -np.mean(stats.poisson.logpmf([1, 4], [2.0, 3.0]))
    assert negative_log_likelihood([1, 4], dist) == pytest.approx(expected)
    message = (
        "y_true[1] = 4.5 is not an integer, but the distribution is over the integers "
        "(a count family): its probability there is 0. Score non-integer targets with a "
        "continuous distribution, or compare count and continuous models by CRPS."
    )
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        negative_log_likelihood([1, 4.5], dist)


def test_randomised_pit_of_counts_lies_in_the_jump_and_is_uniform_when_calibrated():
    rng = np.random.RandomState(0)
    rate = rng.uniform(0.2, 5.0, size=20000)
    y = rng.poisson(rate).astype(float)
    values = pit(y, stats.poisson(rate), random_state=1)  # not the seed of rate
    assert np.all(values >= stats.poisson.cdf(y - 1, rate))
    assert np.all(values <= stats.poisson.cdf(y, rate))
    assert stats.kstest(values, "uniform").pvalue > 0.01
    # The expected shares need no draws, and see calibration and its absence.
    assert pit_calibration_error(y, stats.poisson(rate)) < 0.01
    assert pit_calibration_error(y, stats.poisson(2 * rate)) > 0.1
    # The non-randomised F(y) of counts is not uniform: the jumps would show as error.
    below = np.mean(stats.poisson.cdf(y, rate) <= 0.5)
    assert abs(below - 0.5) > 0.05


def test_interval_coverage_of_a_count_mixture_holds_its_confidence():
    rng = np.random.RandomState(0)
    rate = rng.uniform(1.0, 20.0, size=(4000, 1)) * np.array([[0.8, 1.25]])
    y = rng.poisson(rate[np.arange(4000), rng.randint(0, 2, size=4000)]).astype(float)
    dist = DiscreteMixtureDistribution(stats.poisson(rate))
    # An interval of counts holds at least its confidence (the ends are included).
    assert interval_coverage(y, dist, confidence=0.8) >= 0.8
    assert interval_coverage(y, dist, confidence=0.8) < 0.9


# --- The estimator ----------------------------------------------------------------------


def _poisson_data(n, seed, dispersion_size=None):
    rng = np.random.RandomState(seed)
    X = rng.uniform(-1, 1, size=(n, 2))
    mean = np.exp(1.0 + X[:, 0] - 0.5 * X[:, 1])
    if dispersion_size is None:
        return X, rng.poisson(mean).astype(float)
    p = dispersion_size / (dispersion_size + mean)
    return X, rng.negative_binomial(dispersion_size, p).astype(float)


@pytest.mark.parametrize("distribution", ["poisson", "negative_binomial"])
def test_count_targets_outside_the_support_are_refused(distribution):
    X, y = _poisson_data(50, 0)
    y[4] = -1.0
    with pytest.raises(ValueError, match=f"{distribution}.*y >= 0.*row 4 has y = -1.0"):
        DistributionRegressor(distribution=distribution).fit(X, y)


def test_count_families_train_on_y_as_it_is_and_accept_real_targets():
    X, y = _poisson_data(300, 0)
    reg = DistributionRegressor(distribution="poisson", **SMALL_FIT).fit(X, y + 0.5)
    np.testing.assert_array_equal(reg.target_scale_, [1.0])
    np.testing.assert_array_equal(reg.target_loc_, [0.0])
    dist = reg.predict_dist(X[:5])
    assert dist.dist.name == "poisson"
    mean, std = reg.predict(X[:5], return_std=True)
    np.testing.assert_allclose(mean, dist.mean())
    np.testing.assert_allclose(std, dist.std())


def test_count_ensemble_predicts_the_discrete_mixture_of_its_members():
    X, y = _poisson_data(300, 0)
    reg = DistributionRegressor(
        distribution="negative_binomial", n_estimators=3, max_epochs=5, random_state=0
    ).fit(X, y)
    dist = reg.predict_dist(X[:5])
    assert isinstance(dist, DiscreteMixtureDistribution)
    assert dist.n_components == 3
    mean, std = reg.predict(X[:5], return_std=True)
    np.testing.assert_allclose(mean, dist.mean(), rtol=1e-10)
    np.testing.assert_allclose(std, dist.std(), rtol=1e-10)


def test_over_dispersed_counts_prefer_the_negative_binomial():
    train, test = _poisson_data(1500, 0, dispersion_size=1.0), _poisson_data(2000, 1, 1.0)
    search = GridSearchCV(
        DistributionRegressor(**SMALL_FIT),
        {"distribution": ["poisson", "negative_binomial"]},
        scoring=nll_scorer,
        cv=2,
    ).fit(*train)
    assert search.best_params_ == {"distribution": "negative_binomial"}
    # The held-out NLL of the folds: the Poisson's is far behind.
    nll = held_out_nll_by_distribution(search)
    assert nll["negative_binomial"] < nll["poisson"] - 0.1
    # Scorers other than the NLL work on counts too.
    assert coverage_scorer(0.9)(search, *test) > -0.1


def test_constant_dispersion_normal_is_the_gaussian_regressor(diabetes):
    X, y = diabetes
    params = dict(n_estimators=2, max_epochs=5, random_state=0)
    ours = DistributionRegressor(distribution="normal", dispersion="constant", **params)
    theirs = GaussianRegressor(**params)
    assert isinstance(ours.fit(X, y).family_, ConstantDispersion)
    np.testing.assert_array_equal(ours.predict(X[:20]), theirs.fit(X, y).predict(X[:20]))
    np.testing.assert_array_equal(
        ours.predict_dist(X[:20]).std(), theirs.predict_dist(X[:20]).std()
    )


def test_constant_dispersion_learns_one_shape_for_all_rows():
    X, y = _poisson_data(400, 0, dispersion_size=2.0)
    reg = DistributionRegressor(
        distribution="negative_binomial", dispersion="constant", **SMALL_FIT
    ).fit(X, y)
    sizes = reg.predict_dist(X[:50]).kwds["n"]
    np.testing.assert_allclose(sizes, sizes[0])
    assert 1.0 < sizes[0] < 4.0  # the simulated size is 2


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@parametrize_with_checks(
    # The training code is checked at the default budget in test_common; these checks
    # are of the count families' parameters, starts, NLLs and distributions.
    [
        DistributionRegressor(distribution="poisson", max_epochs=CHECK_EPOCHS),
        DistributionRegressor(
            distribution="negative_binomial", dispersion="constant", max_epochs=CHECK_EPOCHS
        ),
        DistributionRegressor(
            distribution="zero_inflated_poisson", max_epochs=CHECK_EPOCHS
        ),
        DistributionRegressor(
            distribution="zero_inflated_negative_binomial", max_epochs=CHECK_EPOCHS
        ),
    ]
)
def test_sklearn_compatible_count_families(estimator, check):
    # The checks that cannot tell a long fit from a short one run shorter still.
    check(estimator_for(check, estimator))
