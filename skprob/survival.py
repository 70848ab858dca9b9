"""Survival analysis: time-to-event distributions from censored targets."""

import numpy as np
from scipy.special import logsumexp
from sklearn.utils._param_validation import StrOptions

from ._docstrings import fill_doc
from ._family_choice import DISTRIBUTION_CONSTRAINT, build_family, distribution_name
from ._time_targets import event_and_time, time_bounds
from .families import (
    ConstantDispersion,
    DistributionFamily,
    Exponential,
    Gamma,
    LogLogistic,
    LogNormal,
    Weibull,
)
from .families.censored import Censored
from .metrics._survival import concordance_index
from .regression import BaseDistributionRegressor

__all__ = ["SurvivalFunction", "SurvivalRegressor"]

#: The families of :class:`SurvivalRegressor`, by name: each has a log survival
#: function written out and an expected log time (the risk score).
SURVIVAL_DISTRIBUTIONS = {
    "weibull": Weibull,
    "lognormal": LogNormal,
    "loglogistic": LogLogistic,
    "gamma": Gamma,
    "exponential": Exponential,
}

#: Rows of times evaluated at once by the survival functions: bounds the temporary
#: (rows, times, members) array to a few tens of MB.
_CELLS_PER_CHUNK = 2**22


class SurvivalFunction:
    """One row's predicted survival function ``S(t) = Pr(T > t)``, or its cumulative
    hazard ``H(t) = -log S(t)``: callable at any time.

    Shaped as scikit-survival's ``StepFunction``: ``x`` are the training's event times
    (``unique_times_``) and ``y`` the function there, for plotting (``plt.step(fn.x,
    fn.y)``); unlike a step function it is continuous, and ``fn(t)`` is exact at every
    ``t >= 0``.
    """

    def __init__(self, components, times, cumulative_hazard=False):
        self.components = components
        self.x = times
        self.cumulative_hazard = cumulative_hazard

    def __call__(self, t):
        t = np.asarray(t, dtype=np.float64)
        log_sf = logsumexp(self.components.logsf(t[..., None]), axis=-1)
        log_sf = log_sf - np.log(np.shape(self.components.mean())[-1])
        return -log_sf if self.cumulative_hazard else np.exp(log_sf)

    @property
    def y(self):
        return self(self.x)

    def __repr__(self):
        kind = "cumulative hazard" if self.cumulative_hazard else "survival"
        return f"SurvivalFunction({kind}, {len(self.x)} event times)"


