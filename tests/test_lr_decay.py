"""The learning rate drops at the first plateaus of the validation loss; then it stops."""

import math

import numpy as np
import pytest
import torch
from sklearn.datasets import make_regression

from skprob import GaussianRegressor, HeteroscedasticRegressor
from skprob._training.callbacks import MemberEarlyStopping
from skprob._training.run import DECAYED_PATIENCE, LR_DECAY_FACTOR, LR_DECAYS


@pytest.fixture(scope="module")
def data():
    return make_regression(n_samples=300, n_features=4, noise=20.0, random_state=0)


def _lrs(model):
    return np.asarray(model.net_.history[:, "lr"])


def test_plateaus_lower_the_rate_then_stop(data):
    X, y = data
    model = HeteroscedasticRegressor(
        n_estimators=2, hidden_layer_sizes=(16,), n_iter_no_change=8, random_state=0
    ).fit(X, y)
    lrs = _lrs(model)
    expected = [3e-3 * LR_DECAY_FACTOR**k for k in range(LR_DECAYS + 1)]
    np.testing.assert_allclose(np.unique(lrs)[::-1], expected)
    assert np.all(np.diff(lrs) <= 0), "the rate only goes down"
    # The last plateau stops training after the shortened patience: its epochs did not
    # improve on the best before them by more than tol.
    valid = np.asarray(model.net_.history[:, "valid_member_losses"]).mean(axis=1)
    waited = math.ceil(DECAYED_PATIENCE * 8)
    assert np.sum(lrs == lrs[-1]) >= waited
    assert valid[-waited:].min() > valid[:-waited].min() - model.tol
    # The optimizer is set back, so that warm_start and partial_fit start at the rate.
    assert model.net_.optimizer_.param_groups[0]["lr"] == pytest.approx(3e-3)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_no_decay_without_validation_rows_or_with_lbfgs(data):
    X, y = data
    small = dict(hidden_layer_sizes=(16,), n_estimators=1, random_state=0)
    no_split = GaussianRegressor(early_stopping=False, max_epochs=60, **small).fit(X, y)
    assert np.unique(_lrs(no_split)).tolist() == [3e-3]
    lbfgs = GaussianRegressor(optimizer="lbfgs", max_epochs=30, **small).fit(X, y)
    assert np.unique(_lrs(lbfgs)).tolist() == [1.0]


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_a_decay_goes_back_to_each_members_best_weights(data):
    X, y = data
    model = GaussianRegressor(
        n_estimators=2, hidden_layer_sizes=(8,), max_epochs=3, random_state=0
    ).fit(X, y)
    net = model.net_
    stopper = MemberEarlyStopping("valid", patience=4, threshold=0.0, load_best=True)
    stopper.lr_decays = 1
    stopper.on_train_begin(net)
    params = dict(net.module_.named_parameters())
    stopper.best_state_ = {name: torch.full_like(p, 0.5) for name, p in params.items()}
    lr = net.optimizer_.param_groups[0]["lr"]
    stopper._decay(net, epoch=3)
    for p in params.values():
        assert torch.all(p == 0.5)
    assert net.optimizer_.param_groups[0]["lr"] == pytest.approx(lr * 0.3)
    assert stopper.decays_ == 1
    assert stopper._current_patience() == 1


def test_verbose_fit_reports_each_decay(data, capsys):
    X, y = data
    GaussianRegressor(
        n_estimators=1,
        hidden_layer_sizes=(16,),
        n_iter_no_change=5,
        verbose=True,
        random_state=0,
    ).fit(X, y)
    out = capsys.readouterr().out
    assert out.count("back to the best weights, learning rate") == LR_DECAYS
    assert "Stopping:" in out
