"""The tensor-batch data path: subsets share memory, epochs visit every row once."""

import numpy as np
import scipy.sparse as sp
import torch

from skprob._data import ArrayData, TensorBatches


def make_data(n=23, sparse=False):
    X = np.arange(n * 2, dtype=np.float64).reshape(n, 2)
    y = np.arange(n, dtype=np.float64)
    weights = np.linspace(1, 2, n)
    return (
        ArrayData(sp.csr_matrix(X) if sparse else X, y, weights, dtype=torch.float64),
        X,
        y,
    )


def test_subsets_share_the_tensors_instead_of_copying():
    data, _, _ = make_data()
    train = data.subset(np.arange(0, 23, 2))
    assert train.X is data.X
    assert train.y is data.y
    assert len(train) == 12
    nested = train.subset([1, 2])
    # A subset's batches carry the member axis: (n_members, rows).
    np.testing.assert_array_equal(nested.batch(slice(None))[1][0].numpy(), [[2.0, 4.0]])


def test_an_epoch_visits_every_row_once_in_shuffled_batches():
    data, X, y = make_data()
    train = data.subset(np.arange(3, 23))
    generator = torch.Generator().manual_seed(0)
    batches = list(TensorBatches(train, batch_size=6, shuffle=True, generator=generator))
    assert [b[0].shape[:2] for b in batches] == [(1, 6), (1, 6), (1, 6), (1, 2)]
    seen = np.concatenate([b[1][0].numpy()[0] for b in batches])
    np.testing.assert_array_equal(np.sort(seen), y[3:])
    # Each row's features travel with its target.
    for X_batch, (y_batch, _, _) in batches:
        np.testing.assert_array_equal(X_batch.numpy(), X[y_batch.numpy().astype(int)])


def test_each_member_visits_its_own_rows_in_its_own_order():
    data, X, y = make_data()
    rows = np.array([np.arange(0, 10), np.arange(13, 23)])
    train = data.subset(rows)
    generator = torch.Generator().manual_seed(0)
    batches = list(
        TensorBatches(train, batch_size=4, shuffle=True, generator=generator, n_members=2)
    )
    assert [b[0].shape for b in batches] == [(2, 4, 2), (2, 4, 2), (2, 2, 2)]
    seen = np.concatenate([b[1][0].numpy() for b in batches], axis=1)
    np.testing.assert_array_equal(np.sort(seen[0]), y[:10])
    np.testing.assert_array_equal(np.sort(seen[1]), y[13:])
    assert not np.array_equal(seen[0], np.sort(seen[0]))
    for X_batch, (y_batch, weight, _) in batches:
        np.testing.assert_array_equal(X_batch.numpy(), X[y_batch.numpy().astype(int)])
        np.testing.assert_array_equal(weight.numpy(), data.sample_weight[y_batch.long()])


def test_members_have_their_own_mean_weight():
    data, _, _ = make_data()
    subset = data.subset([[0, 22], [0, 1]])
    weights = data.sample_weight.numpy()
    np.testing.assert_allclose(
        subset.mean_weight.numpy(), [weights[[0, 22]].mean(), weights[[0, 1]].mean()]
    )


def test_the_same_generator_seed_gives_the_same_order():
    data, _, _ = make_data()

    def order(seed):
        generator = torch.Generator().manual_seed(seed)
        batches = TensorBatches(data, batch_size=5, shuffle=True, generator=generator)
        return np.concatenate([b[1][0].numpy()[0] for b in batches])

    np.testing.assert_array_equal(order(1), order(1))
    assert not np.array_equal(order(1), order(2))


def test_mean_weight_of_a_subset_is_its_own():
    data, _, _ = make_data()
    subset = data.subset([0, 22])
    assert subset.mean_weight == 1.5


def test_sparse_rows_are_densified_per_batch(monkeypatch):
    from skprob import _data

    monkeypatch.setattr(_data, "DENSIFY_SPARSE_BELOW_BYTES", 0)
    data, X, _ = make_data(sparse=True)
    assert sp.issparse(data.X)
    X_batch, _ = data.subset([4, 1]).batch(slice(None))
    np.testing.assert_array_equal(X_batch.numpy(), X[[[4, 1]]])
