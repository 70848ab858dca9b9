"""What the four estimators share: parameters, validation, the training run, prediction."""

import warnings
from abc import abstractmethod
from numbers import Integral, Real

import numpy as np
import torch
from scipy import sparse
from sklearn.base import BaseEstimator, _fit_context
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import (
    _check_sample_weight,
    check_is_fitted,
    validate_data,
)

from ._feature_scale import warn_if_features_unscaled
from ._neighbor_correction import fit_neighbor_correction, neighbor_adjustments
from ._stacklevel import user_stacklevel
from ._training.data import ArrayData
from ._training.denormals import flush_denormals
from ._training.feature_map import FEATURE_MAPS
from ._training.network import ACTIVATIONS, NUMERIC_EMBEDDINGS
from ._training.persistence import network_state, restore_network
from ._training.run import OPTIMIZERS, fit_network, resolve_compute_dtype
from ._training.threads import resolve_n_threads, torch_threads
from .exceptions import TrainingDivergedError

__all__ = ["BaseDistributionEstimator"]

#: Fitted attributes that pickling replaces by plain data and loading rebuilds.
_REBUILT = ("net_", "family_", "_torch_dtype", "_schedule")

#: Parameters that say how to train, not what model is trained: ``warm_start`` and
#: ``partial_fit`` may change them between calls; any other parameter (the architecture,
#: the family) must stay as the fitted network was built.
_TRAINING_PARAMETERS = frozenset(
    {
        "optimizer",
        "learning_rate",
        "momentum",
        "nesterov",
        "batch_size",
        "max_epochs",
        "weight_decay",
        "early_stopping",
        "validation_fraction",
        "n_iter_no_change",
        "tol",
        "random_state",
        "device",
        "n_threads",
        "verbose",
        "warm_start",
    }
)

_TORCH_DTYPES = {
    np.dtype(np.float32): torch.float32,
    np.dtype(np.float64): torch.float64,
}
_NUMPY_DTYPES = {torch_dtype: np_dtype for np_dtype, torch_dtype in _TORCH_DTYPES.items()}


