"""Shared settings for the tests."""

import numpy as np
import pytest
from sklearn.datasets import load_diabetes
from sklearn.preprocessing import StandardScaler

from skprob import (
    DistributionRegressor,
    GaussianRegressor,
    HeteroscedasticRegressor,
    MixtureDensityRegressor,
)

#: Every regressor, for what all of them must do alike.
REGRESSORS = [
    GaussianRegressor,
    HeteroscedasticRegressor,
    DistributionRegressor,
    MixtureDensityRegressor,
]
#: Two epochs of a tiny network: for what a fit accepts and says, not what it learns.
TINY = dict(n_estimators=1, hidden_layer_sizes=(4,), max_epochs=2, random_state=0)

#: A linear model trained to convergence: the recipe's identities are exact only there.
LINEAR_EXACT = {
    "n_estimators": 1,
    "hidden_layer_sizes": (),
    "optimizer": "lbfgs",
    "weight_decay": 0.0,
    "early_stopping": False,
    "tol": 1e-10,
    "max_epochs": 200,
    "random_state": 0,
}

#: A small, quick network for behaviour tests: one network (the ensembles' own behaviour
#: is in test_ensembles.py, and sklearn's checks run the default ensemble).
SMALL = {
    "n_estimators": 1,
    "hidden_layer_sizes": (16,),
    "learning_rate": 0.01,
    "max_epochs": 60,
    "random_state": 0,
}


@pytest.fixture(scope="session")
def diabetes():
    X, y = load_diabetes(return_X_y=True)
    return StandardScaler().fit_transform(X), y


@pytest.fixture
def rng():
    return np.random.RandomState(0)


def held_out_nll_by_distribution(search):
    """Each ``distribution`` candidate's mean held-out NLL over a search's folds."""
    results = search.cv_results_
    return dict(zip(results["param_distribution"], -results["mean_test_score"]))
