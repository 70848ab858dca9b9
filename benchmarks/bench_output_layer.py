"""What the output layer's transposed product saves a training epoch.

    python benchmarks/bench_output_layer.py [--repeats 7] [--epochs 20]

A layer with fewer than ``NARROW_OUTPUTS`` outputs (the output layer: a family's few
raw parameters) computes ``(W^T X^T)^T`` and its weight gradient transposed, because
MKL's batched product is slow for a narrow result (``skprob/_training/network.py``).
Contenders, interleaved, one thread:

- "transposed": the library (``NARROW_OUTPUTS`` as it ships);
- "plain": every layer as ``X W`` (``NARROW_OUTPUTS = 0``).

Each round fits the default ``HeteroscedasticRegressor`` for ``--epochs`` epochs on the
first split of UCI power (256-row batches) and yacht (32-row batches), and the default
``CategoricalClassifier`` on digits (10 classes); medians of the CPU time an epoch (this
process's: a shared machine's waits for a core left out), and the ratio to "plain".
The first layer's inputs, the 50-unit hidden layers and everything else are the same
in both.
"""

import argparse
import time
import warnings
from pathlib import Path

import numpy as np
import torch
from _timing import interleaved_medians, print_table
from sklearn.datasets import load_digits

import skprob._training.network as network
from skprob import CategoricalClassifier, HeteroscedasticRegressor

DATA = Path(__file__).parent / "data"


def uci(name):
    data = np.load(DATA / f"{name}.npz")
    rows = data["train"][0]
    return HeteroscedasticRegressor, data["X"][rows].astype(float), data["y"][rows]


def digits():
    X, y = load_digits(return_X_y=True)
    return CategoricalClassifier, X, y


def fit_epochs(estimator, X, y, epochs, narrow_outputs):
    def fit():
        network.NARROW_OUTPUTS = narrow_outputs
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                estimator(max_epochs=epochs, n_iter_no_change=10**6, random_state=0).fit(
                    X, y
                )
        finally:
            network.NARROW_OUTPUTS = shipped

    shipped = network.NARROW_OUTPUTS
    return fit


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--epochs", type=int, default=20)
    args = parser.parse_args()
    torch.set_num_threads(1)
    print(
        f"torch {torch.__version__}, 1 thread; NARROW_OUTPUTS = "
        f"{network.NARROW_OUTPUTS}; milliseconds an epoch"
    )
    for name, load in (
        ("power", lambda: uci("power")),
        ("yacht", lambda: uci("yacht")),
        ("digits", digits),
    ):
        estimator, X, y = load()
        calls = {
            "transposed": fit_epochs(estimator, X, y, args.epochs, network.NARROW_OUTPUTS),
            "plain": fit_epochs(estimator, X, y, args.epochs, 0),
        }
        start = time.perf_counter()
        for call in calls.values():  # warm up: the first fit of a process pays imports
            call()
        medians = interleaved_medians(calls, args.repeats, clock=time.process_time)
        per_epoch = {key: seconds / args.epochs * 1e3 for key, seconds in medians.items()}
        print_table(
            f"{name}: {args.epochs} epochs of the default fit; ms an epoch",
            per_epoch,
            "plain",
            args.repeats,
            unit="ms",
        )
        print(f"({time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()
