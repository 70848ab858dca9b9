"""dask: grid searches scale out through joblib's dask backend, and dask arrays stream
through partial_fit with dask_ml's Incremental."""

import joblib
import numpy as np
import pytest
from sklearn.datasets import load_diabetes, load_iris
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skprob import CategoricalClassifier, GaussianRegressor, predict_dist
from skprob.metrics import nll_scorer

distributed = pytest.importorskip("distributed")


def make_search():
    return GridSearchCV(
        make_pipeline(StandardScaler(), GaussianRegressor(max_epochs=20, random_state=0)),
        {"gaussianregressor__hidden_layer_sizes": [(8,), (16,)]},
        scoring=nll_scorer,
        cv=3,
    )


@pytest.fixture(scope="module")
def cluster():
    """Two worker processes on this machine's loopback interface, one thread each, no
    dashboard; shared by the tests here, since each worker imports torch and skprob
    on its first task."""
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
    ) as local:
        yield local


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_grid_search_on_a_local_dask_cluster(cluster):
    X, y = load_diabetes(return_X_y=True)
    local = make_search().fit(X, y)
    with distributed.Client(cluster) as client:
        assert len(client.scheduler_info()["workers"]) == 2
        with distributed.get_task_stream(client) as tasks, joblib.parallel_backend("dask"):
            on_dask = make_search().fit(X, y)
    # The fits ran on the workers, and gave the same scores as the local run.
    assert len(tasks.data) >= 6
    np.testing.assert_allclose(
        on_dask.cv_results_["mean_test_score"], local.cv_results_["mean_test_score"]
    )
    np.testing.assert_allclose(
        predict_dist(on_dask, X[:5]).std(), predict_dist(local, X[:5]).std()
    )


def test_incremental_streams_a_dask_array_through_partial_fit(cluster):
    """dask_ml's Incremental feeds a dask array to partial_fit block by block: the model
    equals the one trained by calling partial_fit on the same blocks in turn."""
    wrappers = pytest.importorskip("dask_ml.wrappers")
    da = pytest.importorskip("dask.array")
    X, y = load_iris(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    order = np.random.RandomState(0).permutation(len(y))
    X, y = X[order], y[order]
    params = {"hidden_layer_sizes": (16,), "n_estimators": 2, "random_state": 0}
    classes = np.unique(y)
    X_dask, y_dask = da.from_array(X, chunks=50), da.from_array(y, chunks=50)
    with distributed.Client(cluster):
        incremental = wrappers.Incremental(
            CategoricalClassifier(**params), shuffle_blocks=False
        )
        incremental.fit(X_dask, y_dask, classes=classes)
        for _ in range(4):
            incremental.partial_fit(X_dask, y_dask, classes=classes)
        streamed = incremental.estimator_
    local = CategoricalClassifier(**params)
    for _ in range(5):
        for start in range(0, len(y), 50):
            local.partial_fit(X[start : start + 50], y[start : start + 50], classes=classes)
    assert streamed.n_iter_ == local.n_iter_ == 15
    np.testing.assert_array_equal(streamed.predict_proba(X), local.predict_proba(X))
    assert streamed.score(X, y) > 0.7
