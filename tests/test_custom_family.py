"""A user's own family plugs in as a built-in one: the Rayleigh family of the gallery
example (examples/plot_your_own_family.py), run from its source."""

import pickle
import re
from pathlib import Path

import numpy as np
import pytest
import torch
from scipy import stats
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV

from skprob import DistributionRegressor, SurvivalRegressor
from skprob.families import DistributionFamily, Laplace, Weibull
from skprob.metrics import nll_scorer

from .conftest import LINEAR_EXACT

EXAMPLE = Path(__file__).parents[1] / "examples" / "plot_your_own_family.py"


def _example_family():
    """The class exactly as the example (and the user guide) shows it."""
    source = re.search(
        r"# --- the family -+\n(.*?)\n# --- the data", EXAMPLE.read_text(), flags=re.S
    ).group(1)
    namespace = {"np": np, "torch": torch, "stats": stats}
    namespace["DistributionFamily"] = DistributionFamily
    exec(compile(source, str(EXAMPLE), "exec"), namespace)
    return namespace["Rayleigh"]


Rayleigh = _example_family()
# Module-level, so that models holding it pickle by reference.
Rayleigh.__module__ = __name__
Rayleigh.__qualname__ = "Rayleigh"


def rayleigh_data(n=400, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.uniform(-1, 1, size=(n, 2))
    return X, stats.rayleigh.rvs(scale=np.exp(0.5 * X[:, 0]), random_state=rng)


def test_the_example_family_is_scipys():
    family = Rayleigh(2)
    raw = torch.as_tensor(np.random.RandomState(0).normal(size=(30, 2)))
    y = np.random.RandomState(1).rayleigh(size=(30, 2))
    dist = family.scipy_distribution(family.params_numpy(raw))
    np.testing.assert_allclose(
        family.nll(raw, torch.as_tensor(y)), -dist.logpdf(y).sum(axis=1), rtol=1e-10
    )
    np.testing.assert_allclose(
        family.log_survival(raw, torch.as_tensor(y)), dist.logsf(y).sum(axis=1), rtol=1e-10
    )


@pytest.mark.parametrize("as_given", ["class", "instance"])
def test_a_constant_model_is_the_closed_form_maximum(as_given):
    # The Rayleigh's maximum-likelihood scale: s^2 = mean(y^2) / 2.
    _, y = rayleigh_data()
    distribution = Rayleigh if as_given == "class" else Rayleigh(1)
    model = DistributionRegressor(distribution=distribution, **LINEAR_EXACT)
    model.fit(np.zeros((len(y), 1)), y)
    scale = model.predict_dist(np.zeros((1, 1))).kwds["scale"]
    np.testing.assert_allclose(scale, np.sqrt(np.mean(y**2) / 2), rtol=1e-5)
    if as_given == "instance":
        assert model.distribution is distribution  # the parameter is left as it was


def test_censored_times_under_ones_own_family():
    # Censored Rayleigh: s^2 = (sum of all times squared) / (2 * number of events).
    rng = np.random.RandomState(4)
    time, follow_up = rng.rayleigh(2.0, size=600), rng.rayleigh(3.0, size=600)
    observed, event = np.minimum(time, follow_up), time <= follow_up
    model = SurvivalRegressor(distribution=Rayleigh, **LINEAR_EXACT)
    model.fit(np.zeros((600, 1)), np.column_stack([observed, event]))
    scale = model.predict_dist(np.zeros((1, 1))).kwds["scale"]
    expected = np.sqrt(np.sum(observed**2) / (2 * event.sum()))
    np.testing.assert_allclose(scale, expected, rtol=1e-5)
    # No expected_log: the risk score falls back to minus the log-median.
    np.testing.assert_allclose(
        model.predict(np.zeros((1, 1))), -np.log(stats.rayleigh(scale=scale).median())
    )


def test_ones_own_family_clones_pickles_and_searches():
    X, y = rayleigh_data()
    model = DistributionRegressor(
        distribution=Rayleigh(1), hidden_layer_sizes=(8,), max_epochs=20, random_state=0
    )
    assert clone(model).get_params()["distribution"] is not model.distribution
    fitted = pickle.loads(pickle.dumps(model.fit(X, y)))
    np.testing.assert_allclose(fitted.predict(X), model.predict(X))
    search = GridSearchCV(
        clone(model),
        {"distribution": [Rayleigh, "weibull", "gamma"]},
        cv=2,
        scoring=nll_scorer,
    ).fit(X, y)
    assert search.best_params_["distribution"] in (Rayleigh, "weibull", "gamma")


def test_a_family_that_does_not_fit_gets_a_clear_error():
    X, y = rayleigh_data(n=50)
    with pytest.raises(
        ValueError, match="must subclass skprob.families.DistributionFamily"
    ):
        DistributionRegressor(distribution=dict, max_epochs=2).fit(X, y)
    with pytest.raises(ValueError, match="was built for 2 output"):
        DistributionRegressor(distribution=Rayleigh(2), max_epochs=2).fit(X, y)
    with pytest.raises(ValueError, match="support 'real'"):
        SurvivalRegressor(distribution=Laplace, max_epochs=2).fit(X, y)
    # A positive family without a survival function cannot take censored rows.
    no_survival = type(
        "NoSurvival", (Rayleigh,), {"log_survival": DistributionFamily.log_survival}
    )
    with pytest.raises(ValueError, match="has no log_survival"):
        SurvivalRegressor(distribution=no_survival, max_epochs=2).fit(X, y)
    with pytest.raises(ValueError, match="distribution"):
        DistributionRegressor(distribution=3).fit(X, y)
    # Built-in families pass as classes too.
    DistributionRegressor(distribution=Weibull, max_epochs=2, n_estimators=1).fit(X, y)
