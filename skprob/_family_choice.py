"""The ``distribution`` parameter: a registered name, or a user's own family.

A family is one small class (:class:`~skprob.families.DistributionFamily`); an
estimator's ``distribution`` takes its name in the estimator's registry, the class
itself (built for the number of outputs), or an instance (used as it is, for a family
with options of its own). All three validate, clone, pickle and search alike.
"""

import copy
import inspect

from .families import DistributionFamily

__all__ = [
    "DISTRIBUTION_CONSTRAINT",
    "build_family",
    "distribution_name",
    "family_support",
    "family_template",
]

#: ``_parameter_constraints`` entries besides the registry's names: a family class or
#: instance (the subclass check is :func:`family_template`'s, with a clearer message).
DISTRIBUTION_CONSTRAINT = [DistributionFamily, type]


def distribution_name(distribution):
    """How messages name the family."""
    if isinstance(distribution, str):
        return distribution
    cls = distribution if inspect.isclass(distribution) else type(distribution)
    return cls.__name__


def family_template(distribution, registry, estimator):
    """The family class or instance ``distribution`` stands for, checked."""
    if isinstance(distribution, str):
        return registry[distribution]
    if inspect.isclass(distribution) and not issubclass(distribution, DistributionFamily):
        raise ValueError(
            f"{type(estimator).__name__}(distribution={distribution.__name__}): a class "
            "passed as distribution must subclass skprob.families.DistributionFamily."
        )
    return distribution


def build_family(distribution, registry, n_outputs, estimator):
    """A fresh family for ``n_outputs`` outputs (a copy of an instance, so that fitting
    never changes the estimator's parameter)."""
    template = family_template(distribution, registry, estimator)
    if not isinstance(template, DistributionFamily):
        return template(n_outputs)
    family = copy.deepcopy(template)
    n_targets = getattr(family, "n_targets", n_outputs)
    if n_targets != n_outputs:
        raise ValueError(
            f"distribution={distribution_name(distribution)!r} was built for {n_targets} "
            f"output(s), and y has {n_outputs}: build it with n_targets={n_outputs}, or "
            "pass the class."
        )
    return family


def family_support(distribution, registry, estimator):
    """Where the family's targets live, without building it for the data."""
    template = family_template(distribution, registry, estimator)
    support = getattr(template, "support", None)
    # A registry entry may be a partial (the Normal with its options): build one.
    return support if support is not None else template(1).support
