"""Links, importable here as before; they live in :mod:`skprob.families.links`."""

from .families.links import POSITIVE_LINK_DERIVATIVES, POSITIVE_LINKS, positive_link

__all__ = ["POSITIVE_LINKS", "POSITIVE_LINK_DERIVATIVES", "positive_link"]
