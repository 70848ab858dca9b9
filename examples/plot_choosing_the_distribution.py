"""
Choosing the distribution by held-out likelihood: positive targets
==================================================================

Prices, durations and concentrations are positive, and their spread grows with their
size. ``DistributionRegressor`` takes the family by name, and because every family's NLL
is a likelihood of the same targets, the family is a hyper-parameter like any other:
``GridSearchCV`` with ``nll_scorer`` picks it by held-out likelihood.

Here the targets are simulated prices: log-normal given x. A Normal is symmetric: it
gives negative prices a probability (the last column of the table) and cannot follow the
long upper tail. The Gamma and the log-normal live on y > 0 and skew to the right; the
log-normal, the family the data come from, wins the search. Beside them, sklearn's
``GammaRegressor`` (a linear log-mean, one shape for all rows, estimated here from its
Pearson residuals) gives the Gamma GLM's held-out NLL.
"""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from scipy import stats  # noqa: E402
from sklearn.linear_model import GammaRegressor  # noqa: E402
from sklearn.model_selection import GridSearchCV  # noqa: E402

from skprob import DistributionRegressor  # noqa: E402
from skprob.metrics import (  # noqa: E402
    interval_coverage,
    negative_log_likelihood,
    nll_scorer,  # noqa: E402
)


def make_prices(n_rows, seed):
    rng = np.random.RandomState(seed)
    size = rng.uniform(0, 1, size=(n_rows, 1))
    price = np.exp(5 + 2 * size[:, 0] + 0.4 * rng.normal(size=n_rows))
    return size, price


X, y = make_prices(1500, seed=0)
X_test, y_test = make_prices(2000, seed=1)
families = ["normal", "gamma", "lognormal"]
search = GridSearchCV(
    DistributionRegressor(hidden_layer_sizes=(16,), n_estimators=1, random_state=0),
    {"distribution": families},
    scoring=nll_scorer,
    cv=3,
    refit=False,  # every family is fitted on all rows below
).fit(X, y)
print(f"selected by 3-fold held-out NLL: {search.best_params_['distribution']}")

grid = np.linspace(0, 1, 200)[:, None]
fig, axes = plt.subplots(1, 3, figsize=(13, 4), sharey=True)
print(f"{'family':<11}{'CV NLL':>9}{'test NLL':>10}{'cov90':>8}{'P(y < 0)':>10}")
for ax, family, cv_score in zip(axes, families, search.cv_results_["mean_test_score"]):
    model = DistributionRegressor(
        distribution=family, hidden_layer_sizes=(16,), n_estimators=1, random_state=0
    ).fit(X, y)
    dist = model.predict_dist(X_test)
    nll = negative_log_likelihood(y_test, dist)
    coverage = interval_coverage(y_test, dist, confidence=0.9)
    below_zero = float(np.mean(dist.cdf(np.zeros(len(y_test)))))
    print(f"{family:<11}{-cv_score:>9.3f}{nll:>10.3f}{coverage:>8.3f}{below_zero:>10.4f}")

    band = model.predict_dist(grid).interval(0.9)
    ax.scatter(X_test[:400, 0], y_test[:400], s=3, color="0.6", label="held-out data")
    ax.plot(grid, model.predict(grid), "C0", label="predicted mean")
    ax.fill_between(grid[:, 0], band[0], band[1], alpha=0.25, label="90% interval")
    ax.set(title=f"{family}: held-out NLL {nll:.3f}", xlabel="size")
    ax.legend(loc="upper left", fontsize=8)
# The Gamma GLM: its mean, and the shape 1 / dispersion from the Pearson residuals.
glm = GammaRegressor(alpha=0, max_iter=1000).fit(X, y)
shape = 1 / np.mean(((y - glm.predict(X)) / glm.predict(X)) ** 2)
mean = glm.predict(X_test)
glm_dist = stats.gamma(a=shape, scale=mean / shape)
nll = negative_log_likelihood(y_test, glm_dist)
coverage = interval_coverage(y_test, glm_dist, confidence=0.9)
print(f"{'GammaRegressor':<15}{'-':>5}{nll:>10.3f}{coverage:>8.3f}{0.0:>10.4f}")
axes[0].set_ylabel("price")
fig.tight_layout()
fig.savefig("choosing_the_distribution.png", dpi=100)
