"""The "auto" training parameters, resolved for the data size as the docstrings say."""

import math

import numpy as np
import pytest

from skprob import CategoricalClassifier, GaussianRegressor
from skprob._training.run import TrainingSchedule


def resolve(n_train, validation=True, total_weight=None, epochs=None, **params):
    estimator = GaussianRegressor(**params)
    total_weight = n_train if total_weight is None else total_weight
    return TrainingSchedule.for_estimator(
        estimator, n_train, validation, total_weight, epochs=epochs
    )


@pytest.mark.parametrize(
    "n_train, batch_size",
    [(10, 10), (277, 32), (1_000, 32), (4_000, 128), (9_000, 256), (40_000, 512)],
)
def test_auto_batch_size_aims_at_32_steps_within_32_to_512_rows(n_train, batch_size):
    assert resolve(n_train).batch_size == batch_size


@pytest.mark.parametrize("n_train", [277, 4_000, 40_000, 2_000_000])
def test_with_validation_the_budget_and_patience_are_counted_in_steps(n_train):
    schedule = resolve(n_train)
    steps_per_epoch = math.ceil(n_train / schedule.batch_size)
    assert schedule.max_epochs == max(200, math.ceil(20_000 / steps_per_epoch))
    assert schedule.patience == max(3, math.ceil(1_000 / steps_per_epoch))
    # The step budget is what makes small data train long: yacht's 277 rows get 2,223
    # epochs of 9 steps, where a count of 200 epochs would give them 1,800 steps.
    if n_train == 277:
        assert (schedule.max_epochs, schedule.patience) == (2_223, 112)
    # Large data: an epoch of 3,907 steps; 3 epochs of patience, not 10 (39,000 steps).
    if n_train == 2_000_000:
        assert (schedule.max_epochs, schedule.patience) == (200, 3)


def test_without_validation_the_budget_is_sklearns_in_epochs():
    schedule = resolve(5_000, validation=False)
    assert (schedule.max_epochs, schedule.patience) == (200, 10)
    assert schedule.weight_decay == 1e-4


def test_lbfgs_takes_full_batches_and_an_epoch_budget_even_with_validation():
    schedule = resolve(5_000, optimizer="lbfgs")
    assert schedule.batch_size == 5_000
    assert (schedule.max_epochs, schedule.patience) == (200, 10)
    assert schedule.learning_rate == 1.0


def test_auto_weight_decay_is_a_fixed_prior_over_the_weight_mass():
    # 4 / (sum of weights): integer weights act as repeated rows.
    assert resolve(300, total_weight=600.0).weight_decay == pytest.approx(4 / 600)
    assert resolve(300).weight_decay == pytest.approx(4 / 300)


def test_auto_learning_rate_is_the_optimizers_own():
    assert resolve(300).learning_rate == 3e-3
    assert resolve(300, optimizer="sgd").learning_rate == 1e-2


def test_explicit_values_and_partial_fit_epochs_win_over_auto():
    schedule = resolve(
        4_000,
        batch_size=100,
        max_epochs=7,
        n_iter_no_change=3,
        learning_rate=0.05,
        weight_decay=0.0,
    )
    assert schedule == TrainingSchedule(100, 7, 3, 0.05, 0.0)
    assert resolve(4_000, epochs=1).max_epochs == 1
    assert resolve(50, batch_size=100).batch_size == 50


def test_a_fitted_model_reports_the_resolved_batch_size():
    rng = np.random.RandomState(0)
    X, y = rng.normal(size=(400, 3)), rng.randint(0, 3, 400)
    model = CategoricalClassifier(max_epochs=1, n_estimators=1).fit(X, y)
    # 360 training rows after the validation split: 2**round(log2(360 / 32)) = 8 -> 32.
    assert model.batch_size_ == 32
