"""One training run: a schedule fitted to the data size, the splits, the network, the fit.

The estimators (``skprob/_base.py``) validate parameters and data and encode the
targets; this module turns that into a trained
:class:`~skprob._training.net.DistributionNet`.
"""

import math
from dataclasses import dataclass

import numpy as np
import torch
from sklearn.base import is_classifier
from sklearn.model_selection import ShuffleSplit, StratifiedShuffleSplit
from sklearn.utils import check_random_state
from skorch.helper import predefined_split

from ..exceptions import TrainingDivergedError
from .callbacks import MemberEarlyStopping
from .data import ArrayData
from .denormals import flush_denormals
from .feature_map import (
    ROBUST_LEVELS,
    RobustFeatureMap,
    column_quantiles,
    robust_centre_and_scale,
)
from .flat_params import FlatAdam
from .net import DistributionNet, FamilyNLL
from .network import PIECEWISE_LINEAR_EMBEDDINGS, DistributionMLP
from .piecewise_linear import bin_levels, choose_bins, ramp_budget
from .threads import resolve_n_threads, torch_threads

__all__ = ["OPTIMIZERS", "TrainingSchedule", "fit_network", "make_net"]

#: Optimizers by name: class, fixed keyword arguments, and the step size of
#: ``learning_rate="auto"``. Adam's 3e-3 (three times its paper's default) measured better
#: held-out NLL on the UCI benchmark, with the small batches and weight decay of the
#: "auto" schedule, for one network and for ensembles, and on sklearn's classification
#: data sets (``benchmarks/README.md``).
OPTIMIZERS = {
    "adam": (FlatAdam, {}, 3e-3),
    "sgd": (torch.optim.SGD, {}, 1e-2),
    "lbfgs": (torch.optim.LBFGS, {"line_search_fn": "strong_wolfe"}, 1.0),
}

#: With ``early_stopping="auto"``, a validation split is held out from this many rows on,
#: for every estimator. Even a few validation rows keep the heteroscedastic model from
#: shrinking sigma onto the training points (5-fold NLL on 50 diabetes rows 5.60 with a
#: split against 14.3 without, on 100 rows 5.49 against 7.89), and a classifier from
#: fitting its training rows to certainty where the classes overlap (out-of-fold log loss
#: on 200 Pima rows 0.499 with a split against 1.647 without, on 189 birth-weight rows
#: 0.585 against 1.734; ``benchmarks/bench_small_tables.py``). Below it, training uses
#: all rows, so that sklearn's weight-equivalence check (15 rows with integer weights
#: against at most 60 repeated rows) compares two fits on the same path.
AUTO_EARLY_STOPPING_MIN_ROWS = 64

