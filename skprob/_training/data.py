"""The training data path: mini-batches sliced from in-memory tensors.

skorch's default path builds a ``Dataset`` and a ``DataLoader`` that collates one row at a
time, which dominates the cost of training a small network on tabular data. Here a batch is
one index (or slice) operation on whole tensors.

The members of an ensemble each see their own rows in their own order: a member batch is
indexed by a ``(n_members, batch)`` tensor of row numbers and has shape
``(n_members, batch, ...)``. Rows shared by every member (prediction, or a full batch of
all rows) come without the member axis and the network broadcasts them.
"""

import copy
import warnings

import numpy as np
import scipy.sparse as sp
import torch

__all__ = ["ArrayData", "TensorBatches"]


#: Sparse features whose dense copy fits in this many bytes are densified once; larger
#: ones stay sparse and are densified one batch at a time.
DENSIFY_SPARSE_BELOW_BYTES = 256 * 2**20


def row_number_dtype(n_rows):
    """int32 row numbers where they fit: half the memory of int64 for every split,
    permutation and batch index (per ensemble member, the length of the data)."""
    return torch.int32 if n_rows < 2**31 else torch.int64


def densifies_whole(shape, dtype):
    """Whether sparse features of ``shape`` are densified once (their dense copy in
    ``dtype`` takes at most :data:`DENSIFY_SPARSE_BELOW_BYTES`)."""
    n_rows, n_columns = shape
    return n_rows * n_columns * dtype.itemsize <= DENSIFY_SPARSE_BELOW_BYTES


def _to_tensor(array, dtype):
    if array is None:
        return None
    if sp.issparse(array):
        if not densifies_whole(array.shape, dtype):
            return sp.csr_array(array)
        array = array.toarray()
    with warnings.catch_warnings():
        # A read-only array (a memmap, say) is shared rather than copied: training
        # never writes to its inputs, so torch's warning about writes does not apply.
        warnings.filterwarnings("ignore", message="The given NumPy array is not writable")
        return torch.as_tensor(np.asarray(array)).to(dtype)


class ArrayData:
    """Features, targets and row weights held as whole tensors.

    Sparse features are densified once if the dense copy is small
    (:data:`DENSIFY_SPARSE_BELOW_BYTES`); otherwise they stay sparse (CSR) and are
    densified one batch at a time.

    Parameters
    ----------
    X : ndarray or scipy sparse matrix of shape (n_rows, n_features)
    y : ndarray of shape (n_rows,) or (n_rows, n_targets), default=None
    sample_weight : ndarray of shape (n_rows,), default=None
    dtype : torch.dtype
        Float dtype of features and weights.
    target_dtype : torch.dtype, default=None
        Dtype of the targets (defaults to ``dtype``).
    """

    def __init__(self, X, y=None, sample_weight=None, *, dtype, target_dtype=None):
        self.dtype = dtype
        self.X = _to_tensor(X, dtype)
        self.y = _to_tensor(y, target_dtype or dtype)
        self.sample_weight = _to_tensor(sample_weight, dtype)
        # Batches are normalised by the mean weight of the whole set, so that the
        # batch-size-weighted mean of batch losses is the weighted mean over all rows.
        self.mean_weight = None if sample_weight is None else float(np.mean(sample_weight))

    #: Row numbers into ``X``, ``y`` and ``sample_weight`` when this is a subset (a
    #: training or validation split), of shape ``(n_members, n_rows)``: each ensemble
    #: member has its own rows. Subsets share the tensors instead of copying them.
    rows = None

    def __len__(self):
        """Rows per member."""
        return self.X.shape[0] if self.rows is None else self.rows.shape[1]

    def to(self, device):
        """Move the dense tensors to ``device`` once, instead of once per batch."""
        for name in ("X", "y", "sample_weight", "rows", "mean_weight"):
            value = getattr(self, name)
            if isinstance(value, torch.Tensor):
                setattr(self, name, value.to(device))
        return self

    def subset(self, index):
        """Rows ``index`` per member, as an ``ArrayData`` sharing the tensors.

        ``index`` holds row numbers of this set: 1-D for a single member, or
        ``(n_members, n_rows)``.
        """
        out = copy.copy(self)
        index = torch.as_tensor(np.asarray(index)).to(row_number_dtype(self.X.shape[0]))
        index = index.reshape(-1, index.shape[-1])
        out.rows = index if self.rows is None else self.rows.gather(1, index)
        if self.sample_weight is not None:
            # Each member's own mean weight (a float for one member).
            mean_weight = self.sample_weight[out.rows].mean(dim=1)
            out.mean_weight = float(mean_weight) if len(mean_weight) == 1 else mean_weight
        return out

    def member_rows(self, n_members):
        """Every member's row numbers into the tensors, ``(n_members, n)``, as a view."""
        if self.rows is None:
            rows = torch.arange(len(self), dtype=row_number_dtype(len(self)))
            return rows.expand(n_members, -1)
        return self.rows.expand(n_members, -1) if len(self.rows) == 1 else self.rows

    def batch(self, index):
        """``(X, (y, weight, mean_weight))`` of the rows ``index``.

        ``index`` is a slice of this set's rows (rows shared by every member), or a
        tensor of row numbers of shape ``(n_members, batch)``.
        """
        if isinstance(index, slice) and self.rows is not None:
            index = self.rows[:, index]
        X = _take(self.X, index) if isinstance(self.X, torch.Tensor) else self._dense(index)
        if self.y is None:
            return X, None
        weight = None if self.sample_weight is None else _take(self.sample_weight, index)
        return X, (_take(self.y, index), weight, self.mean_weight)

    def _dense(self, index):
        if isinstance(index, torch.Tensor):
            shape = index.shape
            rows = index.reshape(-1).cpu().numpy()
            dense = torch.as_tensor(self.X[rows].toarray()).to(self.dtype)
            return dense.reshape(*shape, -1)
        return torch.as_tensor(self.X[index].toarray()).to(self.dtype)


