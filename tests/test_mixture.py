"""MixtureDistribution: every method against a direct computation from its components."""

import warnings

import numpy as np
import pytest
from scipy import stats
from scipy.special import logsumexp

from skprob.distributions import MixtureDistribution, mixture_distribution
from skprob.metrics import (
    crps,
    interval_coverage,
    negative_log_likelihood,
    pit,
)
from skprob.metrics._crps import crps_from_quantiles


@pytest.fixture
def mixture():
    """Three rows of three Normal components with unequal weights."""
    loc = np.array([[-2.0, 0.0, 3.0], [1.0, 1.5, 2.0], [0.0, 10.0, -5.0]])
    scale = np.array([[0.5, 1.0, 2.0], [0.3, 0.3, 0.3], [1.0, 0.1, 4.0]])
    weights = np.array([[0.2, 0.5, 0.3], [0.6, 0.3, 0.1], [0.1, 0.1, 0.8]])
    return MixtureDistribution(stats.norm(loc, scale), weights), loc, scale, weights


def test_density_and_cdf_are_weighted_sums_of_the_components(mixture):
    dist, loc, scale, weights = mixture
    y = np.array([0.3, 1.2, -7.0])
    pdf = (weights * stats.norm.pdf(y[:, None], loc, scale)).sum(axis=1)
    cdf = (weights * stats.norm.cdf(y[:, None], loc, scale)).sum(axis=1)
    np.testing.assert_allclose(dist.pdf(y), pdf, rtol=1e-12)
    np.testing.assert_allclose(dist.logpdf(y), np.log(pdf), rtol=1e-12)
    np.testing.assert_allclose(dist.cdf(y), cdf, rtol=1e-12)
    np.testing.assert_allclose(dist.sf(y), 1 - cdf, rtol=1e-10)


def test_log_density_is_finite_where_every_density_underflows(mixture):
    dist, loc, scale, weights = mixture
    y = np.array([60.0, 60.0, 300.0])  # every component's pdf is 0.0 in float64
    expected = logsumexp(
        np.log(weights) + stats.norm.logpdf(y[:, None], loc, scale), axis=1
    )
    assert np.all(np.isfinite(dist.logpdf(y)))
    np.testing.assert_allclose(dist.logpdf(y), expected, rtol=1e-12)


def test_mean_and_variance_are_the_law_of_total_variance(mixture):
    dist, loc, scale, weights = mixture
    mean = (weights * loc).sum(axis=1)
    second_moment = (weights * (scale**2 + loc**2)).sum(axis=1)
    np.testing.assert_allclose(dist.mean(), mean, rtol=1e-12)
    np.testing.assert_allclose(dist.var(), second_moment - mean**2, rtol=1e-10)
    np.testing.assert_allclose(dist.std(), np.sqrt(second_moment - mean**2), rtol=1e-10)


@pytest.mark.parametrize("q", [1e-9, 0.01, 0.3, 0.5, 0.77, 0.999])
def test_ppf_inverts_the_cdf(mixture, q):
    dist, *_ = mixture
    x = dist.ppf(q)
    np.testing.assert_allclose(dist.cdf(x), q, rtol=1e-9, atol=1e-15)
    # The quantile lies between the components' quantiles.
    assert np.all(x >= dist.components.ppf(q).min(axis=1) - 1e-12)
    assert np.all(x <= dist.components.ppf(q).max(axis=1) + 1e-12)


def test_ppf_edges_and_median_and_interval(mixture):
    dist, *_ = mixture
    np.testing.assert_array_equal(dist.ppf(0.0), -np.inf)
    np.testing.assert_array_equal(dist.ppf(1.0), np.inf)
    assert np.isnan(dist.ppf(1.5)).all()
    np.testing.assert_allclose(dist.cdf(dist.median()), 0.5, rtol=1e-10)
    low, high = dist.interval(0.8)
    np.testing.assert_allclose(dist.cdf(high) - dist.cdf(low), 0.8, rtol=1e-9)
    np.testing.assert_allclose(dist.cdf(low), 0.1, rtol=1e-9)


