"""The training data path: mini-batches sliced from in-memory tensors.

skorch's default path builds a ``Dataset`` and a ``DataLoader`` that collates one row at a
time, which dominates the cost of training a small network on tabular data. Here a batch is
one index (or slice) operation on whole tensors.
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


def _to_tensor(array, dtype):
    if array is None:
        return None
    if sp.issparse(array):
        dense_bytes = array.shape[0] * array.shape[1] * dtype.itemsize
        if dense_bytes > DENSIFY_SPARSE_BELOW_BYTES:
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
    #: training or validation split): subsets share the tensors instead of copying them.
    rows = None

    def __len__(self):
        return self.X.shape[0] if self.rows is None else len(self.rows)

    def to(self, device):
        """Move the dense tensors to ``device`` once, instead of once per batch."""
        for name in ("X", "y", "sample_weight", "rows"):
            value = getattr(self, name)
            if isinstance(value, torch.Tensor):
                setattr(self, name, value.to(device))
        return self

    def subset(self, index):
        """The rows ``index`` (numpy integers) as an ``ArrayData`` sharing the tensors."""
        out = copy.copy(self)
        index = torch.as_tensor(np.asarray(index), dtype=torch.long)
        out.rows = index if self.rows is None else self.rows[index]
        if self.sample_weight is not None:
            out.mean_weight = float(self.sample_weight[out.rows].mean())
        return out

    def batch(self, index):
        """``(X, (y, weight, mean_weight))`` of the rows ``index`` (slice or tensor)."""
        if self.rows is not None:
            index = self.rows[index]
        X = self.X[index] if isinstance(self.X, torch.Tensor) else self._dense(index)
        if self.y is None:
            return X, None
        weight = None if self.sample_weight is None else self.sample_weight[index]
        return X, (self.y[index], weight, self.mean_weight)

    def _dense(self, index):
        if isinstance(index, torch.Tensor):
            index = index.cpu().numpy()
        return torch.as_tensor(self.X[index].toarray()).to(self.dtype)


class TensorBatches:
    """Iterable of mini-batches over an :class:`ArrayData`.

    Parameters
    ----------
    data : ArrayData
    batch_size : int
    shuffle : bool
        Draw a new permutation each epoch from ``generator``.
    generator : torch.Generator, default=None
        Source of the permutations; a dedicated generator keeps the global torch RNG
        untouched and makes shuffling reproducible.
    """

    def __init__(self, data, batch_size, shuffle=False, generator=None):
        self.data = data
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.generator = generator

    def __len__(self):
        return -(-len(self.data) // self.batch_size)

    def __iter__(self):
        n_rows, size = len(self.data), self.batch_size
        if not self.shuffle or size >= n_rows:
            # In order (or one full batch, where order does not matter): plain slices,
            # which are views and copy nothing.
            for start in range(0, n_rows, size):
                yield self.data.batch(slice(start, start + size))
            return
        order = torch.randperm(n_rows, generator=self.generator)
        if isinstance(self.data.X, torch.Tensor):
            order = order.to(self.data.X.device)
        for start in range(0, n_rows, size):
            yield self.data.batch(order[start : start + size])
