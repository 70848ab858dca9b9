"""The UCI regression benchmark on the papers' own protocol and split files.

    python benchmarks/bench_uci.py [--splits 5] [--data DIR] [--datasets yacht energy]
                                   [--seeds 1] [--models ...] [--n-jobs 1]

For every data set (a ``.npz`` of ``X``, ``y`` and the ``train``/``test`` row numbers of
each split; see ``benchmarks/data/README.md``) and each of the first ``--splits`` splits:
fit on the training rows with the features standardised from them (a Pipeline), and score
the test rows: the mean negative log-likelihood of y in its own units and the RMSE. The
fits of all contenders run in one pool, split by split (the machine's drift falls on all
alike). The table gives the mean and standard error over splits and the mean fit seconds
per split,
beside the published results (PBP, MC dropout, Deep Ensembles, NGBoost) of those splits.
With ``--seeds K`` every split is fitted with K random states, and a last column gives the
mean over splits of the standard deviation of the test NLL over seeds: how much a user's
result depends on the seed alone.

Contenders, all at their library defaults: skprob's ``HeteroscedasticRegressor`` with one
network and with a 5-member deep ensemble (the default: piecewise-linear encoding of the
features; and the ensemble with periodic embeddings instead, ``numeric_embedding=
"periodic"``, and with the features alone, ``"none"``), NGBoost's ``NGBRegressor``,
sklearn's ``MLPRegressor`` with a constant sigma (the training residuals' RMS), and where
installed CatBoost's ``RMSEWithUncertainty`` with evaluation-set early stopping, PGBM's
mean and variance, and LightGBM and RealMLP each with a constant sigma from held-out
residuals (``_peers.py``, the ``bench`` extra).
"""

import argparse
import json
import os
import shutil
from pathlib import Path

import numpy as np
from _baselines import ConstantSigma, fit_and_score, with_piecewise_bins
from _peers import (
    CatBoostUncertainty,
    LightGBMConstantSigma,
    PGBMUncertainty,
    RealMLPConstantSigma,
    available,
)
from joblib import Parallel, delayed
from scipy import stats
from sklearn.neural_network import MLPRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skprob import HeteroscedasticRegressor

DATA = Path(__file__).parent / "data"

#: Published mean test NLL / RMSE over the 20 splits (benchmarks/data/README.md).
PUBLISHED = {
    "energy": {
        "PBP": (2.04, 1.80),
        "MC dropout": (1.21, 0.54),
        "Deep Ens.": (1.38, 2.09),
        "NGBoost": (0.60, 0.46),
    },
    "power": {
        "PBP": (2.84, 4.12),
        "MC dropout": (2.80, 4.01),
        "Deep Ens.": (2.79, 4.11),
        "NGBoost": (2.79, 3.79),
    },
    "wine": {
        "PBP": (0.97, 0.64),
        "MC dropout": (0.93, 0.62),
        "Deep Ens.": (0.94, 0.64),
        "NGBoost": (0.91, 0.63),
    },
    "yacht": {
        "PBP": (1.63, 1.02),
        "MC dropout": (1.25, 0.67),
        "Deep Ens.": (1.18, 1.58),
        "NGBoost": (0.20, 0.50),
    },
}


class NGBoostDefault:
    """NGBoost's NGBRegressor at its defaults (Normal, 500 depth-3 trees)."""

    def __init__(self, random_state):
        from ngboost import NGBRegressor

        self.model = make_pipeline(
            StandardScaler(), NGBRegressor(random_state=random_state, verbose=False)
        )

    def fit(self, X, y):
        self.model.fit(X, y)
        return self

    def predict_dist(self, X):
        params = self.model[-1].pred_dist(self.model[:-1].transform(X)).params
        return stats.norm(params["loc"], params["scale"])


def contenders(skprob_params, piecewise_bins=None):
    regressor = with_piecewise_bins(HeteroscedasticRegressor, piecewise_bins)

    def skprob(n_estimators, **extra):
        def make(seed):
            estimator = regressor(
                n_estimators=n_estimators, random_state=seed, **skprob_params, **extra
            )
            return make_pipeline(StandardScaler(), estimator)

        return make

    models = {
        "skprob (1 network)": skprob(1),
        "skprob (5 networks)": skprob(5),
        "skprob (5, periodic)": skprob(5, numeric_embedding="periodic"),
        "skprob (5, no encoding)": skprob(5, numeric_embedding="none"),
        "skprob (5, no neighbours)": skprob(5, neighbor_correction="off"),
        "NGBoost": NGBoostDefault,
        "MLP + const sigma": lambda seed: ConstantSigma(
            make_pipeline(StandardScaler(), MLPRegressor(random_state=seed))
        ),
    }
    if available("catboost"):
        models["CatBoost"] = CatBoostUncertainty
    if available("lightgbm"):
        models["LightGBM + const sigma"] = LightGBMConstantSigma
    # PGBM compiles its split search with the C++ compiler torch's extensions use.
    if available("pgbm") and shutil.which(os.environ.get("CXX", "c++")):
        models["PGBM"] = PGBMUncertainty
    if available("pytabkit"):
        models["RealMLP + const sigma"] = RealMLPConstantSigma
    return models


