"""Long fits: do epoch times stay flat, or do subnormal numbers slow the late epochs?

    python benchmarks/bench_long_fit.py [--rows 100000] [--epochs 60] [--repeats 3]
                                         [--modes ...]

The default ``HeteroscedasticRegressor`` (five members) on the new user's data of the
long-fits issue: ``X`` standard normal (20 columns), ``y`` a smooth function of ``X``
plus noise whose scale depends on ``X``; ``max_epochs`` epochs with a patience as long
(``n_iter_no_change=max_epochs``: the validation passes run, the fit runs every epoch),
the defaults otherwise.
Each fit runs in a fresh process; every round runs each mode once, in shuffled order,
and the medians over the rounds are printed last:

- ``default``: skprob as it is (subnormals flushed to zero while it computes);
- ``by hand``: ``torch.set_flush_denormal(True)`` set by the caller around the fit;
- ``no flush``: skprob's flushing switched off, as before it had one (for context).

Printed per fit: seconds, epochs, the mean epoch time of the first ten and the last ten
epochs and their ratio, the subnormal share of the weights and Adam's first moments
after the fit, and the held-out NLL on 20,000 more rows; then each mode's time as a
ratio to ``by hand`` (medians).
"""

import argparse
import contextlib
import json
import multiprocessing
import time
import warnings

import numpy as np
import torch

MODES = ("default", "by hand", "no flush")


def make_data(n_rows, n_features=20, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(n_rows, n_features))
    mean = np.sin(X[:, 0]) + 0.5 * X[:, 1] * X[:, 2] + 0.3 * X[:, 3]
    scale = 0.2 + 0.5 / (1 + np.exp(-2 * X[:, 4]))
    return X, mean + scale * rng.normal(size=n_rows)


def subnormal_share(tensors):
    tiny = torch.finfo(torch.float32).tiny
    values = torch.cat([t.detach().reshape(-1).float() for t in tensors])
    return float(((values != 0) & (values.abs() < tiny)).float().mean())


def one_fit(mode, n_rows, epochs, queue):
    from sklearn.exceptions import ConvergenceWarning

    from skprob import HeteroscedasticRegressor
    from skprob._training import run

    warnings.simplefilter("ignore", ConvergenceWarning)
    X, y = make_data(n_rows + 20_000)
    X_train, y_train, X_test, y_test = X[:n_rows], y[:n_rows], X[n_rows:], y[n_rows:]
    model = HeteroscedasticRegressor(
        max_epochs=epochs, n_iter_no_change=epochs, random_state=0
    )
    if mode == "no flush":
        run.flush_denormals = contextlib.nullcontext
    torch.set_flush_denormal(mode == "by hand")
    start = time.perf_counter()
    model.fit(X_train, y_train)
    seconds = time.perf_counter() - start
    torch.set_flush_denormal(False)
    net = model.net_
    durations = np.asarray(net.history[:, "dur"])
    moments = [s["exp_avg"] for s in net.optimizer_.state.values() if "exp_avg" in s]
    queue.put(
        {
            "mode": mode,
            "seconds": seconds,
            "epochs": len(durations),
            "first ten": float(durations[:10].mean()),
            "last ten": float(durations[-10:].mean()),
            "weights subnormal": subnormal_share(net.module_.parameters()),
            "moments subnormal": subnormal_share(moments) if moments else float("nan"),
            "held-out NLL": float(-model.predict_dist(X_test).logpdf(y_test).mean()),
        }
    )


def fit_in_fresh_process(context, mode, n_rows, epochs):
    queue = context.Queue()
    process = context.Process(target=one_fit, args=(mode, n_rows, epochs, queue))
    process.start()
    result = queue.get()
    process.join()
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--epochs", type=int, default=60)
    parser.add_argument("--repeats", type=int, default=3, help="rounds of every mode")
    parser.add_argument("--modes", nargs="*", default=list(MODES), choices=MODES)
    args = parser.parse_args()
    context = multiprocessing.get_context("spawn")
    print(
        f"HeteroscedasticRegressor defaults, {args.rows} x 20 rows, max_epochs="
        f"{args.epochs}; torch {torch.__version__}; each fit in a fresh process, "
        f"{args.repeats} rounds in shuffled order"
    )
    print(
        f"{'mode':<10}{'seconds':>9}{'epochs':>7}{'first 10 s':>11}{'last 10 s':>10}"
        f"{'last/first':>11}{'weights sub':>12}{'moments sub':>12}{'NLL':>9}"
    )
    rng = np.random.RandomState(0)
    runs = {mode: [] for mode in args.modes}
    for _ in range(args.repeats):
        for mode in rng.permutation(args.modes):
            result = fit_in_fresh_process(context, mode, args.rows, args.epochs)
            runs[mode].append(result)
            print_row(mode, result)
    print("\nmedians over the rounds")
    medians = {}
    for mode, results in runs.items():
        medians[mode] = {key: float(np.median([r[key] for r in results])) for key in KEYS}
        print_row(mode, medians[mode])
    if "by hand" in medians:
        reference = medians["by hand"]["seconds"]
        rounded = {mode: round(m["seconds"] / reference, 2) for mode, m in medians.items()}
        print("median seconds / 'by hand':", json.dumps(rounded))


KEYS = (
    "seconds",
    "epochs",
    "first ten",
    "last ten",
    "weights subnormal",
    "moments subnormal",
    "held-out NLL",
)


def print_row(mode, result):
    print(
        f"{mode:<10}{result['seconds']:>9.1f}{int(result['epochs']):>7d}"
        f"{result['first ten']:>11.2f}{result['last ten']:>10.2f}"
        f"{result['last ten'] / result['first ten']:>11.2f}"
        f"{result['weights subnormal']:>12.2%}{result['moments subnormal']:>12.2%}"
        f"{result['held-out NLL']:>9.4f}",
        flush=True,
    )


if __name__ == "__main__":
    main()
