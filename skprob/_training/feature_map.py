"""The network's first step: each feature robustly scaled, then softly clipped.

Raw tabular columns go in as they are: incomes and balances with heavy tails, counts,
years, binary flags. Each column is centred on its median and divided by its
interquartile range (by half its range where the quartiles coincide, as for a mostly
constant or binary column; a constant column becomes 0), then mapped through the smooth
clip ``z / sqrt(1 + (z / 3) ** 2)``, which is nearly the identity for ``|z| < 1`` and
bounded by 3: a value 180 interquartile ranges out, which a standardised input would
pass on as 180, enters as 2.999 and cannot throw the training off. This is RealMLP's
preprocessing (Holzmüller et al. 2024, "Better by default"), measured in
``benchmarks/README.md``.

The statistics are weighted quantiles of the inverted CDF, so that integer sample
weights act as repeated rows, and are taken from at most ``MAX_ROWS_FOR_STATISTICS``
rows. The map runs inside the torch module on each batch, so a sparse matrix stays
sparse until a batch of it is densified, and ``X`` is never copied whole.
"""

import numpy as np
import torch
from scipy import sparse
from torch import nn

from .constants import constant

__all__ = [
    "FEATURE_MAPS",
    "ROBUST_LEVELS",
    "RobustFeatureMap",
    "column_quantiles",
    "robust_centre_and_scale",
    "robust_feature_statistics",
]

#: ``feature_scaling`` values.
FEATURE_MAPS = ("robust", "none")

#: Quantiles are taken from a seeded sample of this many rows of larger data: their
#: sampling error is then about 0.005 interquartile ranges.
MAX_ROWS_FOR_STATISTICS = 100_000

#: The soft clip's bound, in interquartile ranges (RealMLP's choice).
CLIP = 3.0

#: Inputs are clamped at this many interquartile ranges before the soft clip, which maps
#: them to within 5e-7 of ``CLIP`` anyway: no overflow can reach the network.
CLAMP = 1e4

#: The largest scale: a column whose quartiles differ by less than 1e-20 would otherwise
#: get a scale that overflows float32.
MAX_SCALE = 1e20


def _weighted_quantiles(values, weights, levels):
    """Quantiles of the inverted CDF: the smallest value whose cumulative weight
    reaches ``level * total`` (so integer weights act as repeated rows)."""
    order = np.argsort(values, kind="stable")
    sorted_values, cumulative = values[order], np.cumsum(weights[order])
    positions = np.searchsorted(cumulative, np.asarray(levels) * cumulative[-1], "left")
    return sorted_values[np.minimum(positions, len(values) - 1)]


def column_quantiles(X, sample_weight, levels):
    """Weighted quantiles of each column at ``levels``: ``(n_features, len(levels))``.

    Rows of weight 0 do not count; larger data are represented by a seeded sample of
    ``MAX_ROWS_FOR_STATISTICS`` rows.
    """
    n_rows = X.shape[0]
    if n_rows > MAX_ROWS_FOR_STATISTICS:
        # A seeded sample drawn in memory of its own size (no index array of X's
        # length); rows of weight 0 then drop out of it.
        rng = np.random.default_rng(0)
        rows = np.sort(rng.choice(n_rows, MAX_ROWS_FOR_STATISTICS, replace=False))
        rows = rows[sample_weight[rows] > 0]
    else:
        rows = np.flatnonzero(sample_weight > 0)
    weights = sample_weight[rows]
    if sparse.issparse(X):
        X = X[rows].tocsc()
    n_features = X.shape[1]
    quantiles = np.zeros((n_features, len(levels)))
    for column in range(n_features):
        # One column at a time: no copy of X's size (a fit's memory goal is 2x the data).
        if sparse.issparse(X):
            values = X[:, [column]].toarray().ravel().astype(np.float64)
        else:
            values = X[rows, column].astype(np.float64)
        quantiles[column] = _weighted_quantiles(values, weights, levels)
    return quantiles


#: The levels :func:`robust_centre_and_scale` reads, in its order.
ROBUST_LEVELS = (0.25, 0.5, 0.75, 0.0, 1.0)


def robust_centre_and_scale(quantiles):
    """Centre and scale from :func:`column_quantiles` at :data:`ROBUST_LEVELS`."""
    low, median, high, lowest, highest = np.asarray(quantiles, dtype=np.float64).T
    scale = np.zeros(len(median))
    quartiles_differ, range_differs = high > low, highest > lowest
    scale[range_differs] = 2.0 / (highest - lowest)[range_differs]
    scale[quartiles_differ] = 1.0 / (high - low)[quartiles_differ]
    return median, np.minimum(scale, MAX_SCALE)


def robust_feature_statistics(X, sample_weight):
    """Centre and scale of each column: ``z = (x - centre) * scale``.

    Parameters
    ----------
    X : ndarray or sparse matrix of shape (n_samples, n_features)
    sample_weight : ndarray of shape (n_samples,)
        Non-negative, with a positive sum; rows of weight 0 do not count.

    Returns
    -------
    centre, scale : ndarray of shape (n_features,), float64

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0, 1.0], [1.0, 1.0], [2.0, 1.0], [3.0, 1.0], [100.0, 1.0]])
    >>> robust_feature_statistics(X, np.ones(5))
    (array([2., 1.]), array([0.5, 0. ]))
    """
    return robust_centre_and_scale(column_quantiles(X, sample_weight, ROBUST_LEVELS))


class RobustFeatureMap(nn.Module):
    """``x -> z / sqrt(1 + (z / 3) ** 2)`` with ``z = (x - centre) * scale`` per column.

    The centre and scale are buffers (saved with the weights, not trained); they start
    at 0 and 1 and are set by :meth:`set_statistics`. With ``clip=False`` the map is
    ``z`` itself: a model with no hidden layer stays linear in x (and reproduces least
    squares and logistic regression, whose fits follow any affine map of the features).
    """

    def __init__(self, n_features, clip=True):
        super().__init__()
        self.clip = clip
        self.register_buffer("centre", torch.zeros(n_features))
        self.register_buffer("scale", torch.ones(n_features))

    def set_statistics(self, centre, scale):
        with torch.no_grad():
            self.centre.copy_(torch.as_tensor(centre, dtype=self.centre.dtype))
            self.scale.copy_(torch.as_tensor(scale, dtype=self.scale.dtype))

    def forward(self, X):
        z = (X - self.centre).mul_(self.scale)
        if not self.clip:
            return z
        z = z.clamp_(-CLAMP, CLAMP)
        # z / sqrt(1 + z^2 / 9), in place on the batch's own copies; the numbers as
        # 0-dim tensors of the batch's dtype (constants.py).
        ninth = constant(1.0 / CLIP**2, z.dtype, z.device)
        one = constant(1.0, z.dtype, z.device)
        return z.mul(z).mul_(ninth).add_(one).rsqrt_().mul_(z)
