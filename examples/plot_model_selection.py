"""
Model selection by likelihood: GridSearchCV with the NLL scorer
===============================================================

R^2 judges the mean alone, so it cannot tell a model with honest error bars from one
with wrong ones. The NLL judges the whole predictive distribution. This script runs one
``GridSearchCV`` over a ``Pipeline(StandardScaler, model)`` on data whose noise grows
with x, with two scorers, ``"r2"`` and ``skprob.metrics.nll_scorer``, and compares the
model each would select on held-out data. ``skprob.predict_dist`` reaches the refitted
pipeline's distribution.
"""

import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from sklearn.base import clone  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.metrics import r2_score  # noqa: E402
from sklearn.model_selection import GridSearchCV, train_test_split  # noqa: E402
from sklearn.pipeline import Pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

from skprob import GaussianRegressor, HeteroscedasticRegressor, predict_dist  # noqa: E402
from skprob.metrics import interval_coverage, negative_log_likelihood, nll_scorer  # noqa: E402

warnings.simplefilter("ignore", ConvergenceWarning)

rng = np.random.RandomState(0)
X = rng.uniform(-3, 3, size=(1500, 2))
y = np.sin(X[:, 0]) + 0.5 * X[:, 1] + (0.1 + 0.3 * (X[:, 0] + 3)) * rng.normal(size=1500)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.4, random_state=0)

pipeline = Pipeline([("scale", StandardScaler()), ("model", GaussianRegressor())])
# Single networks (n_estimators=1) keep the 12-fit search quick; the comparison is
# between the two noise models, which an ensemble of each would not change.
grid = {
    "model": [
        GaussianRegressor(n_estimators=1, learning_rate=0.01, random_state=0),
        HeteroscedasticRegressor(n_estimators=1, learning_rate=0.01, random_state=0),
    ],
    "model__hidden_layer_sizes": [(8,), (32, 32)],
}
search = GridSearchCV(
    pipeline, grid, scoring={"r2": "r2", "nll": nll_scorer}, refit=False, cv=3, n_jobs=2
).fit(X_train, y_train)

results = search.cv_results_
labels = [
    f"{type(p['model']).__name__.replace('Regressor', '')} {p['model__hidden_layer_sizes']}"
    for p in results["params"]
]
print(f"{'candidate':<28}{'CV R2':>8}{'CV NLL':>8}")
for label, r2, nll in zip(labels, results["mean_test_r2"], -results["mean_test_nll"]):
    print(f"{label:<28}{r2:>8.3f}{nll:>8.3f}")

r2_spread = np.ptp(results["mean_test_r2"])
nll_spread = np.ptp(results["mean_test_nll"])
print(f"\nspread across candidates: R2 {r2_spread:.3f}, NLL {nll_spread:.3f} nats per row")

print(f"\n{'selected by':<12}{'candidate':<28}{'test R2':>8}{'test NLL':>9}{'cov90':>7}")
chosen = {}
for scorer in ("r2", "nll"):
    best = int(np.argmax(results[f"mean_test_{scorer}"]))
    model = clone(pipeline).set_params(**results["params"][best]).fit(X_train, y_train)
    dist = predict_dist(model, X_test)
    chosen[scorer] = best
    print(
        f"{scorer:<12}{labels[best]:<28}{r2_score(y_test, dist.mean()):>8.3f}"
        f"{negative_log_likelihood(y_test, dist):>9.3f}"
        f"{interval_coverage(y_test, dist, confidence=0.9):>7.3f}"
    )

fig, ax = plt.subplots(figsize=(7, 4.5))
ax.scatter(results["mean_test_r2"], -results["mean_test_nll"], s=40)
for i, label in enumerate(labels):
    marks = [name.upper() for name, best in chosen.items() if best == i]
    text = label + (f"\n^ picked by {' and '.join(marks)}" if marks else "")
    ax.annotate(
        text, (results["mean_test_r2"][i], -results["mean_test_nll"][i]), fontsize=8
    )
ax.set(
    xlabel="cross-validated R^2 (higher is better)",
    ylabel="cross-validated NLL per row (lower is better)",
    title=f"Four candidates: R^2 spread {r2_spread:.3f}, NLL spread {nll_spread:.3f}",
)
ax.margins(x=0.6, y=0.15)  # room for the labels
fig.tight_layout()
fig.savefig("model_selection.png", dpi=100)
