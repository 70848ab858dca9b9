"""Survival analysis on scikit-survival's bundled data sets, every contender side by side.

    python benchmarks/bench_survival.py [--splits 5] [--datasets whas500 gbsg2 ...]
                                        [--models ...] [--n-jobs 1]

For every data set and each of ``--splits`` random splits (75% training rows, 25% test
rows, stratified by the event indicator; split k uses random state k): fit on the
training rows and score the test rows by

- Harrell's concordance index of the risk score (scikit-survival's
  ``concordance_index_censored``; higher is better);
- the integrated Brier score (``integrated_brier_score``, inverse-probability-of-
  censoring weighted) on 15 times from the 10th to the 80th percentile of the test
  rows' event times, inside every model's range, over the test rows before the last
  training time, where the censoring's weights are defined (lower is better);
- the censored NLL (``skprob.metrics.censored_negative_log_likelihood``: the events'
  log-density in days or the data's time unit, the censored rows' log survival; lower
  is better), for the models with a density of the time.

The table gives the mean and standard error over splits and the mean fit seconds.
Times of 0 (flchain's deaths on the day of the sample) are put at half a day.
Categorical columns are one-hot encoded (scikit-survival's ``OneHotEncoder``) and
missing numbers imputed by the training median, the same for every contender.

Contenders, at their library defaults unless said: skprob's ``SurvivalRegressor`` (the
default: ten Weibull networks, five with the piecewise-linear encoding and five without;
and the log-normal, log-logistic and gamma families), scikit-survival's
``CoxPHSurvivalAnalysis`` (features standardised; ``alpha=1e-4`` so that one-hot columns
that sum to one leave it solvable), ``RandomSurvivalForest`` and
``GradientBoostingSurvivalAnalysis``, lifelines' ``WeibullAFTFitter`` (features
standardised, ``penalizer=1e-4`` for the same reason) and NGBoost's ``NGBSurvival``
(log-normal, 500 trees). The ``bench`` extra installs the peers.
"""

import argparse
import time
import warnings

import numpy as np
from joblib import Parallel, delayed
from scipy import stats
from sklearn.impute import SimpleImputer
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skprob import SurvivalRegressor
from skprob.metrics import censored_negative_log_likelihood

DATASETS = ["whas500", "gbsg2", "veterans", "aids", "flchain"]


def load(name):
    """Features (one-hot encoded, floats, NaN where missing) and the structured y."""
    from sksurv import datasets
    from sksurv.preprocessing import OneHotEncoder

    loaders = {
        "whas500": datasets.load_whas500,
        "gbsg2": datasets.load_gbsg2,
        "veterans": datasets.load_veterans_lung_cancer,
        "aids": datasets.load_aids,
        "flchain": datasets.load_flchain,
    }
    X, y = loaders[name]()
    for column in X.select_dtypes("category"):
        if X[column].isna().any():
            X[column] = X[column].cat.add_categories("missing").fillna("missing")
    X = OneHotEncoder().fit_transform(X).astype(float).to_numpy()
    event_name, time_name = y.dtype.names
    y = np.array(
        list(zip(y[event_name], y[time_name])), dtype=[("event", bool), ("time", float)]
    )
    # flchain records 3 deaths on the day of the sample (time 0), where a density of
    # the time has no mass: they are put at half a day, for every contender alike.
    y["time"] = np.where(y["time"] > 0, y["time"], 0.5)
    return X, y


class Contender:
    """Fit, then a risk score, survival probabilities on a grid and, where the model
    has one, the distribution of the time (for the censored NLL)."""

    distribution = None

    def __init__(self, random_state):
        self.random_state = random_state


class ScikitSurvival(Contender):
    """One of scikit-survival's models behind the imputer (and a scaler for Cox)."""

    def __init__(self, model, scale=False):
        steps = [SimpleImputer(strategy="median")]
        steps += [StandardScaler()] if scale else []
        self.model = make_pipeline(*steps, model)

    def fit(self, X, y):
        self.model.fit(X, y)
        return self

    def risk(self, X):
        return self.model.predict(X)

    def survival(self, X, times):
        steps = self.model[:-1].transform(X)
        return np.vstack(
            [fn(times) for fn in self.model[-1].predict_survival_function(steps)]
        )

    def dist(self, X):
        return None


class SkprobSurvival(ScikitSurvival):
    """skprob's model behind the imputer: the same interface, and a density."""

    def __init__(self, random_state, **params):
        super().__init__(SurvivalRegressor(random_state=random_state, **params))

    def dist(self, X):
        return self.model[-1].predict_dist(self.model[:-1].transform(X))


class LifelinesWeibullAFT(Contender):
    def fit(self, X, y):
        import pandas
        from lifelines import WeibullAFTFitter

        self.prep = make_pipeline(SimpleImputer(strategy="median"), StandardScaler())
        Z = self.prep.fit_transform(X)
        keep = Z.std(axis=0) > 0
        self.keep = keep
        frame = pandas.DataFrame(Z[:, keep], columns=[f"x{j}" for j in range(keep.sum())])
        frame["time"], frame["event"] = y["time"], y["event"]
        self.model = WeibullAFTFitter(penalizer=1e-4).fit(frame, "time", "event")
        return self

    def _frame(self, X):
        import pandas

        Z = self.prep.transform(X)[:, self.keep]
        return pandas.DataFrame(Z, columns=[f"x{j}" for j in range(Z.shape[1])])

    def dist(self, X):
        median = self.model.predict_median(self._frame(X)).to_numpy()
        shape = np.exp(self.model.params_["rho_"]["Intercept"])
        return stats.weibull_min(c=shape, scale=median / np.log(2) ** (1 / shape))

    def risk(self, X):
        return -np.log(self.model.predict_median(self._frame(X)).to_numpy())

    def survival(self, X, times):
        dist = self.dist(X)
        return np.vstack([dist.sf(t) for t in times]).T


