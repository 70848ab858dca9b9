"""The Laplace family: location through the identity link, scale through a positive one."""

import numpy as np
import torch
from scipy import stats
from torch.distributions import Independent
from torch.distributions import Laplace as TorchLaplace

from ._base import DistributionFamily
from .links import positive_link

__all__ = ["Laplace"]


class Laplace(DistributionFamily):
    """Independent Laplace outputs: ``y_d ~ Laplace(mu_d(x), b_d(x))``.

    The NLL is ``log(2 b) + |y - mu| / b``: for a fixed scale, minimising it is minimising
    the absolute error, whose minimiser is the conditional **median** (the seeds' MAE).
    The location is the median, the mean and the mode.

    Parameters
    ----------
    n_targets : int
    scale_link : {"softplus", "exp", "square"}, default="softplus"
    scale_floor : float, default=1e-3
        Lower bound on ``b`` (in the units the targets are trained in): a scale free to
        shrink onto points where the residual is exactly 0 would drive the NLL to minus
        infinity.

    Examples
    --------
    >>> import torch
    >>> family = Laplace(n_targets=1, scale_link="exp", scale_floor=1e-9)
    >>> raw = torch.tensor([[0.0, 0.0]])  # mu = 0, b = 1
    >>> family.nll(raw, torch.tensor([[1.0]])).round(decimals=4)  # log(2) + 1
    tensor([1.6931])
    """

    identity_location = True

    @property
    def min_scale(self):
        return self.scale_floor

    def __init__(self, n_targets, scale_link="softplus", scale_floor=1e-3):
        self.n_targets = n_targets
        self.scale_link = scale_link
        self.scale_floor = scale_floor
        self._link = positive_link(scale_link)

    @property
    def n_network_outputs(self):
        return 2 * self.n_targets

    def params(self, raw):
        d = self.n_targets
        scale = self._link(raw[:, d:].contiguous()) + self.scale_floor
        return {"loc": raw[:, :d], "scale": scale}

    def torch_distribution(self, params):
        return Independent(
            TorchLaplace(params["loc"], params["scale"], validate_args=False), 1
        )

    def initial_raw(self, y, sample_weight):
        """The weighted median and the weighted mean absolute deviation from it."""
        median = np.array([_weighted_median(column, sample_weight) for column in y.T])
        spread = np.average(np.abs(y - median), axis=0, weights=sample_weight)
        spread = np.where(spread > 10 * self.scale_floor, spread, 1.0)
        excess = torch.as_tensor(spread - self.scale_floor, dtype=torch.float64)
        return np.concatenate([median, self._link.inv(excess).numpy()])

    def moments(self, params):
        return params["loc"], 2 * params["scale"] ** 2

    def scipy_distribution(self, params):
        return stats.laplace(loc=params["loc"], scale=params["scale"])


def _weighted_median(values, weights):
    # None means equal weights, as for np.average in the other families' starts.
    weights = np.ones_like(values) if weights is None else weights
    order = np.argsort(values)
    cumulative = np.cumsum(weights[order])
    return values[order][np.searchsorted(cumulative, 0.5 * cumulative[-1])]
