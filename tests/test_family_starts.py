"""Every family's start: the weighted constant fit, its statistics computed here another
way, and the edges where a statistic would give an unusable start (a class never seen,
all-zero counts, a constant target)."""

import numpy as np
import pytest
from scipy.special import expit, softmax

from skprob.families import (
    FAMILIES,
    Bernoulli,
    Beta,
    Categorical,
    ConstantDispersion,
    CumulativeLink,
    DistributionFamily,
    Exponential,
    Gamma,
    Laplace,
    LogLogistic,
    LogNormal,
    MultivariateNormal,
    NegativeBinomial,
    Normal,
    NormalMixture,
    Poisson,
    StudentT,
    Weibull,
    ZeroInflatedNegativeBinomial,
    ZeroInflatedPoisson,
)

RNG = np.random.RandomState(7)
N = 41
WEIGHTS = RNG.randint(1, 6, size=N).astype(float)


def start_params(family, y, weights=WEIGHTS):
    raw = family.initial_raw(y, weights)
    assert raw.shape == (family.n_network_outputs + family.n_shared_outputs,)
    assert np.isfinite(raw).all()
    return family.params_numpy(raw[None, :]), raw


def weighted_moments(y):
    """Mean and variance as repeated rows give them."""
    repeated = np.repeat(y, WEIGHTS.astype(int), axis=0)
    return repeated.mean(axis=0), repeated.var(axis=0)


def test_the_registry_holds_every_family_under_its_name():
    expected = {
        "normal": Normal,
        "normal_mixture": NormalMixture,
        "multivariate_normal": MultivariateNormal,
        "laplace": Laplace,
        "student_t": StudentT,
        "lognormal": LogNormal,
        "loglogistic": LogLogistic,
        "gamma": Gamma,
        "beta": Beta,
        "weibull": Weibull,
        "exponential": Exponential,
        "poisson": Poisson,
        "negative_binomial": NegativeBinomial,
        "zero_inflated_poisson": ZeroInflatedPoisson,
        "zero_inflated_negative_binomial": ZeroInflatedNegativeBinomial,
        "bernoulli": Bernoulli,
        "categorical": Categorical,
        "cumulative_link": CumulativeLink,
    }
    assert dict(FAMILIES) == expected
    assert all(issubclass(cls, DistributionFamily) for cls in FAMILIES.values())


@pytest.mark.parametrize("heteroscedastic", [False, True])
def test_normal_starts_at_the_weighted_mean_and_variance(heteroscedastic):
    y = RNG.normal(3.0, 2.0, size=(N, 2))
    params, _ = start_params(Normal(2, heteroscedastic=heteroscedastic), y)
    mean, variance = weighted_moments(y)
    np.testing.assert_allclose(params["loc"][0], mean, rtol=1e-12)
    np.testing.assert_allclose(params["scale"][0] ** 2, variance, rtol=1e-9)


def test_a_constant_target_starts_with_unit_variance():
    # Its variance, 0, is no start: every family of real targets takes 1 instead.
    y = np.full((N, 1), 2.5)
    for family in (Normal(1, heteroscedastic=True), LogNormal(1), NormalMixture(1)):
        params, _ = start_params(family, y)
        spread = params["sigma"] if "sigma" in params else params["scale"]
        np.testing.assert_allclose(spread**2, 1.0, rtol=1e-9)
    laplace, _ = start_params(Laplace(1), y)
    np.testing.assert_allclose(laplace["loc"], 2.5)
    np.testing.assert_allclose(laplace["scale"], 1.0, rtol=1e-9)
    student, _ = start_params(StudentT(1), y)
    np.testing.assert_allclose(student["scale"] ** 2 * 10 / 8, 1.0, rtol=1e-9)


