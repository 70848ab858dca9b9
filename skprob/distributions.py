"""Predictive distributions with scipy.stats' interface, where scipy has none vectorised."""

import numpy as np
from scipy import special, stats
from sklearn.utils import check_random_state

from ._labels import find_labels
from ._multivariate_normal import MultivariateNormalDistribution

__all__ = [
    "CategoricalDistribution",
    "DiscreteMixtureDistribution",
    "MixtureDistribution",
    "MultivariateNormalDistribution",
    "mixture_distribution",
]

#: Most steps of :meth:`MixtureDistribution.ppf`. Each is a Newton step on the CDF, kept
#: inside the bracket of the mixture's quantile and replaced by halving the bracket where
#: it would leave it; Newton converges in about six, and 64 halvings alone reach float64
#: resolution from the bracket between the smallest and largest component quantile.
PPF_MAX_STEPS = 100
#: :meth:`MixtureDistribution.ppf` stops once every element's last step moved it by at
#: most this many units in the last place of float64 (or its bracket is that narrow).
PPF_TOLERANCE_ULPS = 2


class CategoricalDistribution:
    """Categorical distributions over K classes, one per row.

    The interface follows a frozen ``scipy.stats`` discrete distribution (``pmf``,
    ``logpmf``, ``cdf``, ``ppf``, ``mean``, ``var``, ``std``, ``interval``, ``rvs``,
    ``entropy``), vectorised over rows: scipy has no vectorised categorical. Values are
    the labels of ``classes`` (a classifier's ``classes_``: strings, or integers such as
    ``[2, 7, 11]``), ordered as given; without ``classes`` they are the indices 0 to K-1.

    Parameters
    ----------
    probs : array-like of shape (n_rows, n_classes)
        Class probabilities; each row sums to one.
    log_probs : array-like of shape (n_rows, n_classes), default=None
        Their logarithms, when known more accurately than ``log(probs)``.
    classes : array-like of shape (n_classes,), default=None
        The label of each column, sorted (as sklearn's ``classes_``) or in an order of
        their own (an ordinal classifier's ``categories``; ``cdf`` then follows it). A
        label that is not among them is an error in ``logpmf`` and ``pmf``, never a
        silent zero.

    Examples
    --------
    >>> dist = CategoricalDistribution([[0.2, 0.8], [0.5, 0.5]])
    >>> dist.pmf([1, 0])
    array([0.8, 0.5])
    >>> dist.mean()
    array([0.8, 0.5])
    >>> labelled = CategoricalDistribution([[0.2, 0.8]], classes=["cat", "dog"])
    >>> labelled.pmf(["dog"]), labelled.ppf(0.5)
    (array([0.8]), array(['dog'], dtype='<U3'))
    """

    def __init__(self, probs, log_probs=None, classes=None):
        probs = np.asarray(probs, dtype=float)
        if probs.ndim != 2:
            raise ValueError(f"probs must be 2-D (n_rows, n_classes), got {probs.shape}.")
        self.probs = probs
        if log_probs is None:
            with np.errstate(divide="ignore"):
                log_probs = np.log(probs)
        self.log_probs = np.asarray(log_probs, dtype=float)
        self.classes = None if classes is None else np.asarray(classes)
        if self.classes is not None and self.classes.shape != (probs.shape[1],):
            raise ValueError(
                f"classes has shape {self.classes.shape}; expected one label per column "
                f"({probs.shape[1]})."
            )

    @property
    def n_classes(self):
        return self.probs.shape[1]

    def __len__(self):
        return self.probs.shape[0]

    def _per_row(self, k):
        k = np.asarray(k)
        if k.shape not in {(), (len(self),)}:
            raise ValueError(
                f"Expected one class per row ({len(self)}) or a scalar, got shape "
                f"{k.shape}."
            )
        return np.broadcast_to(k, (len(self),))

    def _label_index(self, labels):
        """Column of each label; an unknown label is an error that names it."""
        labels = self._per_row(labels)
        if self.classes is None:
            return labels
        index, unknown = find_labels(self.classes, labels)
        if unknown:
            raise ValueError(
                f"Label {unknown[0]!r} is not one of the classes the model "
                f"knows {self.classes.tolist()}: a class missing from the training data "
                "has no predicted probability."
            )
        return index

    def logpmf(self, k):
        """Log-probability of the class ``k`` (one per row, or one for all rows)."""
        # A label's column is always inside; a class index may not be (-inf there).
        index = self._label_index(k)
        inside = (index == np.floor(index)) & (index >= 0) & (index < self.n_classes)
        safe = np.where(inside, index, 0).astype(int)
        out = np.take_along_axis(self.log_probs, safe[:, None], axis=1)[:, 0]
        return np.where(inside, out, -np.inf)

    def pmf(self, k):
        """Probability of the class ``k``."""
        return np.exp(self.logpmf(k))

    def cdf(self, k):
        """``P(Y <= k)`` with the classes in their order."""
        k = self._per_row(k)
        if self.classes is None:
            idx = np.clip(np.floor(k), -1, self.n_classes - 1).astype(int)
        elif np.all(self.classes[:-1] <= self.classes[1:]):
            idx = np.searchsorted(self.classes, k, side="right") - 1
        else:  # classes in an order of their own (ordinal labels): k must be one
            idx = self._label_index(k)
        cumulative = np.cumsum(self.probs, axis=1)
        out = np.take_along_axis(cumulative, np.maximum(idx, 0)[:, None], axis=1)[:, 0]
        return np.where(idx < 0, 0.0, np.minimum(out, 1.0))

    def _values(self):
        if self.classes is None:
            return np.arange(self.n_classes)
        if not np.issubdtype(self.classes.dtype, np.number):
            raise TypeError(
                f"The classes {self.classes.tolist()} are not numbers: their mean and "
                "variance are undefined. Use pmf, ppf or the class probabilities."
            )
        return self.classes

    def ppf(self, q):
        """Smallest class ``k`` with ``cdf(k) >= q``."""
        q = np.broadcast_to(np.asarray(q, dtype=float), (len(self),))
        cumulative = np.cumsum(self.probs, axis=1)
        # Rounding can leave the last cumulative sum a hair under 1.
        cumulative[:, -1] = 1.0
        k = (cumulative < q[:, None]).sum(axis=1)
        valid = (q >= 0) & (q <= 1)
        if self.classes is None:
            return np.where(valid, k.astype(float), np.nan)
        if not valid.all():
            raise ValueError("q must be in [0, 1].")
        return self.classes[np.minimum(k, self.n_classes - 1)]

    def mean(self):
        """Expected class (its index, or its label when the labels are numbers)."""
        return self.probs @ self._values()

    def var(self):
        """Variance of the class (index, or numeric label)."""
        values = self._values()
        return self.probs @ values**2 - self.mean() ** 2

    def std(self):
        """Standard deviation of the class (index, or numeric label)."""
        return np.sqrt(np.maximum(self.var(), 0.0))

    def interval(self, confidence):
        """Equal-tailed interval of classes holding at least ``confidence``."""
        return _equal_tailed_interval(self.ppf, confidence)

    def entropy(self):
        """Shannon entropy of each row, in nats."""
        # 0 * log(0) counts as 0; masking the product avoids evaluating 0 * -inf.
        terms = np.multiply(
            self.probs, self.log_probs, out=np.zeros_like(self.probs), where=self.probs > 0
        )
        return -terms.sum(axis=1)

    def rvs(self, size=None, random_state=None):
        """Draw classes; ``size`` is the number of draws per row (or None for one)."""
        rng = check_random_state(random_state)
        n_draws = 1 if size is None else int(np.prod(size))
        cumulative = np.cumsum(self.probs, axis=1)
        u = rng.uniform(size=(n_draws, len(self), 1))
        draws = (u > cumulative[None, :, :]).sum(axis=2)
        draws = np.minimum(draws, self.n_classes - 1)
        if self.classes is not None:
            draws = self.classes[draws]
        if size is None:
            return draws[0]
        return draws.reshape(tuple(np.atleast_1d(size)) + (len(self),))

    def __repr__(self):
        return f"CategoricalDistribution(n_rows={len(self)}, n_classes={self.n_classes})"


