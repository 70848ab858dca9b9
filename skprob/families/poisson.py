"""The Poisson family: counts with a rate through the log link."""

import numpy as np
import torch
from scipy import stats
from torch.distributions import Independent
from torch.distributions import Poisson as TorchPoisson

from ._base import DistributionFamily

__all__ = ["Poisson"]

#: The start rate of all-zero targets: log(0) has no raw value, and a tiny positive
#: rate is the closest constant fit.
MIN_START_RATE = 1e-3


class Poisson(DistributionFamily):
    """Independent Poisson outputs: ``y_d ~ Poisson(lambda_d(x))``, ``lambda = exp(f[x])``.

    For counts whose variance equals their mean. The log link makes the model the
    GLM of sklearn's ``PoissonRegressor`` when the network is linear. The NLL,
    ``lambda - y log(lambda) + log(y!)``, is defined for any ``y >= 0`` through
    ``log(y!) = lgamma(y + 1)``, so non-negative real targets (rates, averaged counts)
    train as in ``PoissonRegressor``; the distribution itself (``pmf``) is over the
    integers.

    Parameters
    ----------
    n_targets : int

    Examples
    --------
    >>> import torch
    >>> family = Poisson(n_targets=1)
    >>> raw = torch.tensor([[0.0]])  # rate 1
    >>> family.nll(raw, torch.tensor([[0.0]]))  # -log(exp(-1))
    tensor([1.])
    """

    support = "count"
    location_params = ()
    scale_params = ()

    def __init__(self, n_targets):
        self.n_targets = n_targets

    @property
    def n_network_outputs(self):
        return self.n_targets

    def params(self, raw):
        return {"rate": torch.exp(raw)}

    def torch_distribution(self, params):
        return Independent(TorchPoisson(params["rate"], validate_args=False), 1)

    def nll(self, raw, y):
        return (torch.exp(raw) - y * raw + torch.lgamma(y + 1)).sum(dim=1)

    def nll_and_grad(self, raw, y):
        # d/df [exp(f) - y f] = exp(f) - y: the GLM's residual.
        rate = torch.exp(raw)
        nll = (rate - y * raw + torch.lgamma(y + 1)).sum(dim=1)
        return nll, rate - y

    def initial_raw(self, y, sample_weight):
        """The log of the weighted mean count."""
        mean = np.average(y, axis=0, weights=sample_weight)
        return np.log(np.maximum(mean, MIN_START_RATE))

    def moments(self, params):
        return params["rate"], params["rate"]

    def scipy_distribution(self, params):
        return stats.poisson(mu=params["rate"])
