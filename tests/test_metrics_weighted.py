"""Weights, confidence levels, labels and binning of every metric, each against values
computed another way: repeated rows, and formulas written out here."""

import warnings

import numpy as np
import pytest
from scipy import stats
from sklearn.calibration import calibration_curve

from skprob.metrics import (
    crps,
    expected_calibration_error,
    interval_coverage,
    interval_width,
    negative_log_likelihood,
    pit_calibration_error,
    reliability_curve,
)

REGRESSION_METRICS = [
    negative_log_likelihood,
    crps,
    interval_coverage,
    interval_width,
    pit_calibration_error,
]


@pytest.fixture
def case():
    rng = np.random.RandomState(3)
    n = 30
    loc, scale = rng.normal(size=n), rng.uniform(0.3, 2.0, size=n)
    y = loc + scale * rng.standard_t(df=3, size=n)
    # Integer weights with zeros, far from uniform: ignoring them, or dividing by the
    # row count instead of their sum, changes every metric.
    weights = rng.randint(0, 5, size=n)
    weights[:3] = [0, 4, 0]
    return y, loc, scale, weights


@pytest.mark.parametrize("metric", REGRESSION_METRICS, ids=lambda f: f.__name__)
def test_integer_weights_act_as_repeated_rows(metric, case):
    y, loc, scale, weights = case
    repeated = np.repeat(np.arange(len(y)), weights)
    weighted = metric(y, stats.norm(loc, scale), sample_weight=weights)
    expected = metric(y[repeated], stats.norm(loc[repeated], scale[repeated]))
    unweighted = metric(y, stats.norm(loc, scale))
    assert weighted == pytest.approx(expected, rel=1e-10)
    assert weighted != pytest.approx(unweighted, rel=1e-3)


@pytest.mark.parametrize("metric", REGRESSION_METRICS, ids=lambda f: f.__name__)
def test_scaling_the_weights_changes_nothing(metric, case):
    y, loc, scale, weights = case
    dist = stats.norm(loc, scale)
    assert metric(y, dist, sample_weight=weights * 0.1) == pytest.approx(
        metric(y, dist, sample_weight=weights), rel=1e-10
    )


def normal_crps(y, loc, scale):
    """Gneiting and Raftery's closed form, written out here."""
    z = (y - loc) / scale
    return scale * (
        z * (2 * stats.norm.cdf(z) - 1) + 2 * stats.norm.pdf(z) - 1 / np.sqrt(np.pi)
    )


def test_weighted_crps_is_the_weighted_mean_of_the_closed_form(case):
    y, loc, scale, weights = case
    expected = np.sum(weights * normal_crps(y, loc, scale)) / np.sum(weights)
    assert crps(y, stats.norm(loc, scale), sample_weight=weights) == pytest.approx(expected)


@pytest.mark.parametrize("confidence", [0.5, 0.8, 0.95])
def test_coverage_and_width_follow_the_confidence(confidence, case):
    y, loc, scale, weights = case
    z = stats.norm.ppf(0.5 + confidence / 2)
    inside = np.abs(y - loc) <= z * scale
    dist = stats.norm(loc, scale)
    assert interval_coverage(y, dist, confidence=confidence) == pytest.approx(inside.mean())
    assert interval_coverage(
        y, dist, confidence=confidence, sample_weight=weights
    ) == pytest.approx(np.sum(weights * inside) / np.sum(weights))
    assert interval_width(
        y, dist, confidence=confidence, sample_weight=weights
    ) == pytest.approx(np.sum(weights * 2 * z * scale) / np.sum(weights))


def test_weighted_pit_calibration_error_by_hand(case):
    y, loc, scale, weights = case
    levels = np.arange(1, 5) / 5
    pit_values = stats.norm.cdf(y, loc, scale)
    shares = [np.sum(weights * (pit_values <= p)) / np.sum(weights) for p in levels]
    expected = np.mean(np.abs(np.array(shares) - levels))
    assert pit_calibration_error(
        y, stats.norm(loc, scale), n_levels=4, sample_weight=weights
    ) == pytest.approx(expected)


def test_bad_weights_are_a_clear_error(case):
    y, loc, scale, _ = case
    with pytest.raises(ValueError, match="sample_weight has shape"):
        crps(y, stats.norm(loc, scale), sample_weight=np.ones(3))


# -- classification --------------------------------------------------------------------

LABELS = np.array(["cat", "dog", "emu"])
PROBA = np.array(
    [
        [0.7, 0.2, 0.1],  # predicts cat with 0.7: right
        [0.1, 0.6, 0.3],  # dog 0.6: wrong (emu)
        [0.2, 0.2, 0.6],  # emu 0.6: right
        [0.45, 0.35, 0.2],  # cat 0.45: wrong (dog)
        [0.05, 0.9, 0.05],  # dog 0.9: right
    ]
)
Y = np.array(["cat", "emu", "emu", "dog", "dog"])