class _FiniteMixture:
    """What every finite mixture shares: weights, CDF, moments, intervals, draws."""

    def __init__(self, components, weights=None, *, log_weights=None):
        self.components = components
        shape = np.shape(components.mean())
        if len(shape) < 1:
            raise ValueError("components need a last axis that runs over the components.")
        if weights is not None and log_weights is not None:
            raise ValueError("Pass weights or log_weights, not both.")
        if log_weights is None:
            if weights is None:
                weights = np.full(shape[-1], 1.0 / shape[-1])
            weights = np.asarray(weights, dtype=float)
            if (weights < 0).any() or not np.allclose(weights.sum(axis=-1), 1.0):
                raise ValueError(
                    "Mixture weights must be non-negative and sum to one over the last "
                    "axis."
                )
            with np.errstate(divide="ignore"):
                log_weights = np.log(weights)
        self.log_weights = np.broadcast_to(np.asarray(log_weights, dtype=float), shape)
        self.weights = np.exp(self.log_weights)

    @property
    def n_components(self):
        return self.log_weights.shape[-1]

    @property
    def shape(self):
        """Shape of the mixture (that of y): the components' without the last axis."""
        return self.log_weights.shape[:-1]

    def _broadcast(self, q):
        # Levels of the mixture's shape, or with leading axes of their own (several
        # levels for every element at once).
        q = np.asarray(q, dtype=float)
        return np.broadcast_to(q, np.broadcast_shapes(q.shape, self.shape))

    def _at(self, x):
        # One value per mixture, repeated for every component.
        return np.asarray(x, dtype=float)[..., None]

    def cdf(self, x):
        """``P(Y <= x)``."""
        return np.sum(self.weights * self.components.cdf(self._at(x)), axis=-1)

    def sf(self, x):
        """``P(Y > x)``, summed from the components' survival functions (accurate tails)."""
        return np.sum(self.weights * self.components.sf(self._at(x)), axis=-1)

    def logsf(self, x):
        """``log P(Y > x)``, a log-sum-exp of the components' (exact where ``sf``
        underflows)."""
        return special.logsumexp(
            self.log_weights + self.components.logsf(self._at(x)), axis=-1
        )

    def isf(self, q):
        """Inverse survival function."""
        return self.ppf(1 - np.asarray(q, dtype=float))

    def mean(self):
        """``sum_k w_k mean_k``."""
        return np.sum(self.weights * self.components.mean(), axis=-1)

    def var(self):
        """Within-component variance plus the spread of the component means."""
        means = self.components.mean()
        spread = (means - self.mean()[..., None]) ** 2
        return np.sum(self.weights * (self.components.var() + spread), axis=-1)

    def std(self):
        """Standard deviation."""
        return np.sqrt(self.var())

    def median(self):
        """The 0.5-quantile."""
        return self.ppf(0.5)

    def interval(self, confidence):
        """Equal-tailed interval holding ``confidence`` of the mass."""
        return _equal_tailed_interval(self.ppf, confidence)

    def rvs(self, size=None, random_state=None):
        """Draws: a component by its weight, then a value from it.

        ``size`` is the number of draws per mixture (None for one), placed in front of
        the mixture's shape.
        """
        rng = check_random_state(random_state)
        draws_shape = () if size is None else tuple(np.atleast_1d(size))
        full = draws_shape + self.log_weights.shape
        values = self.components.rvs(size=full, random_state=rng)
        cumulative = np.cumsum(self.weights, axis=-1)
        u = rng.uniform(size=draws_shape + self.shape)[..., None]
        chosen = np.minimum((u > cumulative).sum(axis=-1), self.n_components - 1)
        return np.take_along_axis(values, chosen[..., None], axis=-1)[..., 0]

    def __repr__(self):
        return (
            f"{type(self).__name__}(shape={self.shape}, n_components={self.n_components})"
        )


