"""Predictive distributions with scipy.stats' interface, where scipy has none vectorised."""

import numpy as np
from sklearn.utils import check_random_state

__all__ = ["CategoricalDistribution"]


class CategoricalDistribution:
    """Categorical distributions over class indices 0 to K-1, one per row.

    The interface follows a frozen ``scipy.stats`` discrete distribution (``pmf``,
    ``logpmf``, ``cdf``, ``ppf``, ``mean``, ``var``, ``std``, ``interval``, ``rvs``,
    ``entropy``), vectorised over rows: scipy has no vectorised categorical. The index
    ``k`` is the position of a label in the estimator's ``classes_``.

    Parameters
    ----------
    probs : array-like of shape (n_rows, n_classes)
        Class probabilities; each row sums to one.
    log_probs : array-like of shape (n_rows, n_classes), default=None
        Their logarithms, when known more accurately than ``log(probs)``.

    Examples
    --------
    >>> dist = CategoricalDistribution([[0.2, 0.8], [0.5, 0.5]])
    >>> dist.pmf([1, 0])
    array([0.8, 0.5])
    >>> dist.mean()
    array([0.8, 0.5])
    """

    def __init__(self, probs, log_probs=None):
        probs = np.asarray(probs, dtype=float)
        if probs.ndim != 2:
            raise ValueError(f"probs must be 2-D (n_rows, n_classes), got {probs.shape}.")
        self.probs = probs
        if log_probs is None:
            with np.errstate(divide="ignore"):
                log_probs = np.log(probs)
        self.log_probs = np.asarray(log_probs, dtype=float)

    @property
    def n_classes(self):
        return self.probs.shape[1]

    def __len__(self):
        return self.probs.shape[0]

    def _as_index(self, k):
        k = np.asarray(k)
        if k.shape not in {(), (len(self),)}:
            raise ValueError(
                f"Expected one class index per row ({len(self)}) or a scalar, "
                f"got shape {k.shape}."
            )
        return np.broadcast_to(k, (len(self),))

    def logpmf(self, k):
        """Log-probability of class index ``k`` (one per row, or one for all rows)."""
        k = self._as_index(k)
        inside = (k == np.floor(k)) & (k >= 0) & (k < self.n_classes)
        safe = np.where(inside, k, 0).astype(int)
        out = np.take_along_axis(self.log_probs, safe[:, None], axis=1)[:, 0]
        return np.where(inside, out, -np.inf)

    def pmf(self, k):
        """Probability of class index ``k``."""
        return np.exp(self.logpmf(k))

    def cdf(self, k):
        """``P(Y <= k)`` with classes ordered by index."""
        k = self._as_index(k)
        cumulative = np.cumsum(self.probs, axis=1)
        idx = np.clip(np.floor(k), -1, self.n_classes - 1).astype(int)
        out = np.take_along_axis(cumulative, np.maximum(idx, 0)[:, None], axis=1)[:, 0]
        return np.where(idx < 0, 0.0, np.minimum(out, 1.0))

    def ppf(self, q):
        """Smallest class index ``k`` with ``cdf(k) >= q``."""
        q = np.broadcast_to(np.asarray(q, dtype=float), (len(self),))
        cumulative = np.cumsum(self.probs, axis=1)
        # Rounding can leave the last cumulative sum a hair under 1.
        cumulative[:, -1] = 1.0
        k = (cumulative < q[:, None]).sum(axis=1).astype(float)
        return np.where((q >= 0) & (q <= 1), k, np.nan)

    def mean(self):
        """Expected class index."""
        return self.probs @ np.arange(self.n_classes)

    def var(self):
        """Variance of the class index."""
        index = np.arange(self.n_classes)
        return self.probs @ index**2 - self.mean() ** 2

    def std(self):
        """Standard deviation of the class index."""
        return np.sqrt(np.maximum(self.var(), 0.0))

    def interval(self, confidence):
        """Equal-tailed interval of class indices holding at least ``confidence``."""
        if not 0 <= confidence <= 1:
            raise ValueError(f"confidence must be in [0, 1], got {confidence}.")
        alpha = (1 - confidence) / 2
        return self.ppf(alpha), self.ppf(1 - alpha)

    def entropy(self):
        """Shannon entropy of each row, in nats."""
        # 0 * log(0) counts as 0; masking the product avoids evaluating 0 * -inf.
        terms = np.multiply(
            self.probs, self.log_probs, out=np.zeros_like(self.probs), where=self.probs > 0
        )
        return -terms.sum(axis=1)

    def rvs(self, size=None, random_state=None):
        """Draw class indices; ``size`` is the number of draws per row (or None for one)."""
        rng = check_random_state(random_state)
        n_draws = 1 if size is None else int(np.prod(size))
        cumulative = np.cumsum(self.probs, axis=1)
        u = rng.uniform(size=(n_draws, len(self), 1))
        draws = (u > cumulative[None, :, :]).sum(axis=2)
        draws = np.minimum(draws, self.n_classes - 1)
        if size is None:
            return draws[0]
        return draws.reshape(tuple(np.atleast_1d(size)) + (len(self),))

    def __repr__(self):
        return f"CategoricalDistribution(n_rows={len(self)}, n_classes={self.n_classes})"
