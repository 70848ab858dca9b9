"""The multivariate Normal family: outputs that move together, a full covariance a row."""

import math

import numpy as np
import torch
from torch.nn.functional import softplus

from .._multivariate_normal import MultivariateNormalDistribution
from ._base import DistributionFamily

__all__ = ["MultivariateNormal"]


class MultivariateNormal(DistributionFamily):
    """``y ~ N(mu(x), L(x) L(x)^T)`` over D outputs, with a full covariance per row.

    The Deep Learning book's first "other output type" (section 6.2.2.4): the network
    predicts the means and the lower Cholesky factor ``L`` of the covariance, its
    diagonal through softplus plus a floor (positive, so the covariance is positive
    definite) and its ``D (D - 1) / 2`` entries below the diagonal free. The NLL is
    ``1/2 |L^-1 (y - mu)|^2 + sum log L_ii + D/2 log 2 pi``, one triangular solve a row.
    Raw outputs: the D means first, then the diagonal, then the entries below it, row by
    row; with ``dispersion="constant"`` the covariance is learned once for all rows.
    ``predict_dist`` gives a
    :class:`~skprob.distributions.MultivariateNormalDistribution` (``logpdf`` of each
    row's vector, ``mean``, ``cov``, ``corr``, ``marginal(d)``, ``rvs``).

    Parameters
    ----------
    n_targets : int
        D, the number of outputs.
    scale_floor : float, default=1e-3
        Lower bound on the diagonal of ``L``, in units of each output's standard
        deviation.

    Examples
    --------
    >>> import torch
    >>> family = MultivariateNormal(n_targets=2)
    >>> family.n_network_outputs  # 2 means, 2 diagonal entries, 1 below the diagonal
    5
    """

    location_params = ("loc",)
    scale_params = ()
    #: Parameters whose rows scale with each output's units (``L_y = diag(s) L_z``).
    row_scale_params = ("scale_tril",)

    def __init__(self, n_targets, scale_floor=1e-3):
        self.n_targets = n_targets
        self.scale_floor = scale_floor
        rows, columns = np.tril_indices(n_targets, k=-1)
        self._below = (torch.as_tensor(rows), torch.as_tensor(columns))

    @property
    def n_network_outputs(self):
        d = self.n_targets
        return 2 * d + d * (d - 1) // 2

    def params(self, raw):
        d = self.n_targets
        loc, diagonal, below = raw[:, :d], raw[:, d : 2 * d], raw[:, 2 * d :]
        scale_tril = torch.diag_embed(softplus(diagonal) + self.scale_floor)
        if d > 1:
            rows, columns = (index.to(raw.device) for index in self._below)
            off_diagonal = torch.zeros_like(scale_tril)
            off_diagonal[:, rows, columns] = below
            scale_tril = scale_tril + off_diagonal
        return {"loc": loc, "scale_tril": scale_tril}

    def torch_distribution(self, params):
        return torch.distributions.MultivariateNormal(
            params["loc"], scale_tril=params["scale_tril"], validate_args=False
        )

    def nll(self, raw, y):
        params = self.params(raw)
        tril = params["scale_tril"]
        residual = (y - params["loc"])[..., None]
        z = torch.linalg.solve_triangular(tril, residual, upper=False)[..., 0]
        log_det = torch.log(torch.diagonal(tril, dim1=-2, dim2=-1)).sum(dim=-1)
        return (
            0.5 * (z**2).sum(dim=-1)
            + log_det
            + 0.5 * self.n_targets * math.log(2 * math.pi)
        )

    def initial_raw(self, y, sample_weight):
        """The weighted mean and the Cholesky factor of the weighted covariance."""
        mean = np.average(y, axis=0, weights=sample_weight)
        deviation = y - mean
        cov = np.einsum("n,ni,nj->ij", sample_weight, deviation, deviation)
        cov = cov / sample_weight.sum() + 1e-6 * np.eye(self.n_targets)
        tril = np.linalg.cholesky(cov)
        diagonal = np.maximum(np.diag(tril) - self.scale_floor, 1e-6)
        raw_diagonal = diagonal + np.log(-np.expm1(-diagonal))  # softplus inverse
        rows, columns = np.tril_indices(self.n_targets, k=-1)
        return np.concatenate([mean, raw_diagonal, tril[rows, columns]])

    def moments(self, params):
        tril = params["scale_tril"]  # (n, D, D[, K])
        return params["loc"], (tril**2).sum(axis=2)

    def scipy_distribution(self, params):
        return MultivariateNormalDistribution(params["loc"], params["scale_tril"])

    def ensemble_distribution(self, params):
        """The equal-weight mixture of the members' Normals."""
        return MultivariateNormalDistribution(params["loc"], params["scale_tril"])