def test_top_label_curve_and_ece_by_hand():
    # Confidences 0.7, 0.6, 0.6, 0.45, 0.9 and correct 1, 0, 1, 0, 1; two bins.
    # [0, 0.5]: 0.45 (wrong). (0.5, 1]: 0.7, 0.6, 0.6, 0.9 with 3 of 4 right.
    prob_true, prob_pred, counts = reliability_curve(Y, PROBA, labels=LABELS, n_bins=2)
    np.testing.assert_allclose(prob_true, [0.0, 0.75])
    np.testing.assert_allclose(prob_pred, [0.45, 0.7])
    np.testing.assert_allclose(counts, [1, 4])
    expected = (1 / 5) * 0.45 + (4 / 5) * abs(0.75 - 0.7)
    ece = expected_calibration_error(Y, PROBA, labels=LABELS, n_bins=2)
    assert ece == pytest.approx(expected)


def test_top_label_weights_enter_accuracy_and_confidence():
    weights = np.array([1.0, 3.0, 1.0, 1.0, 0.0])
    prob_true, prob_pred, counts = reliability_curve(
        Y, PROBA, labels=LABELS, n_bins=2, sample_weight=weights
    )
    # (0.5, 1]: 0.7 (w 1, right), 0.6 (w 3, wrong), 0.6 (w 1, right), 0.9 (w 0).
    np.testing.assert_allclose(counts, [1, 5])
    np.testing.assert_allclose(prob_true[1], 2 / 5)
    np.testing.assert_allclose(prob_pred[1], (0.7 + 3 * 0.6 + 0.6) / 5)


def test_labels_give_the_order_of_the_columns():
    # The same probabilities with columns in another order, told by labels=.
    order = [2, 0, 1]
    curve = reliability_curve(Y, PROBA[:, order], labels=LABELS[order], n_bins=2)
    for got, expected in zip(curve, reliability_curve(Y, PROBA, labels=LABELS, n_bins=2)):
        np.testing.assert_allclose(got, expected)
    # Without labels= the sorted labels are assumed: here that reads the columns wrong.
    wrong = reliability_curve(Y, PROBA[:, order], n_bins=2)[0]
    assert not np.allclose(wrong, [0.0, 0.75])


def test_integer_labels_that_are_not_column_numbers():
    labels = np.array([2, 7, 11])
    y = labels[[0, 2, 2, 1, 1]]
    curve = reliability_curve(y, PROBA, labels=labels, n_bins=2)
    np.testing.assert_allclose(curve[0], [0.0, 0.75])


def test_binary_positive_class_is_the_last_label():
    prob = np.array([0.2, 0.8, 0.9, 0.3])
    y = np.array(["no", "yes", "yes", "no"])
    prob_true, _, _ = reliability_curve(y, prob, n_bins=2)
    np.testing.assert_allclose(prob_true, [0.0, 1.0])
    # labels= reversed: "no" is now the positive class.
    prob_true, _, _ = reliability_curve(y, prob, n_bins=2, labels=["yes", "no"])
    np.testing.assert_allclose(prob_true, [1.0, 0.0])


def test_quantile_bins_hold_equal_counts():
    rng = np.random.RandomState(0)
    prob = rng.beta(0.5, 3.0, size=400)  # most probabilities near 0
    y = (rng.uniform(size=400) < prob).astype(int)
    _, prob_pred, counts = reliability_curve(y, prob, n_bins=4, strategy="quantile")
    np.testing.assert_array_equal(counts, [100, 100, 100, 100])
    sorted_prob = np.sort(prob)
    np.testing.assert_allclose(prob_pred, sorted_prob.reshape(4, 100).mean(axis=1))
    expected_true, expected_pred = calibration_curve(y, prob, n_bins=4, strategy="quantile")
    np.testing.assert_allclose(prob_pred, expected_pred)
    np.testing.assert_allclose(
        reliability_curve(y, prob, n_bins=4, strategy="quantile")[0], expected_true
    )
    uniform_counts = reliability_curve(y, prob, n_bins=4)[2]
    assert uniform_counts[0] > 200
    with pytest.raises(ValueError, match="strategy"):
        reliability_curve(y, prob, strategy="equal")


def test_probabilities_on_bin_edges_fall_as_in_sklearn():
    prob = np.array([0.0, 0.2, 0.25, 0.5, 0.5, 0.75, 1.0, 0.6])
    y = np.array([0, 0, 1, 1, 0, 1, 1, 1])
    for n_bins in (2, 4, 5):
        prob_true, prob_pred, _ = reliability_curve(y, prob, n_bins=n_bins)
        expected_true, expected_pred = calibration_curve(y, prob, n_bins=n_bins)
        np.testing.assert_allclose(prob_true, expected_true)
        np.testing.assert_allclose(prob_pred, expected_pred)


