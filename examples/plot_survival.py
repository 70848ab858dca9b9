"""
Survival analysis: censored times and survival curves with their uncertainty
============================================================================

Time to an event (death, relapse, churn, failure) is a distribution over positive
times, and most data sets see the event for only some rows: the others were followed
up to a time ``t`` without it (right-censored), which says only ``T > t``. Maximum
likelihood takes that as it is: such a row contributes ``-log S(t | x)``, the
probability of surviving past ``t``, where an event contributes ``-log p(t | x)``.
``SurvivalRegressor`` trains its networks on that likelihood and predicts, per row, the
whole distribution of the time: survival curves, a median time with an interval, and a
risk score for ranking.

The data are the German Breast Cancer Study Group 2 trial (686 patients, 56% censored;
recurrence-free survival in days), as scikit-survival ships it, with its structured
targets. The model is compared with scikit-survival's Cox model on held-out patients by
the concordance index (ranking), the integrated Brier score (the survival curves'
accuracy), and a calibration check for censored data (D-calibration). The figure shows
three patients' survival curves: each member of the ensemble's, and their mixture, the
prediction; then the mean predicted curve of the held-out patients beside their
Kaplan-Meier estimate.
"""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402
from sksurv.datasets import load_gbsg2  # noqa: E402
from sksurv.linear_model import CoxPHSurvivalAnalysis  # noqa: E402
from sksurv.metrics import integrated_brier_score  # noqa: E402
from sksurv.nonparametric import kaplan_meier_estimator  # noqa: E402
from sksurv.preprocessing import OneHotEncoder  # noqa: E402

from skprob import SurvivalRegressor  # noqa: E402
from skprob.metrics import censored_negative_log_likelihood, d_calibration  # noqa: E402

X, y = load_gbsg2()
X = OneHotEncoder().fit_transform(X).astype(float).to_numpy()
event, time = y["cens"], y["time"]
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=event, random_state=0
)

# %%
# Fit: the structured y of scikit-survival goes in as it is. The features need no
# scaler: the estimator scales them itself.
model = SurvivalRegressor(random_state=0).fit(X_train, y_train)
cox = make_pipeline(StandardScaler(), CoxPHSurvivalAnalysis(alpha=1e-4))
cox.fit(X_train, y_train)

# %%
# Judge on the held-out patients: the concordance index ranks them by ``predict`` (a
# risk score: higher, the event sooner), as scikit-survival's models; the integrated
# Brier score compares the survival curves with what happened, weighting the rows by
# the probability of not being censored; the censored NLL is the loss itself.
times = np.percentile(y_test["time"][y_test["cens"]], np.linspace(10, 80, 15))
inside = y_test["time"] < y_train["time"].max()
curves = {
    "skprob": model.predict_survival_function(X_test[inside], return_array=False),
    "Cox": cox.predict_survival_function(X_test[inside]),
}
for name, estimator in (("skprob", model), ("Cox", cox)):
    survival = np.vstack([fn(times) for fn in curves[name]])
    brier = integrated_brier_score(y_train, y_test[inside], survival, times)
    print(
        f"{name:7s} concordance {estimator.score(X_test, y_test):.3f}  "
        f"integrated Brier score {brier:.4f}"
    )
dist = model.predict_dist(X_test)
print(f"censored NLL (skprob) {censored_negative_log_likelihood(y_test, dist):.3f}")
calibration = d_calibration(y_test, dist)
print(
    f"D-calibration p-value {calibration.pvalue:.2f} (small: not calibrated); "
    f"bin shares {np.round(calibration.proportions, 3)}"
)

# %%
# Three patients: the median time and an 80% interval of each, then their curves.
rows = np.argsort(model.predict(X_test))[[10, len(X_test) // 2, -10]]
low, high = dist.interval(0.8)
for row in rows:
    print(
        f"patient {row}: median {dist.median()[row]:.0f} days, 80% of the time between "
        f"{low[row]:.0f} and {high[row]:.0f} days"
    )

grid = np.linspace(1, np.percentile(time, 95), 200)
fig, axes = plt.subplots(1, 2, figsize=(11, 4))
members = dist.components  # one distribution a member, on the last axis
for row, colour in zip(rows, ["tab:green", "tab:orange", "tab:red"]):
    member_curves = members.sf(grid[:, None, None])[:, row, :]
    axes[0].plot(grid, member_curves, color=colour, alpha=0.3, linewidth=0.8)
    axes[0].plot(
        grid,
        dist.sf(grid[:, None])[:, row],
        color=colour,
        linewidth=2.5,
        label=f"patient {row}",
    )
axes[0].set(
    xlabel="days",
    ylabel="S(t | x) = Pr(T > t)",
    ylim=(0, 1),
    title="Survival curves: members (thin) and the ensemble",
)
axes[0].legend()

km_time, km_survival = kaplan_meier_estimator(y_test["cens"], y_test["time"])
mean_curve = dist.sf(grid[:, None]).mean(axis=1)
axes[1].step(
    km_time,
    km_survival,
    where="post",
    color="black",
    label="Kaplan-Meier (held-out patients)",
)
axes[1].plot(grid, mean_curve, color="tab:blue", label="mean predicted S(t | x)")
axes[1].set(xlabel="days", ylim=(0, 1), title="Calibration in the large")
axes[1].legend()
fig.tight_layout()
fig.savefig("survival.png", dpi=100)
