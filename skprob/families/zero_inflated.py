"""Zero-inflated counts: a count family with a learned probability of a structural zero."""

import numpy as np
import torch
from scipy.special import logit
from torch.nn.functional import logsigmoid

from ..distributions import DiscreteMixtureDistribution
from ._base import DistributionFamily
from .negative_binomial import NegativeBinomial
from .poisson import Poisson

__all__ = ["ZeroInflatedNegativeBinomial", "ZeroInflatedPoisson"]


class ZeroInflated(DistributionFamily):
    """A count family ``p`` mixed with a point mass at 0: ``Pr(y) = pi 1[y = 0] + (1 - pi)
    p(y)``, with the zero probability ``pi(x) = sigmoid(f[x])`` predicted per row.

    For counts with more zeros than the count family allows (visits by people who never
    go, defects of a machine that was off). The NLL of a zero is ``-log(pi + (1 - pi)
    p(0))``, a log-sum-exp of ``log pi`` and ``log(1 - pi) + log p(0)``; of a positive
    count ``-log(1 - pi) - log p(y)``. The raw outputs are the count family's, then the
    zero logit, so ``dispersion="constant"`` shares the zero probability (and the count
    family's size) across rows: statsmodels' ``ZeroInflatedPoisson`` and
    ``ZeroInflatedNegativeBinomialP`` with a constant inflation. One output.
    """

    support = "count"
    location_params = ()
    scale_params = ()
    #: The count family, and its parameter whose 0 makes it a point mass at 0.
    count_family = None
    zero_at = None

    def __init__(self, n_targets=1):
        if n_targets != 1:
            raise ValueError(
                f"{type(self).__name__} takes one output; got n_targets={n_targets}."
            )
        self.n_targets = n_targets
        self.count = self.count_family(n_targets)

    @property
    def n_network_outputs(self):
        return self.count.n_network_outputs + 1

    def _split(self, raw):
        return raw[:, :-1], raw[:, -1]

    def params(self, raw):
        count_raw, zero_logit = self._split(raw)
        params = self.count.params(count_raw)
        params["zero_probability"] = torch.sigmoid(zero_logit)[:, None]
        return params

    def torch_distribution(self, params):
        raise NotImplementedError("A zero-inflated NLL is written out (nll).")

    def nll(self, raw, y):
        count_raw, zero_logit = self._split(raw)
        log_count = -self.count.nll(count_raw, y)
        log_count_zero = -self.count.nll(count_raw, torch.zeros_like(y))
        log_zero, log_count_part = logsigmoid(zero_logit), logsigmoid(-zero_logit)
        zero = torch.logaddexp(log_zero, log_count_part + log_count_zero)
        return -torch.where(y[:, 0] == 0, zero, log_count_part + log_count)

    def initial_raw(self, y, sample_weight):
        """The count family's start on the positive-or-zero counts, and the share of
        zeros beyond a Poisson's of that mean as the zero probability."""
        y = np.asarray(y, dtype=np.float64)
        mean = max(float(np.average(y[:, 0], weights=sample_weight)), 1e-3)
        zeros = float(np.average(y[:, 0] == 0, weights=sample_weight))
        count_zero = np.exp(-mean)
        excess = (zeros - count_zero) / max(1 - count_zero, 1e-12)
        zero_probability = float(np.clip(excess, 0.05, 0.95))
        count_start = self.count.initial_raw(y / (1 - zero_probability), sample_weight)
        return np.concatenate([count_start, [logit(zero_probability)]])

    def moments(self, params):
        mean, variance = self.count.moments(params)
        pi = params["zero_probability"]
        return (1 - pi) * mean, (1 - pi) * (variance + pi * mean**2)

    def _components(self, params, members_axis):
        """The point masses and the count distributions on one last axis, and their
        log-weights."""
        pi = params["zero_probability"]
        count = {k: v for k, v in params.items() if k != "zero_probability"}
        point = {
            k: (np.zeros_like(v) if k == self.zero_at else v) for k, v in count.items()
        }
        if not members_axis:
            pi = pi[..., None]
            count = {k: v[..., None] for k, v in count.items()}
            point = {k: v[..., None] for k, v in point.items()}
        stacked = {k: np.concatenate([point[k], count[k]], axis=-1) for k in count}
        with np.errstate(divide="ignore"):
            log_weights = np.concatenate([np.log(pi), np.log1p(-pi)], axis=-1)
        return self.count.scipy_distribution(stacked), log_weights

    def scipy_distribution(self, params):
        components, log_weights = self._components(params, members_axis=False)
        return DiscreteMixtureDistribution(components, log_weights=log_weights)

    def ensemble_distribution(self, params):
        """The members' zero-inflated distributions mixed with equal weights: one
        mixture of point masses and count distributions."""
        components, log_weights = self._components(params, members_axis=True)
        n_members = params["zero_probability"].shape[-1]
        return DiscreteMixtureDistribution(
            components, log_weights=log_weights - np.log(n_members)
        )


class ZeroInflatedPoisson(ZeroInflated):
    """A Poisson with a learned probability of a structural zero (:class:`ZeroInflated`).

    Examples
    --------
    >>> import torch
    >>> family = ZeroInflatedPoisson()
    >>> raw = torch.tensor([[0.0, 0.0]])  # rate 1, zero probability 0.5
    >>> torch.exp(-family.nll(raw, torch.tensor([[0.0]]))).round(decimals=4)  # 0.5 + 0.5/e
    tensor([0.6839])
    """

    count_family = Poisson
    zero_at = "rate"


class ZeroInflatedNegativeBinomial(ZeroInflated):
    """A negative binomial with a learned probability of a structural zero
    (:class:`ZeroInflated`)."""

    count_family = NegativeBinomial
    zero_at = "mean"
