"""The Normal mixture family: a mixture density network's output, K Normals per row."""

import math

import numpy as np
import torch
from scipy import stats
from torch.distributions import Categorical, Independent, MixtureSameFamily
from torch.distributions import Normal as TorchNormal

from ..distributions import MixtureDistribution
from ._base import DistributionFamily
from .links import positive_link

__all__ = ["NormalMixture"]

_LOG_2PI = math.log(2 * math.pi)


class NormalMixture(DistributionFamily):
    """``y ~ sum_k pi_k(x) N(mu_k(x), sigma_k^2(x))``: K Normals with learned weights.

    The network predicts, per row, ``3 K`` raw numbers: the weights' logits (through a
    log-softmax, so the weights are positive and sum to one by construction), the K means
    (identity link) and the K variances (a positive link plus a floor, so that no
    component's variance can collapse onto single points). The NLL is
    ``-logsumexp_k(log pi_k + log N(y | mu_k, sigma_k^2))``: a log-sum-exp of log-densities,
    never the log of a sum of densities, which underflows far from every component.

    Parameters
    ----------
    n_components : int
        K, the number of Normals.
    variance_link : {"softplus", "exp", "square"}, default="softplus"
    variance_floor : float, default=1e-6
        Lower bound on every component's variance (in the units the targets are trained
        in).

    Examples
    --------
    >>> import torch
    >>> family = NormalMixture(n_components=2)
    >>> raw = torch.tensor([[0.0, 0.0, -1.0, 1.0, 0.5413, 0.5413]])  # variances 1
    >>> family.params(raw)["log_weights"].exp()
    tensor([[0.5000, 0.5000]])
    >>> # -log((N(2; 0, 1) + N(0; 0, 1)) / 2)
    >>> round(float(family.nll(raw, torch.tensor([[1.0]]))), 4)
    1.4852
    """

    n_targets = 1
    #: Every component's mean moves by a shift of the distribution.
    identity_location = True

    @property
    def min_scale(self):
        return math.sqrt(self.variance_floor)

    def __init__(self, n_components, variance_link="softplus", variance_floor=1e-6):
        self.n_components = n_components
        self.variance_link = variance_link
        self.variance_floor = variance_floor
        self._link = positive_link(variance_link)

    @property
    def n_network_outputs(self):
        return 3 * self.n_components

    def _split(self, raw):
        k = self.n_components
        return raw[:, :k], raw[:, k : 2 * k], raw[:, 2 * k :]

    def shift_location(self, raw, shift):
        k = self.n_components
        shifted = raw.clone()
        shifted[:, k : 2 * k] += shift
        return shifted

    def _variance(self, raw_variance):
        return self._link(raw_variance) + self.variance_floor

    def params(self, raw):
        logits, loc, raw_variance = self._split(raw)
        return {
            "log_weights": torch.log_softmax(logits, dim=1),
            "loc": loc,
            "scale": self._variance(raw_variance).sqrt(),
        }

    def nll(self, raw, y):
        logits, loc, raw_variance = self._split(raw)
        variance = self._variance(raw_variance)
        # y has shape (n_rows, 1): it broadcasts over the components.
        log_densities = -0.5 * (_LOG_2PI + variance.log() + (y - loc) ** 2 / variance)
        log_weights = torch.log_softmax(logits, dim=1)
        return -torch.logsumexp(log_weights + log_densities, dim=1)

    def torch_distribution(self, params):
        components = Independent(
            TorchNormal(
                params["loc"][..., None], params["scale"][..., None], validate_args=False
            ),
            1,
        )
        return MixtureSameFamily(
            Categorical(logits=params["log_weights"], validate_args=False),
            components,
            validate_args=False,
        )

    def initial_raw(self, y, sample_weight):
        """Equal weights, means at the K weighted quantiles of y, variances var(y) / K^2.

        Components that start spread over the data each take a region, instead of all
        starting on the mean, where they would move as one (with K = 1 this is the
        Normal family's start: the mean and the variance of y).
        """
        y = np.asarray(y, dtype=float)[:, 0]
        k = self.n_components
        mean = np.average(y, weights=sample_weight)
        variance = np.average((y - mean) ** 2, weights=sample_weight)
        variance = variance if variance > 10 * self.variance_floor else 1.0
        order = np.argsort(y)
        cumulative = np.cumsum(sample_weight[order]) / np.sum(sample_weight)
        levels = (np.arange(k) + 0.5) / k
        means = y[order][np.searchsorted(cumulative, levels).clip(0, len(y) - 1)]
        if k == 1:
            means = np.array([mean])
        component_variance = max(variance / k**2, 10 * self.variance_floor)
        excess = torch.tensor(component_variance - self.variance_floor, dtype=torch.float64)
        raw_variance = float(self._link.inv(excess))
        return np.concatenate([np.zeros(k), means, np.full(k, raw_variance)])

    def scipy_distribution(self, params):
        return MixtureDistribution(
            stats.norm(loc=params["loc"], scale=params["scale"]),
            log_weights=params["log_weights"],
        )
