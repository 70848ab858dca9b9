"""The log-normal family: log y is Normal, with mean mu(x) and variance sigma^2(x)."""

import numpy as np
import torch
from scipy import stats
from torch.distributions import Independent
from torch.distributions import LogNormal as TorchLogNormal

from ._base import DistributionFamily
from .links import positive_link

__all__ = ["LogNormal"]


class LogNormal(DistributionFamily):
    """Independent log-normal outputs: ``log y_d ~ N(mu_d(x), sigma_d^2(x))``, y > 0.

    For positive targets whose spread grows with their size (prices, durations,
    concentrations). ``mu`` is the log of the median (identity link on the log scale);
    the variance of log y goes through a positive link plus a floor. The NLL is the
    Normal NLL of log y plus ``log y`` (the change of variables), so the model is fitted
    to y itself: no hand-made log-transform of the targets, and the distribution and its
    mean ``exp(mu + sigma^2 / 2)`` (what ``predict`` returns) come back in y's units.

    Parameters
    ----------
    n_targets : int
    variance_link : {"softplus", "exp", "square"}, default="softplus"
    variance_floor : float, default=1e-6
        Lower bound on the variance of log y.

    Examples
    --------
    >>> import torch
    >>> family = LogNormal(n_targets=1, variance_link="exp", variance_floor=1e-12)
    >>> raw = torch.tensor([[0.0, 0.0]])  # mu = 0, sigma = 1: the median is 1
    >>> family.nll(raw, torch.tensor([[1.0]])).round(decimals=4)  # log(2 pi) / 2
    tensor([0.9189])
    """

    support = "positive"
    location_params = ()
    scale_params = ()
    log_location_params = ("mu",)

    def __init__(self, n_targets, variance_link="softplus", variance_floor=1e-6):
        self.n_targets = n_targets
        self.variance_link = variance_link
        self.variance_floor = variance_floor
        self._link = positive_link(variance_link)

    @property
    def n_network_outputs(self):
        return 2 * self.n_targets

    def params(self, raw):
        d = self.n_targets
        variance = self._link(raw[:, d:].contiguous()) + self.variance_floor
        return {"mu": raw[:, :d], "sigma": variance.sqrt_()}

    def torch_distribution(self, params):
        return Independent(
            TorchLogNormal(params["mu"], params["sigma"], validate_args=False), 1
        )

    def log_survival(self, raw, y):
        """``log Pr(Y > y)`` summed over outputs: ``log Phi(-(log y - mu) / sigma)``,
        through ``log_ndtr``, exact far into the upper tail."""
        params = self.params(raw)
        z = (torch.log(y) - params["mu"]) / params["sigma"]
        return torch.special.log_ndtr(-z).sum(dim=1)

    def initial_raw(self, y, sample_weight):
        """The weighted mean and variance of log y."""
        log_y = np.log(y)
        mean = np.average(log_y, axis=0, weights=sample_weight)
        variance = np.average((log_y - mean) ** 2, axis=0, weights=sample_weight)
        variance = np.where(variance > 10 * self.variance_floor, variance, 1.0)
        excess = torch.as_tensor(variance - self.variance_floor, dtype=torch.float64)
        return np.concatenate([mean, self._link.inv(excess).numpy()])

    def expected_log(self, params):
        """``E[log y] = mu``."""
        return params["mu"]

    def moments(self, params):
        mu, variance = params["mu"], params["sigma"] ** 2
        return np.exp(mu + variance / 2), np.expm1(variance) * np.exp(2 * mu + variance)

    def scipy_distribution(self, params):
        return stats.lognorm(s=params["sigma"], scale=np.exp(params["mu"]))