class MixtureDistribution(_FiniteMixture):
    """Finite mixtures ``sum_k w_k F_k``, one per element, with scipy.stats' interface.

    A deep ensemble predicts the equal-weight mixture of its members' distributions; a
    mixture density network predicts the weights too. Both are this class. The
    components are one frozen scipy.stats distribution (or anything with its interface)
    whose last axis runs over the ``K`` components; the mixture has the shape of the rest,
    like y: ``(n_rows,)`` or ``(n_rows, n_outputs)``.

    Densities are combined in log space (``logsumexp``), never as a log of a sum of
    densities. ``ppf`` inverts the CDF by safeguarded Newton steps inside the bracket
    between the smallest and largest component quantile (the mixture's quantile lies
    between them), for all elements at once. Components over the
    integers (counts) make a :class:`DiscreteMixtureDistribution` instead;
    :func:`mixture_distribution` picks the class.

    Parameters
    ----------
    components : frozen scipy.stats distribution
        Parameters of shape ``(*shape, K)``.
    weights : array-like broadcastable to ``(*shape, K)``, default=None
        Non-negative mixture weights summing to one over the last axis; None gives equal
        weights.
    log_weights : array-like, default=None
        The weights' logarithms, when known more accurately (a log-softmax); exclusive
        with ``weights``.

    Examples
    --------
    >>> import numpy as np
    >>> from scipy import stats
    >>> from skprob.distributions import MixtureDistribution
    >>> dist = MixtureDistribution(stats.norm(loc=[[-1.0, 1.0]], scale=[[0.5, 0.5]]))
    >>> dist.mean(), dist.var().round(3)
    (array([0.]), array([1.25]))
    >>> dist.cdf([0.0])
    array([0.5])
    >>> dist.ppf(dist.cdf([0.7])).round(6)
    array([0.7])
    """

    def logpdf(self, x):
        """Log-density, by logsumexp over the components."""
        return special.logsumexp(
            self.log_weights + self.components.logpdf(self._at(x)), axis=-1
        )

    def pdf(self, x):
        """Density."""
        return np.exp(self.logpdf(x))

    def ppf(self, q):
        """Quantile function: the ``x`` with ``cdf(x) = q``.

        Safeguarded Newton on all elements at once: the mixture's quantile lies between
        the smallest and largest component quantile; each step is Newton's,
        ``x - (cdf(x) - q) / pdf(x)`` (the survival function above the median, which
        keeps the upper tail's digits), where it stays inside the bracket that the
        values seen so far leave, and the bracket's midpoint where it would not (a flat
        CDF, a far tail). About six steps, each one evaluation of the components' CDF
        and density, instead of 64 halvings.
        """
        q = self._broadcast(q)
        inside = (q > 0) & (q < 1)
        safe_q = np.where(inside, q, 0.5)
        elements = _ComponentsOnElements(self, q.shape)
        component_quantiles = elements.quantiles(safe_q)
        low = np.min(component_quantiles, axis=-1)
        high = np.max(component_quantiles, axis=-1)
        # Start at the weighted mean of the component quantiles: exact for one component
        # or identical ones, and inside the bracket.
        x = np.sum(elements.weights * component_quantiles, axis=-1)
        x = np.clip(x, low, high)
        # The resolution sought: a few units in the last place of the larger of x and
        # the bracket's width (a quantile near 0 needs no resolution of 1e-300).
        width = high - low
        target = safe_q.reshape(-1)
        # F(x) - q from the CDF below the median and from the survival function above
        # it, where 1 - cdf would lose the far tail's digits.
        upper = target > 0.5
        # Only the elements not yet converged take the next step: most converge in
        # four to six, a few far in a tail take a dozen.
        active = np.arange(len(target))
        for _ in range(PPF_MAX_STEPS):
            # A slice while every element is searched: no copies of the parameters.
            rows = slice(None) if len(active) == len(target) else active
            tail, pdf = elements.tail_and_density(x, rows, upper[rows])
            residual = np.where(upper[rows], (1 - target[rows]) - tail, tail - target[rows])
            x_now, low_now, high_now = x[rows], low[rows], high[rows]
            below = residual < 0
            low_now = np.where(below, x_now, low_now)
            high_now = np.where(below, high_now, x_now)
            with np.errstate(divide="ignore", invalid="ignore"):
                newton = x_now - residual / pdf
            resolution = PPF_TOLERANCE_ULPS * np.spacing(
                np.maximum(np.abs(x_now), width[rows])
            )
            # A step within the resolution is convergence, wherever rounding puts it;
            # a larger one is taken where it stays inside the bracket (False for NaN
            # and infinities), else the bracket is halved.
            converged = np.abs(newton - x_now) <= resolution
            inside_bracket = (newton > low_now) & (newton < high_now)
            bisected = 0.5 * (low_now + high_now)
            x[rows] = np.where(converged, x_now, np.where(inside_bracket, newton, bisected))
            low[rows], high[rows] = low_now, high_now
            active = active[~(converged | (high_now - low_now <= resolution))]
            if not len(active):
                break
        out = np.where(inside, x.reshape(q.shape), np.nan)
        out = np.where(q == 0, -np.inf, out)
        return np.where(q == 1, np.inf, out)

    def crps(self, x):
        """Continuous ranked probability score of ``x``; closed form for Normal components.

        For a Normal mixture (Grimit et al., 2006), with ``A(m, v) = 2 sqrt(v) phi(m /
        sqrt(v)) + m (2 Phi(m / sqrt(v)) - 1)``:
        ``CRPS = sum_k w_k A(x - mu_k, s_k^2) - 1/2 sum_jk w_j w_k A(mu_j - mu_k,
        s_j^2 + s_k^2)``. Other components: the defining integral by the trapezoid
        rule on nodes at every component's quantiles (relative error about 1e-4).
        """
        if getattr(getattr(self.components, "dist", None), "name", None) != "norm":
            from .metrics._crps import crps_of_mixture_by_integration

            return crps_of_mixture_by_integration(np.asarray(x, dtype=float), self)
        mu, var = self.components.mean(), self.components.var()
        w = self.weights
        first = np.sum(w * _normal_abs_moment(self._at(x) - mu, var), axis=-1)
        pair_diff = mu[..., :, None] - mu[..., None, :]
        pair_var = var[..., :, None] + var[..., None, :]
        pair_weights = w[..., :, None] * w[..., None, :]
        second = np.sum(
            pair_weights * _normal_abs_moment(pair_diff, pair_var), axis=(-2, -1)
        )
        return first - 0.5 * second


