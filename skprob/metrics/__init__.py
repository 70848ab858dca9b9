"""Proper scoring rules, calibration measures and scorers for predictive distributions."""

from ._classification import (
    brier_score_loss,
    expected_calibration_error,
    log_loss,
    reliability_curve,
)
from ._regression import (
    crps,
    interval_coverage,
    interval_width,
    negative_log_likelihood,
    pit,
    pit_calibration_error,
)
from ._scorers import DistributionScorer, coverage_scorer, crps_scorer, nll_scorer

__all__ = [
    "DistributionScorer",
    "brier_score_loss",
    "coverage_scorer",
    "crps",
    "crps_scorer",
    "expected_calibration_error",
    "interval_coverage",
    "interval_width",
    "log_loss",
    "negative_log_likelihood",
    "nll_scorer",
    "pit",
    "pit_calibration_error",
    "reliability_curve",
]
