"""Reaching a skprob estimator's predictive distribution through sklearn meta-estimators."""

from sklearn.pipeline import Pipeline
from sklearn.utils.validation import check_is_fitted

__all__ = ["predict_dist"]


def predict_dist(estimator, X):
    """The predictive distribution of a skprob estimator, bare or wrapped.

    sklearn's meta-estimators do not delegate unknown methods, so
    ``Pipeline(...).predict_dist`` and ``GridSearchCV(...).predict_dist`` do not exist.
    This function unwraps them: a fitted search object is replaced by its
    ``best_estimator_``, and a pipeline transforms ``X`` through all but its last step,
    recursively.

    Parameters
    ----------
    estimator : fitted estimator
        A skprob estimator, a ``Pipeline`` ending in one, or a fitted search object
        (``GridSearchCV``, ``RandomizedSearchCV``, ...) with ``refit=True`` around either.
    X : array-like of shape (n_samples, n_features)

    Returns
    -------
    dist : distribution
        What the skprob estimator's own ``predict_dist`` returns.

    Examples
    --------
    >>> from sklearn.datasets import load_diabetes
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from skprob import GaussianRegressor, predict_dist
    >>> X, y = load_diabetes(return_X_y=True)
    >>> model = make_pipeline(StandardScaler(),
    ...                       GaussianRegressor(max_epochs=20, random_state=0)).fit(X, y)
    >>> predict_dist(model, X[:3]).mean().shape
    (3,)
    """
    if hasattr(estimator, "best_estimator_"):
        return predict_dist(estimator.best_estimator_, X)
    if isinstance(estimator, Pipeline):
        check_is_fitted(estimator)
        X = estimator[:-1].transform(X) if len(estimator) > 1 else X
        return predict_dist(estimator[-1], X)
    if hasattr(estimator, "predict_dist"):
        return estimator.predict_dist(X)
    if hasattr(estimator, "cv_results_"):
        raise ValueError(
            f"{type(estimator).__name__} was fitted with refit=False, so it has no "
            "best_estimator_ to predict with; refit it with refit=True."
        )
    raise TypeError(
        f"{type(estimator).__name__} has no predictive distribution: pass a skprob "
        "estimator, a Pipeline ending in one, or a fitted search object around either."
    )
