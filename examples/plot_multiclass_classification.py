"""
Multiclass classification: the categorical output and softmax
==============================================================

The recipe for y in {1, ..., K}: a categorical distribution with probabilities
``lambda_k``. The network predicts K unconstrained logits ``z_k = f_k[x, phi]`` and the
softmax maps them onto the simplex, ``lambda_k = exp(z_k) / sum_j exp(z_j)``. The NLL is
the multiclass cross-entropy ``-(z_y - logsumexp(z))``.

Three views of a ``CategoricalClassifier`` on three overlapping blobs:

- the most probable class over the plane, shaded by its probability;
- the softmax along a line through the three classes: probabilities that sum to one;
- top-label calibration: confidence of the predicted class against its accuracy.
"""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from sklearn.datasets import make_blobs  # noqa: E402
from sklearn.metrics import accuracy_score, log_loss  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402

from skprob import CategoricalClassifier  # noqa: E402
from skprob.metrics import expected_calibration_error, reliability_curve  # noqa: E402

centers = np.array([[-2.0, 0.0], [2.0, 0.0], [0.0, 3.0]])
X, y = make_blobs(n_samples=1500, centers=centers, cluster_std=1.5, random_state=0)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.5, random_state=0)
model = CategoricalClassifier(hidden_layer_sizes=(32,), learning_rate=0.01, random_state=0)
model.fit(X_train, y_train)
proba = model.predict_proba(X_test)
print(f"held-out log loss {log_loss(y_test, proba):.3f}")
print(f"held-out accuracy {accuracy_score(y_test, model.predict(X_test)):.3f}")
print(f"held-out ECE      {expected_calibration_error(y_test, proba):.3f}")

fig, (left, middle, right) = plt.subplots(1, 3, figsize=(15, 4.5))
colors = np.array([[0.85, 0.3, 0.2], [0.2, 0.45, 0.8], [0.3, 0.7, 0.3]])
xx, yy = np.meshgrid(np.linspace(-6, 6, 200), np.linspace(-4, 7, 200))
grid_proba = model.predict_proba(np.column_stack([xx.ravel(), yy.ravel()]))
image = colors[grid_proba.argmax(axis=1)] * grid_proba.max(axis=1, keepdims=True)
image += 1 - grid_proba.max(axis=1, keepdims=True)  # paler where less sure
left.imshow(
    image.reshape(*xx.shape, 3), origin="lower", extent=(-6, 6, -4, 7), aspect="auto"
)
left.scatter(*X_test.T, c=colors[y_test], s=5, edgecolors="k", linewidths=0.2)
left.set(title="Most probable class (paler: less sure)", xlabel="x1", ylabel="x2")

t = np.linspace(0, 1, 200)
path = (
    np.outer(1 - t, centers[0])
    + np.outer(t, centers[1])
    + np.outer(4 * t * (1 - t), centers[2] - (centers[0] + centers[1]) / 2)
)
path_proba = model.predict_proba(path)
for k in range(3):
    middle.plot(t, path_proba[:, k], color=colors[k], label=f"lambda_{k}")
middle.plot(t, path_proba.sum(axis=1), "k:", label="sum")
middle.set(
    title="Softmax along a path from class 0 via 2 to 1",
    xlabel="position on the path",
    ylabel="probability",
)
middle.legend()

prob_true, prob_pred, _ = reliability_curve(y_test, proba, n_bins=10)
right.plot([0, 1], [0, 1], "k:", label="perfectly calibrated")
right.plot(prob_pred, prob_true, "o-", label="CategoricalClassifier")
right.set(
    title="Top-label calibration on held-out rows",
    xlabel="probability of the predicted class",
    ylabel="observed accuracy",
)
right.legend(loc="upper left")
fig.tight_layout()
fig.savefig("multiclass_classification.png", dpi=90)
