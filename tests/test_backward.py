"""The training step without autograd: written-out gradients, flat parameters, FlatAdam.

Every closed form is checked against torch's autograd on the same numbers, so that a wrong
sign, a dropped factor or a swapped operand cannot pass.
"""

import numpy as np
import pytest
import torch

from skprob._training.data import ArrayData
from skprob._training.flat_params import FlatAdam, FlatParameters
from skprob._training.net import DistributionNet, FamilyNLL
from skprob._training.network import (
    ACTIVATIONS,
    NARROW_OUTPUTS,
    DistributionMLP,
    EnsembleLinear,
)
from skprob.families import Bernoulli, Categorical, Normal
from skprob.families._base import DistributionFamily
from skprob.families.links import POSITIVE_LINKS


def _module(activation, n_members, n_shared, hidden=(6, 5), n_features=4):
    torch.manual_seed(1)
    return DistributionMLP(
        n_features, hidden, activation, 3, n_shared, n_members=n_members
    ).double()


def _autograd_grads(module, X, grad_raw):
    module.zero_grad(set_to_none=True)
    module(X).backward(grad_raw)
    return [p.grad.clone() for p in _learnable(module)]


def _assert_backward_equals_autograd(module, X, grad_raw):
    """The written-out pass gives autograd's outputs and every parameter's gradient."""
    expected = _autograd_grads(module, X, grad_raw)
    module.zero_grad(set_to_none=True)
    with torch.no_grad():
        raw, saved = module.forward_saving(X)
        module.backward(saved, grad_raw)
    torch.testing.assert_close(raw, module(X).detach())
    for param, grad in zip(_learnable(module), expected):
        torch.testing.assert_close(param.grad, grad, rtol=1e-10, atol=1e-12)


def _learnable(module):
    # A family without shared outputs leaves an empty `shared` parameter: no gradient.
    return [p for p in module.parameters() if p.numel()]


@pytest.mark.parametrize("out_features", [1, NARROW_OUTPUTS - 1, NARROW_OUTPUTS, 20])
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_ensemble_linear_equals_the_product_written_plainly(out_features, dtype):
    """Narrow layers compute their product transposed: the same numbers either way."""
    torch.manual_seed(3)
    layer = EnsembleLinear(3, 9, out_features).to(dtype)
    X = torch.randn(3, 40, 9, dtype=dtype)
    grad_output = torch.randn(3, 40, out_features, dtype=dtype)
    expected = torch.einsum("mri,mio->mro", X, layer.weight.detach()) + layer.bias.detach()
    tolerance = {"rtol": 1e-5, "atol": 1e-5} if dtype == torch.float32 else {}
    with torch.no_grad():
        torch.testing.assert_close(layer(X), expected, **tolerance)
    grad_input = layer.backward(X, grad_output)
    torch.testing.assert_close(
        layer.weight.grad, torch.einsum("mri,mro->mio", X, grad_output), **tolerance
    )
    torch.testing.assert_close(layer.bias.grad, grad_output.sum(dim=1, keepdim=True))
    torch.testing.assert_close(
        grad_input,
        torch.einsum("mro,mio->mri", grad_output, layer.weight.detach()),
        **tolerance,
    )


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
@pytest.mark.parametrize("n_members", [1, 3])
@pytest.mark.parametrize("n_shared", [0, 2])
@pytest.mark.parametrize("shared_rows", [False, True])
def test_module_backward_equals_autograd(activation, n_members, n_shared, shared_rows):
    module = _module(activation, n_members, n_shared)
    generator = torch.Generator().manual_seed(2)
    shape = (7, 4) if shared_rows else (n_members, 7, 4)
    X = torch.randn(*shape, generator=generator, dtype=torch.float64)
    grad_raw = torch.randn(n_members, 7, 3 + n_shared, generator=generator).double()
    _assert_backward_equals_autograd(module, X, grad_raw)


