"""Periodic embeddings of numerical features: shapes, training, persistence, seeds."""

import pickle

import numpy as np
import pytest
import torch

from skprob import CategoricalClassifier, HeteroscedasticRegressor
from skprob._training.embedding import PeriodicEmbedding

from .conftest import SMALL

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

EMBEDDED = {**SMALL, "numeric_embedding": "periodic"}


def test_each_feature_becomes_itself_and_its_periodic_features():
    torch.manual_seed(0)
    embedding = PeriodicEmbedding(n_members=2, n_features=3, n_frequencies=5, n_periodic=2)
    X = torch.randn(4, 3)
    out = embedding(X)
    assert out.shape == (2, 4, 9)
    by_feature = out.reshape(2, 4, 3, 3)
    torch.testing.assert_close(by_feature[..., 0], X.expand(2, -1, -1))
    # Member 1, row 2, feature 0, by the formula.
    phase = 2 * np.pi * X[2, 0] * embedding.frequencies[1, 0] + embedding.phases[1, 0]
    expected = torch.cos(phase) @ embedding.weight[1, 0] + embedding.bias[1, 0]
    torch.testing.assert_close(by_feature[1, 2, 0, 1:], expected)


def test_members_own_rows_keep_their_own_embedding():
    embedding = PeriodicEmbedding(n_members=3, n_features=2)
    X = torch.randn(3, 5, 2)
    out = embedding(X)
    for member in range(3):
        alone = embedding(X[member])[member]
        torch.testing.assert_close(out[member], alone)


def test_a_model_with_embeddings_trains_predicts_and_round_trips():
    rng = np.random.RandomState(0)
    X = rng.uniform(-3, 3, size=(300, 2))
    y = np.sin(3 * X[:, 0]) + rng.normal(scale=0.1, size=300)
    model = HeteroscedasticRegressor(**EMBEDDED).fit(X, y)
    assert model.net_.module_.embedding is not None
    loaded = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(loaded.predict(X), model.predict(X))
    again = HeteroscedasticRegressor(**EMBEDDED).fit(X, y)
    np.testing.assert_array_equal(again.predict(X), model.predict(X))
    assert model.score(X, y) > 0.5


@pytest.mark.parametrize("optimizer", ["adam", "sgd", "lbfgs"])
def test_every_optimizer_trains_the_embedding(optimizer):
    X = np.random.RandomState(1).normal(size=(120, 3))
    y = (X[:, 0] > 0).astype(int)
    # No validation split: the weights are those of the last epoch, not the best one.
    params = {**EMBEDDED, "optimizer": optimizer, "max_epochs": 5, "early_stopping": False}
    model = CategoricalClassifier(**params)
    before = PeriodicEmbedding  # the class, to find the module's after fitting
    model.fit(X, y)
    embedding = model.net_.module_.embedding
    assert isinstance(embedding, before)
    fresh = CategoricalClassifier(**{**params, "max_epochs": 1})
    fresh.fit(X, y)
    # Training moved the frequencies away from where the same seed starts them.
    assert not torch.equal(embedding.frequencies, fresh.net_.module_.embedding.frequencies)
