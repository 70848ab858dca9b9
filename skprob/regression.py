"""Regressors: Normal predictive distributions (homoscedastic, heteroscedastic), any
family by name, and mixtures of Normals."""

import warnings
from functools import partial
from numbers import Integral, Real

import numpy as np
from sklearn.base import RegressorMixin, _fit_context
from sklearn.exceptions import DataConversionWarning
from sklearn.utils._param_validation import Interval, StrOptions

from ._base import BaseDistributionEstimator
from ._docstrings import fill_doc
from ._family_choice import (
    DISTRIBUTION_CONSTRAINT,
    build_family,
    distribution_name,
    family_support,
)
from ._stacklevel import user_stacklevel
from ._targets import (
    SUPPORT_CONDITIONS,
    check_support,
    check_targets_can_spread,
    fit_target_encoding,
)
from .families import (
    Beta,
    ConstantDispersion,
    Exponential,
    Gamma,
    Laplace,
    LogNormal,
    MultivariateNormal,
    NegativeBinomial,
    Normal,
    NormalMixture,
    Poisson,
    StudentT,
    Weibull,
    ZeroInflatedNegativeBinomial,
    ZeroInflatedPoisson,
)
from .families.links import POSITIVE_LINKS

__all__ = [
    "DistributionRegressor",
    "GaussianRegressor",
    "HeteroscedasticRegressor",
    "MixtureDensityRegressor",
]


#: The ``neighbor_correction`` parameter's constraint (:mod:`skprob._neighbor_correction`).
NEIGHBOR_CORRECTION_CONSTRAINT = {"neighbor_correction": [StrOptions({"auto", "off"})]}


