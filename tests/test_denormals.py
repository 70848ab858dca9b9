"""Subnormals flushed to zero while skprob computes; the caller's setting restored."""

import numpy as np
import pytest
import torch

from skprob import CategoricalClassifier, HeteroscedasticRegressor
from skprob._training import network
from skprob._training.denormals import flush_denormals, flushing_denormals

from .conftest import SMALL

pytestmark = [
    pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning"),
    pytest.mark.skipif(
        not torch.set_flush_denormal(False), reason="this CPU cannot flush subnormals"
    ),
]


@pytest.fixture
def callers_setting(request):
    """The caller's flush-to-zero setting for the test, and off again after it."""
    torch.set_flush_denormal(request.param)
    yield request.param
    torch.set_flush_denormal(False)


@pytest.fixture
def flushing_in_forward(monkeypatch):
    """Whether flushing was on at each forward pass of the network: the training steps'
    (``forward_saving``, which keeps what the written-out backward pass needs), the
    validation passes' and the predictions' (``forward``)."""
    seen = []

    def record(method):
        def recording(self, *args, **kwargs):
            seen.append((method.__name__, flushing_denormals()))
            return method(self, *args, **kwargs)

        return recording

    for name in ("forward", "forward_saving"):
        method = getattr(network.DistributionMLP, name)
        monkeypatch.setattr(network.DistributionMLP, name, record(method))
    return seen


def data(n_rows=120):
    rng = np.random.RandomState(0)
    X = rng.normal(size=(n_rows, 3))
    return X, X[:, 0] + rng.normal(scale=0.1, size=n_rows)


def test_the_probe_reads_the_setting_torch_was_given():
    assert torch.set_flush_denormal(True)
    assert flushing_denormals()
    tiny = torch.tensor([1e-30], dtype=torch.float32) * torch.tensor([1e-10])
    assert tiny.item() == 0.0
    torch.set_flush_denormal(False)
    assert not flushing_denormals()
    tiny = torch.tensor([1e-30], dtype=torch.float32) * torch.tensor([1e-10])
    assert 0 < tiny.item() < torch.finfo(torch.float32).tiny


@pytest.mark.parametrize("callers_setting", [False, True], indirect=True)
def test_the_context_flushes_inside_and_restores_the_callers_setting(callers_setting):
    with flush_denormals():
        assert flushing_denormals()
    assert flushing_denormals() == callers_setting


@pytest.mark.parametrize("callers_setting", [False, True], indirect=True)
def test_the_setting_is_restored_after_an_error_inside(callers_setting):
    with pytest.raises(RuntimeError, match="inside"), flush_denormals():
        raise RuntimeError("inside")
    assert flushing_denormals() == callers_setting


@pytest.mark.parametrize("callers_setting", [False, True], indirect=True)
def test_training_and_prediction_flush_and_restore_the_callers_setting(
    callers_setting, flushing_in_forward
):
    X, y = data()
    model = HeteroscedasticRegressor(**{**SMALL, "n_estimators": 2}).fit(X, y)
    assert flushing_denormals() == callers_setting
    n_training_passes = len(flushing_in_forward)
    model.predict_dist(X)
    assert flushing_denormals() == callers_setting
    assert len(flushing_in_forward) > n_training_passes > 0
    assert {name for name, _ in flushing_in_forward} == {"forward", "forward_saving"}
    assert all(flushing for _, flushing in flushing_in_forward)


def test_a_classifier_and_partial_fit_flush_too(flushing_in_forward):
    X, y = data()
    labels = (y > 0).astype(int)
    model = CategoricalClassifier(**SMALL).fit(X, labels)
    model.partial_fit(X, labels)
    model.predict_proba(X)
    assert not flushing_denormals()
    assert flushing_in_forward
    assert all(flushing for _, flushing in flushing_in_forward)