def run_split(make, X, y, train, test, seed):
    return fit_and_score(make(seed), X, y, train, test)


def mean_and_se(values):
    values = np.asarray(values, dtype=float)
    se = values.std(ddof=1) / np.sqrt(len(values)) if len(values) > 1 else 0.0
    return values.mean(), se


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--splits", type=int, default=5, help="first N splits (max 20)")
    parser.add_argument("--data", type=Path, default=DATA, help="folder of .npz files")
    parser.add_argument("--datasets", nargs="*", help="names (default: every .npz)")
    parser.add_argument("--models", nargs="*", help="contender names (default: all)")
    parser.add_argument(
        "--skprob-params",
        type=json.loads,
        default={},
        help="JSON of extra HeteroscedasticRegressor parameters (default: none)",
    )
    parser.add_argument(
        "--piecewise-bins",
        type=int,
        help="quantile bins a feature for the piecewise-linear encoding (default: 16)",
    )
    parser.add_argument(
        "--seeds", type=int, default=1, help="random states per split (default 1)"
    )
    parser.add_argument(
        "--n-jobs",
        type=int,
        default=1,
        help="splits fitted in parallel processes (times then include the contention)",
    )
    args = parser.parse_args()

    models = contenders(args.skprob_params, args.piecewise_bins)
    if args.models:
        models = {name: models[name] for name in args.models}
    paths = sorted(args.data.glob("*.npz"))
    if args.datasets:
        paths = [args.data / f"{name}.npz" for name in args.datasets]

    print(f"UCI benchmark: first {args.splits} splits; mean +- standard error over splits")
    if args.skprob_params:
        print(f"skprob parameters: {args.skprob_params}")
    if args.piecewise_bins:
        print(f"piecewise-linear encoding: {args.piecewise_bins} bins a feature")
    header = f"{'data':<8}{'model':<22}{'test NLL':>17}{'test RMSE':>17}{'fit s/split':>13}"
    if args.seeds > 1:
        header += f"{'NLL sd over seeds':>19}"
    print(header)
    for path in paths:
        data = np.load(path)
        X, y = data["X"], data["y"]
        splits = list(zip(data["train"], data["test"]))[: args.splits]
        # Every contender's fits in one pool, split by split: the machine's drift over
        # the run falls on all contenders alike, and their times compare.
        tasks = [
            (name, index, seed)
            for index in range(len(splits))
            for seed in range(args.seeds)
            for name in models
        ]
        fitted = Parallel(n_jobs=args.n_jobs)(
            delayed(run_split)(
                models[name], X, y, *splits[index], index * args.seeds + seed
            )
            for name, index, seed in tasks
        )
        for name in models:
            results = [out for (task, *_), out in zip(tasks, fitted) if task == name]
            # Rows: splits; columns: seeds.
            nll, rmse, seconds = (
                np.asarray(values).reshape(len(splits), args.seeds)
                for values in zip(*results)
            )
            nll_mean, nll_se = mean_and_se(nll.mean(axis=1))
            rmse_mean, rmse_se = mean_and_se(rmse.mean(axis=1))
            line = (
                f"{path.stem:<8}{name:<22}{nll_mean:>9.3f} +- {nll_se:<5.3f}"
                f"{rmse_mean:>9.3f} +- {rmse_se:<5.3f}{np.mean(seconds):>11.2f}"
            )
            if args.seeds > 1:
                line += f"{nll.std(axis=1, ddof=1).mean():>19.3f}"
            print(line, flush=True)
        for paper, (nll, rmse) in PUBLISHED.get(path.stem, {}).items():
            print(
                f"{path.stem:<8}{paper + ' (published)':<22}{nll:>9.2f}{'':8}{rmse:>9.2f}"
            )


if __name__ == "__main__":
    main()