def test_one_component_is_that_component():
    loc, scale = np.array([0.5, -1.0]), np.array([2.0, 0.1])
    dist = MixtureDistribution(stats.norm(loc[:, None], scale[:, None]))
    normal = stats.norm(loc, scale)
    y = np.array([1.0, -1.2])
    for method in ("logpdf", "cdf"):
        np.testing.assert_allclose(getattr(dist, method)(y), getattr(normal, method)(y))
    np.testing.assert_allclose(dist.ppf([0.2, 0.9]), normal.ppf([0.2, 0.9]), rtol=1e-10)
    np.testing.assert_allclose(dist.std(), normal.std())
    np.testing.assert_allclose(dist.crps(y), crps_normal(y, loc, scale), rtol=1e-12)


def crps_normal(y, loc, scale):
    z = (y - loc) / scale
    return scale * (z * (2 * stats.norm.cdf(z) - 1) + 2 * stats.norm.pdf(z) - np.pi**-0.5)


def test_closed_form_crps_equals_the_quantile_integral(mixture):
    dist, *_ = mixture
    y = np.array([0.3, 1.2, -7.0])
    np.testing.assert_allclose(dist.crps(y), crps_from_quantiles(y, dist), rtol=2e-3)
    # The metric takes the closed form.
    np.testing.assert_allclose(crps(y, dist, multioutput="raw_values"), dist.crps(y).mean())


def test_draws_follow_the_mixture(mixture):
    dist, *_ = mixture
    draws = dist.rvs(size=200_000, random_state=0)
    assert draws.shape == (200_000, 3)
    np.testing.assert_allclose(draws.mean(axis=0), dist.mean(), atol=0.03)
    np.testing.assert_allclose(draws.std(axis=0), dist.std(), rtol=0.01)
    # The share below a point is the CDF there.
    np.testing.assert_allclose((draws < 0.5).mean(axis=0), dist.cdf(0.5), atol=0.005)
    assert dist.rvs(random_state=1).shape == (3,)
    np.testing.assert_array_equal(dist.rvs(random_state=1), dist.rvs(random_state=1))


def test_multi_output_shapes():
    loc = np.arange(24, dtype=float).reshape(4, 2, 3)
    dist = MixtureDistribution(stats.norm(loc, 1.0))
    assert dist.shape == (4, 2)
    assert dist.mean().shape == dist.logpdf(np.zeros((4, 2))).shape == (4, 2)
    np.testing.assert_allclose(dist.mean(), loc.mean(axis=2))
    assert dist.ppf(np.full((4, 2), 0.3)).shape == (4, 2)


def test_learned_log_weights_are_used_as_given():
    log_weights = np.log([[0.9, 0.1]])
    dist = MixtureDistribution(stats.norm([[0.0, 5.0]], 1.0), log_weights=log_weights)
    np.testing.assert_allclose(dist.mean(), [0.5])


@pytest.mark.parametrize(
    "weights, match", [([[0.5, 0.6]], "sum to one"), ([[1.5, -0.5]], "non-negative")]
)
def test_bad_weights_are_refused(weights, match):
    with pytest.raises(ValueError, match=match):
        MixtureDistribution(stats.norm([[0.0, 1.0]], 1.0), weights)


def test_metrics_accept_a_mixture(mixture):
    dist, *_ = mixture
    y = np.array([0.3, 1.2, -7.0])
    assert negative_log_likelihood(y, dist) == pytest.approx(-dist.logpdf(y).mean())
    np.testing.assert_allclose(pit(y, dist), dist.cdf(y))
    low, high = dist.interval(0.5)
    inside = ((y >= low) & (y <= high)).mean()
    assert interval_coverage(y, dist, confidence=0.5) == pytest.approx(inside)


