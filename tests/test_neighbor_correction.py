"""The regressors' neighbour correction: residuals of nearby training rows move each
member's location, where the validation rows say they should."""

import pickle

import numpy as np
import pytest
import torch
from scipy import sparse
from sklearn.base import clone

from skprob import (
    DistributionRegressor,
    GaussianRegressor,
    HeteroscedasticRegressor,
    MixtureDensityRegressor,
)
from skprob._neighbor_correction import (
    BANDWIDTHS,
    MIN_GAIN_PER_ROW,
    PRIORS,
    SPREAD_FACTORS,
    fit_neighbor_correction,
    neighbor_adjustments,
)
from skprob.families import Laplace, Normal, NormalMixture, StudentT, Weibull
from skprob.families.censored import Censored

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


def _repeated_rows(n_groups=150, repeats=4, seed=0):
    """Rows measured several times: a smooth trend plus an offset of each group that
    no smooth function of x can follow, shared by the group's repeats."""
    rng = np.random.RandomState(seed)
    X = rng.uniform(-2, 2, size=(n_groups, 3))
    offset = rng.normal(scale=1.0, size=n_groups)
    group = np.repeat(np.arange(n_groups), repeats)
    y = X[group, 0] + offset[group] + 0.05 * rng.normal(size=len(group))
    return X[group], y, group


def _rmse(model, X, y):
    return float(np.sqrt(np.mean((model.predict(X) - y) ** 2)))


@pytest.mark.parametrize(
    "Estimator", [GaussianRegressor, HeteroscedasticRegressor, DistributionRegressor]
)
def test_repeated_rows_are_predicted_from_their_repeats(Estimator):
    X, y, group = _repeated_rows()
    held_out = group % 5 == 0  # groups never seen...
    repeat = (~held_out) & (np.arange(len(y)) % 4 == 0)  # ...and rows whose twins were
    train = ~held_out & ~repeat
    params = dict(n_estimators=2, hidden_layer_sizes=(16,), random_state=0)
    on = Estimator(**params).fit(X[train], y[train])
    off = Estimator(neighbor_correction="off", **params).fit(X[train], y[train])
    assert on.neighbor_correction_ is not None
    assert on.neighbor_correction_["bandwidth"] in BANDWIDTHS
    assert on.neighbor_correction_["prior"] in PRIORS
    assert on.neighbor_correction_["spread"] in SPREAD_FACTORS
    assert off.neighbor_correction_ is None
    # The offsets of seen groups (standard deviation 1) are read off their twins.
    assert _rmse(on, X[repeat], y[repeat]) < 0.3
    assert _rmse(off, X[repeat], y[repeat]) > 0.7
    # Unseen groups have no twin to read: no worse than the networks alone.
    assert _rmse(on, X[held_out], y[held_out]) < 1.05 * _rmse(off, X[held_out], y[held_out])
    # The distribution moves with its mean: the held-out NLL falls too.
    nll_on = -on.predict_dist(X[repeat]).logpdf(y[repeat]).mean()
    nll_off = -off.predict_dist(X[repeat]).logpdf(y[repeat]).mean()
    assert nll_on < nll_off - 0.3
    _, std_repeat = on.predict(X[repeat], return_std=True)
    _, std_unseen = on.predict(X[held_out], return_std=True)
    if Estimator is GaussianRegressor:
        # One sigma for all rows stays one sigma: only the location moves.
        assert on.neighbor_correction_["spread"] == 1.0
        scale = on._member_params(X)["scale"]
        torch.testing.assert_close(scale, scale[:, :1].expand_as(scale))
    else:
        # A row read off its twins is predicted with a narrower spread.
        assert np.median(std_repeat) < 0.7 * np.median(std_unseen)


def test_residuals_far_from_every_row_choose_no_correction():
    rng = np.random.RandomState(0)
    # Rows 100 apart: every kernel weight underflows, every shift is 0, and a shift
    # that changes nothing does not count as better.
    features = 100.0 * np.arange(200, dtype=float)[:, None] * np.ones((1, 2))
    residuals = rng.normal(size=(2, 200, 1))
    validation_rows = np.stack([rng.permutation(200)[:20] for _ in range(2)])

    def squared_error(member, rows, shift, variance_factor):
        error = residuals[member, rows] - (0.0 if shift is None else shift)
        return (error**2).sum(axis=1)

    assert (
        fit_neighbor_correction(
            features, residuals, np.ones(200), validation_rows, squared_error
        )
        is None
    )


