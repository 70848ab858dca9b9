"""skprob.metrics against values computed independently: closed forms, scipy, quadrature."""

import re

import numpy as np
import pytest
from scipy import integrate, stats
from sklearn.calibration import calibration_curve

from skprob.metrics import (
    crps,
    expected_calibration_error,
    interval_coverage,
    interval_width,
    negative_log_likelihood,
    pit,
    pit_calibration_error,
    reliability_curve,
)


class OnlyScipyInterface:
    """A distribution without ``.dist``: forces the general (quantile) CRPS path."""

    def __init__(self, dist):
        self._dist = dist

    def __getattr__(self, name):
        return getattr(self._dist, name)


def crps_by_quadrature(cdf, y):
    """CRPS = integral (F(z) - 1{z >= y})^2 dz, integrated on each side of y."""
    below = integrate.quad(lambda z: cdf(z) ** 2, -np.inf, y)[0]
    above = integrate.quad(lambda z: (1 - cdf(z)) ** 2, y, np.inf)[0]
    return below + above


@pytest.fixture
def normal_case():
    rng = np.random.RandomState(0)
    loc, scale = rng.normal(size=40), rng.uniform(0.5, 2.0, size=40)
    y = loc + scale * rng.standard_t(df=4, size=40)
    return y, stats.norm(loc, scale), loc, scale


def test_nll_is_minus_mean_logpdf(normal_case):
    y, dist, loc, scale = normal_case
    expected = -np.mean(stats.norm.logpdf(y, loc, scale))
    assert negative_log_likelihood(y, dist) == pytest.approx(expected, rel=1e-12)


def test_nll_weights_act_as_repeated_rows(normal_case):
    y, dist, loc, scale = normal_case
    weights = np.arange(len(y)) % 3
    repeated = np.repeat(np.arange(len(y)), weights)
    expected = negative_log_likelihood(
        y[repeated], stats.norm(loc[repeated], scale[repeated])
    )
    assert negative_log_likelihood(y, dist, sample_weight=weights) == pytest.approx(
        expected
    )


def test_multi_output_nll_sums_outputs_and_crps_averages_them():
    rng = np.random.RandomState(1)
    loc = rng.normal(size=(30, 2)) * [1.0, 100.0]
    scale = rng.uniform(0.5, 2.0, size=(30, 2)) * [1.0, 100.0]
    y = loc + scale * rng.normal(size=(30, 2))
    dist = stats.norm(loc, scale)
    per_output = [
        negative_log_likelihood(y[:, d], stats.norm(loc[:, d], scale[:, d])) for d in (0, 1)
    ]
    assert negative_log_likelihood(y, dist) == pytest.approx(sum(per_output))
    np.testing.assert_allclose(
        negative_log_likelihood(y, dist, multioutput="raw_values"), per_output
    )
    crps_per_output = [crps(y[:, d], stats.norm(loc[:, d], scale[:, d])) for d in (0, 1)]
    np.testing.assert_allclose(crps(y, dist, multioutput="raw_values"), crps_per_output)
    assert crps(y, dist) == pytest.approx(np.mean(crps_per_output))


def test_crps_closed_form_matches_quadrature(normal_case):
    y, dist, loc, scale = normal_case
    expected = np.mean(
        [crps_by_quadrature(stats.norm(m, s).cdf, t) for t, m, s in zip(y, loc, scale)]
    )
    assert crps(y, dist) == pytest.approx(expected, rel=1e-6)


@pytest.mark.parametrize(
    "frozen",
    [stats.laplace(loc=0.5, scale=2.0), stats.t(df=3, loc=-1.0, scale=0.5)],
    ids=["laplace", "student-t"],
)
def test_crps_general_path_matches_quadrature(frozen):
    y = np.array([-3.0, -0.5, 0.0, 0.7, 4.0])
    dist = type(frozen)(
        frozen.dist, *frozen.args, **{k: np.full(len(y), v) for k, v in frozen.kwds.items()}
    )
    expected = np.mean([crps_by_quadrature(frozen.cdf, t) for t in y])
    assert crps(y, dist) == pytest.approx(expected, rel=2e-3)


def test_crps_general_path_agrees_with_the_normal_closed_form(normal_case):
    y, dist, _, _ = normal_case
    assert crps(y, OnlyScipyInterface(dist)) == pytest.approx(crps(y, dist), rel=1e-3)


def test_crps_of_a_near_point_forecast_is_its_absolute_error():
    y = np.array([1.0, -2.0, 5.0])
    dist = stats.norm([0.0, 0.0, 0.0], 1e-9)
    assert crps(y, dist) == pytest.approx(np.mean(np.abs(y)), rel=1e-6)