def _take(tensor, index):
    """``tensor[index]`` for a slice or a tensor of row numbers of any shape.

    Row numbers go through ``index_select``: with int32 row numbers, advanced indexing
    took five times as long (gathering 2,560 random rows of 20 float32 features from
    900,000: 146 against 29 us), and a large fit's steps each gather a batch.
    """
    if isinstance(index, slice):
        return tensor[index]
    rows = torch.index_select(tensor, 0, index.reshape(-1))
    return rows.view(*index.shape, *tensor.shape[1:])


class TensorBatches:
    """Iterable of mini-batches over an :class:`ArrayData`.

    Parameters
    ----------
    data : ArrayData
    batch_size : int
    shuffle : bool
        Draw a new permutation of each member's rows every epoch from ``generator``.
    generator : torch.Generator, default=None
        Source of the permutations; a dedicated generator keeps the global torch RNG
        untouched and makes shuffling reproducible.
    n_members : int, default=1
        Ensemble members; each gets its own permutation.
    """

    def __init__(self, data, batch_size, shuffle=False, generator=None, n_members=1):
        self.data = data
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.generator = generator
        self.n_members = n_members

    def __len__(self):
        return -(-len(self.data) // self.batch_size)

    def __iter__(self):
        n_rows, size = len(self.data), self.batch_size
        if not self.shuffle or size >= n_rows:
            # In order (or one full batch, where order does not matter): slices, which
            # copy nothing where every member shares the rows.
            for start in range(0, n_rows, size):
                yield self.data.batch(slice(start, start + size))
            return
        # Each member's rows in a new order, built member by member in one buffer (one
        # copy of the row numbers at a time, not three).
        rows = torch.empty(self.n_members, n_rows, dtype=row_number_dtype(n_rows))
        for member_rows, all_rows in zip(rows, self.data.member_rows(self.n_members)):
            torch.randperm(n_rows, generator=self.generator, out=member_rows)
            member_rows.copy_(all_rows[member_rows])
        if isinstance(self.data.X, torch.Tensor):
            rows = rows.to(self.data.X.device)
        for start in range(0, n_rows, size):
            yield self.data.batch(rows[:, start : start + size])
