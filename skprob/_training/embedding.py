"""Periodic embeddings of numerical features (Gorishniy et al. 2022; RealMLP's "PBLD").

An MLP's first layer sees each feature as one number, through one weight per hidden unit:
it can only bend the feature's effect as far as its hidden units bend. A periodic
embedding gives each feature a few learned frequencies first: per feature ``j``,
``[x_j, W_j cos(2 pi f_j x_j + b_j) + c_j]``, with ``f_j`` and ``b_j`` of length
``n_frequencies`` and ``W_j`` mapping them to ``n_periodic`` numbers. The first layer
then sees ``1 + n_periodic`` numbers a feature. Every ensemble member has its own.

The layer trains through autograd inside the written-out training step: the step's
backward pass gives the gradient at the first layer's input, and autograd carries it
through the embedding alone (``DistributionMLP.backward``).
"""

import math

import torch
from torch import nn

__all__ = ["PeriodicEmbedding"]


class PeriodicEmbedding(nn.Module):
    """``(rows, features)`` or ``(members, rows, features)`` to
    ``(members, rows, features * (1 + n_periodic))``.

    Parameters
    ----------
    n_members, n_features : int
    n_frequencies : int, default=16
    n_periodic : int, default=3
    frequency_scale : float, default=0.1
        Standard deviation of the starting frequencies, in cycles per unit of the
        (robustly scaled) feature.
    """

    def __init__(
        self, n_members, n_features, n_frequencies=16, n_periodic=3, frequency_scale=0.1
    ):
        super().__init__()
        shape = (n_members, n_features, n_frequencies)
        self.frequencies = nn.Parameter(torch.randn(shape) * frequency_scale)
        self.phases = nn.Parameter(torch.empty(shape).uniform_(-math.pi, math.pi))
        bound = 1 / math.sqrt(n_frequencies)
        self.weight = nn.Parameter(torch.empty(*shape, n_periodic).uniform_(-bound, bound))
        self.bias = nn.Parameter(
            torch.empty(n_members, n_features, n_periodic).uniform_(-bound, bound)
        )
        self.n_members = n_members
        self.out_features = n_features * (1 + n_periodic)

    def forward(self, X):
        if X.dim() == 2:
            X = X.expand(self.n_members, -1, -1)
        n_members, n_rows, n_features = X.shape
        # (members, rows, features, frequencies)
        phase = torch.addcmul(
            self.phases[:, None], X[..., None], self.frequencies[:, None], value=2 * math.pi
        )
        periodic = torch.einsum("mndk,mdkh->mndh", torch.cos(phase), self.weight)
        periodic = periodic + self.bias[:, None]
        embedded = torch.cat([X[..., None], periodic], dim=-1)
        return embedded.reshape(n_members, n_rows, self.out_features)
