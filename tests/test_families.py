"""Each family's NLL against scipy.stats, its links, and its starting values."""

import copy
import inspect
import pickle

import numpy as np
import pytest
import torch
from scipy import stats
from scipy.special import expit

from skprob.families import (
    Bernoulli,
    Categorical,
    ConstantDispersion,
    Exponential,
    Gamma,
    Laplace,
    LogNormal,
    NegativeBinomial,
    Normal,
    NormalMixture,
    Poisson,
    StudentT,
    Weibull,
)
from skprob.families.links import POSITIVE_LINKS, positive_link

RNG = np.random.RandomState(0)


def raw_tensor(n_rows, n_columns, scale=3.0):
    return torch.as_tensor(RNG.normal(scale=scale, size=(n_rows, n_columns)))


@pytest.mark.parametrize("heteroscedastic", [False, True])
@pytest.mark.parametrize("link", sorted(POSITIVE_LINKS))
@pytest.mark.parametrize("n_targets", [1, 3])
def test_normal_nll_is_minus_scipy_logpdf_summed_over_outputs(
    heteroscedastic, link, n_targets
):
    family = Normal(n_targets, heteroscedastic=heteroscedastic, variance_link=link)
    raw = raw_tensor(50, 2 * n_targets)
    y = torch.as_tensor(RNG.normal(size=(50, n_targets)))
    params = family.params_numpy(raw.numpy())
    expected = -stats.norm(params["loc"], params["scale"]).logpdf(y.numpy()).sum(axis=1)
    np.testing.assert_allclose(family.nll(raw, y).numpy(), expected, rtol=1e-10)


@pytest.mark.parametrize("heteroscedastic", [False, True])
def test_normal_nll_equals_the_torch_distribution_log_prob(heteroscedastic):
    family = Normal(2, heteroscedastic=heteroscedastic)
    raw = raw_tensor(40, 4)
    y = torch.as_tensor(RNG.normal(size=(40, 2)))
    expected = -family.torch_distribution(family.params(raw)).log_prob(y)
    np.testing.assert_allclose(family.nll(raw, y).numpy(), expected.numpy(), rtol=1e-12)


def test_normal_variance_follows_the_link_plus_floor():
    family = Normal(1, heteroscedastic=True, variance_link="square", variance_floor=0.01)
    raw = torch.tensor([[0.0, 2.0], [0.0, 0.0]])
    scale = family.params(raw)["scale"][:, 0]
    # The seeds' sigma^2 = f2^2, plus the floor.
    np.testing.assert_allclose(scale.numpy() ** 2, [4.01, 0.01], rtol=1e-6)


def test_bernoulli_nll_is_minus_scipy_logpmf():
    family = Bernoulli()
    raw = raw_tensor(100, 1)
    y = torch.as_tensor(RNG.randint(0, 2, size=100), dtype=torch.float64)
    p = torch.sigmoid(raw[:, 0]).numpy()
    expected = -stats.bernoulli(p).logpmf(y.numpy())
    np.testing.assert_allclose(family.nll(raw, y).numpy(), expected, rtol=1e-10)


def test_bernoulli_nll_is_stable_for_extreme_logits():
    # log(sigmoid(-800)) underflows to -inf; the softplus form gives the exact 800.
    family = Bernoulli()
    raw = torch.tensor([[-800.0], [800.0]], dtype=torch.float64)
    y = torch.tensor([1.0, 0.0], dtype=torch.float64)
    np.testing.assert_allclose(family.nll(raw, y).numpy(), [800.0, 800.0])
    log_probs = family.class_log_probs(family.params(raw)).numpy()
    assert np.isfinite(log_probs).all()
    np.testing.assert_allclose(log_probs[0], [0.0, -800.0])


def test_categorical_nll_is_minus_scipy_multinomial_logpmf():
    family = Categorical(4)
    raw = raw_tensor(60, 4)
    y = torch.as_tensor(RNG.randint(0, 4, size=60))
    probs = torch.softmax(raw, dim=1).numpy()
    one_hot = np.eye(4)[y.numpy()]
    expected = -stats.multinomial(1, probs).logpmf(one_hot)
    np.testing.assert_allclose(family.nll(raw, y).numpy(), expected, rtol=1e-10)