def test_survival_function_and_its_inverse_keep_the_far_tail(mixture):
    dist, loc, scale, weights = mixture
    y = np.array([20.0, 10.0, 60.0])  # 1 - cdf is 0 in float64 here; sf is not
    expected = (weights * stats.norm.sf(y[:, None], loc, scale)).sum(axis=1)
    np.testing.assert_allclose(dist.sf(y), expected, rtol=1e-12)
    assert np.all(dist.sf(y) > 0)
    for q in (0.05, 0.5, 0.9):
        np.testing.assert_allclose(dist.isf(q), dist.ppf(1 - q), rtol=1e-12)
        np.testing.assert_allclose(dist.sf(dist.isf(q)), q, rtol=1e-9)
    # Multi-output: the sum runs over the components, not over the outputs.
    two = MixtureDistribution(stats.norm(np.zeros((2, 3, 2)), 1.0), np.full((2, 3, 2), 0.5))
    assert two.sf(np.zeros((2, 3))).shape == (2, 3)
    np.testing.assert_allclose(two.sf(np.zeros((2, 3))), 0.5)


def test_interval_edges_and_bad_confidence(mixture):
    dist, *_ = mixture
    low, high = dist.interval(1.0)
    np.testing.assert_array_equal(low, -np.inf)
    np.testing.assert_array_equal(high, np.inf)
    low, high = dist.interval(0.0)
    np.testing.assert_allclose(low, dist.median())
    np.testing.assert_allclose(high, dist.median())
    for bad in (-0.1, 1.5):
        with pytest.raises(ValueError, match=rf"confidence must be in \[0, 1\], got {bad}"):
            dist.interval(bad)


def test_repr_names_the_shape_and_the_components(mixture):
    dist, *_ = mixture
    assert repr(dist) == "MixtureDistribution(shape=(3,), n_components=3)"


def test_ppf_is_exact_on_rows_of_very_different_scales():
    # Each row's bisection starts from its own components' quantiles: a bracket shared
    # by all rows (1e12 wide here) would leave 64 halvings 5e-8 short on the first row.
    loc = np.array([[-1e12, -1e12 + 3.0], [0.0, 0.5], [1e12, 1e12 + 3.0]])
    dist = MixtureDistribution(stats.norm(loc, 1.0), [[0.5, 0.5], [0.3, 0.7], [0.5, 0.5]])
    q = np.array([0.8, 0.3, 0.8])
    x = dist.ppf(q)
    # The outer rows are only as exact as float64 spacing at 1e12 (1.2e-4) allows.
    np.testing.assert_allclose(dist.cdf(x)[1], q[1], rtol=1e-12)
    np.testing.assert_allclose(dist.cdf(x)[[0, 2]], q[[0, 2]], rtol=1e-3)
    # Against a root finder on the middle row.
    from scipy.optimize import brentq

    row = MixtureDistribution(stats.norm(loc[1:2], 1.0), [[0.3, 0.7]])
    root = brentq(lambda t: row.cdf(np.array([t]))[0] - 0.3, -10, 10, xtol=1e-15)
    np.testing.assert_allclose(x[1], root, rtol=1e-12, atol=1e-14)


def test_ppf_of_several_outputs_takes_each_elements_components():
    # (rows, outputs, components): the quantile of each (row, output) element.
    loc = np.array(
        [[[0.0, 1.0], [10.0, 12.0], [-4.0, -3.0]], [[5.0, 6.0], [0.0, 0.1], [2.0, 9.0]]]
    )
    weights = np.full(loc.shape, 0.5)
    dist = MixtureDistribution(stats.norm(loc, 0.5), weights)
    q = np.array([[0.2, 0.5, 0.9], [0.05, 0.6, 0.99]])
    x = dist.ppf(q)
    assert x.shape == (2, 3)
    for i in range(2):
        for j in range(3):
            element = MixtureDistribution(stats.norm(loc[i, j][None], 0.5), [[0.5, 0.5]])
            np.testing.assert_allclose(element.cdf(x[i, j][None]), [q[i, j]], rtol=1e-12)


