"""Plots of predictive distributions, in the style of sklearn's ``CalibrationDisplay``.

matplotlib is an optional dependency: it is imported when a plot is drawn.
"""

from ._classification import ClassifierCalibrationDisplay
from ._regression import RegressionCalibrationDisplay

__all__ = ["ClassifierCalibrationDisplay", "RegressionCalibrationDisplay"]
