"""The skorch net that trains a family's NLL: thin overrides of skorch's pluggable parts."""

import numpy as np
import torch
from skorch import NeuralNet
from skorch.callbacks import EpochTimer
from torch import nn

from ..exceptions import TrainingDivergedError
from .constants import constant
from .data import ArrayData, TensorBatches
from .flat_params import FlatParameters
from .progress import BatchProgress, EpochLog

__all__ = ["DistributionNet", "FamilyNLL"]


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


class DistributionNet(NeuralNet):
    """A skorch ``NeuralNet`` that trains the members of an ensemble side by side.

    - data are :class:`~skprob._training.data.ArrayData`; batches are sliced from
      tensors (:class:`~skprob._training.data.TensorBatches`), each member's rows
      shuffled by a dedicated generator;
    - the module maps a batch to raw outputs ``(n_members, rows, n_raw)``; the loss is the
      sum over members of each member's mean NLL (weighted by the sample weights), so
      that every member follows its own gradient, as if trained alone;
    - Adam and SGD train with the backward pass written out (``train_step``: the
      module's and the family's closed-form gradients, no autograd graph) and update all
      parameters, moved into one flat tensor, in one fused kernel
      (:mod:`skprob._training.flat_params`); L-BFGS keeps skorch's autograd step;
    - weight decay is an L2 penalty on the weight matrices (not the biases, nor the
      shared parameters): its gradient is added to the weights' gradient for Adam and
      SGD, as their own ``weight_decay`` option does, and the penalty is added to the
      loss for L-BFGS (which takes no ``weight_decay``);
    - each epoch records every member's mean loss (``train_member_losses``,
      ``valid_member_losses``) and their mean (``train_loss``, ``valid_loss``), and stops
      with :class:`~skprob.TrainingDivergedError` when one is not finite.

    Parameters
    ----------
    weight_decay : float
        Coefficient ``c`` of the penalty ``c / 2 * sum(W ** 2)``.
    shuffle_seed : int
        Seed of the generator that shuffles training batches.
    predict_batch_size : int
        Rows per forward pass at prediction and validation time.
    n_members : int
        Ensemble members in the module.
    """

    def __init__(
        self,
        *args,
        weight_decay=0.0,
        shuffle_seed=0,
        predict_batch_size=8192,
        n_members=1,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.weight_decay = weight_decay
        self.shuffle_seed = shuffle_seed
        self.predict_batch_size = predict_batch_size
        self.n_members = n_members

    def get_default_callbacks(self):
        # The losses are recorded per epoch by run_single_epoch, not averaged from
        # per-batch records (skorch's PassthroughScoring): no per-batch bookkeeping.
        return [("epoch_timer", EpochTimer()), ("print_log", EpochLog())]

    def initialize(self):
        self._training_mode = None
        super().initialize()
        self.shuffle_generator_ = torch.Generator().manual_seed(self.shuffle_seed)
        return self

    def initialize_optimizer(self, triggered_directly=None):
        _, kwargs = self.get_params_for_optimizer(
            "optimizer", self.get_all_learnable_params()
        )
        if not self._closed_form_step():
            self.flat_params_ = None
            self.optimizer_ = self.optimizer(self.module_.parameters(), **kwargs)
            return self
        # Adam and SGD update all parameters, moved into one flat tensor, in one fused
        # kernel. The weight matrices come first, so that weight decay (added to their
        # gradient by train_step, as Adam's and SGD's own L2 option would) is one
        # operator on a slice.
        self.initialize_flat_params()
        self.optimizer_ = self.optimizer([self.flat_params_.flat], fused=True, **kwargs)
        return self

    def initialize_flat_params(self):
        decayed = self.module_.weight_matrices()
        ids = {id(w) for w in decayed}
        others = [p for p in self.module_.parameters() if id(p) not in ids and p.numel()]
        self.flat_params_ = FlatParameters(decayed + others)
        self.n_decayed_ = sum(w.numel() for w in decayed)

    def __getstate__(self):
        flat = self.__dict__.get("flat_params_")
        if flat is None:
            return super().__getstate__()
        with flat.standalone():
            state = super().__getstate__()
        # Rebuilt on loading: the flat buffer from the module's parameters, and `module`
        # (the instance module_ was made from, the same object) from module_.
        state["flat_params_"] = "rebuild"
        state["module"] = None
        return state

    def __setstate__(self, state):
        rebuild = state.get("flat_params_") == "rebuild"
        super().__setstate__(state)
        if rebuild:
            self.module = self.module_
            old = self.optimizer_.param_groups[0]["params"][0]
            self.initialize_flat_params()
            new = self.flat_params_.flat
            self.optimizer_.param_groups[0]["params"] = [new]
            if old in self.optimizer_.state:
                self.optimizer_.state[new] = self.optimizer_.state.pop(old)

    def _closed_form_step(self):
        # L-BFGS evaluates a closure several times a step and takes no weight decay:
        # skorch's own step, with autograd and the penalty in the loss.
        return self.optimizer is not torch.optim.LBFGS

    def member_penalties(self):
        """Each member's weight-decay penalty ``c / 2 * sum(W ** 2)``."""
        if not self.weight_decay:
            return 0.0
        squares = sum(w.pow(2).sum(dim=(1, 2)) for w in self.module_.weight_matrices())
        return 0.5 * self.weight_decay * squares

    def _set_training(self, training=True):
        # skorch sets the mode before every batch, and module.train() walks every
        # submodule: measured 76 us a step, a tenth of a small network's step. Switch
        # only when the mode changes.
        if getattr(self, "_training_mode", None) == training:
            return
        super()._set_training(training)
        self._training_mode = training

    def train_step(self, batch, **fit_params):
        if not self._closed_form_step():
            # L-BFGS evaluates a closure several times a step: skorch's own path, with
            # autograd (train_step_single).
            return super().train_step(batch, **fit_params)
        # One gradient step with the backward pass written out (the module's and the
        # family's closed forms; no autograd graph) and one fused optimizer kernel,
        # without skorch's per-step notification of the gradients (no callback here
        # reads them). Measured in benchmarks/README.md ("The training step").
        self._set_training(True)
        X, y_true = batch
        with torch.no_grad():
            raw, saved = self.module_.forward_saving(X, mapped=self.inputs_mapped())
            n_members, n_rows, n_raw = raw.shape
            y, row_weights = self._member_targets(y_true, X, n_members, n_rows)
            nll, grad_raw = self.criterion_.family.nll_and_grad(raw.reshape(-1, n_raw), y)
            nll = nll.reshape(n_members, n_rows)
            # The constant of the target scaling joins each row, as in member_losses.
            # Numbers enter as 0-dim tensors of the batch's dtype
            # (skprob._training.constants).
            log_target_scale = constant(
                self.criterion_.log_target_scale, nll.dtype, nll.device
            )
            if isinstance(row_weights, torch.Tensor):
                losses = ((nll + log_target_scale) * row_weights).sum(dim=1)
                row_weights = row_weights[..., None]
            else:  # 1 / n_rows: each member's mean, as torch's mean computes it
                n = constant(n_rows, nll.dtype, nll.device)
                losses = torch.sum(nll, dim=1).div_(n).add_(log_target_scale)
                row_weights = constant(row_weights, nll.dtype, nll.device)
            self.module_.backward(saved, grad_raw.reshape(raw.shape).mul_(row_weights))
            if self.weight_decay:
                flat = self.flat_params_.flat
                decayed = slice(0, self.n_decayed_)
                flat.grad[decayed].add_(flat[decayed], alpha=self.weight_decay)
        direct_step = getattr(self.optimizer_, "direct_step", None)
        if direct_step is None or not direct_step():
            self.optimizer_.step()
        return {"y_pred": raw, "member_losses": losses}

    def infer(self, x, **fit_params):
        # Batches from TensorBatches are tensors already on the device: skip skorch's
        # conversion and dispatch on the input's type, paid on every batch.
        if isinstance(x, torch.Tensor) and not fit_params:
            return self.module_(x, mapped=self.inputs_mapped())
        return super().infer(x, **fit_params)

    def inputs_mapped(self):
        """Whether the rows the net trains and validates on went through the module's
        fixed map already (``mapped_inputs_``, set by ``fit_network`` for a fit)."""
        return getattr(self, "mapped_inputs_", False)

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
                n_members=self.n_members,
            )
        return TensorBatches(dataset, batch_size=self.predict_batch_size)

    # -- the loss -----------------------------------------------------------------------

    def member_losses(self, raw, y_true, X, training=False):
        """Each member's weighted mean NLL of the batch (plus its penalty when training).

        ``X`` of shape ``(rows, n_features)`` holds rows shared by every member;
        ``(n_members, rows, n_features)``, each member's own.
        """
        n_members, n_rows, n_raw = raw.shape
        y, row_weights = self._member_targets(y_true, X, n_members, n_rows)
        nll = self.criterion_(raw.reshape(-1, n_raw), y).reshape(n_members, n_rows)
        losses = (row_weights * nll).sum(dim=1)
        if training and not self._closed_form_step():
            losses = losses + self.member_penalties()
        return losses

    @staticmethod
    def _member_targets(y_true, X, n_members, n_rows):
        """Targets flattened over members, and each row's weight in its member's loss.

        A member's loss is ``sum(row_weights * nll)`` over its rows: the mean NLL, or
        with sample weights ``w``, ``w / (n_rows * mean_weight)``. Dividing by the batch
        size times the data's mean weight (not by the batch's own weight sum) keeps
        mini-batch losses unbiased, and makes a full batch exactly
        ``sum(w * nll) / sum(w)``.
        """
        y, weight, mean_weight = y_true
        if X.dim() == 2:
            # Rows shared by every member: a view per member, no copy.
            y = y.expand(n_members, *y.shape)
            weight = None if weight is None else weight.expand(n_members, -1)
        y = y.reshape(n_members * n_rows, *y.shape[2:])
        if weight is None:
            return y, 1.0 / n_rows
        if isinstance(mean_weight, torch.Tensor):
            mean_weight = mean_weight[:, None]
        return y, weight / (n_rows * mean_weight)

    def get_loss(self, y_pred, y_true, X=None, training=False):
        return self.member_losses(y_pred, y_true, X, training=training).sum()

    def train_step_single(self, batch, **fit_params):
        self._set_training(True)
        X, y_true = batch
        raw = self.infer(X, **fit_params)
        losses = self.member_losses(raw, y_true, X, training=True)
        loss = losses.sum()
        loss.backward()
        return {"loss": loss, "y_pred": raw, "member_losses": losses.detach()}

    def validation_step(self, batch, **fit_params):
        self._set_training(False)
        X, y_true = batch
        with torch.no_grad():
            raw = self.infer(X, **fit_params)
            losses = self.member_losses(raw, y_true, X)
            statistics = self._member_calibration_statistics(raw, y_true, X)
        step = {"loss": losses.sum(), "y_pred": raw, "member_losses": losses}
        if statistics is not None:
            step["member_statistics"] = statistics
        return step

    def _member_calibration_statistics(self, raw, y_true, X):
        """Each member's weighted mean of the family's calibration statistics over the
        batch, ``(n_members, k)``, or None where the family calibrates nothing."""
        family = self.criterion_.family
        n_members, n_rows, n_raw = raw.shape
        y, row_weights = self._member_targets(y_true, X, n_members, n_rows)
        statistics = family.calibration_statistics(raw.reshape(-1, n_raw), y)
        if statistics is None:
            return None
        statistics = statistics.reshape(n_members, n_rows, -1)
        if isinstance(row_weights, torch.Tensor):
            return (statistics * row_weights[..., None]).sum(dim=1)
        return statistics.sum(dim=1) * row_weights

    def run_single_epoch(self, iterator, training, prefix, step_fn, **fit_params):
        if iterator is None:
            return
        batch_losses, batch_rows, batch_statistics = [], [], []
        progress = None
        if self.verbose >= 2:
            progress = BatchProgress(len(iterator), prefix)
        for batch in iterator:
            step = step_fn(batch, **fit_params)
            batch_losses.append(step["member_losses"])
            batch_rows.append(batch[0].shape[-2])
            if "member_statistics" in step:
                batch_statistics.append(step["member_statistics"])
            if progress is not None:
                progress.update(len(batch_rows))
        # The epoch's loss: the batches' losses weighted by their rows (one product for
        # the epoch, not two operators a step).
        batch_rows = torch.as_tensor(batch_rows, dtype=batch_losses[0].dtype)
        member_losses = batch_rows.to(batch_losses[0].device) @ torch.stack(batch_losses)
        member_losses = member_losses / batch_rows.sum()
        if batch_statistics:
            # The validation NLL after each member's best calibration on these rows
            # (the family's, e.g. the Normal's variance power and factor): what the
            # model predicts with if this epoch stays its best.
            rows = batch_rows.to(member_losses.device)
            statistics = torch.einsum("b,bmk->mk", rows, torch.stack(batch_statistics))
            n_rows = rows.sum()
            nll, self.epoch_calibration_ = self.criterion_.family.calibrated_nll(
                statistics / n_rows, float(n_rows)
            )
            log_target_scale = constant(
                self.criterion_.log_target_scale, nll.dtype, nll.device
            )
            member_losses = nll + log_target_scale
        if training and self._closed_form_step():
            # The objective of the epoch, as L-BFGS's loss includes it (the penalty at
            # the epoch's end weights).
            with torch.no_grad():
                member_losses = member_losses + self.member_penalties()
        member_losses = member_losses.cpu().numpy().astype(float)
        if not np.isfinite(member_losses).all():
            where = "training" if training else "validation"
            raise TrainingDivergedError(
                f"Training diverged: the {where} loss became "
                f"{member_losses[~np.isfinite(member_losses)][0]} in epoch "
                f"{len(self.history)}. Lower the learning rate (it is {self.lr:g}), "
                "standardise the features (e.g. with StandardScaler), or check the "
                "data for extreme values."
            )
        self.history.record(prefix + "_member_losses", member_losses)
        self.history.record(prefix + "_loss", float(member_losses.mean()))

    # -- prediction ---------------------------------------------------------------------

    def predict_raw(self, X):
        """Raw outputs ``(n_members, n_rows, n_raw)`` for ``X``, on the CPU."""
        self._set_training(False)
        dataset = self.get_dataset(X)
        with torch.no_grad():
            outputs = [
                self.module_(batch[0].to(self.device)).cpu()
                for batch in self.get_iterator(dataset, training=False)
            ]
        return torch.cat(outputs, dim=1)
