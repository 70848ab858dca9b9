"""The peers a data scientist would use on a table instead: boosted trees with
uncertainty and a strong MLP default, each behind the same small interface.

Regressors have ``fit(X, y)`` and ``predict_dist(X)`` (a scipy Normal); classifiers are
sklearn classifiers. Each library is imported when its contender is built, so a
benchmark runs without the ones that are not installed (``available`` says which are).

- CatBoost ``RMSEWithUncertainty``: the mean and the data variance, with the
  evaluation-set early stopping CatBoost's documentation recommends (10% of the
  training rows held out, ``use_best_model``).
- RealMLP (pytabkit's ``RealMLP_TD_Regressor``, its tuned defaults) with a constant
  sigma: the RMS of its residuals on 20% of the training rows that it did not see.
- PGBM (pgbm's ``PGBMRegressor``, the torch build, at its defaults): the mean and the
  variance its trees learn (``output_sample_statistics``), as a Normal. pgbm 2.3.0's
  scikit-learn build is compiled against numpy 1 and fails to import under numpy 2; the
  torch build compiles its split search (a C++ extension, ``ninja`` and a compiler) on
  first use and passes ``force_all_finite``, which scikit-learn 1.8 renamed
  ``ensure_all_finite``: the peer translates that one keyword. ``bench_uci.py`` offers
  it where a C++ compiler is found.
- LightGBM at its defaults with a constant sigma: the RMS of the residuals on 20% of the
  training rows held out from a first fit, then the mean refitted on all of them. It
  stands for IBUG's mean, which is the boosted trees' own prediction.
- IBUG (k nearest training rows by tree-leaf affinity) is left out: ibug 0.0.11 on the
  package index is a source package without its ``.pyx`` files and has no wheels for
  Python 3.11, so it cannot be installed; its RMSE is LightGBM's above.
"""

import contextlib
import importlib.util
import io

import numpy as np
from scipy import stats
from sklearn.model_selection import train_test_split

__all__ = [
    "CatBoostUncertainty",
    "LightGBMConstantSigma",
    "PGBMUncertainty",
    "RealMLPConstantSigma",
    "available",
    "catboost_classifier",
    "realmlp_classifier",
]


def available(module):
    """Whether ``module`` can be imported."""
    return importlib.util.find_spec(module) is not None


class CatBoostUncertainty:
    """CatBoost's ``RMSEWithUncertainty``: a Normal with the predicted mean and variance."""

    def __init__(self, random_state):
        self.random_state = random_state

    def fit(self, X, y):
        from catboost import CatBoostRegressor

        X_fit, X_eval, y_fit, y_eval = train_test_split(
            X, y, test_size=0.1, random_state=self.random_state
        )
        self.model = CatBoostRegressor(
            loss_function="RMSEWithUncertainty",
            random_seed=self.random_state,
            verbose=False,
            thread_count=1,
            allow_writing_files=False,
        )
        self.model.fit(X_fit, y_fit, eval_set=(X_eval, y_eval), early_stopping_rounds=100)
        return self

    def predict_dist(self, X):
        mean, variance = self.model.predict(X).T
        return stats.norm(mean, np.sqrt(variance))


class LightGBMConstantSigma:
    """LightGBM at its defaults for the mean, one sigma from held-out residuals."""

    def __init__(self, random_state):
        self.random_state = random_state

    def _model(self):
        from lightgbm import LGBMRegressor

        return LGBMRegressor(random_state=self.random_state, n_jobs=1, verbose=-1)

    def fit(self, X, y):
        X_fit, X_held, y_fit, y_held = train_test_split(
            X, y, test_size=0.2, random_state=self.random_state
        )
        residuals = y_held - self._model().fit(X_fit, y_fit).predict(X_held)
        self.sigma_ = float(np.sqrt(np.mean(residuals**2)))
        self.model = self._model().fit(X, y)
        return self

    def predict_dist(self, X):
        mean = self.model.predict(X)
        return stats.norm(mean, np.full_like(mean, self.sigma_))


