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

Each ramp widens the first layer, so the ramps are budgeted: they may add at most as many
multiply-adds as the rest of the network has (:func:`ramp_budget`), and every feature
then gets the same, largest number of bins that fits (:func:`choose_bins`). A table of
four continuous features gets its 16 bins; one of twenty gets three; features that take
few values use few and leave the rest to the others.
"""

import numpy as np
import torch
from torch import nn

__all__ = [
    "PiecewiseLinearEncoding",
    "bin_levels",
    "choose_bins",
    "piecewise_linear_bins",
    "ramp_budget",
]


def bin_levels(max_bins):
    """The quantile levels of 1 to ``max_bins`` equal-weight bins, one after the other:
    ``(1 + 1) + (2 + 1) + ... + (max_bins + 1)`` levels (one sort serves them all)."""
    return np.concatenate([np.linspace(0.0, 1.0, k + 1) for k in range(1, max_bins + 1)])


def ramp_budget(n_features, hidden_layer_sizes, n_outputs):
    """Ramps that add as many multiply-adds to a row's pass as the network has without
    them: ``(n_features * h1 + h1 * h2 + ... + h_last * n_outputs) / h1``."""
    widths = [n_features, *hidden_layer_sizes, n_outputs]
    multiply_adds = sum(a * b for a, b in zip(widths[:-1], widths[1:]))
    return multiply_adds // hidden_layer_sizes[0]


def choose_bins(knots_by_count, budget):
    """The bins of the largest count of bins a feature whose ramps fit ``budget``.

    Parameters
    ----------
    knots_by_count : ndarray of shape (n_features, n_levels)
        The features' quantiles at :func:`bin_levels` ``(max_bins)``.
    budget : int

    Returns
    -------
    features, left, width : see :func:`piecewise_linear_bins`

    Examples
    --------
    >>> import numpy as np
    >>> knots = np.quantile(np.arange(13.0), bin_levels(4))[None, :].repeat(2, axis=0)
    >>> features, left, width = choose_bins(knots, budget=7)  # 4 bins each would be 8
    >>> features, width
    (array([0, 0, 0, 1, 1, 1]), array([4., 4., 4., 4., 4., 4.]))
    """
    knots_by_count = np.asarray(knots_by_count, dtype=np.float64)
    chosen = piecewise_linear_bins(knots_by_count[:, :0])
    # The knots of 1, 2, 3, ... bins lie one block after the other (bin_levels).
    start, count = 0, 1
    while start + count + 1 <= knots_by_count.shape[1]:
        bins = piecewise_linear_bins(knots_by_count[:, start : start + count + 1])
        if len(bins[0]) > budget:
            break
        chosen, start, count = bins, start + count + 1, count + 1
    return chosen


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

    The forward pass is one matrix product and one clamp: ``[z, z * a - b]`` for all
    columns at once (an identity block, and each bin's ``1 / width`` in its feature's
    row), then the ramps' columns clamped to [0, 1]. Gathering each bin's feature and
    scaling it column by column took five operators: with the feature map and the first
    layer, 1.2 to 1.3 times as long on the UCI power data (``benchmarks/bench_encoding.py``;
    ``benchmarks/README.md``, "Fit time").
    """

    def __init__(self, n_features, n_bins):
        super().__init__()
        self.register_buffer("bin_features", torch.zeros(n_bins, dtype=torch.long))
        self.register_buffer("bin_left", torch.zeros(n_bins))
        self.register_buffer("bin_inverse_width", torch.ones(n_bins))
        self.out_features = n_features + n_bins
        self._product = None

    def set_bins(self, features, left, width):
        with torch.no_grad():
            self.bin_features.copy_(torch.as_tensor(features))
            self.bin_left.copy_(torch.as_tensor(left, dtype=self.bin_left.dtype))
            inverse = torch.as_tensor(1.0 / np.asarray(width), dtype=self.bin_left.dtype)
            self.bin_inverse_width.copy_(inverse)

    def _affine(self):
        """The product's matrix ``(features, out_features)`` and offset, built from the
        buffers when they (or their dtype or device) changed since the last call."""
        buffers = (self.bin_features, self.bin_left, self.bin_inverse_width)
        # In-place writes (set_bins, load_state_dict) bump a tensor's version; .to()
        # makes new tensors.
        key = tuple((id(b), b._version, b.dtype, b.device) for b in buffers)
        product = getattr(self, "_product", None)
        if product is None or product[0] != key:
            n_bins = len(self.bin_left)
            n_features = self.out_features - n_bins
            inverse = self.bin_inverse_width
            matrix = inverse.new_zeros(n_features, n_features + n_bins)
            matrix[:, :n_features] = torch.eye(
                n_features, dtype=inverse.dtype, device=inverse.device
            )
            columns = torch.arange(n_bins, device=inverse.device) + n_features
            matrix[self.bin_features, columns] = inverse
            offset = torch.cat([inverse.new_zeros(n_features), -self.bin_left * inverse])
            self._product = (key, matrix, offset)
        return self._product[1:]

    def forward(self, X):
        n_features = X.shape[-1]
        if self.out_features == n_features:
            return X
        matrix, offset = self._affine()
        out = torch.addmm(offset, X.reshape(-1, n_features), matrix)
        out = out.view(*X.shape[:-1], self.out_features)
        out[..., n_features:].clamp_(0.0, 1.0)
        return out

    def __getstate__(self):
        # The product is rebuilt from the buffers: a model file carries them alone.
        return {**super().__getstate__(), "_product": None}
