"""SurvivalRegressor: censored targets, the identities with lifelines' parametric
models, and predictions in scikit-survival's conventions."""

import warnings

import numpy as np
import pytest
import torch
from scipy import stats
from sklearn.exceptions import DataConversionWarning
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.utils.estimator_checks import parametrize_with_checks

from skprob import DistributionRegressor, SurvivalRegressor
from skprob._time_targets import time_bounds
from skprob.families import LogLogistic, Weibull
from skprob.families.censored import Censored
from skprob.metrics import (
    censored_negative_log_likelihood,
    censored_nll_scorer,
    concordance_index,
    d_calibration,
)

from .capped_checks import CHECK_EPOCHS, estimator_for
from .conftest import LINEAR_EXACT

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

QUICK = {"hidden_layer_sizes": (16,), "n_estimators": 2, "max_epochs": 30}


def weibull_data(n=300, censoring=0.3, seed=0, scale=10.0):
    """Weibull times (shape 1.5) whose scale follows a linear function of three
    features, right-censored by independent exponential follow-up."""
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(n, 3))
    log_scale = np.log(scale) + X @ np.array([0.5, -0.3, 0.0])
    time = np.exp(log_scale) * rng.weibull(1.5, size=n)
    follow_up = rng.exponential(np.exp(log_scale).mean() / censoring, size=n)
    observed = np.minimum(time, follow_up)
    return X, observed, time <= follow_up


def structured(event, time, order=("event", "time")):
    dtype = [(name, bool if name == "event" else float) for name in order]
    y = np.empty(len(time), dtype=dtype)
    y["event"], y["time"] = event, time
    return y


# -- the families and the censored likelihood ------------------------------------------


def test_loglogistic_nll_and_log_survival_are_scipys():
    family = LogLogistic(1)
    rng = np.random.RandomState(1)
    raw = torch.as_tensor(rng.normal(size=(40, 2)))
    y = rng.lognormal(size=(40, 1))
    dist = family.scipy_distribution(family.params_numpy(raw))
    torch_y = torch.as_tensor(y)
    np.testing.assert_allclose(family.nll(raw, torch_y), -dist.logpdf(y)[:, 0], rtol=1e-10)
    np.testing.assert_allclose(
        family.log_survival(raw, torch_y), dist.logsf(y)[:, 0], rtol=1e-10
    )
    # Far in the upper tail, where 1 - cdf is 0: -shape * log(t / scale) exactly.
    far = torch.full((40, 1), 1e30, dtype=torch.float64)
    params = family.params_numpy(raw)
    z = params["shape"] * (np.log(1e30) - np.log(params["scale"]))
    expected = -np.logaddexp(0.0, z)
    np.testing.assert_allclose(family.log_survival(raw, far), expected[:, 0], rtol=1e-9)
    mean, variance = family.moments({"scale": np.array([2.0]), "shape": np.array([3.0])})
    reference = stats.fisk(c=3.0, scale=2.0)
    np.testing.assert_allclose([mean[0], variance[0]], [reference.mean(), reference.var()])
    assert np.isinf(family.moments({"scale": np.ones(1), "shape": np.ones(1)})[0]).all()


def test_censored_rows_take_the_probability_of_what_was_seen():
    family, raw = Weibull(1), torch.as_tensor([[0.3, 0.5]] * 4, dtype=torch.float64)
    dist = family.scipy_distribution(family.params_numpy(raw))
    y = torch.tensor(
        [
            [2.0, 2.0, 1.0],  # an event at 2
            [2.0, 2.0, 0.0],  # right-censored at 2
            [0.0, 2.0, 1.0],  # left-censored: before 2
            [1.0, 2.0, 1.0],  # between 1 and 2
        ],
        dtype=torch.float64,
    )
    sf = dist.sf(np.array([[2.0], [2.0], [2.0], [1.0]]))[:, 0]
    expected = [-dist.logpdf(2.0)[0, 0], -np.log(sf[1]), -np.log1p(-sf[2]), 0.0]
    expected[3] = -np.log(dist.sf(1.0)[3, 0] - dist.sf(2.0)[3, 0])
    np.testing.assert_allclose(Censored(family).nll(raw, y), expected, rtol=1e-10)
    # The events' densities move with the units of time, probabilities do not.
    shifted = Censored(family, log_time_scale=np.log(10.0)).nll(raw, y)
    np.testing.assert_allclose(
        shifted - Censored(family).nll(raw, y), [np.log(10.0), 0, 0, 0], atol=1e-12
    )


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_the_censored_gradient_is_finite_at_the_edges(dtype):
    # Censoring at 0, intervals narrower than the precision, bounds far in the tail: the
    # stand-in times keep every unused branch finite.
    family = Censored(Weibull(1))
    raw = torch.tensor([[0.0, 0.5]] * 5, dtype=dtype)
    y = torch.tensor(
        [
            [0.0, 0.0, 0.0],  # censored at 0: says nothing
            [1.0, 1.0 + 1e-9, 1.0],  # an interval below the precision
            [1e6, 1e6, 0.0],  # censored far beyond the scale
            [0.0, 1e-6, 1.0],  # left-censored near 0
            [1.0, 1.0, 1.0],
        ],
        dtype=dtype,
    )
    nll, grad = family.nll_and_grad(raw, y)
    assert torch.isfinite(grad).all() and torch.isfinite(nll[[0, 1, 3, 4]]).all()
    assert nll[0] == 0


