"""CRPS: every closed form against the integral that defines it, and against scoringrules.

``CRPS(F, y) = integral (F(z) - 1{z >= y})^2 dz``: for continuous distributions it is
integrated numerically here; for distributions on the integers it is summed cell by
cell in a plain loop. ``scoringrules`` (a test dependency on Python >= 3.11) is a
second, independent implementation of the closed forms.
"""

import warnings
from types import SimpleNamespace

import numpy as np
import pytest
from scipy import integrate, stats

from skprob.distributions import DiscreteMixtureDistribution, MixtureDistribution
from skprob.metrics import _crps, crps
from skprob.metrics._crps import crps_from_quantiles, crps_integer_sum, crps_per_element

CONTINUOUS = {
    "normal": stats.norm(loc=1.5, scale=2.0),
    "laplace": stats.laplace(loc=-1.0, scale=0.7),
    "student_t": stats.t(df=2.5, loc=0.5, scale=1.3),
    "student_t_large_df": stats.t(df=40.0, loc=0.0, scale=1.0),
    # Between 1 and 2 degrees of freedom the variance is infinite but the CRPS is not.
    "student_t_heavy": stats.t(df=1.5, loc=0.2, scale=0.8),
    "lognormal": stats.lognorm(s=0.6, scale=np.exp(0.4)),
    "lognormal_wide": stats.lognorm(s=1.5, scale=2.0),
    "gamma": stats.gamma(a=0.7, scale=3.0),
    "gamma_peaked": stats.gamma(a=20.0, scale=0.2),
}

COUNTS = {
    "poisson_small": stats.poisson(mu=0.01),
    "poisson": stats.poisson(mu=3.7),
    "poisson_large": stats.poisson(mu=400.0),  # scoringrules' form overflows here
    "negative_binomial": stats.nbinom(n=1.5, p=1.5 / (1.5 + 4.0)),
    "negative_binomial_dispersed": stats.nbinom(n=0.2, p=0.2 / (0.2 + 30.0)),
    # Large sizes: scipy's hyp2f1 fails and the integer sum takes over.
    "negative_binomial_large_size": stats.nbinom(n=1e4, p=1e4 / (1e4 + 2000.0)),
    # Shifted: the closed forms take y - loc.
    "poisson_shifted": stats.poisson(mu=3.7, loc=2),
    "negative_binomial_shifted": stats.nbinom(n=1.5, p=1.5 / (1.5 + 4.0), loc=-3),
}


def _broadcast(frozen, n):
    """The same distribution with parameters of shape (n,), as predict_dist returns."""
    kwds = {key: np.full(n, value) for key, value in frozen.kwds.items()}
    return frozen.dist(**kwds)


def crps_by_integration(dist, y):
    """The definition, integrated numerically piece by piece between quantiles and y."""
    levels = [1e-10, 1e-8, 1e-6, 1e-4, 0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99]
    levels += [1 - q for q in (1e-4, 1e-6, 1e-8, 1e-10)]
    edges = np.unique(np.append([np.ravel(dist.ppf(q))[0] for q in levels], y))
    total = 0.0
    cdf = lambda z: np.ravel(dist.cdf(z))[0]  # noqa: E731 (a mixture gives shape (1,))
    for low, high in zip(edges[:-1], edges[1:]):
        if high <= y:
            total += integrate.quad(lambda z: cdf(z) ** 2, low, high, limit=200)[0]
        else:
            total += integrate.quad(lambda z: (1 - cdf(z)) ** 2, low, high, limit=200)[0]
    return total


def crps_by_loop(dist, y):
    """The definition summed over the integer cells [k, k + 1), in a plain loop."""
    high = int(max(np.max(dist.ppf(1 - 1e-15)), y)) + 2
    low = int(min(np.min(dist.ppf(0)), np.floor(y))) - 1  # ppf(0): below the support
    total = 0.0
    for k in range(low, high + 1):
        cdf = np.ravel(dist.cdf(k))[0]  # a mixture of shape (1,) gives one value
        above = min(max(k + 1 - y, 0.0), 1.0)  # the part of the cell with z >= y
        total += (1 - above) * cdf**2 + above * (1 - cdf) ** 2
    return total


