"""The network's feature map: robust scaling and a soft clip, fitted with the network."""

import pickle

import numpy as np
import pytest
import scipy.sparse as sp
import torch
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skprob import FeatureScaleWarning, HeteroscedasticRegressor, predict_dist
from skprob._training.feature_map import (
    CLIP,
    MAX_ROWS_FOR_STATISTICS,
    RobustFeatureMap,
    robust_feature_statistics,
)

from .conftest import SMALL

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


def test_statistics_are_the_median_and_the_interquartile_range():
    rng = np.random.RandomState(0)
    X = np.column_stack([rng.normal(3, 2, 4001), rng.standard_cauchy(4001)])
    centre, scale = robust_feature_statistics(X, np.ones(len(X)))
    np.testing.assert_allclose(centre, np.median(X, axis=0))
    iqr = np.diff(np.quantile(X, [0.25, 0.75], axis=0, method="inverted_cdf"), axis=0)
    np.testing.assert_allclose(scale, 1 / iqr[0])


def test_a_column_whose_quartiles_coincide_is_scaled_by_half_its_range():
    flags = np.array([0.0] * 9 + [4.0])
    constant = np.full(10, 7.0)
    centre, scale = robust_feature_statistics(
        np.column_stack([flags, constant]), np.ones(10)
    )
    np.testing.assert_array_equal(centre, [0.0, 7.0])
    np.testing.assert_array_equal(scale, [0.5, 0.0])


def test_integer_weights_act_as_repeated_rows_and_zero_weights_as_absent_rows():
    rng = np.random.RandomState(1)
    X = rng.lognormal(size=(30, 3))
    weights = rng.randint(0, 4, size=30).astype(float)
    repeated = np.repeat(X, weights.astype(int), axis=0)
    for got, expected in zip(
        robust_feature_statistics(X, weights),
        robust_feature_statistics(repeated, np.ones(len(repeated))),
    ):
        np.testing.assert_array_equal(got, expected)


def test_sparse_input_gives_the_dense_statistics():
    X = sp.random(200, 5, density=0.3, random_state=0, format="csr")
    weights = np.ones(200)
    for got, expected in zip(
        robust_feature_statistics(X, weights),
        robust_feature_statistics(X.toarray(), weights),
    ):
        np.testing.assert_array_equal(got, expected)


def test_large_data_take_the_statistics_from_a_fixed_sample(monkeypatch):
    from skprob._training import feature_map

    monkeypatch.setattr(feature_map, "MAX_ROWS_FOR_STATISTICS", 1000)
    X = np.random.RandomState(2).normal(size=(5000, 2))
    first = robust_feature_statistics(X, np.ones(5000))
    second = robust_feature_statistics(X, np.ones(5000))
    np.testing.assert_array_equal(first[0], second[0])
    # A sample's median, not the whole column's, within its sampling error.
    assert not np.array_equal(first[0], np.median(X, axis=0))
    np.testing.assert_allclose(first[0], np.median(X, axis=0), atol=0.1)
    assert MAX_ROWS_FOR_STATISTICS == 100_000


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_the_map_is_the_soft_clip_of_the_scaled_features_and_bounded(dtype):
    feature_map = RobustFeatureMap(2).to(dtype)
    feature_map.set_statistics([1.0, -2.0], [0.5, 4.0])
    X = torch.tensor([[1.0, -2.0], [3.0, 0.0], [-1e30, 1e30], [1e38, -1e38]], dtype=dtype)
    before = X.clone()
    out = feature_map(X)
    torch.testing.assert_close(X, before)  # the input is not modified
    z = (before.double() - torch.tensor([1.0, -2.0])) * torch.tensor([0.5, 4.0])
    expected = z / torch.sqrt(1 + (z / CLIP) ** 2)
    torch.testing.assert_close(out[:2].double(), expected[:2])
    assert torch.isfinite(out).all()
    assert (out.abs() < CLIP).all()
    torch.testing.assert_close(
        out[2:].abs().double(), torch.full((2, 2), CLIP, dtype=torch.float64)
    )


def test_predictions_do_not_depend_on_the_features_units():
    # Median and interquartile range follow any increasing affine map of a column, so
    # a fit on raw columns and on the same columns in other units is the same model.
    rng = np.random.RandomState(3)
    X = rng.lognormal(size=(300, 3))
    y = np.log(X[:, 0]) + rng.normal(scale=0.2, size=300)
    units = np.array([1000.0, 0.001, 7.0]), np.array([-5.0, 3.0, 1e4])
    params = {**SMALL, "compute_dtype": "float64"}
    raw = HeteroscedasticRegressor(**params).fit(X, y)
    rescaled = HeteroscedasticRegressor(**params).fit(X * units[0] + units[1], y)
    np.testing.assert_allclose(
        rescaled.predict(X * units[0] + units[1]), raw.predict(X), rtol=1e-6, atol=1e-9
    )


def test_heavy_tailed_raw_features_train_better_than_standardised_ones():
    # Incomes and balances: log-normal columns with values hundreds of interquartile
    # ranges out. Standardised, a few rows sit tens of deviations out and the rest are
    # squeezed near the mean; the robust map keeps the bulk spread and bounds the tail.
    rng = np.random.RandomState(4)
    latent = rng.normal(size=(2000, 3))
    X = np.exp(2.5 * latent)
    y = latent @ [1.0, -0.5, 0.25] + rng.normal(scale=0.3, size=2000)
    train, test = slice(0, 1500), slice(1500, None)
    # The feature map alone: quantile bins would follow the tails either way.
    params = {"random_state": 0, "n_estimators": 2, "numeric_embedding": "none"}
    robust = HeteroscedasticRegressor(**params).fit(X[train], y[train])
    nll_robust = -robust.predict_dist(X[test]).logpdf(y[test]).mean()
    standardised = make_pipeline(
        StandardScaler(), HeteroscedasticRegressor(**params, feature_scaling="none")
    ).fit(X[train], y[train])
    nll_standardised = -predict_dist(standardised, X[test]).logpdf(y[test]).mean()
    assert nll_robust < nll_standardised - 0.2


def test_feature_scaling_none_passes_the_features_as_given_and_warns():
    X = np.random.RandomState(5).normal(size=(100, 2)) * [1.0, 500.0]
    y = X[:, 0]
    with pytest.warns(FeatureScaleWarning, match="column 1"):
        model = HeteroscedasticRegressor(**SMALL, feature_scaling="none").fit(X, y)
    assert model.net_.module_.feature_map is None


def test_the_statistics_travel_with_the_model_file():
    X = np.random.RandomState(6).lognormal(size=(100, 2))
    model = HeteroscedasticRegressor(**SMALL).fit(X, X[:, 0])
    loaded = pickle.loads(pickle.dumps(model))
    torch.testing.assert_close(
        loaded.net_.module_.feature_map.centre, model.net_.module_.feature_map.centre
    )
    np.testing.assert_array_equal(loaded.predict(X), model.predict(X))


def test_a_model_file_from_before_the_map_loads_without_one():
    X = np.random.RandomState(7).normal(size=(80, 2))
    model = HeteroscedasticRegressor(**SMALL, feature_scaling="none").fit(X, X[:, 0])
    state = model.__getstate__()
    del state["_network_state"]["architecture"]["feature_scaling"]
    old = HeteroscedasticRegressor.__new__(HeteroscedasticRegressor)
    old.__setstate__(state)
    assert old.net_.module_.feature_map is None
    np.testing.assert_array_equal(old.predict(X), model.predict(X))
