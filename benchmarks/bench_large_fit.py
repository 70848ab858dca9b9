"""Large fits: a default fit on 250,000 and 1,000,000 rows, beside the trees' defaults.

    python benchmarks/bench_large_fit.py [--rows 250000 1000000]
                                         [--models skprob hgb lightgbm ngboost]
                                         [--profile]

The new user's data of the long-fits issue (``bench_long_fit.make_data``: ``X`` standard
normal, 20 columns; ``y`` a smooth function of ``X`` plus noise whose scale depends on
``X``), and 20,000 more rows held out. Each fit runs in a fresh process, one at a time;
printed per fit: seconds, epochs (trees for the boosted models), optimizer steps per
second, the process's peak resident memory, and on the held-out rows the RMSE of the
mean and the NLL (the trees' point predictions get a constant sigma, the RMS of their
training residuals).

Contenders at their defaults: skprob's ``HeteroscedasticRegressor``, sklearn's
``HistGradientBoostingRegressor``, LightGBM's ``LGBMRegressor`` and NGBoost's
``NGBRegressor`` (the last two where installed; NGBoost fits 500 rounds of sklearn
trees and takes minutes on these sizes). ``--profile`` adds, for the skprob fit, where
its time went: training steps, validation passes, and the rest.
"""

import argparse
import multiprocessing
import resource
import time
import warnings

import numpy as np
from bench_long_fit import make_data
from scipy import stats

N_TEST = 20_000
MODELS = ("skprob", "hgb", "lightgbm", "ngboost")


def _peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _constant_sigma_nll(model, X_train, y_train, X_test, y_test):
    sigma = np.sqrt(np.mean((y_train - model.predict(X_train)) ** 2))
    mean = model.predict(X_test)
    nll = -stats.norm(mean, sigma).logpdf(y_test).mean()
    return float(np.sqrt(np.mean((mean - y_test) ** 2))), float(nll)


def _timed_phases():
    """Wrap the net's epoch runner to add up the time of training and validation."""
    from skprob._training.net import DistributionNet

    totals = {"train": 0.0, "valid": 0.0}
    original = DistributionNet.run_single_epoch

    def timed(self, iterator, training, prefix, step_fn, **fit_params):
        start = time.perf_counter()
        try:
            return original(self, iterator, training, prefix, step_fn, **fit_params)
        finally:
            totals["train" if training else "valid"] += time.perf_counter() - start

    DistributionNet.run_single_epoch = timed
    return totals


def one_fit(name, n_rows, profile, queue):
    X, y = make_data(n_rows + N_TEST)
    X_train, y_train, X_test, y_test = X[:n_rows], y[:n_rows], X[n_rows:], y[n_rows:]
    split, steps, epochs = {}, None, None
    if name == "skprob":
        from sklearn.exceptions import ConvergenceWarning

        from skprob import HeteroscedasticRegressor

        warnings.simplefilter("ignore", ConvergenceWarning)
        model = HeteroscedasticRegressor(random_state=0)
        if profile:
            split = _timed_phases()
        start = time.perf_counter()
        model.fit(X_train, y_train)
        seconds = time.perf_counter() - start
        epochs = model.n_iter_
        n_train = n_rows - model.net_.validation_rows_.shape[1]
        steps = epochs * -(-n_train // model.batch_size_)
        dist = model.predict_dist(X_test)
        rmse = float(np.sqrt(np.mean((dist.mean() - y_test) ** 2)))
        nll = float(-dist.logpdf(y_test).mean())
    elif name == "ngboost":
        from ngboost import NGBRegressor

        model = NGBRegressor(random_state=0, verbose=False)
        start = time.perf_counter()
        model.fit(X_train, y_train)
        seconds = time.perf_counter() - start
        epochs = model.n_estimators
        params = model.pred_dist(X_test).params
        dist = stats.norm(params["loc"], params["scale"])
        rmse = float(np.sqrt(np.mean((params["loc"] - y_test) ** 2)))
        nll = float(-dist.logpdf(y_test).mean())
    else:
        if name == "hgb":
            from sklearn.ensemble import HistGradientBoostingRegressor

            model = HistGradientBoostingRegressor(random_state=0)
        else:
            from lightgbm import LGBMRegressor

            model = LGBMRegressor(random_state=0, verbose=-1)
        start = time.perf_counter()
        model.fit(X_train, y_train)
        seconds = time.perf_counter() - start
        epochs = getattr(model, "n_iter_", None) or model.n_estimators_
        rmse, nll = _constant_sigma_nll(model, X_train, y_train, X_test, y_test)
    queue.put(
        {
            "model": name,
            "rows": n_rows,
            "seconds": seconds,
            "epochs": epochs,
            "steps/s": None if steps is None else steps / seconds,
            "peak MB": _peak_rss_mb(),
            "RMSE": rmse,
            "NLL": nll,
            **{f"{phase} s": value for phase, value in split.items()},
        }
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, nargs="*", default=[250_000, 1_000_000])
    parser.add_argument("--models", nargs="*", default=list(MODELS), choices=MODELS)
    parser.add_argument("--profile", action="store_true", help="time skprob's phases")
    args = parser.parse_args()
    context = multiprocessing.get_context("spawn")
    print(
        f"{'rows':>9}  {'model':<9}{'seconds':>9}{'epochs':>8}{'steps/s':>9}"
        f"{'peak MB':>9}{'RMSE':>8}{'NLL':>8}  phases"
    )
    for n_rows in args.rows:
        for name in args.models:
            if name in ("lightgbm", "ngboost"):
                try:
                    __import__(name)
                except ImportError:
                    print(f"{n_rows:>9}  {name:<9} not installed")
                    continue
            queue = context.Queue()
            process = context.Process(
                target=one_fit, args=(name, n_rows, args.profile, queue)
            )
            process.start()
            result = queue.get()
            process.join()
            steps = result["steps/s"]
            phases = "  ".join(
                f"{key} {value:.1f}" for key, value in result.items() if key.endswith(" s")
            )
            print(
                f"{n_rows:>9}  {name:<9}{result['seconds']:>9.1f}{result['epochs']:>8}"
                f"{'' if steps is None else f'{steps:.0f}':>9}{result['peak MB']:>9.0f}"
                f"{result['RMSE']:>8.4f}{result['NLL']:>8.4f}  {phases}",
                flush=True,
            )


if __name__ == "__main__":
    main()