#: ``batch_size="auto"``: about this many steps an epoch, ...
AUTO_STEPS_PER_EPOCH = 32
#: ... with batches between these sizes.
AUTO_BATCH_SIZE_RANGE = (32, 512)
#: ``max_epochs="auto"`` with a validation split: a budget of this many optimizer steps,
#: and at least :data:`AUTO_EPOCHS` epochs.
AUTO_MAX_STEPS = 20_000
#: ``n_iter_no_change="auto"`` with a validation split: patience of this many steps, and
#: at least :data:`AUTO_MIN_PATIENCE` epochs.
AUTO_PATIENCE_STEPS = 1_000
#: ... The floor matters only where an epoch is more than 333 steps (170,000 rows and
#: up): there 1,000 steps are less than an epoch, and a validation split of 17,000+
#: rows measures each epoch precisely. A floor of 10 epochs (sklearn's patience) made
#: 1,000,000 rows train 61 epochs, 107,000 steps, in 285 s; at 3, 13 epochs in 85 s,
#: held-out NLL 0.5561 against 0.5555 (250,000 rows: 22 against 33 s, NLL 0.5530
#: against 0.5525; ``benchmarks/bench_large_fit.py``).
AUTO_MIN_PATIENCE = 3
#: With a validation split (Adam and SGD), the first plateaus lower the learning rate
#: instead of stopping: each member goes back to its best weights and trains on at
#: :data:`LR_DECAY_FACTOR` times the rate, :data:`LR_DECAYS` times, each later plateau
#: waiting :data:`DECAYED_PATIENCE` of the patience (``MemberEarlyStopping``). Measured on
#: 20 UCI splits against stopping at the first plateau (``benchmarks/README.md``): NLL
#: energy 0.661 -> 0.613, yacht -0.266 -> -0.308, wine and power unchanged, for 0.96 to
#: 1.42 times the fit time.
LR_DECAYS = 2
LR_DECAY_FACTOR = 0.3
DECAYED_PATIENCE = 0.25
#: Without a validation split nothing tells overfitting from progress, and training takes
#: sklearn's MLP budget: this many epochs, stopping after :data:`AUTO_PATIENCE` epochs
#: without an improvement of the training loss.
AUTO_EPOCHS = 200
AUTO_PATIENCE = 10
#: ``weight_decay="auto"``: this many divided by the training rows (the sum of their
#: sample weights, so that integer weights act as repeated rows), by kind of estimator.
#: The penalty on the mean NLL per row is then a fixed Gaussian prior on the weights
#: whatever the data size: strong on 300 rows, negligible on 100,000; early stopping
#: then picks the epoch. Regressors: precision 4 (standard deviation 0.5), better than a
#: fixed 1e-4 on the UCI sets (energy's ensemble NLL 0.76 -> 0.57). Classifiers:
#: precision 0.7, which lets nearly separable classes reach confident probabilities
#: (``bench_small_tables.py``, out-of-fold log loss: at 4 wine 0.086 and crabs 0.272;
#: at 1 glass 0.679, crabs 0.116, iris 0.105; at 0.7 0.662, 0.103, 0.108; at 0.5
#: 0.681, 0.095, 0.115).
AUTO_WEIGHT_DECAY_TIMES_ROWS = {"regressor": 4.0, "classifier": 0.7}
#: ``weight_decay="auto"`` for a regressor without a validation split (under
#: :data:`AUTO_EARLY_STOPPING_MIN_ROWS` rows), trained to its training loss's plateau.
AUTO_WEIGHT_DECAY_WITHOUT_VALIDATION = 1e-4


#: ``compute_dtype="auto"``: float64 data of at least this many rows train in float32,
#: the rows from which a validation split is held out. float32 halves the batched
#: products and speeds up the small operators too: an epoch of the default 5-member
#: ensemble took 0.84, 0.81, 0.79 and 0.76 times as long at 64, 128, 256 and 512 rows
#: (``benchmarks/bench_precision.py``), and 0.58 to 0.62 at 8,192. Smaller data (trained
#: to their plateau, without a split) stay in float64, which keeps integer sample weights
#: equal to repeated rows to sklearn's tolerance (rtol 1e-7): its check fits 15 weighted
#: rows against at most 60 repeated ones, and float32's rounding misses it.
AUTO_FLOAT32_MIN_ROWS = AUTO_EARLY_STOPPING_MIN_ROWS
#: ... and with L-BFGS from this many: its line search and its stopping test compare
#: changes of the full-batch loss, which float32 rounds at 1e-7 of the loss, and the
#: fits that reproduce statsmodels, lifelines and scikit-learn's linear models to
#: 1e-6 are of a few hundred rows.
AUTO_FLOAT32_MIN_ROWS_LBFGS = 512

_FLOAT_DTYPES = {"float32": torch.float32, "float64": torch.float64}


def resolve_compute_dtype(compute_dtype, data_dtype, n_rows, optimizer="adam"):
    """The torch dtype a network trains in, for ``compute_dtype``, the data's dtype and
    size, and the optimizer."""
    if compute_dtype != "auto":
        return _FLOAT_DTYPES[compute_dtype]
    min_rows = (
        AUTO_FLOAT32_MIN_ROWS_LBFGS if optimizer == "lbfgs" else AUTO_FLOAT32_MIN_ROWS
    )
    if data_dtype == np.float32 or n_rows >= min_rows:
        return torch.float32
    return torch.float64