class DiscreteMixtureDistribution(_FiniteMixture):
    """Finite mixtures of distributions over the integers, with scipy.stats' interface.

    What a deep ensemble of count models predicts: the equal-weight mixture of its
    members' Poisson or negative binomial distributions. As :class:`MixtureDistribution`,
    with ``pmf`` and ``logpmf`` (a frozen ``scipy.stats`` discrete distribution's names)
    in place of densities, and an integer ``ppf``.

    Parameters
    ----------
    components : frozen scipy.stats discrete distribution
        Parameters of shape ``(*shape, K)``.
    weights, log_weights : array-like, default=None
        As for :class:`MixtureDistribution`.

    Examples
    --------
    >>> from scipy import stats
    >>> from skprob.distributions import DiscreteMixtureDistribution
    >>> dist = DiscreteMixtureDistribution(stats.poisson([[1.0, 9.0]]))
    >>> dist.mean(), dist.var()
    (array([5.]), array([21.]))
    >>> dist.pmf([0]).round(4)  # (exp(-1) + exp(-9)) / 2
    array([0.184])
    >>> dist.ppf([0.5])
    array([3.])
    """

    def logpmf(self, k):
        """Log-probability of ``k``, by logsumexp over the components."""
        return special.logsumexp(
            self.log_weights + self.components.logpmf(self._at(k)), axis=-1
        )

    def pmf(self, k):
        """Probability of ``k``."""
        return np.exp(self.logpmf(k))

    def ppf(self, q):
        """Quantile function: the smallest integer ``k`` with ``cdf(k) >= q``.

        Bisection on the integers between the smallest and largest component quantile,
        which bracket the mixture's.
        """
        q = self._broadcast(q)
        component_quantiles = self.components.ppf(q[..., None])
        inside = (q > 0) & (q < 1)
        safe_q = np.where(inside, q, 0.5)
        # cdf(low) < q <= cdf(high) for every element still searched.
        low = np.where(inside, np.min(component_quantiles, axis=-1) - 1, 0.0)
        high = np.where(inside, np.max(component_quantiles, axis=-1), 1.0)
        while np.any(high - low > 1):
            middle = np.floor(0.5 * (low + high))
            below = self.cdf(middle) < safe_q
            low = np.where(below, middle, low)
            high = np.where(below, high, middle)
        out = np.where(inside, high, np.nan)
        # q = 0 and q = 1: the components agree with scipy (-1 below the support, inf).
        out = np.where(q == 0, np.min(component_quantiles, axis=-1), out)
        return np.where(q == 1, np.max(component_quantiles, axis=-1), out)


