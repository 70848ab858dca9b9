"""The Bernoulli family: one logit z, lambda = sigmoid(z)."""

import numpy as np
import torch
import torch.nn.functional as F
from scipy import stats
from scipy.special import logit
from torch.distributions import Bernoulli as TorchBernoulli

from ..distributions import CategoricalDistribution
from ._base import DistributionFamily

__all__ = ["Bernoulli"]

# Starting probabilities stay this far from 0 and 1, so that the starting logit is finite.
_EPS = 1e-6


class Bernoulli(DistributionFamily):
    """``y ~ Bernoulli(sigmoid(z(x)))`` over the encoded labels {0, 1}.

    The NLL is taken from the logit (binary cross-entropy with logits, a softplus form),
    never from ``log(sigmoid(z))``, which underflows for large negative z.

    Examples
    --------
    >>> import torch
    >>> family = Bernoulli()
    >>> family.nll(torch.tensor([[-200.0]]), torch.tensor([1.0]))
    tensor([200.])
    """

    n_network_outputs = 1

    def params(self, raw):
        return {"logits": raw[:, 0]}

    def torch_distribution(self, params):
        return TorchBernoulli(logits=params["logits"], validate_args=False)

    def nll(self, raw, y):
        # The hot path of training: binary cross-entropy with logits (its stable softplus
        # form), without building a distribution object per batch.
        return F.binary_cross_entropy_with_logits(raw[:, 0], y, reduction="none")

    def nll_and_grad(self, raw, y):
        # d/dz of the binary cross-entropy is sigmoid(z) - y.
        z = raw[:, 0]
        nll = F.binary_cross_entropy_with_logits(z, y, reduction="none")
        return nll, (torch.sigmoid(z) - y)[:, None]

    def initial_raw(self, y, sample_weight):
        rate = np.clip(np.average(y, weights=sample_weight), _EPS, 1 - _EPS)
        return np.array([logit(rate)])

    def class_log_probs(self, params):
        """``[log(1 - lambda), log(lambda)]`` per row, as log-sigmoids of -z and z."""
        z = params["logits"]
        return torch.stack([F.logsigmoid(-z), F.logsigmoid(z)], dim=1)

    def distribution_from_log_probs(self, log_probs, classes=None):
        """The user-facing distribution for class log-probabilities ``(n, 2)``."""
        return CategoricalDistribution(np.exp(log_probs), log_probs, classes=classes)

    def scipy_distribution(self, params):
        return stats.bernoulli(p=probability_of_one(params["logits"]))


def probability_of_one(logits):
    """``sigmoid(logits)`` for a numpy array, computed in torch's stable form."""
    return torch.sigmoid(torch.as_tensor(logits)).numpy()