@dataclass(frozen=True)
class TrainingSchedule:
    """The numbers of one training run, with every ``"auto"`` resolved for the data size.

    Parameters
    ----------
    batch_size : int
    max_epochs : int
    patience : int
        Epochs without improvement before a member is done.
    learning_rate : float
    """

    batch_size: int
    max_epochs: int
    patience: int
    learning_rate: float
    weight_decay: float

    @classmethod
    def for_estimator(cls, estimator, n_train, validation, total_weight, epochs=None):
        """Resolve the estimator's training parameters for ``n_train`` training rows.

        ``validation`` says whether a validation split judges when to stop;
        ``total_weight`` is the sum of the training rows' sample weights; ``epochs``, when
        given (``partial_fit``: 1), replaces ``max_epochs``.
        """
        _, _, default_lr = OPTIMIZERS[estimator.optimizer]
        if estimator.optimizer == "lbfgs":
            # A quasi-Newton step needs the full objective, not a mini-batch estimate.
            batch_size = n_train
        elif estimator.batch_size == "auto":
            batch_size = auto_batch_size(n_train)
        else:
            batch_size = min(estimator.batch_size, n_train)
        steps_per_epoch = math.ceil(n_train / batch_size)
        max_epochs, patience = AUTO_EPOCHS, AUTO_PATIENCE
        # L-BFGS takes one full-batch step of up to 20 iterations an epoch: counted in
        # steps, the budget would be thousands of epochs and the patience a thousand.
        if validation and estimator.optimizer != "lbfgs":
            max_epochs = max(max_epochs, math.ceil(AUTO_MAX_STEPS / steps_per_epoch))
            patience = max(
                AUTO_MIN_PATIENCE, math.ceil(AUTO_PATIENCE_STEPS / steps_per_epoch)
            )
        if estimator.max_epochs != "auto":
            max_epochs = estimator.max_epochs
        if estimator.n_iter_no_change != "auto":
            patience = estimator.n_iter_no_change
        if epochs is not None:
            max_epochs = epochs
        learning_rate = (
            default_lr if estimator.learning_rate == "auto" else estimator.learning_rate
        )
        weight_decay = estimator.weight_decay
        if weight_decay == "auto":
            kind = "classifier" if is_classifier(estimator) else "regressor"
            if validation or kind == "classifier":
                weight_decay = AUTO_WEIGHT_DECAY_TIMES_ROWS[kind] / total_weight
            else:
                weight_decay = AUTO_WEIGHT_DECAY_WITHOUT_VALIDATION
        return cls(batch_size, max_epochs, patience, learning_rate, weight_decay)


def auto_batch_size(n_train):
    """About :data:`AUTO_STEPS_PER_EPOCH` steps an epoch, in a power of two within range."""
    low, high = AUTO_BATCH_SIZE_RANGE
    size = 2 ** round(math.log2(max(n_train / AUTO_STEPS_PER_EPOCH, 1)))
    return int(min(max(size, low), high, n_train))


def uses_validation(estimator, n_samples):
    """Whether a validation split is held out."""
    if estimator.early_stopping == "auto":
        return n_samples >= AUTO_EARLY_STOPPING_MIN_ROWS
    return bool(estimator.early_stopping)


def member_splits(y_model, n_members, validation_fraction, seed, stratify):
    """Training and validation row numbers of each member, ``(n_members, n)`` each.

    Every member holds out its own random validation rows (the same number), so that the
    ensemble as a whole learns from every row.
    """
    n_samples = len(y_model)
    n_valid = int(np.ceil(validation_fraction * n_samples))
    if n_valid < 1 or n_samples - n_valid < 1:
        raise ValueError(
            f"early_stopping needs at least one training and one validation row; "
            f"validation_fraction={validation_fraction} of {n_samples} rows "
            "leaves none. Use more data or early_stopping=False."
        )
    Splitter = StratifiedShuffleSplit if stratify(n_valid) else ShuffleSplit
    seeds = check_random_state(seed).randint(np.iinfo(np.int32).max, size=n_members)
    seeds[0] = seed  # a single network splits as it always has
    # Filled member by member in the row-number dtype of the data path (int32 below
    # 2^31 rows): on large data the splits are the largest thing the fit allocates.
    dtype = np.int32 if n_samples < 2**31 else np.int64
    train = np.empty((n_members, n_samples - n_valid), dtype=dtype)
    valid = np.empty((n_members, n_valid), dtype=dtype)
    no_features = np.empty((n_samples, 0))
    for member, member_seed in enumerate(seeds):
        splitter = Splitter(n_splits=1, test_size=n_valid, random_state=member_seed)
        train[member], valid[member] = next(splitter.split(no_features, y_model))
    return train, valid