class _ComponentsOnElements:
    """A mixture's weighted component CDF, survival function and density at one value
    per element, for any subset of its elements (flattened, of the shape ``shape``).

    The quantile search evaluates only the elements not yet converged. Normal
    components (every regressor's ensemble) are evaluated by their closed forms, without
    scipy's per-call argument handling, which is most of the time of a call on 250,000
    rows; other scipy distributions through their shape arrays, subset alike; anything
    else on all elements, of which the subset is kept.
    """

    def __init__(self, mixture, shape):
        n_components = mixture.n_components
        full = tuple(shape) + (n_components,)

        def flat(values):
            values = np.asarray(values, dtype=float)
            return np.broadcast_to(values, full).reshape(-1, n_components)

        self.shape = tuple(shape)
        self.weights = flat(mixture.weights)
        self.components = components = mixture.components
        dist = getattr(components, "dist", None)
        self.kind = "other"
        if getattr(dist, "name", None) == "norm":
            self.kind = "normal"
            self.loc = flat(components.mean())
            self.inv_scale = 1.0 / flat(components.std())
            self.density_factor = self.inv_scale / np.sqrt(2 * np.pi)
        elif dist is not None and hasattr(components, "args"):
            self.kind = "scipy"
            self.dist = dist
            self.args = [flat(a) for a in components.args]
            self.kwds = {key: flat(value) for key, value in components.kwds.items()}

    def quantiles(self, q):
        """The components' quantiles at ``q`` (of the elements' shape), ``(n, K)``."""
        if self.kind == "normal":
            return self.loc + special.ndtri(q.reshape(-1))[:, None] / self.inv_scale
        quantiles = self.components.ppf(q[..., None])
        return np.broadcast_to(quantiles, self.shape + (self.weights.shape[1],)).reshape(
            -1, self.weights.shape[1]
        )

    def tail_and_density(self, x, rows, upper):
        """``(cdf, pdf)`` of the mixture at ``x[rows]``, with the survival function in
        place of the CDF where ``upper`` (the far upper tail keeps its digits)."""
        weights = self.weights[rows]
        if self.kind == "normal":
            z = (x[rows, None] - self.loc[rows]) * self.inv_scale[rows]
            density = np.exp(-0.5 * z * z)
            density *= self.density_factor[rows]
            # sf(z) = cdf(-z): one call for both tails.
            z *= np.where(upper, -1.0, 1.0)[:, None]
            tail = special.ndtr(z)
            # einsum: the weighted sums over the components without a product array.
            return (
                np.einsum("ij,ij->i", weights, tail),
                np.einsum("ij,ij->i", weights, density),
            )
        tail = np.empty(len(upper))
        indices = np.arange(len(self.weights))[rows]
        for name, where in (("cdf", ~upper), ("sf", upper)):
            if where.any():
                tail[where] = self._evaluate(name, x, indices[where])
        return tail, self._evaluate("pdf", x, indices)

    def _evaluate(self, name, x, rows):
        at = x[rows, None]
        if self.kind == "scipy":
            method = getattr(self.dist, name)
            args = [a[rows] for a in self.args]
            values = method(at, *args, **{k: v[rows] for k, v in self.kwds.items()})
        else:
            every = x.reshape(self.shape)[..., None]
            values = getattr(self.components, name)(every)
            values = np.broadcast_to(values, self.shape + (self.weights.shape[1],))
            values = values.reshape(-1, self.weights.shape[1])[rows]
        return np.sum(self.weights[rows] * values, axis=-1)


