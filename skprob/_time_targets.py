"""Time-to-event targets as ``[lower, upper, bounded]`` rows: what each row says about
its time to the event.

An event at ``t`` is ``[t, t, 1]``; a row followed up to ``t`` without the event
(right-censored) ``[t, t, 0]``; an event somewhere in ``[a, b]`` (interval-censored;
left-censored when ``a = 0``) ``[a, b, 1]``. ``skprob.families.censored.Censored``
turns each into its log-likelihood; the estimator and the metrics read users' targets
into this form here.
"""

import warnings

import numpy as np
from sklearn.exceptions import DataConversionWarning

from ._stacklevel import user_stacklevel

__all__ = ["event_and_time", "time_bounds"]


def _structured_event_and_time(y):
    """The boolean and the numeric field of a structured array (scikit-survival's
    ``Surv.from_arrays``), in either order."""
    names = y.dtype.names
    kinds = [y.dtype[name].kind for name in names]
    if len(names) != 2 or kinds.count("b") != 1 or not any(k in "iuf" for k in kinds):
        fields = ", ".join(f"{n!r} ({y.dtype[n]})" for n in names)
        raise ValueError(
            "A structured y holds two fields, a boolean event indicator and a numeric "
            f"time (sksurv.util.Surv.from_arrays(event, time)); this one has {fields}."
        )
    event_name = names[kinds.index("b")]
    time_name = names[1 - kinds.index("b")]
    return y[event_name].astype(bool), y[time_name].astype(np.float64)


def _as_array(y):
    if hasattr(y, "to_records") and hasattr(y, "columns"):  # a DataFrame
        return y.to_records(index=False)
    y = np.asarray(y)
    if y.dtype.kind == "c":
        raise ValueError("Complex data not supported: times are real numbers.")
    if y.dtype.kind == "O":
        try:
            return y.astype(np.float64)
        except (TypeError, ValueError):
            raise ValueError(
                "Unknown label type: time-to-event targets are numbers (times, "
                "[time, event] columns) or a structured array of events and times; y "
                "holds other objects."
            ) from None
    return y


def event_and_time(y):
    """The event indicators and times of right-censored targets.

    Parameters
    ----------
    y : structured array, array-like of shape (n_samples, 2) or (n_samples,)
        scikit-survival's structured array (a boolean event field and a time field),
        columns ``[time, event]`` with ``event`` 0 or 1, or times alone (all events).

    Returns
    -------
    event : ndarray of bool, shape (n_samples,)
    time : ndarray of float64, shape (n_samples,)

    Examples
    --------
    >>> event_and_time([[5.0, 1], [3.0, 0]])
    (array([ True, False]), array([5., 3.]))
    """
    y = _as_array(y)
    if y.dtype.names is not None:
        event, time = _structured_event_and_time(y.ravel() if y.ndim > 1 else y)
    else:
        if y.dtype.kind not in "biuf":
            raise ValueError(
                f"Time-to-event targets must be numbers; y has dtype {y.dtype}. Pass "
                "times, [time, event] columns or a structured array."
            )
        y = y.astype(np.float64)
        if y.ndim == 2 and y.shape[1] == 1:
            warnings.warn(
                "A column-vector y was passed when a 1d array was expected: it is "
                "read as times, all of them events.",
                DataConversionWarning,
                stacklevel=user_stacklevel(),
            )
            y = y[:, 0]
        if y.ndim == 1:
            event, time = np.ones(len(y), dtype=bool), y
        elif y.ndim == 2 and y.shape[1] == 2:
            time, flags = y[:, 0], y[:, 1]
            bad = ~np.isin(flags, (0.0, 1.0))
            if bad.any():
                row = int(np.flatnonzero(bad)[0])
                raise ValueError(
                    "With censoring='right' a y of two columns is [time, event], the "
                    f"event 0 or 1; row {row} has event = {float(flags[row])}. For a lower "
                    "and an upper bound of each time use censoring='interval'."
                )
            event = flags == 1.0
        else:
            raise ValueError(
                "Time-to-event targets are times of shape (n_samples,), [time, event] "
                f"columns of shape (n_samples, 2) or a structured array; y has shape "
                f"{y.shape}."
            )
    _check_no_nan(time, "time")
    if np.isinf(time).any():
        row = int(np.flatnonzero(np.isinf(time))[0])
        raise ValueError(f"Times must be finite; row {row} has time = {time[row]}.")
    if (time < 0).any():
        row = int(np.flatnonzero(time < 0)[0])
        raise ValueError(f"Times must be >= 0; row {row} has time = {time[row]}.")
    return event, time


def _check_no_nan(values, name):
    nan = np.isnan(values)
    if nan.any():
        raise ValueError(f"y holds NaN: {name} of row {int(np.flatnonzero(nan)[0])}.")


def time_bounds(y, censoring):
    """``[lower, upper, bounded]`` rows for ``y`` under ``censoring``.

    Parameters
    ----------
    y : see :func:`event_and_time` (``censoring="right"``), or array-like of shape
        (n_samples, 2) of ``[lower, upper]`` bounds (``censoring="interval"``): equal
        for an event, ``upper = inf`` for a right-censored row, ``lower = 0`` for a
        left-censored one.
    censoring : {"right", "interval"}

    Returns
    -------
    bounds : ndarray of shape (n_samples, 3)

    Examples
    --------
    >>> time_bounds([[2.0, 2.0], [1.0, np.inf], [0.0, 3.0]], "interval")
    array([[2., 2., 1.],
           [1., 1., 0.],
           [0., 3., 1.]])
    """
    if censoring == "right":
        event, time = event_and_time(y)
        bounds = np.column_stack([time, time, event.astype(np.float64)])
    else:
        y = _as_array(y)
        if y.dtype.names is not None or y.ndim != 2 or y.shape[1] != 2:
            raise ValueError(
                "With censoring='interval' y is [lower, upper] columns of shape "
                "(n_samples, 2): equal bounds for an event, upper = inf for a "
                f"right-censored row, lower = 0 for a left-censored one; got "
                f"{'a structured array' if y.dtype.names else f'shape {y.shape}'}."
            )
        y = y.astype(np.float64)
        lower, upper = y[:, 0], y[:, 1]
        _check_no_nan(lower, "lower bound")
        _check_no_nan(upper, "upper bound")
        for name, values in (("lower bound", lower), ("upper bound", upper)):
            if (values < 0).any():
                row = int(np.flatnonzero(values < 0)[0])
                raise ValueError(f"Times must be >= 0; row {row} has {name} {values[row]}.")
        if np.isinf(lower).any():
            row = int(np.flatnonzero(np.isinf(lower))[0])
            raise ValueError(f"Lower bounds must be finite; row {row} has {lower[row]}.")
        if (upper < lower).any():
            row = int(np.flatnonzero(upper < lower)[0])
            raise ValueError(
                f"Each upper bound must be >= its lower bound; row {row} has [{lower[row]}"
                f", {upper[row]}]."
            )
        bounded = np.isfinite(upper)
        bounds = np.column_stack(
            [lower, np.where(bounded, upper, lower), bounded.astype(np.float64)]
        )
    event_at_zero = (bounds[:, 1] == 0) & (bounds[:, 2] > 0)
    if event_at_zero.any():
        row = int(np.flatnonzero(event_at_zero)[0])
        raise ValueError(
            f"Row {row} has an event at time 0, where a time-to-event density has no "
            "mass. Times must be > 0: record an event seen at the start as the "
            "smallest time the clock resolves, or as left-censored (censoring="
            "'interval', bounds [0, resolution])."
        )
    return bounds