class NGBoostSurvival(Contender):
    def fit(self, X, y):
        from ngboost import NGBSurvival
        from ngboost.distns import LogNormal

        self.imputer = SimpleImputer(strategy="median").fit(X)
        self.model = NGBSurvival(
            Dist=LogNormal, random_state=self.random_state, verbose=False
        ).fit(self.imputer.transform(X), y["time"], y["event"])
        return self

    def dist(self, X):
        return self.model.pred_dist(self.imputer.transform(X)).dist

    def risk(self, X):
        return -np.log(self.dist(X).median())

    def survival(self, X, times):
        dist = self.dist(X)
        return np.vstack([dist.sf(t) for t in times]).T


def contenders():
    from sksurv.ensemble import (
        GradientBoostingSurvivalAnalysis,
        RandomSurvivalForest,
    )
    from sksurv.linear_model import CoxPHSurvivalAnalysis

    return {
        "skprob (weibull, default)": lambda s: SkprobSurvival(s),
        "skprob (lognormal)": lambda s: SkprobSurvival(s, distribution="lognormal"),
        "skprob (loglogistic)": lambda s: SkprobSurvival(s, distribution="loglogistic"),
        "skprob (gamma)": lambda s: SkprobSurvival(s, distribution="gamma"),
        "CoxPH": lambda s: ScikitSurvival(CoxPHSurvivalAnalysis(alpha=1e-4), scale=True),
        "RandomSurvivalForest": lambda s: ScikitSurvival(
            RandomSurvivalForest(random_state=s, n_jobs=1)
        ),
        "GradientBoostingSurvival": lambda s: ScikitSurvival(
            GradientBoostingSurvivalAnalysis(random_state=s)
        ),
        "lifelines WeibullAFT": lambda s: LifelinesWeibullAFT(s),
        "NGBoost (lognormal)": lambda s: NGBoostSurvival(s),
    }


def evaluation_times(y_train, y_test):
    """15 times from the 10th to the 80th percentile of the test events, inside the
    training and test follow-up (every model's step functions are defined there)."""
    event_times = y_test["time"][y_test["event"]]
    times = np.percentile(event_times, np.linspace(10, 80, 15))
    low = max(y_train["time"].min(), y_test["time"].min())
    high = min(y_train["time"].max(), y_test["time"].max())
    return np.unique(times[(times > low) & (times < high)])


def run_split(name, split, model_names):
    warnings.simplefilter("ignore")
    from sksurv.metrics import concordance_index_censored, integrated_brier_score

    X, y = load(name)
    train, test = train_test_split(
        np.arange(len(y)), test_size=0.25, stratify=y["event"], random_state=split
    )
    times = evaluation_times(y[train], y[test])
    rows = {}
    for model_name in model_names:
        model = contenders()[model_name](split)
        try:
            start = time.perf_counter()
            model.fit(X[train], y[train])
            seconds = time.perf_counter() - start
            risk = model.risk(X[test])
        except Exception as error:  # a peer that fails on a split is reported, not fatal
            rows[model_name] = (np.nan,) * 4 + (f"{type(error).__name__}: {error}",)
            continue
        cindex = concordance_index_censored(y["event"][test], y["time"][test], risk)[0]
        # The censoring's Kaplan-Meier curve (from the training rows) weighs the test
        # rows: it is defined only before the last training time.
        inside = test[y["time"][test] < y["time"][train].max()]
        brier = integrated_brier_score(
            y[train], y[inside], model.survival(X[inside], times), times
        )
        dist = model.dist(X[test])
        nll = np.nan if dist is None else censored_negative_log_likelihood(y[test], dist)
        rows[model_name] = (cindex, brier, nll, seconds, None)
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--splits", type=int, default=5)
    parser.add_argument("--datasets", nargs="+", default=DATASETS, choices=DATASETS)
    parser.add_argument("--models", nargs="+", default=None)
    parser.add_argument("--n-jobs", type=int, default=1)
    args = parser.parse_args()
    model_names = args.models or list(contenders())
    for name in args.datasets:
        X, y = load(name)
        results = Parallel(n_jobs=args.n_jobs)(
            delayed(run_split)(name, split, model_names) for split in range(args.splits)
        )
        print(
            f"\n{name}: {len(y)} rows, {X.shape[1]} features, "
            f"{1 - y['event'].mean():.0%} censored; {args.splits} splits"
        )
        print(
            f"{'model':28s}{'C-index':>17s}{'int. Brier':>18s}{'censored NLL':>18s}"
            f"{'fit s':>8s}"
        )
        for model_name in model_names:
            failures = [r[model_name][4] for r in results if r[model_name][4]]
            if failures:
                print(
                    f"{model_name:28s}failed on {len(failures)} of {len(results)} "
                    f"splits: {failures[0][:80]}"
                )
                continue
            values = np.array([result[model_name][:4] for result in results])
            mean = values.mean(axis=0)
            se = values.std(axis=0, ddof=1) / np.sqrt(len(values))
            cells = [f"{mean[k]:8.4f} +- {se[k]:.4f}" for k in range(3)]
            if np.isnan(mean[2]):
                cells[2] = "-"
            print(
                f"{model_name:28s}{cells[0]:>17s}{cells[1]:>18s}{cells[2]:>18s}"
                f"{mean[3]:8.2f}"
            )


if __name__ == "__main__":
    main()
