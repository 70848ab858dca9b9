"""The cumulative-link family: ordered classes from one score and K - 1 cut points."""

import numpy as np
import torch
from scipy import special
from torch.nn.functional import logsigmoid, softplus

from ..distributions import CategoricalDistribution
from ._base import DistributionFamily

__all__ = ["CumulativeLink"]

#: The gaps between consecutive cut points are ``softplus(raw) + this``: ordered, and
#: never equal (an empty class would have probability 0 and log-probability -inf).
_MIN_GAP = 1e-6
_FREQUENCY_FLOOR = 1e-6


def _log_interval_logit(a, b):
    """``log(sigmoid(b) - sigmoid(a))`` for ``a < b``, exact in both tails:
    ``sigmoid(b) sigmoid(-a) (1 - exp(a - b))``."""
    return logsigmoid(b) + logsigmoid(-a) + torch.log(-torch.expm1(a - b))


def _log_interval_probit(a, b):
    """``log(Phi(b) - Phi(a))`` for ``a < b``: from the lower tail, or by symmetry from
    the upper tail where both lie above 0 (no cancellation in either)."""
    lower = torch.special.log_ndtr(b) + torch.log(
        -torch.expm1(torch.special.log_ndtr(a) - torch.special.log_ndtr(b))
    )
    upper = torch.special.log_ndtr(-a) + torch.log(
        -torch.expm1(torch.special.log_ndtr(-b) - torch.special.log_ndtr(-a))
    )
    return torch.where(a > 0, upper, lower)


_LINKS = {
    "logit": (_log_interval_logit, special.logit),
    "probit": (_log_interval_probit, special.ndtri),
}


class CumulativeLink(DistributionFamily):
    """``Pr(y <= k | x) = F(theta_k - eta(x))`` over ordered classes 0 to K - 1.

    The cumulative-link (proportional-odds for ``link="logit"``, ordered probit for
    ``"probit"``) model of ordered classes: the network predicts one score ``eta(x)``
    per row, and K - 1 increasing cut points ``theta_1 < ... < theta_{K-1}`` are learned
    once for all rows (``theta_1`` free, each next one the last plus a positive gap).
    Class k has probability ``F(theta_{k+1} - eta) - F(theta_k - eta)`` (``theta_0 =
    -inf``, ``theta_K = inf``), computed in log space without cancellation. One score
    moves the whole distribution up or down the scale, which is what an order says:
    K - 1 parameters fewer than the Categorical's for each row.

    Parameters
    ----------
    n_classes : int
    link : {"logit", "probit"}, default="logit"

    Examples
    --------
    >>> import torch
    >>> family = CumulativeLink(n_classes=3)
    >>> raw = torch.tensor([[0.0, -1.0, 0.5413]])  # cut points -1, 0: softplus(0.54) = 1
    >>> family.class_log_probs(family.params(raw)).exp().round(decimals=3)
    tensor([[0.2690, 0.2310, 0.5000]])
    """

    def __init__(self, n_classes, link="logit"):
        self.n_classes = n_classes
        self.link = link
        self._log_interval, self._inverse_cdf = _LINKS[link]

    @property
    def n_network_outputs(self):
        return 1

    @property
    def n_shared_outputs(self):
        return self.n_classes - 1

    def params(self, raw):
        gaps = softplus(raw[:, 2:]) + _MIN_GAP
        cut_points = torch.cumsum(torch.cat([raw[:, 1:2], gaps], dim=1), dim=1)
        return {"score": raw[:, 0], "cut_points": cut_points}

    def torch_distribution(self, params):
        return torch.distributions.Categorical(
            logits=self.class_log_probs(params), validate_args=False
        )

    def class_log_probs(self, params):
        """``(n, K)`` log-probabilities of the classes."""
        shifted = params["cut_points"] - params["score"][:, None]
        infinity = torch.full_like(shifted[:, :1], float("inf"))
        lower = torch.cat([-infinity, shifted], dim=1)
        upper = torch.cat([shifted, infinity], dim=1)
        return self._log_interval(lower, upper)

    def nll(self, raw, y):
        log_probs = self.class_log_probs(self.params(raw))
        return -log_probs.gather(1, y[:, None])[:, 0]

    def target_dtype(self, float_dtype):
        return torch.long

    def initial_raw(self, y, sample_weight):
        """Score 0 and the cut points of the classes' cumulative frequencies."""
        counts = np.bincount(y, weights=sample_weight, minlength=self.n_classes)
        frequencies = np.maximum(counts / counts.sum(), _FREQUENCY_FLOOR)
        cumulative = np.cumsum(frequencies / frequencies.sum())[:-1]
        cut_points = self._inverse_cdf(np.clip(cumulative, 1e-6, 1 - 1e-6))
        cut_points = np.maximum.accumulate(cut_points)
        gaps = np.maximum(np.diff(cut_points) - _MIN_GAP, 1e-3)
        # The inverse of softplus for the gaps.
        raw_gaps = gaps + np.log(-np.expm1(-gaps))
        return np.concatenate([[0.0, cut_points[0]], raw_gaps])

    def distribution_from_log_probs(self, log_probs, classes=None):
        """The user-facing distribution for class log-probabilities ``(n, K)``."""
        return CategoricalDistribution(np.exp(log_probs), log_probs, classes=classes)

    def scipy_distribution(self, params):
        params = {name: torch.as_tensor(value) for name, value in params.items()}
        return self.distribution_from_log_probs(self.class_log_probs(params).numpy())
