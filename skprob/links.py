"""Links: maps from a network's unconstrained outputs into a parameter's valid domain.

They are ``torch.distributions`` transforms, so each has a numerically careful forward
map and an inverse (used to start the network at a chosen parameter value).
"""

from torch.distributions import transforms

__all__ = ["POSITIVE_LINKS", "positive_link"]


def _square():
    # The seeds' parameterisation of a variance: sigma^2 = f2[x, phi]^2.
    return transforms.PowerTransform(2.0)


#: Links onto (0, inf), by name. ``softplus`` grows linearly for large inputs, so its
#: gradient neither explodes (as ``exp`` can) nor vanishes at zero (as ``square`` does).
POSITIVE_LINKS = {
    "softplus": transforms.SoftplusTransform,
    "exp": transforms.ExpTransform,
    "square": _square,
}


def positive_link(name, floor=0.0):
    """Return the transform ``raw -> link(raw) + floor`` onto ``(floor, inf)``.

    Parameters
    ----------
    name : {"softplus", "exp", "square"}
        The positive map.
    floor : float, default=0.0
        A lower bound added after the map. A positive floor keeps a learned variance from
        collapsing to zero, where the Gaussian log-likelihood is unbounded.

    Returns
    -------
    transform : torch.distributions.transforms.Transform

    Examples
    --------
    >>> import torch
    >>> link = positive_link("softplus", floor=1e-3)
    >>> bool((link(torch.tensor([-50.0, 0.0, 50.0])) > 0).all())
    True
    """
    if name not in POSITIVE_LINKS:
        raise ValueError(
            f"Unknown positive link {name!r}; choose one of {sorted(POSITIVE_LINKS)}."
        )
    link = POSITIVE_LINKS[name]()
    if floor == 0.0:
        return link
    return transforms.ComposeTransform(
        [link, transforms.AffineTransform(loc=floor, scale=1.0)]
    )
