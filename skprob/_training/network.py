"""The torch module: a batched ensemble of MLPs whose outputs are a family's raw parameters.

The members of a deep ensemble are trained together: each layer holds the weights of all
members in one tensor ``(n_members, in, out)`` and one batched matrix product does the
work of ``n_members`` layers. A single network is the ensemble of one.
"""

import math

import torch
from torch import nn

from .embedding import PeriodicEmbedding
from .feature_map import RobustFeatureMap
from .piecewise_linear import PiecewiseLinearEncoding

__all__ = [
    "ACTIVATIONS",
    "NUMERIC_EMBEDDINGS",
    "PIECEWISE_LINEAR_EMBEDDINGS",
    "DistributionMLP",
    "EnsembleLinear",
]

#: ``numeric_embedding`` values.
NUMERIC_EMBEDDINGS = ("piecewise_linear", "mixed", "periodic", "none")
#: ... those that cut the features into piecewise-linear bins.
PIECEWISE_LINEAR_EMBEDDINGS = ("piecewise_linear", "mixed")

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

_aten = torch.ops.aten

#: A layer with fewer outputs than this (the output layer: a family's few raw parameters)
#: computes its product transposed, ``(W^T X^T)^T``: MKL's batched product is slow for
#: a narrow result. Five members, 50 inputs, float32, one thread: 256 rows to 2 outputs
#: took 72 us as ``X W`` and 34 us transposed, the weight gradient 77 against 17 us;
#: from 16 outputs on both forms cost about the same. A default fit's epoch on the UCI
#: power data: 0.91 times as long (``benchmarks/bench_output_layer.py``).
NARROW_OUTPUTS = 16

