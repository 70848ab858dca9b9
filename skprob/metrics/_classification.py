"""Scores of class probabilities: log loss, Brier score, reliability, calibration error.

Each takes the class probabilities as sklearn's metrics do (``predict_proba``'s output,
columns in the order of ``labels``) or a classifier's ``predict_dist``, a
:class:`~skprob.distributions.CategoricalDistribution` that carries its own labels.
``log_loss`` and ``brier_score_loss`` are sklearn's, reached through that conversion.
"""

import inspect

import numpy as np
import sklearn
from sklearn import metrics as sklearn_metrics
from sklearn.utils import column_or_1d

from ..distributions import CategoricalDistribution

__all__ = [
    "brier_score_loss",
    "expected_calibration_error",
    "log_loss",
    "reliability_curve",
]


#: scikit-learn 1.7 gave ``brier_score_loss`` several classes and ``labels=``.
_BRIER_TAKES_LABELS = (
    "labels" in inspect.signature(sklearn_metrics.brier_score_loss).parameters
)


def class_probabilities(y_prob, labels, metric):
    """``(probabilities, labels)`` from ``predict_proba``'s output or a
    ``CategoricalDistribution`` (whose classes are the labels unless ``labels`` is given).
    """
    if isinstance(y_prob, CategoricalDistribution):
        if labels is None and y_prob.classes is not None:
            labels = y_prob.classes
        return y_prob.probs, labels
    if hasattr(y_prob, "cdf"):
        raise TypeError(
            f"{metric} scores class probabilities: predict_proba's output or a "
            f"classifier's predict_dist, not a {type(y_prob).__name__}. For a "
            "regressor's distribution use negative_log_likelihood, crps or "
            "pit_calibration_error."
        )
    return y_prob, labels


def log_loss(y_true, y_pred, *, labels=None, **kwargs):
    """sklearn's ``log_loss``, also for a classifier's ``predict_dist``.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
    y_pred : array-like of shape (n_samples, n_classes) or CategoricalDistribution
    labels : array-like of shape (n_classes,), default=None
        Labels of ``y_pred``'s columns; a distribution's own classes if None.
    **kwargs
        Passed to :func:`sklearn.metrics.log_loss` (``sample_weight``, ...).

    Examples
    --------
    >>> from skprob.distributions import CategoricalDistribution
    >>> dist = CategoricalDistribution([[0.9, 0.1], [0.2, 0.8]], classes=["a", "b"])
    >>> round(log_loss(["a", "b"], dist), 4)
    0.1643
    """
    y_pred, labels = class_probabilities(y_pred, labels, "log_loss")
    return float(sklearn_metrics.log_loss(y_true, y_pred, labels=labels, **kwargs))


def brier_score_loss(y_true, y_proba, *, labels=None, **kwargs):
    """sklearn's ``brier_score_loss``, also for a classifier's ``predict_dist``.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
    y_proba : array-like of shape (n_samples,) or (n_samples, n_classes), or
        CategoricalDistribution
    labels : array-like of shape (n_classes,), default=None
        Labels of ``y_proba``'s columns; a distribution's own classes if None.
    **kwargs
        Passed to :func:`sklearn.metrics.brier_score_loss` (``sample_weight``, ...).

    Examples
    --------
    >>> from skprob.distributions import CategoricalDistribution
    >>> dist = CategoricalDistribution([[0.9, 0.1], [0.2, 0.8]], classes=["a", "b"])
    >>> round(brier_score_loss(["a", "b"], dist), 4)
    0.025
    """
    y_proba, labels = class_probabilities(y_proba, labels, "brier_score_loss")
    if labels is None:
        return float(sklearn_metrics.brier_score_loss(y_true, y_proba, **kwargs))
    if _BRIER_TAKES_LABELS:
        return float(
            sklearn_metrics.brier_score_loss(y_true, y_proba, labels=labels, **kwargs)
        )
    # scikit-learn 1.6 scores one probability per row, of the positive class.
    y_proba = np.asarray(y_proba)
    if y_proba.ndim == 2 and y_proba.shape[1] > 2:
        raise ValueError(
            "brier_score_loss of more than two classes needs scikit-learn >= 1.7 "
            f"(this is {sklearn.__version__}); use log_loss, or upgrade."
        )
    positive = y_proba[:, -1] if y_proba.ndim == 2 else y_proba
    return float(
        sklearn_metrics.brier_score_loss(
            y_true, positive, pos_label=np.asarray(labels)[-1], **kwargs
        )
    )


def _confidence_and_correct(y_true, y_prob, labels, metric):
    y_prob, labels = class_probabilities(y_prob, labels, metric)
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
    y_prob : array-like of shape (n_samples,) or (n_samples, n_classes), or
        CategoricalDistribution
        Probabilities (``predict_proba``), or a classifier's ``predict_dist``.
    n_bins : int, default=10
    strategy : {"uniform", "quantile"}, default="uniform"
    labels : array-like of shape (n_classes,), default=None
        Labels in the order of ``y_prob``'s columns; a distribution's own classes, or
        else the sorted unique ``y_true``, if None.
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
    return _reliability(
        y_true, y_prob, n_bins, strategy, labels, sample_weight, "reliability_curve"
    )


def _reliability(y_true, y_prob, n_bins, strategy, labels, sample_weight, metric):
    confidence, correct = _confidence_and_correct(y_true, y_prob, labels, metric)
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
    :func:`reliability_curve`, which takes the same arguments: probabilities
    (``predict_proba``) or a classifier's ``predict_dist``. 0 is perfect calibration.

    Examples
    --------
    >>> round(expected_calibration_error([0, 1, 1, 0], [0.1, 0.9, 0.8, 0.3], n_bins=2), 4)
    0.175
    """
    prob_true, prob_pred, bin_weight = _reliability(
        y_true,
        y_prob,
        n_bins,
        strategy,
        labels,
        sample_weight,
        "expected_calibration_error",
    )
    return float(np.sum(bin_weight * np.abs(prob_true - prob_pred)) / bin_weight.sum())
