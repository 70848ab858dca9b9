"""Speed: skprob's fit and predict_dist against the same work done other ways.

    python benchmarks/bench_speed.py [--rows 20000] [--features 20] [--epochs 10]
                                     [--batch 200] [--repeats 9] [--load [N]]

Fit: an MLP (one hidden layer of 100 ReLU units) with a Gaussian NLL, Adam (lr 1e-3),
mini-batches of 200 shuffled rows, a fixed number of epochs and no early stopping, by
- a hand-written torch loop (the physical limit: batches sliced from tensors),
- skprob's GaussianRegressor,
- plain skorch (NeuralNet with its default Dataset/DataLoader),
- sklearn's MLPRegressor (same architecture, optimiser, batches and epochs; squared error).
float32 throughout, then skprob on float64 input (which ``compute_dtype="auto"`` trains
in float32 at this size) and trained in float64 to show what float64 costs, and skprob with
torch's default thread count (every core: what skprob did before it chose its own) and
with one thread forced by hand (``torch.set_num_threads(1)`` around the fit).

``--load [N]`` runs N CPU-bound competitor processes (busy loops; default 1) for the whole
run, as a ``GridSearchCV(n_jobs=2)``, a notebook beside a test run or a shared server
would.

Predict: predict_dist on 100,000 rows against a raw batched forward pass.
"""

import argparse
import warnings

import numpy as np
import torch
from _timing import busy_processes, interleaved_medians, print_table
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPRegressor
from skorch import NeuralNet
from torch import nn

from skprob import GaussianRegressor

HIDDEN, LR = 100, 1e-3
BATCH = 200  # set from --batch in main()


def make_data(n_rows, n_features, dtype=np.float32, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(n_rows, n_features)).astype(dtype)
    y = (np.sin(X[:, 0]) + X[:, 1] * X[:, 2] + 0.3 * rng.normal(size=n_rows)).astype(dtype)
    return X, y


class GaussianMLP(nn.Module):
    """The same network skprob builds: MLP for the mean, one learned log-variance."""

    def __init__(self, n_features):
        super().__init__()
        self.mean = nn.Sequential(
            nn.Linear(n_features, HIDDEN), nn.ReLU(), nn.Linear(HIDDEN, 1)
        )
        self.log_variance = nn.Parameter(torch.zeros(1))

    def forward(self, X):
        mean = self.mean(X)
        return torch.cat([mean, self.log_variance.expand_as(mean)], dim=1)


def gaussian_nll(output, y):
    mean, log_variance = output[:, 0], output[:, 1]
    return 0.5 * (log_variance + (y.reshape(-1) - mean) ** 2 / log_variance.exp()).mean()


def fit_raw_torch(X, y, epochs):
    torch.manual_seed(0)
    model = GaussianMLP(X.shape[1])
    optimizer = torch.optim.Adam(model.parameters(), lr=LR)
    X_t, y_t = torch.from_numpy(X), torch.from_numpy(y)
    generator = torch.Generator().manual_seed(0)
    for _ in range(epochs):
        order = torch.randperm(len(X_t), generator=generator)
        for start in range(0, len(X_t), BATCH):
            index = order[start : start + BATCH]
            optimizer.zero_grad()
            loss = gaussian_nll(model(X_t[index]), y_t[index])
            loss.backward()
            optimizer.step()
    return model


def fit_skprob(X, y, epochs, n_threads=None, compute_dtype="auto"):
    """skprob's fit of the same work; ``n_threads`` None lets skprob choose."""
    return GaussianRegressor(
        n_estimators=1,
        hidden_layer_sizes=(HIDDEN,),
        # The same network as the others: the default's piecewise-linear encoding
        # widens the first layer (its cost is in bench_uci's and bench_large_fit's times).
        numeric_embedding="none",
        learning_rate=LR,
        batch_size=BATCH,
        max_epochs=epochs,
        weight_decay=0.0,
        early_stopping=False,
        n_iter_no_change=epochs + 1,
        random_state=0,
        n_threads=n_threads,
        compute_dtype=compute_dtype,
    ).fit(X, y)


