"""A fitted estimator's network as plain data, so that pickle and skops store no code.

``BaseDistributionEstimator.__getstate__`` replaces the trained skorch net (a torch
module, an optimizer, callbacks, a history object) by :func:`network_state`: numpy
arrays, numbers, strings, lists and dicts. ``__setstate__`` rebuilds the net from it
with :func:`restore_network`. So a model file holds the weights, Adam's moments (for
further training) and the training history, nothing of the training data, and only
types that ``skops.io`` trusts by default besides the estimator's own class: loading
it runs no code from the file.
"""

import dataclasses

import numpy as np
import torch
from skorch.history import History

from .network import DistributionMLP
from .run import TrainingSchedule, make_net

__all__ = ["network_state", "restore_network"]

_DTYPES = {"float32": torch.float32, "float64": torch.float64}


def _numpy(value):
    """Tensors (nested in dicts, lists and tuples) as numpy arrays."""
    if isinstance(value, torch.Tensor):
        return value.detach().cpu().numpy().copy()
    if isinstance(value, dict):
        return {key: _numpy(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_numpy(item) for item in value)
    return value


def _tensors(value):
    """The inverse of :func:`_numpy`: numpy arrays as tensors."""
    if isinstance(value, np.ndarray):
        return torch.as_tensor(value)
    if isinstance(value, dict):
        return {key: _tensors(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_tensors(item) for item in value)
    return value


def network_state(estimator):
    """The fitted net of ``estimator`` as plain data (see the module docstring)."""
    net = estimator.net_
    module = net.module_
    return {
        "architecture": module.architecture(),
        "dtype": str(estimator._torch_dtype).removeprefix("torch."),
        "weights": _numpy(module.state_dict()),
        "optimizer": _numpy(net.optimizer_.state_dict()),
        "schedule": dataclasses.asdict(estimator._schedule),
        "shuffle_seed": int(net.shuffle_seed),
        "shuffle_generator": net.shuffle_generator_.get_state().numpy(),
        "history": [dict(epoch) for epoch in net.history],
        "validation_rows": net.validation_rows_,
        "calibration": _numpy(getattr(net, "calibration_", None)),
    }


def restore_network(estimator, state):
    """Rebuild ``estimator.net_`` and ``family_`` from :func:`network_state`'s output."""
    dtype = _DTYPES[state["dtype"]]
    estimator._torch_dtype = dtype
    family = estimator._make_family()
    module = DistributionMLP(**state["architecture"]).to(dtype)
    module.load_state_dict(_tensors(state["weights"]))
    # A model trained on a GPU loads on a machine without one.
    device = estimator.device
    if torch.device(device).type == "cuda" and not torch.cuda.is_available():
        device = "cpu"
    schedule = TrainingSchedule(**state["schedule"])
    net = make_net(estimator, module, family, schedule, None, device, state["shuffle_seed"])
    net.initialize()
    net.optimizer_.load_state_dict(_tensors(state["optimizer"]))
    net.shuffle_generator_.set_state(torch.as_tensor(state["shuffle_generator"]))
    net.history = History(state["history"])
    net.validation_rows_ = state["validation_rows"]
    # Files written before calibration existed have none.
    net.calibration_ = _tensors(state.get("calibration"))
    estimator.net_, estimator.family_, estimator._schedule = net, family, schedule
