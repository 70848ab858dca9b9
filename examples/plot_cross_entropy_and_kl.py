"""
Cross-entropy and KL divergence: minimising NLL is minimising KL
================================================================

For a data set with empirical distribution p-hat, the mean NLL of a model q is the
cross-entropy ``H(p-hat, q) = -E_p-hat[log q]``, and it splits into

    H(p-hat, q) = H(p-hat) + KL(p-hat || q),

the entropy of the data, which the model cannot change, plus the KL divergence from the
data to the model. So minimising the NLL minimises the KL divergence to the empirical
distribution, and the NLL can never go below the data's entropy.

Here x takes three values and y four, so p-hat(y | x) is a table of counts and every
term can be computed exactly. A ``CategoricalClassifier`` is trained for more and more
epochs (full batch, so every run follows the same deterministic path); at each stage
the NLL it reports equals H(p-hat) + KL(p-hat || q) to rounding.
"""

import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402

from skprob import CategoricalClassifier  # noqa: E402

warnings.simplefilter("ignore", ConvergenceWarning)  # short runs on purpose

rng = np.random.RandomState(0)
true_table = np.array(
    [[0.7, 0.1, 0.1, 0.1], [0.25, 0.25, 0.25, 0.25], [0.05, 0.15, 0.3, 0.5]]
)
x = rng.randint(0, 3, size=180)
y = np.array([rng.choice(4, p=true_table[group]) for group in x])
X = np.eye(3)[x]  # one-hot x: the model sees only which group a row is in

# The empirical distributions: p-hat(x) and p-hat(y | x) from counts.
counts = np.zeros((3, 4))
np.add.at(counts, (x, y), 1)
p_x = counts.sum(axis=1) / counts.sum()
p_y_given_x = counts / counts.sum(axis=1, keepdims=True)
with np.errstate(divide="ignore", invalid="ignore"):
    entropy = -np.sum(
        p_x[:, None] * np.where(counts > 0, p_y_given_x * np.log(p_y_given_x), 0)
    )

epochs = [1, 2, 5, 10, 20, 50, 100, 200, 400]
rows = []
for n_epochs in epochs:
    model = CategoricalClassifier(
        n_estimators=1,  # one model: its training NLL is what H + KL decomposes
        hidden_layer_sizes=(),
        learning_rate=0.05,
        max_epochs=n_epochs,
        weight_decay=0.0,
        tol=0.0,
        n_iter_no_change=n_epochs,
        random_state=0,
    ).fit(X, y)
    q = model.predict_proba(np.eye(3))  # q(y | x) for each x
    nll = -np.mean(np.log(q[x, y]))
    with np.errstate(divide="ignore", invalid="ignore"):
        kl = np.sum(
            p_x[:, None] * np.where(counts > 0, p_y_given_x * np.log(p_y_given_x / q), 0)
        )
    rows.append((n_epochs, nll, kl))

print(f"entropy of the data H(p-hat) = {entropy:.6f} nats")
print(f"{'epochs':>6}{'NLL':>10}{'KL':>10}{'NLL - (H + KL)':>17}")
for n_epochs, nll, kl in rows:
    print(f"{n_epochs:>6}{nll:>10.5f}{kl:>10.5f}{nll - (entropy + kl):>17.1e}")

fig, ax = plt.subplots(figsize=(7, 4.5))
_, nlls, kls = map(np.array, zip(*rows))
ax.plot(epochs, nlls, "o-", label="NLL = cross-entropy H(p-hat, q)")
ax.plot(epochs, kls, "s-", label="KL(p-hat || q)")
ax.axhline(entropy, color="k", linestyle=":", label="H(p-hat): the floor of the NLL")
ax.set(
    xscale="log",
    xlabel="training epochs",
    ylabel="nats per row",
    title="NLL = H(p-hat) + KL(p-hat || q) at every stage of training",
)
ax.legend()
fig.tight_layout()
fig.savefig("cross_entropy_and_kl.png", dpi=100)
