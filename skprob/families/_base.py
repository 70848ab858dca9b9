"""What a distribution family is: the one place that knows its parameters and links."""

from abc import ABC, abstractmethod

import torch

__all__ = ["ConstantDispersion", "DistributionFamily"]


class DistributionFamily(ABC):
    """A parametric distribution over y whose parameters a network predicts.

    The network emits, per row, ``n_network_outputs`` unconstrained numbers; the model adds
    ``n_shared_outputs`` unconstrained numbers that are learned but shared by all rows (a
    homoscedastic scale, say). Their concatenation, ``raw`` of shape
    ``(n_rows, n_network_outputs + n_shared_outputs)``, is all a family needs: it applies
    the links (:meth:`params`), builds the ``torch.distributions`` object in its stable
    parameterisation (:meth:`torch_distribution`), and from there the NLL, the moments
    (what ``predict`` returns) and the user-facing distribution.

    A new family is one subclass of this and one line in ``skprob.families.FAMILIES``.

    Examples
    --------
    >>> import torch
    >>> from skprob.families import FAMILIES
    >>> family = FAMILIES["bernoulli"]()
    >>> raw = torch.tensor([[0.0], [2.0]])
    >>> family.params(raw)["logits"]
    tensor([0., 2.])
    >>> family.nll(raw, torch.tensor([1.0, 1.0])).round(decimals=4)
    tensor([0.6931, 0.1269])
    """

    #: Parameters that move with an affine change of the targets, ``y = a + b z``:
    #: locations become ``a + b loc``, scales ``b scale``; any other parameter (a shape,
    #: degrees of freedom, mixture weights) stays as it is.
    location_params = ("loc",)
    scale_params = ("scale",)
    #: Parameters on the log scale of y (a log-normal's mu): they shift by ``log b``.
    log_location_params = ()
    #: Whether the first ``n_targets`` raw outputs are the location in the units y
    #: trains in (the identity link), so that :meth:`shift_location` moves the whole
    #: distribution along y: the regressors' neighbour correction
    #: (:mod:`skprob._neighbor_correction`) shifts such families only.
    identity_location = False
    #: Where y lives: ``"real"`` targets are standardised for training; ``"positive"``
    #: ones (y > 0) are divided by their weighted mean, which keeps them positive;
    #: ``"count"`` ones (y >= 0) train as they are, since a count's variance is tied to
    #: its units.
    support = "real"

    @property
    @abstractmethod
    def n_network_outputs(self):
        """Number of raw outputs the network predicts for each row."""

    @property
    def n_shared_outputs(self):
        """Number of raw parameters learned once for all rows."""
        return 0

    @abstractmethod
    def params(self, raw):
        """Map raw outputs to a dict of constrained parameter tensors."""

    @abstractmethod
    def torch_distribution(self, params):
        """The ``torch.distributions`` object for ``params``; batch shape ``(n_rows,)``."""

    @abstractmethod
    def initial_raw(self, y, sample_weight):
        """Raw values that make the untrained model the best constant fit to ``y``.

        Every statistic is weighted by ``sample_weight``, so that an integer weight and a
        repeated row give the same start.

        Returns
        -------
        raw : ndarray of shape (n_network_outputs + n_shared_outputs,)
        """

    @abstractmethod
    def scipy_distribution(self, params):
        """The user-facing distribution for numpy ``params`` (scipy.stats interface)."""

    def moments(self, params):
        """Mean and variance of the distribution for numpy ``params``.

        The default asks the scipy distribution; a family with closed forms says so.
        """
        dist = self.scipy_distribution(params)
        return dist.mean(), dist.var()

    def target_dtype(self, float_dtype):
        """The torch dtype of targets in the NLL."""
        return float_dtype

    def nll(self, raw, y):
        """Negative log-likelihood of each row: ``-log Pr(y_i | raw_i)``."""
        return -self.torch_distribution(self.params(raw)).log_prob(y)

    def log_survival(self, raw, y):
        """``log Pr(Y > y)`` of each row, summed over outputs: what a row whose event was
        not yet seen at ``y`` (right-censored) contributes to the log-likelihood.

        A time-to-event family writes it out in a form that stays exact where
        ``log(1 - cdf)`` would underflow; the others do not have one.
        """
        raise NotImplementedError(
            f"the {type(self).__name__} family has no survival function for censored "
            "targets; the time-to-event families (Weibull, LogNormal, LogLogistic, "
            "Gamma, Exponential) do."
        )

    def nll_and_grad(self, raw, y):
        """:meth:`nll` and its gradient in ``raw``, row by row, for the training step.

        Returns
        -------
        nll : torch.Tensor of shape (n_rows,)
        grad : torch.Tensor of shape (n_rows, n_raw)
            ``grad[i] = d nll[i] / d raw[i]`` (rows are independent).

        This default differentiates :meth:`nll` with autograd; a family on the hot path
        writes the gradient out (tests check it against this default).
        """
        with torch.enable_grad():
            raw = raw.detach().requires_grad_(True)
            nll = self.nll(raw, y)
            (grad,) = torch.autograd.grad(nll.sum(), raw)
        return nll.detach(), grad

    # -- calibration on the validation rows -------------------------------------------
    # A family may offer a map of its parameters fitted on each member's validation rows
    # (the Normal: its variance's power and factor). Training then judges every epoch by
    # the validation NLL after that map, keeps each member's best epoch with its map, and
    # predicts through it. The statistics are per-row numbers whose weighted means over
    # the validation rows determine the calibrated NLL, so that they add up over batches.

    def calibration_statistics(self, raw, y):
        """Per-row statistics ``(n_rows, k)`` for :meth:`calibrated_nll`, or ``None``
        (the default): the family has no calibration."""
        return None

    def calibrated_nll(self, mean_statistics, n_rows):
        """The validation NLL after the calibration, and that calibration.

        Parameters
        ----------
        mean_statistics : torch.Tensor of shape (n_members, k)
            Each member's weighted mean of :meth:`calibration_statistics` over its
            validation rows.
        n_rows : float
            Validation rows per member (how much the statistics can be trusted).

        Returns
        -------
        nll : torch.Tensor of shape (n_members,)
        calibration : torch.Tensor of shape (n_members, c)
        """
        raise NotImplementedError

    def calibrate(self, params, calibration):
        """``params`` (of :meth:`params`) after the calibration of each row's member,
        ``calibration`` of shape ``(n_rows, c)``."""
        return params

    #: The least value of the scale parameters (``scale_params``), where the family
    #: bounds them from below to keep the likelihood bounded; what a spread scaled
    #: after training (the neighbour correction's) may not go under.
    min_scale = 0.0

    def shift_location(self, raw, shift):
        """``raw`` with the distribution moved by ``shift`` ``(n_rows, n_targets)``
        along y (for families with :attr:`identity_location`)."""
        shifted = raw.clone()
        shifted[:, : self.n_targets] += shift
        return shifted

    def ensemble_distribution(self, params):
        """The equal-weight mixture of the members' distributions; ``params`` have the
        members on their last axis. A family whose distribution is itself a mixture
        flattens the two (the zero-inflated counts)."""
        from ..distributions import mixture_distribution

        return mixture_distribution(self.scipy_distribution(params))

    def params_numpy(self, raw):
        """:meth:`params` for a numpy array of raw outputs, returned as numpy arrays."""
        with torch.no_grad():
            params = self.params(torch.as_tensor(raw))
        return {name: value.cpu().numpy() for name, value in params.items()}


