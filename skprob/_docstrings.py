"""Parameter documentation shared by the four estimators, written once."""

import re

__all__ = ["fill_doc"]

_COMMON_PARAMETERS = """\
hidden_layer_sizes : tuple of int, default=(50, 50)
        Widths of the hidden layers. ``()`` gives a linear model: the recipe with
        ``f[x, phi]`` linear in x. Two layers of 50 fitted the smooth UCI targets (energy,
        yacht) far better than one of 100, at the same cost.
    n_estimators : int, default=5
        Number of networks in a deep ensemble. The members differ in their starting
        weights, batch order and validation rows, and train together as one batched
        network (one forward and backward pass for all), so that five cost far less
        than five fits. A regressor predicts the equal-weight mixture of its members'
        distributions (:class:`~skprob.distributions.MixtureDistribution`), a classifier
        the mean of their class probabilities. Five members improved the held-out NLL on
        every UCI data set and every classification data set measured, at 1.2 to 2.2
        times the time of one network (UCI, ``benchmarks/README.md``);
        ``n_estimators=1`` gives a single network, whose
        regressors predict a ``scipy.stats.norm``.
    activation : {"relu", "tanh", "logistic", "identity", "gelu", "elu", "silu"}, \
default="relu"
        Activation of the hidden layers.
    feature_scaling : {"robust", "none"}, default="robust"
        How the features enter the network. "robust": each column centred on its
        median and divided by its interquartile range (half its range where the
        quartiles coincide), then softly clipped to (-3, 3) by ``z / sqrt(1 + z^2 / 9)``,
        so raw columns with heavy tails need no scaler in front and cannot destabilise
        training; the statistics are fitted with the network (weighted, from at most
        100,000 rows) and applied to each batch, so sparse input stays sparse. "none":
        the features enter as given (scale them yourself; a ``FeatureScaleWarning``
        names a column far from unit scale). A model with no hidden layer
        (``hidden_layer_sizes=()``) is scaled without the clip and stays linear in x.
    numeric_embedding : {"piecewise_linear", "mixed", "periodic", "none"}, \
default="piecewise_linear"
        How each (scaled) feature is spelled out for the first layer.
        "piecewise_linear": next to the feature, its ramps over bins cut at quantiles
        of the training rows, ``clamp((x - left) / width, 0, 1)`` per bin (16 bins for
        regressors, 4 for classifiers; fewer where a feature has fewer distinct
        values, none for a binary or constant one, and fewer on a wide table, where
        the ramps may add no more multiply-adds than the network has without them:
        3 each for 20 features), so that every hidden unit can
        bend each feature's effect at any quantile, as a tree splits it (Gorishniy et
        al. 2022's piecewise-linear encoding; fixed at fit, nothing to train).
        "mixed": the ensemble's even-numbered members (0, 2, ...) take the ramps and
        the others the features alone, so that the ensemble averages a fit that bends
        each feature freely and a smoother one (the ramps overfit where events or rows
        are few: ``benchmarks/README.md``, "Survival analysis"); one network is encoded.
        "periodic": 16 learned frequencies a feature, ``[x, W cos(2 pi f x + b) +
        c]`` with three outputs per feature (Gorishniy et al. 2022; RealMLP's "PBLD"),
        every ensemble member its own. "none": the features alone. A model with no
        hidden layer (``hidden_layer_sizes=()``) takes the features alone and stays
        linear in x.
    optimizer : {"adam", "sgd", "lbfgs"}, default="adam"
        Gradient method. ``"sgd"`` takes ``momentum`` and ``nesterov``; ``"lbfgs"``
        (quasi-Newton with a line search) trains on the full batch and suits small data.
    learning_rate : float or "auto", default="auto"
        Step size; "auto" is 3e-3 for Adam, 1e-2 for SGD and 1.0 for L-BFGS.
    momentum : float in [0, 1), default=0.9
        Momentum of SGD.
    nesterov : bool, default=False
        Whether SGD uses Nesterov momentum.
    batch_size : int or "auto", default="auto"
        Rows per mini-batch. "auto" gives about 32 steps an epoch: the training rows
        divided by 32, rounded to a power of two and kept within [32, 512] (and at most
        the number of rows). Small data thus get small batches and many steps, large data
        batches that use the hardware.
    max_epochs : int or "auto", default="auto"
        Maximum number of passes over the training rows. "auto", with a validation split
        (see ``early_stopping``), is a budget of 20,000 optimizer steps and at least 200
        epochs: the same amount of training for 300 rows as for 40,000, where a count of
        epochs would give the small data a few hundred steps. Without a validation split
        nothing tells overfitting from progress, and "auto" is 200 epochs; so it is for
        ``optimizer="lbfgs"``, whose epoch is one full-batch step.
    weight_decay : float or "auto", default="auto"
        L2 penalty ``weight_decay / 2 * sum(W ** 2)`` on the weight matrices (not the
        biases), added to the mean NLL while training. "auto" is a fixed Gaussian prior
        on the weights whatever the data size, strong on 300 rows and negligible on
        100,000: for regressors with a validation split (see ``early_stopping``) 4
        divided by the number of training rows (standard deviation 0.5), for
        classifiers 0.7 divided by it (standard deviation 1.2, which lets nearly
        separable classes reach confident probabilities). With ``sample_weight`` the
        rows are counted by their weights' sum (weights act as repeated rows), so
        weights rescaled to sum to 1 make the prior dominate: pass weights on the scale of
        counts, or a number here. A regressor without a validation split (small data
        trained to the training loss's plateau) gets 1e-4.
    early_stopping : bool or "auto", default="auto"
        Hold out ``validation_fraction`` of the rows, stop when their NLL has not improved
        by ``tol`` for ``n_iter_no_change`` epochs, and keep the best epoch's weights.
        Each ensemble member holds out its own rows and keeps its own best epoch;
        training stops when the members' mean validation NLL stops improving. "auto"
        turns it on from 64 rows, for regressors and classifiers alike: a few validation
        rows keep a network from fitting its training rows to certainty
        (``benchmarks/README.md`` says why). With Adam or SGD the first two plateaus
        do not stop training: each member goes back to its best weights and trains on
        at 0.3 times the learning rate, each later plateau waiting a quarter of
        ``n_iter_no_change``; the third stops it. Without it, training stops when the
        training loss stops improving by ``tol``.
    validation_fraction : float in (0, 1), default=0.1
        Share of rows held out for early stopping (stratified for classifiers).
    n_iter_no_change : int or "auto", default="auto"
        Epochs without improvement before training stops (with a validation split,
        before the first lower learning rate; see ``early_stopping``). "auto", with a
        validation split, is 1,000 optimizer steps' worth of epochs (at least 3):
        patience measured in updates, not passes; without one, or with
        ``optimizer="lbfgs"``, 10 epochs.
    tol : float, default=1e-4
        Smallest decrease of the monitored loss that counts as an improvement.
    random_state : int, RandomState instance or None, default=None
        Seeds the starting weights, the shuffling and the validation split. The same
        value gives the same model; the global torch RNG is left as it was.
    device : str or torch.device, default="cpu"
        Where the network trains and predicts ("cpu", "cuda", "cuda:1", ...). A fitted
        model unpickles on the CPU when no GPU is present.
    n_threads : int or None, default=None
        torch intra-op threads while fitting and predicting, restored afterwards
        (torch's setting is process-wide). None trains on one thread: when another
        process holds a core, a second thread waits for it at every operator, and a fit
        took 4 to 27 times as long on two threads as on one, where two saved at most 42%
        on an idle machine. Prediction takes more only for batches large enough that
        they paid when measured (``skprob._training.threads``), never more than torch's
        current count, which follows ``OMP_NUM_THREADS``,
        ``threadpoolctl.threadpool_limits`` and joblib's limit inside its workers. Set it
        to use more cores for training on a machine of your own.
    compute_dtype : {"auto", "float32", "float64"}, default="auto"
        Precision the network trains and predicts in. "auto" trains float32 data in
        float32, and float64 data (what numpy and pandas give) in float32 from 64 rows
        (512 with ``optimizer="lbfgs"``) and in float64 below. float32 halves the matrix
        products and speeds up the small operators: an epoch of the default 5-member
        ensemble took 0.84 times as long at 64 rows, 0.76 at 512 and 0.57 to 0.63 at
        16,384; the mini-batch gradient's noise is far above float32's rounding. Below
        64 rows (trained without a validation split) float64 makes integer sample
        weights act as repeated rows to sklearn's tolerance (rtol 1e-7), which
        float32's rounding does not; L-BFGS's line search compares full-batch losses,
        and keeps float64 up to 512 rows, where its fits reproduce the linear models of
        statsmodels and scikit-learn. Predictions for float64 input are float64 either
        way. The rows are those of the fit that builds the network (``partial_fit``: the
        first call's); a warm start or a further ``partial_fit`` keeps its precision.
    verbose : int, default=0
        0 is silent; 1 prints a plain-text line on the first epoch, then at most one
        every 2 seconds and on the budget's last (epoch k of ``max_epochs``, training
        and validation loss, the best so far, patience left, time elapsed, the most the
        rest of the budget can take), each lower learning rate and why training
        stopped; 2 prints every epoch's line and a progress bar over each epoch's
        batches on standard error (plain lines when it is not a terminal).
    warm_start : bool, default=False
        When True, ``fit`` on a fitted model trains further from its weights (a fresh
        optimizer under the current training parameters, the fitted classes or target
        scaling kept) instead of starting afresh. The parameters that define the model
        (architecture, ``n_estimators``, the family) must stay as fitted. ``partial_fit``
        always continues."""

