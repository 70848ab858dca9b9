"""A fitted model holds its weights and what prediction needs: no training data."""

import copy
import pickle

import numpy as np
import pytest
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skprob import BernoulliClassifier, DistributionRegressor, HeteroscedasticRegressor
from skprob._training.data import ArrayData

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


def _fitted(n_rows=20000, n_features=20, **params):
    rng = np.random.RandomState(0)
    X = rng.normal(size=(n_rows, n_features)).astype(np.float32)
    y = X[:, 0] + rng.normal(size=n_rows)
    model = HeteroscedasticRegressor(max_epochs=2, random_state=0, **params)
    return model.fit(X, y), X, y


def _n_weight_bytes(model):
    return sum(p.numel() * p.element_size() for p in model.net_.module_.parameters())


def test_model_file_holds_no_training_row_and_little_beyond_the_weights():
    model, X, y = _fitted(neighbor_correction="off")
    data = pickle.dumps(model)
    # The weights, Adam's two moments (kept for further training, as MLPRegressor
    # keeps its optimizer) and the optimizer's own reference: about 4x the weights.
    # The validation rows alone were 14x before they were dropped.
    assert len(data) < 5 * _n_weight_bytes(model) + 50_000
    for row in range(0, len(X), 997):  # every validation row would be among these
        assert X[row].tobytes() not in data
        assert X[row].astype(np.float64).tobytes() not in data
    assert y[:4].tobytes() not in data


def test_the_neighbor_correction_adds_its_rows_and_residuals_to_the_file():
    model, X, _ = _fitted()
    assert model.neighbor_correction_ is not None  # two epochs leave a trend to read
    off, _, _ = _fitted(neighbor_correction="off")
    # float32 scaled features, each member's residual and each row's weight.
    n_rows, n_features = X.shape
    stored = 4 * n_rows * (n_features + model.n_estimators + 1)
    extra = len(pickle.dumps(model)) - len(pickle.dumps(off))
    assert stored <= extra < stored + 10_000
    # The features as the network sees them (robustly scaled), not as given.
    assert X[0].tobytes() not in pickle.dumps(model)


def test_loaded_model_predicts_the_same_and_keeps_one_buffer_of_weights():
    model, X, _ = _fitted(n_rows=2000)
    loaded = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(loaded.predict(X[:50]), model.predict(X[:50]))
    net = loaded.net_
    flat = net.flat_params_.flat
    start, end = flat.data_ptr(), flat.data_ptr() + flat.numel() * flat.element_size()
    # The module's parameters are views into the optimizer's one flat tensor again.
    assert all(start <= p.data_ptr() < end for p in net.module_.parameters() if p.numel())
    assert net.optimizer_.param_groups[0]["params"][0] is flat
    assert flat in net.optimizer_.state
    assert net.module is net.module_


def test_loaded_model_trains_on_through_its_shared_buffer():
    model, X, y = _fitted(n_rows=2000)
    loaded = pickle.loads(pickle.dumps(model))
    before = loaded.predict(X[:20])
    # One training step of the loaded net: the optimizer updates the flat buffer, and
    # the module, whose parameters are views into it, predicts differently.
    targets = loaded._encode_targets(y[:200], np.ones(200))
    data = ArrayData(X[:200], targets, dtype=loaded._torch_dtype)
    loaded.net_.train_step(data.batch(slice(None)))
    assert not np.array_equal(loaded.predict(X[:20]), before)


@pytest.mark.parametrize(
    "model",
    [
        DistributionRegressor(distribution="poisson", n_estimators=2, max_epochs=2),
        BernoulliClassifier(n_estimators=2, max_epochs=2, optimizer="lbfgs"),
    ],
    ids=["poisson", "lbfgs"],
)
def test_every_kind_of_model_round_trips_through_pickle_and_deepcopy(model):
    rng = np.random.RandomState(0)
    X = rng.normal(size=(300, 3))
    y = rng.poisson(2.0, size=300) if "poisson" in repr(model) else (X[:, 0] > 0)
    model.fit(X, y)
    for other in (pickle.loads(pickle.dumps(model)), copy.deepcopy(model)):
        np.testing.assert_array_equal(other.predict(X[:30]), model.predict(X[:30]))


ALL_ESTIMATORS = [
    ("GaussianRegressor", {}),
    ("HeteroscedasticRegressor", {}),
    ("DistributionRegressor", {"distribution": "student_t"}),
    ("MixtureDensityRegressor", {"n_components": 2}),
    ("BernoulliClassifier", {}),
    ("CategoricalClassifier", {}),
]


def _fit_small(name, params):
    import skprob

    rng = np.random.RandomState(0)
    X = rng.normal(size=(200, 3))
    y = X[:, 0] + 0.1 * rng.normal(size=200)
    if name.endswith("Classifier"):
        labels = np.array(["no", "yes", "maybe"])
        index = (X[:, 0] > 0).astype(int)
        if name == "CategoricalClassifier":
            index += X[:, 1] > 0
        y = labels[index]
    model = make_pipeline(
        StandardScaler(),
        getattr(skprob, name)(n_estimators=2, max_epochs=3, random_state=0, **params),
    )
    return model.fit(X, y), X