def test_categorical_nll_is_cross_entropy_from_logits():
    family = Categorical(3)
    raw = torch.tensor([[1000.0, 0.0, -1000.0]], dtype=torch.float64)
    y = torch.tensor([2])
    # -(z_y - logsumexp(z)) = 2000, finite although softmax(z)_y underflows to 0.
    np.testing.assert_allclose(family.nll(raw, y).numpy(), [2000.0])


@pytest.mark.parametrize("name", sorted(POSITIVE_LINKS))
def test_positive_links_map_any_raw_value_into_the_domain(name):
    link = positive_link(name)
    raw = torch.linspace(-80, 80, 2001, dtype=torch.float64)
    value = link(raw)
    assert torch.isfinite(value).all()
    assert (value >= 0).all()
    # With the family's floor added, every raw value gives a valid (positive) variance.
    floor = 1e-6
    family = Normal(1, heteroscedastic=True, variance_link=name, variance_floor=floor)
    raw_pairs = torch.stack([torch.zeros_like(raw), raw], dim=1)
    variance = family.params(raw_pairs)["scale"][:, 0] ** 2
    assert torch.isfinite(variance).all()
    assert (variance >= floor * (1 - 1e-9)).all()
    # The inverse recovers the raw value wherever the map is one-to-one.
    inside = torch.linspace(0.1, 20, 50, dtype=torch.float64)
    np.testing.assert_allclose(link.inv(link(inside)).numpy(), inside.numpy(), rtol=1e-6)


def test_unknown_link_is_a_clear_error():
    with pytest.raises(ValueError, match="Unknown positive link 'cube'"):
        positive_link("cube")


@pytest.mark.parametrize(
    "family, y",
    [
        (Normal(2, heteroscedastic=False), RNG.normal(size=(30, 2))),
        (Normal(1, heteroscedastic=True), RNG.normal(size=(30, 1))),
        (Bernoulli(), RNG.randint(0, 2, size=30).astype(float)),
        (Categorical(3), RNG.randint(0, 3, size=30)),
    ],
    ids=["normal", "heteroscedastic", "bernoulli", "categorical"],
)
def test_initial_raw_is_the_weighted_constant_fit(family, y):
    weights = RNG.randint(0, 4, size=len(y)).astype(float)
    weights[0] = 1.0
    repeated = np.repeat(y, weights.astype(int), axis=0)
    np.testing.assert_allclose(
        family.initial_raw(y, weights),
        family.initial_raw(repeated, np.ones(len(repeated))),
        rtol=1e-12,
        atol=1e-12,
    )
    raw = torch.as_tensor(family.initial_raw(y, weights)).expand(len(y), -1)
    # The constant start is the maximum-likelihood constant: its NLL beats nearby ones.
    weights_t = torch.as_tensor(weights)
    best = (weights_t * family.nll(raw, torch.as_tensor(y))).sum()
    # Shift one raw coordinate (all logits together would leave softmax unchanged).
    for shift in (-0.1, 0.1):
        shifted = raw.clone()
        shifted[:, 0] += shift
        worse = (weights_t * family.nll(shifted, torch.as_tensor(y))).sum()
        assert best < worse


@pytest.mark.parametrize("family", [Bernoulli(), Categorical(4)], ids=["bernoulli", "cat"])
def test_written_out_nll_equals_the_torch_distribution_log_prob(family):
    # The training hot path skips the distribution object; both must agree.
    raw = raw_tensor(50, family.n_network_outputs)
    if isinstance(family, Bernoulli):
        y = torch.as_tensor(RNG.randint(0, 2, size=50), dtype=torch.float64)
    else:
        y = torch.as_tensor(RNG.randint(0, 4, size=50))
    expected = -family.torch_distribution(family.params(raw)).log_prob(y)
    np.testing.assert_allclose(family.nll(raw, y).numpy(), expected.numpy(), rtol=1e-12)


def test_unlikely_classes_keep_their_exact_log_probability():
    # exp(-1600) underflows to 0: log(probs) would give -inf, a log loss of infinity.
    dist = Categorical(3).scipy_distribution({"logits": np.array([[800.0, 0.0, -800.0]])})
    np.testing.assert_allclose(dist.logpmf([2]), [-1600.0])
    np.testing.assert_allclose(dist.logpmf([1]), [-800.0])
    assert dist.pmf([2])[0] == 0.0
    family = Bernoulli()
    log_probs = family.class_log_probs({"logits": torch.tensor([900.0])}).numpy()
    binary = family.distribution_from_log_probs(log_probs, classes=np.array(["a", "b"]))
    np.testing.assert_allclose(binary.logpmf(["a"]), [-900.0])


