"""What ``verbose`` prints: plain lines on the epochs, and a progress bar per batch."""

import sys
import time

from skorch.callbacks import Callback

__all__ = ["EPOCH_LOG_INTERVAL", "BatchProgress", "EpochLog"]

#: ``verbose=1`` prints an epoch's line at most this many seconds after the last one
#: (and always the first and the budget's last): a long fit reports every few seconds
#: instead of flooding a log with hundreds of lines. ``verbose=2`` prints every epoch.
EPOCH_LOG_INTERVAL = 2.0


class EpochLog(Callback):
    """After an epoch, one line of plain text (no colour codes, fit for log files).

    ``epoch 12/300  train 1.2345  valid 1.3012  best 1.2990  patience 7/10  0.04 s
    elapsed 0.5 s  budget left <= 11.5 s``: the epoch out of ``max_epochs``, the
    members' mean losses, the best validation loss so far, the epochs of patience left
    before early stopping (or the next lower learning rate), the epoch's time, the time
    since training began, and the most the rest of the budget can take at the mean
    epoch time so far (early stopping usually ends training sooner).

    Parameters
    ----------
    sink : callable, default=print
    interval : float or None, default=None
        Seconds between lines; None reads :data:`EPOCH_LOG_INTERVAL` for ``verbose=1``
        and prints every epoch for ``verbose >= 2``.
    """

    def __init__(self, sink=print, interval=None):
        self.sink = sink
        self.interval = interval

    def on_train_begin(self, net, **kwargs):
        self.started_ = time.perf_counter()
        self.epochs_before_ = len(net.history)
        self.last_line_ = None

    def on_epoch_end(self, net, **kwargs):
        now = time.perf_counter()
        # Epochs of this fit (a warm start or partial_fit continues the history).
        epoch = len(net.history) - self.epochs_before_
        interval = self.interval
        if interval is None:
            interval = EPOCH_LOG_INTERVAL if net.verbose < 2 else 0.0
        due = (
            self.last_line_ is None
            or now - self.last_line_ >= interval
            or epoch >= net.max_epochs
        )
        if not due:
            return
        self.last_line_ = now
        self.sink(self._line(net, epoch, now))

    def _line(self, net, epoch, now):
        row = net.history[-1]
        parts = [f"epoch {epoch}/{net.max_epochs}", f"train {row['train_loss']:.4f}"]
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
            patience = stopper._current_patience()
            parts.append(f"best {best:.4f}")
            parts.append(f"patience {patience - wait}/{patience}")
        if "dur" in row:
            parts.append(f"{row['dur']:.2f} s")
        elapsed = now - self.started_
        parts.append(f"elapsed {elapsed:.1f} s")
        if net.max_epochs > epoch:
            left = elapsed / epoch * (net.max_epochs - epoch)
            parts.append(f"budget left <= {left:.1f} s")
        return "  ".join(parts)


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
