"""The time-to-event families (Weibull, exponential) and their log survival functions."""

import numpy as np
import pytest
import torch
from scipy import stats

from skprob import DistributionRegressor
from skprob.families import FAMILIES, Exponential, Laplace, LogNormal, Normal, Weibull
from skprob.families.censored import Censored

RNG = np.random.RandomState(0)


def _raw(n_rows, n_columns):
    return torch.as_tensor(RNG.normal(scale=0.7, size=(n_rows, n_columns)))


@pytest.mark.parametrize("n_targets", [1, 2])
def test_weibull_nll_and_moments_are_scipys(n_targets):
    family = Weibull(n_targets)
    raw = _raw(40, family.n_network_outputs)
    params = family.params_numpy(raw)
    y = RNG.weibull(1.5, size=(40, n_targets)) * 2.0
    dist = family.scipy_distribution(params)
    np.testing.assert_allclose(
        family.nll(raw, torch.as_tensor(y)).numpy(), -dist.logpdf(y).sum(axis=1), rtol=1e-10
    )
    np.testing.assert_allclose(
        family.nll(raw, torch.as_tensor(y)).numpy(),
        -family.torch_distribution(family.params(raw)).log_prob(torch.as_tensor(y)).numpy(),
        rtol=1e-10,
    )
    mean, variance = family.moments(params)
    np.testing.assert_allclose(mean, dist.mean(), rtol=1e-12)
    np.testing.assert_allclose(variance, dist.var(), rtol=1e-10)


def test_exponential_nll_moments_and_start_are_scipys():
    family = Exponential(2)
    raw = _raw(40, 2)
    params = family.params_numpy(raw)
    y = RNG.exponential(size=(40, 2))
    dist = family.scipy_distribution(params)
    np.testing.assert_allclose(
        family.nll(raw, torch.as_tensor(y)).numpy(), -dist.logpdf(y).sum(axis=1), rtol=1e-10
    )
    mean, variance = family.moments(params)
    np.testing.assert_allclose(mean, dist.mean(), rtol=1e-12)
    np.testing.assert_allclose(variance, dist.var(), rtol=1e-12)
    # The start is the maximum-likelihood constant: the weighted mean.
    weights = RNG.randint(1, 4, size=40).astype(float)
    start = np.exp(family.initial_raw(y, weights))
    np.testing.assert_allclose(start, np.average(y, axis=0, weights=weights), rtol=1e-12)


@pytest.mark.parametrize(
    ("family", "scipy_logsf", "far"),
    [
        (
            Weibull(1),
            lambda p, y: stats.weibull_min.logsf(y, p["shape"], scale=p["scale"]),
            ([0.0, 2.0], 40.0),  # scale 1, shape about 2: log sf about -1,600
        ),
        (
            LogNormal(1),
            lambda p, y: stats.lognorm.logsf(y, p["sigma"], scale=np.exp(p["mu"])),
            ([0.0, -1.0], np.exp(25.0)),  # sigma about 0.56: 45 sigma out
        ),
        (
            Exponential(1),
            lambda p, y: stats.expon.logsf(y, scale=p["scale"]),
            ([0.0], 2000.0),
        ),
    ],
    ids=["weibull", "lognormal", "exponential"],
)
def test_log_survival_is_scipys_far_into_the_upper_tail(family, scipy_logsf, far):
    far_raw, far_y = far
    raw = torch.cat([_raw(30, family.n_network_outputs), torch.tensor([far_raw])])
    y = np.append(np.exp(RNG.uniform(-2, 3, size=30)), far_y)[:, None]
    params = family.params_numpy(raw)
    ours = family.log_survival(raw, torch.as_tensor(y)).numpy()
    np.testing.assert_allclose(ours, scipy_logsf(params, y)[:, 0], rtol=1e-9)
    # Where 1 - cdf underflows in float64 (log sf below -745), the log stays exact.
    assert np.all(np.isfinite(ours)) and ours[-1] < -745


def test_families_without_a_survival_function_say_so():
    with pytest.raises(
        NotImplementedError, match="Laplace family has no survival function"
    ):
        Laplace(1).log_survival(_raw(3, 2), torch.ones(3, 1))
    with pytest.raises(NotImplementedError, match="Normal"):
        Normal(1, heteroscedastic=True).log_survival(_raw(3, 2), torch.ones(3, 1))


