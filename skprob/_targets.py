"""How regression targets are encoded for training, by the support of the family.

Every encoding is affine, ``z = (y - loc) / scale`` per output, so a family's parameters
map back to y's units by the family's own rule (``DistributionFamily.location_params``,
``scale_params``, ``log_location_params``):

- ``"real"``: standardised (weighted mean and standard deviation), so that outputs on
  different scales train alike;
- ``"positive"``: divided by the weighted mean (``loc = 0``), so the targets stay positive;
- ``"count"``: unchanged (``loc = 0``, ``scale = 1``): a count's variance is tied to its
  units;
- ``"unit"`` (proportions in (0, 1)): unchanged, as the interval is fixed.
"""

import warnings

import numpy as np

from ._stacklevel import user_stacklevel
from .exceptions import DegenerateTargetWarning

__all__ = [
    "SUPPORT_CONDITIONS",
    "check_support",
    "check_targets_can_spread",
    "fit_target_encoding",
]

#: The condition each restricted support puts on y, in words and as a test.
SUPPORT_CONDITIONS = {
    "positive": ("y > 0", lambda y: y > 0),
    "count": ("y >= 0", lambda y: y >= 0),
    "unit": ("0 < y < 1", lambda y: (y > 0) & (y < 1)),
}

#: What to do about a target outside a support, where there is more to say.
_SUPPORT_ADVICE = {
    "unit": (
        " Proportions of exactly 0 or 1 have no density: squeeze them into (0, 1), "
        "(y * (n - 1) + 0.5) / n for n rows (Smithson and Verkuilen, 2006), or model "
        "the zeros and ones apart."
    ),
}


def check_support(y, support, distribution):
    """Raise a ``ValueError`` naming the first row of ``y`` outside ``support``.

    Parameters
    ----------
    y : ndarray of shape (n_samples, n_outputs)
    support : {"real", "positive", "count"}
    distribution : str
        The family's name, for the message.

    Examples
    --------
    >>> import numpy as np
    >>> check_support(np.array([[1.0], [0.0]]), "positive", "gamma")
    Traceback (most recent call last):
    ...
    ValueError: distribution='gamma' needs targets y > 0; row 1 has y = 0.0.
    """
    if support not in SUPPORT_CONDITIONS:
        return
    condition, inside = SUPPORT_CONDITIONS[support]
    outside = ~inside(y)
    if outside.any():
        row, column = np.argwhere(outside)[0]
        raise ValueError(
            f"distribution={distribution!r} needs targets {condition}; row {row} "
            f"has y = {y[row, column]}.{_SUPPORT_ADVICE.get(support, '')}"
        )


def check_targets_can_spread(y, sample_weight, estimator_name):
    """Refuse one row; warn where an output is constant: no spread can be learned.

    Rows of weight 0 do not count: they take no part in the fit.

    Parameters
    ----------
    y : ndarray of shape (n_samples, n_outputs)
    sample_weight : ndarray of shape (n_samples,)
    estimator_name : str

    Examples
    --------
    >>> import numpy as np
    >>> check_targets_can_spread(np.array([[2.0]]), np.ones(1), "GaussianRegressor")
    Traceback (most recent call last):
    ...
    ValueError: GaussianRegressor cannot learn a distribution from 1 sample: ...
    """
    used = y[sample_weight > 0]
    if len(used) < 2:
        raise ValueError(
            f"{estimator_name} cannot learn a distribution from {len(used)} sample: "
            "the spread of y is learned from how targets vary, which needs at least "
            "two rows (of non-zero weight)."
        )
    constant = np.all(used == used[0], axis=0)
    if constant.any():
        column = int(np.argmax(constant))
        where = "y" if y.shape[1] == 1 else f"y[:, {column}]"
        warnings.warn(
            f"{where} is {used[0, column]:g} in every training row: with nothing to "
            f"learn a spread from, {estimator_name}'s predicted spread shrinks towards "
            "its floor and says nothing about the data. Check the target column.",
            DegenerateTargetWarning,
            stacklevel=user_stacklevel(),
        )


def fit_target_encoding(y, support, sample_weight=None):
    """The location and scale per output that encode ``y`` for a family of ``support``.

    Parameters
    ----------
    y : ndarray of shape (n_samples, n_outputs)
    support : {"real", "positive", "count", "unit"}
    sample_weight : ndarray of shape (n_samples,), default=None
        Weights of the statistics, as of every statistic taken from the data.

    Returns
    -------
    loc, scale : ndarray of shape (n_outputs,)
        Train on ``(y - loc) / scale``.

    Examples
    --------
    >>> import numpy as np
    >>> y = np.array([[1.0, 10.0], [3.0, 30.0]])
    >>> loc, scale = fit_target_encoding(y, "real")
    >>> (y - loc) / scale
    array([[-1., -1.],
           [ 1.,  1.]])
    >>> fit_target_encoding(y, "positive")
    (array([0., 0.]), array([ 2., 20.]))
    """
    n_outputs = y.shape[1]
    if support in ("count", "unit"):
        return np.zeros(n_outputs), np.ones(n_outputs)
    if support == "positive":
        return np.zeros(n_outputs), np.average(y, axis=0, weights=sample_weight)
    with np.errstate(over="ignore", invalid="ignore"):  # checked just below
        loc = np.average(y, axis=0, weights=sample_weight)
        deviation = y - loc
    if not np.isfinite(deviation).all():
        raise ValueError(
            "The targets are too large for float64 arithmetic (their mean or their "
            f"deviations from it overflow; the largest |y| is {np.abs(y).max():.3g}). "
            "Divide y by a constant before fitting."
        )
    # The standard deviation with the deviations divided by their largest first: their
    # squares cannot overflow (|y| ~ 1e155 would).
    largest = np.max(np.abs(deviation), axis=0)
    largest = np.where(largest > 0, largest, 1.0)
    spread = np.average((deviation / largest) ** 2, axis=0, weights=sample_weight)
    scale = largest * np.sqrt(spread)
    # A constant output keeps scale 1 (its deviations are all 0).
    tiny = np.finfo(np.float64).eps * np.maximum(np.abs(loc), 1.0)
    scale = np.where(scale > tiny, scale, 1.0)
    return loc, scale
