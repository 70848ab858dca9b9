"""Exceptions raised by skprob."""

__all__ = ["FeatureScaleWarning", "TrainingDivergedError"]


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
