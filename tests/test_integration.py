"""skprob estimators inside scikit-learn's tools: pipelines, searches, CV, calibration."""

import joblib
import numpy as np
import pytest
from scipy.stats import loguniform
from sklearn.base import clone
from sklearn.calibration import CalibratedClassifierCV
from sklearn.datasets import load_breast_cancer, load_diabetes, load_wine
from sklearn.model_selection import (
    GridSearchCV,
    KFold,
    RandomizedSearchCV,
    cross_val_predict,
    cross_validate,
)
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skprob import (
    BernoulliClassifier,
    CategoricalClassifier,
    GaussianRegressor,
    HeteroscedasticRegressor,
    predict_dist,
)
from skprob.metrics import (
    DistributionScorer,
    coverage_scorer,
    crps,
    crps_scorer,
    interval_coverage,
    interval_width,
    negative_log_likelihood,
    nll_scorer,
)

from .conftest import SMALL

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

FAST = {**SMALL, "max_epochs": 40}  # searches fit many models: a few epochs fewer


@pytest.fixture(scope="module")
def regression():
    return load_diabetes(return_X_y=True)


def regression_pipeline(Regressor=GaussianRegressor, **params):
    return make_pipeline(StandardScaler(), Regressor(**{**FAST, **params}))


def test_scorers_say_what_they_score_in_their_repr():
    assert repr(nll_scorer) == "DistributionScorer(negative_log_likelihood, negated)"
    assert repr(coverage_scorer(0.8)) == "DistributionScorer(coverage_gap_at_0.8, negated)"
    assert repr(coverage_scorer()) == "DistributionScorer(coverage_gap_at_0.9, negated)"
    width = DistributionScorer(interval_width, sign=1, confidence=0.5)
    assert repr(width) == "DistributionScorer(interval_width, confidence=0.5)"
    width = DistributionScorer(interval_width, 1, confidence=0.5, multioutput="raw_values")
    expected = (
        "DistributionScorer(interval_width, confidence=0.5, multioutput='raw_values')"
    )
    assert repr(width) == expected


def test_scorers_equal_the_negated_metrics(regression):
    X, y = regression
    model = regression_pipeline().fit(X, y)
    dist = predict_dist(model, X)
    assert nll_scorer(model, X, y) == pytest.approx(-negative_log_likelihood(y, dist))
    assert crps_scorer(model, X, y) == pytest.approx(-crps(y, dist))
    gap = abs(interval_coverage(y, dist, confidence=0.8) - 0.8)
    assert coverage_scorer(0.8)(model, X, y) == pytest.approx(-gap)
    # A bare estimator scores the same as the pipeline on pre-scaled data.
    X_scaled = model[0].transform(X)
    assert nll_scorer(model[-1], X_scaled, y) == pytest.approx(nll_scorer(model, X, y))


def test_scorers_pass_sample_weights_and_options_on(regression):
    X, y = regression
    model = regression_pipeline().fit(X, y)
    dist = predict_dist(model, X)
    # All the weight on the rows outside the 80% interval: weighted coverage 0.
    low, high = dist.interval(0.8)
    weight = ((y < low.ravel()) | (y > high.ravel())).astype(float)
    assert 0 < weight.sum() < len(y)
    expected = -abs(interval_coverage(y, dist, confidence=0.8, sample_weight=weight) - 0.8)
    assert expected == pytest.approx(-0.8)
    assert coverage_scorer(0.8)(model, X, y, sample_weight=weight) == pytest.approx(
        expected
    )
    # A scorer's options reach its metric.
    width = DistributionScorer(interval_width, 1, confidence=0.5)(model, X, y)
    assert width == pytest.approx(interval_width(y, dist, confidence=0.5))
    assert width < interval_width(y, dist)


def test_grid_search_over_a_pipeline_with_the_nll_scorer(regression):
    X, y = regression
    search = GridSearchCV(
        regression_pipeline(HeteroscedasticRegressor),
        {"heteroscedasticregressor__hidden_layer_sizes": [(8,), (16,)]},
        scoring=nll_scorer,
        cv=3,
        n_jobs=2,
    ).fit(X, y)
    scores = search.cv_results_["mean_test_score"]
    assert np.all(np.isfinite(scores))
    assert search.best_score_ == scores.max()
    dist = predict_dist(search, X[:5])
    np.testing.assert_allclose(dist.mean(), search.predict(X[:5]))


def test_randomized_search_with_the_crps_scorer(regression):
    X, y = regression
    search = RandomizedSearchCV(
        regression_pipeline(),
        {"gaussianregressor__learning_rate": loguniform(1e-3, 3e-2)},
        n_iter=2,
        scoring=crps_scorer,
        cv=2,
        random_state=0,
        n_jobs=2,
    ).fit(X, y)
    assert np.all(search.cv_results_["mean_test_score"] < 0)