def test_the_censored_exponential_recovers_events_over_time_at_risk_through_the_estimator():
    rng = np.random.RandomState(3)
    event_time, follow_up = rng.exponential(2.0, size=500), rng.exponential(3.0, size=500)
    time, event = np.minimum(event_time, follow_up), event_time <= follow_up
    model = SurvivalRegressor(distribution="exponential", **LINEAR_EXACT)
    model.fit(np.zeros((500, 1)), np.column_stack([time, event]))
    np.testing.assert_allclose(
        model.predict_dist(np.zeros((1, 1))).mean(), time.sum() / event.sum(), rtol=1e-4
    )


# -- identities ------------------------------------------------------------------------


LIFELINES_MODELS = {
    "weibull": ("WeibullAFTFitter", "lambda_"),
    "lognormal": ("LogNormalAFTFitter", "mu_"),
    "loglogistic": ("LogLogisticAFTFitter", "alpha_"),
}


def _linear_coefficients(X, log_location):
    design = np.column_stack([np.ones(len(X)), X])
    coefficients, *_ = np.linalg.lstsq(design, log_location, rcond=None)
    return coefficients


def _log_location(model, X):
    params = model._members_in_y_units(X)
    if "mu" in params:
        return params["mu"][:, 0]
    return np.log(params["scale"][:, 0])


#: lifelines' log-logistic fit stops 1e-5 to 1e-4 nats short of the maximum at its
#: default tolerances; at these it reaches ours. Its log-normal fit does not converge at
#: them, nor at its defaults on the interval-censored data (ConvergenceError), so that
#: pair is left out.
TIGHT = {"loglogistic": {"gtol": 1e-10, "ftol": 1e-14}}


@pytest.mark.parametrize(
    ("distribution", "censoring"),
    [
        ("weibull", "right"),
        ("weibull", "interval"),
        ("lognormal", "right"),
        ("loglogistic", "right"),
        ("loglogistic", "interval"),
    ],
)
def test_a_linear_model_is_lifelines_aft_fit(distribution, censoring):
    lifelines = pytest.importorskip("lifelines")
    pandas = pytest.importorskip("pandas")
    X, time, event = weibull_data(n=300)
    fitter_name, location = LIFELINES_MODELS[distribution]
    frame = pandas.DataFrame(X, columns=["a", "b", "c"])
    if censoring == "right":
        y = np.column_stack([time, event])
        frame["time"], frame["event"] = time, event
        reference = getattr(lifelines, fitter_name)().fit(
            frame, "time", "event", fit_options=TIGHT.get(distribution)
        )
    else:
        # Inspections every 2 time units: an event is known to lie between two of them
        # (before the first: left-censored); the censored rows stay right-censored.
        lower = np.where(event, np.floor(time / 2) * 2, time)
        upper = np.where(event, lower + 2, np.inf)
        y = np.column_stack([lower, upper])
        frame["lower"], frame["upper"] = lower, upper
        reference = getattr(lifelines, fitter_name)().fit_interval_censoring(
            frame, "lower", "upper", fit_options=TIGHT.get(distribution)
        )
    model = SurvivalRegressor(
        distribution=distribution,
        dispersion="constant",
        censoring=censoring,
        **{**LINEAR_EXACT, "max_epochs": 400},
    ).fit(X, y)
    log_likelihood = -len(y) * censored_negative_log_likelihood(
        y, model.predict_dist(X), censoring=censoring
    )
    np.testing.assert_allclose(log_likelihood, reference.log_likelihood_, rtol=1e-9)
    coefficients = _linear_coefficients(X, _log_location(model, X))
    expected = reference.params_[location][["Intercept", "a", "b", "c"]].to_numpy()
    np.testing.assert_allclose(coefficients, expected, atol=5e-5)


