"""The grid search scales out on dask.distributed through joblib's dask backend."""

import joblib
import numpy as np
import pytest
from sklearn.datasets import load_diabetes
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skprob import GaussianRegressor, predict_dist
from skprob.metrics import nll_scorer

distributed = pytest.importorskip("distributed")


def make_search():
    return GridSearchCV(
        make_pipeline(StandardScaler(), GaussianRegressor(max_epochs=20, random_state=0)),
        {"gaussianregressor__hidden_layer_sizes": [(8,), (16,)]},
        scoring=nll_scorer,
        cv=3,
    )


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_grid_search_on_a_local_dask_cluster():
    X, y = load_diabetes(return_X_y=True)
    local = make_search().fit(X, y)
    # Two worker processes on this machine's loopback interface, no dashboard.
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
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
