"""The Gamma family: the mean through a log link, the shape through a positive one."""

import numpy as np
import torch
from scipy import special, stats
from torch.distributions import Gamma as TorchGamma
from torch.distributions import Independent

from ._base import DistributionFamily
from ._special import log_gamma_survival
from .links import positive_link

__all__ = ["Gamma"]


class Gamma(DistributionFamily):
    """Independent Gamma outputs with mean ``m_d(x) = exp(f[x])`` and shape ``k_d(x)``.

    For positive targets whose standard deviation is proportional to their mean (the
    coefficient of variation ``1 / sqrt(k)`` is predicted per row). With a constant shape
    this is the GLM of sklearn's ``GammaRegressor`` (log link): the mean's fit does not
    depend on k. ``predict`` returns the mean; the variance is ``m^2 / k``.

    Parameters
    ----------
    n_targets : int
    shape_link : {"softplus", "exp", "square"}, default="softplus"
    shape_floor : float, default=1e-3
        Lower bound on the shape k.

    Examples
    --------
    >>> import torch
    >>> family = Gamma(n_targets=1, shape_link="exp", shape_floor=1e-12)
    >>> raw = torch.tensor([[0.0, 0.0]])  # mean 1, shape 1: the exponential
    >>> family.nll(raw, torch.tensor([[2.0]])).round(decimals=4)  # -log(exp(-2))
    tensor([2.])
    """

    support = "positive"
    location_params = ()
    scale_params = ("mean",)

    def __init__(self, n_targets, shape_link="softplus", shape_floor=1e-3):
        self.n_targets = n_targets
        self.shape_link = shape_link
        self.shape_floor = shape_floor
        self._link = positive_link(shape_link)

    @property
    def n_network_outputs(self):
        return 2 * self.n_targets

    def params(self, raw):
        d = self.n_targets
        shape = self._link(raw[:, d:].contiguous()) + self.shape_floor
        return {"mean": torch.exp(raw[:, :d]), "shape": shape}

    def torch_distribution(self, params):
        rate = params["shape"] / params["mean"]
        return Independent(TorchGamma(params["shape"], rate, validate_args=False), 1)

    def initial_raw(self, y, sample_weight):
        """The log of the weighted mean, and the shape of the moments: mean^2 / variance."""
        mean = np.average(y, axis=0, weights=sample_weight)
        variance = np.average((y - mean) ** 2, axis=0, weights=sample_weight)
        shape = np.where(variance > 0, mean**2 / np.maximum(variance, 1e-300), 1.0)
        shape = np.clip(shape, 10 * self.shape_floor, 1e6)
        excess = torch.as_tensor(shape - self.shape_floor, dtype=torch.float64)
        return np.concatenate([np.log(mean), self._link.inv(excess).numpy()])

    def log_survival(self, raw, y):
        """``log Pr(Y > y)`` of each row, summed over outputs: ``log Q(k, k y / m)``,
        the upper regularised incomplete gamma function, exact in the upper tail."""
        params = self.params(raw)
        shape = params["shape"]
        return log_gamma_survival(shape, shape * y / params["mean"]).sum(dim=1)

    def expected_log(self, params):
        """``E[log y] = digamma(k) + log(m / k)``."""
        shape = params["shape"]
        return special.digamma(shape) + np.log(params["mean"] / shape)

    def moments(self, params):
        return params["mean"], params["mean"] ** 2 / params["shape"]

    def scipy_distribution(self, params):
        return stats.gamma(a=params["shape"], scale=params["mean"] / params["shape"])
