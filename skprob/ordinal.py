"""Ordered classes: a cumulative-link model over labels in the user's order."""

import numpy as np
from sklearn.utils._param_validation import StrOptions
from sklearn.utils.multiclass import check_classification_targets

from ._docstrings import fill_doc
from .classification import _DistributionClassifier
from .families.cumulative_link import CumulativeLink

__all__ = ["OrdinalClassifier"]


@fill_doc
class OrdinalClassifier(_DistributionClassifier):
    """Classification of ordered classes (ratings, grades, stages): a cumulative-link
    model whose score a network predicts.

    ``Pr(y <= k | x) = F(theta_k - eta(x))``: the network predicts one score per row;
    K - 1 increasing cut points are learned once for all rows (:class:`~skprob.families.
    cumulative_link.CumulativeLink`); ``F`` is the logistic (proportional odds) or the
    Normal (ordered probit) distribution function. Where the order carries information,
    one score per row is the better model: it has K - 1 parameters fewer a row than
    :class:`CategoricalClassifier`'s logits and cannot put mass on both ends while
    skipping the middle. ``predict`` returns the most probable class; ``predict_proba``
    and ``predict_dist`` follow ``classes_``, which is the order of the classes.

    Parameters
    ----------
    {common_parameters}
    categories : "auto" or array-like of shape (n_classes,), default="auto"
        The classes from lowest to highest. ``"auto"``: the categories of an ordered
        pandas ``Categorical`` y in their order, else the sorted labels (numbers in
        their order; strings alphabetically, which is rarely the order meant: pass
        them). Every label of y must be among them.
    link : {{"logit", "probit"}}, default="logit"
        The cumulative distribution function ``F``.

    Attributes
    ----------
    {common_attributes}
    classes_ : ndarray of shape (n_classes,)
        The labels from lowest to highest; the columns of ``predict_proba`` follow them.

    See Also
    --------
    CategoricalClassifier : unordered classes, one logit per class.

    Examples
    --------
    >>> import numpy as np
    >>> from skprob import OrdinalClassifier
    >>> rng = np.random.RandomState(0)
    >>> X = rng.normal(size=(300, 2))
    >>> latent = X[:, 0] + rng.logistic(size=300)
    >>> y = np.array(["low", "medium", "high"])[np.digitize(latent, [-1.0, 1.0])]
    >>> clf = OrdinalClassifier(categories=["low", "medium", "high"], n_estimators=1,
    ...                         random_state=0).fit(X, y)
    >>> clf.classes_
    array(['low', 'medium', 'high'], dtype='<U6')
    >>> clf.predict([[-3.0, 0.0], [3.0, 0.0]])
    array(['low', 'high'], dtype='<U6')
    >>> dist = clf.predict_dist([[0.0, 0.0]])
    >>> bool(np.isclose(dist.cdf("medium")[0], dist.pmf("low")[0] + dist.pmf("medium")[0]))
    True
    """

    _parameter_constraints = {
        **_DistributionClassifier._parameter_constraints,
        "categories": [StrOptions({"auto"}), "array-like"],
        "link": [StrOptions({"logit", "probit"})],
    }

    def __init__(
        self,
        hidden_layer_sizes=(50, 50),
        *,
        n_estimators=5,
        activation="relu",
        feature_scaling="robust",
        numeric_embedding="piecewise_linear",
        optimizer="adam",
        learning_rate="auto",
        momentum=0.9,
        nesterov=False,
        batch_size="auto",
        max_epochs="auto",
        weight_decay="auto",
        early_stopping="auto",
        validation_fraction=0.1,
        n_iter_no_change="auto",
        tol=1e-4,
        random_state=None,
        device="cpu",
        n_threads=None,
        compute_dtype="auto",
        verbose=0,
        warm_start=False,
        categories="auto",
        link="logit",
    ):
        super().__init__(
            hidden_layer_sizes,
            n_estimators=n_estimators,
            activation=activation,
            feature_scaling=feature_scaling,
            numeric_embedding=numeric_embedding,
            optimizer=optimizer,
            learning_rate=learning_rate,
            momentum=momentum,
            nesterov=nesterov,
            batch_size=batch_size,
            max_epochs=max_epochs,
            weight_decay=weight_decay,
            early_stopping=early_stopping,
            validation_fraction=validation_fraction,
            n_iter_no_change=n_iter_no_change,
            tol=tol,
            random_state=random_state,
            device=device,
            n_threads=n_threads,
            compute_dtype=compute_dtype,
            verbose=verbose,
            warm_start=warm_start,
        )
        self.categories = categories
        self.link = link

    def _target_array(self, y):
        # An ordered pandas Categorical carries the order; validate_data drops it.
        dtype = getattr(y, "dtype", None)
        self._y_categories = None
        if getattr(dtype, "ordered", False):
            self._y_categories = np.asarray(dtype.categories)
        return y

    def _ordered_classes(self, y):
        if not (isinstance(self.categories, str) and self.categories == "auto"):
            classes = np.asarray(self.categories)
            if classes.ndim != 1 or len(np.unique(classes)) != len(classes):
                raise ValueError(
                    "categories must list each class once, from lowest to highest; got "
                    f"{classes.tolist()}."
                )
            return classes
        if getattr(self, "_y_categories", None) is not None:
            return self._y_categories
        return np.unique(y)

    def _encode_targets(self, y, sample_weight, classes=None):
        check_classification_targets(y)
        # partial_fit's classes= is the set of labels; the order is categories'.
        self.classes_ = self._ordered_classes(y if classes is None else np.asarray(classes))
        if len(self.classes_) < 2:
            raise ValueError(
                f"{type(self).__name__} needs samples of at least 2 classes in the data, "
                f"but the data contain only one class: {self.classes_[0]!r}."
            )
        missing = np.setdiff1d(np.unique(y), self.classes_)
        if len(missing):
            raise ValueError(
                f"y contains the label {missing[0].item()!r}, which is not among the "
                f"classes {self.classes_.tolist()}."
            )
        return self._class_indices(y)

    def _reencode_targets(self, y, classes=None):
        if classes is not None and set(np.asarray(classes).tolist()) != set(
            self.classes_.tolist()
        ):
            raise ValueError(
                f"classes={list(classes)} differ from the fitted model's classes_ "
                f"{self.classes_.tolist()}: training goes on in the classes the network "
                "was built for."
            )
        return self._class_indices(y)

    def _make_family(self):
        return CumulativeLink(len(self.classes_), link=self.link)