def test_interval_coverage_and_width(normal_case):
    y, dist, loc, scale = normal_case
    z = stats.norm.ppf(0.95)
    inside = np.abs(y - loc) <= z * scale
    assert interval_coverage(y, dist, confidence=0.9) == pytest.approx(inside.mean())
    weights = np.linspace(0, 2, len(y))
    assert interval_coverage(y, dist, sample_weight=weights) == pytest.approx(
        np.average(inside, weights=weights)
    )
    assert interval_width(y, dist, confidence=0.9) == pytest.approx(np.mean(2 * z * scale))


def test_a_target_on_an_interval_end_is_inside_it():
    dist = stats.uniform(np.zeros(2), 1.0)  # the central 50% interval is [0.25, 0.75]
    assert interval_coverage(np.array([0.25, 0.75]), dist, confidence=0.5) == 1.0


@pytest.mark.parametrize("confidence", [0.0, 1.0, -0.1, 1.5])
def test_a_confidence_outside_the_open_unit_interval_is_an_error(confidence, normal_case):
    y, dist, _, _ = normal_case
    with pytest.raises(ValueError, match="confidence"):
        interval_coverage(y, dist, confidence=confidence)


def test_pit_and_its_calibration_error():
    rng = np.random.RandomState(0)
    y = rng.normal(size=5000)
    calibrated = stats.norm(np.zeros_like(y), 1.0)
    overconfident = stats.norm(np.zeros_like(y), 0.5)
    np.testing.assert_allclose(pit(y, calibrated), stats.norm.cdf(y))
    assert pit_calibration_error(y, calibrated) < 0.01
    # With sigma halved, F(y) piles up at 0 and 1: at level p the share below is
    # Phi(Phi^-1(p) / 2) rather than p. Mean absolute gap over the 19 levels:
    levels = np.arange(1, 20) / 20
    expected = np.mean(np.abs(stats.norm.cdf(2 * stats.norm.ppf(levels)) - levels))
    assert pit_calibration_error(y, overconfident) == pytest.approx(expected, abs=0.01)


def test_mismatched_shapes_are_a_clear_error(normal_case):
    y, dist, _, _ = normal_case
    shapes = (
        rf"y_true has shape \({len(y) - 1},\) but the distribution has shape \({len(y)},\)"
    )
    with pytest.raises(ValueError, match=f"{shapes}; they must match"):
        negative_log_likelihood(y[:-1], dist)
    with pytest.raises(ValueError, match="confidence"):
        interval_coverage(y, dist, confidence=1.0)


def test_binary_reliability_curve_is_sklearns_calibration_curve():
    rng = np.random.RandomState(0)
    prob = rng.uniform(size=500)
    y = (rng.uniform(size=500) < prob**1.5).astype(int)
    prob_true, prob_pred, _ = reliability_curve(y, prob, n_bins=8)
    expected_true, expected_pred = calibration_curve(y, prob, n_bins=8)
    np.testing.assert_allclose(prob_true, expected_true)
    np.testing.assert_allclose(prob_pred, expected_pred)


def test_expected_calibration_error_by_hand():
    y = np.array([0, 1, 1, 0, 1, 1])
    prob = np.array([0.1, 0.2, 0.9, 0.7, 0.8, 0.95])
    # Two bins: [0, 0.5] holds 0.1, 0.2 (positives 1/2); (0.5, 1] holds 0.7, 0.8, 0.9,
    # 0.95 (positives 3/4).
    expected = (2 / 6) * abs(0.5 - 0.15) + (4 / 6) * abs(0.75 - 0.8375)
    assert expected_calibration_error(y, prob, n_bins=2) == pytest.approx(expected)


def test_top_label_ece_with_labels_and_weights():
    labels = np.array(["a", "b", "c"])
    proba = np.array([[0.7, 0.2, 0.1], [0.1, 0.6, 0.3], [0.2, 0.2, 0.6], [0.5, 0.4, 0.1]])
    y = np.array(["a", "c", "c", "b"])
    weights = np.array([1, 2, 0, 1])
    repeated = np.repeat(np.arange(4), weights)
    assert expected_calibration_error(
        y, proba, labels=labels, sample_weight=weights
    ) == pytest.approx(
        expected_calibration_error(y[repeated], proba[repeated], labels=labels)
    )
    with pytest.raises(ValueError, match="labels"):
        expected_calibration_error(y, proba[:, :2])


@pytest.mark.parametrize(
    "metric",
    [
        negative_log_likelihood,
        crps,
        interval_coverage,
        interval_width,
        pit_calibration_error,
    ],
)
def test_an_unknown_multioutput_is_an_error_that_lists_the_choices(metric):
    y = np.zeros(5)
    dist = stats.norm(np.zeros(5), np.ones(5))
    message = "multioutput must be 'raw_values', 'uniform_average' or 'sum', got 'mean'."
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        metric(y, dist, multioutput="mean")
