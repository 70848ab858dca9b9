"""The Weibull family: a scale through a log link, a shape through a positive one."""

import numpy as np
import torch
from scipy import special, stats

from ._base import DistributionFamily
from ._log_moments import shape_from_log_moments
from .links import positive_link

__all__ = ["Weibull"]

_EULER_GAMMA = float(np.euler_gamma)


class Weibull(DistributionFamily):
    """Independent Weibull outputs: ``Pr(y_d > t) = exp(-(t / scale_d(x)) ** shape_d(x))``.

    The time-to-event family of reliability and survival analysis: a hazard that falls
    (``shape < 1``), stays constant (``shape = 1``, the exponential) or rises (``shape >
    1``) with time. ``scale = exp(f[x])`` is the time by which a fraction ``1 - 1/e`` of
    events have happened; the shape goes through a positive link plus a floor. The
    log-density ``log k - log s + (k - 1) log(y / s) - (y / s) ** k`` and the log
    survival function ``-(y / s) ** k`` are written out, exact far into both tails.
    ``predict`` returns the mean ``s Gamma(1 + 1/k)``.

    Parameters
    ----------
    n_targets : int
    shape_link : {"softplus", "exp", "square"}, default="softplus"
    shape_floor : float, default=1e-3
        Lower bound on the shape k.

    Examples
    --------
    >>> import torch
    >>> family = Weibull(n_targets=1, shape_link="exp", shape_floor=1e-12)
    >>> raw = torch.tensor([[0.0, 0.0]])  # scale 1, shape 1: the exponential
    >>> family.nll(raw, torch.tensor([[2.0]])).round(decimals=4)  # -log(exp(-2))
    tensor([2.])
    >>> family.log_survival(raw, torch.tensor([[2.0]])).round(decimals=4)
    tensor([-2.])
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

    def params(self, raw):
        log_scale, shape = self._log_scale_and_shape(raw)
        return {"scale": torch.exp(log_scale), "shape": shape}

    def _log_scale_and_shape(self, raw):
        d = self.n_targets
        return raw[:, :d], self._link(raw[:, d:].contiguous()) + self.shape_floor

    def torch_distribution(self, params):
        return torch.distributions.Independent(
            torch.distributions.Weibull(
                params["scale"], params["shape"], validate_args=False
            ),
            1,
        )

    def nll(self, raw, y):
        log_scale, shape = self._log_scale_and_shape(raw)
        log_ratio = torch.log(y) - log_scale
        log_density = torch.log(shape) - log_scale + (shape - 1) * log_ratio
        return -(log_density - torch.exp(shape * log_ratio)).sum(dim=1)

    def log_survival(self, raw, y):
        """``log Pr(Y > y)`` of each row, summed over outputs: ``-(y / scale) ** shape``."""
        log_scale, shape = self._log_scale_and_shape(raw)
        return -torch.exp(shape * (torch.log(y) - log_scale)).sum(dim=1)

    def initial_raw(self, y, sample_weight):
        """The moments of log y: for a Weibull, log y is a Gumbel of the minimum with
        standard deviation ``pi / (k sqrt 6)`` and mean ``log s - euler_gamma / k``."""
        mean, shape, raw_shape = shape_from_log_moments(
            y, sample_weight, np.pi / np.sqrt(6.0), self.shape_floor, self._link
        )
        return np.concatenate([mean + _EULER_GAMMA / shape, raw_shape])

    def expected_log(self, params):
        """``E[log y] = log scale - euler_gamma / shape`` (log y is a Gumbel)."""
        return np.log(params["scale"]) - _EULER_GAMMA / params["shape"]

    def moments(self, params):
        scale, shape = params["scale"], params["shape"]
        first = special.gamma(1 + 1 / shape)
        return scale * first, scale**2 * (special.gamma(1 + 2 / shape) - first**2)

    def scipy_distribution(self, params):
        return stats.weibull_min(c=params["shape"], scale=params["scale"])