def _targets(frozen, below_support):
    ys = [frozen.ppf(0.3), frozen.median(), frozen.ppf(0.97), frozen.ppf(0.001) - 1.0]
    if below_support:
        ys.append(-0.5)
    return np.array(ys)


@pytest.mark.parametrize("name", sorted(CONTINUOUS))
def test_continuous_closed_forms_are_the_integral(name):
    frozen = CONTINUOUS[name]
    ys = _targets(frozen, below_support=name.startswith(("lognormal", "gamma")))
    scores = crps_per_element(ys, _broadcast(frozen, len(ys)))
    expected = [crps_by_integration(frozen, y) for y in ys]
    np.testing.assert_allclose(scores, expected, rtol=1e-6, atol=1e-10)


@pytest.mark.parametrize("name", sorted(COUNTS))
def test_count_closed_forms_are_the_sum_over_the_integers(name):
    frozen = COUNTS[name]
    # Integer targets, one between two integers, one below the support.
    ys = np.concatenate([np.floor(_targets(frozen, below_support=False)), [2.5, -1.0]])
    scores = crps_per_element(ys, _broadcast(frozen, len(ys)))
    assert np.isfinite(scores).all()
    np.testing.assert_allclose(scores, [crps_by_loop(frozen, y) for y in ys], rtol=1e-7)


def test_integer_sum_of_a_count_mixture_is_the_definition():
    n, p, weights = [2.0, 0.5, 5.0], [0.5, 0.1, 0.9], [0.2, 0.3, 0.5]
    ys = np.array([0.0, 1.0, 4.5, 30.0])
    one = DiscreteMixtureDistribution(stats.nbinom(n=[n], p=[p]), [weights])
    expected = [crps_by_loop(one, y) for y in ys]
    dist = DiscreteMixtureDistribution(
        stats.nbinom(n=np.tile(n, (4, 1)), p=np.tile(p, (4, 1))), np.tile(weights, (4, 1))
    )
    np.testing.assert_allclose(crps_integer_sum(ys, dist), expected, rtol=1e-9)
    assert crps(ys, dist) == pytest.approx(np.mean(expected), rel=1e-9)


