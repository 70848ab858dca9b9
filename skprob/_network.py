"""The torch module: a batched ensemble of MLPs whose outputs are a family's raw parameters.

The members of a deep ensemble are trained together: each layer holds the weights of all
members in one tensor ``(n_members, in, out)`` and one batched matrix product does the
work of ``n_members`` layers. A single network is the ensemble of one.
"""

import math

import torch
from torch import nn

__all__ = ["ACTIVATIONS", "DistributionMLP", "EnsembleLinear"]

#: Hidden-layer activations by name (sklearn's names, plus a few modern ones).
ACTIVATIONS = {
    "relu": nn.ReLU,
    "tanh": nn.Tanh,
    "logistic": nn.Sigmoid,
    "identity": nn.Identity,
    "gelu": nn.GELU,
    "elu": nn.ELU,
    "silu": nn.SiLU,
}


class EnsembleLinear(nn.Module):
    """``n_members`` independent affine layers applied in one batched product.

    The input is either ``(n_members, n_rows, in)``, each member its own rows, or
    ``(n_rows, in)``, the same rows for every member; the output is
    ``(n_members, n_rows, out)``. Each member starts as ``torch.nn.Linear`` does:
    weights and bias uniform on ``+-1/sqrt(in)``.
    """

    def __init__(self, n_members, in_features, out_features):
        super().__init__()
        self.in_features = in_features
        self.out_features = out_features
        self.weight = nn.Parameter(torch.empty(n_members, in_features, out_features))
        self.bias = nn.Parameter(torch.empty(n_members, 1, out_features))
        bound = 1 / math.sqrt(in_features) if in_features else 0.0
        nn.init.uniform_(self.weight, -bound, bound)
        nn.init.uniform_(self.bias, -bound, bound)

    def forward(self, X):
        if X.dim() == 2:
            # One set of rows for all members: the product broadcasts over them.
            return torch.matmul(X, self.weight) + self.bias
        return torch.baddbmm(self.bias, X, self.weight)

    def extra_repr(self):
        return (
            f"n_members={self.weight.shape[0]}, in_features={self.in_features}, "
            f"out_features={self.out_features}"
        )


class DistributionMLP(nn.Module):
    """``n_members`` MLPs mapping x to a family's raw parameters.

    The output, of shape ``(n_members, n_rows, n_network_outputs + n_shared_outputs)``,
    is ``[network outputs, shared outputs]``: the last layer predicts
    ``n_network_outputs`` numbers per row, and ``n_shared_outputs`` learned numbers that
    do not depend on x (a homoscedastic variance) are broadcast to every row, so one
    tensor carries all parameters.

    Parameters
    ----------
    n_features : int
    hidden_layer_sizes : tuple of int
        ``()`` gives a linear model.
    activation : str
        A key of :data:`ACTIVATIONS`.
    n_network_outputs, n_shared_outputs : int
    n_members : int, default=1
        Number of independent networks (ensemble members).
    """

    def __init__(
        self,
        n_features,
        hidden_layer_sizes,
        activation,
        n_network_outputs,
        n_shared_outputs=0,
        n_members=1,
    ):
        super().__init__()
        layers = []
        width = n_features
        for size in hidden_layer_sizes:
            layers += [EnsembleLinear(n_members, width, size), ACTIVATIONS[activation]()]
            width = size
        self.body = nn.Sequential(*layers)
        self.output = EnsembleLinear(n_members, width, n_network_outputs)
        self.shared = nn.Parameter(torch.zeros(n_members, 1, n_shared_outputs))
        self.n_members = n_members

    def set_initial_raw(self, raw):
        """Start every member at the given raw parameters: output bias and shared values."""
        raw = torch.as_tensor(raw, dtype=self.output.bias.dtype)
        n_network = self.output.out_features
        with torch.no_grad():
            self.output.bias.copy_(raw[:n_network].expand_as(self.output.bias))
            self.shared.copy_(raw[n_network:].expand_as(self.shared))

    def weight_matrices(self):
        """The layers' weights ``(n_members, in, out)``: what weight decay penalises."""
        return [m.weight for m in self.modules() if isinstance(m, EnsembleLinear)]

    def multiply_adds_per_row(self):
        """Multiply-adds of one row's forward pass through all members."""
        return sum(w.numel() for w in self.weight_matrices())

    def forward(self, X):
        raw = self.output(self.body(X))
        if self.shared.shape[-1] == 0:
            return raw
        return torch.cat([raw, self.shared.expand(-1, raw.shape[1], -1)], dim=2)
