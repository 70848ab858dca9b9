"""Where the UCI sets' test rows repeat a training row, and whose mean reads them.

    python benchmarks/bench_repeated_rows.py [--splits 10] [--datasets wine power]

For each split file: the share of test rows whose features equal a training row's
exactly (and how often their targets agree), then the test RMSE on those rows and on
the others, for skprob's default, the same with ``neighbor_correction="off"`` and,
where installed, LightGBM at its defaults (the `bench` extra). Trees put a repeated row
in its twin's leaf; a network's smooth mean does not read it off, the neighbour
correction does.
"""

import argparse
from pathlib import Path

import numpy as np
from _peers import available
from joblib import Parallel, delayed

DATA = Path(__file__).parent / "data"


def contenders():
    from skprob import HeteroscedasticRegressor

    models = {
        "skprob (default)": lambda seed: HeteroscedasticRegressor(random_state=seed),
        "skprob (no neighbours)": lambda seed: HeteroscedasticRegressor(
            random_state=seed, neighbor_correction="off"
        ),
    }
    if available("lightgbm"):
        from lightgbm import LGBMRegressor

        models["LightGBM"] = lambda seed: LGBMRegressor(random_state=seed, verbose=-1)
    return models


def repeated(X, train, test):
    """Whether each test row's features equal a training row's, and the index of one."""
    seen = {X[row].tobytes(): row for row in train}
    twin = np.array([seen.get(X[row].tobytes(), -1) for row in test])
    return twin >= 0, twin


def squared_errors(name, X, y, train, test, seed):
    model = contenders()[name](seed).fit(X[train], y[train])
    return (model.predict(X[test]) - y[test]) ** 2


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--splits", type=int, default=10)
    parser.add_argument(
        "--datasets", nargs="*", default=["energy", "power", "wine", "yacht"]
    )
    parser.add_argument("--n-jobs", type=int, default=2)
    args = parser.parse_args()
    names = list(contenders())
    print(f"first {args.splits} splits; RMSE over the pooled test rows")
    print(
        f"{'data':<8}{'model':<24}{'repeated rows':>14}"
        f"{'RMSE repeated':>15}{'RMSE others':>13}"
    )
    for dataset in args.datasets:
        data = np.load(DATA / f"{dataset}.npz")
        X, y = data["X"].astype(float), data["y"]
        splits = list(zip(data["train"], data["test"]))[: args.splits]
        masks, agree = [], []
        for train, test in splits:
            mask, twin = repeated(X, train, test)
            masks.append(mask)
            agree.append(y[test][mask] == y[twin[mask]])
        tasks = [(name, index) for index in range(len(splits)) for name in names]
        errors = Parallel(n_jobs=args.n_jobs)(
            delayed(squared_errors)(name, X, y, *splits[index], index)
            for name, index in tasks
        )
        mask = np.concatenate(masks)
        share = f"{mask.mean():.1%}"
        same = np.concatenate(agree).mean() if mask.any() else float("nan")
        print(f"{dataset:<8}{'(same target as twin)':<24}{same:>14.1%}")
        for name in names:
            error = np.concatenate(
                [e for (task, _), e in zip(tasks, errors) if task == name]
            )
            on_repeats = np.sqrt(error[mask].mean()) if mask.any() else float("nan")
            others = np.sqrt(error[~mask].mean())
            print(f"{dataset:<8}{name:<24}{share:>14}{on_repeats:>15.3f}{others:>13.3f}")


if __name__ == "__main__":
    main()
