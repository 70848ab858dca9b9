"""skprob: scikit-learn estimators that predict whole probability distributions.

Each estimator is the maximum-likelihood recipe: choose a distribution over y, let a
PyTorch network predict its parameters through a link, minimise the negative
log-likelihood, and return the distribution (``predict_dist``) or a point from it
(``predict``: the mean for regressors, the most probable label for classifiers).
"""

from ._meta import predict_dist
from .classification import BernoulliClassifier, CategoricalClassifier
from .exceptions import (
    DegenerateTargetWarning,
    FeatureScaleWarning,
    TrainingDivergedError,
)
from .ordinal import OrdinalClassifier
from .regression import (
    DistributionRegressor,
    GaussianRegressor,
    HeteroscedasticRegressor,
    MixtureDensityRegressor,
)
from .survival import SurvivalRegressor

__version__ = "0.1.0.dev0"

__all__ = [
    "BernoulliClassifier",
    "CategoricalClassifier",
    "DegenerateTargetWarning",
    "DistributionRegressor",
    "FeatureScaleWarning",
    "GaussianRegressor",
    "HeteroscedasticRegressor",
    "MixtureDensityRegressor",
    "OrdinalClassifier",
    "SurvivalRegressor",
    "TrainingDivergedError",
    "predict_dist",
]
