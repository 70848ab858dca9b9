"""Thread control: a count chosen for the work during fit and predict, then restored."""

import re

import numpy as np
import pytest
import torch
from threadpoolctl import threadpool_limits

from skprob import CategoricalClassifier, HeteroscedasticRegressor
from skprob._training.threads import PARALLEL_MIN_MACS, resolve_n_threads, torch_threads

from .conftest import SMALL

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


def mkl_threads():
    """The thread count of the MKL inside torch, or None for a torch built without it."""
    match = re.search(r"mkl_get_max_threads\(\) : (\d+)", torch.__config__.parallel_info())
    return int(match.group(1)) if match else None


@pytest.fixture
def recorded_thread_counts(monkeypatch):
    """Every count torch.set_num_threads is called with, still passed through."""
    calls = []
    original = torch.set_num_threads

    def record(n):
        calls.append(n)
        original(n)

    monkeypatch.setattr(torch, "set_num_threads", record)
    return calls


def test_small_work_runs_on_one_thread_and_more_only_from_the_threshold():
    with torch_threads(2):
        assert resolve_n_threads(None, PARALLEL_MIN_MACS - 1) == 1
        assert resolve_n_threads(None, PARALLEL_MIN_MACS) == 2
    assert resolve_n_threads(3, 1) == 3


def test_training_takes_one_thread_at_any_size_unless_told():
    with torch_threads(2):
        assert resolve_n_threads(None, 2**40, training=True) == 1
        assert resolve_n_threads(2, 2**40, training=True) == 2


def test_a_large_default_ensemble_trains_on_one_thread(recorded_thread_counts):
    # Batches of 512 rows through five members of (50, 50) units: 9.2M multiply-adds,
    # above the prediction threshold.
    X = np.random.RandomState(0).normal(size=(1024, 20)).astype(np.float32)
    y = X[:, 0]
    model = HeteroscedasticRegressor(batch_size=512, max_epochs=1, early_stopping=False)
    with torch_threads(2):
        recorded_thread_counts.clear()
        model.fit(X, y)
        assert torch.get_num_threads() == 2
    assert recorded_thread_counts[:2] == [1, 2]
    assert 512 * model.net_.module_.multiply_adds_per_row() >= PARALLEL_MIN_MACS


def test_large_work_respects_the_current_limit():
    with threadpool_limits(1):
        assert resolve_n_threads(None, 2**40) == 1
        assert torch.get_num_threads() == 1


def test_torch_threads_restores_the_count_even_after_an_error():
    before = torch.get_num_threads()
    other = 1 if before != 1 else 2
    with pytest.raises(RuntimeError), torch_threads(other):
        assert torch.get_num_threads() == other
        raise RuntimeError
    assert torch.get_num_threads() == before


def test_fit_and_predict_use_one_thread_for_a_small_network_and_restore(
    recorded_thread_counts,
):
    X, y = np.random.RandomState(0).normal(size=(100, 4)), np.arange(100) % 3
    with torch_threads(2):
        recorded_thread_counts.clear()
        clf = CategoricalClassifier(**SMALL).fit(X, y)
        clf.predict_proba(X)
        assert torch.get_num_threads() == 2
    # Set to 1 and back to 2, once for the fit and once for the prediction.
    assert recorded_thread_counts[:4] == [1, 2, 1, 2]


def test_explicit_n_threads_is_used(recorded_thread_counts, diabetes):
    X, y = diabetes
    before = torch.get_num_threads()
    with torch_threads(1):
        recorded_thread_counts.clear()
        HeteroscedasticRegressor(n_threads=2, **SMALL).fit(X, y)
        assert recorded_thread_counts[:2] == [2, 1]
    assert torch.get_num_threads() == before


@pytest.mark.skipif(mkl_threads() is None, reason="this torch has no MKL")
def test_inside_threadpool_limits_mkl_takes_the_count_too(recorded_thread_counts):
    # threadpoolctl lowers OpenMP's count, which torch reports, and not MKL's: torch
    # says 1 while its matrix products would run on 2 threads. Skipping the call because
    # torch already said 1 left a fit beside two busy processes 3 times as long.
    with torch_threads(2), threadpool_limits(1):
        assert (torch.get_num_threads(), mkl_threads()) == (1, 2)
        with torch_threads(1):
            assert mkl_threads() == 1
        recorded_thread_counts.clear()
        X, y = np.random.RandomState(0).normal(size=(100, 4)), np.arange(100) % 3
        CategoricalClassifier(**SMALL).fit(X, y)
        assert recorded_thread_counts[:2] == [1, 1]
        assert torch.get_num_threads() == 1
    assert (torch.get_num_threads(), mkl_threads()) == (2, 2)
