"""Parameter documentation shared by the four estimators, written once."""

__all__ = ["fill_doc"]

_COMMON_PARAMETERS = """\
hidden_layer_sizes : tuple of int, default=(100,)
        Widths of the hidden layers. ``()`` gives a linear model: the recipe with
        ``f[x, phi]`` linear in x.
    activation : {"relu", "tanh", "logistic", "identity", "gelu", "elu", "silu"}, \
default="relu"
        Activation of the hidden layers.
    optimizer : {"adam", "sgd", "lbfgs"}, default="adam"
        Gradient method. ``"sgd"`` takes ``momentum`` and ``nesterov``; ``"lbfgs"``
        (quasi-Newton with a line search) trains on the full batch and suits small data.
    learning_rate : float or "auto", default="auto"
        Step size; "auto" is 1e-3 for Adam, 1e-2 for SGD and 1.0 for L-BFGS.
    momentum : float in [0, 1), default=0.9
        Momentum of SGD.
    nesterov : bool, default=False
        Whether SGD uses Nesterov momentum.
    batch_size : int or "auto", default="auto"
        Rows per mini-batch; "auto" is ``min(200, n_samples)``, so small data train
        full-batch (and deterministically).
    max_epochs : int, default=200
        Maximum number of passes over the training rows.
    weight_decay : float, default=1e-4
        L2 penalty ``weight_decay / 2 * sum(W ** 2)`` on the weight matrices (not the
        biases), added to the mean NLL while training.
    early_stopping : bool or "auto", default="auto"
        Hold out ``validation_fraction`` of the rows, stop when their NLL has not improved
        by ``tol`` for ``n_iter_no_change`` epochs, and keep the best epoch's weights.
        "auto" turns it on from 200 rows. Without it, training stops when the training
        loss stops improving by ``tol``.
    validation_fraction : float in (0, 1), default=0.1
        Share of rows held out for early stopping (stratified for classifiers).
    n_iter_no_change : int, default=10
        Epochs without improvement before training stops.
    tol : float, default=1e-4
        Smallest decrease of the monitored loss that counts as an improvement.
    random_state : int, RandomState instance or None, default=None
        Seeds the starting weights, the shuffling and the validation split. The same
        value gives the same model; the global torch RNG is left as it was.
    device : str or torch.device, default="cpu"
        Where the network trains and predicts ("cpu", "cuda", "cuda:1", ...). A fitted
        model unpickles on the CPU when no GPU is present.
    verbose : int, default=0
        0 is silent; 1 prints a table of the losses after every epoch."""

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
        y) plus the weight-decay penalty.
    validation_loss_curve_ : ndarray of shape ``(n_iter_,)``
        Mean NLL of the validation rows after each epoch (only with early stopping).
    best_validation_loss_ : float
        Its minimum, whose weights the model keeps (only with early stopping).
    n_iter_ : int
        Number of epochs trained."""


_REGRESSOR_ATTRIBUTES = """\
n_outputs_ : int
        Number of outputs of y.
    target_loc_, target_scale_ : ndarray of shape ``(n_outputs_,)``
        Weighted mean and standard deviation used to standardise y."""


def fill_doc(cls):
    """Fill the shared parameter and attribute sections into ``cls.__doc__``."""
    cls.__doc__ = cls.__doc__.format(
        common_parameters=_COMMON_PARAMETERS,
        common_attributes=_COMMON_ATTRIBUTES,
        regressor_attributes=_REGRESSOR_ATTRIBUTES,
    )
    return cls
