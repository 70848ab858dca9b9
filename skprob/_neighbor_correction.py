"""The regressors' neighbour correction: each member's mean moved by its training
residuals near the row.

A network's mean is smooth, and it leaves structure in its training residuals that
nearby rows share: a region it underfits, a row measured twice. For a row ``x`` each
member adds to its location the kernel-weighted mean of its own residuals
``r_j = y_j - mu(x_j)`` at the ``K`` nearest training rows,

    shift(x) = sum_j w_j r_j / (prior + sum_j w_j),  w_j = s_j exp(-(d_j / h)^2),

with ``d_j`` the distance in the network's scaled features (root mean square over the
features, so that ``h`` does not grow with their number), ``s_j`` the sample weights
(mean 1) and ``prior`` the weight of a zero shift. The bandwidth ``h`` and the prior
are chosen by the family's NLL on the members' validation rows, each member's shifts
computed from its own training rows alone, among a small grid and "no shift": where
nearby residuals say nothing about a row's error, the correction turns itself off. It
is kernel regression on the residuals (Nadaraya-Watson), the retrieval of TabR
(Gorishniy et al. 2024) without a learned space. On the UCI sets, 20 splits
(``benchmarks/README.md``): power's RMSE 3.57 -> 3.42 and wine's 0.62 -> 0.55 (a
quarter of wine's test rows repeat a training row), NLL lower on all four.

A row read off close neighbours is also known better than the network alone knew it:
where each row has its own spread, its variance is then multiplied by ``(prior + beta
W) / (prior + W)``, ``W = sum_j w_j`` its kernel mass, with ``beta`` among
:data:`SPREAD_FACTORS` chosen by the same validation NLL (wine's NLL 0.777 -> 0.543 over
the shift alone; ``beta = 1`` on energy, where it changes nothing).

The fitted model keeps what the shifts need: the training rows' scaled features and
each member's residuals.
"""

import numpy as np
from sklearn.neighbors import NearestNeighbors

__all__ = ["fit_neighbor_correction", "neighbor_adjustments"]

#: Neighbours a row averages over.
N_NEIGHBORS = 16

#: The bandwidths ``h`` tried, in root-mean-square distance of the scaled features
#: (robustly scaled features spread about 1 a column).
BANDWIDTHS = (0.01, 0.03, 0.1, 0.3, 1.0)

#: The prior weights of a zero shift tried (a neighbour at distance 0 weighs 1).
PRIORS = (0.1, 0.3, 1.0, 3.0)

#: The factors ``beta`` tried for the variance after the shift: each member's variance
#: times ``(prior + beta W) / (prior + W)``, ``W`` the row's kernel mass. A row read off
#: a close twin (``W`` large) keeps ``beta`` of its variance; a row with no near
#: neighbour keeps all of it. 1 leaves the spread as the network has it.
SPREAD_FACTORS = (1.0, 0.5, 0.2, 0.1, 0.05, 0.02, 0.01)

#: The validation rows of each member that choose the bandwidth and prior: two numbers
#: need no more, and the neighbour search is the cost.
MAX_SELECTION_ROWS = 2_000

#: The least gain in validation NLL, in nats a validation row, for which a correction
#: is kept: below it the shifts are too small to matter (a bandwidth far below the
#: distances between rows leaves every weight near 0), and a model that keeps them
#: pays for the stored rows and the search at every prediction for nothing.
MIN_GAIN_PER_ROW = 1e-3
#: ... and by this many standard errors of the validation rows' gains: the best of the
#: grid's 20 shifts gains something by chance where the residuals are noise. On a
#: linear model of skewed noise (no structure to find), 5 of 12 seeds kept a shift by
#: the gain alone and moved a prediction by up to 0.3 of the noise's scale; with one
#: standard error none did. UCI, 20 splits, NLL without the rule / with 1 / with 2:
#: energy 0.267 / 0.270 / 0.276, yacht -0.584 / -0.584 / -0.566, power and wine equal.
MIN_GAIN_STANDARD_ERRORS = 1.0

#: Rows whose neighbours are searched at once (bounds the memory of a prediction).
QUERY_BATCH_ROWS = 16_384


def _index(features):
    return NearestNeighbors(n_neighbors=min(N_NEIGHBORS, len(features))).fit(features)


def _kernel(distances, weights, bandwidth):
    return weights * np.exp(-np.square(distances / bandwidth))


def _kernel_shift(kernel, residuals, prior):
    """``sum w r / (prior + sum w)`` over the neighbours (the last axis of
    ``kernel``); ``residuals`` ``(..., n_rows, k, n_targets)``, the result ``(...,
    n_rows, n_targets)``."""
    total = (kernel[..., None] * residuals).sum(axis=-2)
    return total / (prior + kernel.sum(axis=-1))[..., None]


def _variance_factor(kernel, prior, spread):
    """``(prior + spread W) / (prior + W)`` for each row, ``W`` its kernel mass."""
    mass = kernel.sum(axis=-1)
    return (prior + spread * mass) / (prior + mass)


def _significant_gain(gains, weights):
    """Whether the validation rows' weighted mean gain is at least
    :data:`MIN_GAIN_PER_ROW` and :data:`MIN_GAIN_STANDARD_ERRORS` standard errors."""
    weights = weights / weights.sum()
    mean = float(weights @ gains)
    # The weighted mean's standard error, with Kish's effective number of rows.
    effective_rows = 1.0 / float(np.square(weights).sum())
    variance = float(weights @ np.square(gains - mean))
    standard_error = np.sqrt(variance / max(effective_rows - 1.0, 1.0))
    return mean > MIN_GAIN_PER_ROW and mean > MIN_GAIN_STANDARD_ERRORS * standard_error


