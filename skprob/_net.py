"""The skorch net that trains a family's NLL: thin overrides of skorch's pluggable parts."""

import math

import numpy as np
import torch
from skorch import NeuralNet
from skorch.callbacks import Callback
from torch import nn

from ._data import ArrayData, TensorBatches
from .exceptions import TrainingDivergedError

__all__ = ["DistributionNet", "FamilyNLL", "StopOnDivergence"]


class FamilyNLL(nn.Module):
    """Criterion: the per-row NLL of a family, in the units of the user's targets.

    Targets are trained standardised; ``log_target_scale`` (the sum over outputs of the log
    of each output's scale) is the log-Jacobian of that standardisation. Adding it changes
    no gradient, and makes the loss the NLL of the targets as the user passed them.
    """

    def __init__(self, family, log_target_scale=0.0):
        super().__init__()
        self.family = family
        self.log_target_scale = float(log_target_scale)

    def forward(self, raw, y):
        return self.family.nll(raw, y) + self.log_target_scale


class StopOnDivergence(Callback):
    """Stop with a clear error as soon as a training or validation loss is not finite."""

    def on_batch_end(self, net, batch=None, training=None, loss=None, **kwargs):
        # A Python float check: cheaper per batch than torch.isfinite on a 0-d tensor.
        value = loss.item() if loss is not None else 0.0
        if not math.isfinite(value):
            where = "training" if training else "validation"
            raise TrainingDivergedError(
                f"Training diverged: the {where} loss became {value} in epoch "
                f"{len(net.history)}. Lower the learning rate (it is {net.lr:g}), "
                "standardise the features (e.g. with StandardScaler), or check the "
                "data for extreme values."
            )


class DistributionNet(NeuralNet):
    """A skorch ``NeuralNet`` whose data are :class:`~skprob._data.ArrayData`.

    - batches are sliced from tensors (:class:`~skprob._data.TensorBatches`), shuffled by a
      dedicated generator;
    - the loss weights each row's NLL by its sample weight;
    - weight decay is an L2 penalty on the weight matrices (not the biases, nor the shared
      parameters) added to the training loss, one mechanism for every optimizer
      (``torch.optim.LBFGS`` takes no ``weight_decay``). For Adam and SGD it is the same as
      their ``weight_decay`` argument restricted to the weights.

    Parameters
    ----------
    weight_decay : float
        Coefficient ``c`` of the penalty ``c / 2 * sum(W ** 2)``.
    shuffle_seed : int
        Seed of the generator that shuffles training batches.
    predict_batch_size : int
        Rows per forward pass at prediction and validation time.
    """

    def __init__(
        self, *args, weight_decay=0.0, shuffle_seed=0, predict_batch_size=8192, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.weight_decay = weight_decay
        self.shuffle_seed = shuffle_seed
        self.predict_batch_size = predict_batch_size

    def initialize(self):
        super().initialize()
        self.shuffle_generator_ = torch.Generator().manual_seed(self.shuffle_seed)
        return self

    def _set_training(self, training=True):
        # skorch sets the mode before every batch, and module.train() walks every
        # submodule: measured 76 us a step, a tenth of a small network's step. Switch
        # only when some module is in the other mode.
        components = [getattr(self, name + "_") for name in self._modules + self._criteria]
        if all(getattr(c, "training", training) == training for c in components):
            return
        super()._set_training(training)

    def infer(self, x, **fit_params):
        # Batches from TensorBatches are tensors already on the device: skip skorch's
        # conversion and dispatch on the input's type, paid on every batch.
        if isinstance(x, torch.Tensor) and not fit_params:
            return self.module_(x)
        return super().infer(x, **fit_params)

    def get_dataset(self, X, y=None):
        if isinstance(X, ArrayData):
            return X
        dtype = next(self.module_.parameters()).dtype
        return ArrayData(np.asarray(X), dtype=dtype).to(self.device)

    def get_iterator(self, dataset, training=False):
        if training:
            return TensorBatches(
                dataset,
                batch_size=min(self.batch_size, len(dataset)),
                shuffle=True,
                generator=self.shuffle_generator_,
            )
        return TensorBatches(dataset, batch_size=self.predict_batch_size)

    def get_loss(self, y_pred, y_true, X=None, training=False):
        y, weight, mean_weight = y_true
        nll = self.criterion_(y_pred, y)
        if weight is None:
            loss = nll.mean()
        else:
            # Dividing by the batch size times the data's mean weight (not by the batch's
            # own weight sum) keeps mini-batch losses unbiased, and makes a full batch
            # exactly sum(w * nll) / sum(w).
            loss = (weight * nll).sum() / (len(nll) * mean_weight)
        if training and self.weight_decay:
            penalty = sum(w.pow(2).sum() for w in self.module_.weight_matrices())
            loss = loss + 0.5 * self.weight_decay * penalty
        return loss
