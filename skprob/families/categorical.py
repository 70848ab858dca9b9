"""The Categorical family: K logits, probabilities by softmax."""

import numpy as np
import torch
from torch.distributions import Categorical as TorchCategorical

from ..distributions import CategoricalDistribution
from ._base import DistributionFamily

__all__ = ["Categorical"]

# Starting class frequencies are floored here so that the starting logits are finite.
_EPS = 1e-6


class Categorical(DistributionFamily):
    """``y ~ Categorical(softmax(z(x)))`` over class indices 0 to K-1.

    The NLL is the multiclass cross-entropy ``-(z_y - logsumexp(z))``, computed from
    log-softmax.

    Examples
    --------
    >>> import torch
    >>> family = Categorical(n_classes=3)
    >>> raw = torch.tensor([[2.0, 0.0, 0.0]])
    >>> family.scipy_distribution(family.params_numpy(raw.numpy())).pmf(0).round(3)
    array([0.787])
    """

    def __init__(self, n_classes):
        self.n_classes = n_classes

    @property
    def n_network_outputs(self):
        return self.n_classes

    def params(self, raw):
        return {"logits": raw}

    def torch_distribution(self, params):
        return TorchCategorical(logits=params["logits"], validate_args=False)

    def nll(self, raw, y):
        # The hot path of training: -(z_y - logsumexp(z)) written out, without building
        # a distribution object per batch; equals -torch_distribution(...).log_prob(y).
        return torch.logsumexp(raw, dim=1) - raw.gather(1, y[:, None])[:, 0]

    def nll_and_grad(self, raw, y):
        # d/dz of -log softmax(z)_y is softmax(z) - onehot(y).
        log_probs = torch.log_softmax(raw, dim=1)
        nll = -log_probs.gather(1, y[:, None])[:, 0]
        minus_one = torch.full_like(nll, -1.0)[:, None]
        return nll, log_probs.exp().scatter_add_(1, y[:, None], minus_one)

    def target_dtype(self, float_dtype):
        return torch.long

    def initial_raw(self, y, sample_weight):
        counts = np.bincount(y, weights=sample_weight, minlength=self.n_classes)
        frequencies = np.maximum(counts / counts.sum(), _EPS)
        log_frequencies = np.log(frequencies)
        return log_frequencies - log_frequencies.mean()

    def class_log_probs(self, params):
        """Log-softmax of the logits."""
        return torch.log_softmax(params["logits"], dim=1)

    def distribution_from_log_probs(self, log_probs, classes=None):
        """The user-facing distribution for class log-probabilities ``(n, K)``."""
        return CategoricalDistribution(np.exp(log_probs), log_probs, classes=classes)

    def scipy_distribution(self, params):
        log_probs = torch.log_softmax(torch.as_tensor(params["logits"]), dim=1)
        return self.distribution_from_log_probs(log_probs.numpy())