def fit_neighbor_correction(
    features, residuals, sample_weight, validation_rows, validation_loss, spread=True
):
    """Choose the bandwidth and prior on the validation rows, or no correction.

    Parameters
    ----------
    features : ndarray of shape (n_rows, n_features)
        The training rows in the network's scaled features.
    residuals : ndarray of shape (n_members, n_rows, n_targets)
        Each member's ``y - mean`` on every training row, in the units it trains in.
    sample_weight : ndarray of shape (n_rows,)
    validation_rows : ndarray of shape (n_members, n_valid)
        Each member's validation rows; its other rows are its training rows.
    validation_loss : callable
        ``validation_loss(member, rows, shift, variance_factor)``: the member's NLL
        ``(len(rows),)`` of the rows with its location moved by ``shift`` (None: not
        moved) and its variance times ``variance_factor`` ``(len(rows),)`` (None:
        kept). The family's own loss judges the shift: a shift that lowers the squared
        error can still cost density, where a mixture has put its modes on the values
        y takes. The bandwidth and prior are chosen first, then the spread.
    spread : bool, default=True
        Whether the variance may shrink with the kernel mass (:data:`SPREAD_FACTORS`);
        False keeps it (``"spread"`` 1).

    Returns
    -------
    dict or None
        The correction's state (plain arrays and floats: a model file stores it as
        data), or None where no shift beats none on the validation rows by
        :data:`MIN_GAIN_PER_ROW` and :data:`MIN_GAIN_STANDARD_ERRORS` standard errors.
    """
    n_rows, n_features = features.shape
    scaled = (features / np.sqrt(n_features)).astype(np.float32)
    weights = sample_weight / sample_weight.mean()
    grid = [(h, prior) for h in BANDWIDTHS for prior in PRIORS]
    row_losses = [[] for _ in grid]
    no_shift_rows = []
    searched = []
    for member, valid in enumerate(np.asarray(validation_rows)):
        train = np.setdiff1d(np.arange(n_rows), valid)
        # ShuffleSplit's validation rows come in random order: the first are a sample.
        valid = valid[:MAX_SELECTION_ROWS]
        distances, neighbors = _index(scaled[train]).kneighbors(scaled[valid])
        neighbor_rows = train[neighbors]
        near = residuals[member][neighbor_rows]
        row_weight = weights[valid]
        searched.append((valid, distances, weights[neighbor_rows], near, row_weight))
        no_shift_rows.append(validation_loss(member, valid, None, None))
        for i, (bandwidth, prior) in enumerate(grid):
            kernel = _kernel(distances, weights[neighbor_rows], bandwidth)
            shift = _kernel_shift(kernel, near, prior)
            row_losses[i].append(validation_loss(member, valid, shift, None))
    row_weight = np.concatenate([rows[-1] for rows in searched])
    losses = np.array([row_weight @ np.concatenate(rows) for rows in row_losses])
    best = int(np.argmin(losses))
    gains = np.concatenate(no_shift_rows) - np.concatenate(row_losses[best])
    if not _significant_gain(gains, row_weight):
        return None
    bandwidth, prior = grid[best]
    factors = SPREAD_FACTORS if spread else (1.0,)
    spread_losses = np.zeros(len(factors))
    # The first factor, 1, changes nothing: its loss is the shift's, found above.
    spread_losses[0] = losses[best]
    for member, (valid, distances, near_weights, near, row_weight) in enumerate(searched):
        kernel = _kernel(distances, near_weights, bandwidth)
        shift = _kernel_shift(kernel, near, prior)
        for i, factor in enumerate(factors[1:], start=1):
            variance_factor = _variance_factor(kernel, prior, factor)
            loss = validation_loss(member, valid, shift, variance_factor)
            spread_losses[i] += float(row_weight @ loss)
    return {
        "features": scaled,
        "residuals": residuals.astype(np.float32),
        "weights": weights.astype(np.float32),
        "bandwidth": float(bandwidth),
        "prior": float(prior),
        "spread": float(factors[int(np.argmin(spread_losses))]),
    }


def neighbor_adjustments(correction, features):
    """For rows ``features`` (scaled as at fit): each member's shift of the location,
    ``(n_members, n_rows, n_targets)``, and each row's factor on the variance,
    ``(n_rows,)``."""
    scaled = (features / np.sqrt(features.shape[1])).astype(np.float32)
    index = _index(correction["features"])
    residuals, weights = correction["residuals"], correction["weights"]
    bandwidth, prior = correction["bandwidth"], correction["prior"]
    spread = correction["spread"]
    shifts = np.empty((len(residuals), len(scaled), residuals.shape[2]), np.float64)
    factors = np.empty(len(scaled), np.float64)
    for start in range(0, len(scaled), QUERY_BATCH_ROWS):
        rows = slice(start, start + QUERY_BATCH_ROWS)
        distances, neighbors = index.kneighbors(scaled[rows])
        kernel = _kernel(distances, weights[neighbors], bandwidth)
        shifts[:, rows] = _kernel_shift(kernel, residuals[:, neighbors], prior)
        factors[rows] = _variance_factor(kernel, prior, spread)
    return shifts, factors
