"""Regressor behaviour: shapes, outputs on different scales, sigma(x), return_std."""

import numpy as np
import pytest
from scipy import stats
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skprob import GaussianRegressor, HeteroscedasticRegressor
from skprob.families.links import POSITIVE_LINKS

from .conftest import SMALL

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
REGRESSORS = [GaussianRegressor, HeteroscedasticRegressor]


@pytest.mark.parametrize("Regressor", REGRESSORS)
@pytest.mark.parametrize("y_shape", [(300,), (300, 1), (300, 3)])
def test_predictions_have_the_shape_of_y(Regressor, y_shape, rng):
    X = rng.normal(size=(300, 4))
    y = rng.normal(size=y_shape)
    reg = Regressor(**SMALL).fit(X, y)
    mean, std = reg.predict(X, return_std=True)
    assert mean.shape == y_shape
    assert std.shape == y_shape
    dist = reg.predict_dist(X)
    assert dist.mean().shape == y_shape
    assert dist.logpdf(y).shape == y_shape
    np.testing.assert_allclose(dist.mean(), mean)
    np.testing.assert_allclose(dist.std(), std)


@pytest.mark.parametrize("Regressor", REGRESSORS)
def test_outputs_on_different_scales_get_their_own_sigma(Regressor, rng):
    X = rng.normal(size=(600, 3))
    signal = X @ [1.0, -2.0, 0.5]
    noise = rng.normal(size=(600, 2))
    # Output 2 is output 1 in other units (x 10,000) with its own noise level.
    y = np.column_stack([signal + 0.5 * noise[:, 0], 1e4 * (signal + 0.3 * noise[:, 1])])
    reg = Regressor(hidden_layer_sizes=(32,), learning_rate=0.01, random_state=0)
    reg.fit(X, y)
    std = reg.predict_dist(X).std()
    median_std = np.median(std, axis=0)
    # sigma is learned per output and reported in y's units: ~0.5 and ~3,000.
    np.testing.assert_allclose(median_std, [0.5, 3e3], rtol=0.25)
    assert reg.score(X, y) > 0.95


def test_heteroscedastic_sigma_follows_the_noise(rng):
    X = rng.uniform(-1, 1, size=(2000, 1))
    true_std = 0.1 + 0.9 * (X[:, 0] + 1) / 2  # grows from 0.1 to 1.0 along x
    y = np.sin(3 * X[:, 0]) + true_std * rng.normal(size=2000)
    reg = HeteroscedasticRegressor(hidden_layer_sizes=(32, 32), random_state=0)
    reg.fit(X, y)
    grid = np.linspace(-0.9, 0.9, 7)[:, None]
    _, std = reg.predict(grid, return_std=True)
    expected = 0.1 + 0.9 * (grid[:, 0] + 1) / 2
    np.testing.assert_allclose(std, expected, rtol=0.35)
    assert np.all(np.diff(std) > 0)
    # Its held-out NLL beats the homoscedastic model's on the same data.
    X_test = rng.uniform(-1, 1, size=(2000, 1))
    y_test = np.sin(3 * X_test[:, 0]) + (0.1 + 0.45 * (X_test[:, 0] + 1)) * rng.normal(
        size=2000
    )
    homoscedastic = GaussianRegressor(hidden_layer_sizes=(32, 32), random_state=0)
    homoscedastic.fit(X, y)
    assert (
        -reg.predict_dist(X_test).logpdf(y_test).mean()
        < -homoscedastic.predict_dist(X_test).logpdf(y_test).mean() - 0.2
    )


@pytest.mark.parametrize("link", sorted(POSITIVE_LINKS))
def test_every_variance_link_trains(link, diabetes):
    X, y = diabetes
    reg = HeteroscedasticRegressor(variance_link=link, **SMALL).fit(X, y)
    nll = -reg.predict_dist(X).logpdf(y).mean()
    assert np.isfinite(nll)
    assert reg.score(X, y) > 0.3


def test_variance_floor_bounds_sigma_from_below(rng):
    # Noise-free targets invite the variance to collapse; the floor stops it.
    X = rng.normal(size=(200, 2))
    y = X[:, 0] * 3.0
    floor = 1e-2
    reg = HeteroscedasticRegressor(variance_floor=floor, **SMALL).fit(X, y)
    _, std = reg.predict(X, return_std=True)
    assert np.all(std >= np.sqrt(floor) * y.std() * (1 - 1e-6))


def test_gaussian_sigma_is_one_value_per_output(diabetes):
    X, y = diabetes
    _, std = GaussianRegressor(**SMALL).fit(X, y).predict(X, return_std=True)
    np.testing.assert_allclose(std, std[0])


def test_return_std_flows_through_a_pipeline(diabetes):
    X, y = diabetes
    pipe = make_pipeline(StandardScaler(), GaussianRegressor(**SMALL)).fit(X, y)
    mean, std = pipe.predict(X, return_std=True)
    np.testing.assert_allclose(mean, pipe.predict(X))
    assert np.all(std > 0)


def test_predict_dist_is_a_frozen_scipy_normal(diabetes):
    X, y = diabetes
    reg = GaussianRegressor(**SMALL).fit(X, y)
    dist = reg.predict_dist(X[:5])
    assert isinstance(dist, type(stats.norm()))
    low, high = dist.interval(0.9)
    np.testing.assert_allclose(dist.cdf(high) - dist.cdf(low), 0.9)
    np.testing.assert_allclose(dist.ppf(0.5), dist.mean())


def test_constant_target_predicts_that_constant(rng):
    X = rng.normal(size=(50, 3))
    y = np.full(50, 7.0)
    reg = GaussianRegressor(**SMALL).fit(X, y)
    np.testing.assert_allclose(reg.predict(X), 7.0, atol=0.5)
