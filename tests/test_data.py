"""The tensor-batch data path: subsets share memory, epochs visit every row once."""

import warnings

import numpy as np
import scipy.sparse as sp
import torch

from skprob._training.data import ArrayData, TensorBatches


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


def test_read_only_arrays_are_shared_without_a_warning():
    # A memmap or a frozen array: torch warns that it cannot stop writes to it, which
    # training never does, so the warning would only alarm the user.
    X = np.arange(10.0).reshape(5, 2)
    y = np.arange(5.0)
    X.setflags(write=False)
    y.setflags(write=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        data = ArrayData(X, y, None, dtype=torch.float64)
    np.testing.assert_array_equal(data.X.numpy(), X)
    np.testing.assert_array_equal(data.y.numpy(), y)
    assert not X.flags.writeable


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


def test_mean_weight_is_the_sets_own_and_a_subset_leaves_its_parent_alone():
    data, _, _ = make_data()
    weights = np.linspace(1, 2, 23)
    assert data.mean_weight == weights.mean()
    # Rows 0 and 1 have a mean weight far from the whole set's (1.5).
    subset = data.subset([0, 1])
    assert subset.mean_weight == weights[[0, 1]].mean()
    assert subset.mean_weight != data.mean_weight
    assert data.rows is None
    assert data.mean_weight == weights.mean()
    nested = subset.subset([1])
    assert nested.mean_weight == weights[1]
    np.testing.assert_array_equal(subset.rows.numpy(), [[0, 1]])
    unweighted = ArrayData(np.ones((3, 1)), np.ones(3), dtype=torch.float64)
    assert unweighted.mean_weight is None
    assert unweighted.subset([0]).mean_weight is None


def test_batches_in_order_visit_every_row_once_with_its_weight():
    data, X, y = make_data()
    batches = list(TensorBatches(data, batch_size=5, shuffle=False))
    assert len(TensorBatches(data, batch_size=5)) == len(batches) == 5
    assert [len(b[0]) for b in batches] == [5, 5, 5, 5, 3]
    np.testing.assert_array_equal(np.concatenate([b[0].numpy() for b in batches]), X)
    np.testing.assert_array_equal(np.concatenate([b[1][0].numpy() for b in batches]), y)
    np.testing.assert_array_equal(
        np.concatenate([b[1][1].numpy() for b in batches]), np.linspace(1, 2, 23)
    )
    assert all(b[1][2] == data.mean_weight for b in batches)
    # A subset in order: its own rows, in its own order, every one of them.
    rows = [7, 3, 20, 0, 11]
    subset_batches = list(TensorBatches(data.subset(rows), batch_size=2))
    seen = np.concatenate([b[1][0].numpy()[0] for b in subset_batches])
    np.testing.assert_array_equal(seen, y[rows])


def test_one_full_batch_comes_in_order_even_when_shuffled():
    data, _, y = make_data()
    generator = torch.Generator().manual_seed(0)
    for batch_size in (len(y), 50):  # exactly the rows, and more
        (batch,) = TensorBatches(data, batch_size, shuffle=True, generator=generator)
        np.testing.assert_array_equal(batch[1][0].numpy(), y)


def test_member_rows_of_the_whole_set_of_one_subset_and_of_several():
    data, _, _ = make_data(n=4)
    np.testing.assert_array_equal(data.member_rows(2).numpy(), [[0, 1, 2, 3]] * 2)
    assert data.member_rows(2).dtype == torch.int32  # half of int64's memory a member
    np.testing.assert_array_equal(data.subset([2, 0]).member_rows(3).numpy(), [[2, 0]] * 3)
    several = data.subset([[1, 2], [3, 0]])
    np.testing.assert_array_equal(several.member_rows(2).numpy(), [[1, 2], [3, 0]])
    assert len(several) == 2


def test_features_targets_and_weights_take_the_training_dtype():
    X = np.arange(6.0).reshape(3, 2)
    data = ArrayData(X, np.arange(3.0), np.ones(3), dtype=torch.float32)
    assert data.X.dtype == data.y.dtype == data.sample_weight.dtype == torch.float32
    labels = ArrayData(
        X, np.array([0, 2, 1]), None, dtype=torch.float32, target_dtype=torch.int64
    )
    assert labels.y.dtype == torch.int64
    assert labels.X.dtype == torch.float32


def test_a_subset_holds_int32_row_numbers():
    data, _, _ = make_data()
    assert data.subset(np.arange(5)).rows.dtype == torch.int32
    assert data.subset([[0, 1], [2, 3]]).subset([1, 0]).rows.dtype == torch.int32


def test_to_moves_every_tensor_once():
    # The "meta" device stands for an accelerator: the move is visible on any machine.
    data, _, _ = make_data()
    moved = data.subset([[0, 1], [2, 3]]).to("meta")
    for tensor in (moved.X, moved.y, moved.sample_weight, moved.rows):
        assert tensor.device.type == "meta"


def test_row_numbers_are_int32_below_2_to_the_31():
    from skprob._training.data import row_number_dtype

    assert row_number_dtype(2**31 - 1) == torch.int32
    assert row_number_dtype(2**31) == torch.int64


def test_sparse_features_are_densified_whole_up_to_256_mib_of_dense_copy():
    from skprob._training.data import densifies_whole

    # 2**20 rows x 32 float64 columns is exactly 256 MiB dense; one more column is over.
    assert densifies_whole((2**20, 32), torch.float64)
    assert not densifies_whole((2**20, 33), torch.float64)
    # The same bytes in other shapes and dtypes.
    assert densifies_whole((2**25, 1), torch.float64)
    assert not densifies_whole((2**25 + 1, 1), torch.float64)
    assert densifies_whole((2**20, 64), torch.float32)
    assert not densifies_whole((2**20, 64), torch.float64)
    dense = ArrayData(sp.csr_matrix(np.eye(3)), dtype=torch.float32).X
    assert isinstance(dense, torch.Tensor) and dense.dtype == torch.float32


def test_sparse_rows_are_densified_per_batch(monkeypatch):
    from skprob._training import data as data_module

    monkeypatch.setattr(data_module, "DENSIFY_SPARSE_BELOW_BYTES", 0)
    data, X, _ = make_data(sparse=True)
    assert sp.issparse(data.X)
    X_batch, _ = data.subset([4, 1]).batch(slice(None))
    np.testing.assert_array_equal(X_batch.numpy(), X[[[4, 1]]])


def test_sparse_batches_keep_the_dtype_whether_sliced_or_indexed(monkeypatch):
    from skprob._training import data as data_module

    monkeypatch.setattr(data_module, "DENSIFY_SPARSE_BELOW_BYTES", 0)
    X = np.arange(12, dtype=np.float64).reshape(6, 2)
    data = ArrayData(sp.csr_matrix(X), np.zeros(6), dtype=torch.float32)
    sliced, _ = data.batch(slice(1, 4))
    assert sliced.dtype == torch.float32
    np.testing.assert_array_equal(sliced.numpy(), X[1:4])
    indexed, _ = data.batch(torch.tensor([[5, 0]]))
    assert indexed.dtype == torch.float32
    np.testing.assert_array_equal(indexed.numpy(), X[[[5, 0]]])