@pytest.mark.parametrize(
    ("name", "params"), ALL_ESTIMATORS, ids=[n for n, _ in ALL_ESTIMATORS]
)
def test_skops_round_trips_every_estimator_trusting_only_skprob_types(name, params):
    sio = pytest.importorskip("skops.io")
    model, X = _fit_small(name, params)
    data = sio.dumps(model)
    untrusted = sio.get_untrusted_types(data=data)
    # Pipeline, StandardScaler, numpy and builtins are trusted by default.
    assert untrusted == [f"skprob.{model[-1].__module__.split('.')[-1]}.{name}"]
    loaded = sio.loads(data, trusted=untrusted)
    np.testing.assert_array_equal(loaded.predict(X[:20]), model.predict(X[:20]))
    if name.endswith("Classifier"):
        np.testing.assert_allclose(
            loaded.predict_proba(X[:20]), model.predict_proba(X[:20])
        )
    # The loaded model trains on: its optimizer holds the module's weights.
    net = loaded[-1].net_
    flat = net.flat_params_.flat
    assert net.optimizer_.param_groups[0]["params"][0] is flat


def test_loaded_model_keeps_its_history_and_fitted_attributes():
    model, X = _fit_small("HeteroscedasticRegressor", {})
    loaded = pickle.loads(pickle.dumps(model))
    original, copy_ = model[-1], loaded[-1]
    assert len(copy_.net_.history) == len(original.net_.history) == copy_.n_iter_
    np.testing.assert_array_equal(copy_.loss_curve_, original.loss_curve_)
    np.testing.assert_array_equal(
        copy_.net_.validation_rows_, original.net_.validation_rows_
    )
    assert copy_._torch_dtype == original._torch_dtype


def test_a_pipeline_with_a_column_transformer_loads_once_its_types_are_reviewed():
    # The user guide's way: list the file's untrusted types, review them, trust them.
    sio = pytest.importorskip("skops.io")
    pd = pytest.importorskip("pandas")
    from sklearn.compose import ColumnTransformer, make_column_selector
    from sklearn.preprocessing import OneHotEncoder

    rng = np.random.RandomState(0)
    frame = pd.DataFrame(
        {
            "size": rng.normal(size=120),
            "colour": rng.choice(["red", "blue"], size=120),
            "age": rng.uniform(0, 10, size=120),
        }
    )
    y = frame["size"] * 2 + (frame["colour"] == "red")
    text = make_column_selector(dtype_include=object)
    columns = ColumnTransformer(
        [("colour", OneHotEncoder(handle_unknown="ignore"), text)],
        remainder="passthrough",
    )
    model = make_pipeline(
        columns, HeteroscedasticRegressor(n_estimators=2, max_epochs=3, random_state=0)
    ).fit(frame, y)
    data = sio.dumps(model)
    untrusted = sio.get_untrusted_types(data=data)
    # More than the estimator's class: what the column selector brings along.
    assert "skprob.regression.HeteroscedasticRegressor" in untrusted
    assert "sklearn.compose._column_transformer.make_column_selector" in untrusted
    with pytest.raises(Exception, match="[Uu]ntrusted"):
        sio.loads(data)
    loaded = sio.loads(data, trusted=untrusted)
    np.testing.assert_array_equal(loaded.predict(frame), model.predict(frame))


@pytest.mark.parametrize("name", ["HeteroscedasticRegressor", "CategoricalClassifier"])
def test_dropping_the_optimizer_state_keeps_every_prediction(name):
    model, X = _fit_small(name, {})
    estimator = model[-1]
    size = len(pickle.dumps(model))
    optimizer_bytes = len(pickle.dumps(estimator.net_.optimizer_.state_dict()))
    expected = model.predict(X)
    expected_dist = predict_dist_params(model, X)
    assert estimator.drop_optimizer_state() is estimator
    assert not estimator.net_.optimizer_.state_dict()["state"]
    loaded = pickle.loads(pickle.dumps(model))
    assert len(pickle.dumps(model)) < size - 0.9 * optimizer_bytes
    for candidate in (model, loaded):
        np.testing.assert_array_equal(candidate.predict(X), expected)
        np.testing.assert_array_equal(predict_dist_params(candidate, X), expected_dist)


def predict_dist_params(model, X):
    from skprob import predict_dist

    dist = predict_dist(model, X)
    if hasattr(dist, "probs"):
        return dist.probs
    return np.column_stack([dist.mean(), dist.std()])


def test_partial_fit_after_dropping_says_it_starts_the_optimizer_afresh():
    import warnings

    rng = np.random.RandomState(0)
    X = rng.normal(size=(100, 3))
    y = X[:, 0]
    model = HeteroscedasticRegressor(n_estimators=1, max_epochs=3, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.fit(X, y)
    model = pickle.loads(pickle.dumps(model.drop_optimizer_state()))
    with pytest.warns(UserWarning, match="partial_fit starts the adam optimizer afresh"):
        model.partial_fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        model.partial_fit(X, y)  # its state is back: no second warning


def test_dropping_needs_a_fitted_model():
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        HeteroscedasticRegressor().drop_optimizer_state()
