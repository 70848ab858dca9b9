"""Early stopping for the members of an ensemble, each judged on its own losses."""

import numpy as np
import torch
from skorch.callbacks import Callback

__all__ = ["MemberEarlyStopping"]


class MemberEarlyStopping(Callback):
    """Stop when the members' mean loss has not improved for ``patience`` epochs.

    Training stops on the mean of the members' monitored losses (waiting for the last
    member to stop instead made a 5-member ensemble train twice as many epochs as one
    network on the UCI power data, for no better NLL). Each member keeps its own best
    epoch: with ``load_best`` every member ends with the weights of the epoch where its
    own loss was lowest (the member's slice of every parameter). For a single network
    this is ordinary early stopping.

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
    """

    def __init__(self, monitor, patience, threshold, load_best, min_epochs=0, sink=None):
        self.monitor = monitor
        self.patience = patience
        self.threshold = threshold
        self.load_best = load_best
        self.min_epochs = min_epochs
        self.sink = sink

    def on_train_begin(self, net, **kwargs):
        self.best_losses_ = None
        self.best_epochs_ = None
        self.best_mean_ = np.inf
        self.wait_ = 0
        self.best_state_ = None

    def on_epoch_end(self, net, **kwargs):
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
        if epoch >= self.min_epochs and self.wait_ >= self.patience:
            if self.sink is not None:
                self.sink(
                    f"Stopping: the {self.monitor} loss has not improved by more than "
                    f"{self.threshold} in the last {self.patience} epochs; best epochs "
                    f"{self.best_epochs_.tolist()}."
                )
            # skorch's way to end the fit loop cleanly (partial_fit catches it).
            raise KeyboardInterrupt

    def _save(self, net, improved):
        mask = torch.as_tensor(improved, device=next(net.module_.parameters()).device)
        params = dict(net.module_.named_parameters())
        if self.best_state_ is None:
            self.best_state_ = {name: p.detach().clone() for name, p in params.items()}
            return
        for name, p in params.items():
            self.best_state_[name][mask] = p.detach()[mask]

    def on_train_end(self, net, **kwargs):
        if self.load_best and self.best_state_ is not None:
            with torch.no_grad():
                for name, p in net.module_.named_parameters():
                    p.copy_(self.best_state_[name])
        # The copy has served: a fitted model carries one set of weights.
        self.best_state_ = None
