"""
Fitting: SGD, momentum, Nesterov and Adam
=========================================

Training minimises the NLL by gradient descent on mini-batches. The same
``CategoricalClassifier`` on the same data, started from the same weights
(``random_state=0``), trained by four optimizers for the same number of epochs:

- plain SGD: ``phi <- phi - alpha * grad``;
- SGD with momentum: a running average of gradients smooths the path;
- Nesterov momentum: the gradient is taken at the look-ahead point;
- Adam: per-parameter steps normalised by running moments of the gradient.

The curves are ``loss_curve_``: the mean NLL per row after each epoch.
"""

import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from sklearn.datasets import load_digits  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

from skprob import CategoricalClassifier  # noqa: E402

# Every run stops at a fixed 30 epochs on purpose, still improving.
warnings.simplefilter("ignore", ConvergenceWarning)

X, y = load_digits(return_X_y=True)
X = StandardScaler().fit_transform(X)
common = {
    "n_estimators": 1,  # one network: its loss curve is the optimizer's
    "hidden_layer_sizes": (64,),
    "max_epochs": 30,
    "batch_size": 64,
    "weight_decay": 0.0,
    "early_stopping": False,
    "n_iter_no_change": 30,  # run every epoch: the curves are the point
    "random_state": 0,
}
optimizers = {
    "SGD": {"optimizer": "sgd", "learning_rate": 0.01, "momentum": 0.0},
    "SGD + momentum 0.9": {"optimizer": "sgd", "learning_rate": 0.01, "momentum": 0.9},
    "SGD + Nesterov 0.9": {
        "optimizer": "sgd",
        "learning_rate": 0.01,
        "momentum": 0.9,
        "nesterov": True,
    },
    "Adam": {"optimizer": "adam", "learning_rate": 0.001},
}
fig, ax = plt.subplots(figsize=(7, 4.5))
print(f"{'optimizer':<22}{'NLL after 1 epoch':>18}{'after 30':>10}")
for name, params in optimizers.items():
    model = CategoricalClassifier(**common, **params).fit(X, y)
    curve = model.loss_curve_
    print(f"{name:<22}{curve[0]:>18.3f}{curve[-1]:>10.3f}")
    # Momentum and Nesterov nearly coincide here: a dashed line keeps both visible.
    style = "--" if "Nesterov" in name else "-"
    ax.plot(range(1, len(curve) + 1), curve, style, label=name)
ax.set(
    yscale="log",
    xlabel="epoch",
    ylabel="training NLL per row (log scale)",
    title="Same model, same start, four optimizers (digits)",
)
ax.legend()
fig.tight_layout()
fig.savefig("fitting_optimizers.png", dpi=100)
