"""Classifiers: Bernoulli (binary) and Categorical (any number of classes) outputs."""

import math

import numpy as np
import torch
from sklearn.base import ClassifierMixin, _fit_context
from sklearn.utils.multiclass import check_classification_targets, type_of_target

from ._base import BaseDistributionEstimator
from ._docstrings import fill_doc
from ._labels import find_labels
from .families import Bernoulli, Categorical

__all__ = ["BernoulliClassifier", "CategoricalClassifier"]


class _DistributionClassifier(ClassifierMixin, BaseDistributionEstimator):
    """Shared by the classifiers: label encoding, class probabilities, the mode."""

    #: Quantile bins a feature for ``numeric_embedding="piecewise_linear"``: a label
    #: carries less per row than a number, and 8 or 16 bins overfit small tables
    #: (``benchmarks/README.md``).
    _piecewise_linear_bins = 4

    def _encode_targets(self, y, sample_weight, classes=None):
        check_classification_targets(y)
        if classes is None:
            self.classes_, y_encoded = np.unique(y, return_inverse=True)
        else:
            self.classes_ = np.unique(np.asarray(classes))
            y_encoded = self._class_indices(y)
        if len(self.classes_) < 2:
            raise ValueError(
                f"{type(self).__name__} needs samples of at least 2 classes in the data, "
                f"but the data contain only one class: {self.classes_[0]!r}."
            )
        return y_encoded

    def _reencode_targets(self, y, classes=None):
        check_classification_targets(y)
        if classes is not None and not np.array_equal(
            np.unique(np.asarray(classes)), self.classes_
        ):
            raise ValueError(
                f"classes={np.unique(classes).tolist()} differ from the fitted model's "
                f"classes_ {self.classes_.tolist()}: training goes on in the classes the "
                "network was built for."
            )
        return self._class_indices(y)

    def _class_indices(self, y):
        """Each label's index in ``classes_``; a label not among them is an error."""
        index, unknown = find_labels(self.classes_, np.asarray(y))
        if unknown:
            raise ValueError(
                f"y contains the label {unknown[0]!r}, which is not among the "
                f"classes {self.classes_.tolist()} of the model (from the first "
                "partial_fit's classes=, or the first fit)."
            )
        return index

    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y, classes=None, sample_weight=None):
        """Train one epoch on ``(X, y)``, from the current weights if fitted.

        For data that do not fit in memory, or that arrive over time: each call is one
        pass over the chunk in mini-batches, with no validation split, keeping the
        optimizer's state from call to call (as ``MLPClassifier.partial_fit``). Pass the
        model through ``dask_ml.wrappers.Incremental`` to stream a dask array.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            A chunk of training data.
        y : array-like of shape (n_samples,)
            Its labels, all among ``classes``.
        classes : array-like of shape (n_classes,), default=None
            Every label the model will see. Required on the first call (a chunk may miss
            some classes); on later calls it may be omitted, or must equal ``classes_``.
        sample_weight : array-like of shape (n_samples,), default=None
            Weight of each row's NLL.

        Returns
        -------
        self : object
            The estimator, trained one more epoch.
        """
        continuing = hasattr(self, "net_")
        if not continuing and classes is None:
            raise ValueError(
                "classes must be passed on the first call to partial_fit: a chunk may "
                "not hold every class."
            )
        return self._fit(X, y, sample_weight, continuing, epochs=1, classes=classes)

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

    def _encode_targets(self, y, sample_weight, classes=None):
        for name, labels in (("target", y), ("classes", classes)):
            if labels is None:
                continue
            y_type = type_of_target(labels, input_name="y", raise_unknown=True)
            if y_type not in ("binary", "unknown"):
                raise ValueError(
                    f"Only binary classification is supported. The type of the {name} "
                    f"is {y_type}. For more than two classes use CategoricalClassifier."
                )
        return super()._encode_targets(y, sample_weight, classes).astype(np.float64)

    def _reencode_targets(self, y, classes=None):
        return super()._reencode_targets(y, classes).astype(np.float64)

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
