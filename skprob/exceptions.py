"""Exceptions raised by skprob."""

__all__ = ["TrainingDivergedError"]


class TrainingDivergedError(ValueError, FloatingPointError):
    """Training produced a non-finite loss or non-finite predictions.

    It derives from ``ValueError`` (sklearn's convention for bad fits) and from
    ``FloatingPointError`` (what it is).
    """
