"""The continuous ranked probability score of one distribution per element.

``CRPS(F, y) = integral (F(z) - 1{z >= y})^2 dz``. Closed forms for the families skprob
predicts, written on ``scipy.special``: ``scoringrules`` has the same forms but needs
Python >= 3.11 and its Poisson form overflows to NaN above about 170 counts, so it is
the tests' oracle rather than a dependency. A trapezoid rule for continuous mixtures; a
sum over the integers for any other count distribution (an ensemble's mixture); the
quantile form for any other distribution with a ``ppf``.
"""

import numpy as np
from scipy import special, stats

__all__ = ["CRPS_QUANTILE_LEVELS", "crps_per_element"]

#: Quantile levels of the general CRPS path: midpoints of an even grid on (0, 1).
CRPS_QUANTILE_LEVELS = 1000

#: The integer sum runs between these quantiles of each distribution (and y); the
#: squared CDF gaps left out sum to well below float64 resolution of the score.
INTEGER_SUM_TAIL = 1e-12

#: Largest number of terms one chunk of the integer sum holds in memory at once.
INTEGER_SUM_CHUNK = 2**22

#: Largest number of quantiles one call of ``ppf`` in the quantile form computes.
QUANTILE_CHUNK = 2**16

#: Integration nodes each component of a continuous mixture contributes (its quantiles).
MIXTURE_NODES_PER_COMPONENT = 200


def _standard_form(dist):
    """Shape parameters, loc and scale of a frozen scipy distribution, broadcast."""
    shapes, loc, scale = dist.dist._parse_args(*dist.args, **dist.kwds)
    return [np.asarray(shape, dtype=float) for shape in shapes], loc, scale


def _normal(z):
    return z * (2 * special.ndtr(z) - 1) + 2 * stats.norm.pdf(z) - 1 / np.sqrt(np.pi)


def _laplace(z):
    return np.abs(z) + np.exp(-np.abs(z)) - 0.75


def _student_t(z, df):
    # Finite for df > 1 (Jordan et al., 2019, eq. for the t).
    with np.errstate(invalid="ignore", divide="ignore"):
        tail = (
            2
            * np.sqrt(df)
            * special.beta(0.5, df - 0.5)
            / ((df - 1) * special.beta(0.5, df / 2) ** 2)
        )
        score = (
            z * (2 * stats.t.cdf(z, df) - 1)
            + 2 * stats.t.pdf(z, df) * (df + z**2) / (df - 1)
            - tail
        )
    return np.where(df > 1, score, np.inf)


def _lognormal(z, s):
    # log X ~ N(0, s^2); for z <= 0 the indicator is 1 everywhere (w = -inf). The
    # inner where keeps log away from 0 and negatives.
    w = np.where(z > 0, np.log(np.where(z > 0, z, 1.0)) / s, -np.inf)
    return z * (2 * special.ndtr(w) - 1) - 2 * np.exp(s**2 / 2) * (
        special.ndtr(w - s) + special.ndtr(s / np.sqrt(2)) - 1
    )


def _gamma(z, a):
    return (
        z * (2 * stats.gamma.cdf(z, a) - 1)
        - a * (2 * stats.gamma.cdf(z, a + 1) - 1)
        - 1 / special.beta(0.5, a)
    )


def _poisson(y, rate):
    # The Bessel terms scaled by exp(-2 rate) (i0e, i1e): no overflow for large rates.
    return (
        (y - rate) * (2 * stats.poisson.cdf(y, rate) - 1)
        + 2 * rate * stats.poisson.pmf(np.floor(y), rate)
        - rate * (special.i0e(2 * rate) + special.i1e(2 * rate))
    )


def _negative_binomial(y, n, p):
    # Wei and Held (2014). scipy's hyp2f1 fails (NaN) for large sizes with a large
    # argument; those elements are left to the integer sum.
    with np.errstate(all="ignore"):
        tail = special.hyp2f1(n + 1, 0.5, 2, -4 * (1 - p) / p**2)
        return y * (2 * stats.nbinom.cdf(y, n, p) - 1) - n * (1 - p) / p**2 * (
            p * (2 * stats.nbinom.cdf(y - 1, n + 1, p) - 1) + tail
        )