def test_cross_validate_with_several_scorers(regression):
    X, y = regression
    result = cross_validate(
        regression_pipeline(),
        X,
        y,
        cv=KFold(3, shuffle=True, random_state=0),
        scoring={
            "nll": nll_scorer,
            "crps": crps_scorer,
            "coverage": coverage_scorer(0.9),
            "r2": "r2",
        },
    )
    for name in ("nll", "crps", "coverage"):
        assert np.all(result[f"test_{name}"] <= 0)
    assert np.all(result["test_r2"] > 0.2)


def test_cross_val_predict_probabilities_and_neg_log_loss():
    X, y = load_wine(return_X_y=True)
    model = make_pipeline(StandardScaler(), CategoricalClassifier(**FAST))
    proba = cross_val_predict(model, X, y, cv=3, method="predict_proba")
    assert proba.shape == (len(y), 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    scores = cross_validate(model, X, y, cv=3, scoring=["neg_log_loss", "accuracy"])
    assert np.all(scores["test_neg_log_loss"] < 0)
    assert np.all(scores["test_accuracy"] > 0.8)


def test_calibrated_classifier_cv_around_a_skprob_classifier():
    X, y = load_breast_cancer(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    calibrated = CalibratedClassifierCV(BernoulliClassifier(**FAST), cv=3).fit(X, y)
    proba = calibrated.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert calibrated.score(X, y) > 0.9


def test_nested_params_clone_and_set(regression):
    model = regression_pipeline(HeteroscedasticRegressor)
    model.set_params(heteroscedasticregressor__variance_link="exp")
    copy = clone(model)
    assert copy.get_params()["heteroscedasticregressor__variance_link"] == "exp"
    assert copy[-1] is not model[-1]


def test_pandas_dataframes_record_and_check_feature_names():
    pd = pytest.importorskip("pandas")
    data = load_diabetes(as_frame=True)
    X, y = data.data, data.target
    reg = GaussianRegressor(**FAST).fit(X, y)
    np.testing.assert_array_equal(reg.feature_names_in_, X.columns)
    assert reg.predict(X).shape == (len(X),)
    renamed = X.rename(columns={"age": "years"})
    with pytest.raises(ValueError, match="feature names"):
        reg.predict(renamed)
    assert isinstance(y, pd.Series)


@pytest.mark.parametrize("Estimator", [GaussianRegressor, CategoricalClassifier])
def test_joblib_round_trip(Estimator, tmp_path):
    X, y = load_wine(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    model = Estimator(**FAST).fit(X, y)
    path = tmp_path / "model.joblib"
    joblib.dump(model, path)
    restored = joblib.load(path)
    np.testing.assert_array_equal(restored.predict(X), model.predict(X))


def test_predict_dist_errors_name_the_problem(regression):
    X, y = regression
    from sklearn.linear_model import LinearRegression

    with pytest.raises(TypeError, match="no predictive distribution"):
        predict_dist(LinearRegression().fit(X, y), X)
    search = GridSearchCV(
        regression_pipeline(), {"gaussianregressor__max_epochs": [2]}, cv=2, refit=False
    ).fit(X, y)
    with pytest.raises(ValueError, match="refit=False"):
        predict_dist(search, X)


def test_sklearn_calibration_display_for_a_classifier(tmp_path):
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    from sklearn.calibration import CalibrationDisplay

    X, y = load_breast_cancer(return_X_y=True)
    model = make_pipeline(StandardScaler(), BernoulliClassifier(**FAST)).fit(X, y)
    display = CalibrationDisplay.from_estimator(model, X, y, n_bins=5)
    assert len(display.prob_true) > 0
    display.figure_.savefig(tmp_path / "calibration.png")
    assert (tmp_path / "calibration.png").stat().st_size > 0


@pytest.mark.parametrize("kind", ["reliability", "pit"])
def test_regression_calibration_display(kind, regression, tmp_path):
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    from skprob.metrics import pit_calibration_error
    from skprob.plotting import RegressionCalibrationDisplay

    X, y = regression
    model = regression_pipeline().fit(X, y)
    display = RegressionCalibrationDisplay.from_estimator(model, X, y, kind=kind)
    assert display.estimator_name == "GaussianRegressor"
    assert display.calibration_error == pytest.approx(
        pit_calibration_error(y, predict_dist(model, X))
    )
    assert np.all(np.diff(display.observed) >= 0)
    display.figure_.savefig(tmp_path / f"{kind}.png")
    # from_predictions on a known-calibrated sample is close to the diagonal.
    from scipy import stats

    sample = stats.norm.rvs(size=4000, random_state=0)
    ideal = RegressionCalibrationDisplay.from_predictions(
        sample, stats.norm(np.zeros(4000), 1.0), kind=kind
    )
    np.testing.assert_allclose(ideal.observed, ideal.levels, atol=0.03)
    with pytest.raises(ValueError, match="kind"):
        ideal.plot(kind="box")
    # A second model on the same axes adds its curve, not a second diagonal.
    if kind == "reliability":
        again = RegressionCalibrationDisplay.from_estimator(model, X, y, ax=display.ax_)
        labels = [line.get_label() for line in again.ax_.get_lines()]
        assert labels.count("perfectly calibrated") == 1
