"""Deep ensembles (n_estimators): members trained side by side, each as if alone."""

import numpy as np
import pytest
import torch
from sklearn.datasets import make_classification

from skprob import (
    BernoulliClassifier,
    CategoricalClassifier,
    GaussianRegressor,
    HeteroscedasticRegressor,
)
from skprob._training.data import ArrayData
from skprob._training.net import DistributionNet, FamilyNLL
from skprob._training.network import DistributionMLP
from skprob.distributions import MixtureDistribution
from skprob.families import Normal

from .conftest import SMALL

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


def test_each_member_gets_only_its_own_gradient_and_penalty():
    torch.manual_seed(0)
    family = Normal(1, heteroscedastic=True)
    module = DistributionMLP(3, (5,), "tanh", family.n_network_outputs, n_members=3)
    module = module.double()
    net = DistributionNet(
        module=module,
        criterion=FamilyNLL(family),
        weight_decay=0.1,
        n_members=3,
        optimizer=torch.optim.LBFGS,  # the penalty in the loss, where the test sees it
    ).initialize()
    module = net.module_
    X = torch.randn(3, 8, 3, dtype=torch.float64)
    y = (torch.randn(3, 8, 1, dtype=torch.float64), None, None)

    def gradients(loss):
        module.zero_grad()
        loss.backward()
        return [p.grad.clone() for p in module.parameters() if p.numel()]

    losses = net.member_losses(module(X), y, X, training=True)
    joint = gradients(losses.sum())
    for member in range(3):
        alone = gradients(net.member_losses(module(X), y, X, training=True)[member])
        for joint_grad, alone_grad in zip(joint, alone):
            np.testing.assert_allclose(joint_grad[member], alone_grad[member], rtol=1e-12)
            others = [m for m in range(3) if m != member]
            assert torch.all(alone_grad[others] == 0)


def test_regressor_ensemble_predicts_the_equal_weight_mixture(diabetes):
    X, y = diabetes
    reg = HeteroscedasticRegressor(**{**SMALL, "n_estimators": 4}).fit(X, y)
    dist = reg.predict_dist(X[:20])
    assert isinstance(dist, MixtureDistribution)
    assert dist.n_components == 4
    np.testing.assert_allclose(dist.weights, 0.25)
    mean, std = reg.predict(X[:20], return_std=True)
    np.testing.assert_allclose(mean, dist.mean(), rtol=1e-12)
    np.testing.assert_allclose(std, dist.std(), rtol=1e-10)
    # The members differ (own starting weights, batch order and validation rows).
    assert np.ptp(dist.components.mean(), axis=1).min() > 0
    # Each component is a member's Normal in y's units.
    members = reg._members_in_y_units(X[:20])
    np.testing.assert_allclose(dist.components.mean(), members["loc"])
    np.testing.assert_allclose(dist.components.std(), members["scale"])


def test_one_member_is_a_plain_normal(diabetes):
    X, y = diabetes
    reg = GaussianRegressor(**{**SMALL, "n_estimators": 1}).fit(X, y)
    dist = reg.predict_dist(X[:5])
    assert dist.dist.name == "norm"
    np.testing.assert_allclose(dist.mean(), reg.predict(X[:5]))


def test_multi_output_ensemble_has_the_shape_of_y(diabetes):
    X, y = diabetes
    Y = np.column_stack([y, -2 * y])
    reg = GaussianRegressor(**{**SMALL, "n_estimators": 3}).fit(X, Y)
    dist = reg.predict_dist(X[:7])
    assert dist.mean().shape == dist.logpdf(Y[:7]).shape == (7, 2)
    assert reg.predict(X[:7]).shape == (7, 2)


@pytest.mark.parametrize("Classifier", [BernoulliClassifier, CategoricalClassifier])
def test_classifier_ensemble_averages_the_members_probabilities(Classifier):
    n_classes = 2 if Classifier is BernoulliClassifier else 3
    X, y = make_classification(
        n_samples=300, n_features=6, n_informative=4, n_classes=n_classes, random_state=0
    )
    clf = Classifier(**{**SMALL, "n_estimators": 3}).fit(X, y)
    members = np.exp(clf._member_log_probs(X).numpy())
    assert members.shape == (3, 300, n_classes)
    assert np.abs(members[0] - members[1]).max() > 1e-3
    np.testing.assert_allclose(clf.predict_proba(X), members.mean(axis=0), rtol=1e-10)
    np.testing.assert_array_equal(clf.predict(X), clf.classes_[members.mean(0).argmax(1)])
    dist = clf.predict_dist(X)
    np.testing.assert_allclose(dist.mean(), clf.predict_proba(X) @ np.arange(n_classes))


def test_each_member_keeps_its_own_best_validation_epoch():
    X, y = make_classification(n_samples=400, n_features=6, random_state=0)
    clf = CategoricalClassifier(
        n_estimators=3,
        hidden_layer_sizes=(32,),
        learning_rate=0.03,
        max_epochs=40,
        n_iter_no_change=40,
        random_state=0,
    ).fit(X, y)
    curves = np.asarray(clf.net_.history[:, "valid_member_losses"])
    best_epochs = curves.argmin(axis=0)
    assert len(set(best_epochs.tolist())) > 1, "members should peak at different epochs"
    # The fitted model keeps the validation rows' numbers, not the rows.
    targets = clf._encode_targets(y, np.ones(len(y)))
    data = ArrayData(
        X,
        targets,
        dtype=clf._torch_dtype,
        target_dtype=clf.family_.target_dtype(clf._torch_dtype),
    )
    X_valid, targets = data.subset(clf.net_.validation_rows_).batch(slice(None))
    with torch.no_grad():
        final = clf.net_.member_losses(clf.net_.module_(X_valid), targets, X_valid)
    np.testing.assert_allclose(final.numpy(), curves.min(axis=0), rtol=1e-6)
    assert clf.best_validation_loss_ == pytest.approx(curves.min(axis=0).mean())


def test_members_hold_out_different_validation_rows():
    X, y = make_classification(n_samples=400, n_features=6, random_state=0)
    clf = CategoricalClassifier(**{**SMALL, "n_estimators": 3}).fit(X, y)
    rows = clf.net_.validation_rows_
    assert rows.shape == (3, 40)
    assert len({tuple(np.sort(r)) for r in rows}) == 3


@pytest.mark.parametrize("n_estimators", [1, 3])
def test_same_random_state_same_ensemble(n_estimators, diabetes):
    X, y = diabetes
    torch_state = torch.get_rng_state()
    params = {**SMALL, "n_estimators": n_estimators}
    first = HeteroscedasticRegressor(**params).fit(X, y).predict(X, return_std=True)
    second = HeteroscedasticRegressor(**params).fit(X, y).predict(X, return_std=True)
    np.testing.assert_array_equal(first, second)
    assert torch.equal(torch.get_rng_state(), torch_state)
