"""What the piecewise-linear encoding costs a training step, in two implementations.

    python benchmarks/bench_encoding.py [--repeats 30]

A default ``HeteroscedasticRegressor`` is built on the first UCI power split (4 features,
about 14 bins each) and on yacht (6 features that take few values); on one training
batch of the 5-member ensemble, each contender runs the fixed map of the features (robust
scaling and soft clip), the encoding, and the first layer:

- "one product": the library's encoding, ``[z, z * a - b]`` by one matrix product, then
  the ramps' columns clamped;
- "gather": each bin's feature gathered, shifted, scaled and clamped, then joined to the
  features (five operators; the encoding before the product).

Both give the same first layer to float32's rounding (checked here). Interleaved rounds of
200 calls each on one thread; medians, and the ratio to the gather.
"""

import argparse
import warnings
from pathlib import Path

import numpy as np
import torch
from _timing import interleaved_medians, print_table

from skprob import HeteroscedasticRegressor

DATA = Path(__file__).parent / "data"
CALLS = 200


def gather_encoding(encoding, Z):
    ramps = torch.index_select(Z, -1, encoding.bin_features)
    ramps = ramps.sub_(encoding.bin_left).mul_(encoding.bin_inverse_width).clamp_(0, 1)
    return torch.cat([Z, ramps], dim=-1)


def contenders(name):
    data = np.load(DATA / f"{name}.npz")
    rows = data["train"][0]
    X, y = data["X"][rows].astype(float), data["y"][rows]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = HeteroscedasticRegressor(max_epochs=1, random_state=0).fit(X, y)
    module, batch_size = model.net_.module_, model.net_.batch_size
    n_members = module.n_members
    dtype = next(module.parameters()).dtype
    batch = torch.as_tensor(X[: n_members * batch_size], dtype=dtype)
    batch = batch.reshape(n_members, batch_size, -1)
    first_layer = module._hidden_layers[0][0]

    def run(encode):
        def calls():
            with torch.no_grad():
                for _ in range(CALLS):
                    first_layer.forward(encode(module.feature_map.forward(batch)))

        return calls

    with torch.no_grad():
        Z = module.feature_map.forward(batch)
        torch.testing.assert_close(
            module.encoding.forward(Z), gather_encoding(module.encoding, Z)
        )
    width = module.encoding.out_features
    shape = f"{n_members} members x {batch_size} rows, {width} inputs"
    return shape, {
        "one product": run(module.encoding.forward),
        "gather": run(lambda Z: gather_encoding(module.encoding, Z)),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args()
    torch.set_num_threads(1)
    print(f"torch {torch.__version__}, 1 thread; microseconds a step")
    for name in ("power", "yacht"):
        shape, calls = contenders(name)
        medians = interleaved_medians(calls, args.repeats)
        per_step = {key: seconds / CALLS * 1e6 for key, seconds in medians.items()}
        print_table(
            f"{name}: map, encoding, first layer; {shape}; us",
            per_step,
            "gather",
            args.repeats,
            unit="us",
        )


if __name__ == "__main__":
    main()
