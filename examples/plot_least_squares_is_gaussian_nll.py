"""
Least squares is Gaussian NLL
=============================

The recipe with a Normal distribution: the network predicts the mean, ``mu = f[x, phi]``,
and the NLL of the targets is

    L[phi, sigma] = sum_i (y_i - f[x_i, phi])^2 / (2 sigma^2) + n log sigma + const.

For any sigma, the phi that minimises it minimises the sum of squares: least squares is
maximum likelihood under Gaussian noise. Setting the derivative in sigma to zero gives the
maximum-likelihood sigma, the root mean squared residual.

With ``hidden_layer_sizes=()`` the model is linear, so ``GaussianRegressor`` must reproduce
``LinearRegression``. This script fits both on data it makes, and plots:

- left: the data, both fitted lines and the learned +-2 sigma band;
- right: the sum of squares and the NLL as functions of the slope, with the other
  parameters at their optimum. Both curves bottom out at the same slope.
"""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from sklearn.linear_model import LinearRegression  # noqa: E402

from skprob import GaussianRegressor  # noqa: E402

rng = np.random.RandomState(0)
X = rng.uniform(-3, 3, size=(200, 1))
y = 1.5 * X[:, 0] + 2.0 + rng.normal(scale=0.8, size=200)

ols = LinearRegression().fit(X, y)
# All rows, no penalty, trained to convergence: the setting in which the identity is exact
# (early stopping would hold out a validation split, weight decay would shrink the slope).
gaussian = GaussianRegressor(
    n_estimators=1,
    hidden_layer_sizes=(),
    optimizer="lbfgs",
    weight_decay=0.0,
    early_stopping=False,
    tol=1e-10,
    random_state=0,
).fit(X, y)

grid = np.linspace(-3, 3, 100)[:, None]
mean, std = gaussian.predict(grid, return_std=True)
residual_rms = np.sqrt(np.mean((y - ols.predict(X)) ** 2))
slope_nll = np.polyfit(grid[:, 0], mean, 1)[0]
intercept_nll = gaussian.predict([[0.0]])[0]
print(f"least squares slope       {ols.coef_[0]:.4f}   intercept {ols.intercept_:.4f}")
print(f"Gaussian NLL slope        {slope_nll:.4f}   intercept {intercept_nll:.4f}")
print(f"learned sigma             {std[0]:.4f}")
print(f"root mean squared residual {residual_rms:.4f}")

# Profile both losses along the slope, the intercept at its optimum for each slope.
slopes = np.linspace(ols.coef_[0] - 1, ols.coef_[0] + 1, 201)
sum_of_squares, nll = [], []
for slope in slopes:
    intercept = np.mean(y - slope * X[:, 0])
    residuals = y - slope * X[:, 0] - intercept
    sum_of_squares.append(np.sum(residuals**2))
    sigma = std[0]  # the learned sigma, held fixed
    nll.append(
        np.mean(residuals**2 / (2 * sigma**2) + np.log(sigma) + 0.5 * np.log(2 * np.pi))
    )

fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
left.scatter(X[:, 0], y, s=8, color="0.6", label="data")
left.plot(grid, ols.predict(grid), "k-", lw=3, alpha=0.4, label="LinearRegression")
left.plot(grid, mean, "C0--", label="GaussianRegressor mean")
left.fill_between(grid[:, 0], mean - 2 * std, mean + 2 * std, alpha=0.2, label="+-2 sigma")
left.set(title="The same line both ways", xlabel="x", ylabel="y")
left.legend(fontsize=8)

right.plot(slopes, sum_of_squares / np.min(sum_of_squares), label="sum of squares (scaled)")
right.plot(slopes, np.array(nll) - np.min(nll) + 1, label="mean NLL (shifted)")
right.axvline(ols.coef_[0], color="k", linestyle=":", label="least-squares slope")
right.set(title="Both losses are minimised by the same slope", xlabel="slope")
right.legend(fontsize=8)
fig.tight_layout()
fig.savefig("least_squares_is_gaussian_nll.png", dpi=100)
