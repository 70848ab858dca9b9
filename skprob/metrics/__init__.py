"""Proper scoring rules, calibration measures and scorers for predictive distributions."""

from ._classification import (
    brier_score_loss,
    expected_calibration_error,
    log_loss,
    reliability_curve,
)
from ._multivariate import energy_score
from ._regression import (
    crps,
    interval_coverage,
    interval_width,
    negative_log_likelihood,
    pit,
    pit_calibration_error,
)
from ._scorers import (
    DistributionScorer,
    censored_nll_scorer,
    coverage_scorer,
    crps_scorer,
    nll_scorer,
)
from ._survival import censored_negative_log_likelihood, concordance_index, d_calibration

__all__ = [
    "DistributionScorer",
    "brier_score_loss",
    "censored_negative_log_likelihood",
    "censored_nll_scorer",
    "concordance_index",
    "coverage_scorer",
    "crps",
    "crps_scorer",
    "d_calibration",
    "energy_score",
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
