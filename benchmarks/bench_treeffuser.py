"""treeffuser on the UCI split files, in an environment of its own.

    python3 -m venv .venv-treeffuser && .venv-treeffuser/bin/pip install treeffuser
    .venv-treeffuser/bin/python benchmarks/bench_treeffuser.py wine 5

treeffuser 0.2.0 (a diffusion model whose score is fitted by LightGBM) pins numpy below 2
and scikit-learn below 1.6, so it cannot share ``bench_uci.py``'s environment: installed
there, it downgrades both. It runs alone on the same split files, at its defaults
(``n_jobs=1``), with 100 samples a test row: the RMSE of the samples' mean, and the NLL
of a Gaussian kernel density (Scott's bandwidth) on each row's samples. Compare with
``bench_uci.py --splits N --datasets NAME``. Its time includes the sampling.
"""

import sys
import time
import warnings
from pathlib import Path

import numpy as np
from scipy import stats

DATA = Path(__file__).parent / "data"
N_SAMPLES = 100


def kernel_density(samples, value, spread):
    try:
        return stats.gaussian_kde(samples)(value)[0]
    except np.linalg.LinAlgError:  # every sample equal: a narrow kernel
        return stats.norm(samples.mean(), 1e-3 * spread).pdf(value)


def main():
    from treeffuser import Treeffuser

    warnings.simplefilter("ignore")
    dataset, n_splits = sys.argv[1], int(sys.argv[2])
    data = np.load(DATA / f"{dataset}.npz")
    X, y = data["X"].astype(float), data["y"].astype(float)
    scores = []
    for split in range(n_splits):
        train, test = data["train"][split], data["test"][split]
        start = time.perf_counter()
        model = Treeffuser(seed=split, n_jobs=1).fit(X[train], y[train])
        samples = np.asarray(model.sample(X[test], n_samples=N_SAMPLES, seed=split))
        samples = samples.reshape(N_SAMPLES, len(test))
        seconds = time.perf_counter() - start
        density = [
            kernel_density(samples[:, row], y[test][row], y.std())
            for row in range(len(test))
        ]
        nll = -np.mean(np.log(np.maximum(density, 1e-300)))
        rmse = np.sqrt(np.mean((samples.mean(axis=0) - y[test]) ** 2))
        scores.append((nll, rmse, seconds))
        print(f"{dataset} split {split}: NLL {nll:.3f} RMSE {rmse:.3f} {seconds:.1f} s")
    scores = np.array(scores)
    mean, se = scores.mean(axis=0), scores.std(axis=0, ddof=1) / np.sqrt(n_splits)
    print(
        f"{dataset} treeffuser, first {n_splits} splits: NLL {mean[0]:.3f} +- {se[0]:.3f}, "
        f"RMSE {mean[1]:.3f} +- {se[1]:.3f}, {mean[2]:.1f} s a split"
    )


if __name__ == "__main__":
    main()