class ConstantDispersion:
    """A family whose parameters beyond the location are learned once for all rows.

    Every family lays its raw outputs out location first (one mean, loc or mu per
    target), then the rest: scales, shapes, degrees of freedom, sizes. Wrapped in this,
    the network predicts only the first block and the rest become shared outputs, one
    learned value each for all rows: the dispersion of a GLM. The Normal so wrapped is
    the homoscedastic Normal; the Gamma and negative binomial the GLMs of count and
    positive-target regression. Everything else is the wrapped family's.

    Parameters
    ----------
    family : DistributionFamily

    Examples
    --------
    >>> from skprob.families import Gamma
    >>> family = ConstantDispersion(Gamma(n_targets=1))
    >>> family.n_network_outputs, family.n_shared_outputs
    (1, 1)
    """

    def __init__(self, family):
        self.family = family

    @property
    def n_network_outputs(self):
        return self.family.n_targets

    @property
    def n_shared_outputs(self):
        family = self.family
        return family.n_network_outputs + family.n_shared_outputs - family.n_targets

    def calibration_statistics(self, raw, y):
        # A dispersion learned for all rows has no spread per row to calibrate.
        return None

    def __getattr__(self, name):
        # Only reached for names this class lacks; "family" itself is missing while an
        # unpickled or copied instance is being rebuilt.
        if name == "family":
            raise AttributeError(name)
        return getattr(self.family, name)
