"""Classifiers: Bernoulli (binary) and Categorical (any number of classes) outputs."""

import math

import numpy as np
import torch
from sklearn.base import ClassifierMixin
from sklearn.utils.multiclass import check_classification_targets, type_of_target

from ._base import BaseDistributionEstimator
from ._docstrings import fill_doc
from .families import Bernoulli, Categorical

__all__ = ["BernoulliClassifier", "CategoricalClassifier"]


class _DistributionClassifier(ClassifierMixin, BaseDistributionEstimator):
    """Shared by the classifiers: label encoding, class probabilities, the mode."""

    def _encode_targets(self, y, sample_weight):
        check_classification_targets(y)
        self.classes_, y_encoded = np.unique(y, return_inverse=True)
        if len(self.classes_) < 2:
            raise ValueError(
                f"{type(self).__name__} needs samples of at least 2 classes in the data, "
                f"but the data contain only one class: {self.classes_[0]!r}."
            )
        return y_encoded

    def _stratify_validation(self, y_model, n_valid):
        counts = np.bincount(y_model.astype(np.intp))
        return counts.min() >= 2 and n_valid >= len(counts)

    def _member_log_probs(self, X):
        """Each member's class log-probabilities, ``(n_members, n_samples, n_classes)``."""
        params = self._member_params(X)
        n_members, n_samples = next(iter(params.values())).shape[:2]
        flat = {
            name: value.reshape(n_members * n_samples, *value.shape[2:])
            for name, value in params.items()
        }
        with torch.no_grad():
            log_probs = self.family_.class_log_probs(flat)
        return log_probs.reshape(n_members, n_samples, -1)

    def predict_log_proba(self, X):
        """Log of the class probabilities, computed from the logits (no log(0)).

        An ensemble averages its members' probabilities (in log space, by logsumexp).

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            Columns in the order of ``classes_``.
        """
        log_probs = self._member_log_probs(X)
        n_members = log_probs.shape[0]
        if n_members == 1:
            return log_probs[0].numpy()
        return (torch.logsumexp(log_probs, dim=0) - math.log(n_members)).numpy()

    def predict_proba(self, X):
        """Class probabilities; each row sums to one.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Columns in the order of ``classes_``.
        """
        return np.exp(self.predict_log_proba(X))

    def predict(self, X):
        """The most probable class (the mode of the predictive distribution).

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Labels from ``classes_``.
        """
        index = self.predict_log_proba(X).argmax(axis=1)
        return self.classes_[index]

    def predict_dist(self, X):
        """The predictive distribution over the labels ``classes_`` for each row.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        dist : :class:`~skprob.distributions.CategoricalDistribution`
            In the labels of ``classes_`` (strings too): ``pmf(y)``, ``logpmf(y)``,
            ``ppf``, ``rvs`` and ``cdf`` (classes in sorted order); ``mean`` and ``var``
            for numeric labels. A label the model never saw is an error.
        """
        log_probs = self.predict_log_proba(X)
        return self.family_.distribution_from_log_probs(log_probs, classes=self.classes_)


@fill_doc
class BernoulliClassifier(_DistributionClassifier):
    """Binary classification with a Bernoulli output: ``lambda = sigmoid(z(x))``.

    The network predicts one logit z per row. Training minimises the Bernoulli NLL, which
    is the binary cross-entropy, computed from z in its stable softplus form. ``predict``
    returns the mode, the class with ``lambda > 1/2``.

    Parameters
    ----------
    {common_parameters}

    Attributes
    ----------
    {common_attributes}
    classes_ : ndarray of shape (2,)
        The two labels, sorted; ``classes_[1]`` is the "positive" class of lambda.

    See Also
    --------
    CategoricalClassifier : for more than two classes.

    Examples
    --------
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from skprob import BernoulliClassifier
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> clf = make_pipeline(StandardScaler(), BernoulliClassifier(random_state=0))
    >>> clf = clf.fit(X, y)
    >>> clf.predict_proba(X[:2]).sum(axis=1)
    array([1., 1.])
    >>> bool(clf.score(X, y) > 0.95)
    True
    """

    def _encode_targets(self, y, sample_weight):
        y_type = type_of_target(y, input_name="y", raise_unknown=True)
        if y_type not in ("binary", "unknown"):
            raise ValueError(
                "Only binary classification is supported. The type of the target is "
                f"{y_type}. For more than two classes use CategoricalClassifier."
            )
        return super()._encode_targets(y, sample_weight).astype(np.float64)

    def _make_family(self):
        return Bernoulli()

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_class = False
        return tags


@fill_doc
class CategoricalClassifier(_DistributionClassifier):
    """Classification with a Categorical output: probabilities ``softmax(z(x))``.

    The network predicts K logits per row. Training minimises the Categorical NLL, the
    multiclass cross-entropy ``-(z_y - logsumexp(z))``. ``predict`` returns the mode, the
    most probable class.

    Parameters
    ----------
    {common_parameters}

    Attributes
    ----------
    {common_attributes}
    classes_ : ndarray of shape (n_classes,)
        The labels, sorted; the columns of ``predict_proba`` follow this order.

    See Also
    --------
    BernoulliClassifier : the binary case with a single logit.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import load_iris
    >>> from skprob import CategoricalClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> clf = CategoricalClassifier(hidden_layer_sizes=(), optimizer="lbfgs",
    ...                             random_state=0).fit(X, y)
    >>> clf.predict(X[:2])
    array([0, 0])
    >>> proba = clf.predict_proba(X[:2])
    >>> proba.shape, bool(np.allclose(proba.sum(axis=1), 1))
    ((2, 3), True)
    >>> dist = clf.predict_dist(X[:2])
    >>> bool(np.allclose(dist.pmf(0), proba[:, 0]))
    True
    """

    def _make_family(self):
        return Categorical(len(self.classes_))