def test_without_censoring_the_model_is_the_uncensored_family():
    X, time, _ = weibull_data(n=200)
    survival = SurvivalRegressor(**LINEAR_EXACT).fit(X, time)
    uncensored = DistributionRegressor(distribution="weibull", **LINEAR_EXACT).fit(X, time)
    np.testing.assert_allclose(
        survival.predict_dist(X).mean(), uncensored.predict(X), rtol=1e-6
    )
    assert survival.unique_times_.tolist() == np.unique(time).tolist()


# -- targets ---------------------------------------------------------------------------


def test_structured_targets_in_either_order_and_columns_give_one_model():
    X, time, event = weibull_data(n=120)
    fits = [
        SurvivalRegressor(random_state=0, **QUICK).fit(X, y)
        for y in (
            structured(event, time),
            structured(event, time, order=("time", "event")),
            np.column_stack([time, event.astype(int)]),
        )
    ]
    # [lower, upper] bounds: the same targets under censoring="interval".
    fits.append(
        SurvivalRegressor(random_state=0, censoring="interval", **QUICK).fit(
            X, np.column_stack([time, np.where(event, time, np.inf)])
        )
    )
    for fit in fits[1:]:
        np.testing.assert_allclose(fit.predict(X), fits[0].predict(X), rtol=1e-6)


def test_scikit_survival_structured_targets_work_with_its_metrics():
    util = pytest.importorskip("sksurv.util", exc_type=ImportError)
    metrics = pytest.importorskip("sksurv.metrics", exc_type=ImportError)
    X, time, event = weibull_data(n=300)
    y = util.Surv.from_arrays(event, time)
    model = SurvivalRegressor(random_state=0, **QUICK).fit(X[:200], y[:200])
    test_times = np.percentile(time[200:][event[200:]], [20, 40, 60])
    survival = np.vstack(
        [fn(test_times) for fn in model.predict_survival_function(X[200:])]
    )
    brier = metrics.integrated_brier_score(y[:200], y[200:], survival, test_times)
    assert 0 < brier < 0.25
    cindex = metrics.concordance_index_censored(
        y["event"][200:], y["time"][200:], model.predict(X[200:])
    )[0]
    assert model.score(X[200:], y[200:]) == pytest.approx(cindex, abs=1e-12)


@pytest.mark.parametrize(
    ("y", "censoring", "message"),
    [
        ([[1.0, 1], [0.0, 1]], "right", "Row 1 has an event at time 0"),
        ([[1.0, 1], [-1.0, 0]], "right", "row 1 has time = -1.0"),
        ([[1.0, 1], [np.nan, 0]], "right", "NaN: time of row 1"),
        ([[1.0, 1], [2.0, 2]], "right", r"row 1 has event = 2\.0"),
        ([[1.0, 2.0], [3.0, 2.0]], "interval", r"row 1 has \[3\.0, 2\.0\]"),
        ([[1.0, 2.0], [np.inf, np.inf]], "interval", "Lower bounds must be finite"),
        ([[0.0, 0.0], [1.0, 2.0]], "interval", "Row 0 has an event at time 0"),
        ([[0.0, 0], [0.0, 0]], "right", "No row says anything"),
    ],
)
def test_bad_times_get_errors_that_name_the_row(y, censoring, message):
    model = SurvivalRegressor(censoring=censoring, **QUICK)
    with pytest.raises(ValueError, match=message):
        model.fit(np.ones((2, 1)), np.asarray(y))


def test_a_structured_y_needs_one_event_and_one_time_field():
    y = np.zeros(3, dtype=[("a", float), ("b", float)])
    with pytest.raises(ValueError, match="a boolean event indicator and a numeric time"):
        SurvivalRegressor(**QUICK).fit(np.ones((3, 1)), y)
    with pytest.raises(ValueError, match="censoring='interval' y is"):
        SurvivalRegressor(censoring="interval", **QUICK).fit(
            np.ones((3, 1)), structured(np.ones(3, bool), np.ones(3))
        )


def test_rows_censored_at_zero_are_exactly_uninformative():
    X, time, event = weibull_data(n=150)
    y = np.column_stack([time, event])
    padded = np.vstack([y, [[0.0, 0]] * 20])
    X_padded = np.vstack([X, np.zeros((20, 3))])
    a = SurvivalRegressor(**LINEAR_EXACT).fit(X, y)
    b = SurvivalRegressor(**LINEAR_EXACT).fit(X_padded, padded)
    # The same maximum; L-BFGS, started from other feature statistics, stops within
    # its tolerance of it.
    np.testing.assert_allclose(a.predict(X), b.predict(X), atol=2e-4)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_a_row_censored_a_million_medians_out_trains_to_finite_predictions(dtype):
    X, time, event = weibull_data(n=200)
    time = time.copy()
    time[0], event[0] = 1e7 * np.median(time), False
    model = SurvivalRegressor(random_state=0, **QUICK)
    model.fit(X.astype(dtype), np.column_stack([time, event]))
    assert np.isfinite(model.predict(X)).all()
    assert np.isfinite(model.predict_survival_function(X, return_array=True)).all()