class BaseDistributionRegressor(RegressorMixin, BaseDistributionEstimator):
    """The base of every regressor: encoded targets, a family, ``return_std``.

    The family (a Normal unless a subclass says otherwise) is trained on the targets
    encoded for its support (:mod:`skprob._targets`), ``z = (y - target_loc_) /
    target_scale_``; its location parameters are mapped
    back as ``loc * target_scale_ + target_loc_`` and its scale parameters as
    ``scale * target_scale_`` (``DistributionFamily.location_params`` and
    ``scale_params``), the others (shapes, degrees of freedom) unchanged.
    """

    _heteroscedastic = False

    #: Quantile bins a feature for ``numeric_embedding="piecewise_linear"``: a number
    #: carries enough per row for fine bins (``benchmarks/README.md``).
    _piecewise_linear_bins = 16

    def _target_validation(self):
        return {"multi_output": True, "y_numeric": True}

    def _check_target_kind(self, y):
        # sklearn's own message for labels, "could not convert string to float", does
        # not say that a classifier was meant.
        if y is None or not hasattr(y, "__len__"):
            return  # sklearn's checks name these
        values = np.asarray(y)
        if values.dtype.kind in "biufc":
            return
        for value in values.ravel():
            if isinstance(value, (str, bytes)):
                try:
                    float(value)
                except ValueError:
                    label = str(value) if isinstance(value, str) else value
                    raise ValueError(
                        f"{type(self).__name__} is a regressor: y must hold numbers, "
                        f"and it holds the label {label!r}. For class labels use "
                        "BernoulliClassifier (two classes) or CategoricalClassifier."
                    ) from None

    def _target_support(self):
        """Where the family's targets live (``DistributionFamily.support``)."""
        return "real"

    def _encode_targets(self, y, sample_weight):
        y = np.asarray(y, dtype=np.float64)
        self._y_ndim = y.ndim
        y = y.reshape(len(y), -1)
        self.n_outputs_ = y.shape[1]
        support = self._target_support()
        self._check_support(y)
        check_targets_can_spread(y, sample_weight, type(self).__name__)
        # Mapped back in predict_dist (skprob._targets).
        encoding = fit_target_encoding(y, support, sample_weight)
        self.target_loc_, self.target_scale_ = encoding
        return (y - self.target_loc_) / self.target_scale_

    def _reencode_targets(self, y):
        y = np.asarray(y, dtype=np.float64)
        y = y.reshape(len(y), -1)
        if y.shape[1] != self.n_outputs_:
            raise ValueError(
                f"y has {y.shape[1]} outputs, but {type(self).__name__} was fitted with "
                f"{self.n_outputs_}: training goes on with the outputs the network was "
                "built for."
            )
        self._check_support(y)
        # The fitted encoding: the network's outputs keep their meaning.
        return (y - self.target_loc_) / self.target_scale_

    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y, sample_weight=None):
        """Train one epoch on ``(X, y)``, from the current weights if fitted.

        For data that do not fit in memory, or that arrive over time: each call is one
        pass over the chunk in mini-batches, with no validation split, keeping the
        optimizer's state from call to call (as ``MLPRegressor.partial_fit``). The
        first call fixes the target encoding (location and scale of y) from its chunk,
        so make it representative. Pass the model through
        ``dask_ml.wrappers.Incremental`` to stream a dask array.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            A chunk of training data.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Its targets.
        sample_weight : array-like of shape (n_samples,), default=None
            Weight of each row's NLL.

        Returns
        -------
        self : object
            The estimator, trained one more epoch.
        """
        return self._fit(X, y, sample_weight, hasattr(self, "net_"), epochs=1)

    def _check_support(self, y):
        # The Normal presets have no `distribution` parameter; their support is real.
        distribution = getattr(self, "distribution", "normal")
        check_support(y, self._target_support(), distribution_name(distribution))

    def _log_target_scale(self):
        return float(np.log(self.target_scale_).sum())

    def _make_family(self):
        return Normal(self.n_outputs_, heteroscedastic=self._heteroscedastic)

    def _members_in_y_units(self, X, in_y_units=True):
        """Each member's parameters in y's units (numpy), members on the last axis.

        Shapes ``(n_samples, n_estimators)``, or ``(n_samples, n_outputs, n_estimators)``.
        With ``in_y_units=False``, in the units the targets were trained in.
        """
        out = {}
        for name, value in self._member_params(X).items():
            value = value.numpy()
            if in_y_units:
                value = self._in_y_units(name, value)
            value = np.moveaxis(value, 0, -1)
            out[name] = value[:, 0] if self._y_ndim == 1 else value
        return out

    def _in_y_units(self, name, value):
        """The family's parameter ``name`` mapped from the training targets to y's."""
        family = self.family_
        if name in family.location_params:
            return value * self.target_scale_ + self.target_loc_
        if name in family.scale_params:
            return value * self.target_scale_
        if name in family.log_location_params:
            return value + np.log(self.target_scale_)
        if name in getattr(family, "row_scale_params", ()):
            # (members, rows, D, D): row d of a Cholesky factor in output d's units.
            return value * self.target_scale_[:, None]
        return value

    def _mean_and_std(self, X):
        # Moments in the training units, then mapped to y's (every support's map is
        # affine, y = loc + scale z): the variance of y itself could overflow.
        params = self._members_in_y_units(X, in_y_units=False)
        mean, variance = self.family_.moments(params)
        ensemble_mean = mean.mean(axis=-1)
        # The equal-weight mixture's variance: the members' mean variance plus the
        # spread of their means (the ensemble's model uncertainty).
        spread = (mean - ensemble_mean[..., None]) ** 2
        std = np.sqrt((variance + spread).mean(axis=-1))
        loc, scale = self.target_loc_, self.target_scale_
        if self._y_ndim == 1:
            loc, scale = loc[0], scale[0]
        return ensemble_mean * scale + loc, std * scale

    def predict(self, X, return_std=False):
        """Predict the mean of y (for one network also the mode and median of its Normal).

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
        return_std : bool, default=False
            Also return the predictive standard deviation (sklearn's convention, as in
            ``GaussianProcessRegressor``; it flows through ``Pipeline.predict``).

        Returns
        -------
        y_mean : ndarray of shape (n_samples,) or (n_samples, n_outputs)
        y_std : ndarray of the same shape
            Only with ``return_std=True``; in the units of y.
        """
        mean, std = self._mean_and_std(X)
        return (mean, std) if return_std else mean

    def predict_dist(self, X):
        """The predictive distribution of y for each row, in the units of y.

        One network predicts the family's distribution (a Normal, unless
        ``distribution`` says otherwise); an ensemble (``n_estimators > 1``) the
        equal-weight mixture of its members' distributions.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        dist : scipy.stats frozen distribution (``norm``, ``laplace``, ``t``, \
``poisson``, ...) or :class:`~skprob.distributions.MixtureDistribution` \
(:class:`~skprob.distributions.DiscreteMixtureDistribution` for counts)
            Shape (n_samples,) or (n_samples, n_outputs) like y: ``mean()``, ``std()``,
            ``logpdf(y)``, ``cdf``, ``ppf``, ``interval(confidence)``, ``rvs``, ...
        """
        params = self._members_in_y_units(X)
        if self.n_estimators == 1:
            return self.family_.scipy_distribution(
                {name: value[..., 0] for name, value in params.items()}
            )
        return self.family_.ensemble_distribution(params)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        tags.target_tags.single_output = True
        return tags


