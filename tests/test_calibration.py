"""The heteroscedastic Normal's variance calibrated on each member's validation rows."""

import pickle

import numpy as np
import pytest
import torch
from scipy import stats
from sklearn.datasets import make_regression

from skprob import GaussianRegressor, HeteroscedasticRegressor
from skprob.families import Normal


def _statistics_mean(family, raw, y):
    return family.calibration_statistics(raw, y).mean(dim=0, keepdim=True)


def test_calibrated_nll_is_the_best_power_and_factor_on_the_grid():
    generator = torch.Generator().manual_seed(0)
    family = Normal(n_targets=2, heteroscedastic=True)
    raw = torch.randn(500, 4, generator=generator, dtype=torch.float64)
    y = torch.randn(500, 2, generator=generator, dtype=torch.float64)
    # Countless validation rows: the full map.
    nll, calibration = family.calibrated_nll(_statistics_mean(family, raw, y), 1e15)
    # Brute force, output by output: every power of the grid, its best factor.
    params = family.params(raw)
    loc, variance = params["loc"].numpy(), params["scale"].numpy() ** 2
    expected = 0.0
    for target in range(2):
        best = np.inf
        for power in family.calibration_powers.numpy():
            scaled = variance[:, target] ** power
            factor = np.mean((y[:, target].numpy() - loc[:, target]) ** 2 / scaled)
            sd = np.sqrt(factor * scaled)
            value = -stats.norm.logpdf(y[:, target].numpy(), loc[:, target], sd).mean()
            if value < best:
                best, best_power, best_factor = value, power, factor
        expected += best
        assert calibration[0, 2 * target] == pytest.approx(best_power)
        assert calibration[0, 2 * target + 1] == pytest.approx(np.log(best_factor))
    assert nll.item() == pytest.approx(expected, rel=1e-10)
    # calibrate() maps the parameters to that distribution.
    calibrated = family.calibrate(params, calibration.expand(500, -1))
    direct = -family.torch_distribution(calibrated).log_prob(y).mean()
    assert direct.item() == pytest.approx(expected, rel=1e-10)


def test_calibration_recovers_a_known_power_and_factor():
    rng = np.random.default_rng(0)
    family = Normal(n_targets=1, heteroscedastic=True, variance_link="exp")
    log_variance = rng.uniform(-2, 2, size=20_000)
    # The true variance is 3 * v^0.5: the network's spread is too wide by a power of 2.
    y = rng.normal(0.0, np.sqrt(3.0 * np.exp(0.5 * log_variance)))
    raw = torch.as_tensor(np.column_stack([np.zeros_like(y), log_variance]))
    _, calibration = family.calibrated_nll(
        _statistics_mean(family, raw, torch.as_tensor(y)[:, None]), len(y)
    )
    assert calibration[0, 0].item() == pytest.approx(0.5, abs=0.05)
    assert np.exp(calibration[0, 1].item()) == pytest.approx(3.0, rel=0.05)


def test_few_validation_rows_move_the_map_part_of_the_way():
    generator = torch.Generator().manual_seed(1)
    family = Normal(n_targets=1, heteroscedastic=True)
    raw = torch.randn(400, 2, generator=generator, dtype=torch.float64)
    y = 3 * torch.randn(400, 1, generator=generator, dtype=torch.float64)
    statistics = _statistics_mean(family, raw, y)
    # No rows: the identity, and the NLL is the network's own.
    nll, calibration = family.calibrated_nll(statistics, 0)
    assert calibration.tolist() == [[1.0, 0.0]]
    assert nll.item() == pytest.approx(family.nll(raw, y).mean().item(), rel=1e-12)
    # As many rows as the prior: half way to the best power (to the grid), and half the
    # log factor that suits that power.
    _, best = family.calibrated_nll(statistics, 1e15)
    prior = family.calibration_prior_rows
    _, half = family.calibrated_nll(statistics, prior)
    power = half[0, 0].item()
    assert power == pytest.approx(1 + (best[0, 0].item() - 1) / 2, abs=0.025)
    ratio = statistics[0, int(round(power / 0.05))].item()
    assert half[0, 1].item() == pytest.approx(0.5 * np.log(ratio), rel=1e-9)


def test_an_exact_fit_gives_a_finite_calibrated_nll():
    family = Normal(n_targets=1, heteroscedastic=True)
    raw = torch.zeros(10, 2, dtype=torch.float64)
    nll, calibration = family.calibrated_nll(
        _statistics_mean(family, raw, torch.zeros(10, 1, dtype=torch.float64)), 10
    )
    assert torch.isfinite(nll).all() and torch.isfinite(calibration).all()


def test_only_the_heteroscedastic_normal_calibrates():
    raw = torch.zeros(3, 1)
    assert Normal(1, heteroscedastic=False).calibration_statistics(raw, raw) is None


@pytest.fixture(scope="module")
def fitted():
    X, y = make_regression(n_samples=400, n_features=3, noise=10.0, random_state=0)
    y = y + 0.05 * np.abs(y) * np.random.default_rng(0).normal(size=len(y))
    # float64: the identities below hold to 1e-9.
    model = HeteroscedasticRegressor(
        n_estimators=3, hidden_layer_sizes=(16,), compute_dtype="float64", random_state=0
    ).fit(X, y)
    return model, X, y


def test_each_member_predicts_with_the_calibration_of_its_best_epoch(fitted):
    # The validation loss a member's best epoch recorded is the NLL the fitted model
    # gives on those rows: the weights, the calibration and the prediction agree.
    model, X, y = fitted
    net = model.net_
    assert net.calibration_.shape == (3, 2)
    losses = np.asarray(net.history[:, "valid_member_losses"])
    for member, rows in enumerate(net.validation_rows_):
        params = model._members_in_y_units(X[rows])
        nll = -stats.norm.logpdf(
            y[rows], params["loc"][:, member], params["scale"][:, member]
        ).mean()
        assert nll == pytest.approx(losses[:, member].min(), rel=1e-9)


def test_calibration_survives_pickling(fitted):
    model, X, _ = fitted
    loaded = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(
        loaded.predict_dist(X[:20]).std(), model.predict_dist(X[:20]).std()
    )
    torch.testing.assert_close(loaded.net_.calibration_, model.net_.calibration_)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_no_calibration_without_validation_rows_or_a_variance_per_row(fitted):
    _, X, y = fitted
    small = dict(hidden_layer_sizes=(8,), n_estimators=1, random_state=0)
    no_split = HeteroscedasticRegressor(early_stopping=False, max_epochs=5, **small)
    assert no_split.fit(X, y).net_.calibration_ is None
    assert GaussianRegressor(max_epochs=5, **small).fit(X, y).net_.calibration_ is None
    # Training on (partial_fit: all rows, no split) leaves the old one behind: it was
    # fitted for other weights.
    model = HeteroscedasticRegressor(max_epochs=5, **small).fit(X, y)
    assert model.net_.calibration_ is not None
    assert model.partial_fit(X, y).net_.calibration_ is None
