"""Multivariate Normal predictive distributions, one per row, and their mixtures."""

import numpy as np
from scipy import special, stats
from sklearn.utils import check_random_state

__all__ = ["MultivariateNormalDistribution"]


class MultivariateNormalDistribution:
    """One distribution of a D-vector per row: a Normal with a full covariance, or the
    equal- or given-weight mixture of K such Normals (a deep ensemble's members).

    Vectorised over rows as scipy.stats' distributions are over elements (scipy's
    ``multivariate_normal`` takes one mean and one covariance). Each component is given
    by its mean and the lower Cholesky factor of its covariance, ``cov = L L^T``.

    Parameters
    ----------
    loc : array-like of shape (n_rows, D) or (n_rows, D, K)
    scale_tril : array-like of shape (n_rows, D, D) or (n_rows, D, D, K)
        Lower-triangular, with a positive diagonal.
    log_weights : array-like of shape (K,) or (n_rows, K), default=None
        The components' log-weights; equal weights when None.

    Examples
    --------
    >>> import numpy as np
    >>> loc = np.zeros((1, 2))
    >>> scale_tril = np.array([[[1.0, 0.0], [0.8, 0.6]]])  # unit variances, corr. 0.8
    >>> dist = MultivariateNormalDistribution(loc, scale_tril)
    >>> dist.cov().round(2)
    array([[[1. , 0.8],
            [0.8, 1. ]]])
    >>> float(dist.logpdf([[0.0, 0.0]])[0].round(4))  # -log(2 pi 0.6)
    -1.3271
    >>> dist.marginal(1).std()
    array([1.])
    """

    def __init__(self, loc, scale_tril, log_weights=None):
        loc, scale_tril = np.asarray(loc, dtype=float), np.asarray(scale_tril, dtype=float)
        if loc.ndim == 2:
            loc, scale_tril = loc[..., None], scale_tril[..., None]
        if loc.ndim != 3 or scale_tril.shape != loc.shape[:2] + loc.shape[1:]:
            raise ValueError(
                "loc must have shape (n_rows, D[, K]) and scale_tril (n_rows, D, D[, K]); "
                f"got {loc.shape} and {scale_tril.shape}."
            )
        self.loc, self.scale_tril = loc, scale_tril
        n_components = loc.shape[-1]
        if log_weights is None:
            log_weights = np.full(n_components, -np.log(n_components))
        self.log_weights = np.broadcast_to(
            np.asarray(log_weights, dtype=float), (loc.shape[0], n_components)
        )

    @property
    def n_components(self):
        return self.loc.shape[-1]

    @property
    def shape(self):
        """``(n_rows, D)``: that of y."""
        return self.loc.shape[:2]

    def _component_logpdf(self, y):
        """``(n_rows, K)`` log-densities of each row's vector under each component."""
        residual = np.asarray(y, dtype=float)[..., None] - self.loc  # (n, D, K)
        tril = np.moveaxis(self.scale_tril, -1, 1)  # (n, K, D, D)
        D = residual.shape[1]
        # z = L^-1 (y - mu), batched over rows and components (D is small).
        z = np.linalg.solve(tril, np.moveaxis(residual, -1, 1)[..., None])[..., 0]
        log_det = np.log(np.diagonal(tril, axis1=2, axis2=3)).sum(axis=-1)
        return -0.5 * (z**2).sum(axis=-1) - log_det - 0.5 * D * np.log(2 * np.pi)

    def logpdf(self, y):
        """Log-density of each row's vector ``y[i]`` (shape ``(n_rows,)``)."""
        y = np.asarray(y, dtype=float)
        if y.shape != self.shape:
            raise ValueError(f"y has shape {y.shape}; the distribution {self.shape}.")
        return special.logsumexp(self.log_weights + self._component_logpdf(y), axis=-1)

    def pdf(self, y):
        return np.exp(self.logpdf(y))

    @property
    def _weights(self):
        return np.exp(self.log_weights)

    def mean(self):
        """``(n_rows, D)``."""
        return np.einsum("nk,ndk->nd", self._weights, self.loc)

    def cov(self):
        """``(n_rows, D, D)``: the components' covariances and the spread of their means."""
        second = np.einsum("nijk,nljk->nilk", self.scale_tril, self.scale_tril)
        second = second + np.einsum("nik,nlk->nilk", self.loc, self.loc)
        mean = self.mean()
        return np.einsum("nk,nilk->nil", self._weights, second) - np.einsum(
            "ni,nl->nil", mean, mean
        )

    def var(self):
        """``(n_rows, D)``: each output's variance."""
        return np.diagonal(self.cov(), axis1=1, axis2=2)

    def std(self):
        return np.sqrt(self.var())

    def corr(self):
        """``(n_rows, D, D)`` correlation matrices."""
        cov, std = self.cov(), self.std()
        return cov / (std[:, :, None] * std[:, None, :])

    def marginal(self, d):
        """The distribution of output ``d`` alone: a scipy Normal, or the mixture of the
        components' Normals."""
        from .distributions import MixtureDistribution

        loc = self.loc[:, d, :]
        scale = np.sqrt((self.scale_tril[:, d, :, :] ** 2).sum(axis=1))
        if self.n_components == 1:
            return stats.norm(loc=loc[:, 0], scale=scale[:, 0])
        return MixtureDistribution(
            stats.norm(loc=loc, scale=scale), log_weights=self.log_weights
        )

    def rvs(self, size=None, random_state=None):
        """Draws of each row's vector: ``(n_rows, D)``, or ``(size, n_rows, D)``."""
        rng = check_random_state(random_state)
        n_draws = 1 if size is None else int(size)
        n, D, K = self.loc.shape
        u = rng.uniform(size=(n_draws, n, 1))
        chosen = np.minimum((u > np.cumsum(self._weights, axis=-1)).sum(axis=-1), K - 1)
        rows = np.arange(n)[None, :]
        loc = np.moveaxis(self.loc, -1, 1)[rows, chosen]  # (draws, n, D)
        tril = np.moveaxis(self.scale_tril, -1, 1)[rows, chosen]  # (draws, n, D, D)
        noise = rng.standard_normal(size=(n_draws, n, D))
        draws = loc + np.einsum("snij,snj->sni", tril, noise)
        return draws[0] if size is None else draws

    def __repr__(self):
        return (
            f"MultivariateNormalDistribution(shape={self.shape}, "
            f"n_components={self.n_components})"
        )