@pytest.mark.parametrize("gain, kept", [(0.3 * MIN_GAIN_PER_ROW, False), (0.01, True)])
def test_a_correction_is_kept_only_for_a_gain_worth_its_cost(gain, kept):
    rng = np.random.RandomState(0)
    features = rng.normal(size=(100, 2))
    residuals = rng.normal(size=(2, 100, 1))
    validation_rows = np.stack([rng.permutation(100)[:10] for _ in range(2)])

    def loss(member, rows, shift, variance_factor):
        # Every shift gains ``gain`` nats a row over none.
        return np.ones(len(rows)) - (0.0 if shift is None else gain)

    correction = fit_neighbor_correction(
        features, residuals, 2 * np.ones(100), validation_rows, loss
    )
    assert (correction is not None) == kept


@pytest.mark.parametrize("spread, kept", [(1.0, False), (1e-3, True)])
def test_a_gain_within_its_noise_is_not_kept(spread, kept):
    rng = np.random.RandomState(0)
    features = rng.normal(size=(100, 2))
    residuals = rng.normal(size=(2, 100, 1))
    validation_rows = np.stack([rng.permutation(100)[:10] for _ in range(2)])
    # Every shift gains 0.01 nats a row on average (10 times the least gain), give or
    # take ``spread`` from row to row: 20 rows tell that from chance only when the
    # spread is small.
    row_gains = 0.01 + spread * rng.standard_normal(100)
    row_gains += 0.01 - row_gains[validation_rows].mean()

    def loss(member, rows, shift, variance_factor):
        return np.ones(len(rows)) - (0.0 if shift is None else row_gains[rows])

    correction = fit_neighbor_correction(
        features, residuals, np.ones(100), validation_rows, loss
    )
    assert (correction is not None) == kept


@pytest.mark.parametrize("seed", [1, 4, 5, 8])
def test_a_linear_model_of_skewed_noise_keeps_no_correction(seed):
    # No structure in the residuals for neighbours to find: these seeds had kept a
    # shift by the gain alone, which moved the mean at the origin by up to 0.3.
    rng = np.random.RandomState(0)
    X = rng.uniform(-1, 1, size=(3000, 2))
    y = X[:, 0] + rng.exponential(size=3000)
    model = DistributionRegressor(
        distribution="normal",
        hidden_layer_sizes=(),
        optimizer="lbfgs",
        max_epochs=300,
        n_estimators=1,
        random_state=seed,
    ).fit(X, y)
    assert model.neighbor_correction_ is None
    assert model.predict([[0.0, 0.0]])[0] == pytest.approx(1.0, abs=0.05)


def test_shifts_are_the_kernel_weighted_residual_means_written_plainly():
    rng = np.random.RandomState(1)
    features = rng.normal(size=(60, 3))
    residuals = rng.normal(size=(2, 60, 2))
    weights = rng.uniform(0.5, 2.0, size=60)
    correction = {
        "features": (features / np.sqrt(3)).astype(np.float32),
        "residuals": residuals.astype(np.float32),
        "weights": weights.astype(np.float32),
        "bandwidth": 0.3,
        "prior": 0.5,
        "spread": 0.1,
    }
    queries = rng.normal(size=(5, 3))
    shifts, factors = neighbor_adjustments(correction, queries)
    assert shifts.shape == (2, 5, 2) and factors.shape == (5,)
    for row, query in enumerate(queries):
        distance = np.sqrt(((features - query) ** 2).mean(axis=1))
        nearest = np.argsort(distance)[:16]
        kernel = weights[nearest] * np.exp(-((distance[nearest] / 0.3) ** 2))
        for member in range(2):
            expected = kernel @ residuals[member, nearest] / (0.5 + kernel.sum())
            np.testing.assert_allclose(shifts[member, row], expected, rtol=1e-4)
        expected_factor = (0.5 + 0.1 * kernel.sum()) / (0.5 + kernel.sum())
        np.testing.assert_allclose(factors[row], expected_factor, rtol=1e-4)


def test_a_family_whose_shift_costs_density_keeps_its_networks():
    # Targets on a few values: a mixture puts its modes on them, and a shift moved
    # off them loses far more density than its smaller squared error gains. The
    # family's own NLL judges the shift, and declines it.
    rng = np.random.RandomState(0)
    X = rng.normal(size=(600, 2))
    y = np.round(X[:, 0] + rng.normal(scale=0.7, size=600))
    model = MixtureDensityRegressor(
        n_components=4, n_estimators=2, hidden_layer_sizes=(16,), random_state=0
    ).fit(X, y)
    assert model.neighbor_correction_ is None


@pytest.mark.parametrize("family", [Normal(1, True), Laplace(1), StudentT(1)])
def test_an_identity_location_family_moves_by_its_shift(family):
    raw = torch.randn(4, family.n_network_outputs, dtype=torch.float64)
    shift = torch.tensor([[0.5], [-1.0], [2.0], [0.0]], dtype=torch.float64)
    before = family.params(raw)["loc"]
    moved = family.shift_location(raw, shift)
    np.testing.assert_allclose(family.params(moved)["loc"], before + shift)
    assert torch.equal(raw, raw.clone())  # the input is not modified
    assert family.identity_location


