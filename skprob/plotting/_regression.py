"""Calibration plots of regressors' predictive distributions (PIT histograms and
central-interval coverage)."""

import numpy as np

from .._meta import predict_dist
from ..metrics._regression import _pit_bounds, pit_levels, pit_shares_below

__all__ = ["RegressionCalibrationDisplay"]


class RegressionCalibrationDisplay:
    """Calibration of a regressor's predictive distributions: reliability diagram or PIT.

    The probability integral transform ``F(y)`` of each target is uniform on [0, 1] for a
    calibrated model. The reliability diagram plots, for levels ``p``, the share of
    targets with ``F(y) <= p`` against ``p`` (on the diagonal when calibrated; below it
    where the model is overconfident in the lower tail); the PIT histogram shows the same
    values binned (flat when calibrated, U-shaped when overconfident, humped when
    underconfident). Classifiers: sklearn's ``CalibrationDisplay`` (binary) or
    :class:`ClassifierCalibrationDisplay` (any number of classes).

    Build it with :meth:`from_estimator` or :meth:`from_predictions`.

    Parameters
    ----------
    pit_values : ndarray of shape (n_samples,) or (n_samples, n_outputs)
    levels : ndarray of shape (n_levels,)
    observed : ndarray of shape (n_levels,)
        Share of targets with ``F(y) <= level`` (all outputs pooled).
    calibration_error : float
        :func:`skprob.metrics.pit_calibration_error`.
    estimator_name : str, default=None

    Attributes
    ----------
    ax_ : matplotlib Axes
    figure_ : matplotlib Figure
    line_ : matplotlib Line2D or None
        The reliability curve (``kind="reliability"``).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np
    >>> from scipy import stats
    >>> from skprob.plotting import RegressionCalibrationDisplay
    >>> y = stats.norm.rvs(size=500, random_state=0)
    >>> display = RegressionCalibrationDisplay.from_predictions(
    ...     y, stats.norm(np.zeros(500), 1.0), kind="pit")
    >>> bool(display.calibration_error < 0.05)
    True
    """

    def __init__(
        self, pit_values, levels, observed, calibration_error, estimator_name=None
    ):
        self.pit_values = pit_values
        self.levels = levels
        self.observed = observed
        self.calibration_error = calibration_error
        self.estimator_name = estimator_name

    @classmethod
    def from_predictions(
        cls, y_true, dist, *, n_levels=19, name=None, kind="reliability", ax=None
    ):
        """Plot the calibration of ``dist`` (from ``predict_dist``) at ``y_true``.

        Parameters
        ----------
        y_true : array-like of shape (n_samples,) or (n_samples, n_outputs)
        dist : predictive distribution of the same shape
        n_levels : int, default=19
            Levels ``1/(n_levels+1) .. n_levels/(n_levels+1)`` of the reliability curve.
        name : str, default=None
            Legend label.
        kind : {"reliability", "pit"}, default="reliability"
        ax : matplotlib Axes, default=None

        Returns
        -------
        display : RegressionCalibrationDisplay
        """
        lower, upper = _pit_bounds(
            y_true, dist, "RegressionCalibrationDisplay"
        )  # the one evaluation of the CDF
        # The histogram shows the PIT, randomised for counts (a fixed draw, so that the
        # figure is reproducible); the curve the expected shares, which need no draw.
        values = upper
        if lower is not upper:
            draws = np.random.RandomState(0).uniform(size=upper.shape)
            values = lower + draws * (upper - lower)
        levels = pit_levels(n_levels)
        n_rows = len(upper)
        per_output = pit_shares_below(
            upper.reshape(n_rows, -1), levels, lower=lower.reshape(n_rows, -1)
        )
        # The error averages the outputs, as pit_calibration_error does; the curve pools
        # them.
        error = float(np.abs(per_output - levels[:, None]).mean())
        observed = pit_shares_below(
            upper.reshape(-1, 1), levels, lower=lower.reshape(-1, 1)
        )[:, 0]
        display = cls(values, levels, observed, error, estimator_name=name)
        return display.plot(kind=kind, ax=ax)

    @classmethod
    def from_estimator(
        cls, estimator, X, y, *, n_levels=19, name=None, kind="reliability", ax=None
    ):
        """Plot the calibration of a fitted estimator's predictive distribution on (X, y).

        ``estimator`` is a skprob regressor, a ``Pipeline`` ending in one or a fitted
        search object (see :func:`skprob.predict_dist`).
        """
        if name is None:
            final = estimator[-1] if hasattr(estimator, "steps") else estimator
            name = type(getattr(final, "best_estimator_", final)).__name__
        return cls.from_predictions(
            y, predict_dist(estimator, X), n_levels=n_levels, name=name, kind=kind, ax=ax
        )

    def plot(self, *, kind="reliability", ax=None):
        """Draw on ``ax`` (a new figure if None).

        Parameters
        ----------
        kind : {"reliability", "pit"}, default="reliability"
        ax : matplotlib Axes, default=None

        Returns
        -------
        display : RegressionCalibrationDisplay
        """
        import matplotlib.pyplot as plt

        if kind not in ("reliability", "pit"):
            raise ValueError(f"kind must be 'reliability' or 'pit', got {kind!r}.")
        if ax is None:
            _, ax = plt.subplots()
        label = f"{self.estimator_name or 'model'} (error {self.calibration_error:.3f})"
        self.line_ = None
        reference = "perfectly calibrated"
        has_reference = any(line.get_label() == reference for line in ax.get_lines())
        if kind == "reliability":
            if not has_reference:  # several models may share one axes
                ax.plot([0, 1], [0, 1], "k:", label=reference)
            (self.line_,) = ax.plot(self.levels, self.observed, "o-", label=label)
            ax.set(
                xlabel="predicted probability F(y) <= p  (level p)",
                ylabel="observed share of targets",
                xlim=(0, 1),
                ylim=(0, 1),
            )
        else:
            n_bins = len(self.levels) + 1
            ax.hist(
                self.pit_values.reshape(-1),
                bins=n_bins,
                range=(0, 1),
                density=True,
                alpha=0.7,
                label=label,
            )
            ax.axhline(1.0, color="k", linestyle=":", label="uniform (calibrated)")
            ax.set(xlabel="PIT value F(y)", ylabel="density", xlim=(0, 1))
        ax.legend(loc="lower right" if kind == "reliability" else "upper left")
        self.ax_, self.figure_ = ax, ax.figure
        return self
