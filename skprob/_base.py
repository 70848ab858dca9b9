"""What the four estimators share: parameters, validation, the training run, prediction."""

import warnings
from abc import abstractmethod
from numbers import Integral, Real

import numpy as np
import torch
from sklearn.base import BaseEstimator, _fit_context
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import ShuffleSplit, StratifiedShuffleSplit
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import (
    _check_sample_weight,
    check_is_fitted,
    validate_data,
)
from skorch.callbacks import EarlyStopping
from skorch.helper import predefined_split
from skorch.utils import noop

from ._data import ArrayData
from ._net import DistributionNet, FamilyNLL, StopOnDivergence
from ._network import ACTIVATIONS, DistributionMLP
from .exceptions import TrainingDivergedError

__all__ = ["BaseDistributionEstimator"]

#: With ``early_stopping="auto"``, a validation split is held out from this many rows on
#: (20 validation rows at the default fraction). Measured on diabetes (331 training rows),
#: it keeps the heteroscedastic model from shrinking sigma onto the training points.
#: Below it, the split would be too small to judge by, and training uses all rows (and
#: stays deterministic and weight-equivalent, as sklearn's checks require).
AUTO_EARLY_STOPPING_MIN_ROWS = 200

#: Rows per mini-batch with ``batch_size="auto"`` (sklearn's MLP uses the same).
AUTO_BATCH_SIZE = 200

OPTIMIZERS = {
    "adam": (torch.optim.Adam, {}, 1e-3),
    "sgd": (torch.optim.SGD, {}, 1e-2),
    "lbfgs": (torch.optim.LBFGS, {"line_search_fn": "strong_wolfe"}, 1.0),
}

_TORCH_DTYPES = {
    np.dtype(np.float32): torch.float32,
    np.dtype(np.float64): torch.float64,
}


