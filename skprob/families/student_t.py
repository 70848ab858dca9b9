"""The Student-t family: location, scale and degrees of freedom, each through a link."""

import numpy as np
import torch
from scipy import stats
from torch.distributions import Chi2, Distribution, Independent
from torch.distributions import StudentT as TorchStudentT
from torch.distributions.utils import broadcast_all

from ._base import DistributionFamily
from .links import positive_link

__all__ = ["StudentT"]


class _UnvalidatedStudentT(TorchStudentT):
    """torch's Student-t with no argument checks at all.

    torch's own builds its chi-squared part with the default validation whatever
    ``validate_args`` says: a NaN df raised torch's "Expected parameter df ... to
    satisfy the constraint" before training could report the divergence (and checked
    every batch's df).
    """

    def __init__(self, df, loc, scale):
        self.df, self.loc, self.scale = broadcast_all(df, loc, scale)
        self._chi2 = Chi2(self.df, validate_args=False)
        Distribution.__init__(self, self.df.size(), validate_args=False)


class StudentT(DistributionFamily):
    """Independent Student-t outputs: ``y_d ~ t(nu_d(x), mu_d(x), s_d(x))``.

    Heavy tails: a row far from the rest costs ``(nu + 1) log|y - mu|`` instead of a
    square, so outliers pull the fit less than under a Normal, and the predictive
    distribution gives them a probability a Normal would not. Each row predicts its own
    degrees of freedom ``nu = min_df + softplus(f[x])``; ``min_df`` above 2 keeps the
    mean (what ``predict`` returns) and the variance finite.

    Parameters
    ----------
    n_targets : int
    scale_link : {"softplus", "exp", "square"}, default="softplus"
    scale_floor : float, default=1e-3
        Lower bound on the scale ``s``.
    min_df : float, default=2.01
        Lower bound on the degrees of freedom. Above 2 the variance is finite; 2.01
        rather than 2 because in float32 ``2 + softplus(f)`` rounds to exactly 2 once
        ``softplus(f)`` is below 1e-7.

    Examples
    --------
    >>> import torch
    >>> family = StudentT(n_targets=1)
    >>> family.params(torch.tensor([[0.0, 1.0, 0.0]]))["df"]  # 2.01 + softplus(0)
    tensor([[2.7031]])
    """

    identity_location = True

    @property
    def min_scale(self):
        return self.scale_floor

    def __init__(self, n_targets, scale_link="softplus", scale_floor=1e-3, min_df=2.01):
        self.n_targets = n_targets
        self.scale_link = scale_link
        self.scale_floor = scale_floor
        self.min_df = min_df
        self._link = positive_link(scale_link)

    @property
    def n_network_outputs(self):
        return 3 * self.n_targets

    def params(self, raw):
        d = self.n_targets
        scale = self._link(raw[:, d : 2 * d].contiguous()) + self.scale_floor
        df = torch.nn.functional.softplus(raw[:, 2 * d :]) + self.min_df
        return {"loc": raw[:, :d], "scale": scale, "df": df}

    def torch_distribution(self, params):
        return Independent(
            _UnvalidatedStudentT(params["df"], params["loc"], params["scale"]),
            1,
        )

    def initial_raw(self, y, sample_weight):
        """The weighted mean, a scale that gives y's variance, and 10 degrees of freedom."""
        mean = np.average(y, axis=0, weights=sample_weight)
        variance = np.average((y - mean) ** 2, axis=0, weights=sample_weight)
        variance = np.where(variance > 100 * self.scale_floor**2, variance, 1.0)
        df = 10.0
        scale = np.sqrt(variance * (df - 2) / df)
        excess = torch.as_tensor(scale - self.scale_floor, dtype=torch.float64)
        raw_df = np.log(np.expm1(df - self.min_df))  # the inverse of softplus
        return np.concatenate(
            [mean, self._link.inv(excess).numpy(), np.full(self.n_targets, raw_df)]
        )

    def moments(self, params):
        df = params["df"]
        return params["loc"], params["scale"] ** 2 * df / (df - 2)

    def scipy_distribution(self, params):
        return stats.t(df=params["df"], loc=params["loc"], scale=params["scale"])
