"""ClassifierCalibrationDisplay: multiclass reliability diagrams: top label, per class."""

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from sklearn.calibration import calibration_curve  # noqa: E402

from skprob import CategoricalClassifier  # noqa: E402
from skprob.metrics import expected_calibration_error, reliability_curve  # noqa: E402
from skprob.plotting import ClassifierCalibrationDisplay  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


def _overconfident(n=3000, seed=0):
    rng = np.random.RandomState(seed)
    true = rng.dirichlet([2, 2, 2], size=n)
    y = np.array([rng.choice(3, p=p) for p in true])
    sharpened = true**3 / (true**3).sum(axis=1, keepdims=True)  # overconfident
    return y, sharpened


def test_top_label_curve_is_the_reliability_curve_and_its_error_the_ece():
    y, proba = _overconfident()
    display = ClassifierCalibrationDisplay.from_predictions(y, proba, n_bins=8)
    label, prob_true, prob_pred, weight = display.curves[0]
    expected = reliability_curve(y, proba, n_bins=8)
    for got, want in zip((prob_true, prob_pred, weight), expected):
        np.testing.assert_allclose(got, want)
    assert display.calibration_error == pytest.approx(
        expected_calibration_error(y, proba, n_bins=8)
    )
    assert display.calibration_error > 0.05  # the sharpening shows
    np.testing.assert_allclose(display.lines_[0].get_xdata(), prob_pred)


def test_one_vs_rest_curves_are_sklearns_calibration_curve_per_class():
    y, proba = _overconfident()
    display = ClassifierCalibrationDisplay.from_predictions(
        y, proba, kind="one_vs_rest", n_bins=5
    )
    assert [curve[0] for curve in display.curves] == [0, 1, 2]
    for k, (_, prob_true, prob_pred, _) in enumerate(display.curves):
        want_true, want_pred = calibration_curve(y == k, proba[:, k], n_bins=5)
        np.testing.assert_allclose(prob_true, want_true)
        np.testing.assert_allclose(prob_pred, want_pred)


def test_from_estimator_speaks_in_string_labels():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(300, 2))
    y = np.array(["bird", "cat", "dog"])[(X[:, 0] > 0).astype(int) + (X[:, 1] > 0)]
    clf = CategoricalClassifier(n_estimators=1, max_epochs=5, random_state=0).fit(X, y)
    display = ClassifierCalibrationDisplay.from_estimator(clf, X, y, kind="one_vs_rest")
    assert [curve[0] for curve in display.curves] == ["bird", "cat", "dog"]
    assert display.lines_[2].get_label() == "CategoricalClassifier: class dog"


def test_unknown_kind_is_a_clear_error():
    y, proba = _overconfident(n=30)
    with pytest.raises(ValueError, match="top_label.*one_vs_rest"):
        ClassifierCalibrationDisplay.from_predictions(y, proba, kind="binary")
