"""Periodic embeddings of numerical features (Gorishniy et al. 2022; RealMLP's "PBLD").

An MLP's first layer sees each feature as one number, through one weight per hidden unit:
it can only bend the feature's effect as far as its hidden units bend. A periodic
embedding gives each feature a few learned frequencies first: per feature ``j``,
``[x_j, W_j cos(2 pi f_j x_j + b_j) + c_j]``, with ``f_j`` and ``b_j`` of length
``n_frequencies`` and ``W_j`` mapping them to ``n_periodic`` numbers. The first layer
then sees ``1 + n_periodic`` numbers a feature. Every ensemble member has its own.

In the training step its backward pass is written out like the rest of the network's
(:meth:`PeriodicEmbedding.forward_saving` and :meth:`PeriodicEmbedding.backward`,
tested against autograd): each feature's frequencies are a batch of small products, laid
out ``(members, features, rows, frequencies)`` so that the cosines and their products
run on contiguous memory.
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
        out, _ = self._forward(X)
        return out

    def forward_saving(self, X):
        """The embedding, and what :meth:`backward` needs. Call under ``no_grad``."""
        return self._forward(X)

    def _forward(self, X):
        if X.dim() == 2:
            X = X.expand(self.n_members, -1, -1)
        n_members, n_rows, n_features = X.shape
        n_frequencies, n_periodic = self.weight.shape[-2:]
        # (members, features, rows): a small copy, so that the phases below come out
        # contiguous in the order (members, features, rows, frequencies).
        columns = X.transpose(1, 2).contiguous()
        phase = torch.addcmul(
            self.phases[:, :, None, :],
            columns[..., None],
            self.frequencies[:, :, None, :],
            value=2 * math.pi,
        )
        cosines = torch.cos(phase)
        pairs = n_members * n_features
        periodic = torch.baddbmm(
            self.bias.reshape(pairs, 1, n_periodic),
            cosines.view(pairs, n_rows, n_frequencies),
            self.weight.reshape(pairs, n_frequencies, n_periodic),
        ).view(n_members, n_features, n_rows, n_periodic)
        embedded = torch.cat([columns[..., None], periodic], dim=-1)
        out = embedded.transpose(1, 2).reshape(n_members, n_rows, self.out_features)
        return out, (columns, phase, cosines)

    def backward(self, saved, grad_output):
        """Set the parameters' gradients from the gradient at the embedding's output.

        ``grad_output`` is ``(members, rows, features * (1 + n_periodic))``; the input's
        gradient is not needed (the input is data).
        """
        columns, phase, cosines = saved
        n_members, n_features, n_rows, n_frequencies = phase.shape
        n_periodic = self.weight.shape[-1]
        pairs = n_members * n_features
        if self.weight.grad is None:
            for parameter in self.parameters():
                parameter.grad = torch.empty_like(parameter)
        # (pairs, rows, n_periodic): the periodic part of each feature's gradient.
        grad = (
            grad_output.view(n_members, n_rows, n_features, 1 + n_periodic)[..., 1:]
            .transpose(1, 2)
            .reshape(pairs, n_rows, n_periodic)
        )
        torch.sum(grad, dim=1, out=self.bias.grad.view(pairs, n_periodic))
        torch.bmm(
            cosines.view(pairs, n_rows, n_frequencies).transpose(1, 2),
            grad,
            out=self.weight.grad.view(pairs, n_frequencies, n_periodic),
        )
        weight = self.weight.reshape(pairs, n_frequencies, n_periodic)
        # d/d phase of cos(phase) is -sin(phase).
        grad_phase = torch.bmm(grad, weight.transpose(1, 2)).mul_(
            torch.sin(phase).view(pairs, n_rows, n_frequencies)
        )
        torch.sum(grad_phase, dim=1, out=self.phases.grad.view(pairs, n_frequencies))
        torch.neg(self.phases.grad, out=self.phases.grad)
        # d phase / d frequency is 2 pi x.
        torch.bmm(
            columns.reshape(pairs, 1, n_rows),
            grad_phase,
            out=self.frequencies.grad.view(pairs, 1, n_frequencies),
        )
        self.frequencies.grad.mul_(-2 * math.pi)