@pytest.mark.parametrize("n_members", [1, 3])
@pytest.mark.parametrize("shared_rows", [True, False])
def test_module_backward_through_the_feature_map_and_embedding_equals_autograd(
    n_members, shared_rows
):
    # The embedding trains through autograd inside the written-out pass: the pass must
    # hand it the gradient at the first layer's input, and both must agree with autograd
    # through the whole module.
    torch.manual_seed(3)
    module = DistributionMLP(
        4,
        (6, 5),
        "relu",
        3,
        2,
        n_members=n_members,
        feature_scaling="robust",
        numeric_embedding="periodic",
    ).double()
    module.set_feature_statistics([0.5, -1.0, 0.0, 2.0], [1.0, 0.5, 2.0, 0.25])
    generator = torch.Generator().manual_seed(4)
    shape = (7, 4) if shared_rows else (n_members, 7, 4)
    X = 3 * torch.randn(*shape, generator=generator, dtype=torch.float64)
    grad_raw = torch.randn(n_members, 7, 5, generator=generator).double()
    embedding_params = {id(p) for p in module.embedding.parameters()}
    assert embedding_params <= {id(p) for p in _learnable(module)}
    _assert_backward_equals_autograd(module, X, grad_raw)


def test_module_backward_overwrites_existing_gradients():
    # The step writes into the flat buffer without zeroing it first: an old gradient
    # must not leak into the new one.
    module = _module("tanh", 2, 1)
    X = torch.randn(2, 5, 4, dtype=torch.float64)
    grad_raw = torch.randn(2, 5, 4, dtype=torch.float64)
    expected = _autograd_grads(module, X, grad_raw)
    for param in module.parameters():
        param.grad = torch.full_like(param, 123.0)
    with torch.no_grad():
        _, saved = module.forward_saving(X)
        module.backward(saved, grad_raw)
    for param, grad in zip(_learnable(module), expected):
        torch.testing.assert_close(param.grad, grad)


FAMILY_CASES = [
    *(
        (Normal(2, heteroscedastic=True, variance_link=link), "normal")
        for link in sorted(POSITIVE_LINKS)
    ),
    (Normal(2, heteroscedastic=False), "normal"),
    (Bernoulli(), "bernoulli"),
    (Categorical(4), "categorical"),
]


def _family_inputs(family, kind, n_rows=9):
    generator = torch.Generator().manual_seed(3)
    n_raw = family.n_network_outputs + family.n_shared_outputs
    raw = 2 * torch.randn(n_rows, n_raw, generator=generator, dtype=torch.float64)
    if kind == "normal":
        y = torch.randn(n_rows, family.n_targets, generator=generator).double()
    elif kind == "bernoulli":
        y = torch.tensor([0.0, 1.0] * 4 + [1.0], dtype=torch.float64)
    else:
        y = torch.arange(n_rows) % 4
    return raw, y


@pytest.mark.parametrize(("family", "kind"), FAMILY_CASES)
def test_family_closed_form_gradient_equals_autograd(family, kind):
    raw, y = _family_inputs(family, kind)
    nll, grad = family.nll_and_grad(raw, y)
    expected_nll, expected_grad = DistributionFamily.nll_and_grad(family, raw, y)
    # To float64's precision: a constant rounded to float32 (the log normaliser's
    # 0.9189385332 is 0.91893853 there) is off by 2e-8, inside assert_close's default.
    torch.testing.assert_close(nll, family.nll(raw, y), rtol=1e-12, atol=1e-12)
    torch.testing.assert_close(nll, expected_nll, rtol=1e-12, atol=1e-12)
    torch.testing.assert_close(grad, expected_grad, rtol=1e-10, atol=1e-12)
    assert grad.shape == raw.shape


def test_default_gradient_is_the_per_row_derivative():
    # The autograd default itself, against central differences of one row's NLL.
    family = Normal(1, heteroscedastic=True)
    raw = torch.tensor([[0.3, -0.2], [1.0, 0.5]], dtype=torch.float64)
    y = torch.tensor([[1.0], [-1.0]], dtype=torch.float64)
    _, grad = DistributionFamily.nll_and_grad(family, raw, y)
    step = 1e-6
    for row in range(2):
        for column in range(2):
            up, down = raw.clone(), raw.clone()
            up[row, column] += step
            down[row, column] -= step
            numeric = (family.nll(up, y)[row] - family.nll(down, y)[row]) / (2 * step)
            assert float(grad[row, column]) == pytest.approx(float(numeric), rel=1e-6)


