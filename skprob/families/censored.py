"""Censored targets: what a row says when its time to the event is known only to lie in
an interval."""

import numpy as np
import torch

__all__ = ["Censored"]

#: ``log(S(lower) - S(upper))`` needs ``S(upper) < S(lower)``: an interval narrower than
#: the precision of its log survival keeps this much probability, never ``log 0``.
_LEAST_LOG_GAP = -1e-30


class Censored:
    """A time-to-event family whose targets are ``[lower, upper, bounded]`` rows.

    Each row says the time ``y`` lies in ``[lower, upper]`` (``bounded = 1``) or beyond
    ``lower`` (``bounded = 0``: right-censored, no upper bound). Maximum likelihood
    takes each row's probability of what was seen:

    - an event at ``t`` (``lower = upper = t``): ``-log p(t | x)``, as uncensored;
    - right-censored at ``t`` (``bounded = 0``): ``-log S(t | x)``, with ``S = Pr(Y >
      t)`` the wrapped family's :meth:`log_survival` (zero at ``t = 0``);
    - left-censored (``lower = 0``) or interval-censored (``lower < upper``):
      ``-log(S(lower) - S(upper))``, computed as ``log S(lower) + log(-expm1(log
      S(upper) - log S(lower)))``, exact where ``1 - cdf`` underflows.

    That is the whole change censoring makes; the network, the links and the
    distribution of the time are the wrapped family's. Each term is evaluated at a stand-in
    time on the rows where it is not used, so that no unused branch puts an infinity or
    a NaN into the gradient.

    Parameters
    ----------
    family : DistributionFamily
        One output, with a ``log_survival`` (Weibull, LogNormal, LogLogistic,
        Exponential), or such a family in ``ConstantDispersion``.
    log_time_scale : float, default=0.0
        ``log s`` where the family sees times divided by ``s``: added to the events'
        NLL (the density's change of units), so that the loss is that of the times as
        the user gave them. Probabilities of intervals have no units.

    Examples
    --------
    >>> import torch
    >>> from skprob.families import Exponential
    >>> family = Censored(Exponential(1))
    >>> raw = torch.zeros(3, 1)  # scale 1
    >>> y = torch.tensor([[2.0, 2.0, 1.0],   # an event at 2: -log(exp(-2))
    ...                   [2.0, 2.0, 0.0],   # no event by 2: -log S(2), the same
    ...                   [0.0, 2.0, 1.0]])  # an event before 2: -log(1 - exp(-2))
    >>> family.nll(raw, y).round(decimals=4)
    tensor([2.0000, 2.0000, 0.1454])
    """

    #: A censored row's target is a bound, not a value: it leaves no residual.
    identity_location = False

    def __init__(self, family, log_time_scale=0.0):
        self.family = family
        self.log_time_scale = float(log_time_scale)

    def __getattr__(self, name):
        # Everything but the NLL is the wrapped family's (links, parameters, moments,
        # the user-facing distribution of the time). Guarded against recursion while
        # unpickling, before ``family`` is set.
        if name == "family":
            raise AttributeError(name)
        return getattr(self.family, name)

    def nll(self, raw, y):
        lower, upper, bounded = y[:, :1], y[:, 1:2], y[:, 2:3] > 0
        exact = bounded & (lower == upper)
        interval = bounded & (lower < upper)
        has_lower = lower > 0
        stand_in = torch.ones_like(lower)
        density_nll = self.family.nll(raw, torch.where(exact, lower, stand_in))
        density_nll = density_nll + self.log_time_scale
        log_s_lower = torch.where(
            has_lower[:, 0],
            self.family.log_survival(raw, torch.where(has_lower, lower, stand_in)),
            0.0,
        )
        censored_nll = torch.where(exact[:, 0], density_nll, -log_s_lower)
        if not bool(interval.any()):
            return censored_nll  # right censoring: no upper bound to evaluate
        log_s_upper = self.family.log_survival(raw, torch.where(interval, upper, stand_in))
        log_gap = torch.where(interval[:, 0], log_s_upper - log_s_lower, -1.0)
        log_gap = log_gap.clamp(max=_LEAST_LOG_GAP)
        log_interval = log_s_lower + torch.log(-torch.expm1(log_gap))
        return torch.where(interval[:, 0], -log_interval, censored_nll)

    def nll_and_grad(self, raw, y):
        """:meth:`nll` and its gradient in ``raw`` (by autograd)."""
        with torch.enable_grad():
            raw = raw.detach().requires_grad_(True)
            nll = self.nll(raw, y)
            (grad,) = torch.autograd.grad(nll.sum(), raw)
        return nll.detach(), grad

    def initial_raw(self, y, sample_weight):
        """The wrapped family's start on one time a row (the event's, the censoring
        time, or the upper bound of a left-censored row): a start that training moves
        (censored times are bounds, so it sits early)."""
        y = np.asarray(y)
        times = np.where(y[:, 0] > 0, y[:, 0], y[:, 1])
        usable = (times > 0) & np.isfinite(times) & ((y[:, 0] > 0) | (y[:, 2] > 0))
        return self.family.initial_raw(times[usable, None], sample_weight[usable])