class PGBMUncertainty:
    """PGBM at its defaults: a Normal with the mean and variance its trees learn."""

    def __init__(self, random_state):
        self.random_state = random_state

    @staticmethod
    def _module():
        import pgbm.torch.pgbm as module
        from sklearn.utils import validation

        def renamed(check):
            def call(*args, force_all_finite=True, **kwargs):
                return check(*args, ensure_all_finite=force_all_finite, **kwargs)

            return call

        module.check_X_y = renamed(validation.check_X_y)
        module.check_array = renamed(validation.check_array)
        return module

    def fit(self, X, y):
        import torch

        module = self._module()
        # One thread, as every contender of a parallel benchmark has.
        threads = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            # It prints "Training on CPU" whatever its verbosity.
            with contextlib.redirect_stdout(io.StringIO()):
                self.model = module.PGBMRegressor(
                    random_state=self.random_state, verbose=0
                ).fit(np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64))
        finally:
            torch.set_num_threads(threads)
        return self

    def predict_dist(self, X):
        import torch

        threads = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            _, mean, variance = self.model.predict_dist(
                np.asarray(X, dtype=np.float64), output_sample_statistics=True
            )
        finally:
            torch.set_num_threads(threads)
        return stats.norm(mean.astype(np.float64), np.sqrt(variance.astype(np.float64)))


class RealMLPConstantSigma:
    """RealMLP at its defaults for the mean, and one sigma from held-out residuals."""

    def __init__(self, random_state):
        self.random_state = random_state

    def fit(self, X, y):
        from pytabkit import RealMLP_TD_Regressor

        X_fit, X_held, y_fit, y_held = train_test_split(
            X, y, test_size=0.2, random_state=self.random_state
        )
        self.model = RealMLP_TD_Regressor(
            device="cpu", random_state=self.random_state, n_threads=1, verbosity=0
        )
        self.model.fit(X_fit, y_fit)
        residuals = y_held - self.model.predict(X_held).reshape(-1)
        self.sigma_ = float(np.sqrt(np.mean(residuals**2)))
        return self

    def predict_dist(self, X):
        mean = self.model.predict(X).reshape(-1)
        return stats.norm(mean, np.full_like(mean, self.sigma_))


def catboost_classifier(random_state):
    """CatBoost's classifier with evaluation-set early stopping, as the regressor."""
    from catboost import CatBoostClassifier
    from sklearn.base import BaseEstimator, ClassifierMixin

    class EarlyStoppedCatBoost(ClassifierMixin, BaseEstimator):
        def __init__(self, random_state=None):
            self.random_state = random_state

        def fit(self, X, y):
            X_fit, X_eval, y_fit, y_eval = train_test_split(
                X, y, test_size=0.1, random_state=self.random_state, stratify=y
            )
            self.model_ = CatBoostClassifier(
                random_seed=self.random_state,
                verbose=False,
                thread_count=1,
                allow_writing_files=False,
            )
            self.model_.fit(
                X_fit, y_fit, eval_set=(X_eval, y_eval), early_stopping_rounds=100
            )
            self.classes_ = self.model_.classes_
            return self

        def predict_proba(self, X):
            return self.model_.predict_proba(X)

        def predict(self, X):
            return self.classes_[np.argmax(self.predict_proba(X), axis=1)]

    return EarlyStoppedCatBoost(random_state=random_state)


def realmlp_classifier(random_state):
    """RealMLP's classifier at its defaults, label smoothing off (its README's advice
    for log loss: smoothed labels are not a proper scoring rule's target)."""
    from pytabkit import RealMLP_TD_Classifier

    return RealMLP_TD_Classifier(
        device="cpu", random_state=random_state, n_threads=1, verbosity=0, use_ls=False
    )
