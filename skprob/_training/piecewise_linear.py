"""Piecewise-linear encoding of numerical features (Gorishniy et al. 2022, "PLE").

An MLP's first layer sees each feature as one number, through one weight per hidden unit:
ReLU units must spend themselves on bending a feature's effect, and a sharp change in a
narrow range of a feature (where trees split) takes many of them. The encoding hands the
first layer that flexibility for free: each feature's range is cut at quantiles of the
training rows into bins, and bin ``k`` of feature ``j`` contributes the ramp

    ``clamp((z_j - left_jk) / width_jk, 0, 1)``

(0 below the bin, rising across it, 1 above), next to ``z_j`` itself. Any weighted sum
of them is a piecewise-linear function of ``z_j`` with a knot at every quantile, so each
hidden unit starts from an additive model with a free shape per feature.

The encoding has no parameters: it is a fixed map of the (robustly scaled) batch, like
the feature map in front of it, and the training step's written-out backward pass starts
behind it. Knots are taken once per fit; a feature with fewer than three distinct knots
(a flag, a constant) gets no bins, as its ramp would repeat the feature.
"""

import numpy as np
import torch
from torch import nn

__all__ = ["PiecewiseLinearEncoding", "piecewise_linear_bins"]


def piecewise_linear_bins(knots):
    """The bins of each feature from its sorted quantiles.

    Parameters
    ----------
    knots : ndarray of shape (n_features, n_knots)
        Each row non-decreasing, in the space the encoding sees (after the feature map).

    Returns
    -------
    features : ndarray of int64, shape (n_bins,)
        Which feature each bin belongs to.
    left, width : ndarray of float64, shape (n_bins,)

    Examples
    --------
    >>> import numpy as np
    >>> knots = np.array([[0.0, 1.0, 1.0, 3.0], [0.0, 0.0, 1.0, 1.0]])
    >>> piecewise_linear_bins(knots)
    (array([0, 0]), array([0., 1.]), array([1., 2.]))
    """
    features, lefts, widths = [], [], []
    for feature, row in enumerate(np.asarray(knots, dtype=np.float64)):
        distinct = np.unique(row[np.isfinite(row)])
        if len(distinct) < 3:
            continue
        features.append(np.full(len(distinct) - 1, feature))
        lefts.append(distinct[:-1])
        widths.append(np.diff(distinct))
    if not features:
        empty = np.zeros(0)
        return np.zeros(0, dtype=np.int64), empty, empty
    return (
        np.concatenate(features).astype(np.int64),
        np.concatenate(lefts),
        np.concatenate(widths),
    )


class PiecewiseLinearEncoding(nn.Module):
    """``(rows, features)`` to ``(rows, features + n_bins)``: the features, then each
    bin's ramp.

    The bins are buffers (saved with the weights, not trained): ``n_bins`` is fixed at
    construction, their places are set by :meth:`set_bins`.
    """

    def __init__(self, n_features, n_bins):
        super().__init__()
        self.register_buffer("bin_features", torch.zeros(n_bins, dtype=torch.long))
        self.register_buffer("bin_left", torch.zeros(n_bins))
        self.register_buffer("bin_inverse_width", torch.ones(n_bins))
        self.out_features = n_features + n_bins

    def set_bins(self, features, left, width):
        with torch.no_grad():
            self.bin_features.copy_(torch.as_tensor(features))
            self.bin_left.copy_(torch.as_tensor(left, dtype=self.bin_left.dtype))
            inverse = torch.as_tensor(1.0 / np.asarray(width), dtype=self.bin_left.dtype)
            self.bin_inverse_width.copy_(inverse)

    def forward(self, X):
        ramps = torch.index_select(X, -1, self.bin_features)
        ramps = ramps.sub_(self.bin_left).mul_(self.bin_inverse_width).clamp_(0.0, 1.0)
        return torch.cat([X, ramps], dim=-1)
