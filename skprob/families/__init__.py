"""Distribution families: one small class each, registered by name."""

from ._base import DistributionFamily
from .bernoulli import Bernoulli
from .categorical import Categorical
from .normal import Normal

__all__ = ["FAMILIES", "Bernoulli", "Categorical", "DistributionFamily", "Normal"]

#: Every family by name; a new family is one class and one line here.
FAMILIES = {
    "normal": Normal,
    "bernoulli": Bernoulli,
    "categorical": Categorical,
}
