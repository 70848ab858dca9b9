"""Subnormal numbers flushed to zero while skprob computes, as the thread count is held.

Over a long fit, weight decay and Adam's decaying moments leave many float32 weights and
moment estimates in the subnormal range (below 1.2e-38 in magnitude), which x86 CPUs
handle in slow microcode: on 250,000 x 20 rows an epoch's time climbed from 1.2 s to
6.0 s as training went on, and flushing subnormals to zero by hand kept it at 1.2 s with
the same model (``benchmarks/bench_long_fit.py``). Numbers that small change no
prediction: a weight of 1e-38 against the others' order of 0.1.

``torch.set_flush_denormal`` sets the calling thread's floating-point control (flush to
zero and denormals are zero, on CPUs with SSE3), the thread that runs a fit's operators
(training takes one thread, ``threads.py``). torch offers no getter, so the caller's
setting is read by a probe: a product whose exact result is subnormal comes out zero
only while flushing is on. It is set again on leaving: a user's own setting stays theirs.
"""

from contextlib import contextmanager

import torch

__all__ = ["flush_denormals", "flushing_denormals"]

# 1e-30 * 1e-10 = 1e-40: subnormal in float32, where each factor is a normal number.
_PROBE_FACTORS = torch.tensor([1e-30, 1e-10], dtype=torch.float32)


def flushing_denormals():
    """Whether the calling thread flushes subnormal float32 results to zero now.

    Examples
    --------
    >>> before = flushing_denormals()
    >>> with flush_denormals():
    ...     inside = flushing_denormals()
    >>> inside, flushing_denormals() == before  # on x86 CPUs with SSE3, as this one
    (True, True)
    """
    return bool(_PROBE_FACTORS.prod() == 0)


@contextmanager
def flush_denormals():
    """Flush subnormal numbers to zero in the block, then restore the caller's setting.

    On a CPU without the control (``torch.set_flush_denormal`` returns False) the block
    runs as it is.
    """
    before = flushing_denormals()
    supported = torch.set_flush_denormal(True)
    try:
        yield
    finally:
        if supported:
            torch.set_flush_denormal(before)
