"""Distribution families: one small class each, registered by name."""

from ._base import DistributionFamily
from .bernoulli import Bernoulli
from .categorical import Categorical
from .normal import Normal
from .normal_mixture import NormalMixture

__all__ = [
    "FAMILIES",
    "Bernoulli",
    "Categorical",
    "DistributionFamily",
    "Normal",
    "NormalMixture",
]

#: Every family by name; a new family is one class and one line here.
FAMILIES = {
    "normal": Normal,
    "normal_mixture": NormalMixture,
    "bernoulli": Bernoulli,
    "categorical": Categorical,
}
