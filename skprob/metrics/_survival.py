"""Metrics for time-to-event predictions from censored targets."""

from collections import namedtuple

import numpy as np
from scipy import stats

from .._time_targets import event_and_time, time_bounds

__all__ = ["censored_negative_log_likelihood", "concordance_index", "d_calibration"]

#: Pairs compared at once by the concordance index: bounds its temporary arrays.
_PAIRS_PER_CHUNK = 2**22


def concordance_index(y_true, risk_score, *, tied_tol=1e-8):
    """Harrell's concordance index of a risk score with right-censored times.

    A pair of rows is comparable when the one with the earlier time had its event
    (also when the other was censored at that same time); it is concordant when that
    row has the higher risk score. The index is the fraction of comparable pairs that
    are concordant, a tie in the scores (within ``tied_tol``) counting one half: 0.5 for
    a random ordering, 1 for a perfect one. The definition and the tie rules of
    scikit-survival's ``concordance_index_censored`` (tests compare the two).

    Parameters
    ----------
    y_true : structured array, array-like of shape (n_samples, 2) or (n_samples,)
        scikit-survival's structured array, ``[time, event]`` columns, or times alone.
    risk_score : array-like of shape (n_samples,)
        Higher for an event sooner (``SurvivalRegressor.predict``).
    tied_tol : float, default=1e-8
        Scores closer than this are ties.

    Returns
    -------
    cindex : float

    Examples
    --------
    >>> concordance_index([[1.0, 1], [2.0, 1], [3.0, 0]], [3.0, 2.0, 1.0])
    1.0
    >>> concordance_index([[1.0, 1], [2.0, 1], [3.0, 0]], [1.0, 2.0, 3.0])
    0.0
    """
    event, time = event_and_time(y_true)
    risk = np.asarray(risk_score, dtype=np.float64).ravel()
    if len(risk) != len(time):
        raise ValueError(f"y_true has {len(time)} rows but risk_score {len(risk)} values.")
    if not np.isfinite(risk).all():
        raise ValueError("risk_score holds NaN or infinite values.")
    events = np.flatnonzero(event)
    n_chunks = max(1, len(events) * len(time) // _PAIRS_PER_CHUNK + 1)
    comparable = concordant = tied = 0
    for rows in np.array_split(events, n_chunks):
        t_i, r_i = time[rows, None], risk[rows, None]
        later = (time > t_i) | ((time == t_i) & ~event)
        tie = np.abs(risk - r_i) <= tied_tol
        comparable += int(later.sum())
        concordant += int((later & (risk < r_i) & ~tie).sum())
        tied += int((later & tie).sum())
    if comparable == 0:
        raise ValueError(
            "No comparable pairs: the concordance index needs an event before some "
            "other row's time."
        )
    return (concordant + 0.5 * tied) / comparable


def _log_probabilities(bounds, dist):
    """Each row's log-probability of what was seen: the log-density of an event, the
    log survival of a right-censored row, the log mass of an interval."""
    lower, upper, bounded = bounds.T
    bounded = bounded > 0
    exact, interval = bounded & (lower == upper), bounded & (lower < upper)
    has_lower = lower > 0
    # Stand-in times where a term is not used, so that none is evaluated at 0 or inf.
    with np.errstate(divide="ignore", invalid="ignore"):
        log_density = dist.logpdf(np.where(exact, lower, 1.0))
        log_s_lower = np.where(has_lower, dist.logsf(np.where(has_lower, lower, 1.0)), 0)
        log_s_upper = dist.logsf(np.where(interval, upper, 1.0))
        log_gap = np.where(interval, log_s_upper - log_s_lower, -1.0)
        log_interval = log_s_lower + np.log(
            -np.expm1(np.minimum(log_gap, -np.finfo(float).tiny))
        )
    return np.where(exact, log_density, np.where(interval, log_interval, log_s_lower))


def censored_negative_log_likelihood(
    y_true, dist, *, censoring="right", sample_weight=None
):
    """Mean negative log-likelihood of censored times under predicted distributions.

    Each row scores the probability of what was seen: ``-log p(t)`` for an event at
    ``t``, ``-log S(t)`` for a row right-censored at ``t``, ``-log(S(a) - S(b))`` for an
    event in ``[a, b]``: the loss :class:`~skprob.SurvivalRegressor` minimises, a proper
    scoring rule for censored data. Lower is better. As with any log-likelihood of a
    density, it depends on the units of time; compare models on the same targets.

    Parameters
    ----------
    y_true : targets as :class:`~skprob.SurvivalRegressor` takes them under ``censoring``
    dist : distribution of shape (n_samples,) with ``logpdf`` and ``logsf``
        ``SurvivalRegressor.predict_dist(X)``, or any scipy.stats frozen distribution.
    censoring : {"right", "interval"}, default="right"
    sample_weight : array-like of shape (n_samples,), default=None

    Returns
    -------
    nll : float

    Examples
    --------
    >>> from scipy import stats
    >>> dist = stats.expon(scale=[1.0, 1.0])
    >>> round(censored_negative_log_likelihood([[2.0, 1], [2.0, 0]], dist), 4)
    2.0
    """
    if censoring not in ("right", "interval"):
        raise ValueError(f"censoring must be 'right' or 'interval', got {censoring!r}.")
    bounds = time_bounds(y_true, censoring)
    shape = np.shape(dist.mean())
    if shape != (len(bounds),):
        raise ValueError(
            f"y_true has {len(bounds)} rows but the distribution has shape {shape}."
        )
    nll = -_log_probabilities(bounds, dist)
    if np.isnan(nll).any():
        raise ValueError("The distribution gave NaN log-probabilities.")
    return float(np.average(nll, weights=sample_weight))


DCalibration = namedtuple("DCalibration", ["statistic", "pvalue", "proportions"])


def d_calibration(y_true, dist, *, n_bins=10):
    """Distribution calibration for right-censored times (Haider et al., 2020).

    For calibrated predictions the survival probability at each row's event time,
    ``S(t | x)``, is uniform on [0, 1]. An event puts its row in the bin of that value;
    a row censored at ``c`` only says its event time is beyond ``c``, so its value lies
    below ``s = S(c | x)``, uniformly under calibration: it spreads its one unit over
    ``[0, s]`` (the bin of ``s`` gets ``(s - bin's lower edge) / s``, each bin below
    ``1 / (n_bins s)``). A chi-square test of the bins' counts against equal counts
    gives the p-value: a small one says the predictions are not calibrated.

    Parameters
    ----------
    y_true : structured array, array-like of shape (n_samples, 2) or (n_samples,)
        Right-censored targets, as :func:`concordance_index` takes them.
    dist : distribution of shape (n_samples,) with ``sf``
    n_bins : int, default=10

    Returns
    -------
    result : DCalibration
        ``statistic`` (chi-square), ``pvalue`` and ``proportions`` (each bin's share
        of the rows; ``1 / n_bins`` each when calibrated).

    Examples
    --------
    >>> import numpy as np
    >>> from scipy import stats
    >>> time = stats.expon.rvs(size=2000, random_state=0)
    >>> y = np.column_stack([time, np.ones(2000)])
    >>> bool(d_calibration(y, stats.expon(scale=np.ones(2000))).pvalue > 0.01)
    True
    >>> bool(d_calibration(y, stats.expon(scale=np.full(2000, 3.0))).pvalue < 1e-6)
    True
    """
    event, time = event_and_time(y_true)
    n_bins = int(n_bins)
    if n_bins < 2:
        raise ValueError(f"n_bins must be at least 2, got {n_bins}.")
    s = np.clip(np.asarray(dist.sf(time), dtype=np.float64), 0.0, 1.0)
    if np.isnan(s).any():
        raise ValueError("The distribution's survival function gave NaN.")
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    which = np.minimum((s * n_bins).astype(int), n_bins - 1)
    counts = np.bincount(which[event], minlength=n_bins).astype(float)
    censored = ~event
    s_c, bin_c = s[censored], which[censored]
    positive = s_c > 0
    # A row censored where S is 0 says nothing the bins can hold; it joins the lowest.
    counts[0] += np.sum(~positive)
    s_c, bin_c = s_c[positive], bin_c[positive]
    np.add.at(counts, bin_c, (s_c - edges[bin_c]) / s_c)
    below = np.arange(n_bins)[None, :] < bin_c[:, None]
    counts += (below / (n_bins * s_c[:, None])).sum(axis=0)
    expected = len(time) / n_bins
    statistic = float(np.sum((counts - expected) ** 2 / expected))
    pvalue = float(stats.chi2.sf(statistic, n_bins - 1))
    return DCalibration(statistic, pvalue, counts / len(time))
