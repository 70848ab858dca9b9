"""Interleaved timing: every contender runs once per round, rounds repeated, medians kept.

Interleaving spreads the drift of a shared, noisy machine over all contenders alike, so
their ratios are meaningful even where absolute times are not.
"""

import multiprocessing
import time
from contextlib import contextmanager

import numpy as np


def interleaved_medians(contenders, repeats, seed=0, clock=time.perf_counter):
    """Median time of each ``name -> callable`` over ``repeats`` shuffled rounds.

    ``clock`` is wall time by default; ``time.process_time`` (the CPU time of this
    process) leaves out the waits for a core that another process holds, for contenders
    that run on one thread here.
    """
    rng = np.random.RandomState(seed)
    names = list(contenders)
    times = {name: [] for name in names}
    for _ in range(repeats):
        for name in rng.permutation(names):
            start = clock()
            contenders[name]()
            times[name].append(clock() - start)
    return {name: float(np.median(values)) for name, values in times.items()}


def print_table(title, medians, reference, repeats, unit="seconds"):
    """Print the medians (in ``unit``) and the ratio of each contender to ``reference``."""
    print(f"\n{title} (median of {repeats} interleaved runs)")
    width = max(len(name) for name in medians) + 2
    print(f"{'contender':<{width}}{unit:>10}{'ratio':>9}")
    for name, seconds in medians.items():
        ratio = seconds / medians[reference]
        print(f"{name:<{width}}{seconds:>10.3f}{ratio:>8.2f}x")


def _busy_loop():
    while True:
        pass


@contextmanager
def busy_processes(n):
    """Run the block with ``n`` processes each keeping a core busy (a loaded machine)."""
    competitors = [
        multiprocessing.Process(target=_busy_loop, daemon=True) for _ in range(n)
    ]
    for competitor in competitors:
        competitor.start()
    try:
        yield
    finally:
        for competitor in competitors:
            competitor.terminate()
