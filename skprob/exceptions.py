"""Exceptions raised by skprob."""

__all__ = ["DegenerateTargetWarning", "FeatureScaleWarning", "TrainingDivergedError"]


class TrainingDivergedError(ValueError, FloatingPointError):
    """Training produced a non-finite loss or non-finite predictions.

    It derives from ``ValueError`` (sklearn's convention for bad fits) and from
    ``FloatingPointError`` (what it is).

    Examples
    --------
    >>> import numpy as np
    >>> from skprob import CategoricalClassifier, TrainingDivergedError
    >>> X = np.random.RandomState(0).normal(size=(50, 3)) * 1e200
    >>> y = np.arange(50) % 2
    >>> try:
    ...     CategoricalClassifier(optimizer="sgd", learning_rate=1e12).fit(X, y)
    ... except TrainingDivergedError as error:
    ...     print("learning rate" in str(error))
    True
    """


class FeatureScaleWarning(UserWarning):
    """The features are far from unit scale, which a network trains on poorly.

    A network's starting weights assume inputs of about unit size: columns with values
    in the thousands (prices, years, unscaled sensor readings) make the first layer's
    outputs huge, and training slow or unstable. Standardise them, for example with
    ``make_pipeline(StandardScaler(), estimator)``.
    """


class DegenerateTargetWarning(UserWarning):
    """The targets leave the predicted spread without meaning.

    A regressor learns the spread of y from how the targets vary around their predicted
    centre. Where an output takes one value in every training row there is no variation
    to learn from: the model still predicts a distribution (training shrinks its spread
    towards the family's floor), but its width says nothing about the data. The fit
    goes on, as sklearn's regressors do on a constant target; the warning says why the
    intervals cannot be trusted.

    Examples
    --------
    >>> import warnings
    >>> import numpy as np
    >>> from skprob import DegenerateTargetWarning, GaussianRegressor
    >>> X = np.arange(20.0).reshape(-1, 1)
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     _ = GaussianRegressor(max_epochs=2, random_state=0).fit(X, np.full(20, 3.0))
    >>> any(w.category is DegenerateTargetWarning for w in caught)
    True
    """
