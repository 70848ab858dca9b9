"""scikit-learn's estimator checks on every public estimator, with no expected failures."""

import inspect

import pytest
from sklearn.base import BaseEstimator
from sklearn.utils.estimator_checks import parametrize_with_checks

import skprob


def public_estimators():
    """Every estimator class exported by skprob: a new one is checked without edits here."""
    return [
        obj
        for name, obj in vars(skprob).items()
        if inspect.isclass(obj)
        and issubclass(obj, BaseEstimator)
        and not name.startswith("_")
    ]


def test_all_four_estimators_are_discovered():
    names = {cls.__name__ for cls in public_estimators()}
    assert {
        "GaussianRegressor",
        "HeteroscedasticRegressor",
        "BernoulliClassifier",
        "CategoricalClassifier",
    } <= names


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@parametrize_with_checks([cls() for cls in public_estimators()])
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)