def test_laplace_starts_at_the_weighted_median_and_mean_absolute_deviation():
    y = RNG.standard_cauchy(size=(N, 1))
    params, _ = start_params(Laplace(1), y)
    repeated = np.repeat(y[:, 0], WEIGHTS.astype(int))
    median = np.sort(repeated)[(len(repeated) - 1) // 2]
    np.testing.assert_allclose(params["loc"][0], [median])
    np.testing.assert_allclose(
        params["scale"][0], [np.mean(np.abs(repeated - median))], rtol=1e-9
    )


def test_laplace_starts_a_spread_of_ten_floors_or_less_at_one():
    floor = 2.0**-10  # exact in binary: the spread below is exactly ten floors
    family = Laplace(1, scale_floor=floor)
    at_ten_floors = np.array([[-20 * floor], [0.0], [0.0], [20 * floor]])
    params, _ = start_params(family, at_ten_floors, None)
    np.testing.assert_allclose(params["scale"][0], [1.0], rtol=1e-9)
    just_above = 1.05 * at_ten_floors
    params, _ = start_params(family, just_above, None)
    np.testing.assert_allclose(params["scale"][0], [10.5 * floor], rtol=1e-9)


@pytest.mark.parametrize(
    "make_family, variance_of, transform",
    [
        (lambda floor: Normal(1, True, variance_floor=floor), "scale", lambda y: y),
        (lambda floor: LogNormal(1, variance_floor=floor), "sigma", np.exp),
    ],
    ids=["normal", "lognormal"],
)
def test_a_variance_of_ten_floors_or_less_starts_at_one(
    make_family, variance_of, transform
):
    z = np.array([[-2.0], [2.0]])  # variance 4 (of log y for the log-normal)
    floor = 0.4
    assert 10 * floor == np.var(np.log(transform(z)) if variance_of == "sigma" else z)
    params, _ = start_params(make_family(floor), transform(z), None)
    np.testing.assert_allclose(params[variance_of][0] ** 2, [1.0], rtol=1e-9)
    params, _ = start_params(make_family(floor), transform(1.02 * z), None)
    np.testing.assert_allclose(params[variance_of][0] ** 2, [4 * 1.02**2], rtol=1e-9)


def test_student_t_starts_with_ten_degrees_of_freedom_and_y_s_variance():
    y = RNG.normal(1.0, 3.0, size=(N, 1))
    params, _ = start_params(StudentT(1), y)
    mean, variance = weighted_moments(y)
    np.testing.assert_allclose(params["df"][0], [10.0], rtol=1e-9)
    np.testing.assert_allclose(params["loc"][0], mean, rtol=1e-12)
    # The t's variance, scale^2 df / (df - 2), is y's.
    np.testing.assert_allclose(params["scale"][0] ** 2 * 10 / 8, variance, rtol=1e-9)


def test_student_t_starts_a_scale_of_ten_floors_or_less_at_unit_variance():
    floor = 2.0**-4  # exact in binary: y's variance below is exactly 100 floor^2
    y = np.array([[-0.625], [0.625]])
    assert np.var(y) == 100 * floor**2
    params, _ = start_params(StudentT(1, scale_floor=floor), y, None)
    np.testing.assert_allclose(params["scale"][0] ** 2 * 10 / 8, [1.0], rtol=1e-9)
    params, _ = start_params(StudentT(1, scale_floor=floor), 1.004 * y, None)
    np.testing.assert_allclose(
        params["scale"][0] ** 2 * 10 / 8, [np.var(1.004 * y)], rtol=1e-9
    )


def test_student_t_degrees_of_freedom_stay_above_two_by_default():
    # Just above 2 the variance, scale^2 df / (df - 2), that predict reports exists.
    family = StudentT(1)
    raw = np.array([[0.0, 0.0, -800.0], [0.0, 0.0, 0.0]])
    df = family.params_numpy(raw)["df"][:, 0]
    np.testing.assert_allclose(df, [2.01, 2.01 + np.log(2)], rtol=1e-12)


def test_lognormal_starts_at_the_moments_of_log_y():
    y = np.exp(RNG.normal(0.5, 0.7, size=(N, 1)))
    params, _ = start_params(LogNormal(1), y)
    mean, variance = weighted_moments(np.log(y))
    np.testing.assert_allclose(params["mu"][0], mean, rtol=1e-12)
    np.testing.assert_allclose(params["sigma"][0] ** 2, variance, rtol=1e-9)


def test_gamma_starts_at_the_mean_and_the_shape_of_the_moments():
    y = RNG.gamma(3.0, 2.0, size=(N, 1))
    params, _ = start_params(Gamma(1), y)
    mean, variance = weighted_moments(y)
    np.testing.assert_allclose(params["mean"][0], mean, rtol=1e-12)
    np.testing.assert_allclose(params["shape"][0], mean**2 / variance, rtol=1e-9)
    # A nearly constant positive target: the shape is held at 1e6, not 1e12.
    nearly, _ = start_params(Gamma(1), 5.0 + 1e-6 * RNG.uniform(size=(N, 1)))
    np.testing.assert_allclose(nearly["shape"][0], [1e6], rtol=1e-9)
    # A constant one has no variance to divide by: the shape starts at 1 (exponential).
    constant, _ = start_params(Gamma(1), np.full((N, 1), 5.0))
    np.testing.assert_allclose(constant["shape"][0], [1.0], rtol=1e-9)
    # A target spread far beyond its mean: held at ten times the floor, above the floor
    # itself, where the link's inverse is minus infinity.
    spread = np.r_[np.full(999, 1e-8), 1e6][:, None]
    assert (spread.mean() ** 2 / spread.var()) < 10 * Gamma(1).shape_floor
    wide, _ = start_params(Gamma(1), spread, None)
    np.testing.assert_allclose(wide["shape"][0], [10 * Gamma(1).shape_floor], rtol=1e-9)


def test_poisson_starts_at_the_weighted_mean_and_all_zeros_at_a_small_rate():
    y = RNG.poisson(4.0, size=(N, 2)).astype(float)
    params, _ = start_params(Poisson(2), y)
    np.testing.assert_allclose(params["rate"][0], weighted_moments(y)[0], rtol=1e-12)
    zeros, _ = start_params(Poisson(1), np.zeros((N, 1)))
    np.testing.assert_allclose(zeros["rate"], 1e-3)


def test_negative_binomial_starts_at_the_size_of_the_moments_and_caps_it():
    y = RNG.negative_binomial(3, 0.3, size=(N, 1)).astype(float)
    params, _ = start_params(NegativeBinomial(1), y)
    mean, variance = weighted_moments(y)
    assert variance > mean
    np.testing.assert_allclose(params["mean"][0], mean, rtol=1e-12)
    np.testing.assert_allclose(params["size"][0], mean**2 / (variance - mean), rtol=1e-9)
    # Under-dispersed counts (variance below the mean) start near a Poisson: size 1e4.
    under, _ = start_params(NegativeBinomial(1), np.tile([[2.0], [3.0]], (20, 1)), None)
    np.testing.assert_allclose(under["size"], 1e4, rtol=1e-9)
    zeros, _ = start_params(NegativeBinomial(1), np.zeros((N, 1)))
    np.testing.assert_allclose(zeros["mean"], 1e-3)


def test_negative_binomial_start_sizes_between_the_floor_and_the_cap():
    family = NegativeBinomial(1)
    # Slightly over-dispersed: variance 1.5 against mean 1, size 1^2 / 0.5 = 2.
    slight, _ = start_params(family, np.array([[0.0], [0.0], [1.0], [3.0]]), None)
    np.testing.assert_allclose(slight["size"], 2.0, rtol=1e-9)
    # Barely over-dispersed: m^2 / (var - m) = 5e11, capped at 1e4.
    barely = 1e6 + np.array([[-1000.001], [1000.001]])
    capped, _ = start_params(family, barely, None)
    np.testing.assert_allclose(capped["size"], 1e4, rtol=1e-9)
    # Wildly over-dispersed: the size of the moments, about 1e-3, is held at ten floors.
    wild = np.r_[np.zeros(999), 1000.0][:, None]
    held, _ = start_params(family, wild, None)
    np.testing.assert_allclose(held["size"], 10 * family.size_floor, rtol=1e-9)


def test_bernoulli_starts_at_the_weighted_rate_and_clips_a_single_class():
    y = (RNG.uniform(size=N) < 0.3).astype(float)
    _, raw = start_params(Bernoulli(), y)
    np.testing.assert_allclose(expit(raw), [weighted_moments(y)[0]], rtol=1e-12)
    for constant, rate in ((0.0, 1e-6), (1.0, 1 - 1e-6)):
        _, raw = start_params(Bernoulli(), np.full(N, constant))
        np.testing.assert_allclose(expit(raw), [rate], rtol=1e-9)


def test_categorical_starts_at_the_weighted_frequencies_and_clips_a_missing_class():
    y = RNG.randint(0, 3, size=N)
    _, raw = start_params(Categorical(4), y)
    counts = np.bincount(np.repeat(y, WEIGHTS.astype(int)), minlength=4)
    frequencies = counts / counts.sum()
    # Class 3 never occurs: it starts at 1e-6, not at minus infinity.
    np.testing.assert_allclose(softmax(raw)[:3], frequencies[:3], rtol=1e-5)
    np.testing.assert_allclose(softmax(raw)[3], 1e-6, rtol=1e-3)
    # Centred logits: softmax does not see a shift, and the start stays near zero.
    assert abs(raw.mean()) < 1e-12


def test_mixture_starts_with_equal_weights_at_the_weighted_quantiles():
    y = RNG.normal(size=(N, 1))
    params, raw = start_params(NormalMixture(3), y)
    np.testing.assert_allclose(np.exp(params["log_weights"][0]), 1 / 3)
    repeated = np.sort(np.repeat(y[:, 0], WEIGHTS.astype(int)))
    levels = (np.arange(3) + 0.5) / 3
    expected = repeated[np.ceil(levels * len(repeated)).astype(int) - 1]
    np.testing.assert_allclose(params["loc"][0], expected)
    variance = weighted_moments(y)[1][0]
    np.testing.assert_allclose(params["scale"][0] ** 2, variance / 9, rtol=1e-9)


def test_a_one_component_mixture_starts_where_the_normal_does():
    y = RNG.normal(2.0, 3.0, size=(N, 1))
    mixture, _ = start_params(NormalMixture(1), y)
    normal, _ = start_params(Normal(1, heteroscedastic=True), y)
    np.testing.assert_allclose(mixture["loc"][0], normal["loc"][0], rtol=1e-12)
    np.testing.assert_allclose(mixture["scale"][0], normal["scale"][0], rtol=1e-9)


def test_mixture_components_of_a_narrow_target_start_at_ten_floors_or_at_one_over_k2():
    weights = np.ones(2)
    # A constant target: every component on it, with variance 1 / K^2.
    params, _ = start_params(NormalMixture(2), np.full((2, 1), 3.0), weights)
    np.testing.assert_allclose(params["loc"][0], [3.0, 3.0])
    np.testing.assert_allclose(params["scale"][0] ** 2, [0.25, 0.25], rtol=1e-9)
    # A variance of exactly ten floors counts as none (as in the Normal's start) ...
    y = np.array([[-(2.0**-8)], [2.0**-8]])
    floor = 2.0**-16 / 10
    params, _ = start_params(NormalMixture(2, variance_floor=floor), y, weights)
    np.testing.assert_allclose(params["scale"][0] ** 2, [0.25, 0.25], rtol=1e-9)
    # ... and just above it, the components' variance var / K^2 is held at ten floors.
    params, _ = start_params(NormalMixture(2, variance_floor=floor), 1.02 * y, weights)
    np.testing.assert_allclose(params["scale"][0] ** 2, [10 * floor] * 2, rtol=1e-9)


def test_mixture_components_start_at_the_first_and_last_rows_when_their_weight_says_so():
    # Weights 5, 1, 1, 5: the quantiles at 1/4 and 3/4 fall on the first and the last row.
    y = np.array([[0.0], [1.0], [2.0], [3.0]])
    params, _ = start_params(NormalMixture(2), y, np.array([5.0, 1.0, 1.0, 5.0]))
    np.testing.assert_allclose(params["loc"][0], [0.0, 3.0])


def test_constant_dispersion_starts_the_shared_parameters_where_the_family_does():
    y = RNG.gamma(2.0, size=(N, 1))
    family = ConstantDispersion(Gamma(1))
    raw = family.initial_raw(y, WEIGHTS)
    np.testing.assert_allclose(raw, Gamma(1).initial_raw(y, WEIGHTS))
    assert (family.n_network_outputs, family.n_shared_outputs) == (1, 1)
