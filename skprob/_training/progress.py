"""What ``verbose`` prints: one plain line per epoch, and a progress bar per batch."""

import sys

from skorch.callbacks import Callback

__all__ = ["BatchProgress", "EpochLog"]


class EpochLog(Callback):
    """After each epoch, one line of plain text (no colour codes, fit for log files).

    ``epoch 12/300  train 1.2345  valid 1.3012  best 1.2990  patience 7/10  0.04 s``:
    the epoch out of ``max_epochs``, the members' mean losses, the best validation
    loss so far, the epochs of patience left before early stopping, and the time.
    """

    def __init__(self, sink=print):
        self.sink = sink

    def on_epoch_end(self, net, **kwargs):
        row = net.history[-1]
        parts = [
            f"epoch {len(net.history)}/{net.max_epochs}",
            f"train {row['train_loss']:.4f}",
        ]
        if "valid_loss" in row:
            parts.append(f"valid {row['valid_loss']:.4f}")
        stopper = dict(net.callbacks_).get("early_stopping")
        if stopper is not None:
            # This line comes before the stopper sees the epoch (it may end training
            # there): its rule, applied to this epoch's mean loss.
            mean = row[f"{stopper.monitor}_loss"]
            improved = mean < stopper.best_mean_ - stopper.threshold
            best = mean if improved else stopper.best_mean_
            wait = 0 if improved else stopper.wait_ + 1
            parts.append(f"best {best:.4f}")
            parts.append(f"patience {stopper.patience - wait}/{stopper.patience}")
        if "dur" in row:
            parts.append(f"{row['dur']:.2f} s")
        self.sink("  ".join(parts))


class BatchProgress:
    """A progress bar over an epoch's batches (``verbose=2``), on standard error.

    On a terminal the bar redraws in place; elsewhere (a log file, a notebook's
    captured output) it writes a plain line at every tenth of the epoch instead.
    """

    WIDTH = 30

    def __init__(self, n_batches, label, stream=None):
        self.n_batches = max(int(n_batches), 1)
        self.label = label
        self.stream = sys.stderr if stream is None else stream
        self.interactive = getattr(self.stream, "isatty", lambda: False)()
        self._last_tenth = -1

    def update(self, done):
        if self.interactive:
            filled = self.WIDTH * done // self.n_batches
            bar = "#" * filled + "." * (self.WIDTH - filled)
            end = "\n" if done >= self.n_batches else ""
            self.stream.write(f"\r  {self.label} [{bar}] {done}/{self.n_batches}{end}")
        else:
            tenth = 10 * done // self.n_batches
            if tenth == self._last_tenth:
                return
            self._last_tenth = tenth
            self.stream.write(f"  {self.label} batch {done}/{self.n_batches}\n")
        self.stream.flush()
