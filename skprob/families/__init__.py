"""Distribution families (step 1 of the recipe) and their links (step 2): one small
class each, registered by name."""

from ._base import ConstantDispersion, DistributionFamily
from .bernoulli import Bernoulli
from .beta import Beta
from .categorical import Categorical
from .cumulative_link import CumulativeLink
from .exponential import Exponential
from .gamma import Gamma
from .laplace import Laplace
from .links import positive_link
from .loglogistic import LogLogistic
from .lognormal import LogNormal
from .multivariate_normal import MultivariateNormal
from .negative_binomial import NegativeBinomial
from .normal import Normal
from .normal_mixture import NormalMixture
from .poisson import Poisson
from .student_t import StudentT
from .weibull import Weibull
from .zero_inflated import ZeroInflatedNegativeBinomial, ZeroInflatedPoisson

__all__ = [
    "FAMILIES",
    "Bernoulli",
    "Beta",
    "Categorical",
    "ConstantDispersion",
    "CumulativeLink",
    "DistributionFamily",
    "Exponential",
    "Gamma",
    "Laplace",
    "LogLogistic",
    "LogNormal",
    "MultivariateNormal",
    "NegativeBinomial",
    "Normal",
    "NormalMixture",
    "Poisson",
    "StudentT",
    "Weibull",
    "ZeroInflatedNegativeBinomial",
    "ZeroInflatedPoisson",
    "positive_link",
]

#: Every family by name; a new family is one class and one line here.
FAMILIES = {
    "normal": Normal,
    "normal_mixture": NormalMixture,
    "multivariate_normal": MultivariateNormal,
    "laplace": Laplace,
    "student_t": StudentT,
    "lognormal": LogNormal,
    "loglogistic": LogLogistic,
    "gamma": Gamma,
    "beta": Beta,
    "weibull": Weibull,
    "exponential": Exponential,
    "poisson": Poisson,
    "negative_binomial": NegativeBinomial,
    "zero_inflated_poisson": ZeroInflatedPoisson,
    "zero_inflated_negative_binomial": ZeroInflatedNegativeBinomial,
    "bernoulli": Bernoulli,
    "categorical": Categorical,
    "cumulative_link": CumulativeLink,
}