class BaseDistributionEstimator(BaseEstimator):
    """Base class: a distribution family + MLP bodies (one, or an ensemble) + NLL training.

    Subclasses say which family (:meth:`_make_family`) and how targets are encoded
    (:meth:`_encode_targets`); the training run is :func:`skprob._training.run.fit_network`.
    """

    #: Quantile bins a feature for ``numeric_embedding="piecewise_linear"``
    #: (the regressors' choice; the classifiers take fewer).
    _piecewise_linear_bins = 16

    _parameter_constraints = {
        "hidden_layer_sizes": [
            "array-like",
            Interval(Integral, 1, None, closed="left"),
        ],
        "n_estimators": [Interval(Integral, 1, None, closed="left")],
        "activation": [StrOptions(set(ACTIVATIONS))],
        "feature_scaling": [StrOptions(set(FEATURE_MAPS))],
        "numeric_embedding": [StrOptions(set(NUMERIC_EMBEDDINGS))],
        "optimizer": [StrOptions(set(OPTIMIZERS))],
        "learning_rate": [
            Interval(Real, 0, None, closed="neither"),
            StrOptions({"auto"}),
        ],
        "momentum": [Interval(Real, 0, 1, closed="left")],
        "nesterov": ["boolean"],
        "batch_size": [
            Interval(Integral, 1, None, closed="left"),
            StrOptions({"auto"}),
        ],
        "max_epochs": [Interval(Integral, 1, None, closed="left"), StrOptions({"auto"})],
        "weight_decay": [Interval(Real, 0, None, closed="left"), StrOptions({"auto"})],
        "early_stopping": ["boolean", StrOptions({"auto"})],
        "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
        "n_iter_no_change": [
            Interval(Integral, 1, None, closed="left"),
            StrOptions({"auto"}),
        ],
        "tol": [Interval(Real, 0, None, closed="left")],
        "random_state": ["random_state"],
        "device": [str, torch.device],
        "n_threads": [Interval(Integral, 1, None, closed="left"), None],
        "compute_dtype": [StrOptions({"auto", "float32", "float64"})],
        "verbose": ["verbose"],
        "warm_start": ["boolean"],
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
    ):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.n_estimators = n_estimators
        self.activation = activation
        self.feature_scaling = feature_scaling
        self.numeric_embedding = numeric_embedding
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.momentum = momentum
        self.nesterov = nesterov
        self.batch_size = batch_size
        self.max_epochs = max_epochs
        self.weight_decay = weight_decay
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol
        self.random_state = random_state
        self.device = device
        self.n_threads = n_threads
        self.compute_dtype = compute_dtype
        self.verbose = verbose
        self.warm_start = warm_start

    # -- what subclasses provide ------------------------------------------------------

    @abstractmethod
    def _encode_targets(self, y, sample_weight):
        """Validate ``y``, set target-related fitted attributes, return model targets."""

    @abstractmethod
    def _make_family(self):
        """The fitted :class:`~skprob.families.DistributionFamily`."""

    def _log_target_scale(self):
        """Log-Jacobian of the target encoding (nonzero for standardised targets)."""
        return 0.0

    def _target_validation(self):
        """Keyword arguments for ``validate_data`` about ``y``."""
        return {}

    def _check_target_kind(self, y):
        """Raise, before sklearn's own checks, for targets of the wrong kind."""

    def _target_array(self, y):
        """``y`` as the numeric array ``validate_data`` checks; a subclass whose users
        pass another form (a structured array of events and times) reads it here."""
        return y

    def _stratify_validation(self, y_model, n_valid):
        """Whether the validation split is stratified by ``y_model``."""
        return False

    # -- fitting ------------------------------------------------------------------------

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Fit the network(s) by minimising the negative log-likelihood of ``y``.

        With ``warm_start=True`` and a fitted model, training goes on from the current
        weights, with the fitted target encoding (classes, or the targets' location and
        scale), under the current training parameters.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data. Its dtype and size choose the precision of training (see
            ``compute_dtype``).
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Targets.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weight of each row's NLL; the loss is normalised by the weights'
            sum, so integer weights act as repeated rows.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        continuing = bool(self.warm_start) and hasattr(self, "net_")
        return self._fit(X, y, sample_weight, continuing, epochs=None)

    def _fit(self, X, y, sample_weight, continuing, epochs, **encoding):
        """Validate, encode the targets, train; ``continuing`` from the fitted net.

        ``epochs`` is given by ``partial_fit`` (one pass, no validation split);
        ``encoding`` holds its ``classes``.
        """
        if continuing:
            self._check_structure_unchanged()
        self._check_target_kind(y)
        y = self._target_array(y)
        X, y = validate_data(
            self,
            X,
            y,
            reset=not continuing,
            accept_sparse="csr",
            dtype=[np.float64, np.float32],
            **self._target_validation(),
        )
        sample_weight = _check_sample_weight(
            sample_weight, X, dtype=np.float64, ensure_non_negative=True
        )
        if not sample_weight.sum() > 0:
            raise ValueError(
                "Sample weights must contain at least one non-zero number: they sum to 0."
            )
        self._checked_hidden_layer_sizes()
        device = self._checked_device()
        if continuing:
            y_model = self._reencode_targets(y, **encoding)
            family, net = self.family_, self.net_
            if epochs is not None and getattr(self, "_optimizer_state_dropped", False):
                warnings.warn(
                    f"partial_fit starts the {self.optimizer} optimizer afresh: its "
                    "state was dropped (drop_optimizer_state), so the first steps "
                    "take the size of a new optimizer's.",
                    UserWarning,
                    stacklevel=user_stacklevel(),
                )
            epochs_before = len(net.history)
            # The network keeps the precision it was built in.
            X = X.astype(_NUMPY_DTYPES[self._torch_dtype], copy=False)
        else:
            if self.feature_scaling == "none":
                warn_if_features_unscaled(X, type(self).__name__)
            y_model = self._encode_targets(y, sample_weight, **encoding)
            family, net, epochs_before = self._make_family(), None, 0
            self._torch_dtype = resolve_compute_dtype(
                self.compute_dtype, X.dtype, X.shape[0], self.optimizer
            )
            self._fitted_structure = self._structure()
        net, used_validation, schedule = fit_network(
            self,
            X,
            y_model,
            sample_weight,
            family,
            self._torch_dtype,
            device,
            net=net,
            epochs=epochs,
        )
        self._store_training_results(
            net, family, used_validation, schedule, epochs_before, epochs
        )
        self._fit_neighbor_correction(X, y_model, sample_weight, used_validation)
        return self

    def _fit_neighbor_correction(self, X, y_model, sample_weight, used_validation):
        """The regressors' neighbour correction (:mod:`skprob._neighbor_correction`),
        chosen on the validation rows of this fit; none without them, for sparse rows
        (distances in thousands of sparse columns say little, at a high cost) or for a
        family that cannot be shifted."""
        self._neighbor_correction = self.neighbor_correction_ = None
        if (
            getattr(self, "neighbor_correction", "off") == "off"
            or not used_validation
            or sparse.issparse(X)
            or not self.family_.identity_location
        ):
            return
        family = self.family_
        raw = self._network_raw(X).to(torch.float64)
        n_members, n_rows, n_raw = raw.shape
        params = family.params_numpy(raw.reshape(-1, n_raw))
        mean = np.asarray(family.moments(params)[0]).reshape(n_members, n_rows, -1)
        y_model = np.asarray(y_model, dtype=np.float64).reshape(n_rows, -1)
        residuals = y_model - mean
        calibration = getattr(self.net_, "calibration_", None)

        def validation_loss(member, rows, shift, variance_factor):
            member_raw = raw[member, torch.as_tensor(rows)]
            if shift is not None:
                member_raw = family.shift_location(member_raw, torch.as_tensor(shift))
            with torch.no_grad():
                params = family.params(member_raw)
                if calibration is not None:
                    member_calibration = calibration[member].to(torch.float64)
                    params = family.calibrate(
                        params, member_calibration.expand(len(rows), -1)
                    )
                if variance_factor is not None:
                    params = _scale_spread(family, params, variance_factor)
                log_density = family.torch_distribution(params).log_prob(
                    torch.as_tensor(y_model[rows])
                )
            return -log_density.numpy()

        correction = fit_neighbor_correction(
            self._scaled_features(X),
            residuals,
            sample_weight,
            self.net_.validation_rows_,
            validation_loss,
            # A dispersion shared by all rows (GaussianRegressor's one sigma an
            # output) stays shared: only the location moves.
            spread=family.n_shared_outputs == 0,
        )
        if correction is not None:
            self._neighbor_correction = correction
            self.neighbor_correction_ = {
                name: correction[name] for name in ("bandwidth", "prior", "spread")
            }

    def _scaled_features(self, X):
        """Dense ``X`` through the network's feature map, as numpy (the features the
        neighbour correction measures distances in)."""
        module = self.net_.module_
        feature_map = module.feature_map
        if feature_map is None:
            return np.asarray(X, dtype=np.float32)
        parameter = next(module.parameters())
        rows = self.net_.predict_batch_size
        with torch.no_grad():
            return np.concatenate(
                [
                    feature_map(
                        torch.as_tensor(X[start : start + rows]).to(
                            parameter.device, parameter.dtype
                        )
                    )
                    .cpu()
                    .numpy()
                    for start in range(0, len(X), rows)
                ]
            )

    def _structure(self):
        """The parameters that define the model (see ``_TRAINING_PARAMETERS``)."""
        params = self.get_params(deep=False)
        params["hidden_layer_sizes"] = self._checked_hidden_layer_sizes()
        return {k: v for k, v in params.items() if k not in _TRAINING_PARAMETERS}

    def _check_structure_unchanged(self):
        fitted, now = getattr(self, "_fitted_structure", None), self._structure()
        if fitted is None or fitted == now:
            return
        changed = sorted(k for k in now if fitted.get(k) != now[k])
        raise ValueError(
            f"warm_start and partial_fit train the fitted network further, but "
            f"{', '.join(f'{k}={now[k]!r}' for k in changed)} differ from the fitted "
            f"model's {', '.join(f'{k}={fitted.get(k)!r}' for k in changed)}. Restore "
            "them, or fit afresh (warm_start=False)."
        )

    def _checked_hidden_layer_sizes(self):
        sizes = self.hidden_layer_sizes
        sizes = (sizes,) if isinstance(sizes, Integral) else tuple(sizes)
        if not all(isinstance(s, Integral) and s > 0 for s in sizes):
            raise ValueError(
                "hidden_layer_sizes must be a tuple of positive integers (or () for a "
                f"linear model), got {self.hidden_layer_sizes!r}."
            )
        return tuple(int(s) for s in sizes)

    def _checked_device(self):
        try:
            device = torch.device(self.device)
        except RuntimeError as exc:
            raise ValueError(
                f"device={self.device!r} is not a torch device: {exc}"
            ) from exc
        if device.type == "cuda" and not torch.cuda.is_available():
            raise ValueError(
                f"device={self.device!r} was requested, but torch finds no CUDA device "
                "(torch.cuda.is_available() is False). Use device='cpu'."
            )
        return str(device)

    def drop_optimizer_state(self):
        """Drop the optimizer's state, keeping everything that predicts: for deployment.

        A fitted model keeps its optimizer's state (Adam's two moments per weight:
        twice the size of the weights) so that ``partial_fit`` resumes where training
        stopped. A model that will only predict does not need it: after this call the
        model predicts exactly as before, and its file is that much smaller (a default
        regressor's pickle from 540 to 316 kB). ``fit`` with ``warm_start`` starts a
        new optimizer in any case; ``partial_fit`` then starts one too, and warns
        that it does.

        Returns
        -------
        self : object
            The estimator, without optimizer state.

        Examples
        --------
        >>> import pickle
        >>> import numpy as np
        >>> from skprob import GaussianRegressor
        >>> X = np.random.RandomState(0).normal(size=(200, 3))
        >>> model = GaussianRegressor(random_state=0).fit(X, X.sum(axis=1))
        >>> before, size = model.predict(X), len(pickle.dumps(model))
        >>> model = model.drop_optimizer_state()
        >>> bool((model.predict(X) == before).all())
        True
        >>> bool(len(pickle.dumps(model)) < 0.7 * size)
        True
        """
        check_is_fitted(self)
        # A fresh optimizer holds no per-weight state until its first step.
        self.net_.initialize_optimizer()
        self._optimizer_state_dropped = True
        return self

    def __getstate__(self):
        state = super().__getstate__()
        if "net_" not in state:
            return state
        # The net as plain data (weights, optimizer moments, history): a model file
        # holds no code to run and no training data, and skops can store it.
        state = {key: value for key, value in state.items() if key not in _REBUILT}
        state["_network_state"] = network_state(self)
        return state

    def __setstate__(self, state):
        network = state.pop("_network_state", None)
        super().__setstate__(state)
        if network is not None:
            restore_network(self, network)

    def _store_training_results(
        self, net, family, used_validation, schedule, epochs_before, epochs
    ):
        history = net.history
        self._optimizer_state_dropped = False  # training made new state
        self.net_ = net
        self.family_ = family
        self._schedule = schedule
        self.n_iter_ = len(history)
        self.batch_size_ = schedule.batch_size
        # Every epoch since the network was built (warm starts and partial fits add to
        # it, as in MLPRegressor); validation losses where the epoch had a split.
        self.loss_curve_ = np.asarray(history[:, "train_loss"], dtype=float)
        if used_validation:
            self.validation_loss_curve_ = np.array(
                [epoch.get("valid_loss", np.nan) for epoch in history], dtype=float
            )
            member_curves = np.asarray(
                history[epochs_before:, "valid_member_losses"], dtype=float
            )
            # Each member keeps the weights of its own best epoch.
            self.best_validation_loss_ = float(member_curves.min(axis=0).mean())
        else:
            # The weights are no longer those the validation rows picked.
            for stale in ("validation_loss_curve_", "best_validation_loss_"):
                self.__dict__.pop(stale, None)
        if epochs is None and len(history) - epochs_before >= schedule.max_epochs:
            if used_validation:
                advice = "its validation loss was still improving; increase max_epochs."
            else:
                # More epochs fit the training rows more closely, which need not help
                # held-out rows: no advice that could make them worse.
                advice = (
                    "its training loss was still improving. With no validation split "
                    "to judge it, more epochs fit the training rows more closely and "
                    "can make held-out predictions worse: compare max_epochs by "
                    "cross-validation, or hold out rows with early_stopping=True."
                )
            warnings.warn(
                f"{type(self).__name__} trained for max_epochs={schedule.max_epochs} "
                f"epochs and {advice}",
                ConvergenceWarning,
                stacklevel=user_stacklevel(),
            )

    # -- prediction ---------------------------------------------------------------------

    def _raw_predictions(self, X):
        """Raw outputs ``(n_members, n_samples, n_raw)`` for ``X`` (CPU), checked
        finite, each member's location shifted by its neighbour correction; and each
        row's factor on the variance (None without a correction)."""
        check_is_fitted(self)
        X = validate_data(
            self, X, reset=False, accept_sparse="csr", dtype=[np.float64, np.float32]
        )
        raw = self._network_raw(X)
        correction = getattr(self, "_neighbor_correction", None)
        if correction is None:
            return raw, None
        shifts, factors = neighbor_adjustments(correction, self._scaled_features(X))
        n_members, n_samples, n_raw = raw.shape
        shifted = self.family_.shift_location(
            raw.reshape(-1, n_raw),
            torch.as_tensor(shifts, dtype=raw.dtype).reshape(n_members * n_samples, -1),
        )
        return shifted.reshape(n_members, n_samples, n_raw), factors

    def _network_raw(self, X):
        """The networks' raw outputs for validated ``X``, checked finite."""
        module = self.net_.module_
        batch_rows = min(X.shape[0], self.net_.predict_batch_size)
        n_threads = resolve_n_threads(
            self.n_threads, batch_rows * module.multiply_adds_per_row()
        )
        with torch_threads(n_threads), flush_denormals():
            raw = self.net_.predict_raw(ArrayData(X, dtype=self._torch_dtype))
        if X.dtype == np.float64:
            # float64 in, float64 out, also from a network trained in float32.
            raw = raw.to(torch.float64)
        # One pass: a NaN or an infinity makes the sum non-finite, and a float64 sum of
        # float32 outputs cannot overflow.
        if not torch.isfinite(raw.sum(dtype=torch.float64)):
            raise TrainingDivergedError(
                "The network produced non-finite outputs: its weights are not finite, "
                "or these inputs are far outside the range it was trained on."
            )
        return raw

    def _member_params(self, X):
        """The family's constrained parameters for ``X``, per member.

        Returns a dict of tensors of shape ``(n_members, n_samples, ...)``.
        """
        raw, variance_factors = self._raw_predictions(X)
        n_members, n_samples, n_raw = raw.shape
        with torch.no_grad():
            params = self.family_.params(raw.reshape(-1, n_raw))
            calibration = getattr(self.net_, "calibration_", None)
            if calibration is not None:
                # Each member's calibration on its validation rows, for each of its rows.
                calibration = calibration.to(raw.device, raw.dtype)[:, None]
                calibration = calibration.expand(-1, n_samples, -1)
                params = self.family_.calibrate(
                    params, calibration.reshape(n_members * n_samples, -1)
                )
            if variance_factors is not None:
                factors = np.tile(variance_factors, n_members)
                params = _scale_spread(self.family_, params, factors)
        return {
            name: value.reshape(n_members, n_samples, *value.shape[1:])
            for name, value in params.items()
        }

    @abstractmethod
    def predict_dist(self, X):
        """The predictive distribution for each row of ``X``."""

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags


def _scale_spread(family, params, variance_factor):
    """``params`` with each row's variance times ``variance_factor`` ``(n_rows,)``:
    the family's scale parameters (``scale_params``) times its square root, never
    below the family's ``min_scale``, which keeps the likelihood bounded."""
    factor = torch.as_tensor(np.sqrt(variance_factor))
    floor = family.min_scale
    scaled = dict(params)
    for name in family.scale_params:
        value = params[name]
        row_factor = factor.to(value.dtype).reshape(-1, *([1] * (value.ndim - 1)))
        scaled[name] = torch.maximum(value * row_factor, value.clamp(max=floor))
    return scaled