class BaseDistributionEstimator(BaseEstimator):
    """Base class: a distribution family + an MLP body + NLL training through skorch.

    Subclasses say which family (:meth:`_make_family`) and how targets are encoded
    (:meth:`_encode_targets`); everything else is here.
    """

    _parameter_constraints = {
        "hidden_layer_sizes": [
            "array-like",
            Interval(Integral, 1, None, closed="left"),
        ],
        "activation": [StrOptions(set(ACTIVATIONS))],
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
        "max_epochs": [Interval(Integral, 1, None, closed="left")],
        "weight_decay": [Interval(Real, 0, None, closed="left")],
        "early_stopping": ["boolean", StrOptions({"auto"})],
        "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
        "n_iter_no_change": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left")],
        "random_state": ["random_state"],
        "device": [str, torch.device],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        hidden_layer_sizes=(100,),
        *,
        activation="relu",
        optimizer="adam",
        learning_rate="auto",
        momentum=0.9,
        nesterov=False,
        batch_size="auto",
        max_epochs=200,
        weight_decay=1e-4,
        early_stopping="auto",
        validation_fraction=0.1,
        n_iter_no_change=10,
        tol=1e-4,
        random_state=None,
        device="cpu",
        verbose=0,
    ):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
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
        self.verbose = verbose

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

    # -- fitting ------------------------------------------------------------------------

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Fit the network by minimising the negative log-likelihood of ``y``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data. float32 data trains in float32; anything else in float64.
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
        X, y = validate_data(
            self,
            X,
            y,
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
        hidden_layer_sizes = self._checked_hidden_layer_sizes()
        device = self._checked_device()
        y_model = self._encode_targets(y, sample_weight)
        family = self._make_family()
        dtype = _TORCH_DTYPES[X.dtype]
        # Equal weights are no weights: the unweighted loss skips a gather and a product
        # per batch and gives the same result.
        uniform = np.all(sample_weight == sample_weight[0])
        data = ArrayData(
            X,
            y_model,
            None if uniform else sample_weight,
            dtype=dtype,
            target_dtype=family.target_dtype(dtype),
        )

        rng = check_random_state(self.random_state)
        init_seed, shuffle_seed, split_seed = rng.randint(np.iinfo(np.int32).max, size=3)
        train_index, valid_index = self._split(y_model, split_seed)
        train = data if train_index is None else data.subset(train_index)
        valid = None if valid_index is None else data.subset(valid_index)

        # Building the module under a forked RNG keeps the global torch state untouched
        # while the same random_state always gives the same starting weights.
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(int(init_seed))
            module = DistributionMLP(
                n_features=X.shape[1],
                hidden_layer_sizes=hidden_layer_sizes,
                activation=self.activation,
                n_network_outputs=family.n_network_outputs,
                n_shared_outputs=family.n_shared_outputs,
            ).to(dtype)
        rows = slice(None) if train_index is None else train_index
        module.set_initial_raw(family.initial_raw(y_model[rows], sample_weight[rows]))

        net = self._make_net(module, family, train, valid, device, int(shuffle_seed))
        net.fit(train.to(device), None)
        self._store_training_results(net, family, dtype, valid is not None)
        return self

    def _target_validation(self):
        """Keyword arguments for ``validate_data`` about ``y``."""
        return {}

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

    def _uses_validation(self, n_samples):
        if self.early_stopping == "auto":
            return n_samples >= AUTO_EARLY_STOPPING_MIN_ROWS
        return bool(self.early_stopping)

    def _split(self, y_model, seed):
        """Training and validation row numbers; ``(None, None)`` without early stopping."""
        n_samples = len(y_model)
        if not self._uses_validation(n_samples):
            return None, None
        n_valid = int(np.ceil(self.validation_fraction * n_samples))
        if n_valid < 1 or n_samples - n_valid < 1:
            raise ValueError(
                f"early_stopping needs at least one training and one validation row; "
                f"validation_fraction={self.validation_fraction} of {n_samples} rows "
                "leaves none. Use more data or early_stopping=False."
            )
        splitter = ShuffleSplit(n_splits=1, test_size=n_valid, random_state=seed)
        if self._stratify_validation(y_model, n_valid):
            splitter = StratifiedShuffleSplit(
                n_splits=1, test_size=n_valid, random_state=seed
            )
        return next(splitter.split(np.zeros(n_samples), y_model))

    def _stratify_validation(self, y_model, n_valid):
        return False

    def _make_net(self, module, family, train, valid, device, shuffle_seed):
        optimizer, optimizer_kwargs, default_lr = OPTIMIZERS[self.optimizer]
        if self.optimizer == "sgd":
            optimizer_kwargs = {"momentum": self.momentum, "nesterov": self.nesterov}
        lr = default_lr if self.learning_rate == "auto" else self.learning_rate
        batch_size = AUTO_BATCH_SIZE if self.batch_size == "auto" else self.batch_size
        if self.optimizer == "lbfgs":
            # A quasi-Newton step needs the full objective, not a mini-batch estimate.
            batch_size = len(train)
        monitor = "valid_loss" if valid is not None else "train_loss"
        stopper = EarlyStopping(
            monitor=monitor,
            patience=self.n_iter_no_change,
            threshold=self.tol,
            # The NLL can be negative, where a relative threshold would flip its meaning.
            threshold_mode="abs",
            lower_is_better=True,
            load_best=valid is not None,
            sink=print if self.verbose else noop,
        )
        return DistributionNet(
            module=module,
            criterion=FamilyNLL(family, self._log_target_scale()),
            optimizer=optimizer,
            lr=lr,
            max_epochs=self.max_epochs,
            batch_size=batch_size,
            train_split=None if valid is None else predefined_split(valid.to(device)),
            callbacks=[
                ("stop_on_divergence", StopOnDivergence()),
                ("early_stopping", stopper),
            ],
            verbose=int(self.verbose),
            device=device,
            weight_decay=self.weight_decay,
            shuffle_seed=shuffle_seed,
            **{f"optimizer__{key}": value for key, value in optimizer_kwargs.items()},
            # skorch formats its epoch table even when it prints nothing: drop it then.
            **({} if self.verbose else {"callbacks__print_log": None}),
        )

    def _store_training_results(self, net, family, dtype, used_validation):
        history = net.history
        self.net_ = net
        self.family_ = family
        self.n_iter_ = len(history)
        self.loss_curve_ = np.asarray(history[:, "train_loss"], dtype=float)
        if used_validation:
            self.validation_loss_curve_ = np.asarray(history[:, "valid_loss"], dtype=float)
            self.best_validation_loss_ = float(np.min(self.validation_loss_curve_))
        self._torch_dtype = dtype
        if self.n_iter_ >= self.max_epochs:
            warnings.warn(
                f"{type(self).__name__} trained for max_epochs={self.max_epochs} epochs "
                f"and its {'validation' if used_validation else 'training'} loss was "
                "still improving; increase max_epochs.",
                ConvergenceWarning,
                stacklevel=4,  # the caller of fit, past sklearn's _fit_context
            )

    # -- prediction ---------------------------------------------------------------------

    def _raw_predictions(self, X):
        """The network's raw outputs for ``X`` (a CPU tensor), checked to be finite."""
        check_is_fitted(self)
        X = validate_data(
            self, X, reset=False, accept_sparse="csr", dtype=[np.float64, np.float32]
        )
        raw = self.net_.forward(ArrayData(X, dtype=self._torch_dtype))
        if not torch.isfinite(raw).all():
            raise TrainingDivergedError(
                "The network produced non-finite outputs: its weights are not finite, "
                "or these inputs are far outside the range it was trained on."
            )
        return raw

    def _predict_params(self, X):
        """The family's constrained parameters for ``X``, as numpy arrays."""
        raw = self._raw_predictions(X)
        with torch.no_grad():
            params = self.family_.params(raw)
        return {name: value.numpy() for name, value in params.items()}

    @abstractmethod
    def predict_dist(self, X):
        """The predictive distribution for each row of ``X``."""

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags
