"""CategoricalDistribution against scipy's per-row discrete distributions."""

import re

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


def test_cdf_between_and_beyond_the_classes(probs):
    dist = CategoricalDistribution(probs)
    rows = per_row(probs)
    for k in (-7.5, -1.5, -0.5, 0.5, 2.999, 3.5, 10.0):
        np.testing.assert_allclose(dist.cdf(k), [r.cdf(k) for r in rows], atol=1e-12)
    labelled = CategoricalDistribution(probs, classes=[2, 7, 11, 20])
    np.testing.assert_allclose(labelled.cdf(1), 0.0)
    np.testing.assert_allclose(labelled.cdf(7), probs[:, :2].sum(axis=1))
    np.testing.assert_allclose(labelled.cdf(10), probs[:, :2].sum(axis=1))
    np.testing.assert_allclose(labelled.cdf(99), 1.0)


def test_ppf_at_the_ends_and_outside_zero_one():
    # Ten classes of 0.1: the cumulative sum ends a hair under 1 in floating point.
    probs = np.full((2, 10), 0.1)
    assert np.cumsum(probs[0])[-1] < 1.0
    dist = CategoricalDistribution(probs)
    np.testing.assert_array_equal(dist.ppf(1.0), [9.0, 9.0])
    np.testing.assert_array_equal(dist.ppf(0.0), [0.0, 0.0])
    np.testing.assert_array_equal(dist.ppf(np.array([0.1, 0.1000001])), [0.0, 1.0])
    assert np.isnan(dist.ppf(1.5)).all() and np.isnan(dist.ppf(-0.1)).all()
    labelled = CategoricalDistribution(probs, classes=list("abcdefghij"))
    np.testing.assert_array_equal(labelled.ppf(1.0), ["j", "j"])
    with pytest.raises(ValueError, match=r"^q must be in \[0, 1\]\.$"):
        labelled.ppf(1.5)


def test_cdf_is_at_most_one_where_the_probabilities_sum_above_it_by_rounding():
    # Normalised probabilities whose running sum ends at 1.0000000000000002.
    probs = np.array([[0.46335848984461653, 0.3373961461805628, 0.1992453639748208]])
    assert np.cumsum(probs[0])[-1] > 1.0
    dist = CategoricalDistribution(probs)
    assert dist.cdf(np.array([2.0]))[0] == 1.0
    assert dist.cdf(np.array([7.0]))[0] == 1.0


def test_interval_at_confidence_zero_and_one(probs):
    dist = CategoricalDistribution(probs)
    low, high = dist.interval(0.0)
    np.testing.assert_array_equal(low, dist.ppf(0.5))
    np.testing.assert_array_equal(high, dist.ppf(0.5))
    low, high = dist.interval(1.0)
    np.testing.assert_array_equal(low, np.zeros(len(probs)))
    np.testing.assert_array_equal(high, dist.ppf(1.0))
    with pytest.raises(ValueError, match="confidence"):
        dist.interval(-0.1)


def test_rvs_shapes_and_labels(probs):
    dist = CategoricalDistribution(probs, classes=["a", "b", "c", "d"])
    one = dist.rvs(random_state=0)
    assert one.shape == (len(probs),)
    assert set(one) <= {"a", "b", "c", "d"}
    assert dist.rvs(size=(3, 2), random_state=0).shape == (3, 2, len(probs))
    # A class of probability 0 is never drawn; one of probability 1 always is.
    certain = CategoricalDistribution([[0.0, 1.0, 0.0]])
    np.testing.assert_array_equal(certain.rvs(size=200, random_state=0), np.ones((200, 1)))


def test_labels_and_classes_that_are_not_numbers_are_named_in_whole_messages(probs):
    dist = CategoricalDistribution(probs[:3], classes=["ant", "bee", "cat", "dog"])
    message = (
        "Label 'emu' is not one of the classes the model knows ['ant', 'bee', 'cat', "
        "'dog']: a class missing from the training data has no predicted probability."
    )
    with pytest.raises(ValueError, match=re.escape(message)):
        dist.pmf(["ant", "emu", "fox"])
    message = (
        "The classes ['ant', 'bee', 'cat', 'dog'] are not numbers: their mean and "
        "variance are undefined. Use pmf, ppf or the class probabilities."
    )
    with pytest.raises(TypeError, match=re.escape(message)):
        dist.mean()


def test_integer_probabilities_are_held_as_floats():
    dist = CategoricalDistribution(np.array([[0, 1], [1, 0]]))
    assert dist.probs.dtype == dist.log_probs.dtype == np.float64
    # Log-probabilities given as integers (a certain class: log 1 = 0) too.
    given = CategoricalDistribution(np.array([[1.0]]), log_probs=np.array([[0]]))
    assert given.log_probs.dtype == np.float64
    np.testing.assert_array_equal(dist.pmf(np.array([1, 0])), [1.0, 1.0])


def test_a_class_index_outside_a_single_class_has_log_probability_minus_inf():
    dist = CategoricalDistribution(np.array([[1.0], [1.0]]))
    np.testing.assert_array_equal(dist.logpmf(np.array([0, 3])), [0.0, -np.inf])
    np.testing.assert_array_equal(dist.pmf(np.array([-1, 0])), [0.0, 1.0])
