"""Baselines shared by the quality benchmarks."""

import time
import warnings

import numpy as np
from scipy import stats
from sklearn.metrics import root_mean_squared_error

from skprob import predict_dist

__all__ = ["ConstantSigma", "fit_and_score", "with_piecewise_bins"]


def with_piecewise_bins(estimator_class, n_bins):
    """``estimator_class`` with ``n_bins`` quantile bins a feature for the piecewise-linear
    encoding (a class attribute, not a parameter: the benchmarks' ablation knob), or the
    class itself for None."""
    if n_bins is None:
        return estimator_class
    name = f"{estimator_class.__name__}{n_bins}Bins"
    return type(name, (estimator_class,), {"_piecewise_linear_bins": n_bins})


def fit_and_score(model, X, y, train, test):
    """Fit on the training rows (warnings silenced); test NLL, RMSE and fit seconds."""
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.fit(X[train], y[train])
        seconds = time.perf_counter() - start
        dist = predict_dist(model, X[test])
    nll = float(-np.mean(dist.logpdf(y[test])))
    return nll, float(root_mean_squared_error(y[test], dist.mean())), seconds


class ConstantSigma:
    """A point regressor plus one sigma: the RMS of its training residuals.

    What a user of a point regressor would do for a predictive distribution.
    """

    def __init__(self, regressor):
        self.regressor = regressor

    def fit(self, X, y):
        self.regressor.fit(X, y)
        self.sigma_ = np.sqrt(np.mean((y - self.regressor.predict(X)) ** 2))
        return self

    def predict_dist(self, X):
        mean = self.regressor.predict(X)
        return stats.norm(mean, np.full_like(mean, self.sigma_))
