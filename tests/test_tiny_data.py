"""Tiny or degenerate targets: an error where no spread can be learned, else a warning."""

import warnings

import numpy as np
import pytest

from skprob import (
    DegenerateTargetWarning,
    GaussianRegressor,
)

from .conftest import REGRESSORS, TINY

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


@pytest.mark.parametrize("Regressor", REGRESSORS)
def test_one_row_is_an_error_that_says_why(Regressor):
    with pytest.raises(ValueError, match="cannot learn a distribution from 1 sample"):
        Regressor(**TINY).fit([[0.0, 1.0]], [2.0])


def test_rows_of_weight_zero_do_not_count():
    X, y = np.arange(6.0).reshape(3, 2), np.array([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="from 1 sample"):
        GaussianRegressor(**TINY).fit(X, y, sample_weight=[0.0, 1.0, 0.0])
    with pytest.warns(DegenerateTargetWarning):
        GaussianRegressor(**TINY).fit(X, [1.0, 2.0, 2.0], sample_weight=[0, 1, 1])


@pytest.mark.parametrize("Regressor", REGRESSORS)
def test_a_constant_target_warns_at_the_users_line(Regressor):
    X = np.arange(20.0).reshape(-1, 1)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        Regressor(**TINY).fit(X, np.full(20, 3.0))
    (warning,) = [w for w in caught if w.category is DegenerateTargetWarning]
    assert "y is 3 in every training row" in str(warning.message)
    assert warning.filename == __file__


def test_the_warning_names_the_constant_output():
    X = np.arange(20.0).reshape(-1, 1)
    y = np.column_stack([X[:, 0], np.zeros(20)])
    with pytest.warns(DegenerateTargetWarning, match=r"y\[:, 1\] is 0 in every"):
        GaussianRegressor(**TINY).fit(X, y)


def test_varied_targets_do_not_warn():
    X = np.arange(20.0).reshape(-1, 1)
    with warnings.catch_warnings():
        warnings.simplefilter("error", DegenerateTargetWarning)
        GaussianRegressor(**TINY).fit(X, X[:, 0] % 3)
