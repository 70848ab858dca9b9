"""Links: maps from a network's unconstrained outputs into a parameter's valid domain.

They are ``torch.distributions`` transforms, so each has a numerically careful forward
map and an inverse (used to start the network at a chosen parameter value).
"""

import torch
from torch.distributions import transforms

__all__ = ["POSITIVE_LINKS", "POSITIVE_LINK_DERIVATIVES", "positive_link"]


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


#: Each positive link's derivative, for the closed-form gradients of the training step.
POSITIVE_LINK_DERIVATIVES = {
    "softplus": torch.sigmoid,
    "exp": torch.exp,
    "square": lambda raw: 2.0 * raw,
}


def positive_link(name):
    """Return the transform ``raw -> link(raw)`` onto ``[0, inf)``.

    A family that needs a strictly positive parameter adds its own floor after the map
    (the Normal family's ``variance_floor``): at ``raw = 0`` the square is 0, and far
    enough below 0 softplus and exp underflow to 0.

    Parameters
    ----------
    name : {"softplus", "exp", "square"}
        The positive map.

    Returns
    -------
    transform : torch.distributions.transforms.Transform

    Examples
    --------
    >>> import torch
    >>> link = positive_link("softplus")
    >>> bool((link(torch.tensor([-50.0, 0.0, 50.0])) > 0).all())
    True
    >>> float(link.inv(link(torch.tensor(2.0))))
    2.0
    """
    if name not in POSITIVE_LINKS:
        raise ValueError(
            f"Unknown positive link {name!r}; choose one of {sorted(POSITIVE_LINKS)}."
        )
    return POSITIVE_LINKS[name]()
