"""
Counts: Poisson, negative binomial, and the Poisson GLM
=======================================================

Visits to a doctor, claims, defects: counts, often mostly zeros with a long tail. A
Normal predicts probabilities of negative and fractional counts; ``DistributionRegressor``
has two families for counts. ``"poisson"`` (variance = mean) is the GLM of sklearn's
``PoissonRegressor`` with a network for the log-rate; ``"negative_binomial"`` also
predicts an over-dispersion, for counts more spread than a Poisson's.

The counts here are simulated: a negative binomial with size 0.7 given two features,
half of them zeros. The NLL chooses between the count families (``GridSearchCV`` with
``nll_scorer``); sklearn's ``PoissonRegressor`` and ``HistGradientBoostingRegressor`` with
a Poisson loss, read as Poisson distributions, stand beside them. A probability of a
count and a density are not comparable, so the Normal is compared by CRPS only, which
scores any distribution of the same targets.
"""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from scipy import stats  # noqa: E402
from sklearn.ensemble import HistGradientBoostingRegressor  # noqa: E402
from sklearn.linear_model import PoissonRegressor  # noqa: E402
from sklearn.model_selection import GridSearchCV  # noqa: E402

from skprob import DistributionRegressor  # noqa: E402
from skprob.metrics import crps, negative_log_likelihood, nll_scorer  # noqa: E402


def make_visits(n_rows, seed):
    rng = np.random.RandomState(seed)
    X = rng.uniform(-1, 1, size=(n_rows, 2))
    mean = np.exp(0.2 + 1.2 * X[:, 0] + np.sin(3 * X[:, 1]))
    size = 0.7
    return X, rng.negative_binomial(size, size / (size + mean)).astype(float)


X, y = make_visits(2000, seed=0)
X_test, y_test = make_visits(4000, seed=1)
print(f"share of zeros: {np.mean(y == 0):.2f}, largest count: {y.max():.0f}")

network = dict(hidden_layer_sizes=(32,), n_estimators=1, random_state=0)
search = GridSearchCV(
    DistributionRegressor(**network),
    {"distribution": ["poisson", "negative_binomial"]},
    scoring=nll_scorer,
    cv=2,
    refit=False,  # both count families are fitted on all rows below
).fit(X, y)
print(f"selected by: {search.best_params_['distribution']} (2-fold held-out NLL)")

models = {
    family: DistributionRegressor(distribution=family, **network).fit(X, y)
    for family in ("poisson", "negative_binomial", "normal")
}
predicted = {name: model.predict_dist(X_test) for name, model in models.items()}
glm = PoissonRegressor(alpha=0, max_iter=1000).fit(X, y)
predicted["PoissonRegressor"] = stats.poisson(glm.predict(X_test))
boosting = HistGradientBoostingRegressor(loss="poisson", random_state=0).fit(X, y)
predicted["HGB (poisson loss)"] = stats.poisson(boosting.predict(X_test))

print(f"{'model':<20}{'test NLL':>10}{'CRPS':>8}{'P(y=0) pred/obs':>17}")
for name, dist in predicted.items():
    is_count = hasattr(dist, "logpmf")
    # A density gives no count a probability: the Normal has neither column.
    nll, zeros = "-", "-"
    if is_count:
        nll = f"{negative_log_likelihood(y_test, dist):.3f}"
        zeros = f"{np.mean(dist.pmf(np.zeros(len(y_test)))):.3f}"
    print(
        f"{name:<20}{nll:>10}{crps(y_test, dist):>8.3f}"
        f"{zeros:>10} / {np.mean(y_test == 0):.3f}"
    )

# The predicted frequency of each count against the observed one, on held-out rows.
counts = np.arange(0, 13)
fig, ax = plt.subplots(figsize=(7, 4))
observed = [np.mean(y_test == k) for k in counts]
ax.bar(counts, observed, color="0.8", label="observed")
for name, marker in [
    ("negative_binomial", "o"),
    ("poisson", "s"),
    ("PoissonRegressor", "^"),
]:
    dist = predicted[name]
    expected = [np.mean(dist.pmf(np.full(len(y_test), k))) for k in counts]
    ax.plot(counts, expected, marker=marker, label=name)
ax.set(
    xlabel="count", ylabel="share of held-out rows", title="Predicted vs observed counts"
)
ax.legend()
fig.tight_layout()
fig.savefig("count_regression.png", dpi=100)