def fit_network(
    estimator, X, y_model, sample_weight, family, dtype, device, net=None, epochs=None
):
    """Train ``estimator``'s network on the encoded targets; return the fitted net.

    Parameters
    ----------
    estimator : BaseDistributionEstimator
        Read for its parameters only.
    X : ndarray or sparse matrix
    y_model : ndarray
        Targets as the family sees them (standardised, or class indices).
    sample_weight : ndarray of shape (n_samples,)
    family : DistributionFamily
    dtype : torch.dtype
    device : str
    net : DistributionNet, default=None
        A fitted net to train further from its current weights (``warm_start``,
        ``partial_fit``); None builds and trains a new one.
    epochs : int, default=None
        Train exactly this many epochs on all rows, with no validation split
        (``partial_fit``: one pass over the chunk); None follows the schedule.

    Returns
    -------
    net : DistributionNet
    used_validation : bool
    schedule : TrainingSchedule
    """
    n_members = estimator.n_estimators if net is None else net.n_members
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
    rng = check_random_state(estimator.random_state)
    init_seed, shuffle_seed, split_seed = rng.randint(np.iinfo(np.int32).max, size=3)

    train, valid, valid_rows = data, None, None
    start_rows = slice(None)
    if epochs is None and uses_validation(estimator, len(y_model)):
        train_rows, valid_rows = member_splits(
            y_model,
            n_members,
            estimator.validation_fraction,
            int(split_seed),
            lambda n_valid: estimator._stratify_validation(y_model, n_valid),
        )
        train, valid = data.subset(train_rows), data.subset(valid_rows)
        start_rows = train_rows[0]

    initial_raw = family.initial_raw(y_model[start_rows], sample_weight[start_rows])
    schedule = TrainingSchedule.for_estimator(
        estimator,
        len(train),
        valid is not None,
        float(sample_weight[start_rows].sum()),
        epochs,
    )
    if net is None:
        module = _new_module(
            estimator, X, sample_weight, family, n_members, dtype, init_seed
        )
        module.set_initial_raw(initial_raw)
        mapped = map_rows_once(module, data, train, valid)
        net = make_net(
            estimator, module, family, schedule, valid, device, int(shuffle_seed)
        )
        epochs_before = 0
    else:
        mapped = map_rows_once(net.module_, data, train, valid)
        _continue_with(net, estimator, schedule, valid, device, new_optimizer=not epochs)
        module, epochs_before = net.module_, len(net.history)
    n_threads = resolve_n_threads(
        estimator.n_threads,
        schedule.batch_size * module.multiply_adds_per_row(),
        training=True,
    )
    net.mapped_inputs_ = mapped
    try:
        with torch_threads(n_threads), flush_denormals():
            if epochs_before:
                # skorch's partial_fit: the same module, optimizer and history, further.
                net.partial_fit(train.to(device), None)
            else:
                net.fit(train.to(device), None)
    finally:
        # Predictions pass the user's rows, through the whole module.
        net.mapped_inputs_ = False
    # The validation rows leave the fitted model: a shared model file must not carry
    # training data (they were also most of its size). Their row numbers stay.
    net.train_split = None
    net.validation_rows_ = valid_rows
    _check_better_than_constant(
        net,
        family,
        initial_raw,
        y_model,
        sample_weight,
        estimator._log_target_scale(),
        epochs_before,
    )
    return net, valid is not None, schedule


