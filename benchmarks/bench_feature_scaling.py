"""How raw features should enter the network: held-out NLL and RMSE by feature map.

    python benchmarks/bench_feature_scaling.py [--splits 5] [--datasets ...] [--maps ...]

The default ``HeteroscedasticRegressor`` (five members) on the four UCI development sets
(the papers' split files) and on two synthetic tables of the kind users bring raw:
``heavy`` (log-normal columns, ``exp(2.5 z)``, whose target is linear in ``z``) and
``loans`` (incomes and balances, log-normal with zeros, an age, a flag and a count; the
mean and the noise depend on them). Feature maps:

- ``robust (default)``: skprob's own map (``feature_scaling="robust"``): median,
  interquartile range, soft clip ``z / sqrt(1 + z^2 / 9)``;
- ``standardised``: ``StandardScaler`` in front, ``feature_scaling="none"``;
- ``robust + asinh``: the same robust scaling, then ``asinh`` (unbounded, logarithmic
  tails) instead of the clip;
- ``quantile``: sklearn's ``QuantileTransformer`` to a Normal;
- ``robust + quantile``: the default map's columns and the quantile map's side by side.

Mean and standard error over the splits (two splits fitted at a time).
"""

import argparse
from pathlib import Path

import numpy as np
from _baselines import fit_and_score
from joblib import Parallel, delayed
from sklearn.pipeline import make_pipeline, make_union
from sklearn.preprocessing import (
    FunctionTransformer,
    QuantileTransformer,
    RobustScaler,
    StandardScaler,
)

from skprob import HeteroscedasticRegressor

DATA = Path(__file__).parent / "data"
DATASETS = ["heavy", "loans", "energy", "power", "wine", "yacht"]


def soft_clip(z):
    return z / np.sqrt(1 + (z / 3) ** 2)


def robust():
    return RobustScaler(quantile_range=(25, 75))


def quantile():
    return QuantileTransformer(output_distribution="normal", n_quantiles=1000)


#: Feature map name -> (steps in front, feature_scaling of the estimator).
MAPS = {
    "robust (default)": (lambda: [], "robust"),
    "standardised": (lambda: [StandardScaler()], "none"),
    "robust + asinh": (lambda: [robust(), FunctionTransformer(np.arcsinh)], "none"),
    "quantile": (lambda: [quantile()], "none"),
    "robust + quantile": (
        lambda: [
            make_union(make_pipeline(robust(), FunctionTransformer(soft_clip)), quantile())
        ],
        "none",
    ),
}


def heavy(seed):
    rng = np.random.RandomState(seed)
    latent = rng.normal(size=(2000, 3))
    y = latent @ [1.0, -0.5, 0.25] + rng.normal(scale=0.3, size=2000)
    return np.exp(2.5 * latent), y, np.arange(1500), np.arange(1500, 2000)


def loans(seed):
    rng = np.random.RandomState(seed)
    n = 4000
    income = rng.lognormal(10.5, 0.8, n)
    balance = rng.lognormal(8, 1.5, n) * (rng.rand(n) > 0.2)
    age = rng.randint(18, 80, n).astype(float)
    flag = (rng.rand(n) < 0.3).astype(float)
    accounts = rng.poisson(2, n).astype(float)
    X = np.column_stack([income, balance, age, flag, accounts])
    mean = 0.5 * np.log(income) - 0.3 * np.log1p(balance) + 0.02 * age + 0.5 * flag
    scale = 0.3 + 0.3 * (balance > np.median(balance))
    return X, mean + scale * rng.normal(size=n), np.arange(3000), np.arange(3000, n)


def load(name, split):
    if name == "heavy":
        return heavy(split)
    if name == "loans":
        return loans(split)
    data = np.load(DATA / f"{name}.npz")
    return data["X"], data["y"], data["train"][split], data["test"][split]


def run_split(name, split, map_name):
    X, y, train, test = load(name, split)
    steps, feature_scaling = MAPS[map_name]
    model = make_pipeline(
        *steps(),
        HeteroscedasticRegressor(random_state=split, feature_scaling=feature_scaling),
    )
    return fit_and_score(model, X, y, train, test)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--splits", type=int, default=5)
    parser.add_argument(
        "--datasets",
        nargs="*",
        default=["heavy", "loans", "energy", "power", "wine", "yacht"],
    )
    parser.add_argument("--maps", nargs="*", default=list(MAPS), choices=list(MAPS))
    args = parser.parse_args()
    print(f"first {args.splits} splits; mean +- standard error over splits")
    print(f"{'data':<8}{'feature map':<20}{'test NLL':>17}{'test RMSE':>17}{'fit s':>8}")
    for name in args.datasets:
        for map_name in args.maps:
            results = Parallel(n_jobs=2)(
                delayed(run_split)(name, split, map_name) for split in range(args.splits)
            )
            values = np.asarray(results)
            mean = values.mean(axis=0)
            se = values.std(axis=0, ddof=1) / np.sqrt(len(values))
            print(
                f"{name:<8}{map_name:<20}{mean[0]:>9.3f} +- {se[0]:<5.3f}"
                f"{mean[1]:>9.3f} +- {se[1]:<5.3f}{mean[2]:>8.2f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