@fill_doc
class GaussianRegressor(BaseDistributionRegressor):
    """Regression with a Normal predictive distribution and one learned sigma per output.

    The network predicts the mean, ``mu = f[x, phi]``; the standard deviation of each
    output is a single learned parameter (homoscedastic noise). Minimising the Gaussian
    NLL gives the least-squares fit for mu, and sigma is the maximum-likelihood estimate
    of the residual spread. Targets are standardised internally (per output, weighted) and
    every prediction is in the units of y.

    Parameters
    ----------
    {common_parameters}
    {neighbor_correction_parameter}

    Attributes
    ----------
    {common_attributes}
    {regressor_attributes}
    {neighbor_correction_attributes}

    See Also
    --------
    HeteroscedasticRegressor : the standard deviation depends on x.

    Examples
    --------
    >>> from sklearn.datasets import make_regression
    >>> from skprob import GaussianRegressor
    >>> X, y = make_regression(n_samples=200, n_features=4, noise=10, random_state=0)
    >>> reg = GaussianRegressor(hidden_layer_sizes=(), optimizer="lbfgs",
    ...                         random_state=0).fit(X, y)
    >>> mean, std = reg.predict(X[:3], return_std=True)
    >>> mean.shape, std.shape
    ((3,), (3,))
    >>> dist = reg.predict_dist(X[:3])
    >>> bool((dist.interval(0.9)[0] < dist.mean()).all())
    True
    """

    _parameter_constraints = {
        **BaseDistributionRegressor._parameter_constraints,
        **NEIGHBOR_CORRECTION_CONSTRAINT,
    }

    def __init__(
        self,
        hidden_layer_sizes=(50, 50),
        *,
        n_estimators=5,
        activation="relu",
        feature_scaling="robust",
        numeric_embedding="piecewise_linear",
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
        neighbor_correction="auto",
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
        self.neighbor_correction = neighbor_correction


@fill_doc
class HeteroscedasticRegressor(BaseDistributionRegressor):
    """Regression with a Normal predictive distribution whose variance depends on x.

    The network has two heads per output: ``mu = f1[x, phi]`` and
    ``sigma^2 = g(f2[x, phi]) + variance_floor``, with ``g`` a positive link. Training
    minimises the Gaussian NLL, in which every row's squared error is weighted by its own
    predicted precision.

    With a validation split (see ``early_stopping``) each member's variance is
    calibrated on its validation rows: ``sigma^2 -> s * sigma^(2a)``, the power ``a`` in
    [0, 2] and the factor ``s`` that give those rows the lowest NLL, taken
    ``n / (n + 10)`` of the way from the identity for ``n`` validation rows (a few rows
    say little). Every epoch is judged by that calibrated validation NLL, and each
    member predicts through the map of its best epoch. A flexible variance overfits
    long before the mean has converged (on UCI power, single network: held-out NLL best
    at epoch 40, RMSE still falling at epoch 340); judged by its raw NLL the mean
    stopped early. Calibrated, the default ensemble's 20-split RMSE on power fell from
    3.701 to 3.579 and its NLL from 2.670 to 2.630, at 2.3 times the fit time
    (``benchmarks/README.md``).

    Parameters
    ----------
    {common_parameters}
    {neighbor_correction_parameter}
    variance_link : {{"softplus", "exp", "square"}}, default="softplus"
        The positive map ``g``. ``"square"`` is the seeds' ``sigma^2 = f2[x]^2``;
        ``"softplus"`` is the stable default: linear growth, no vanishing gradient at 0.
    variance_floor : float, default=1e-6
        Lower bound on sigma^2 in units of the variance of y, which keeps the likelihood
        bounded: a network free to shrink sigma onto single training points would
        otherwise drive the NLL to minus infinity (variance collapse).

    Attributes
    ----------
    {common_attributes}
    {regressor_attributes}
    {neighbor_correction_attributes}

    See Also
    --------
    GaussianRegressor : one sigma per output, for noise that does not depend on x.

    Examples
    --------
    >>> import numpy as np
    >>> from skprob import HeteroscedasticRegressor
    >>> rng = np.random.RandomState(0)
    >>> X = rng.uniform(-1, 1, size=(500, 1))
    >>> y = X[:, 0] + rng.normal(scale=0.05 + 0.5 * (X[:, 0] > 0))
    >>> reg = HeteroscedasticRegressor(hidden_layer_sizes=(32,), random_state=0)
    >>> reg = reg.fit(X, y)
    >>> _, std = reg.predict([[-0.5], [0.5]], return_std=True)
    >>> bool(std[0] < std[1])
    True
    """

    _heteroscedastic = True

    _parameter_constraints = {
        **BaseDistributionRegressor._parameter_constraints,
        "variance_link": [StrOptions(set(POSITIVE_LINKS))],
        "variance_floor": [Interval(Real, 0, None, closed="neither")],
        **NEIGHBOR_CORRECTION_CONSTRAINT,
    }

    def __init__(
        self,
        hidden_layer_sizes=(50, 50),
        *,
        n_estimators=5,
        activation="relu",
        feature_scaling="robust",
        numeric_embedding="piecewise_linear",
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
        variance_link="softplus",
        variance_floor=1e-6,
        neighbor_correction="auto",
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
        self.variance_link = variance_link
        self.variance_floor = variance_floor
        self.neighbor_correction = neighbor_correction

    def _make_family(self):
        return Normal(
            self.n_outputs_,
            heteroscedastic=True,
            variance_link=self.variance_link,
            variance_floor=self.variance_floor,
        )


#: The families of :class:`DistributionRegressor`, by name: each takes the number of
#: outputs and predicts every parameter per row through its link.
DISTRIBUTIONS = {
    "normal": partial(Normal, heteroscedastic=True),
    "multivariate_normal": MultivariateNormal,
    "laplace": Laplace,
    "student_t": StudentT,
    "lognormal": LogNormal,
    "gamma": Gamma,
    "beta": Beta,
    "weibull": Weibull,
    "exponential": Exponential,
    "poisson": Poisson,
    "negative_binomial": NegativeBinomial,
    "zero_inflated_poisson": ZeroInflatedPoisson,
    "zero_inflated_negative_binomial": ZeroInflatedNegativeBinomial,
}


@fill_doc
class DistributionRegressor(BaseDistributionRegressor):
    """Regression with the predictive distribution chosen by name.

    One estimator for every family: the network predicts each of the family's
    parameters per row through its link, training minimises the family's NLL,
    and ``predict_dist`` returns the family's distribution (for an ensemble, the
    equal-weight mixture of the members'). Because every family's NLL is a likelihood of
    the same targets, ``distribution`` is a hyper-parameter like any other:
    ``GridSearchCV(DistributionRegressor(), {{"distribution": [...]}},
    scoring=nll_scorer)`` chooses the family by held-out likelihood.

    - ``"normal"``: ``N(mu(x), sigma^2(x))``, the seeds' heteroscedastic recipe; the
      same model as :class:`HeteroscedasticRegressor`.
    - ``"multivariate_normal"``: ``N(mu(x), L(x) L(x)^T)`` over the D outputs of y, a
      full covariance per row through its Cholesky factor, for outputs that move
      together; ``predict_dist`` is a
      :class:`~skprob.distributions.MultivariateNormalDistribution`.
    - ``"laplace"``: ``Laplace(mu(x), b(x))``; the NLL is ``log 2b + |y - mu| / b``, so
      mu is the conditional median (the seeds' mean absolute error).
    - ``"student_t"``: ``t(nu(x), mu(x), s(x))`` with ``nu > 2``; heavy tails, so that
      outliers pull the fit less and keep a probability.
    - ``"lognormal"`` (y > 0): ``log y ~ N(mu(x), sigma^2(x))``; positive targets whose
      spread grows with their size, fitted to y itself (no hand-made log transform).
    - ``"gamma"`` (y > 0): mean ``exp(f(x))`` and shape ``k(x)``; the standard deviation
      is proportional to the mean. The positive families train on y divided by its
      weighted mean.
    - ``"beta"`` (0 < y < 1): mean ``sigmoid(f1(x))`` and precision ``phi(x)``,
      variance ``m (1 - m) / (1 + phi)``: proportions and rates, the beta regression of
      R's ``betareg``, trained on y as it is; the error for a 0 or a 1 says how to
      squeeze them in.
    - ``"poisson"`` (y >= 0): rate ``exp(f(x))``; counts whose variance equals their
      mean, the GLM of sklearn's ``PoissonRegressor``.
    - ``"negative_binomial"`` (y >= 0): mean ``exp(f1(x))`` and size ``r(x)``, variance
      ``m + m^2 / r``; counts more spread than a Poisson's. The count families train on
      y as it is. Like ``PoissonRegressor`` they accept non-negative
      real targets (the NLL's ``log y!`` is ``lgamma(y + 1)``); their distributions,
      and so ``negative_log_likelihood``, are over the integers.
    - ``"zero_inflated_poisson"``, ``"zero_inflated_negative_binomial"`` (y >= 0): the
      count family mixed with a point mass at 0 of probability ``pi(x) = sigmoid(f(x))``,
      for counts with more zeros than it allows; choose against the plain families by
      held-out NLL (``nll_scorer``). One output.

    Every family but the zero-inflated ones takes y of shape ``(n, D)``: D independent
    outputs, the NLL summed over them, as the Normal's.

    ``predict`` returns the predictive mean (for the symmetric families also the median
    and the mode) and ``return_std`` its standard deviation. Every prediction is in the
    units of y. Targets outside a family's support raise a ``ValueError`` that names the
    row. The log-likelihoods of a density (real and positive families) and of a
    probability mass (count families) are not comparable: choose between a count family
    and a continuous one by CRPS (``crps_scorer``), which compares any two distributions.

    Parameters
    ----------
    {common_parameters}
    {neighbor_correction_parameter}
    distribution : {{"normal", "multivariate_normal", "laplace", "student_t", "lognormal", \
"gamma", "beta", "weibull", "exponential", "poisson", "negative_binomial", \
"zero_inflated_poisson", "zero_inflated_negative_binomial"}}, DistributionFamily \
subclass or instance, default="normal"
        The family of ``p(y | x)``. A user's own family, a subclass of
        :class:`~skprob.families.DistributionFamily`, plugs in as its class (built
        with the number of outputs) or an instance (for options of its own; built for
        as many outputs as y has), and validates, clones, pickles and searches as a
        name does (user guide, "Your own family"). ``"weibull"``: a time to an event
        or a lifetime whose hazard rises or falls with time (the scale per row, and its
        shape); ``"exponential"``: its special case of a constant hazard (the scale
        alone).
    dispersion : {{"per_row", "constant"}}, default="per_row"
        ``"per_row"``: the network predicts every parameter of every row.
        ``"constant"``: it predicts the location (mean, median, log-median) per row,
        and the family's other parameters (scale, shape, degrees of freedom, size) are
        learned once for all rows, as in a GLM: ``"normal"`` is then
        :class:`GaussianRegressor`'s model, ``"gamma"`` with a linear network that of
        ``GammaRegressor``. ``"poisson"`` has no other parameter.

    Attributes
    ----------
    {common_attributes}
    {regressor_attributes}
    {neighbor_correction_attributes}

    See Also
    --------
    HeteroscedasticRegressor : ``distribution="normal"``, with its link and floor.
    MixtureDensityRegressor : several modes per row.

    Examples
    --------
    >>> import numpy as np
    >>> from skprob import DistributionRegressor
    >>> rng = np.random.RandomState(0)
    >>> X = rng.uniform(-1, 1, size=(1000, 1))
    >>> y = 2 * X[:, 0] + rng.standard_t(df=2, size=1000)  # heavy-tailed noise
    >>> reg = DistributionRegressor(distribution="student_t", n_estimators=1,
    ...                             random_state=0).fit(X, y)
    >>> dist = reg.predict_dist(X[:3])
    >>> df = dist.kwds["df"]  # learned: near the noise's 2
    >>> dist.dist.name, bool(((df > 1.5) & (df < 3)).all())
    ('t', True)

    ``predict`` is the mean, also where it is not the mode: for a log-normal y,
    ``exp(mu + sigma**2 / 2)``, above the median ``exp(mu)`` and the mode.

    >>> y_pos = np.exp(X[:, 0] + 0.5 * rng.standard_normal(1000))
    >>> lognormal = DistributionRegressor(distribution="lognormal", n_estimators=1,
    ...                                   random_state=0).fit(X, y_pos)
    >>> d = lognormal.predict_dist(X[:3])
    >>> mu, sigma = np.log(d.kwds["scale"]), d.kwds["s"]
    >>> bool(np.allclose(lognormal.predict(X[:3]), np.exp(mu + sigma**2 / 2)))
    True
    >>> bool((lognormal.predict(X[:3]) > d.median()).all())
    True
    """

    _heteroscedastic = True

    _parameter_constraints = {
        **BaseDistributionRegressor._parameter_constraints,
        "distribution": [StrOptions(set(DISTRIBUTIONS)), *DISTRIBUTION_CONSTRAINT],
        "dispersion": [StrOptions({"per_row", "constant"})],
        **NEIGHBOR_CORRECTION_CONSTRAINT,
    }

    def __init__(
        self,
        hidden_layer_sizes=(50, 50),
        *,
        n_estimators=5,
        activation="relu",
        feature_scaling="robust",
        numeric_embedding="piecewise_linear",
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
        distribution="normal",
        dispersion="per_row",
        neighbor_correction="auto",
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
        self.neighbor_correction = neighbor_correction

    def _make_family(self):
        family = build_family(self.distribution, DISTRIBUTIONS, self.n_outputs_, self)
        if self.dispersion == "constant":
            return ConstantDispersion(family)
        return family

    def _target_support(self):
        return family_support(self.distribution, DISTRIBUTIONS, self)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        restricted = self._target_support() in SUPPORT_CONDITIONS
        tags.target_tags.positive_only = restricted
        tags.target_tags.multi_output = not restricted
        return tags

    def _target_array(self, y):
        # Every family takes several independent outputs. The restricted supports keep
        # sklearn's single-output tag (its multi-output checks draw targets of both
        # signs), and so read a column vector as sklearn's single-output estimators do.
        restricted = self._target_support() in SUPPORT_CONDITIONS
        shape = getattr(y, "shape", None)
        if restricted and shape is not None and len(shape) == 2 and shape[1] == 1:
            warnings.warn(
                "A column-vector y was passed when a 1d array was expected: it is read "
                "as one output.",
                DataConversionWarning,
                stacklevel=user_stacklevel(),
            )
            return np.asarray(y)[:, 0]
        return y


@fill_doc
class MixtureDensityRegressor(HeteroscedasticRegressor):
    """Regression with a mixture of Normals per row: a mixture density network.

    For targets whose distribution given x has several modes (an inverse problem, a
    process that switches between regimes), one Normal must put its mean between the
    modes, where the data are not. A mixture density network predicts, per row, K
    weights ``pi_k(x)`` (a softmax), means ``mu_k(x)`` and variances
    ``sigma_k^2(x) = g(f_k[x]) + variance_floor``, and minimises the mixture's NLL,
    ``-log sum_k pi_k N(y | mu_k, sigma_k^2)``, computed as a log-sum-exp. With
    ``n_estimators > 1`` the members' mixtures are mixed with equal weights: one mixture
    of ``n_estimators * n_components`` Normals.

    Parameters
    ----------
    {common_parameters}
    {neighbor_correction_parameter}
    variance_link : {{"softplus", "exp", "square"}}, default="softplus"
        The positive map ``g`` of every component's variance.
    variance_floor : float, default=1e-6
        Lower bound on every component's variance, in units of the variance of y: a
        component free to shrink onto one training point would drive the NLL to minus
        infinity.
    n_components : int, default=3
        K, the Normals per row. Components start spread over the quantiles of y, with
        equal weights; components the data do not need end with small weights.

    Attributes
    ----------
    {common_attributes}
    {regressor_attributes}
    {neighbor_correction_attributes}

    See Also
    --------
    HeteroscedasticRegressor : one Normal per row (a mixture of one component).

    Examples
    --------
    >>> import numpy as np
    >>> from skprob import MixtureDensityRegressor
    >>> rng = np.random.RandomState(0)
    >>> X = rng.uniform(-1, 1, size=(600, 1))
    >>> y = np.where(rng.uniform(size=600) < 0.5, -1.0, 1.0) + 0.1 * rng.normal(size=600)
    >>> reg = MixtureDensityRegressor(n_components=2, n_estimators=1, random_state=0)
    >>> dist = reg.fit(X, y).predict_dist([[0.0]])
    >>> dist.n_components
    2
    >>> bool(dist.pdf([1.0])[0] > 5 * dist.pdf([0.0])[0])  # two modes, a gap between
    True
    """

    _parameter_constraints = {
        **HeteroscedasticRegressor._parameter_constraints,
        "n_components": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(
        self,
        hidden_layer_sizes=(50, 50),
        *,
        n_estimators=5,
        activation="relu",
        feature_scaling="robust",
        numeric_embedding="piecewise_linear",
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
        variance_link="softplus",
        variance_floor=1e-6,
        n_components=3,
        neighbor_correction="auto",
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
            variance_link=variance_link,
            variance_floor=variance_floor,
            neighbor_correction=neighbor_correction,
        )
        self.n_components = n_components

    def _target_validation(self):
        return {"multi_output": False, "y_numeric": True}

    def _target_array(self, y):
        shape = getattr(y, "shape", None)
        if shape is not None and len(shape) == 2 and shape[1] > 1:
            raise ValueError(
                f"MixtureDensityRegressor models one output (y of shape (n,)), and y "
                f"has {shape[1]} columns: a mixture over several outputs would need "
                "each component's covariance. Fit one model per output "
                "(sklearn.multioutput.MultiOutputRegressor), or use "
                "HeteroscedasticRegressor or DistributionRegressor, whose outputs are "
                "independent."
            )
        return y

    def _make_family(self):
        return NormalMixture(
            self.n_components,
            variance_link=self.variance_link,
            variance_floor=self.variance_floor,
        )

    def _mixture(self, X):
        """The predictive mixture over members and components, in y's units."""
        params = self._member_params(X)  # each (n_members, n_samples, n_components)
        n_members, n_samples, _ = params["loc"].shape
        # Members and components on one last axis: (n_samples, n_members * n_components).
        params = {
            name: self._in_y_units(
                name, value.permute(1, 0, 2).reshape(n_samples, -1).numpy()
            )
            for name, value in params.items()
        }
        params["log_weights"] = params["log_weights"] - np.log(n_members)
        return self.family_.scipy_distribution(params)

    def _mean_and_std(self, X):
        dist = self._mixture(X)
        return dist.mean(), dist.std()

    def predict_dist(self, X):
        """The predictive mixture of Normals of y for each row, in the units of y.

        Parameters
        ----------
        X : {{array-like, sparse matrix}} of shape (n_samples, n_features)

        Returns
        -------
        dist : :class:`~skprob.distributions.MixtureDistribution`
            Shape (n_samples,), ``n_estimators * n_components`` Normals each:
            ``mean()``, ``std()``, ``logpdf(y)``, ``cdf``, ``ppf``, ``interval``, ``rvs``,
            and the weights, means and scales of the components.
        """
        return self._mixture(X)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = False
        return tags