def _net(family, module, weight_decay, optimizer):
    return DistributionNet(
        module=module,
        criterion=FamilyNLL(family, log_target_scale=0.7),
        optimizer=optimizer,
        lr=0.0,  # the step leaves the gradients in place and the weights unchanged
        weight_decay=weight_decay,
        n_members=module.n_members,
        train_split=None,
    ).initialize()


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("embedding", ["none", "periodic"])
def test_training_step_gradient_equals_autograd_of_the_loss(weighted, embedding):
    family = Normal(1, heteroscedastic=True)
    module = DistributionMLP(
        4, (6,), "relu", 2, 0, n_members=3, numeric_embedding=embedding
    ).double()
    net = _net(family, module, weight_decay=0.3, optimizer=FlatAdam)
    rng = np.random.RandomState(0)
    weights = rng.uniform(0.5, 2.0, size=20) if weighted else None
    data = ArrayData(
        rng.normal(size=(20, 4)), rng.normal(size=(20, 1)), weights, dtype=torch.float64
    )
    train = data.subset(np.stack([rng.permutation(20)[:12] for _ in range(3)]))
    batch = train.batch(torch.as_tensor(train.rows[:, :8]))
    X, y_true = batch

    step = net.train_step(batch)
    closed_form = [p.grad.clone() for p in net.module_.parameters() if p.numel()]
    params = [p for p in net.module_.parameters() if p.numel()]
    reference = [p.detach().clone() for p in params]

    for p in params:
        p.grad = None
    losses = net.member_losses(net.module_(X), y_true, X)
    penalty = net.member_penalties()
    (losses + penalty).sum().backward()
    for p, expected, before in zip(params, closed_form, reference):
        torch.testing.assert_close(p.grad, expected, rtol=1e-10, atol=1e-12)
        torch.testing.assert_close(p.detach(), before)  # lr 0: nothing moved
    torch.testing.assert_close(step["member_losses"], losses.detach())


def test_flat_parameters_are_views_that_autograd_accumulates_into():
    module = _module("relu", 2, 1)
    params = list(module.parameters())
    flat = FlatParameters(params)
    assert flat.flat.numel() == sum(p.numel() for p in params)
    with torch.no_grad():
        flat.flat.add_(1.0)  # moves every parameter
    before = [p.detach().clone() for p in params]
    X = torch.randn(2, 3, 4, dtype=torch.float64)
    module(X).sum().backward()
    grads = [p.grad.clone() for p in params]
    # The gradients landed in the flat buffer, in parameter order.
    torch.testing.assert_close(flat.flat.grad, torch.cat([g.reshape(-1) for g in grads]))
    flat.flat.grad.zero_()  # one buffer behind every gradient
    assert all(torch.all(p.grad == 0) for p in params)
    torch.testing.assert_close(
        flat.flat, torch.cat([b.reshape(-1) for b in before]), rtol=0, atol=0
    )


@pytest.mark.parametrize("weight_decay", [0.0, 0.1])
def test_flat_adam_direct_step_equals_torch_adam(weight_decay):
    generator = torch.Generator().manual_seed(4)
    start = torch.randn(50, generator=generator)
    grads = [torch.randn(50, generator=generator) for _ in range(6)]
    ours, theirs = start.clone(), start.clone()
    flat_adam = FlatAdam([ours], lr=0.01, weight_decay=weight_decay)
    adam = torch.optim.Adam([theirs], lr=0.01, weight_decay=weight_decay, foreach=False)
    for index, grad in enumerate(grads):
        if index == 3:  # a learning-rate change, as skorch's set_params makes
            for optimizer in (flat_adam, adam):
                optimizer.param_groups[0]["lr"] = 0.003
        ours.grad, theirs.grad = grad.clone(), grad.clone()
        flat_adam.step()
        adam.step()
        # From the second step on, FlatAdam calls the fused kernel directly.
        assert (flat_adam._direct_step_arguments() is None) == (index == -1)
        torch.testing.assert_close(ours, theirs, rtol=1e-6, atol=1e-7)
    assert float(flat_adam.state[ours]["step"]) == len(grads)
