"""
Binary classification: the Bernoulli output
===========================================

The recipe for y in {0, 1}: a Bernoulli distribution with ``Pr(y = 1) = lambda``. The
network predicts one unconstrained number, the logit ``z = f[x, phi]``, and the sigmoid
maps it into (0, 1): ``lambda = sig(z) = 1 / (1 + exp(-z))``. The NLL is the binary
cross-entropy, computed from z in its stable form.

Three views of a ``BernoulliClassifier`` on two interleaved half-moons:

- the probability ``lambda(x)`` over the plane, with the held-out points;
- the link: held-out predictions lie on the sigmoid of their logit;
- calibration: among rows predicted with probability p, a share p is positive.
"""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from scipy.special import logit  # noqa: E402
from sklearn.datasets import make_moons  # noqa: E402
from sklearn.metrics import accuracy_score, log_loss  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402

from skprob import BernoulliClassifier  # noqa: E402
from skprob.metrics import expected_calibration_error, reliability_curve  # noqa: E402

X, y = make_moons(n_samples=1500, noise=0.3, random_state=0)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.5, random_state=0)
model = BernoulliClassifier(hidden_layer_sizes=(32, 32), learning_rate=0.01, random_state=0)
model.fit(X_train, y_train)
proba = model.predict_proba(X_test)[:, 1]
print(f"held-out log loss {log_loss(y_test, proba):.3f}")
print(f"held-out accuracy {accuracy_score(y_test, model.predict(X_test)):.3f}")
print(f"held-out ECE      {expected_calibration_error(y_test, proba):.3f}")

fig, (left, middle, right) = plt.subplots(1, 3, figsize=(15, 4.5))
xx, yy = np.meshgrid(np.linspace(-2, 3, 200), np.linspace(-1.5, 2, 200))
grid_proba = model.predict_proba(np.column_stack([xx.ravel(), yy.ravel()]))[:, 1]
contour = left.contourf(xx, yy, grid_proba.reshape(xx.shape), levels=11, cmap="RdBu_r")
left.contour(xx, yy, grid_proba.reshape(xx.shape), levels=[0.5], colors="k")
left.scatter(*X_test.T, c=y_test, cmap="RdBu_r", s=6, edgecolors="k", linewidths=0.2)
fig.colorbar(contour, ax=left, label="lambda = Pr(y = 1 | x)")
left.set(title="Probability over the plane (black: lambda = 1/2)", xlabel="x1", ylabel="x2")

z = logit(np.clip(proba, 1e-12, 1 - 1e-12))
zz = np.linspace(-8, 8, 200)
middle.plot(zz, 1 / (1 + np.exp(-zz)), "k-", label="sig(z)")
jitter = np.random.RandomState(0).uniform(-0.03, 0.03, size=len(y_test))
middle.scatter(z, y_test + jitter, s=4, alpha=0.4, c=y_test, cmap="RdBu_r", label="labels")
middle.set(
    title="The link: lambda = sig(z)", xlabel="logit z", ylabel="lambda", xlim=(-8, 8)
)
middle.legend(loc="center right")

# Quantile bins hold equally many rows: most predictions sit near 0 or 1, which would
# leave uniform middle bins with a handful of rows each.
prob_true, prob_pred, _ = reliability_curve(y_test, proba, n_bins=10, strategy="quantile")
right.plot([0, 1], [0, 1], "k:", label="perfectly calibrated")
right.plot(prob_pred, prob_true, "o-", label="BernoulliClassifier")
right.set(
    title="Calibration on held-out rows",
    xlabel="predicted lambda",
    ylabel="observed share of y = 1",
)
right.legend(loc="upper left")
fig.tight_layout()
fig.savefig("binary_classification.png", dpi=90)
