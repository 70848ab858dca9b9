"""Reliability diagrams of multiclass probabilities (sklearn's display is binary-only)."""

import numpy as np

from ..metrics._classification import expected_calibration_error, reliability_curve

__all__ = ["ClassifierCalibrationDisplay"]


class ClassifierCalibrationDisplay:
    """Reliability diagram of a classifier's probabilities, for any number of classes.

    sklearn's ``CalibrationDisplay`` takes one probability per row: binary only. Here
    ``kind="top_label"`` plots the confidence of the predicted class against how often
    it is right (one curve; its gap is the expected calibration error), and
    ``kind="one_vs_rest"`` plots, for each class, its predicted probability against its
    observed frequency (one curve per class). Calibrated models lie on the diagonal.

    Build it with :meth:`from_estimator` or :meth:`from_predictions`.

    Parameters
    ----------
    curves : list of (label, prob_true, prob_pred, bin_weight)
        One entry per curve, from :func:`skprob.metrics.reliability_curve`.
    calibration_error : float
        The top-label expected calibration error.
    kind : {"top_label", "one_vs_rest"}
    estimator_name : str, default=None

    Attributes
    ----------
    ax_ : matplotlib Axes
    figure_ : matplotlib Figure
    lines_ : list of matplotlib Line2D

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np
    >>> from skprob.plotting import ClassifierCalibrationDisplay
    >>> rng = np.random.RandomState(0)
    >>> proba = rng.dirichlet([1, 1, 1], size=2000)
    >>> y = np.array([rng.choice(3, p=p) for p in proba])  # calibrated by construction
    >>> display = ClassifierCalibrationDisplay.from_predictions(
    ...     y, proba, kind="one_vs_rest")
    >>> len(display.lines_), bool(display.calibration_error < 0.05)
    (3, True)
    """

    def __init__(self, curves, calibration_error, kind, estimator_name=None):
        self.curves = curves
        self.calibration_error = calibration_error
        self.kind = kind
        self.estimator_name = estimator_name

    @classmethod
    def from_predictions(
        cls,
        y_true,
        y_prob,
        *,
        labels=None,
        n_bins=10,
        strategy="uniform",
        kind="top_label",
        name=None,
        ax=None,
    ):
        """Plot the calibration of class probabilities ``y_prob`` (n, K) at ``y_true``.

        ``labels`` are the classes in the order of ``y_prob``'s columns (an estimator's
        ``classes_``); sorted unique ``y_true`` if None.
        """
        if kind not in ("top_label", "one_vs_rest"):
            raise ValueError(f"kind must be 'top_label' or 'one_vs_rest', got {kind!r}.")
        y_true = np.asarray(y_true)
        y_prob = np.asarray(y_prob, dtype=float)
        labels = np.unique(y_true) if labels is None else np.asarray(labels)
        options = dict(n_bins=n_bins, strategy=strategy)
        error = expected_calibration_error(y_true, y_prob, labels=labels, **options)
        if kind == "top_label":
            curves = [
                ("top label", *reliability_curve(y_true, y_prob, labels=labels, **options))
            ]
        else:
            curves = [
                (
                    label,
                    *reliability_curve(
                        y_true == label, y_prob[:, k], labels=[False, True], **options
                    ),
                )
                for k, label in enumerate(labels)
            ]
        return cls(curves, error, kind, estimator_name=name).plot(ax=ax)

    @classmethod
    def from_estimator(
        cls,
        estimator,
        X,
        y,
        *,
        n_bins=10,
        strategy="uniform",
        kind="top_label",
        name=None,
        ax=None,
    ):
        """Plot the calibration of a fitted classifier's ``predict_proba`` on (X, y)."""
        if name is None:
            final = estimator[-1] if hasattr(estimator, "steps") else estimator
            name = type(getattr(final, "best_estimator_", final)).__name__
        return cls.from_predictions(
            y,
            estimator.predict_proba(X),
            labels=estimator.classes_,
            n_bins=n_bins,
            strategy=strategy,
            kind=kind,
            name=name,
            ax=ax,
        )

    def plot(self, *, ax=None):
        """Draw on ``ax`` (a new figure if None); returns the display."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots()
        reference = "perfectly calibrated"
        if not any(line.get_label() == reference for line in ax.get_lines()):
            ax.plot([0, 1], [0, 1], "k:", label=reference)
        name = self.estimator_name or "model"
        self.lines_ = []
        for label, prob_true, prob_pred, _ in self.curves:
            if self.kind == "top_label":
                text = f"{name} (ECE {self.calibration_error:.3f})"
            else:
                text = f"{name}: class {label}"
            (line,) = ax.plot(prob_pred, prob_true, "s-", label=text)
            self.lines_.append(line)
        xlabel = (
            "confidence of the predicted class"
            if self.kind == "top_label"
            else "predicted probability of the class"
        )
        ax.set(xlabel=xlabel, ylabel="observed frequency", xlim=(0, 1), ylim=(0, 1))
        ax.legend(loc="upper left")
        self.ax_, self.figure_ = ax, ax.figure
        return self
