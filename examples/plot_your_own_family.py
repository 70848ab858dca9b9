"""
Your own family: a Rayleigh distribution in a few dozen lines
=============================================================

A family is one small class: a subclass of
:class:`~skprob.families.DistributionFamily` that says how many raw outputs the network
predicts per row, how they become the distribution's parameters (the links), the NLL,
a starting point, the moments and the user-facing scipy distribution. Passed as
``distribution=`` (the class, or an instance for options of its own), it trains, predicts,
clones, pickles and searches like a built-in one; with a ``log_survival`` it also takes
censored times in :class:`~skprob.SurvivalRegressor`.

Here: the Rayleigh distribution, the classic model of wind speeds (the length of a
two-dimensional Normal vector), ``p(y) = y / s^2 exp(-y^2 / (2 s^2))`` for y > 0, with the
scale ``s(x)`` through a log link. The simulated speeds' scale follows the hour of the day
and the site's exposure. The Rayleigh's one parameter fixes both its mean and its spread;
the held-out NLL compares it with the two-parameter Weibull, of which it is the special
case of shape 2.
"""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
from scipy import stats  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402

from skprob import DistributionRegressor  # noqa: E402
from skprob.families import DistributionFamily  # noqa: E402
from skprob.metrics import negative_log_likelihood  # noqa: E402


# --- the family --------------------------------------------------------------------
class Rayleigh(DistributionFamily):
    """Independent Rayleigh outputs with scale ``s_d(x) = exp(f[x])``, y > 0."""

    support = "positive"  # trained on y / its mean; "real" would standardise y
    location_params = ()  # nothing shifts with y's units...
    scale_params = ("scale",)  # ...the scale multiplies

    def __init__(self, n_targets=1):
        self.n_targets = n_targets

    @property
    def n_network_outputs(self):
        return self.n_targets  # one raw number a row and output: log s

    def params(self, raw):
        return {"scale": torch.exp(raw)}

    def torch_distribution(self, params):
        raise NotImplementedError("torch has no Rayleigh; the NLL is written out")

    def nll(self, raw, y):
        # -log p(y) = 2 log s - log y + y^2 / (2 s^2), summed over outputs.
        return (2 * raw - torch.log(y) + 0.5 * (y * torch.exp(-raw)) ** 2).sum(dim=1)

    def log_survival(self, raw, y):
        # log Pr(Y > y) = -y^2 / (2 s^2): censored times (SurvivalRegressor) need it.
        return -0.5 * ((y * torch.exp(-raw)) ** 2).sum(dim=1)

    def initial_raw(self, y, sample_weight):
        # The maximum-likelihood constant: s^2 = mean(y^2) / 2.
        return 0.5 * np.log(np.average(y**2, axis=0, weights=sample_weight) / 2)

    def moments(self, params):
        scale = params["scale"]
        return scale * np.sqrt(np.pi / 2), (4 - np.pi) / 2 * scale**2

    def scipy_distribution(self, params):
        return stats.rayleigh(scale=params["scale"])


# --- the data ------------------------------------------------------------------------
rng = np.random.RandomState(0)
n_rows = 3000
hour = rng.uniform(0, 24, size=n_rows)
exposure = rng.uniform(0, 1, size=n_rows)
scale = 2.0 + 3.0 * exposure + 1.5 * np.sin(2 * np.pi * (hour - 9) / 24)
speed = stats.rayleigh.rvs(scale=scale, random_state=rng)
X = np.column_stack(
    [np.sin(2 * np.pi * hour / 24), np.cos(2 * np.pi * hour / 24), exposure]
)
X_train, X_test, y_train, y_test = train_test_split(X, speed, random_state=0)

# --- fit, compare, plot --------------------------------------------------------------
rayleigh = DistributionRegressor(distribution=Rayleigh, random_state=0)
weibull = DistributionRegressor(distribution="weibull", random_state=0)
for name, model in (("Rayleigh", rayleigh), ("Weibull", weibull)):
    model.fit(X_train, y_train)
    nll = negative_log_likelihood(y_test, model.predict_dist(X_test))
    print(f"{name:8s} held-out NLL {nll:.4f}")

hours = np.linspace(0, 24, 97)
fig, ax = plt.subplots(figsize=(7, 4))
for level, colour in ((0.2, "tab:blue"), (0.9, "tab:red")):
    grid = np.column_stack(
        [np.sin(2 * np.pi * hours / 24), np.cos(2 * np.pi * hours / 24), np.full(97, level)]
    )
    dist = rayleigh.predict_dist(grid)
    low, high = dist.interval(0.8)
    ax.fill_between(hours, low, high, color=colour, alpha=0.2)
    ax.plot(hours, dist.mean(), color=colour, label=f"exposure {level}: mean, 80% interval")
    true_scale = 2.0 + 3.0 * level + 1.5 * np.sin(2 * np.pi * (hours - 9) / 24)
    ax.plot(hours, true_scale * np.sqrt(np.pi / 2), color=colour, linestyle="--")
ax.set(
    xlabel="hour of the day",
    ylabel="wind speed",
    title="A Rayleigh family of one's own (dashed: the true mean)",
)
ax.legend()
fig.tight_layout()
fig.savefig("your_own_family.png", dpi=100)
