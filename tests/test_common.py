"""scikit-learn's estimator checks on every public estimator, with no expected failures."""

import inspect

import pytest
from sklearn.base import BaseEstimator
from sklearn.utils.estimator_checks import parametrize_with_checks

import skprob

from .capped_checks import (
    BUDGET_INDEPENDENT_CHECKS,
    CAPPED_VARIANTS,
    check_variant,
    estimator_for,
)


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


ESTIMATOR_CHECKS = parametrize_with_checks([cls() for cls in public_estimators()])


def test_the_capped_checks_are_checks_sklearn_runs():
    """A renamed or dropped sklearn check would otherwise leave a stale name here."""
    _, estimators_and_checks = ESTIMATOR_CHECKS.args
    variants = [check_variant(check) for _, check in estimators_and_checks]
    assert BUDGET_INDEPENDENT_CHECKS.issubset({name for name, _ in variants})
    for name, capped in CAPPED_VARIANTS.items():
        assert all((name, keywords) in variants for keywords in capped)
        # ... and the same check on the plain data still runs at the default budget.
        assert (name, {}) in variants


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@ESTIMATOR_CHECKS
def test_sklearn_compatible_estimator(estimator, check):
    # One instance serves every check of its class: capping it would cap them all.
    assert estimator.max_epochs == "auto"
    check(estimator_for(check, estimator))
