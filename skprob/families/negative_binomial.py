"""The negative binomial family: over-dispersed counts, mean and dispersion per row."""

import numpy as np
import torch
from scipy import stats
from torch.distributions import Independent
from torch.distributions import NegativeBinomial as TorchNegativeBinomial

from ._base import DistributionFamily
from .links import positive_link
from .poisson import MIN_START_RATE

__all__ = ["NegativeBinomial"]

#: The largest start value of the size r: counts no more spread than a Poisson's start
#: as a negative binomial this close to the Poisson.
MAX_START_SIZE = 1e4


class NegativeBinomial(DistributionFamily):
    """Independent negative binomial outputs: mean ``m(x) = exp(f1[x])``, size ``r(x)``.

    For counts more spread than a Poisson's (excess zeros, heavy right tail): the
    variance is ``m + m^2 / r``, so ``1 / r`` is the over-dispersion (the NB2 model of
    count regression); as ``r`` grows the distribution tends to the Poisson with rate
    ``m``. The size goes through a positive link plus a floor. Like the Poisson, the NLL
    accepts any ``y >= 0`` (its binomial coefficient is written with ``lgamma``).

    Parameters
    ----------
    n_targets : int
    size_link : {"softplus", "exp", "square"}, default="softplus"
    size_floor : float, default=1e-3
        Lower bound on the size r.

    Examples
    --------
    >>> import torch
    >>> family = NegativeBinomial(n_targets=1, size_link="exp", size_floor=1e-12)
    >>> raw = torch.tensor([[0.0, 0.0]])  # mean 1, size 1: geometric with p = 1/2
    >>> family.nll(raw, torch.tensor([[0.0]])).round(decimals=4)  # -log(1/2)
    tensor([0.6931])
    """

    support = "count"
    location_params = ()
    scale_params = ()

    def __init__(self, n_targets, size_link="softplus", size_floor=1e-3):
        self.n_targets = n_targets
        self.size_link = size_link
        self.size_floor = size_floor
        self._link = positive_link(size_link)

    @property
    def n_network_outputs(self):
        return 2 * self.n_targets

    def params(self, raw):
        d = self.n_targets
        size = self._link(raw[:, d:].contiguous()) + self.size_floor
        return {"mean": torch.exp(raw[:, :d]), "size": size}

    def torch_distribution(self, params):
        # torch counts failures before `size` successes with success logits
        # log(mean / size): its mean is size * exp(logits), our mean.
        logits = torch.log(params["mean"]) - torch.log(params["size"])
        return Independent(
            TorchNegativeBinomial(params["size"], logits=logits, validate_args=False), 1
        )

    def initial_raw(self, y, sample_weight):
        """The log of the weighted mean, and the size of the moments: m^2 / (var - m)."""
        mean = np.maximum(np.average(y, axis=0, weights=sample_weight), MIN_START_RATE)
        variance = np.average((y - mean) ** 2, axis=0, weights=sample_weight)
        excess_variance = variance - mean
        size = np.where(
            excess_variance > 0,
            mean**2 / np.maximum(excess_variance, 1e-300),
            MAX_START_SIZE,
        )
        size = np.clip(size, 10 * self.size_floor, MAX_START_SIZE)
        excess = torch.as_tensor(size - self.size_floor, dtype=torch.float64)
        return np.concatenate([np.log(mean), self._link.inv(excess).numpy()])

    def moments(self, params):
        mean = params["mean"]
        return mean, mean + mean**2 / params["size"]

    def scipy_distribution(self, params):
        # scipy's p is the success probability: mean = n (1 - p) / p.
        size = params["size"]
        return stats.nbinom(n=size, p=size / (size + params["mean"]))
