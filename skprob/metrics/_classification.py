"""Calibration of class probabilities: reliability curve and expected calibration error.

Log loss and the Brier score are sklearn's own (``sklearn.metrics.log_loss``,
``brier_score_loss``); they are re-exported from ``skprob.metrics`` for convenience.
"""

import numpy as np
from sklearn.utils import column_or_1d

__all__ = ["expected_calibration_error", "reliability_curve"]


def _confidence_and_correct(y_true, y_prob, labels):
    y_true = column_or_1d(y_true)
    y_prob = np.asarray(y_prob, dtype=float)
    if y_prob.ndim == 1:
        # Binary: the probability of the positive class, calibrated as given.
        if labels is not None and len(labels) != 2:
            raise ValueError(
                f"y_prob of shape (n_samples,) is binary, but {len(labels)} labels were "
                "given; pass the two labels, the positive class last."
            )
        positive = np.unique(y_true)[-1] if labels is None else np.asarray(labels)[-1]
        return y_prob, (y_true == positive).astype(float)
    labels = np.unique(y_true) if labels is None else np.asarray(labels)
    if y_prob.shape[1] != len(labels):
        raise ValueError(
            f"y_prob has {y_prob.shape[1]} columns but there are {len(labels)} labels; "
            "pass labels= in the order of the columns (an estimator's classes_)."
        )
    # Multiclass: top-label calibration, confidence of the predicted class vs accuracy.
    return y_prob.max(axis=1), (labels[y_prob.argmax(axis=1)] == y_true).astype(float)


def _bin_index(confidence, n_bins, strategy):
    if strategy == "uniform":
        edges = np.linspace(0, 1, n_bins + 1)
    elif strategy == "quantile":
        edges = np.quantile(confidence, np.linspace(0, 1, n_bins + 1))
    else:
        raise ValueError(f"strategy must be 'uniform' or 'quantile', got {strategy!r}.")
    # A probability on an edge goes to the bin below it, as in sklearn's
    # calibration_curve: bins are (a, b], the first [0, b].
    # Searching the n_bins - 1 inner edges gives bin numbers 0 .. n_bins - 1.
    return np.searchsorted(edges[1:-1], confidence, side="left")


def reliability_curve(
    y_true, y_prob, *, n_bins=10, strategy="uniform", labels=None, sample_weight=None
):
    """Observed frequency against predicted probability, in bins of the latter.

    For binary ``y_prob`` of shape (n,) (probability of the positive class) it is
    sklearn's ``calibration_curve``, with weights and counts; for ``y_prob`` of shape
    (n, K) it is the top-label curve: confidence of the predicted class vs its accuracy.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
    y_prob : array-like of shape (n_samples,) or (n_samples, n_classes)
    n_bins : int, default=10
    strategy : {"uniform", "quantile"}, default="uniform"
    labels : array-like of shape (n_classes,), default=None
        Labels in the order of ``y_prob``'s columns; sorted unique ``y_true`` if None.
        For a binary ``y_prob`` of shape (n,), the two labels, the positive class last.
    sample_weight : array-like of shape (n_samples,), default=None

    Returns
    -------
    prob_true : ndarray of shape (n_nonempty_bins,)
        Weighted observed frequency (accuracy) per non-empty bin.
    prob_pred : ndarray of shape (n_nonempty_bins,)
        Weighted mean predicted probability per non-empty bin.
    bin_weight : ndarray of shape (n_nonempty_bins,)
        Total weight per non-empty bin.

    Examples
    --------
    >>> prob_true, prob_pred, counts = reliability_curve(
    ...     [0, 0, 1, 1], [0.1, 0.3, 0.6, 0.9], n_bins=2)
    >>> prob_true, prob_pred, counts
    (array([0., 1.]), array([0.2 , 0.75]), array([2., 2.]))
    """
    confidence, correct = _confidence_and_correct(y_true, y_prob, labels)
    weights = (
        np.ones(len(confidence))
        if sample_weight is None
        else np.asarray(sample_weight, dtype=float)
    )
    index = _bin_index(confidence, n_bins, strategy)
    bin_weight = np.bincount(index, weights=weights, minlength=n_bins)
    observed = np.bincount(index, weights=weights * correct, minlength=n_bins)
    predicted = np.bincount(index, weights=weights * confidence, minlength=n_bins)
    nonempty = bin_weight > 0
    return (
        observed[nonempty] / bin_weight[nonempty],
        predicted[nonempty] / bin_weight[nonempty],
        bin_weight[nonempty],
    )


def expected_calibration_error(
    y_true, y_prob, *, n_bins=10, strategy="uniform", labels=None, sample_weight=None
):
    """Expected calibration error: the weighted mean gap of the reliability curve.

    ``ECE = sum_b (w_b / w) * |accuracy_b - confidence_b|`` over the bins of
    :func:`reliability_curve`. 0 is perfect calibration.

    Examples
    --------
    >>> round(expected_calibration_error([0, 1, 1, 0], [0.1, 0.9, 0.8, 0.3], n_bins=2), 4)
    0.175
    """
    prob_true, prob_pred, bin_weight = reliability_curve(
        y_true,
        y_prob,
        n_bins=n_bins,
        strategy=strategy,
        labels=labels,
        sample_weight=sample_weight,
    )
    return float(np.sum(bin_weight * np.abs(prob_true - prob_pred)) / bin_weight.sum())