#: Closed forms by scipy name: ``f(z, *shapes)`` of the standardised distribution
#: (loc 0, scale 1); the score of ``loc + scale X`` at y is ``scale f((y - loc) /
#: scale)``.
CONTINUOUS_CLOSED_FORMS = {
    "norm": _normal,
    "laplace": _laplace,
    "t": _student_t,
    "lognorm": _lognormal,
    "gamma": _gamma,
}

#: Closed forms of count distributions: ``f(y - loc, *shapes)``.
DISCRETE_CLOSED_FORMS = {"poisson": _poisson, "nbinom": _negative_binomial}


def _closed_form(y, dist):
    """The closed form of a frozen scipy distribution, or None where there is none."""
    name = getattr(getattr(dist, "dist", None), "name", None)
    if name in CONTINUOUS_CLOSED_FORMS:
        shapes, loc, scale = _standard_form(dist)
        return scale * CONTINUOUS_CLOSED_FORMS[name]((y - loc) / scale, *shapes)
    if name in DISCRETE_CLOSED_FORMS:
        shapes, loc, _ = _standard_form(dist)
        return DISCRETE_CLOSED_FORMS[name](y - loc, *shapes)
    return None


def is_integer_valued(dist):
    """Whether ``dist`` lives on the integers (it has a ``logpmf``)."""
    return hasattr(dist, "logpmf")