_NEIGHBOR_CORRECTION_PARAMETER = """\
neighbor_correction : {"auto", "off"}, default="auto"
        With ``"auto"`` and a validation split (dense X), each member's location is
        moved by a kernel-weighted mean of its training residuals at the row's 16
        nearest training rows (in the scaled features), ``sum_j w_j r_j / (prior +
        sum_j w_j)`` with ``w_j = exp(-(d_j / h)^2)``; the bandwidth ``h`` and the
        ``prior`` are chosen on the validation rows, or no shift where none helps them
        by 0.001 nats a row and one standard error of the rows' gains
        (``neighbor_correction_`` says which). Where each row has its own spread, its
        variance is then multiplied by ``(prior + beta W) / (prior + W)``, ``W =
        sum_j w_j``, with ``beta`` in [0.01, 1] chosen on the validation rows: a row
        read off close neighbours is predicted with less spread. A network's smooth
        mean leaves structure in its residuals that nearby rows share, and rows
        repeated in the data are predicted by their neighbours' values: on the UCI
        sets it lowered the RMSE of power by 4% and of wine by 11%, and the NLL of all
        four (wine's from 0.884 to 0.543; ``benchmarks/README.md``). The model then
        stores the training rows' scaled
        features and each member's residuals, and each prediction searches their
        neighbours. ``"off"``: the networks alone, and a model file without training
        rows."""

