"""How many intra-op threads torch uses while skprob trains and predicts.

torch's intra-op thread count is process-wide and defaults to the number of cores. On a
machine where another process holds a core, a second thread that waits for it at the end
of every operator turns each operator into a scheduler wait: the cost is per operator, so
it falls hardest on training, which runs a hundred small operators a step
(``benchmarks/bench_threads.py``, ``benchmarks/bench_speed.py --load``). skprob therefore
sets the count for the duration of each ``fit`` and ``predict*`` call and restores it
afterwards.
"""

from contextlib import contextmanager

import torch

__all__ = ["resolve_n_threads", "torch_threads"]

#: Prediction: multiply-adds of one batch's forward pass (all members) from which it uses
#: the threads torch has. Prediction runs few, large operators (batches of 8192 rows):
#: predict_dist on 100,000 rows through 100 units (17M a batch) took 55 ms on one thread
#: and 26 ms on two on an idle 2-core machine; with two busy processes beside it, 106 to
#: 140 ms on one and 160 to 468 ms on two, a cost of a few hundred milliseconds a call.
#: Training always takes one thread unless told otherwise: with two busy processes, the
#: default ensemble's 100 steps took 3.8 to 27 times as long on two threads as on one at
#: 9M to 147M multiply-adds a batch, where two threads saved 28 to 42% on an idle machine
#: (``benchmarks/bench_threads.py``).
PARALLEL_MIN_MACS = 2**23


def resolve_n_threads(n_threads, macs_per_batch, training=False):
    """The intra-op thread count for a fit or a prediction.

    Parameters
    ----------
    n_threads : int or None
        An explicit count is used as given. ``None`` chooses one thread for training, and
        for a prediction whose batches are too small for more to pay
        (:data:`PARALLEL_MIN_MACS`); a larger prediction takes the count torch has now,
        which already follows ``OMP_NUM_THREADS``, ``torch.set_num_threads``,
        ``threadpoolctl.threadpool_limits`` and joblib's limit inside its workers.
    macs_per_batch : int
        Multiply-adds of one forward pass over a batch.
    training : bool, default=False
        Whether the count is for training.
    """
    if n_threads is not None:
        return int(n_threads)
    if training or macs_per_batch < PARALLEL_MIN_MACS:
        return 1
    return torch.get_num_threads()


@contextmanager
def torch_threads(n_threads):
    """Run the block with ``n_threads`` intra-op threads, then restore the count.

    The count is set even when torch already reports it. torch reports OpenMP's count,
    which ``threadpoolctl.threadpool_limits`` lowers without telling the MKL inside torch:
    within ``threadpool_limits(1)`` torch said 1 while MKL's matrix products ran on every
    core, and a fit beside two busy processes took 2.5 times as long (the median of
    ``benchmarks/bench_threadpool_limits.py``; one process 50 times).
    ``torch.set_num_threads`` sets both. Leaving, the count torch reported is set again,
    so MKL then follows the limit the caller had.
    """
    before = torch.get_num_threads()
    torch.set_num_threads(n_threads)
    try:
        yield
    finally:
        torch.set_num_threads(before)
