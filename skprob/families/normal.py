"""The Normal family: mu through the identity link, the variance through a positive one."""

import math

import numpy as np
import torch
from scipy import stats
from torch.distributions import Independent
from torch.distributions import Normal as TorchNormal

from .._training.constants import constant
from ._base import DistributionFamily
from .links import POSITIVE_LINK_DERIVATIVES, positive_link

__all__ = ["Normal"]

_LOG_2PI = math.log(2 * math.pi)


class Normal(DistributionFamily):
    """Independent Normal outputs: ``y_d ~ N(mu_d(x), sigma_d^2)``.

    Parameters
    ----------
    n_targets : int
        Number of outputs D; the NLL sums over them (they are independent).
    heteroscedastic : bool
        If True the network predicts the variance of every row, ``sigma_d^2(x)``; else
        one variance per output is learned and shared by all rows.
    variance_link : {"softplus", "exp", "square"}, default="softplus"
        Map from a raw output to the variance. ``"square"`` is the seeds'
        ``sigma^2 = f2[x]^2``.
    variance_floor : float, default=1e-6
        Lower bound on the variance (in the units the targets are trained in), so that the
        likelihood stays bounded and the variance cannot collapse onto single points.

    Examples
    --------
    >>> import torch
    >>> family = Normal(n_targets=1, heteroscedastic=True, variance_link="exp")
    >>> raw = torch.tensor([[1.0, 0.0]])  # mu = 1, sigma^2 = exp(0) + 1e-6
    >>> family.params(raw)["scale"].round(decimals=4)
    tensor([[1.]])
    >>> family.nll(raw, torch.tensor([[1.0]])).round(decimals=4)  # log(2 pi) / 2
    tensor([0.9189])
    """

    identity_location = True

    @property
    def min_scale(self):
        return math.sqrt(self.variance_floor)

    def __init__(
        self,
        n_targets,
        heteroscedastic,
        variance_link="softplus",
        variance_floor=1e-6,
    ):
        self.n_targets = n_targets
        self.heteroscedastic = heteroscedastic
        self.variance_link = variance_link
        self.variance_floor = variance_floor
        # The floor is a plain addition after the link (see _variance): composing it into
        # the transform would cost more per batch than the map itself.
        self._link = positive_link(variance_link)
        self._link_derivative = POSITIVE_LINK_DERIVATIVES[variance_link]

    @property
    def n_network_outputs(self):
        return 2 * self.n_targets if self.heteroscedastic else self.n_targets

    @property
    def n_shared_outputs(self):
        return 0 if self.heteroscedastic else self.n_targets

    def params(self, raw):
        loc, raw_variance = raw[:, : self.n_targets], raw[:, self.n_targets :]
        # The link on a contiguous copy: on a strided column torch's softplus takes a
        # slow path (1.2 against 0.17 ms for 100,000 rows, the bulk of predict_dist's
        # cost beyond the forward pass). The square root is in place on a fresh tensor
        # (the floor's sum, which autograd does not keep).
        variance = self._variance(raw_variance.contiguous())
        return {"loc": loc, "scale": variance.sqrt_()}

    def _variance(self, raw_variance):
        floor = constant(self.variance_floor, raw_variance.dtype, raw_variance.device)
        return self._link(raw_variance) + floor

    def nll(self, raw, y):
        # The hot path of training: the log-density of torch's Normal written out in the
        # variance, which the link gives directly. It skips building distribution
        # objects and the variance -> scale -> variance round trip (measured 95 -> 30 us
        # a batch of 200), and equals -torch_distribution(params(raw)).log_prob(y).
        loc, raw_variance = raw[:, : self.n_targets], raw[:, self.n_targets :]
        variance = self._variance(raw_variance)
        squared_error = (y - loc) ** 2
        return 0.5 * (variance.log() + squared_error / variance + _LOG_2PI).sum(dim=1)

    def nll_and_grad(self, raw, y):
        # d/dmu = (mu - y) / v and d/dv = (1 - (mu - y)^2 / v) / (2 v), times the link's
        # derivative for the raw variance. Written in few operators (each costs more
        # than its arithmetic on a small batch), into one output tensor.
        loc, raw_variance = raw[:, : self.n_targets], raw[:, self.n_targets :]
        variance = self._variance(raw_variance)
        grad = torch.empty_like(raw)
        error = loc - y
        grad_loc = torch.div(error, variance, out=grad[:, : self.n_targets])
        squared_z = error * grad_loc
        nll = torch.sum(variance.log().add_(squared_z), dim=1)
        half = constant(0.5, raw.dtype, raw.device)
        half_precision = torch.div(half, variance)
        grad_variance = torch.addcmul(half_precision, squared_z, half_precision, value=-1)
        torch.mul(
            grad_variance,
            self._link_derivative(raw_variance),
            out=grad[:, self.n_targets :],
        )
        log_normaliser = constant(0.5 * _LOG_2PI * self.n_targets, raw.dtype, raw.device)
        return nll.mul_(half).add_(log_normaliser), grad

    #: The powers ``a`` of the variance that calibration tries, ``sigma^2 -> s sigma^2a``
    #: (``s`` in closed form for each): 0 is one variance for all rows, 1 the network's
    #: own variances, above 1 the same variances spread further apart.
    calibration_powers = torch.linspace(0.0, 2.0, 41, dtype=torch.float64)
    #: Validation rows at which the calibration goes half way from the identity. With
    #: the full map on tens of rows, 5-fold NLL on 80 to 200 rows (diabetes, yacht,
    #: energy, UCI wine) lost up to 0.3 nats against no calibration; at 10 at most 0.06,
    #: and yacht's 277 rows (28 validation rows a member) keep most of its gain
    #: (benchmarks/README.md).
    calibration_prior_rows = 10.0

    def calibration_statistics(self, raw, y):
        # The validation NLL of s * v^a is (log 2 pi + log s + a mean(log v) + 1) / 2 at
        # its best s = mean((y - mu)^2 / v^a): the means of (y - mu)^2 / v^a for each
        # power and of log v decide it.
        if not self.heteroscedastic:
            return None
        loc, raw_variance = raw[:, : self.n_targets], raw[:, self.n_targets :]
        log_variance = self._variance(raw_variance).log()
        powers = self.calibration_powers.to(raw.dtype).to(raw.device)
        ratios = ((y - loc) ** 2)[..., None] * torch.exp(-log_variance[..., None] * powers)
        return torch.cat([ratios.flatten(start_dim=1), log_variance], dim=1)

    def calibrated_nll(self, mean_statistics, n_rows):
        n_members, n_targets = len(mean_statistics), self.n_targets
        powers = self.calibration_powers.to(mean_statistics.dtype)
        powers = powers.to(mean_statistics.device)
        n_powers = len(powers)
        ratios = mean_statistics[:, : n_targets * n_powers].view(-1, n_targets, n_powers)
        # A target fitted exactly (zero error) must not give log 0.
        tiny = torch.finfo(ratios.dtype).tiny
        log_factors = ratios.clamp_min(tiny).log()
        mean_log_variance = mean_statistics[:, n_targets * n_powers :, None]
        index = (log_factors + powers * mean_log_variance).argmin(dim=2, keepdim=True)
        # A few validation rows say little: the map moves from the identity (a = 1,
        # s = 1) towards the best one by n / (n + calibration_prior_rows).
        weight = n_rows / (n_rows + self.calibration_prior_rows)
        power = 1 + weight * (powers[index] - 1)
        index = (powers - power).abs().argmin(dim=2, keepdim=True)
        power = powers[index]
        log_factor = weight * log_factors.gather(2, index)
        ratio = ratios.gather(2, index)
        nll = 0.5 * (
            _LOG_2PI + log_factor + power * mean_log_variance + ratio * (-log_factor).exp()
        )
        calibration = torch.cat([power, log_factor], dim=2)
        return nll.sum(dim=(1, 2)), calibration.view(n_members, 2 * n_targets)

    def calibrate(self, params, calibration):
        # scale -> sqrt(s) * scale^a for each row's member, output by output; the floor
        # still bounds the variance (where it binds, the calibrated NLL of training was
        # a little optimistic: the floor's purpose, a bounded likelihood, comes first).
        power, log_factor = calibration.view(len(calibration), -1, 2).unbind(dim=2)
        log_scale = 0.5 * log_factor + power * params["scale"].log()
        min_log_scale = 0.5 * math.log(self.variance_floor)
        return {**params, "scale": log_scale.clamp_min(min_log_scale).exp()}

    def torch_distribution(self, params):
        return Independent(
            TorchNormal(params["loc"], params["scale"], validate_args=False), 1
        )

    def initial_raw(self, y, sample_weight):
        mean = np.average(y, axis=0, weights=sample_weight)
        variance = np.average((y - mean) ** 2, axis=0, weights=sample_weight)
        # A constant target still needs a usable starting variance.
        variance = np.where(variance > 10 * self.variance_floor, variance, 1.0)
        excess = torch.as_tensor(variance - self.variance_floor, dtype=torch.float64)
        raw_variance = self._link.inv(excess)
        return np.concatenate([mean, raw_variance.numpy()])

    def moments(self, params):
        return params["loc"], params["scale"] ** 2

    def scipy_distribution(self, params):
        return stats.norm(loc=params["loc"], scale=params["scale"])
