"""The Beta family in its mean-precision form: proportions and rates in (0, 1)."""

import numpy as np
import torch
from scipy import stats
from scipy.special import logit

from ._base import DistributionFamily
from .links import positive_link

__all__ = ["Beta"]


class Beta(DistributionFamily):
    """Independent Beta outputs with mean ``m_d(x) = sigmoid(f[x])`` and precision
    ``phi_d(x)``, for y in (0, 1).

    The parameterisation of beta regression (Ferrari and Cribari-Neto, 2004; R's
    ``betareg``, statsmodels' ``BetaModel``): shapes ``a = m phi`` and ``b = (1 - m)
    phi``, mean ``m`` (what ``predict`` returns, through a logit link) and variance ``m (1
    - m) / (1 + phi)``: the larger the precision, the tighter y around its mean. The
    precision goes through a positive link plus a floor. The NLL ``lgamma(a) + lgamma(b)
    - lgamma(phi) - (a - 1) log y - (b - 1) log(1 - y)`` is written out (``log1p(-y)``
    for the last term). Targets of exactly 0 or 1 have no density: squeeze them into
    the open interval first, ``(y (n - 1) + 0.5) / n`` (Smithson and Verkuilen, 2006), or
    model the zeros and ones apart.

    Parameters
    ----------
    n_targets : int
    precision_link : {"softplus", "exp", "square"}, default="softplus"
    precision_floor : float, default=1e-3
        Lower bound on the precision.

    Examples
    --------
    >>> import torch
    >>> family = Beta(n_targets=1)
    >>> raw = torch.tensor([[0.0, 1.0]])  # mean 0.5
    >>> family.params(raw)["mean"]
    tensor([[0.5000]])
    """

    support = "unit"
    location_params = ()
    scale_params = ()

    def __init__(self, n_targets, precision_link="softplus", precision_floor=1e-3):
        self.n_targets = n_targets
        self.precision_link = precision_link
        self.precision_floor = precision_floor
        self._link = positive_link(precision_link)

    @property
    def n_network_outputs(self):
        return 2 * self.n_targets

    def params(self, raw):
        d = self.n_targets
        precision = self._link(raw[:, d:].contiguous()) + self.precision_floor
        return {"mean": torch.sigmoid(raw[:, :d]), "precision": precision}

    def torch_distribution(self, params):
        a = params["mean"] * params["precision"]
        b = params["precision"] - a
        return torch.distributions.Independent(
            torch.distributions.Beta(a, b, validate_args=False), 1
        )

    def nll(self, raw, y):
        d = self.n_targets
        precision = self._link(raw[:, d:].contiguous()) + self.precision_floor
        # log m and log(1 - m) from the logit, exact where m is near 0 or 1.
        log_mean = torch.nn.functional.logsigmoid(raw[:, :d])
        log_complement = torch.nn.functional.logsigmoid(-raw[:, :d])
        a = precision * torch.exp(log_mean)
        b = precision * torch.exp(log_complement)
        log_density = (
            torch.lgamma(precision)
            - torch.lgamma(a)
            - torch.lgamma(b)
            + (a - 1) * torch.log(y)
            + (b - 1) * torch.log1p(-y)
        )
        return -log_density.sum(dim=1)

    def initial_raw(self, y, sample_weight):
        """The weighted mean, and the precision of the moments: ``m (1 - m) / v - 1``."""
        mean = np.average(y, axis=0, weights=sample_weight)
        variance = np.average((y - mean) ** 2, axis=0, weights=sample_weight)
        precision = np.where(
            variance > 0, mean * (1 - mean) / np.maximum(variance, 1e-300) - 1, 1.0
        )
        precision = np.clip(precision, 10 * self.precision_floor, 1e6)
        excess = torch.as_tensor(precision - self.precision_floor, dtype=torch.float64)
        return np.concatenate([logit(mean), self._link.inv(excess).numpy()])

    def moments(self, params):
        mean, precision = params["mean"], params["precision"]
        return mean, mean * (1 - mean) / (1 + precision)

    def scipy_distribution(self, params):
        a = params["mean"] * params["precision"]
        return stats.beta(a=a, b=params["precision"] - a)