def test_ece_passes_labels_strategy_and_bins_on_to_the_curve():
    order = [2, 0, 1]
    assert expected_calibration_error(
        Y, PROBA[:, order], labels=LABELS[order], n_bins=2
    ) == pytest.approx(expected_calibration_error(Y, PROBA, labels=LABELS, n_bins=2))
    rng = np.random.RandomState(1)
    # Over-confident at both ends, so that the gaps change sign across bins (with one
    # sign everywhere the ECE would not depend on the binning).
    prob = rng.uniform(size=300)
    y = (rng.uniform(size=300) < 0.5 + 0.5 * (prob - 0.5)).astype(int)
    for strategy in ("uniform", "quantile"):
        true, pred, weight = reliability_curve(y, prob, n_bins=10, strategy=strategy)
        expected = np.sum(weight * np.abs(true - pred)) / weight.sum()
        assert expected_calibration_error(y, prob, strategy=strategy) == pytest.approx(
            expected
        )
    assert expected_calibration_error(y, prob) != pytest.approx(
        expected_calibration_error(y, prob, strategy="quantile")
    )
    assert expected_calibration_error(y, prob) != pytest.approx(
        expected_calibration_error(y, prob, n_bins=11)
    )


def test_binary_curve_with_a_single_class_in_y_true():
    # All positives: the positive class is the only label.
    prob_true, _, _ = reliability_curve(np.ones(4), [0.2, 0.4, 0.6, 0.8], n_bins=2)
    np.testing.assert_allclose(prob_true, [1.0, 1.0])


def test_randomised_pit_of_counts_follows_random_state():
    from skprob.metrics import pit

    y = np.array([0.0, 2.0, 5.0, 1.0])
    dist = stats.poisson(np.array([1.0, 2.0, 3.0, 1.5]))
    first = pit(y, dist, random_state=0)
    np.testing.assert_array_equal(first, pit(y, dist, random_state=0))
    assert not np.array_equal(first, pit(y, dist, random_state=1))
    draws = np.random.RandomState(0).uniform(size=4)
    lower, upper = dist.cdf(y - 1), dist.cdf(y)
    np.testing.assert_allclose(first, lower + draws * (upper - lower))


def test_the_default_curve_has_ten_uniform_bins():
    prob = (np.arange(100) + 0.5) / 100  # ten in each tenth
    y = (np.arange(100) % 2).astype(int)
    prob_true, prob_pred, counts = reliability_curve(y, prob)
    np.testing.assert_array_equal(counts, np.full(10, 10.0))
    np.testing.assert_allclose(prob_pred, (np.arange(10) + 0.5) / 10)


def test_labels_that_do_not_match_the_columns_are_named_in_the_error():
    with pytest.raises(ValueError, match="3 columns but there are 2 labels; pass labels="):
        reliability_curve(Y[: len(PROBA)], PROBA, labels=["a", "b"])
    with pytest.raises(ValueError, match="binary, but 3 labels were given"):
        reliability_curve([0, 1], [0.2, 0.7], labels=[0, 1, 2])


def test_pit_values_on_a_level_count_as_at_or_below_it():
    # F(y) = 0.5 exactly (the Normal's median) and 0.9; at the level 0.5 the share at or
    # below is 1/2, a perfect match.
    dist = stats.norm(np.zeros(2), np.ones(2))
    y = np.array([0.0, stats.norm.ppf(0.9)])
    assert pit_calibration_error(y, dist, n_levels=1) == 0.0


def test_multi_output_pit_error_is_each_output_s_own():
    rng = np.random.RandomState(3)
    loc = rng.normal(size=(50, 2))
    y = loc + rng.normal(size=(50, 2)) * [1.0, 3.0]  # the second output miscalibrated
    raw = pit_calibration_error(y, stats.norm(loc, 1.0), multioutput="raw_values")
    each = [pit_calibration_error(y[:, d], stats.norm(loc[:, d], 1.0)) for d in (0, 1)]
    np.testing.assert_allclose(raw, each)
    assert raw[1] > raw[0]


def test_count_targets_off_the_support_count_by_the_plain_indicator():
    # y = -1 under a Poisson: F(y) = F(y - 1) = 0, no jump, PIT 0 (below every level);
    # y = 1.5: F jumps from F(0) to F(1) between y - 1 and y.
    dist = stats.poisson(np.full(2, 2.0))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        error = pit_calibration_error(np.array([-1.0, 1.5]), dist, n_levels=1)
    f0, f1 = stats.poisson.cdf([0, 1], 2.0)
    share = (1.0 + np.clip((0.5 - f0) / (f1 - f0), 0, 1)) / 2
    assert error == pytest.approx(abs(share - 0.5))