@fill_doc
class SurvivalRegressor(BaseDistributionRegressor):
    """Time to an event, from censored targets: a network per row predicts the
    distribution of the time.

    Maximum likelihood as for every skprob model, with one more line: a row whose event
    was not seen by its last follow-up ``t`` (right-censored) contributes ``-log S(t |
    x)``, the probability of surviving past ``t``, instead of the density ``-log p(t |
    x)``; a row known to have had its event between ``a`` and ``b`` (interval- or, with
    ``a = 0``, left-censored) contributes ``-log(S(a | x) - S(b | x))``
    (:class:`skprob.families.censored.Censored`). The network predicts the family's
    parameters per row through their links; an ensemble predicts the equal-weight
    mixture of its members' distributions. Times are trained divided by their weighted
    mean, and every prediction is in the units of the times.

    The default ensemble is ten networks, five of them with the features' piecewise-
    linear encoding and five with the features alone (``numeric_embedding="mixed"``),
    trained together as one batched network: censored data carry few events, where
    the encoding's ramps overfit (a small, nearly linear data set) as often as they
    help (``benchmarks/README.md``, "Survival analysis").

    ``y`` for ``censoring="right"`` is scikit-survival's structured array
    (``sksurv.util.Surv.from_arrays(event, time)``: a boolean event field and a time
    field, in either order), two columns ``[time, event]`` with ``event`` 0 or 1, or
    times alone (all of them events). For ``censoring="interval"``, two columns
    ``[lower, upper]``: equal for an event, ``upper = inf`` for a right-censored row,
    ``lower = 0`` for a left-censored one. Times must be >= 0, and an event's > 0.

    The predictions follow scikit-survival's conventions, so its metrics and model
    selection apply: ``predict`` is a risk score (higher: the event sooner; here
    ``-E[log T | x]``, averaged over the members), ``score`` Harrell's concordance
    index, ``predict_survival_function`` and ``predict_cumulative_hazard_function``
    callables or arrays on ``unique_times_``; ``predict_dist`` the distribution of
    the time (``sf``, ``logsf``, ``cdf``, ``ppf``, ``median``, ``mean``,
    ``interval``).

    Parameters
    ----------
    {common_parameters}
    distribution : {{"weibull", "lognormal", "loglogistic", "gamma", "exponential"}}, \
DistributionFamily subclass or instance, default="weibull"
        The family of the time; a user's own family (a subclass of
        :class:`~skprob.families.DistributionFamily` with ``support = "positive"`` and a
        ``log_survival``) plugs in as its class or an instance. ``"weibull"`` and
        ``"gamma"``: a hazard that rises or falls with time; ``"lognormal"`` and
        ``"loglogistic"``: one that rises and then falls; ``"exponential"``: a constant
        hazard. The default is the family with the lowest integrated Brier score, summed
        over scikit-survival's five data sets (``benchmarks/bench_survival.py``); choose
        between them by held-out ``censored_nll_scorer`` in a search.
    dispersion : {{"per_row", "constant"}}, default="per_row"
        ``"per_row"``: the network predicts every parameter of every row.
        ``"constant"``: it predicts the scale (the log-median for ``"lognormal"``) and
        the shape is learned once for all rows, as in an accelerated-failure-time
        model; with ``hidden_layer_sizes=()`` that is lifelines' ``WeibullAFTFitter``,
        ``LogNormalAFTFitter`` and ``LogLogisticAFTFitter``.
    censoring : {{"right", "interval"}}, default="right"
        How ``y`` describes each time (above).

    Attributes
    ----------
    {common_attributes}
    n_outputs_ : int
        1: one time a row.
    target_loc_, target_scale_ : ndarray of shape (1,)
        0, and the weighted mean time the times were divided by for training.
    unique_times_ : ndarray
        The distinct event times of the training rows (all informative times where no
        row had an event), where ``predict_survival_function`` evaluates by default.

    See Also
    --------
    DistributionRegressor : uncensored targets, with these families and more.

    Examples
    --------
    >>> import numpy as np
    >>> from skprob import SurvivalRegressor
    >>> rng = np.random.RandomState(0)
    >>> X = rng.uniform(-1, 1, size=(400, 2))
    >>> time = rng.weibull(2.0, size=400) * np.exp(X[:, 0])  # later for larger X[:, 0]
    >>> follow_up = rng.uniform(0, 2, size=400)
    >>> y = np.column_stack([np.minimum(time, follow_up), time <= follow_up])
    >>> model = SurvivalRegressor(n_estimators=1, random_state=0).fit(X, y)
    >>> risk = model.predict([[-0.5, 0.0], [0.5, 0.0]])  # higher: the event sooner
    >>> bool(risk[0] > risk[1])
    True
    >>> curves = model.predict_survival_function([[0.0, 0.0]], return_array=True)
    >>> curves.shape == (1, len(model.unique_times_))
    True
    >>> bool(0.5 < model.score(X, y) <= 1)  # Harrell's concordance index
    True
    """

    _documented_defaults = {"n_estimators": "10", "numeric_embedding": '"mixed"'}

    _parameter_constraints = {
        **BaseDistributionRegressor._parameter_constraints,
        "distribution": [StrOptions(set(SURVIVAL_DISTRIBUTIONS)), *DISTRIBUTION_CONSTRAINT],
        "dispersion": [StrOptions({"per_row", "constant"})],
        "censoring": [StrOptions({"right", "interval"})],
    }

    def __init__(
        self,
        hidden_layer_sizes=(50, 50),
        *,
        n_estimators=10,
        activation="relu",
        feature_scaling="robust",
        numeric_embedding="mixed",
        optimizer="adam",
        learning_rate="auto",
        momentum=0.9,
        nesterov=False,
        batch_size="auto",
        max_epochs="auto",
        weight_decay="auto",
        early_stopping="auto",
        validation_fraction=0.1,
        n_iter_no_change="auto",
        tol=1e-4,
        random_state=None,
        device="cpu",
        n_threads=None,
        compute_dtype="auto",
        verbose=0,
        warm_start=False,
        distribution="weibull",
        dispersion="per_row",
        censoring="right",
    ):
        super().__init__(
            hidden_layer_sizes,
            n_estimators=n_estimators,
            activation=activation,
            feature_scaling=feature_scaling,
            numeric_embedding=numeric_embedding,
            optimizer=optimizer,
            learning_rate=learning_rate,
            momentum=momentum,
            nesterov=nesterov,
            batch_size=batch_size,
            max_epochs=max_epochs,
            weight_decay=weight_decay,
            early_stopping=early_stopping,
            validation_fraction=validation_fraction,
            n_iter_no_change=n_iter_no_change,
            tol=tol,
            random_state=random_state,
            device=device,
            n_threads=n_threads,
            compute_dtype=compute_dtype,
            verbose=verbose,
            warm_start=warm_start,
        )
        self.distribution = distribution
        self.dispersion = dispersion
        self.censoring = censoring

    # -- targets --------------------------------------------------------------------

    def _check_target_kind(self, y):
        """Structured and censored targets are read by :meth:`_target_array`."""

    def _target_array(self, y):
        if y is None:
            return y  # sklearn's checks name a missing y
        return time_bounds(y, self.censoring)

    def _target_validation(self):
        return {"multi_output": True, "y_numeric": True}

    def _target_support(self):
        return "positive"

    def _encode_targets(self, bounds, sample_weight):
        self._y_ndim, self.n_outputs_ = 1, 1
        lower, upper, bounded = bounds.T
        times = np.where(lower > 0, lower, upper)
        informative = (lower > 0) | (bounded > 0)
        if not (sample_weight[informative] > 0).any():
            raise ValueError(
                "No row says anything about its time (each is right-censored at time 0, "
                "or has no weight): there is nothing to fit."
            )
        scale = np.average(times[informative], weights=sample_weight[informative])
        self.target_loc_, self.target_scale_ = np.zeros(1), np.array([scale])
        events = (bounded > 0) & (lower == upper)
        self.unique_times_ = np.unique(times[events if events.any() else informative])
        return self._scaled(bounds)

    def _reencode_targets(self, bounds):
        return self._scaled(bounds)

    def _scaled(self, bounds):
        scaled = np.array(bounds, dtype=np.float64)
        scaled[:, :2] /= self.target_scale_[0]
        return scaled

    def _log_target_scale(self):
        return 0.0  # the family adds it where it applies: to the events' densities

    def _make_family(self):
        family = build_family(self.distribution, SURVIVAL_DISTRIBUTIONS, 1, self)
        name = distribution_name(self.distribution)
        if family.support != "positive":
            raise ValueError(
                f"distribution={name!r} has support {family.support!r}: times to an "
                "event need a family of positive values (support = 'positive')."
            )
        if type(family).log_survival is DistributionFamily.log_survival:
            raise ValueError(
                f"distribution={name!r} has no log_survival: a censored row's "
                "likelihood is the family's survival function. Write "
                "log_survival(raw, y) as skprob.families.Weibull does."
            )
        if self.dispersion == "constant":
            family = ConstantDispersion(family)
        return Censored(family, log_time_scale=np.log(self.target_scale_[0]))

    # -- predictions ----------------------------------------------------------------

    def predict(self, X):
        """Risk score of each row: ``-E[log T | x]``, higher for an event sooner.

        scikit-survival's convention, so that ``score`` (and its metrics) rank rows by
        it. For an ensemble the members' expected log times are averaged: that of the
        mixture. Use ``predict_dist(X).median()`` or ``.mean()`` for a time.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        risk : ndarray of shape (n_samples,)
        """
        params = self._members_in_y_units(X)
        family = self.family_
        if hasattr(family, "expected_log"):
            log_time = family.expected_log(params)
        else:  # a user's family without it: the log of each member's median
            log_time = np.log(family.scipy_distribution(params).median())
        return -np.asarray(log_time).mean(axis=-1)

    def predict_dist(self, X):
        """The predictive distribution of the time to the event for each row.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        dist : scipy.stats frozen distribution (``weibull_min``, ``lognorm``, ``fisk``, \
``gamma``, ``expon``) or :class:`~skprob.distributions.MixtureDistribution`
            Shape (n_samples,), in the units of the times: ``sf``, ``logsf``, ``cdf``,
            ``ppf``, ``median``, ``mean``, ``interval(confidence)``, ``logpdf``, ...
        """
        return super().predict_dist(X)

    def _time_functions(self, X, return_array, cumulative_hazard):
        times = self.unique_times_
        params = self._members_in_y_units(X)
        if not return_array:
            n_samples = len(next(iter(params.values())))
            return np.array(
                [
                    SurvivalFunction(
                        self.family_.scipy_distribution(
                            {name: value[i] for name, value in params.items()}
                        ),
                        times,
                        cumulative_hazard,
                    )
                    for i in range(n_samples)
                ],
                dtype=object,
            )
        n_samples, n_members = next(iter(params.values())).shape
        rows = max(1, _CELLS_PER_CHUNK // max(1, len(times) * n_members))
        out = np.empty((n_samples, len(times)))
        for start in range(0, n_samples, rows):
            part = slice(start, start + rows)
            dist = self.family_.scipy_distribution(
                {name: value[part, None, :] for name, value in params.items()}
            )
            log_sf = logsumexp(dist.logsf(times[None, :, None]), axis=-1)
            log_sf -= np.log(n_members)
            out[part] = -log_sf if cumulative_hazard else np.exp(log_sf)
        return out

    def predict_survival_function(self, X, return_array=False):
        """The survival function ``S(t | x) = Pr(T > t | x)`` of each row.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
        return_array : bool, default=False
            Return the values on ``unique_times_`` as an array instead of callables.

        Returns
        -------
        survival : ndarray of :class:`SurvivalFunction`, shape (n_samples,), or ndarray \
of shape (n_samples, len(unique_times_))
        """
        return self._time_functions(X, return_array, cumulative_hazard=False)

    def predict_cumulative_hazard_function(self, X, return_array=False):
        """The cumulative hazard ``H(t | x) = -log S(t | x)`` of each row.

        Computed from the log survival function, exact where ``S`` underflows.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
        return_array : bool, default=False
            Return the values on ``unique_times_`` as an array instead of callables.

        Returns
        -------
        cumulative_hazard : ndarray of :class:`SurvivalFunction`, shape (n_samples,), \
or ndarray of shape (n_samples, len(unique_times_))
        """
        return self._time_functions(X, return_array, cumulative_hazard=True)

    def score(self, X, y, sample_weight=None):
        """Harrell's concordance index of ``predict(X)`` with the times of ``y``.

        The fraction of comparable pairs (the earlier time an event) that the risk
        score orders correctly, ties in the score counting one half: 0.5 for a random
        ordering, 1 for a perfect one, as scikit-survival's
        ``concordance_index_censored``. Defined for events and right-censored rows; on
        interval-censored targets rank models by
        :data:`skprob.metrics.censored_nll_scorer`.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
        y : targets in the form ``fit`` takes
        sample_weight : None
            Not supported (the concordance index of scikit-survival has no weights);
            accepted for sklearn's API.

        Returns
        -------
        score : float
        """
        if self.censoring == "interval":
            bounds = time_bounds(y, "interval")
            open_rows = (bounds[:, 2] > 0) & (bounds[:, 0] < bounds[:, 1])
            if open_rows.any():
                raise ValueError(
                    "score is Harrell's concordance index, defined for events and "
                    f"right-censored rows; row {int(np.flatnonzero(open_rows)[0])} is "
                    "left- or interval-censored. Rank models on such targets by "
                    "skprob.metrics.censored_nll_scorer."
                )
            y = np.column_stack([bounds[:, 0], bounds[:, 2]])
        event, time = event_and_time(y)
        return concordance_index(np.column_stack([time, event]), self.predict(X))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.positive_only = True
        tags.target_tags.multi_output = False
        tags.target_tags.single_output = True
        return tags
