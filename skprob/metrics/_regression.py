"""Proper scores and calibration of predictive distributions of real-valued targets.

Each function takes ``(y_true, dist, sample_weight=None)``: ``dist`` is what
``predict_dist`` returns (anything with scipy.stats' interface, of y's shape); anything
else (``predict_proba``'s probabilities, say) is a ``TypeError`` that names what fits.
Multi-output ``y`` of shape (n, D) is scored per output, then combined as
``multioutput`` says.
"""

import numpy as np
from sklearn.utils import check_random_state, column_or_1d

from ..distributions import CategoricalDistribution
from ._crps import crps_per_element, is_integer_valued

__all__ = [
    "crps",
    "interval_coverage",
    "interval_width",
    "negative_log_likelihood",
    "pit",
    "pit_calibration_error",
]


def _columns(values, n_rows):
    """Reshape per-row values of shape (n,) or (n, D) to (n, D)."""
    return np.asarray(values, dtype=float).reshape(n_rows, -1)


#: What a metric of this module says when given something other than a distribution.
_NOT_A_DISTRIBUTION = (
    "{metric} takes the distribution that predict_dist returns (scipy.stats' "
    "interface: cdf, ppf, logpdf or logpmf), not {kind}. For class probabilities "
    "(predict_proba's output) use log_loss, brier_score_loss or "
    "expected_calibration_error."
)


def _check_distribution(dist, metric):
    """Raise a ``TypeError`` that says what ``metric`` takes, unless ``dist`` is one."""
    if hasattr(dist, "cov") and not hasattr(dist, "cdf"):
        if metric == "negative_log_likelihood":
            return  # a joint distribution of several outputs: logpdf of each vector
        raise TypeError(
            f"{metric} scores each output's distribution; a "
            f"{type(dist).__name__} is the joint distribution of the outputs. Score it "
            "by negative_log_likelihood or energy_score, or one output by its "
            "marginal(d)."
        )
    if isinstance(dist, np.ndarray) or not (hasattr(dist, "cdf") and hasattr(dist, "mean")):
        kind = (
            f"an array of shape {np.shape(dist)}"
            if isinstance(dist, (np.ndarray, list, tuple))
            else f"a {type(dist).__name__}"
        )
        raise TypeError(_NOT_A_DISTRIBUTION.format(metric=metric, kind=kind))


def _check_y(y_true, dist, metric):
    _check_distribution(dist, metric)
    dist_values = dist.mean()
    y_true = np.asarray(y_true, dtype=float)
    if y_true.shape != np.shape(dist_values):
        raise ValueError(
            f"y_true has shape {y_true.shape} but the distribution has shape "
            f"{np.shape(dist_values)}; they must match (one distribution per target)."
        )
    return y_true


def _weights(sample_weight, n_rows):
    if sample_weight is None:
        return np.ones(n_rows)
    sample_weight = np.asarray(sample_weight, dtype=float)
    if sample_weight.shape != (n_rows,):
        raise ValueError(
            f"sample_weight has shape {sample_weight.shape}, expected ({n_rows},)."
        )
    return sample_weight


def _average(per_row, sample_weight, multioutput):
    """Weighted mean over rows of (n, D) values, combined over outputs."""
    per_row = _columns(per_row, len(per_row))
    per_output = np.average(per_row, axis=0, weights=_weights(sample_weight, len(per_row)))
    if multioutput == "raw_values":
        return per_output
    if multioutput == "uniform_average":
        return float(per_output.mean())
    if multioutput == "sum":
        return float(per_output.sum())
    raise ValueError(
        "multioutput must be 'raw_values', 'uniform_average' or 'sum', "
        f"got {multioutput!r}."
    )


def _log_density(dist, y):
    if hasattr(dist, "logpdf"):
        return dist.logpdf(y)
    return dist.logpmf(y)


def negative_log_likelihood(y_true, dist, *, sample_weight=None, multioutput="sum"):
    """Mean negative log-likelihood (log score) of ``y_true`` under ``dist``.

    Lower is better. With several outputs the default sums their NLLs, which is the NLL of
    the joint distribution of independent outputs: what the estimators minimise.

    A classifier's distribution scores the labels of its ``classes_`` (strings, or
    integers such as ``[2, 7, 11]``): the result is sklearn's ``log_loss``, and a label
    the model never saw is an error rather than an infinite loss.

    For a distribution on the integers (``logpmf``: the count families) the score is
    ``-log P(Y = y)``, for any other ``-log p(y)``, a density. The two are not
    comparable: a density's value depends on y's units, a probability does not. Compare
    a count model with a continuous one by :func:`crps` instead; a count distribution
    meeting a non-integer target raises a ``ValueError``.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,) or (n_samples, n_outputs)
    dist : predictive distribution of the same shape (scipy.stats interface)
    sample_weight : array-like of shape (n_samples,), default=None
    multioutput : {"sum", "uniform_average", "raw_values"}, default="sum"

    Returns
    -------
    nll : float or ndarray of shape (n_outputs,)

    Examples
    --------
    >>> from scipy import stats
    >>> round(negative_log_likelihood([0.0], stats.norm([0.0], [1.0])), 4)
    0.9189
    """
    if isinstance(dist, CategoricalDistribution):
        # Class labels (strings, or integers such as [2, 7, 11]): the log loss.
        y_true = column_or_1d(y_true)
        if len(y_true) != len(dist):
            raise ValueError(
                f"y_true has {len(y_true)} labels but the distribution {len(dist)} rows."
            )
        return _average(-dist.logpmf(y_true), sample_weight, multioutput)
    y_true = _check_y(y_true, dist, "negative_log_likelihood")
    if is_integer_valued(dist):
        _check_integer_targets(y_true)
    return _average(-_log_density(dist, y_true), sample_weight, multioutput)


