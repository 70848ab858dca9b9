"""Starts of the log-location-scale families from the moments of log y."""

import numpy as np
import torch


def shape_from_log_moments(y, sample_weight, spread_at_unit_shape, shape_floor, link):
    """The weighted mean of log y, the shape whose spread of log y matches its standard
    deviation (``spread_at_unit_shape / shape``), and that shape's raw value.

    Shared by the families in which log y is a location-scale variable with scale
    ``1 / shape`` (Weibull: a Gumbel, log-logistic: a logistic).
    """
    log_y = np.log(y)
    mean = np.average(log_y, axis=0, weights=sample_weight)
    std = np.sqrt(np.average((log_y - mean) ** 2, axis=0, weights=sample_weight))
    shape = np.where(std > 0, spread_at_unit_shape / np.maximum(std, 1e-300), 1.0)
    shape = np.clip(shape, 10 * shape_floor, 1e3)
    excess = torch.as_tensor(shape - shape_floor, dtype=torch.float64)
    return mean, shape, link.inv(excess).numpy()