#: A fit maps its rows through the module's fixed map (the feature map and the
#: piecewise-linear encoding) once, instead of once a step, where the mapped copy takes
#: at most this many bytes.
MAP_ROWS_ONCE_MAX_BYTES = 256 * 2**20


def map_rows_once(module, data, *subsets):
    """Replace the rows of ``data`` (and of its ``subsets``, which share them) by their
    image under ``module.fixed_map``; return whether they were.

    The map has no parameters, so its image of a row is the same at every step: mapped
    once, a step starts at the first trained layer. On small data, where a step's cost
    is its operators' count, the map's ten operators were a tenth of it. Left alone:
    rows kept sparse (densified a batch at a time), a mapped copy above
    :data:`MAP_ROWS_ONCE_MAX_BYTES`, and a module off the CPU.
    """
    X = data.X
    if not (isinstance(X, torch.Tensor) and module.has_fixed_map()):
        return False
    if X.device.type != "cpu" or any(b.device.type != "cpu" for b in module.buffers()):
        return False
    with torch.no_grad():
        width = module.fixed_map(X[:1]).shape[-1]
        if X.shape[0] * width * X.element_size() > MAP_ROWS_ONCE_MAX_BYTES:
            return False
        mapped = torch.empty(X.shape[0], width, dtype=X.dtype)
        chunk = 65_536
        for start in range(0, X.shape[0], chunk):
            mapped[start : start + chunk] = module.fixed_map(X[start : start + chunk])
    for dataset in (data, *subsets):
        if dataset is not None:
            dataset.X = mapped
    return True


def _new_module(estimator, X, sample_weight, family, n_members, dtype, init_seed):
    """A new network, its feature map and encoding set from the training rows."""
    hidden_layer_sizes = estimator._checked_hidden_layer_sizes()
    scaled = estimator.feature_scaling == "robust"
    encoded = (
        estimator.numeric_embedding in PIECEWISE_LINEAR_EMBEDDINGS and hidden_layer_sizes
    )
    levels = ROBUST_LEVELS if scaled else ()
    if encoded:
        levels = (*levels, *bin_levels(estimator._piecewise_linear_bins))
    quantiles = column_quantiles(X, sample_weight, levels) if levels else None
    robust = quantiles[:, : len(ROBUST_LEVELS)] if scaled else None
    bins = None
    if encoded:
        knots = quantiles[:, len(ROBUST_LEVELS) if scaled else 0 :]
        if scaled:
            # The bins live where the encoding sees the features: behind the map.
            feature_map = RobustFeatureMap(X.shape[1], clip=True).double()
            feature_map.set_statistics(*robust_centre_and_scale(robust))
            knots = feature_map(torch.as_tensor(knots.T.copy())).numpy().T
        budget = ramp_budget(X.shape[1], hidden_layer_sizes, family.n_network_outputs)
        bins = choose_bins(knots, budget)
    # Building the module under a forked RNG keeps the global torch state untouched
    # while the same random_state always gives the same starting weights.
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(int(init_seed))
        module = DistributionMLP(
            n_features=X.shape[1],
            hidden_layer_sizes=hidden_layer_sizes,
            activation=estimator.activation,
            n_network_outputs=family.n_network_outputs,
            n_shared_outputs=family.n_shared_outputs,
            n_members=n_members,
            feature_scaling=estimator.feature_scaling,
            numeric_embedding=estimator.numeric_embedding,
            n_piecewise_bins=0 if bins is None else len(bins[0]),
        ).to(dtype)
    if scaled:
        module.set_feature_statistics(*robust_centre_and_scale(robust))
    if bins is not None:
        module.set_piecewise_bins(*bins)
    return module


