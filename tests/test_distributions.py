"""CategoricalDistribution against scipy's per-row discrete distributions."""

import numpy as np
import pytest
from scipy import stats

from skprob.distributions import CategoricalDistribution


@pytest.fixture
def probs():
    rng = np.random.RandomState(0)
    p = rng.dirichlet(np.ones(4), size=6)
    p[0] = [0.0, 0.5, 0.5, 0.0]  # zeros must not break logpmf or cdf
    return p


def per_row(probs):
    return [stats.rv_discrete(values=(np.arange(probs.shape[1]), p)) for p in probs]


def test_pmf_cdf_moments_match_scipy(probs):
    dist = CategoricalDistribution(probs)
    rows = per_row(probs)
    for k in range(-1, 5):
        np.testing.assert_allclose(dist.pmf(k), [r.pmf(k) for r in rows], atol=1e-12)
        np.testing.assert_allclose(dist.cdf(k), [r.cdf(k) for r in rows], atol=1e-12)
    np.testing.assert_allclose(dist.mean(), [r.mean() for r in rows])
    np.testing.assert_allclose(dist.var(), [r.var() for r in rows], atol=1e-12)
    np.testing.assert_allclose(dist.std(), [r.std() for r in rows], atol=1e-12)
    np.testing.assert_allclose(dist.entropy(), [r.entropy() for r in rows], atol=1e-12)


def test_ppf_and_interval_match_scipy(probs):
    dist = CategoricalDistribution(probs)
    rows = per_row(probs)
    # (At q = 1 scipy returns the upper end of the support rather than the smallest k
    # with cdf(k) >= 1, so that point is left out.)
    for q in (0.05, 0.3, 0.5, 0.9, 0.999):
        np.testing.assert_array_equal(dist.ppf(q), [r.ppf(q) for r in rows])
    low, high = dist.interval(0.8)
    np.testing.assert_array_equal(low, [r.interval(0.8)[0] for r in rows])
    np.testing.assert_array_equal(high, [r.interval(0.8)[1] for r in rows])


def test_logpmf_of_impossible_class_is_minus_infinity(probs):
    dist = CategoricalDistribution(probs)
    assert dist.logpmf(0)[0] == -np.inf
    assert np.all(dist.logpmf(7) == -np.inf)


def test_rvs_frequencies_follow_the_probabilities(probs):
    dist = CategoricalDistribution(probs)
    draws = dist.rvs(size=20_000, random_state=0)
    assert draws.shape == (20_000, len(probs))
    for row, p in enumerate(probs):
        frequencies = np.bincount(draws[:, row], minlength=4) / 20_000
        np.testing.assert_allclose(frequencies, p, atol=0.015)
    np.testing.assert_array_equal(
        dist.rvs(size=5, random_state=1), dist.rvs(size=5, random_state=1)
    )


def test_bad_inputs_are_clear_errors(probs):
    with pytest.raises(ValueError, match="2-D"):
        CategoricalDistribution([0.5, 0.5])
    with pytest.raises(ValueError, match=r"one class per row \(6\)"):
        CategoricalDistribution(probs).pmf([0, 1])
    with pytest.raises(ValueError, match="confidence"):
        CategoricalDistribution(probs).interval(1.5)