@pytest.mark.parametrize("discrete", [False, True])
def test_mixture_distribution_passes_weights_or_log_weights_on(discrete):
    components = stats.poisson([[1.0, 30.0]]) if discrete else stats.norm([[0.0, 5.0]])
    expected_mean = 0.9 * components.mean()[0, 0] + 0.1 * components.mean()[0, 1]
    by_weights = mixture_distribution(components, [[0.9, 0.1]])
    by_log_weights = mixture_distribution(components, log_weights=np.log([[0.9, 0.1]]))
    for dist in (by_weights, by_log_weights):
        np.testing.assert_allclose(dist.mean(), [expected_mean])


def test_draws_of_several_outputs_come_from_each_elements_components():
    # (rows, outputs, components), elements far apart: a draw taken from another
    # element's components, or with the component chosen along the wrong axis, lands
    # near that element's values instead.
    loc = np.array([[[0.0, 1.0], [100.0, 101.0]], [[-50.0, -49.0], [1000.0, 1002.0]]])
    weights = np.array([[[0.2, 0.8], [0.5, 0.5]], [[0.9, 0.1], [0.3, 0.7]]])
    dist = MixtureDistribution(stats.norm(loc, 0.1), weights)
    draws = dist.rvs(size=4000, random_state=0)
    assert draws.shape == (4000, 2, 2)
    np.testing.assert_allclose(draws.mean(axis=0), dist.mean(), atol=0.05)
    # The share drawn from each element's first component is its weight.
    first = np.abs(draws - loc[..., 0]) < 0.5
    np.testing.assert_allclose(first.mean(axis=0), weights[..., 0], atol=0.03)


def test_survival_function_of_several_outputs_is_one_minus_the_cdf():
    loc = np.array([[[0.0, 1.0], [10.0, 12.0], [-4.0, -3.0]]])
    dist = MixtureDistribution(stats.norm(loc, 0.5), np.full(loc.shape, 0.5))
    x = np.array([[0.3, 11.0, -3.2]])
    np.testing.assert_allclose(dist.sf(x), 1 - dist.cdf(x), rtol=1e-12)
    assert dist.sf(x).shape == (1, 3)


def test_closed_form_crps_of_several_outputs_is_each_elements():
    # (rows, outputs, components): each element's CRPS is its own one-row mixture's.
    loc = np.array([[[0.0, 1.0], [10.0, 12.0], [-4.0, -3.0]]])
    scale = np.array([[[0.5, 1.0], [2.0, 0.3], [1.0, 1.0]]])
    weights = np.array([[[0.3, 0.7], [0.5, 0.5], [0.9, 0.1]]])
    dist = MixtureDistribution(stats.norm(loc, scale), weights)
    y = np.array([[0.3, 11.0, -1.0]])
    scores = dist.crps(y)
    assert scores.shape == (1, 3)
    for j in range(3):
        element = MixtureDistribution(stats.norm(loc[:, j], scale[:, j]), weights[:, j])
        np.testing.assert_allclose(scores[0, j], element.crps(y[:, j])[0], rtol=1e-12)


def test_one_mixture_of_a_few_components_has_an_empty_shape():
    # Components of shape (K,): a single mixture, no rows.
    dist = MixtureDistribution(stats.norm([0.0, 2.0], 1.0), [0.25, 0.75])
    assert dist.shape == ()
    np.testing.assert_allclose(dist.mean(), 1.5)
    message = "components need a last axis that runs over the components."
    with pytest.raises(ValueError, match=f"^{message}$"):
        MixtureDistribution(stats.norm(0.0, 1.0))


def test_a_component_may_have_weight_zero():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # log(0) = -inf is meant, not warned about
        dist = MixtureDistribution(stats.norm([[0.0, 5.0]], 1.0), [[1.0, 0.0]])
    np.testing.assert_array_equal(dist.log_weights, [[0.0, -np.inf]])
    # Integer log-weights (one certain component) are held as floats.
    one = MixtureDistribution(stats.norm([[0.0]], 1.0), log_weights=np.array([[0]]))
    assert one.log_weights.dtype == np.float64
    np.testing.assert_allclose(dist.mean(), [0.0])
    np.testing.assert_allclose(dist.cdf(np.array([0.0])), [0.5])


