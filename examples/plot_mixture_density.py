"""
Several answers for one input: a mixture density network
========================================================

The classic inverse problem (Bishop, 1994): y is drawn uniformly on [0, 1] and
``x = y + 0.3 sin(2 pi y) + noise``. Predicting x from y is easy; predicting y from x is
not a function: for x in the middle, three values of y are possible.

A Normal predictive distribution (``HeteroscedasticRegressor``) has one mode. Its mean
runs through the gaps between the branches, where there are no data, and its variance
grows to cover all of them. ``MixtureDensityRegressor`` predicts K Normals per input with
weights that depend on x, and follows the branches: the held-out NLL shows by how much.
"""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from skprob import HeteroscedasticRegressor, MixtureDensityRegressor  # noqa: E402
from skprob.metrics import negative_log_likelihood  # noqa: E402


def make_data(n_rows, seed):
    rng = np.random.RandomState(seed)
    y = rng.uniform(0, 1, size=n_rows)
    x = y + 0.3 * np.sin(2 * np.pi * y) + rng.uniform(-0.1, 0.1, size=n_rows)
    return x[:, None], y


X, y = make_data(2000, seed=0)
X_test, y_test = make_data(2000, seed=1)
common = {"hidden_layer_sizes": (32, 32), "random_state": 0}
models = {
    "HeteroscedasticRegressor": HeteroscedasticRegressor(**common),
    "MixtureDensityRegressor": MixtureDensityRegressor(n_components=3, **common),
}

grid = np.linspace(X.min(), X.max(), 300)[:, None]
levels = np.linspace(-0.2, 1.2, 300)
fig, axes = plt.subplots(1, 2, figsize=(11, 4.4), sharey=True)
print(f"{'model':<26}{'held-out NLL':>13}")
for ax, (name, model) in zip(axes, models.items()):
    model.fit(X, y)
    nll = negative_log_likelihood(y_test, model.predict_dist(X_test))
    print(f"{name:<26}{nll:>13.3f}")

    # The predictive density of y at every x of the grid, as an image; each column is
    # scaled to its own maximum, so that the narrow ends do not wash out the middle.
    dist = model.predict_dist(grid)
    density = np.exp(np.stack([dist.logpdf(np.full(len(grid), level)) for level in levels]))
    density /= density.max(axis=0, keepdims=True)
    ax.pcolormesh(grid[:, 0], levels, density, cmap="Blues", shading="auto")
    ax.scatter(X_test[:300, 0], y_test[:300], s=3, color="C1", label="held-out data")
    ax.plot(grid, model.predict(grid), "k", lw=1.5, label="predicted mean")
    ax.set(title=f"{name}\nheld-out NLL {nll:.3f}", xlabel="x", ylim=(-0.2, 1.2))
    ax.legend(loc="upper left", fontsize=8)
axes[0].set_ylabel("y")
fig.tight_layout()
fig.savefig("mixture_density.png", dpi=100)
