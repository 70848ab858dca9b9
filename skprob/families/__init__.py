"""Distribution families: one small class each, registered by name."""

from ._base import DistributionFamily
from .bernoulli import Bernoulli
from .categorical import Categorical
from .laplace import Laplace
from .normal import Normal
from .normal_mixture import NormalMixture
from .student_t import StudentT

__all__ = [
    "FAMILIES",
    "Bernoulli",
    "Categorical",
    "DistributionFamily",
    "Laplace",
    "Normal",
    "NormalMixture",
    "StudentT",
]

#: Every family by name; a new family is one class and one line here.
FAMILIES = {
    "normal": Normal,
    "normal_mixture": NormalMixture,
    "laplace": Laplace,
    "student_t": StudentT,
    "bernoulli": Bernoulli,
    "categorical": Categorical,
}