def test_weibull_starts_near_the_maximum_likelihood_constant():
    y = RNG.weibull(2.5, size=(5000, 1)) * 3.0
    family = Weibull(1, shape_link="exp", shape_floor=1e-12)
    start = family.params_numpy(torch.as_tensor(family.initial_raw(y, np.ones(5000)))[None])
    shape, _, scale = stats.weibull_min.fit(y[:, 0], floc=0)
    np.testing.assert_allclose(start["shape"][0, 0], shape, rtol=0.05)
    np.testing.assert_allclose(start["scale"][0, 0], scale, rtol=0.02)


@pytest.mark.parametrize("name", ["weibull", "exponential"])
def test_the_time_to_event_families_are_registered_and_kept_by_name(name):
    assert FAMILIES[name] is {"weibull": Weibull, "exponential": Exponential}[name]
    assert DistributionRegressor(distribution=name).get_params()["distribution"] == name


def test_weibull_regression_learns_a_shape_and_a_scale_that_depends_on_x():
    rng = np.random.RandomState(1)
    X = rng.uniform(-1, 1, size=(3000, 1))
    scale = np.exp(1.0 + X[:, 0])
    y = scale * rng.weibull(3.0, size=3000)
    model = DistributionRegressor(
        distribution="weibull", n_estimators=1, random_state=0
    ).fit(X[:2000], y[:2000])
    dist = model.predict_dist(X[2000:])
    truth = stats.weibull_min(c=3.0, scale=scale[2000:])
    nll, best = -dist.logpdf(y[2000:]).mean(), -truth.logpdf(y[2000:]).mean()
    assert nll < best + 0.05
    assert np.mean(np.abs(model.predict(X[2000:]) / truth.mean() - 1)) < 0.05
    # In y's units: ten times the times, ten times the predictions.
    tenfold = DistributionRegressor(
        distribution="weibull", n_estimators=1, random_state=0
    ).fit(X[:2000], 10 * y[:2000])
    np.testing.assert_allclose(
        tenfold.predict(X[2000:2010]), 10 * model.predict(X[2000:2010]), rtol=1e-4
    )


def test_right_censored_rows_contribute_their_log_survival():
    family = Censored(Weibull(1))
    raw = _raw(20, 2)
    time = torch.as_tensor(RNG.weibull(1.5, size=(20, 1)))
    event = torch.as_tensor(RNG.randint(0, 2, size=20).astype(float))
    nll = family.nll(raw, torch.cat([time, time, event[:, None]], dim=1))
    expected = torch.where(
        event > 0, Weibull(1).nll(raw, time), -Weibull(1).log_survival(raw, time)
    )
    torch.testing.assert_close(nll, expected)
    # All events: the uncensored NLL.
    all_events = torch.cat([time, time, torch.ones(20, 1, dtype=time.dtype)], dim=1)
    torch.testing.assert_close(family.nll(raw, all_events), Weibull(1).nll(raw, time))
    _, grad = family.nll_and_grad(raw, all_events)
    _, uncensored_grad = Weibull(1).nll_and_grad(raw, time)
    torch.testing.assert_close(grad, uncensored_grad)


def test_the_censored_exponential_maximum_is_total_time_over_events():
    # The textbook closed form: the rate's maximum-likelihood estimate under right
    # censoring is the number of events over the total time at risk.
    rng = np.random.RandomState(3)
    event_time, follow_up = rng.exponential(2.0, size=500), rng.exponential(3.0, size=500)
    time, event = np.minimum(event_time, follow_up), (event_time <= follow_up).astype(float)
    y = torch.as_tensor(np.column_stack([time, time, event]))
    family = Censored(Exponential(1))
    raw = torch.zeros(1, 1, dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.LBFGS([raw], lr=1, max_iter=100, tolerance_grad=1e-12)

    def closure():
        optimizer.zero_grad()
        loss = family.nll(raw.expand(500, 1), y).sum()
        loss.backward()
        return loss

    optimizer.step(closure)
    np.testing.assert_allclose(torch.exp(raw).item(), time.sum() / event.sum(), rtol=1e-8)
    # Ignoring the censoring would have put the mean time far too early.
    assert time.mean() < 0.7 * time.sum() / event.sum()