def _check_integer_targets(y_true):
    # A distribution on the integers gives a non-integer y probability 0: an infinite
    # NLL that says nothing about the model. Refuse, and say what compares instead.
    fractional = y_true != np.floor(y_true)
    if fractional.any():
        index = tuple(int(i) for i in np.argwhere(fractional)[0])
        raise ValueError(
            f"y_true{list(index)} = {y_true[index]} is not an integer, but the "
            "distribution is over the integers (a count family): its probability "
            "there is 0. Score non-integer targets with a continuous distribution, or "
            "compare count and continuous models by CRPS."
        )


def crps(y_true, dist, *, sample_weight=None, multioutput="uniform_average"):
    """Mean continuous ranked probability score, in the units of y.

    ``CRPS(F, y) = integral (F(z) - 1{z >= y})^2 dz``; lower is better. A point forecast
    scores its absolute error, so CRPS compares with MAE, and it compares any two
    distributions of the same targets, a density with a count distribution included
    (their log-likelihoods are not comparable).

    Closed forms for scipy's Normal, Laplace, t, log-normal, gamma, Poisson and negative
    binomial, and for a Normal :class:`~skprob.distributions.MixtureDistribution` (its
    own ``crps`` method, which integrates a mixture of other families numerically, to
    about 1e-4). Any other distribution on the integers (an ensemble's
    :class:`~skprob.distributions.DiscreteMixtureDistribution`) is summed exactly over
    the integers; any other with a ``ppf`` goes through the quantile form
    ``2 * integral_0^1 pinball_tau(y, F^-1(tau)) dtau`` on 1000 levels.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,) or (n_samples, n_outputs)
    dist : predictive distribution of the same shape
    sample_weight : array-like of shape (n_samples,), default=None
    multioutput : {"uniform_average", "raw_values", "sum"}, default="uniform_average"

    Returns
    -------
    crps : float or ndarray of shape (n_outputs,)

    Examples
    --------
    >>> from scipy import stats
    >>> round(crps([0.0], stats.norm([0.0], [1.0])), 4)
    0.2337
    """
    if isinstance(dist, CategoricalDistribution):
        raise TypeError(
            "crps scores a distribution over numbers; a classifier's classes need not "
            "be ordered. Score class probabilities with negative_log_likelihood (the "
            "log loss), brier_score_loss or expected_calibration_error."
        )
    y_true = _check_y(y_true, dist, "crps")
    return _average(crps_per_element(y_true, dist), sample_weight, multioutput)


def _check_confidence(confidence):
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be in (0, 1), got {confidence}.")


def interval_coverage(
    y_true, dist, *, confidence=0.9, sample_weight=None, multioutput="uniform_average"
):
    """Share of targets inside the central ``confidence`` prediction interval.

    A calibrated model covers ``confidence`` of them.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,) or (n_samples, n_outputs)
    dist : predictive distribution of the same shape
    confidence : float in (0, 1), default=0.9
    sample_weight : array-like of shape (n_samples,), default=None
    multioutput : {"uniform_average", "raw_values"}, default="uniform_average"

    Returns
    -------
    coverage : float or ndarray of shape (n_outputs,)

    Examples
    --------
    >>> from scipy import stats
    >>> interval_coverage([0.0, 3.0], stats.norm([0.0, 0.0], [1.0, 1.0]))
    0.5
    """
    _check_confidence(confidence)
    y_true = _check_y(y_true, dist, "interval_coverage")
    low, high = dist.interval(confidence)
    inside = (y_true >= low) & (y_true <= high)
    return _average(inside, sample_weight, multioutput)


