"""A warning for features far from unit scale, which a network trains on poorly."""

import warnings

import numpy as np
from scipy import sparse

from ._stacklevel import user_stacklevel
from .exceptions import FeatureScaleWarning

__all__ = ["FEATURE_RMS_LIMIT", "warn_if_features_unscaled"]

#: Largest root mean square of a feature column before fit warns. Standardised columns
#: have 1, one-hot and binary ones at most 1, small counts a few; ages, years, prices
#: and raw sensor readings tens to thousands.
FEATURE_RMS_LIMIT = 10.0


def warn_if_features_unscaled(X, estimator_name):
    """Warn once, naming the largest column, if a feature's RMS exceeds the limit."""
    if X.shape[0] == 0 or X.shape[1] == 0:
        return
    if sparse.issparse(X):
        mean_square = np.asarray(X.multiply(X).mean(axis=0), dtype=np.float64).ravel()
    else:
        # Column by column in float64: no temporary of X's size, no overflow.
        mean_square = np.einsum("ij,ij->j", X, X, dtype=np.float64) / X.shape[0]
    rms = np.sqrt(mean_square)
    column = int(np.argmax(rms))
    if rms[column] > FEATURE_RMS_LIMIT:
        warnings.warn(
            f"The features are far from unit scale: column {column} has a root mean "
            f"square of {rms[column]:.3g}. A network trains poorly on such inputs; "
            f"standardise them, e.g. make_pipeline(StandardScaler(), {estimator_name}()).",
            FeatureScaleWarning,
            stacklevel=user_stacklevel(),
        )
