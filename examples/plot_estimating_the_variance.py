"""
Estimating the variance: homoscedastic vs heteroscedastic
=========================================================

The Normal recipe can learn the variance as well as the mean:

- ``GaussianRegressor``: one sigma for all inputs (homoscedastic noise);
- ``HeteroscedasticRegressor``: the network predicts both ``mu = f1[x, phi]`` and
  ``sigma^2 = g(f2[x, phi])`` through a positive link ``g`` (heteroscedastic noise).

On data whose noise grows with x, one sigma must compromise: its +-2 sigma band is too
wide where the data are quiet and too narrow where they are noisy. Pooled over all x the
band can still cover about 95%, so the script also prints the coverage on the quiet and
the noisy half of the held-out data, where the difference shows.
"""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from skprob import GaussianRegressor, HeteroscedasticRegressor  # noqa: E402
from skprob.metrics import interval_coverage, negative_log_likelihood  # noqa: E402


def make_data(n_rows, seed):
    rng = np.random.RandomState(seed)
    x = rng.uniform(-3, 3, size=n_rows)
    noise_std = 0.1 + 0.3 * (x + 3)  # from 0.1 at x = -3 to 1.9 at x = 3
    y = np.sin(x) + noise_std * rng.normal(size=n_rows)
    return x[:, None], y


X, y = make_data(2000, seed=0)
X_test, y_test = make_data(2000, seed=1)
models = {
    "GaussianRegressor": GaussianRegressor(hidden_layer_sizes=(32, 32), random_state=0),
    "HeteroscedasticRegressor": HeteroscedasticRegressor(
        hidden_layer_sizes=(32, 32), random_state=0
    ),
}
quiet = X_test[:, 0] < 0
print(f"{'model':<26}{'NLL':>7}{'cov95 all':>11}{'quiet half':>12}{'noisy half':>12}")
grid = np.linspace(-3, 3, 200)[:, None]
fig, axes = plt.subplots(1, 2, figsize=(11, 4.2), sharey=True)
for ax, (name, model) in zip(axes, models.items()):
    model.fit(X, y)
    dist = model.predict_dist(X_test)
    coverage = [
        interval_coverage(y_test[rows], model.predict_dist(X_test[rows]), confidence=0.95)
        for rows in (slice(None), quiet, ~quiet)
    ]
    nll = negative_log_likelihood(y_test, dist)
    print(
        f"{name:<26}{nll:>7.3f}{coverage[0]:>11.3f}{coverage[1]:>12.3f}{coverage[2]:>12.3f}"
    )

    mean, std = model.predict(grid, return_std=True)
    ax.scatter(X_test[:, 0], y_test, s=3, color="0.7", label="held-out data")
    ax.plot(grid, mean, "C0", label="mean")
    ax.fill_between(
        grid[:, 0], mean - 2 * std, mean + 2 * std, alpha=0.25, label="+-2 sigma"
    )
    ax.plot(grid, np.sin(grid), "k:", label="true mean")
    halves = f"quiet half {coverage[1]:.2f}, noisy half {coverage[2]:.2f}"
    ax.set(title=f"{name}\n95% coverage: {halves}", xlabel="x")
    ax.legend(loc="upper left", fontsize=8)
axes[0].set_ylabel("y")
fig.tight_layout()
fig.savefig("estimating_the_variance.png", dpi=100)
