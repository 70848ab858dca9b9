"""Right-censored targets: a row whose event was not seen by time t says only y > t."""

import numpy as np
import torch

__all__ = ["RightCensored"]


class RightCensored:
    """A time-to-event family whose targets are ``[time, event]`` pairs.

    A row with ``event = 1`` contributes ``-log p(time | x)`` to the NLL, as it would
    uncensored; a row with ``event = 0`` (followed up to ``time`` with no event)
    contributes ``-log Pr(Y > time | x)``, the wrapped family's :meth:`log_survival`.
    That is the whole change maximum likelihood makes for censoring; the network, the
    links and the distribution of the time are the wrapped family's.

    Parameters
    ----------
    family : DistributionFamily
        One output, with a ``log_survival`` (Weibull, LogNormal, Exponential).

    Examples
    --------
    >>> import torch
    >>> from skprob.families import Exponential
    >>> family = RightCensored(Exponential(1))
    >>> raw = torch.zeros(2, 1)  # scale 1
    >>> y = torch.tensor([[2.0, 1.0], [2.0, 0.0]])  # an event at 2; no event by 2
    >>> family.nll(raw, y)  # -log(exp(-2)) both: the density and the survival agree
    tensor([2., 2.])
    """

    def __init__(self, family):
        self.family = family

    def __getattr__(self, name):
        # Everything but the NLL is the wrapped family's (links, parameters, moments,
        # the user-facing distribution of the time). Guarded against recursion while
        # unpickling, before ``family`` is set.
        if name == "family":
            raise AttributeError(name)
        return getattr(self.family, name)

    def nll(self, raw, y):
        time, event = y[:, :1], y[:, 1]
        observed = self.family.nll(raw, time)
        survived = -self.family.log_survival(raw, time)
        return torch.where(event > 0, observed, survived)

    def nll_and_grad(self, raw, y):
        """:meth:`nll` and its gradient in ``raw`` (by autograd)."""
        with torch.enable_grad():
            raw = raw.detach().requires_grad_(True)
            nll = self.nll(raw, y)
            (grad,) = torch.autograd.grad(nll.sum(), raw)
        return nll.detach(), grad

    def initial_raw(self, y, sample_weight):
        """The wrapped family's start on the times, events or not: a start that
        training moves (the censored times are lower bounds, so it sits early)."""
        y = np.asarray(y)
        return self.family.initial_raw(y[:, :1], sample_weight)