def _equal_tailed_interval(ppf, confidence):
    """``(ppf(a), ppf(1 - a))`` with ``a = (1 - confidence) / 2``, as scipy's interval."""
    if not 0 <= confidence <= 1:
        raise ValueError(f"confidence must be in [0, 1], got {confidence}.")
    alpha = (1 - confidence) / 2
    return ppf(alpha), ppf(1 - alpha)


def mixture_distribution(components, weights=None, *, log_weights=None):
    """The mixture of ``components``: discrete if they are (``logpmf``), else continuous.

    Examples
    --------
    >>> from scipy import stats
    >>> type(mixture_distribution(stats.poisson([[1.0, 2.0]]))).__name__
    'DiscreteMixtureDistribution'
    >>> type(mixture_distribution(stats.norm([[1.0, 2.0]]))).__name__
    'MixtureDistribution'
    """
    cls = MixtureDistribution
    if hasattr(components, "logpmf"):
        cls = DiscreteMixtureDistribution
    return cls(components, weights, log_weights=log_weights)


def _normal_abs_moment(m, v):
    """``E|Z|`` for ``Z ~ N(m, v)``: the building block of the Normal mixture's CRPS."""
    s = np.sqrt(v)
    z = m / s
    return 2 * s * stats.norm.pdf(z) + m * (2 * stats.norm.cdf(z) - 1)