def test_bernoulli_scipy_distribution_is_the_sigmoid_of_the_logits():
    logits = np.array([-800.0, -1.0, 0.0, 2.0, 800.0])
    dist = Bernoulli().scipy_distribution({"logits": logits})
    expected = expit(logits)
    np.testing.assert_allclose(dist.pmf(1), expected, rtol=1e-12)
    np.testing.assert_allclose(dist.mean(), expected, rtol=1e-12)
    assert np.isfinite(Bernoulli().moments({"logits": logits})[1]).all()


def _every_family():
    return [
        Normal(1, heteroscedastic=True),
        NormalMixture(2),
        Laplace(1),
        StudentT(1),
        LogNormal(1),
        Gamma(1),
        Weibull(1),
        Exponential(1),
        Poisson(1),
        NegativeBinomial(1),
        Bernoulli(),
        Categorical(3),
    ]


def _valid_targets(family, n_rows):
    if isinstance(family, Categorical):
        return torch.ones(n_rows, dtype=torch.long)
    if isinstance(family, Bernoulli):
        return torch.ones(n_rows, dtype=torch.float64)
    return torch.full((n_rows, 1), 2.0, dtype=torch.float64)


@pytest.mark.parametrize("family", _every_family(), ids=lambda f: type(f).__name__)
def test_a_non_finite_network_output_gives_a_nan_likelihood_not_torch_s_error(family):
    # Training reports a diverged network by its non-finite loss (TrainingDivergedError,
    # which names the learning rate); torch's argument validation would raise its own
    # "Expected parameter ... to satisfy the constraint" first, naming neither.
    n_raw = family.n_network_outputs + family.n_shared_outputs
    raw = torch.zeros(2, n_raw, dtype=torch.float64)
    raw[1] = torch.nan
    log_prob = family.torch_distribution(family.params(raw)).log_prob(
        _valid_targets(family, 2)
    )
    assert torch.isfinite(log_prob[0])
    assert torch.isnan(log_prob[1])


def test_a_family_kept_at_constant_dispersion_survives_pickling_and_copying():
    family = ConstantDispersion(Gamma(2, shape_floor=0.5))
    for twin in (pickle.loads(pickle.dumps(family)), copy.deepcopy(family)):
        assert isinstance(twin.family, Gamma)
        assert (twin.n_targets, twin.shape_floor) == (2, 0.5)
        assert (twin.n_network_outputs, twin.n_shared_outputs) == (2, 2)
    # Before __init__ has run (as while unpickling) the wrapped family is missing, and
    # asking for it is an AttributeError that names it, not endless recursion.
    with pytest.raises(AttributeError, match="family"):
        _ = ConstantDispersion.__new__(ConstantDispersion).family


@pytest.mark.parametrize("family", _every_family(), ids=lambda f: type(f).__name__)
def test_a_family_keeps_its_constructor_arguments_under_their_names(family):
    # What a fitted model's family_ says it is: each argument, read back by its name.
    cls = type(family)
    arguments = {}
    for name, parameter in inspect.signature(cls).parameters.items():
        default = parameter.default
        if default is inspect.Parameter.empty:
            arguments[name] = 2
        elif isinstance(default, str):
            arguments[name] = "exp"
        else:
            arguments[name] = 2.5 * default
    built = cls(**arguments)
    assert {name: getattr(built, name) for name in arguments} == arguments


def test_the_student_t_distribution_is_torch_s_without_argument_checks():
    family = StudentT(1)
    params = family.params(raw_tensor(20, family.n_network_outputs))
    ours = family.torch_distribution(params)
    torch_s = torch.distributions.StudentT(params["df"], params["loc"], params["scale"])
    y = torch.as_tensor(RNG.standard_t(3, size=(20, 1)))
    np.testing.assert_allclose(ours.log_prob(y), torch_s.log_prob(y).sum(dim=1), rtol=1e-12)
    draws = []
    for dist in (ours, torch_s):
        torch.manual_seed(0)
        draws.append(dist.sample((3,)))
    np.testing.assert_allclose(draws[0], draws[1], rtol=1e-12)
