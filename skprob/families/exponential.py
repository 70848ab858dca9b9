"""The exponential family: a scale through a log link, nothing else."""

import numpy as np
import torch
from scipy import stats

from ._base import DistributionFamily

__all__ = ["Exponential"]


class Exponential(DistributionFamily):
    """Independent exponential outputs: ``Pr(y_d > t) = exp(-t / scale_d(x))``, y > 0.

    The time to an event that is as likely in the next moment whatever time has passed
    (a constant hazard ``1 / scale``): the Weibull with shape 1. ``scale = exp(f[x])`` is
    the mean, which ``predict`` returns; the standard deviation equals it. The
    log-density ``-log s - y / s`` and the log survival function ``-y / s`` are written
    out.

    Parameters
    ----------
    n_targets : int

    Examples
    --------
    >>> import torch
    >>> family = Exponential(n_targets=1)
    >>> raw = torch.tensor([[0.0]])  # scale 1
    >>> family.nll(raw, torch.tensor([[2.0]]))
    tensor([2.])
    >>> family.log_survival(raw, torch.tensor([[2.0]]))
    tensor([-2.])
    """

    support = "positive"
    location_params = ()
    scale_params = ("scale",)

    def __init__(self, n_targets):
        self.n_targets = n_targets

    @property
    def n_network_outputs(self):
        return self.n_targets

    def params(self, raw):
        return {"scale": torch.exp(raw)}

    def torch_distribution(self, params):
        return torch.distributions.Independent(
            torch.distributions.Exponential(1 / params["scale"], validate_args=False), 1
        )

    def nll(self, raw, y):
        return (raw + y * torch.exp(-raw)).sum(dim=1)

    def log_survival(self, raw, y):
        """``log Pr(Y > y)`` of each row, summed over outputs: ``-y / scale``."""
        return -(y * torch.exp(-raw)).sum(dim=1)

    def initial_raw(self, y, sample_weight):
        """The log of the weighted mean: the maximum-likelihood constant scale."""
        return np.log(np.average(y, axis=0, weights=sample_weight))

    def expected_log(self, params):
        """``E[log y] = log scale - euler_gamma``."""
        return np.log(params["scale"]) - np.euler_gamma

    def moments(self, params):
        return params["scale"], params["scale"] ** 2

    def scipy_distribution(self, params):
        return stats.expon(scale=params["scale"])
