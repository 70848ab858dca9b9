"""Exceptions raised by skprob."""

__all__ = ["TrainingDivergedError"]


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