def interval_width(
    y_true, dist, *, confidence=0.9, sample_weight=None, multioutput="uniform_average"
):
    """Mean width of the central ``confidence`` prediction interval, in y's units.

    Coverage alone rewards wide intervals; report it with their width.
    ``y_true`` only fixes the shape and is not otherwise used.

    Examples
    --------
    >>> from scipy import stats
    >>> round(interval_width([0.0], stats.norm([0.0], [1.0]), confidence=0.95), 3)
    3.92
    """
    _check_confidence(confidence)
    _check_y(y_true, dist, "interval_width")
    low, high = dist.interval(confidence)
    return _average(np.asarray(high) - np.asarray(low), sample_weight, multioutput)


def pit(y_true, dist, *, random_state=None):
    """Probability integral transform ``F(y)`` of each target.

    For a calibrated continuous forecast the values are uniform on [0, 1]. For a
    distribution on the integers ``F(y)`` jumps at y, so the randomised PIT is returned
    instead (Czado, Gneiting and Held, 2009): ``F(y - 1) + V (F(y) - F(y - 1))`` with
    ``V`` uniform, again uniform for a calibrated forecast.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,) or (n_samples, n_outputs)
    dist : predictive distribution of the same shape
    random_state : int, RandomState instance or None, default=None
        Draws ``V`` for a distribution on the integers; unused otherwise.

    Returns
    -------
    pit : ndarray of the shape of ``y_true``

    Examples
    --------
    >>> from scipy import stats
    >>> pit([0.0, 1.0], stats.norm([0.0, 0.0], [1.0, 1.0])).round(3)
    array([0.5  , 0.841])
    >>> pit([0.0], stats.poisson([1.0]), random_state=0).round(3)  # within [0, e^-1]
    array([0.202])
    """
    lower, upper = _pit_bounds(y_true, dist, "pit")
    if lower is upper:
        return upper
    draws = check_random_state(random_state).uniform(size=upper.shape)
    return lower + draws * (upper - lower)


def _pit_bounds(y_true, dist, metric):
    """``P(Y < y)`` and ``P(Y <= y)``: one array (the same object) if ``dist`` is
    continuous, the ends of the jump at y for a distribution on the integers."""
    y_true = _check_y(y_true, dist, metric)
    upper = np.asarray(dist.cdf(y_true), dtype=float)
    if not is_integer_valued(dist):
        return upper, upper
    return np.asarray(dist.cdf(np.ceil(y_true) - 1), dtype=float), upper


def pit_calibration_error(
    y_true, dist, *, n_levels=19, sample_weight=None, multioutput="uniform_average"
):
    """Mean absolute gap between the PIT's empirical CDF and the uniform CDF.

    At levels ``p = 1/(n_levels+1), ..., n_levels/(n_levels+1)`` it compares the weighted
    share of targets with ``F(y) <= p`` with ``p`` (the calibration error of Kuleshov et
    al., 2018, with absolute rather than squared gaps). 0 is perfect calibration. For a
    distribution on the integers the share is that of the randomised PIT (see
    :func:`pit`) in expectation over its draws, which needs no random numbers: a
    target's jump from ``F(y - 1)`` to ``F(y)`` counts by the part of it below ``p``.

    Examples
    --------
    >>> import numpy as np
    >>> from scipy import stats
    >>> y = stats.norm.rvs(size=20000, random_state=0)
    >>> bool(pit_calibration_error(y, stats.norm(np.zeros_like(y), 1.0)) < 0.01)
    True
    """
    n_rows = len(np.asarray(y_true))
    bounds = _pit_bounds(y_true, dist, "pit_calibration_error")
    lower, upper = (_columns(bound, n_rows) for bound in bounds)
    levels = pit_levels(n_levels)
    observed = pit_shares_below(upper, levels, sample_weight, lower=lower)
    per_output = np.abs(observed - levels[:, None]).mean(axis=0)
    return _average(per_output[None, :], None, multioutput)


def pit_levels(n_levels):
    """The levels ``1/(n_levels+1), ..., n_levels/(n_levels+1)``."""
    return np.arange(1, n_levels + 1) / (n_levels + 1)


def pit_shares_below(pit_values, levels, sample_weight=None, *, lower=None):
    """Weighted share of PIT values at or below each level, per output.

    ``pit_values`` has shape (n, D); the result has shape (n_levels, D). With ``lower``
    (``F(y - 1)`` of a count distribution, ``pit_values`` being ``F(y)``) a target
    counts by the part of its jump from ``lower`` to ``pit_values`` below the level: the
    expected share of the randomised PIT.
    """
    weights = _weights(sample_weight, len(pit_values))
    levels = levels[:, None, None]
    below = (pit_values[None, :, :] <= levels).astype(float)
    if lower is not None:
        # Where the CDF jumps at y, the part of the jump below the level; elsewhere
        # (no jump: y off the integers' support) the plain indicator stays.
        jump = np.broadcast_to(pit_values - lower, below.shape)
        part = np.divide(levels - lower[None], jump, out=below, where=jump > 0)
        below = np.clip(part, 0.0, 1.0)
    return np.einsum("lnd,n->ld", below, weights) / weights.sum()