#: Each activation's backward pass, ``(grad_output, input, output) -> grad_input``: the
#: operators torch's autograd itself calls, each a single kernel.
ACTIVATION_BACKWARD = {
    "relu": lambda grad, inputs, outputs: _aten.threshold_backward(grad, outputs, 0.0),
    "tanh": lambda grad, inputs, outputs: _aten.tanh_backward(grad, outputs),
    "logistic": lambda grad, inputs, outputs: _aten.sigmoid_backward(grad, outputs),
    "identity": lambda grad, inputs, outputs: grad,
    "gelu": lambda grad, inputs, outputs: _aten.gelu_backward(grad, inputs),
    "elu": lambda grad, inputs, outputs: _aten.elu_backward(grad, 1.0, 1, 1, True, outputs),
    "silu": lambda grad, inputs, outputs: _aten.silu_backward(grad, inputs),
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
        self.register_buffer("input_mask", None)

    def mask_inputs(self, member_inputs):
        """Let each member see only its first ``member_inputs[m]`` inputs: the other
        weights are zero and stay zero (their gradient is masked too); a member's
        weights and bias start as ``torch.nn.Linear`` would start them on its inputs.
        """
        n_members, in_features, _ = self.weight.shape
        mask = torch.zeros(n_members, in_features, 1, dtype=self.weight.dtype)
        with torch.no_grad():
            for member, seen in enumerate(member_inputs):
                mask[member, :seen] = 1.0
                if 0 < seen < in_features:
                    scale = math.sqrt(in_features / seen)
                    self.weight[member].mul_(scale)
                    self.bias[member].mul_(scale)
            self.weight.mul_(mask)
        self.input_mask = mask

    def _weight(self):
        # The masked weights are zero and stay zero (written-out gradients are masked in
        # backward), so only a pass that autograd differentiates needs the product:
        # it masks autograd's gradients (L-BFGS, weight decay in the loss).
        if self.input_mask is None or not torch.is_grad_enabled():
            return self.weight
        return self.weight * self.input_mask

    def forward(self, X):
        if X.dim() == 2:
            # One set of rows for all members: a view per member, no copy (one fused
            # baddbmm measured 20 to 30% faster than a broadcast matmul plus the bias).
            X = X.expand(self.weight.shape[0], -1, -1)
        weight = self._weight()
        if self.out_features < NARROW_OUTPUTS:
            return torch.baddbmm(self.bias.mT, weight.mT, X.mT).mT
        return torch.baddbmm(self.bias, X, weight)

    def backward(self, inputs, grad_output, need_input_grad=True):
        """Set the gradients of weight and bias; return the gradient of the input.

        ``inputs`` is the batch the forward pass saw, 3-D; ``grad_output`` is
        ``(n_members, n_rows, out)``. The gradients are written into existing ``.grad``
        tensors (views into a flat buffer, see ``_flat_params``) when there are some.
        """
        weight, bias = self.weight, self.bias
        if weight.grad is None:
            weight.grad, bias.grad = torch.empty_like(weight), torch.empty_like(bias)
        if self.out_features < NARROW_OUTPUTS:
            # See NARROW_OUTPUTS. (``out=`` a transposed view is the slow form again.)
            weight.grad.copy_(torch.bmm(grad_output.mT, inputs).mT)
        else:
            torch.bmm(inputs.transpose(1, 2), grad_output, out=weight.grad)
        if self.input_mask is not None:
            weight.grad.mul_(self.input_mask)
        torch.sum(grad_output, dim=1, keepdim=True, out=bias.grad)
        if need_input_grad:
            return torch.bmm(grad_output, self._weight().transpose(1, 2))
        return None

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
    feature_scaling : {"robust", "none"}, default="none"
        "robust" maps each feature through a :class:`~.feature_map.RobustFeatureMap`
        before the first layer (its statistics set by :meth:`set_feature_statistics`;
        without its soft clip when there is no hidden layer).
    numeric_embedding : {"piecewise_linear", "mixed", "periodic", "none"}, \
default="none"
        "piecewise_linear" adds each feature's ramps over ``n_piecewise_bins`` quantile
        bins (:class:`~.piecewise_linear.PiecewiseLinearEncoding`, placed by
        :meth:`set_piecewise_bins`; only with hidden layers); "mixed" encodes as
        "piecewise_linear" for the even-numbered members (0, 2, ...) and lets the others
        see the features alone (their first layer's ramp weights fixed at zero:
        :meth:`EnsembleLinear.mask_inputs`); "periodic" gives each feature learned
        frequencies before the first layer (:class:`~.embedding.PeriodicEmbedding`).
    n_piecewise_bins : int, default=0
        Bins of all features together, for "piecewise_linear" and "mixed".
    """

    def __init__(
        self,
        n_features,
        hidden_layer_sizes,
        activation,
        n_network_outputs,
        n_shared_outputs=0,
        n_members=1,
        feature_scaling="none",
        numeric_embedding="none",
        n_piecewise_bins=0,
    ):
        super().__init__()
        self.feature_map = None
        if feature_scaling == "robust":
            # The soft clip protects hidden layers from extreme inputs; a linear model
            # stays linear in x.
            clip = len(hidden_layer_sizes) > 0
            self.feature_map = RobustFeatureMap(n_features, clip=clip)
        self.embedding = self.encoding = None
        width = n_features
        if numeric_embedding in PIECEWISE_LINEAR_EMBEDDINGS and hidden_layer_sizes:
            # Like the clip: a model with no hidden layer stays linear in x.
            self.encoding = PiecewiseLinearEncoding(n_features, n_piecewise_bins)
            width = self.encoding.out_features
        elif numeric_embedding == "periodic":
            self.embedding = PeriodicEmbedding(n_members, n_features)
            width = self.embedding.out_features
        layers = []
        for size in hidden_layer_sizes:
            layers += [EnsembleLinear(n_members, width, size), ACTIVATIONS[activation]()]
            width = size
        self.body = nn.Sequential(*layers)
        if numeric_embedding == "mixed" and self.encoding is not None and n_piecewise_bins:
            encoded = self.encoding.out_features
            layers[0].mask_inputs(
                [encoded if member % 2 == 0 else n_features for member in range(n_members)]
            )
        self.output = EnsembleLinear(n_members, width, n_network_outputs)
        # The same modules as plain lists, for the written-out backward pass (slicing
        # the Sequential would build a new container every step).
        self._hidden_layers = list(zip(layers[0::2], layers[1::2]))
        self._linears = [*layers[0::2], self.output]
        self.shared = nn.Parameter(torch.zeros(n_members, 1, n_shared_outputs))
        self.n_members = n_members
        self.activation = activation
        self._architecture = {
            "n_features": int(n_features),
            "hidden_layer_sizes": [int(size) for size in hidden_layer_sizes],
            "activation": activation,
            "n_network_outputs": int(n_network_outputs),
            "n_shared_outputs": int(n_shared_outputs),
            "n_members": int(n_members),
            "feature_scaling": feature_scaling,
            "numeric_embedding": numeric_embedding,
            "n_piecewise_bins": int(n_piecewise_bins),
        }

    def architecture(self):
        """The constructor's arguments: ``DistributionMLP(**m.architecture())`` has the
        same shape as ``m``."""
        return dict(self._architecture)

    def set_initial_raw(self, raw):
        """Start every member at the given raw parameters: output bias and shared values."""
        raw = torch.as_tensor(raw, dtype=self.output.bias.dtype)
        n_network = self.output.out_features
        with torch.no_grad():
            self.output.bias.copy_(raw[:n_network].expand_as(self.output.bias))
            self.shared.copy_(raw[n_network:].expand_as(self.shared))

    def set_feature_statistics(self, centre, scale):
        """Set the feature map's per-column centre and scale (see ``feature_map``)."""
        self.feature_map.set_statistics(centre, scale)

    def set_piecewise_bins(self, features, left, width):
        """Place the piecewise-linear encoding's bins (see ``piecewise_linear``)."""
        self.encoding.set_bins(features, left, width)

    def weight_matrices(self):
        """The layers' weights ``(n_members, in, out)``: what weight decay penalises."""
        return [m.weight for m in self.modules() if isinstance(m, EnsembleLinear)]

    def multiply_adds_per_row(self):
        """Multiply-adds of one row's forward pass through all members."""
        return sum(w.numel() for w in self.weight_matrices())

    def fixed_map(self, X):
        """The feature map and the encoding: what the first trained layer sees of ``X``.

        Neither has parameters, so a fit can map its rows once
        (``skprob._training.run``) and pass ``mapped=True`` to :meth:`forward` and
        :meth:`forward_saving`.
        """
        # The modules' forward methods directly: no hooks to run (see forward_saving).
        if self.feature_map is not None:
            X = self.feature_map.forward(X)
        if self.encoding is not None:
            X = self.encoding.forward(X)
        return X

    def has_fixed_map(self):
        """Whether :meth:`fixed_map` does anything."""
        return self.feature_map is not None or self.encoding is not None

    def forward(self, X, mapped=False):
        if not mapped:
            X = self.fixed_map(X)
        if self.embedding is not None:
            X = self.embedding(X)
        return self._with_shared(self.output(self.body(X)))

    def _with_shared(self, raw):
        if self.shared.shape[-1] == 0:
            return raw
        return torch.cat([raw, self.shared.expand(-1, raw.shape[1], -1)], dim=2)

    # -- training without autograd ---------------------------------------------------------
    # A small network's step is bound by torch's per-operator cost, and autograd adds a
    # graph node per operator and a fixed cost per backward pass (about 50 us on the
    # project's machine). The backward pass of an MLP is a few batched products, written
    # out below; tests/test_backward.py checks it against autograd for every activation.

    def forward_saving(self, X, mapped=False):
        """Raw outputs, and what :meth:`backward` needs. Call under ``torch.no_grad()``.

        ``mapped``: ``X`` went through :meth:`fixed_map` already.
        """
        if not mapped:
            # A fixed map of the input: the backward pass starts at its output.
            X = self.fixed_map(X)
        embedding_saved = None
        if self.embedding is not None:
            X, embedding_saved = self.embedding.forward_saving(X)
        if X.dim() == 2:
            X = X.expand(self.n_members, -1, -1)
        saved, hidden = [], X
        # The layers' forward methods directly: Module.__call__'s hook handling costs a
        # few microseconds a call, and nothing registers hooks on these layers.
        for linear, activation in self._hidden_layers:
            pre_activation = linear.forward(hidden)
            saved.append((hidden, pre_activation))
            hidden = activation.forward(pre_activation)
        saved.append((hidden, None))
        if embedding_saved is not None:
            saved.append(embedding_saved)
        return self._with_shared(self.output.forward(hidden)), saved

    def backward(self, saved, grad_raw):
        """Set every parameter's ``.grad`` from the loss's gradient in the raw outputs.

        Parameters
        ----------
        saved : list
            From :meth:`forward_saving`.
        grad_raw : torch.Tensor of shape (n_members, n_rows, n_raw)
        """
        grad = grad_raw
        if self.shared.numel():
            n_network = self.output.out_features
            if self.shared.grad is None:
                self.shared.grad = torch.empty_like(self.shared)
            torch.sum(grad[..., n_network:], dim=1, keepdim=True, out=self.shared.grad)
            grad = grad[..., :n_network]
        linears = self._linears
        backward_activation = ACTIVATION_BACKWARD[self.activation]
        embedded = self.embedding is not None
        for depth in range(len(linears) - 1, -1, -1):
            inputs, _ = saved[depth]
            need_input_grad = depth > 0 or embedded
            grad = linears[depth].backward(inputs, grad, need_input_grad=need_input_grad)
            if depth > 0:
                # The gradient in the previous layer's activation, then its input.
                pre_activation = saved[depth - 1][1]
                grad = backward_activation(grad, pre_activation, inputs)
        if embedded:
            self.embedding.backward(saved[-1], grad)
