"""
Multiple outputs on different scales
====================================

With several outputs treated as independent, the NLL is a sum over outputs. Two outputs
on different scales (here a temperature in degrees and a pressure in pascals, 10^5 times
larger) need a separate variance each, or rescaling before training and the inverse
after: a single squared error would be all pressure and no temperature.

``GaussianRegressor`` does both: it standardises each output internally (weighted by
``sample_weight``), learns one sigma per output, and maps the predictive distribution
back, so ``predict_dist`` is in the units of each output. For contrast, sklearn's
``MLPRegressor`` fits the raw outputs with one squared error.
"""

import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.metrics import r2_score  # noqa: E402
from sklearn.neural_network import MLPRegressor  # noqa: E402

from skprob import GaussianRegressor  # noqa: E402

warnings.simplefilter("ignore", ConvergenceWarning)  # sklearn's MLP stops at max_iter

NOISE = np.array([0.5, 300.0])  # degrees, pascals


def make_data(n_rows, seed):
    rng = np.random.RandomState(seed)
    X = rng.uniform(-1, 1, size=(n_rows, 3))
    temperature = 20 + 5 * np.sin(2 * X[:, 0]) + 2 * X[:, 1]
    pressure = 101_325 + 2_000 * X[:, 1] * X[:, 2] + 1_000 * X[:, 0]
    y = np.column_stack([temperature, pressure])
    return X, y + NOISE * rng.normal(size=y.shape)


X, y = make_data(2000, seed=0)
X_test, y_test = make_data(1000, seed=1)
# The same network and step size for both.
skprob_model = GaussianRegressor(
    n_estimators=1, hidden_layer_sizes=(64, 64), learning_rate=0.01, random_state=0
).fit(X, y)
mlp = MLPRegressor(hidden_layer_sizes=(64, 64), learning_rate_init=0.01, random_state=0)
mlp.fit(X, y)

dist = skprob_model.predict_dist(X_test)
sigma = dist.std()[0]
print(
    f"{'output':<13}{'true noise':>11}{'learned sigma':>15}{'R2 skprob':>11}{'R2 MLP':>9}"
)
for d, name in enumerate(["temperature", "pressure"]):
    r2_skprob = r2_score(y_test[:, d], dist.mean()[:, d])
    r2_mlp = r2_score(y_test[:, d], mlp.predict(X_test)[:, d])
    print(f"{name:<13}{NOISE[d]:>11.1f}{sigma[d]:>15.2f}{r2_skprob:>11.3f}{r2_mlp:>9.3f}")

fig, axes = plt.subplots(1, 2, figsize=(11, 4.5))
for d, (ax, name) in enumerate(zip(axes, ["temperature (deg)", "pressure (Pa)"])):
    low, high = y_test[:, d].min(), y_test[:, d].max()
    ax.plot([low, high], [low, high], "k:", label="perfect")
    ax.scatter(
        y_test[:, d], mlp.predict(X_test)[:, d], s=4, alpha=0.5, label="MLPRegressor"
    )
    ax.scatter(y_test[:, d], dist.mean()[:, d], s=4, alpha=0.5, label="skprob mean")
    ax.set(
        title=f"{name}: skprob sigma {sigma[d]:.3g} (true noise {NOISE[d]:g})",
        xlabel="observed",
        ylabel="predicted",
    )
    ax.legend(loc="upper left", fontsize=8)
fig.tight_layout()
fig.savefig("multiple_outputs.png", dpi=100)
