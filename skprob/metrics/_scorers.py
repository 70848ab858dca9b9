"""Scorers for ``scoring=``: greater is better, so losses are negated."""

from .._meta import predict_dist
from ._regression import crps, interval_coverage, negative_log_likelihood
from ._survival import censored_negative_log_likelihood

__all__ = ["censored_nll_scorer", "coverage_scorer", "crps_scorer", "nll_scorer"]


class DistributionScorer:
    """Score an estimator's predictive distribution on (X, y).

    Works on a bare skprob estimator, a ``Pipeline`` ending in one and a fitted search
    object, through :func:`skprob.predict_dist`.

    Parameters
    ----------
    score_func : callable
        ``score_func(y_true, dist, sample_weight=None, **kwargs) -> float``.
    sign : {1, -1}
        -1 for losses, so that greater is better.
    **kwargs
        Passed on to ``score_func``.

    Examples
    --------
    >>> from sklearn.datasets import load_diabetes
    >>> from skprob import GaussianRegressor
    >>> from skprob.metrics import DistributionScorer, interval_width
    >>> X, y = load_diabetes(return_X_y=True)
    >>> model = GaussianRegressor(max_epochs=5, random_state=0).fit(X, y)
    >>> narrow_is_better = DistributionScorer(interval_width, sign=-1, confidence=0.5)
    >>> bool(narrow_is_better(model, X, y) < 0)
    True
    """

    def __init__(self, score_func, sign, **kwargs):
        self.score_func = score_func
        self.sign = sign
        self.kwargs = kwargs

    def __call__(self, estimator, X, y_true, sample_weight=None):
        dist = predict_dist(estimator, X)
        return self.sign * self.score_func(
            y_true, dist, sample_weight=sample_weight, **self.kwargs
        )

    def __repr__(self):
        kwargs = "".join(f", {k}={v!r}" for k, v in self.kwargs.items())
        negate = ", negated" if self.sign < 0 else ""
        return f"DistributionScorer({self.score_func.__name__}{negate}{kwargs})"


def coverage_scorer(confidence=0.9):
    """Scorer: minus the gap between interval coverage and ``confidence``.

    0 is best (calibrated intervals); over- and under-coverage both score below 0.

    Examples
    --------
    >>> from sklearn.datasets import load_diabetes
    >>> from sklearn.model_selection import cross_val_score
    >>> from skprob import GaussianRegressor
    >>> from skprob.metrics import coverage_scorer
    >>> X, y = load_diabetes(return_X_y=True)
    >>> scores = cross_val_score(GaussianRegressor(max_epochs=5, random_state=0), X, y,
    ...                          scoring=coverage_scorer(0.9), cv=2)
    >>> bool((scores <= 0).all())
    True
    """

    def coverage_gap(y_true, dist, sample_weight=None):
        coverage = interval_coverage(
            y_true, dist, confidence=confidence, sample_weight=sample_weight
        )
        return abs(coverage - confidence)

    coverage_gap.__name__ = f"coverage_gap_at_{confidence:g}"
    return DistributionScorer(coverage_gap, sign=-1)


#: Scorer: minus the mean NLL of the predictive distribution (greater is better).
nll_scorer = DistributionScorer(negative_log_likelihood, sign=-1)

#: Scorer: minus the mean CRPS of the predictive distribution (greater is better).
crps_scorer = DistributionScorer(crps, sign=-1)

#: Scorer: minus the mean censored NLL of right-censored times
#: (:func:`censored_negative_log_likelihood`); for ``censoring="interval"`` build
#: ``DistributionScorer(censored_negative_log_likelihood, sign=-1,
#: censoring="interval")``.
censored_nll_scorer = DistributionScorer(censored_negative_log_likelihood, sign=-1)