def _continue_with(net, estimator, schedule, valid, device, new_optimizer):
    """Set a fitted net up to train further under ``schedule``.

    A new fit with ``warm_start`` starts a fresh optimizer with the current learning
    rate (as ``MLPRegressor`` does); ``partial_fit`` keeps Adam's moments from one chunk
    to the next.
    """
    net.max_epochs = schedule.max_epochs
    net.batch_size = schedule.batch_size
    net.weight_decay = schedule.weight_decay
    net.lr = schedule.learning_rate
    net.train_split = None if valid is None else predefined_split(valid.to(device))
    stopper = dict(net.callbacks_)["early_stopping"]
    stopper.monitor = "train" if valid is None else "valid"
    stopper.patience = schedule.patience
    stopper.threshold = estimator.tol
    stopper.load_best = valid is not None
    stopper.lr_decays = _lr_decays(estimator, valid)
    if new_optimizer:
        net.initialize_optimizer()


#: A member whose best training loss stays this many nats per row above the constant
#: model's has diverged. Training starts near that constant (the output bias) and any
#: working optimiser ends at or below it; the margin is wide because a start can be far
#: from it (unscaled features on tiny data: measured 11 nats on one of sklearn's
#: checks), while a learning rate far too large ends ~1e15 above.
DIVERGENCE_MARGIN = 100.0


def _check_better_than_constant(
    net, family, initial_raw, y_model, weights, log_scale, epochs_before=0
):
    """Raise if a member's training never came near the constant model it started from.

    A learning rate far too large can leave the loss finite but astronomically high (the
    non-finite case is caught epoch by epoch): without this check such a model would be
    returned and predict garbage in silence.
    """
    losses = net.history[epochs_before:, "train_member_losses"]
    best = np.min(np.asarray(losses, dtype=float), axis=0)
    with torch.no_grad():
        raw = torch.as_tensor(initial_raw, dtype=torch.float64).expand(len(y_model), -1)
        y = torch.as_tensor(y_model)
        nll = family.nll(raw, y.double() if y.is_floating_point() else y).numpy()
    constant = float(np.average(nll, weights=weights)) + log_scale
    worse = best > constant + DIVERGENCE_MARGIN
    if worse.any():
        member = int(np.argmax(worse))
        raise TrainingDivergedError(
            f"Training diverged: member {member}'s best training loss, {best[member]:.4g},"
            f" stayed far above {constant:.4g}, the loss of the constant model training "
            f"starts from. Lower the learning rate (it is {net.lr:g}) or standardise the "
            "features (e.g. with StandardScaler)."
        )


def _lr_decays(estimator, valid):
    # L-BFGS's line search sets its own step; without validation rows there is no best
    # epoch to go back to.
    if valid is None or estimator.optimizer == "lbfgs":
        return 0
    return LR_DECAYS


def make_net(estimator, module, family, schedule, valid, device, shuffle_seed):
    optimizer, optimizer_kwargs, _ = OPTIMIZERS[estimator.optimizer]
    if estimator.optimizer == "sgd":
        optimizer_kwargs = {"momentum": estimator.momentum, "nesterov": estimator.nesterov}
    stopper = MemberEarlyStopping(
        monitor="train" if valid is None else "valid",
        patience=schedule.patience,
        threshold=estimator.tol,
        load_best=valid is not None,
        sink=print if estimator.verbose else None,
        lr_decays=_lr_decays(estimator, valid),
        decay_factor=LR_DECAY_FACTOR,
        decayed_patience=DECAYED_PATIENCE,
    )
    return DistributionNet(
        module=module,
        criterion=FamilyNLL(family, estimator._log_target_scale()),
        optimizer=optimizer,
        lr=schedule.learning_rate,
        max_epochs=schedule.max_epochs,
        batch_size=schedule.batch_size,
        train_split=None if valid is None else predefined_split(valid.to(device)),
        callbacks=[("early_stopping", stopper)],
        verbose=int(estimator.verbose),
        device=device,
        weight_decay=schedule.weight_decay,
        shuffle_seed=shuffle_seed,
        n_members=module.n_members,
        **{f"optimizer__{key}": value for key, value in optimizer_kwargs.items()},
        # skorch formats its epoch table even when it prints nothing: drop it then.
        **({} if estimator.verbose else {"callbacks__print_log": None}),
    )
