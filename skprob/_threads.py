"""How many intra-op threads torch uses while skprob trains and predicts.

torch's intra-op thread count is process-wide and defaults to the number of cores. For the
small networks and batches of tabular data, a second thread costs more in hand-offs than
it saves, and on a machine where another process holds a core, threads that wait for it
turn every operator into a wait (measured 20x slower fits; ``benchmarks/bench_speed.py
--load``). skprob therefore sets the count for the duration of each ``fit`` and
``predict*`` call and restores it afterwards.
"""

from contextlib import contextmanager

import torch

__all__ = ["resolve_n_threads", "torch_threads"]

#: Multiply-adds of one batch's forward pass (all members) from which a second thread
#: paid on an idle 2-core machine. Training: 1.3x at 11M (batch 1000 x 512 units), 2x at
#: 18M (batch 8192 x 100 units), nothing at 2.2M (batch 200, or batch 1000 x 100
#: units). Prediction (batches of 8192 rows): predict_dist on 100,000 rows through 100
#: units (17M a batch) took 33 ms on one thread and 13 ms on two; under load the two
#: counts took the same time there, while small training steps were 3x slower on two.
PARALLEL_MIN_MACS = 2**23


def resolve_n_threads(n_threads, macs_per_batch):
    """The intra-op thread count for a fit or a prediction.

    Parameters
    ----------
    n_threads : int or None
        An explicit count is used as given. ``None`` chooses one thread unless a batch is
        large enough for more to pay (:data:`PARALLEL_MIN_MACS`), and then the count
        torch has now:
        that count already follows ``OMP_NUM_THREADS``, ``torch.set_num_threads``,
        ``threadpoolctl.threadpool_limits`` and joblib's limit inside its workers.
    macs_per_batch : int
        Multiply-adds of one forward pass over a batch.
    """
    if n_threads is not None:
        return int(n_threads)
    if macs_per_batch < PARALLEL_MIN_MACS:
        return 1
    return torch.get_num_threads()


@contextmanager
def torch_threads(n_threads):
    """Run the block with ``n_threads`` intra-op threads, then restore the count."""
    before = torch.get_num_threads()
    if n_threads != before:
        torch.set_num_threads(n_threads)
    try:
        yield
    finally:
        if torch.get_num_threads() != before:
            torch.set_num_threads(before)