def test_a_column_vector_of_times_warns_and_is_read_as_events():
    X, time, _ = weibull_data(n=100)
    with pytest.warns(DataConversionWarning, match="1d array was expected"):
        SurvivalRegressor(**QUICK).fit(X, time[:, None])


def test_inputs_are_not_modified():
    X, time, event = weibull_data(n=100)
    y = structured(event, time)
    before = y.copy()
    SurvivalRegressor(**QUICK).fit(X, y)
    assert (y == before).all()


# -- predictions -----------------------------------------------------------------------


def test_survival_and_cumulative_hazard_agree_with_the_distribution():
    X, time, event = weibull_data(n=200)
    model = SurvivalRegressor(random_state=0, **QUICK).fit(
        X, np.column_stack([time, event])
    )
    times = model.unique_times_
    survival = model.predict_survival_function(X[:5], return_array=True)
    hazard = model.predict_cumulative_hazard_function(X[:5], return_array=True)
    np.testing.assert_allclose(survival, model.predict_dist(X[:5]).sf(times[:, None]).T)
    np.testing.assert_allclose(hazard, -np.log(survival), rtol=1e-9)
    assert (np.diff(survival, axis=1) <= 0).all() and (survival > 0).all()
    functions = model.predict_survival_function(X[:5])
    np.testing.assert_allclose(np.vstack([fn(times) for fn in functions]), survival)
    np.testing.assert_allclose(functions[0].y, survival[0])
    # Far beyond every time, the cumulative hazard stays exact where S underflows.
    far = model.predict_cumulative_hazard_function(X[:1])[0](1e4 * times.max())
    assert np.isfinite(far) and far > 700


def test_the_risk_score_orders_rows_as_their_times():
    X, time, event = weibull_data(n=600, seed=2)
    model = SurvivalRegressor(random_state=0, **QUICK).fit(
        X[:400], np.column_stack([time, event])[:400]
    )
    y_test = np.column_stack([time, event])[400:]
    assert model.score(X[400:], y_test) > 0.6
    # The risk score is minus the expected log time of the mixture.
    params = model._members_in_y_units(X[:3])
    expected = -(np.log(params["scale"]) - np.euler_gamma / params["shape"]).mean(axis=1)
    np.testing.assert_allclose(model.predict(X[:3]), expected)


def test_model_selection_with_structured_targets():
    X, time, event = weibull_data(n=200)
    y = structured(event, time)
    scores = cross_val_score(SurvivalRegressor(random_state=0, **QUICK), X, y, cv=2)
    assert ((scores > 0.5) & (scores <= 1)).all()
    search = GridSearchCV(
        SurvivalRegressor(random_state=0, **QUICK),
        {"distribution": ["weibull", "lognormal"]},
        scoring=censored_nll_scorer,
        cv=2,
    ).fit(X, y)
    assert search.best_params_["distribution"] in ("weibull", "lognormal")
    assert np.isfinite(search.best_score_)


def test_score_refuses_interval_censored_rows():
    X, time, _ = weibull_data(n=100)
    y = np.column_stack([time, time + 1])
    model = SurvivalRegressor(censoring="interval", **QUICK).fit(X, y)
    with pytest.raises(ValueError, match="left- or interval-censored"):
        model.score(X, y)


# -- metrics ---------------------------------------------------------------------------


def test_concordance_index_is_scikit_survivals_with_ties():
    metrics = pytest.importorskip("sksurv.metrics", exc_type=ImportError)
    rng = np.random.RandomState(0)
    time = rng.randint(1, 20, size=300).astype(float)  # tied times
    event = rng.uniform(size=300) < 0.6
    risk = rng.randint(0, 10, size=300).astype(float)  # tied scores
    expected = metrics.concordance_index_censored(event, time, risk)[0]
    assert concordance_index(np.column_stack([time, event]), risk) == pytest.approx(
        expected, abs=1e-12
    )


