"""Early stopping for the members of an ensemble, each judged on its own losses."""

import math

import numpy as np
import torch
from skorch.callbacks import Callback

__all__ = ["MemberEarlyStopping"]


def _epochs(count):
    return f"{count} epoch" if count == 1 else f"{count} epochs"


class MemberEarlyStopping(Callback):
    """Stop when the members' mean loss has not improved for ``patience`` epochs.

    Training stops on the mean of the members' monitored losses (waiting for the last
    member to stop instead made a 5-member ensemble train twice as many epochs as one
    network on the UCI power data, for no better NLL). Each member keeps its own best
    epoch: with ``load_best`` every member ends with the weights of the epoch where its
    own loss was lowest (the member's slice of every parameter). For a single network
    this is ordinary early stopping.

    With ``lr_decays``, the first plateau does not stop training: each member goes back
    to its best weights, the learning rate is multiplied by ``decay_factor``, and training
    goes on; after ``lr_decays`` such steps the next plateau stops it. Each plateau after
    the first waits ``ceil(decayed_patience * patience)`` epochs. The smaller steps settle
    the weights into the minimum that the large ones kept jumping around
    (``benchmarks/README.md``: 20 UCI splits, energy's NLL 0.661 -> 0.613, yacht's
    -0.266 -> -0.308). The optimizer's learning rate is set back when training ends, so
    that the next fit (``warm_start``, ``partial_fit``) starts from the net's own.

    Parameters
    ----------
    monitor : {"train", "valid"}
        Which per-member losses (``<monitor>_member_losses`` in the history) to watch.
    patience : int
        Epochs without an improvement of more than ``threshold`` before a member is done.
    threshold : float
        Smallest decrease that counts, in the loss's units (absolute: the NLL can be
        negative, where a relative threshold would flip its meaning).
    load_best : bool
        Restore each member's best weights when training ends.
    min_epochs : int, default=0
        No stop before this many epochs, however flat the start.
    sink : callable, default=None
        Where the stopping message goes (``print`` when verbose).
    lr_decays : int, default=0
        Plateaus that lower the learning rate before one stops training.
    decay_factor : float, default=0.3
        What each of them multiplies the learning rate by.
    decayed_patience : float, default=0.25
        Patience after the first plateau, as a fraction of ``patience``.
    """

    def __init__(
        self,
        monitor,
        patience,
        threshold,
        load_best,
        min_epochs=0,
        sink=None,
        lr_decays=0,
        decay_factor=0.3,
        decayed_patience=0.25,
    ):
        self.monitor = monitor
        self.patience = patience
        self.threshold = threshold
        self.load_best = load_best
        self.min_epochs = min_epochs
        self.sink = sink
        self.lr_decays = lr_decays
        self.decay_factor = decay_factor
        self.decayed_patience = decayed_patience

    def on_train_begin(self, net, **kwargs):
        self.best_losses_ = None
        self.best_epochs_ = None
        self.best_mean_ = np.inf
        self.wait_ = 0
        self.best_state_ = None
        self.best_calibration_ = None
        self.decays_ = 0
        # A family's calibration on the validation rows (DistributionNet's
        # ``epoch_calibration_``) belongs to the weights it was fitted for: a new run
        # starts without one, and each member keeps the one of its best epoch.
        net.calibration_ = net.epoch_calibration_ = None

    def on_epoch_end(self, net, **kwargs):
        # The step size this epoch trained with, for the history (and the tests).
        net.history.record("lr", float(net.optimizer_.param_groups[0]["lr"]))
        losses = np.asarray(net.history[-1, f"{self.monitor}_member_losses"])
        epoch = len(net.history)
        if self.best_losses_ is None:
            improved = np.ones(len(losses), dtype=bool)
            self.best_losses_ = losses.copy()
            self.best_epochs_ = np.full(len(losses), epoch)
        else:
            improved = losses < self.best_losses_
            self.best_losses_ = np.where(improved, losses, self.best_losses_)
            self.best_epochs_ = np.where(improved, epoch, self.best_epochs_)
        if self.load_best and improved.any():
            self._save(net, improved)
        mean = float(losses.mean())
        if mean < self.best_mean_ - self.threshold:
            self.best_mean_, self.wait_ = mean, 0
        else:
            self.wait_ += 1
        if epoch < self.min_epochs or self.wait_ < self._current_patience():
            return
        if self.decays_ < self.lr_decays:
            self._decay(net, epoch)
            return
        if self.sink is not None:
            self.sink(
                f"Stopping: the {self.monitor} loss has not improved by more than "
                f"{self.threshold} in the last {_epochs(self.wait_)}; best epochs "
                f"{self.best_epochs_.tolist()}."
            )
        # skorch's way to end the fit loop cleanly (partial_fit catches it).
        raise KeyboardInterrupt

    def _current_patience(self):
        if self.decays_ == 0:
            return self.patience
        return max(1, math.ceil(self.decayed_patience * self.patience))

    def _decay(self, net, epoch):
        """Back to each member's best weights, on with a smaller learning rate."""
        if self.load_best and self.best_state_ is not None:
            self._restore(net)
        for group in net.optimizer_.param_groups:
            group["lr"] = group["lr"] * self.decay_factor
        if self.sink is not None:
            self.sink(
                f"Epoch {epoch}: the {self.monitor} loss has not improved for "
                f"{_epochs(self.wait_)}; back to the best weights, learning rate "
                f"{net.optimizer_.param_groups[0]['lr']:.3g}."
            )
        self.decays_ += 1
        self.wait_ = 0

    def _restore(self, net):
        with torch.no_grad():
            for name, p in net.module_.named_parameters():
                p.copy_(self.best_state_[name])
        if self.best_calibration_ is not None:
            net.calibration_ = self.best_calibration_.clone()

    def _save(self, net, improved):
        mask = torch.as_tensor(improved, device=next(net.module_.parameters()).device)
        params = dict(net.module_.named_parameters())
        calibration = getattr(net, "epoch_calibration_", None)
        if self.best_state_ is None:
            self.best_state_ = {name: p.detach().clone() for name, p in params.items()}
            if calibration is not None:
                self.best_calibration_ = calibration.clone()
            return
        for name, p in params.items():
            self.best_state_[name][mask] = p.detach()[mask]
        if calibration is not None:
            self.best_calibration_[mask] = calibration[mask]

    def on_train_end(self, net, **kwargs):
        if self.load_best and self.best_state_ is not None:
            self._restore(net)
        if self.decays_:
            for group in net.optimizer_.param_groups:
                group["lr"] = net.lr
        # The copy has served: a fitted model carries one set of weights.
        self.best_state_ = None
