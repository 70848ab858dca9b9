"""Baselines shared by the quality benchmarks."""

import numpy as np
from scipy import stats

__all__ = ["ConstantSigma"]


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
