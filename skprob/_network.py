"""The torch module: an MLP body whose output layer emits a family's raw parameters."""

import torch
from torch import nn

__all__ = ["ACTIVATIONS", "DistributionMLP"]

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


class DistributionMLP(nn.Module):
    """MLP mapping x to a family's raw parameters.

    The output is ``[network outputs, shared outputs]``: the last layer predicts
    ``n_network_outputs`` numbers per row, and ``n_shared_outputs`` learned numbers that
    do not depend on x (a homoscedastic variance) are broadcast to every row, so one
    tensor carries all parameters through skorch's predict path.

    Parameters
    ----------
    n_features : int
    hidden_layer_sizes : tuple of int
        ``()`` gives a linear model.
    activation : str
        A key of :data:`ACTIVATIONS`.
    n_network_outputs, n_shared_outputs : int
    """

    def __init__(
        self,
        n_features,
        hidden_layer_sizes,
        activation,
        n_network_outputs,
        n_shared_outputs=0,
    ):
        super().__init__()
        layers = []
        width = n_features
        for size in hidden_layer_sizes:
            layers += [nn.Linear(width, size), ACTIVATIONS[activation]()]
            width = size
        self.body = nn.Sequential(*layers)
        self.output = nn.Linear(width, n_network_outputs)
        self.shared = nn.Parameter(torch.zeros(n_shared_outputs))

    def set_initial_raw(self, raw):
        """Start at the given raw parameters: output bias and shared values."""
        raw = torch.as_tensor(raw, dtype=self.output.bias.dtype)
        n_network = self.output.out_features
        with torch.no_grad():
            self.output.bias.copy_(raw[:n_network])
            self.shared.copy_(raw[n_network:])

    def weight_matrices(self):
        """The layers' weight matrices: what weight decay penalises."""
        return [m.weight for m in self.modules() if isinstance(m, nn.Linear)]

    def forward(self, X):
        raw = self.output(self.body(X))
        if self.shared.numel() == 0:
            return raw
        return torch.cat([raw, self.shared.expand(raw.shape[0], -1)], dim=1)
