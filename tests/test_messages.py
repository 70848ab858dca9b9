"""Messages that point home: warnings at the user's line, errors that say what was meant."""

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skprob import (
    FeatureScaleWarning,
    GaussianRegressor,
)

from .conftest import REGRESSORS, TINY


def _caught(fit):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fit()
    return caught


def test_convergence_warning_points_at_the_line_that_called_fit():
    X = np.random.RandomState(0).normal(size=(40, 2))
    caught = _caught(lambda: GaussianRegressor(**TINY).fit(X, X[:, 0]))
    (warning,) = [w for w in caught if w.category is ConvergenceWarning]
    assert warning.filename == __file__


def test_feature_scale_warning_points_at_the_line_that_called_fit():
    rng = np.random.RandomState(0)
    X, y = rng.normal(size=(40, 2)) * 100, rng.normal(size=40)
    model = GaussianRegressor(feature_scaling="none", **TINY)
    caught = _caught(lambda: model.fit(X, y))
    (warning,) = [w for w in caught if w.category is FeatureScaleWarning]
    assert warning.filename == __file__


def test_in_a_pipeline_the_warning_points_at_the_pipeline_not_the_fit_wrapper():
    X = np.random.RandomState(0).normal(size=(40, 2))
    pipe = make_pipeline(StandardScaler(), GaussianRegressor(**TINY))
    caught = _caught(lambda: pipe.fit(X, X[:, 0]))
    (warning,) = [w for w in caught if w.category is ConvergenceWarning]
    assert Path(warning.filename).name == "pipeline.py"


@pytest.mark.parametrize("Regressor", REGRESSORS)
@pytest.mark.parametrize(
    "wrap", [np.array, pd.Series, list], ids=["array", "series", "list"]
)
def test_string_labels_for_a_regressor_say_that_a_classifier_is_meant(Regressor, wrap):
    X = np.zeros((6, 2))
    y = wrap(["low", "high"] * 3)
    with pytest.raises(ValueError, match=r"is a regressor: .* the label 'low'.*Classifier"):
        Regressor(**TINY).fit(X, y)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_numbers_written_as_strings_are_still_numbers():
    X = np.random.RandomState(0).normal(size=(20, 2))
    y = np.array(["1.5", "2", "3.25", "4"] * 5, dtype=object)
    model = GaussianRegressor(**TINY).fit(X, y)
    np.testing.assert_allclose(model.target_loc_, np.mean(y.astype(float)))