def crps_from_quantiles(y, dist, n_levels=CRPS_QUANTILE_LEVELS):
    """CRPS by its quantile form; it needs only ``ppf``, so it serves any distribution.

    ``CRPS = 2 * integral over tau in (0, 1) of the pinball loss of the tau-quantile``,
    by the midpoint rule on ``n_levels`` levels.
    """
    y = np.asarray(y, dtype=float)
    total = np.zeros_like(y)
    levels = (np.arange(n_levels) + 0.5) / n_levels
    # Several levels per call (a leading axis): a mixture's ppf is a bisection whose
    # cost is mostly per call.
    per_chunk = max(1, QUANTILE_CHUNK // max(y.size, 1))
    for start in range(0, n_levels, per_chunk):
        tau = levels[start : start + per_chunk].reshape((-1,) + (1,) * y.ndim)
        q = dist.ppf(np.broadcast_to(tau, tau.shape[:1] + y.shape))
        total += (((y < q) - tau) * (q - y)).sum(axis=0)
    return 2 * total / n_levels


def crps_of_mixture_by_integration(y, mixture, n_levels=MIXTURE_NODES_PER_COMPONENT):
    """CRPS of a continuous mixture, integrated on nodes placed by its components.

    The nodes are every component's quantiles at ``n_levels`` levels (dense where any
    component has mass, sparse in the tails) and y; between neighbouring nodes the
    integrand ``(F(z) - 1{z >= y})^2`` is integrated by the trapezoid rule, with the
    mixture's CDF evaluated once per node. About ``n_levels * K`` CDF evaluations per
    element, against ``1000 * 64`` for the quantile form with a bisection ``ppf``.
    """
    y = np.asarray(y, dtype=float)
    n_components = mixture.n_components
    # Midpoint levels plus far tails, so that the integral beyond the outer nodes is
    # below the rule's own error.
    levels = np.concatenate(
        [
            [1e-10, 1e-6, 1e-3],
            (np.arange(n_levels) + 0.5) / n_levels,
            [1 - 1e-3, 1 - 1e-6, 1 - 1e-10],
        ]
    )
    flat_y = y.reshape(-1)
    scores = np.empty_like(flat_y)
    n_nodes = len(levels) * n_components + 1
    per_chunk = max(1, INTEGER_SUM_CHUNK // (n_nodes * n_components))
    for start in range(0, len(flat_y), per_chunk):
        rows = slice(start, start + per_chunk)
        part = _mixture_rows(mixture, rows)
        quantiles = part.components.ppf(levels[:, None, None])  # (levels, rows, K)
        n_rows = quantiles.shape[1]
        quantiles = np.moveaxis(quantiles, -1, 1).reshape(-1, n_rows)
        nodes = np.sort(np.concatenate([quantiles, flat_y[None, rows]]), axis=0)
        cdf = part.cdf(nodes)
        below = nodes < flat_y[None, rows]
        integrand = np.where(below, cdf**2, (1 - cdf) ** 2)
        # An interval ending at y lies below it; the one starting at y above it.
        widths = np.diff(nodes, axis=0)
        left, right = integrand[:-1], integrand[1:]
        right = np.where(below[:-1] & ~below[1:], cdf[1:] ** 2, right)
        scores[rows] = np.sum(0.5 * widths * (left + right), axis=0)
    return scores.reshape(y.shape)


def _mixture_rows(mixture, rows):
    """The elements ``rows`` of a mixture flattened to shape (n, K)."""
    shape = mixture.log_weights.shape

    def flat(value):
        return np.broadcast_to(value, shape).reshape(-1, shape[-1])[rows]

    components = mixture.components
    part = components.dist(
        *map(flat, components.args), **{k: flat(v) for k, v in components.kwds.items()}
    )
    return type(mixture)(part, log_weights=flat(mixture.log_weights))


def crps_integer_sum(y, dist):
    """CRPS of a distribution on the integers, summed exactly cell by cell.

    On ``[k, k + 1)`` the CDF is ``F(k)``: the cell adds ``F(k)^2`` where ``z < y`` and
    ``(1 - F(k))^2`` where ``z >= y``. The sum runs from the lower to the upper
    :data:`INTEGER_SUM_TAIL` quantile (and y); rows are taken in chunks.
    """
    y = np.asarray(y, dtype=float)
    shape = y.shape
    flat_y = y.ravel()
    low = np.minimum(dist.ppf(np.full(shape, INTEGER_SUM_TAIL)), np.floor(y)).ravel()
    high = np.maximum(dist.ppf(np.full(shape, 1 - INTEGER_SUM_TAIL)), np.floor(y)).ravel()
    n_cells = (high - low + 1).astype(np.int64)
    # The CDF takes grids with a leading axis of cells (the distribution's own shape
    # after it), a chunk of cells at a time.
    longest = int(n_cells.max())
    cells_per_chunk = max(1, INTEGER_SUM_CHUNK // max(flat_y.size, 1))
    total = np.zeros_like(flat_y)
    for start in range(0, longest, cells_per_chunk):
        offsets = np.arange(start, min(start + cells_per_chunk, longest))
        k = low[None, :] + offsets[:, None]
        cdf = dist.cdf(k.reshape((len(offsets),) + shape)).reshape(k.shape)
        above = np.clip(k + 1 - flat_y, 0.0, 1.0)  # length of the cell with z >= y
        cell = (1 - above) * cdf**2 + above * (1 - cdf) ** 2
        total += np.where(offsets[:, None] < n_cells[None, :], cell, 0.0).sum(axis=0)
    return total.reshape(shape)


def crps_per_element(y, dist):
    """CRPS of each element of ``y`` under the matching element of ``dist``.

    The distribution's own ``crps`` method (a Normal mixture's closed form) comes first,
    then the closed forms of scipy's Normal, Laplace, t, log-normal, gamma, Poisson and
    negative binomial; any other count distribution is summed over the integers, any
    other distribution goes through its quantiles.
    """
    if hasattr(dist, "crps"):
        return dist.crps(y)
    scores = _closed_form(y, dist)
    if scores is not None and not np.isnan(scores).any():
        return scores
    fallback = crps_integer_sum if is_integer_valued(dist) else crps_from_quantiles
    if scores is None:
        return fallback(y, dist)
    # Where a closed form failed (the negative binomial's hyp2f1 for large sizes).
    return np.where(np.isnan(scores), fallback(y, dist), scores)
