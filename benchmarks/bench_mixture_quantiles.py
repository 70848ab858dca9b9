"""Quantiles of an ensemble's mixture on many rows: time of ``interval(0.9)``.

    python benchmarks/bench_mixture_quantiles.py [--rows 100000 250000] [--repeats 3]

A 5-member Normal mixture per row (members' means and scales drawn at random, as an
ensemble's are), against one Normal's ``interval`` (scipy's closed form) and against
the bisection that ``MixtureDistribution.ppf`` used before (64 halvings of the bracket
between the smallest and largest component quantile), which also gives the largest
difference between the two answers. Medians of ``--repeats`` interleaved runs.
"""

import argparse
import time

import numpy as np
from scipy import stats

from skprob.distributions import MixtureDistribution


def bisection_interval(dist, confidence, steps=64):
    ends = []
    for q in (0.5 - confidence / 2, 0.5 + confidence / 2):
        quantiles = dist.components.ppf(np.full(dist.shape, q)[..., None])
        low, high = quantiles.min(axis=-1), quantiles.max(axis=-1)
        for _ in range(steps):
            middle = 0.5 * (low + high)
            below = dist.cdf(middle) < q
            low, high = np.where(below, middle, low), np.where(below, high, middle)
        ends.append(high)
    return tuple(ends)


def median_seconds(interval, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = interval(0.9)
        times.append(time.perf_counter() - start)
    return float(np.median(times)), result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, nargs="*", default=[100_000, 250_000])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    print(f"interval(0.9) of a 5-member Normal mixture per row; median of {args.repeats}")
    print(
        f"{'rows':>8}{'one Normal s':>14}{'mixture s':>11}{'bisection s':>13}"
        f"{'mixture / Normal':>18}{'max |difference|':>18}"
    )
    rng = np.random.RandomState(0)
    for n_rows in args.rows:
        loc = rng.normal(size=(n_rows, 1)) + 0.3 * rng.normal(size=(n_rows, 5))
        scale = np.exp(rng.normal(-1, 0.3, size=(n_rows, 5)))
        mixture = MixtureDistribution(stats.norm(loc, scale))
        normal = stats.norm(loc[:, 0], scale[:, 0])
        one, _ = median_seconds(normal.interval, args.repeats)
        fast, (low, high) = median_seconds(mixture.interval, args.repeats)
        slow, (slow_low, slow_high) = median_seconds(
            lambda confidence, dist=mixture: bisection_interval(dist, confidence), 1
        )
        gap = max(np.abs(low - slow_low).max(), np.abs(high - slow_high).max())
        print(
            f"{n_rows:>8}{one:>14.3f}{fast:>11.3f}{slow:>13.3f}{fast / one:>18.1f}"
            f"{gap:>18.2e}",
            flush=True,
        )


if __name__ == "__main__":
    main()