def test_concordance_index_by_hand():
    y = [[1.0, 1], [2.0, 0], [2.0, 1], [3.0, 0]]
    # Comparable: (0,1) (0,2) (0,3) (2,3) and the event at 2 before the row censored
    # at 2: (2,1). Risks give concordant (0,1) (0,2) (0,3), tie (2,3), discordant (2,1).
    assert concordance_index(y, [5.0, 3.0, 1.0, 1.0]) == pytest.approx(3.5 / 5)
    with pytest.raises(ValueError, match="No comparable pairs"):
        concordance_index([[1.0, 0], [2.0, 0]], [1.0, 2.0])


def test_d_calibration_spreads_censored_rows_below_their_survival():
    rng = np.random.RandomState(0)
    time = rng.exponential(size=4000)
    follow_up = rng.exponential(2.0, size=4000)
    y = np.column_stack([np.minimum(time, follow_up), time <= follow_up])
    calibrated = d_calibration(y, stats.expon(scale=np.ones(4000)))
    assert calibrated.pvalue > 0.01
    np.testing.assert_allclose(calibrated.proportions.sum(), 1.0)
    np.testing.assert_allclose(calibrated.proportions, 0.1, atol=0.02)
    # Ignoring the censoring (every row an event) is not calibrated.
    y_all_events = np.column_stack([y[:, 0], np.ones(4000)])
    assert d_calibration(y_all_events, stats.expon(scale=np.ones(4000))).pvalue < 1e-6


def test_censored_nll_of_a_fit_is_its_loss():
    X, time, event = weibull_data(n=200, scale=1000.0)
    y = np.column_stack([time, event])
    model = SurvivalRegressor(**LINEAR_EXACT).fit(X, y)
    dist = model.predict_dist(X)
    bounds = torch.as_tensor(model._scaled(time_bounds(y, "right")))
    raw = model._raw_predictions(X)[0][0]
    expected = model.family_.nll(raw, bounds).mean().item()
    assert censored_negative_log_likelihood(y, dist) == pytest.approx(expected, rel=1e-9)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.isfinite(censored_nll_scorer(model, X, y))


def test_the_gamma_log_survival_is_scipys_and_exact_in_the_tail():
    from skprob.families import Gamma
    from skprob.families._special import log_gamma_survival

    a = torch.tensor([0.3, 1.0, 2.5, 10.0, 0.5], dtype=torch.float64)
    x = torch.tensor([0.1, 2.0, 30.0, 5.0, 1e-3], dtype=torch.float64)
    np.testing.assert_allclose(
        log_gamma_survival(a, x), stats.gamma.logsf(x.numpy(), a.numpy()), rtol=1e-10
    )
    # Where scipy's logsf is -inf: the leading terms of the asymptotic series.
    a_far, x_far = torch.tensor([2.5], dtype=torch.float64), torch.tensor([800.0])
    x_far = x_far.double()
    series = 1.5 * np.log(800.0) - 800.0 - special_lgamma(2.5) + np.log1p(1.5 / 800)
    np.testing.assert_allclose(log_gamma_survival(a_far, x_far), [series], rtol=1e-5)
    a.requires_grad_(True)
    x.requires_grad_(True)
    assert torch.autograd.gradcheck(log_gamma_survival, (a, x), eps=1e-7, atol=1e-5)
    family = Gamma(1)
    raw = torch.as_tensor(np.random.RandomState(0).normal(size=(20, 2)))
    y = torch.as_tensor(np.random.RandomState(1).gamma(2.0, size=(20, 1)))
    dist = family.scipy_distribution(family.params_numpy(raw))
    np.testing.assert_allclose(
        family.log_survival(raw, y), dist.logsf(y.numpy())[:, 0], rtol=1e-9
    )


def special_lgamma(value):
    from scipy.special import gammaln

    return float(gammaln(value))


@pytest.mark.parametrize("distribution", ["gamma", "loglogistic", "lognormal"])
def test_every_family_fits_censored_targets_end_to_end(distribution):
    X, time, event = weibull_data(n=200)
    model = SurvivalRegressor(distribution=distribution, random_state=0, **QUICK)
    model.fit(X, np.column_stack([time, event]))
    dist = model.predict_dist(X)
    assert np.isfinite(
        censored_negative_log_likelihood(np.column_stack([time, event]), dist)
    )
    assert np.isfinite(model.predict(X)).all()
    assert model.score(X, np.column_stack([time, event])) > 0.6


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@parametrize_with_checks(
    # The default (Weibull) runs in test_common at the default budget; the other
    # families share its training code, so their checks train a shorter budget.
    [
        SurvivalRegressor(distribution=name, max_epochs=CHECK_EPOCHS)
        for name in ("lognormal", "loglogistic", "gamma", "exponential")
    ]
)
def test_sklearn_compatible_for_every_survival_family(estimator, check):
    check(estimator_for(check, estimator))
