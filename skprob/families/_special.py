"""Special functions the families need and torch lacks in a differentiable, tail-exact
form."""

import torch

__all__ = ["log_gamma_survival"]

#: Below this log-probability the regularised incomplete gamma function is taken from its
#: continued fraction in log space (where ``gammaincc`` itself would underflow or lose
#: digits); there ``x`` is far above ``a`` and the fraction converges within a few terms.
_CONTINUED_FRACTION_BELOW = -100.0
_CONTINUED_FRACTION_TERMS = 60
_TINY = 1e-300


def _log_q(a, x):
    """``log Q(a, x)``, the upper regularised incomplete gamma function, in float64."""
    direct = torch.log(torch.special.gammaincc(a, x))
    use_fraction = (direct < _CONTINUED_FRACTION_BELOW) & (x > a + 1)
    if not bool(use_fraction.any()):
        return direct
    # Lentz's method for the continued fraction of Q (Numerical Recipes' gcf), on every
    # element (a stand-in x where it is not used), a fixed number of terms.
    xs = torch.where(use_fraction, x, a + 2)
    b = xs + 1 - a
    c = torch.full_like(b, 1 / _TINY)
    d = 1 / b
    h = d
    for i in range(1, _CONTINUED_FRACTION_TERMS):
        an = -i * (i - a)
        b = b + 2
        d = an * d + b
        d = torch.where(d.abs() < _TINY, _TINY, d)
        c = b + an / c
        c = torch.where(c.abs() < _TINY, _TINY, c)
        d = 1 / d
        h = h * d * c
    log_fraction = a * torch.log(xs) - xs - torch.lgamma(a) + torch.log(h)
    return torch.where(use_fraction, log_fraction, direct)


class _LogGammaSurvival(torch.autograd.Function):
    @staticmethod
    def forward(ctx, a, x):
        a64, x64 = a.double(), x.double()
        log_q = _log_q(a64, x64)
        ctx.save_for_backward(a64, x64, log_q)
        return log_q.to(a.dtype)

    @staticmethod
    def backward(ctx, grad_output):
        a, x, log_q = ctx.saved_tensors
        # d/dx log Q = -x^(a-1) e^(-x) / (Gamma(a) Q), in log space.
        grad_x = -torch.exp((a - 1) * torch.log(x) - x - torch.lgamma(a) - log_q)
        # d/da has no closed form torch offers: a central difference, in float64, with a
        # step relative to a (error of order step^2, about 1e-8 relative).
        step = 1e-4 * a
        grad_a = (_log_q(a + step, x) - _log_q(a - step, x)) / (2 * step)
        grad = grad_output.double()
        return (grad * grad_a).to(grad_output.dtype), (grad * grad_x).to(grad_output.dtype)


def log_gamma_survival(a, x):
    """``log Pr(G > x)`` for ``G ~ Gamma(a, 1)``, differentiable in both arguments.

    Exact in the upper tail, where ``log(gammaincc(a, x))`` would be ``log 0``.

    Examples
    --------
    >>> import torch
    >>> log_gamma_survival(torch.tensor([1.0]), torch.tensor([2.0]))  # exponential
    tensor([-2.])
    >>> log_gamma_survival(torch.tensor([1.0]), torch.tensor([1000.0]))
    tensor([-1000.])
    """
    return _LogGammaSurvival.apply(a, x)