_COMMON_ATTRIBUTES = """\
n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape ``(n_features_in_,)``
        Names of features seen during fit, when X had string column names.
    net_ : skorch.NeuralNet
        The trained skorch net; ``net_.module_`` is the torch module.
    family_ : skprob.families.DistributionFamily
        The distribution family the network parameterises.
    loss_curve_ : ndarray of shape ``(n_iter_,)``
        Training loss after each epoch: the weighted mean NLL per row (in the units of
        y) plus the weight-decay penalty, averaged over the ensemble's members. Warm
        starts and ``partial_fit`` append to it.
    validation_loss_curve_ : ndarray of shape ``(n_iter_,)``
        Mean NLL of the validation rows after each epoch, averaged over the members
        (only when the last fit held out validation rows; NaN for epochs that had none,
        such as those of ``partial_fit``).
    best_validation_loss_ : float
        The mean over members of each member's best validation loss in the last fit,
        whose weights the model keeps (only when that fit used early stopping).
    n_iter_ : int
        Number of epochs trained since the network was built.
    batch_size_ : int
        The batch size used (``batch_size`` with "auto" resolved)."""


_REGRESSOR_ATTRIBUTES = """\
n_outputs_ : int
        Number of outputs of y.
    target_loc_, target_scale_ : ndarray of shape ``(n_outputs_,)``
        Weighted mean and standard deviation used to standardise y."""

_NEIGHBOR_CORRECTION_ATTRIBUTES = """\
neighbor_correction_ : dict or None
        The neighbour correction chosen on the validation rows, ``{"bandwidth": h,
        "prior": prior, "spread": beta}``, or None where the fit made none (see
        ``neighbor_correction``)."""


def _with_defaults(parameters, defaults):
    """``parameters`` with each named parameter's ``default=`` replaced."""
    for name, default in defaults.items():
        header = re.search(rf"^ *{name} : .*?default=(\S+)$", parameters, re.M | re.S)
        if header is None:
            raise ValueError(f"no documented default for {name!r}")
        start, end = header.span(1)
        parameters = parameters[:start] + default + parameters[end:]
    return parameters


def fill_doc(cls):
    """Fill the shared parameter and attribute sections into ``cls.__doc__``; a class's
    ``_documented_defaults`` (name to text) replace the shared defaults it overrides."""
    common = _with_defaults(_COMMON_PARAMETERS, getattr(cls, "_documented_defaults", {}))
    cls.__doc__ = cls.__doc__.format(
        common_parameters=common,
        common_attributes=_COMMON_ATTRIBUTES,
        regressor_attributes=_REGRESSOR_ATTRIBUTES,
        neighbor_correction_parameter=_NEIGHBOR_CORRECTION_PARAMETER,
        neighbor_correction_attributes=_NEIGHBOR_CORRECTION_ATTRIBUTES,
    )
    return cls
