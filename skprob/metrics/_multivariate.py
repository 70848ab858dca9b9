"""Scores for joint distributions of several outputs."""

import numpy as np
from sklearn.utils import check_random_state

__all__ = ["energy_score"]


def energy_score(y_true, dist, *, n_samples=1000, random_state=0, sample_weight=None):
    """Mean energy score of each row's vector ``y_true[i]`` under ``dist``.

    ``ES = E|X - y| - 1/2 E|X - X'|``, with ``X, X'`` independent draws of the row's
    predicted distribution and ``|.|`` the Euclidean norm: the CRPS of several outputs at
    once (Gneiting and Raftery, 2007), a proper scoring rule that, unlike the sum of the
    outputs' CRPS, rewards getting their dependence right. Lower is better. Estimated
    from ``n_samples`` draws of ``X`` and of ``X'`` (``dist.rvs``); scoringrules'
    ``energy_score`` gives the same estimator.

    Parameters
    ----------
    y_true : array-like of shape (n_samples, n_outputs)
    dist : distribution of shape (n_samples, n_outputs) that draws
        A :class:`~skprob.distributions.MultivariateNormalDistribution`, or the
        distribution of independent outputs (a mixture, or a scipy.stats frozen
        distribution): then its draws are independent across outputs.
    n_samples : int, default=1000
    random_state : int, RandomState instance or None, default=0
        The draws' seed: fixed by default, so that models compare on the same draws.
    sample_weight : array-like of shape (n_samples,), default=None

    Returns
    -------
    score : float

    Examples
    --------
    >>> import numpy as np
    >>> from skprob.distributions import MultivariateNormalDistribution
    >>> dist = MultivariateNormalDistribution(np.zeros((1, 2)), np.eye(2)[None])
    >>> near, far = energy_score([[0.0, 0.0]], dist), energy_score([[3.0, 3.0]], dist)
    >>> bool(near < far)
    True
    """
    y_true = np.asarray(y_true, dtype=float)
    if y_true.ndim != 2 or y_true.shape != np.shape(dist.mean()):
        raise ValueError(
            f"y_true has shape {y_true.shape} but the distribution has shape "
            f"{np.shape(dist.mean())}; the energy score takes one vector a row."
        )
    rng = check_random_state(random_state)
    draws, others = (_draws(dist, n_samples, y_true.shape, rng) for _ in range(2))
    to_y = np.linalg.norm(draws - y_true[None], axis=-1).mean(axis=0)
    between = np.linalg.norm(draws - others, axis=-1).mean(axis=0)
    return float(np.average(to_y - 0.5 * between, weights=sample_weight))


def _draws(dist, n_samples, shape, rng):
    """``(n_samples, n_rows, n_outputs)`` draws: skprob's distributions put the draws
    in front; a scipy frozen distribution takes the full shape."""
    if hasattr(dist, "dist") and hasattr(dist, "kwds"):  # scipy.stats frozen
        return dist.rvs(size=(n_samples,) + shape, random_state=rng)
    return dist.rvs(size=n_samples, random_state=rng)