def test_weight_errors_are_whole_messages():
    components = stats.norm([[0.0, 1.0]], 1.0)
    with pytest.raises(ValueError, match=r"^Pass weights or log_weights, not both\.$"):
        MixtureDistribution(components, [[0.5, 0.5]], log_weights=np.log([[0.5, 0.5]]))
    message = r"^Mixture weights must be non-negative and sum to one over the last axis\.$"
    with pytest.raises(ValueError, match=message):
        MixtureDistribution(components, [[0.5, 0.6]])


class _PlainComponents:
    """Components with scipy.stats' methods but not its frozen type (no ``dist``)."""

    def __init__(self, frozen):
        self._frozen = frozen

    def __getattr__(self, name):
        if name in ("cdf", "sf", "pdf", "ppf", "mean", "std", "var"):
            return getattr(self._frozen, name)
        raise AttributeError(name)


def _bisection_ppf(dist, q, steps=200):
    # The slow exact answer: halving the bracket of the component quantiles, judged by
    # the CDF below the median and the survival function above it (whose far tail
    # 1 - cdf cannot resolve: at q = 1 - 1e-12 it has four digits left).
    q = np.asarray(q, dtype=float)
    component_quantiles = dist.components.ppf(q[..., None])
    low, high = component_quantiles.min(axis=-1), component_quantiles.max(axis=-1)
    upper = q > 0.5
    for _ in range(steps):
        middle = 0.5 * (low + high)
        below = np.where(upper, dist.sf(middle) > 1 - q, dist.cdf(middle) < q)
        low, high = np.where(below, middle, low), np.where(below, high, middle)
    return high


@pytest.mark.parametrize(
    "components",
    [
        stats.norm(
            np.random.RandomState(0).normal(0, 3, (400, 5)),
            0.2 + np.random.RandomState(1).rand(400, 5),
        ),
        stats.t(2.5, np.random.RandomState(2).normal(0, 3, (400, 5)), 1.0),
        stats.laplace(np.random.RandomState(3).normal(0, 3, (400, 5)), 0.5),
        stats.lognorm(0.8, scale=np.exp(np.random.RandomState(4).normal(0, 1, (400, 5)))),
        _PlainComponents(stats.logistic(np.random.RandomState(7).normal(0, 3, (400, 5)))),
    ],
    ids=["normal", "student_t", "laplace", "lognormal", "not scipy's frozen"],
)
def test_newton_quantiles_equal_the_slow_bisection(components):
    # Far-apart components leave near-flat stretches of the CDF between them, where
    # Newton's step would leave the bracket and the bisection fallback takes over.
    weights = np.random.RandomState(5).dirichlet(np.ones(5), size=400)
    dist = MixtureDistribution(components, weights)
    q = np.random.RandomState(6).uniform(1e-6, 1 - 1e-6, size=400)
    q[:4] = [1e-12, 0.5, 1 - 1e-12, 0.05]
    expected = _bisection_ppf(dist, q)
    np.testing.assert_allclose(dist.ppf(q), expected, rtol=1e-10, atol=1e-12)
    low, high = dist.interval(0.9)
    np.testing.assert_allclose(low, _bisection_ppf(dist, np.full(400, 0.05)), rtol=1e-10)
    np.testing.assert_allclose(high, _bisection_ppf(dist, np.full(400, 0.95)), rtol=1e-10)
    # Several levels for every element at once: each searched on its own.
    both = dist.ppf(np.stack([q, q[::-1]]))
    np.testing.assert_allclose(both[0], expected, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(
        both[1], _bisection_ppf(dist, q[::-1]), rtol=1e-10, atol=1e-12
    )