def fit_skprob_one_thread_by_hand(X, y, epochs):
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        return fit_skprob(X, y, epochs)
    finally:
        torch.set_num_threads(before)


def fit_plain_skorch(X, y, epochs):
    torch.manual_seed(0)
    return NeuralNet(
        GaussianMLP,
        module__n_features=X.shape[1],
        criterion=lambda: gaussian_nll,
        optimizer=torch.optim.Adam,
        lr=LR,
        batch_size=BATCH,
        max_epochs=epochs,
        train_split=None,
        iterator_train__shuffle=True,
        verbose=0,
    ).fit(X, y)


def fit_sklearn_mlp(X, y, epochs):
    return MLPRegressor(
        hidden_layer_sizes=(HIDDEN,),
        solver="adam",
        learning_rate_init=LR,
        batch_size=BATCH,
        max_iter=epochs,
        alpha=0.0,
        tol=0.0,
        n_iter_no_change=epochs + 1,
        random_state=0,
    ).fit(X, y)


def raw_predict(model, X, batch_size=8192):
    X_t = torch.from_numpy(X)
    with torch.no_grad():
        out = torch.cat(
            [model(X_t[i : i + batch_size]) for i in range(0, len(X_t), batch_size)]
        )
    return out[:, 0].numpy(), (0.5 * out[:, 1]).exp().numpy()


def main():
    global BATCH
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--features", type=int, default=20)
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--predict-rows", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument("--batch", type=int, default=BATCH)
    parser.add_argument(
        "--load",
        type=int,
        nargs="?",
        const=1,
        default=0,
        help="run this many CPU-bound competitor processes meanwhile (default 1)",
    )
    args = parser.parse_args()
    BATCH = args.batch
    with busy_processes(args.load):
        run(args)


def run(args):
    warnings.simplefilter("ignore", ConvergenceWarning)
    default_threads = torch.get_num_threads()
    print(
        f"torch {torch.__version__}, {default_threads} threads by default; "
        f"{args.rows} x {args.features} rows, {args.epochs} epochs, batch {BATCH}; "
        f"{f'{args.load} CPU-bound competitor(s) running' if args.load else 'idle machine'}"
    )

    X, y = make_data(args.rows, args.features)
    X64, y64 = X.astype(np.float64), y.astype(np.float64)
    fits = {
        "raw torch loop (float32)": lambda: fit_raw_torch(X, y, args.epochs),
        "skprob (float32)": lambda: fit_skprob(X, y, args.epochs),
        "plain skorch (float32)": lambda: fit_plain_skorch(X, y, args.epochs),
        "sklearn MLPRegressor (float32)": lambda: fit_sklearn_mlp(X, y, args.epochs),
        "skprob (float64 input)": lambda: fit_skprob(X64, y64, args.epochs),
        "skprob (float64 training)": lambda: fit_skprob(
            X64, y64, args.epochs, compute_dtype="float64"
        ),
        "skprob, 1 thread by hand (float32)": lambda: fit_skprob_one_thread_by_hand(
            X, y, args.epochs
        ),
        f"skprob, {default_threads} threads (float32)": lambda: fit_skprob(
            X, y, args.epochs, default_threads
        ),
    }
    for fit in fits.values():  # warm-up: imports, allocator, thread pools
        fit()
    medians = interleaved_medians(fits, args.repeats)
    print_table("fit", medians, "raw torch loop (float32)", args.repeats)

    X_new, _ = make_data(args.predict_rows, args.features, seed=1)
    raw_model = fit_raw_torch(X, y, 1)
    skprob_model = fit_skprob(X, y, 1)
    predicts = {
        "raw batched forward": lambda: raw_predict(raw_model, X_new),
        "skprob predict_dist": lambda: skprob_model.predict_dist(X_new),
        "skprob predict": lambda: skprob_model.predict(X_new),
    }
    for predict in predicts.values():
        predict()
    medians = interleaved_medians(predicts, args.repeats * 2)
    print_table(
        f"predict on {args.predict_rows} rows",
        medians,
        "raw batched forward",
        args.repeats * 2,
    )


if __name__ == "__main__":
    main()
