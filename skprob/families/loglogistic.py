"""The log-logistic family: log y is logistic, with location log scale(x) and scale
1 / shape(x)."""

import numpy as np
import torch
from scipy import stats
from torch.nn.functional import softplus

from ._base import DistributionFamily
from ._log_moments import shape_from_log_moments
from .links import positive_link

__all__ = ["LogLogistic"]


class LogLogistic(DistributionFamily):
    """Independent log-logistic outputs: ``Pr(y_d > t) = 1 / (1 + (t / scale_d(x)) **
    shape_d(x))``, y > 0.

    The time-to-event family whose hazard may rise and then fall (``shape > 1``), as after
    a surgery or the start of a loan: the accelerated-failure-time model with logistic
    errors on the log scale, and a proportional-odds model as well. ``scale = exp(f[x])``
    is the median; the shape goes through a positive link plus a floor. With ``z = shape
    (log y - log scale)`` the log-density ``log shape - log y + z - 2 softplus(z)`` and the
    log survival ``-softplus(z)`` are written out, exact in both tails. The mean is finite
    only for ``shape > 1`` (``scale (pi / shape) / sin(pi / shape)``) and the variance only
    for ``shape > 2``; beyond those the moments are infinite, as scipy's ``fisk`` says.

    Parameters
    ----------
    n_targets : int
    shape_link : {"softplus", "exp", "square"}, default="softplus"
    shape_floor : float, default=1e-3
        Lower bound on the shape.

    Examples
    --------
    >>> import torch
    >>> family = LogLogistic(n_targets=1)
    >>> raw = torch.tensor([[0.0, 10.0]])  # median 1: half the mass beyond it
    >>> family.log_survival(raw, torch.tensor([[1.0]])).exp()
    tensor([0.5000])
    """

    support = "positive"
    location_params = ()
    scale_params = ("scale",)

    def __init__(self, n_targets, shape_link="softplus", shape_floor=1e-3):
        self.n_targets = n_targets
        self.shape_link = shape_link
        self.shape_floor = shape_floor
        self._link = positive_link(shape_link)

    @property
    def n_network_outputs(self):
        return 2 * self.n_targets

    def _log_scale_and_shape(self, raw):
        d = self.n_targets
        return raw[:, :d], self._link(raw[:, d:].contiguous()) + self.shape_floor

    def params(self, raw):
        log_scale, shape = self._log_scale_and_shape(raw)
        return {"scale": torch.exp(log_scale), "shape": shape}

    def torch_distribution(self, params):
        raise NotImplementedError(
            "torch.distributions has no log-logistic; its NLL is written out (nll)."
        )

    def nll(self, raw, y):
        log_scale, shape = self._log_scale_and_shape(raw)
        log_y = torch.log(y)
        z = shape * (log_y - log_scale)
        log_density = torch.log(shape) - log_y + z - 2 * softplus(z)
        return -log_density.sum(dim=1)

    def log_survival(self, raw, y):
        """``log Pr(Y > y)`` of each row, summed over outputs: ``-softplus(z)``."""
        log_scale, shape = self._log_scale_and_shape(raw)
        return -softplus(shape * (torch.log(y) - log_scale)).sum(dim=1)

    def initial_raw(self, y, sample_weight):
        """The moments of log y: a logistic with mean ``log scale`` and standard
        deviation ``pi / (shape sqrt 3)``."""
        mean, _, raw_shape = shape_from_log_moments(
            y, sample_weight, np.pi / np.sqrt(3.0), self.shape_floor, self._link
        )
        return np.concatenate([mean, raw_shape])

    def expected_log(self, params):
        """``E[log y]``: the log of the median, the logistic's centre."""
        return np.log(params["scale"])

    def moments(self, params):
        scale, shape = params["scale"], params["shape"]
        dist = stats.fisk(c=shape, scale=scale)
        with np.errstate(all="ignore"):
            mean, variance = dist.mean(), dist.var()
        # scipy returns NaN where a moment does not exist; it is infinite there.
        return (
            np.where(shape > 1, mean, np.inf),
            np.where(shape > 2, variance, np.inf),
        )

    def scipy_distribution(self, params):
        return stats.fisk(c=params["shape"], scale=params["scale"])