def test_a_mixture_moves_every_component_and_its_mean():
    family = NormalMixture(n_components=3)
    raw = torch.randn(4, 9, dtype=torch.float64)
    shift = torch.full((4, 1), 1.5, dtype=torch.float64)
    mean = family.moments(family.params_numpy(raw))[0]
    moved = family.shift_location(raw, shift).numpy()
    np.testing.assert_allclose(
        np.ravel(family.moments(family.params_numpy(moved))[0]), np.ravel(mean) + 1.5
    )


@pytest.mark.parametrize(
    "family, floor",
    [
        (Normal(1, True, variance_floor=1e-4), 1e-2),
        (NormalMixture(2, variance_floor=1e-4), 1e-2),
        (Laplace(1, scale_floor=1e-3), 1e-3),
        (StudentT(1, scale_floor=1e-3), 1e-3),
    ],
)
def test_a_scaled_spread_stops_at_the_familys_floor(family, floor):
    from skprob._base import _scale_spread

    params = {"loc": torch.zeros(2, 1), "scale": torch.tensor([[1.0], [0.02]])}
    assert family.min_scale == pytest.approx(floor)
    scaled = _scale_spread(family, params, np.array([0.25, 1e-6]))
    torch.testing.assert_close(scaled["scale"], torch.tensor([[0.5], [floor]]))


def test_censored_targets_and_scale_families_are_not_shifted():
    assert not Censored(Weibull(1)).identity_location
    assert not Weibull(1).identity_location


def test_sparse_rows_and_fits_without_validation_rows_have_no_correction():
    X, y, _ = _repeated_rows()
    params = dict(n_estimators=2, hidden_layer_sizes=(8,), random_state=0)
    model = HeteroscedasticRegressor(**params).fit(sparse.csr_matrix(X), y)
    assert model.neighbor_correction_ is None
    model = HeteroscedasticRegressor(early_stopping=False, max_epochs=5, **params)
    assert model.fit(X, y).neighbor_correction_ is None


def test_partial_fit_drops_the_correction_of_the_weights_it_changes():
    X, y, _ = _repeated_rows()
    model = HeteroscedasticRegressor(
        n_estimators=2, hidden_layer_sizes=(16,), random_state=0
    ).fit(X, y)
    assert model.neighbor_correction_ is not None
    model.partial_fit(X, y)
    assert model.neighbor_correction_ is None
    assert np.isfinite(model.predict(X)).all()


def test_the_correction_is_reproducible_and_survives_a_model_file():
    X, y, _ = _repeated_rows()
    model = HeteroscedasticRegressor(
        n_estimators=2, hidden_layer_sizes=(16,), random_state=3
    )
    first = clone(model).fit(X, y).predict(X[:40])
    fitted = model.fit(X, y)
    np.testing.assert_array_equal(fitted.predict(X[:40]), first)
    loaded = pickle.loads(pickle.dumps(fitted))
    np.testing.assert_array_equal(loaded.predict(X[:40]), first)
    assert loaded.neighbor_correction_ == fitted.neighbor_correction_


def test_float32_rows_and_several_outputs_are_corrected_per_output():
    X, y, _ = _repeated_rows()
    X, Y = X.astype(np.float32), np.column_stack([y, -2 * y])
    params = dict(n_estimators=2, hidden_layer_sizes=(16,), random_state=0)
    on = HeteroscedasticRegressor(**params).fit(X, Y)
    off = HeteroscedasticRegressor(neighbor_correction="off", **params).fit(X, Y)
    assert on.neighbor_correction_ is not None
    error_on, error_off = on.predict(X) - Y, off.predict(X) - Y
    assert error_on.shape == Y.shape
    # Each output's offsets are read off its own residuals.
    rmse_on, rmse_off = (
        np.sqrt((error_on**2).mean(axis=0)),
        np.sqrt((error_off**2).mean(axis=0)),
    )
    assert (rmse_on < 0.5 * rmse_off).all()


class _FixedLaplace(Laplace):
    """A user's family that does not declare its location on y's scale."""

    identity_location = False


@pytest.mark.parametrize("family, corrected", [(Laplace, True), (_FixedLaplace, False)])
def test_a_users_family_opts_in_by_its_identity_location(family, corrected):
    X, y, _ = _repeated_rows()
    model = DistributionRegressor(
        distribution=family, n_estimators=2, hidden_layer_sizes=(16,), random_state=0
    ).fit(X, y)
    assert (model.neighbor_correction_ is not None) == corrected