@pytest.mark.parametrize("name", ["lognormal", "lognormal_wide", "gamma", "gamma_peaked"])
def test_targets_at_and_below_zero_are_the_integral_without_warnings(name):
    # y = 0 is the lower end of the support: the indicator is 1 on all of it.
    frozen = CONTINUOUS[name]
    ys = np.array([0.0, -2.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        scores = crps_per_element(ys, _broadcast(frozen, len(ys)))
    expected = [crps_by_integration(frozen, y) for y in ys]
    np.testing.assert_allclose(scores, expected, rtol=1e-6)


@pytest.mark.parametrize("df", [1.0, 0.7])
def test_a_student_t_without_a_mean_has_infinite_crps_and_no_warning(df):
    # The CRPS is finite only where E|X| is (df > 1).
    dist = stats.t(df=np.full(2, df), loc=np.zeros(2), scale=np.ones(2))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        scores = crps_per_element(np.array([0.0, 2.0]), dist)
    assert np.isinf(scores).all()


def test_the_quantile_form_is_the_midpoint_rule_written_out(monkeypatch):
    # 2 / n * sum over the n midpoint levels of the pinball loss of the tau-quantile,
    # on integer targets (the form computes in floats).
    frozen = stats.norm(loc=0.3, scale=1.7)
    y = np.array([-1, 0, 2])
    levels = np.array([0.125, 0.375, 0.625, 0.875])
    expected = [
        2
        / 4
        * sum((float(t < q) - tau) * (q - t) for tau, q in zip(levels, frozen.ppf(levels)))
        for t in y
    ]
    dist = _broadcast(frozen, len(y))
    np.testing.assert_allclose(
        crps_from_quantiles(y, dist, n_levels=4), expected, rtol=1e-12
    )
    # In chunks of one level each (chunk of 3 values for 3 targets): the same sum.
    monkeypatch.setattr(_crps, "QUANTILE_CHUNK", 3)
    np.testing.assert_allclose(
        crps_from_quantiles(y, dist, n_levels=4), expected, rtol=1e-12
    )


def test_a_continuous_mixture_without_closed_form_is_integrated_to_1e_4():
    dist = MixtureDistribution(stats.laplace(loc=[[0.0, 3.0]], scale=[[1.0, 0.5]]))
    y = np.array([1.0])
    # The definition integrated with the mixture's CDF written out (fast for quad).
    mixture_cdf = SimpleNamespace(
        cdf=lambda z: 0.5 * (stats.laplace.cdf(z, 0, 1) + stats.laplace.cdf(z, 3, 0.5)),
        ppf=dist.ppf,
    )
    expected = crps_by_integration(mixture_cdf, 1.0)
    assert crps_per_element(y, dist)[0] == pytest.approx(expected, rel=1e-4)
    # The general quantile form agrees to its own (coarser) accuracy.
    assert crps_from_quantiles(y, dist)[0] == pytest.approx(expected, rel=2e-3)


@pytest.mark.parametrize("family", ["laplace", "t", "lognorm", "gamma"])
def test_mixture_integration_is_the_integral_for_every_family(family):
    rng = np.random.RandomState(0)
    shape = (3, 4)
    params = {
        "laplace": dict(loc=rng.normal(size=shape), scale=rng.uniform(0.2, 2, shape)),
        "t": dict(df=rng.uniform(2.01, 5, shape), loc=rng.normal(size=shape)),
        "lognorm": dict(
            s=rng.uniform(0.1, 1.5, shape), scale=np.exp(rng.normal(size=shape))
        ),
        "gamma": dict(a=rng.uniform(0.5, 5, shape), scale=rng.uniform(0.5, 2, shape)),
    }[family]
    weights = rng.dirichlet(np.ones(4), size=3)
    dist = MixtureDistribution(getattr(stats, family)(**params), weights)
    y = dist.rvs(random_state=1)
    scores = dist.crps(y)
    for row in range(3):
        one = MixtureDistribution(
            getattr(stats, family)(**{k: v[row][None] for k, v in params.items()}),
            weights[row][None],
        )
        expected = crps_by_integration(one, y[row])
        assert scores[row] == pytest.approx(expected, rel=5e-4)


def test_mixture_integration_keeps_the_shape_of_multi_output_targets():
    # Three rows, three outputs, two components (the last axis); the components'
    # parameters given positionally. Each element is the one-element mixture's CRPS.
    rng = np.random.RandomState(3)
    loc, scale = rng.normal(size=(3, 3, 2)), rng.uniform(0.3, 2.0, (3, 3, 2))
    weights = rng.dirichlet(np.ones(2), size=(3, 3))
    dist = MixtureDistribution(stats.laplace(loc, scale), weights)
    y = rng.normal(size=(3, 3))
    scores = _crps.crps_of_mixture_by_integration(y, dist)
    assert scores.shape == (3, 3)
    for row, output in np.ndindex(3, 3):
        one = MixtureDistribution(
            stats.laplace(loc=loc[row, output][None], scale=scale[row, output][None]),
            weights[row, output][None],
        )
        one_score = _crps.crps_of_mixture_by_integration(y[row, output][None], one)
        assert scores[row, output] == pytest.approx(one_score[0], rel=1e-12)


def test_a_continuous_distribution_without_closed_form_takes_the_quantile_form():
    # No closed form for scipy's Weibull: the general form integrates over quantile
    # levels (and the integer sum, for counts, would be wrong here).
    frozen = stats.weibull_min(c=1.7, loc=0.5, scale=2.0)
    ys = np.array([0.7, 2.0, 6.5])
    expected = [crps_by_integration(frozen, y) for y in ys]
    scores = crps_per_element(ys, _broadcast(frozen, len(ys)))
    np.testing.assert_allclose(scores, expected, rtol=2e-3)


def test_crps_is_the_mean_absolute_error_of_a_point_mass_limit():
    # A Poisson with a tiny rate is almost a point mass at 0: CRPS -> |y|.
    assert crps(np.array([3.0]), stats.poisson(np.array([1e-9]))) == pytest.approx(3.0)


# scoringrules as an independent oracle, where it is installed (Python >= 3.11) and
# its own forms are finite (its Poisson overflows above about 170).
ORACLE = {
    "normal": lambda sr, y, d: sr.crps_normal(y, d.kwds["loc"], d.kwds["scale"]),
    "laplace": lambda sr, y, d: sr.crps_laplace(y, d.kwds["loc"], d.kwds["scale"]),
    "student_t": lambda sr, y, d: sr.crps_t(
        y, d.kwds["df"], d.kwds["loc"], d.kwds["scale"]
    ),
    "lognormal": lambda sr, y, d: sr.crps_lognormal(
        y, np.log(d.kwds["scale"]), d.kwds["s"]
    ),
    "gamma": lambda sr, y, d: sr.crps_gamma(y, d.kwds["a"], scale=d.kwds["scale"]),
    "poisson": lambda sr, y, d: sr.crps_poisson(y, d.kwds["mu"]),
    "negative_binomial": lambda sr, y, d: sr.crps_negbinom(y, d.kwds["n"], d.kwds["p"]),
}


@pytest.mark.parametrize("name", sorted(ORACLE))
def test_closed_forms_agree_with_scoringrules(name):
    sr = pytest.importorskip("scoringrules")
    frozen = {**CONTINUOUS, **COUNTS}[name]
    ys = _targets(frozen, below_support=False)[:3]  # scoringrules refuses y outside
    if name in ("poisson", "negative_binomial"):
        ys = np.floor(ys)
    dist = _broadcast(frozen, len(ys))
    np.testing.assert_allclose(
        crps_per_element(ys, dist), ORACLE[name](sr, ys, dist), rtol=1e-8, atol=1e-12
    )


def test_normal_mixture_agrees_with_scoringrules():
    sr = pytest.importorskip("scoringrules")
    loc, scale, weights = [[-1.0, 0.5, 2.0]], [[0.5, 1.0, 0.3]], [[0.2, 0.5, 0.3]]
    dist = MixtureDistribution(stats.norm(loc, scale), weights)
    y = np.array([0.3])
    expected = sr.crps_mixnorm(y, np.array(loc), np.array(scale), np.array(weights))
    np.testing.assert_allclose(crps_per_element(y, dist), expected, rtol=1e-10)


def test_chunks_of_rows_and_cells_change_nothing(monkeypatch):
    # Large inputs are summed in chunks; a tiny chunk size forces many of them.
    counts = stats.nbinom(
        n=np.array([[2.0], [0.5], [5.0]]), p=np.array([[0.3], [0.1], [0.9]])
    )
    y_counts = np.array([[0.0], [7.0], [3.5]])
    mixture = MixtureDistribution(
        stats.norm(loc=[[0.0, 3.0], [1.0, -1.0], [2.0, 2.5]], scale=[[1.0, 0.5]] * 3)
    )
    y_mixture = np.array([1.0, -3.0, 2.2])
    whole = (
        crps_integer_sum(y_counts, counts),
        _crps.crps_of_mixture_by_integration(y_mixture, mixture),
    )
    monkeypatch.setattr(_crps, "INTEGER_SUM_CHUNK", 7)
    chunked = (
        crps_integer_sum(y_counts, counts),
        _crps.crps_of_mixture_by_integration(y_mixture, mixture),
    )
    np.testing.assert_allclose(chunked[0], whole[0], rtol=1e-12)
    np.testing.assert_allclose(chunked[1], whole[1], rtol=1e-12)
    assert chunked[0].shape == (3, 1)
