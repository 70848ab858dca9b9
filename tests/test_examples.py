"""The examples keep running: each script in examples/ runs to the end, saving a figure."""

import runpy
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from joblib import parallel_config  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

EXAMPLES = sorted((Path(__file__).parents[1] / "examples").glob("*.py"))

#: What each example must print, beyond running cleanly.
EXPECTED_OUTPUT = {
    "plot_cross_entropy_and_kl": ["entropy of the data", "NLL - (H + KL)"],
    "plot_model_selection": ["selected by", "spread across candidates"],
    "plot_binary_classification": ["held-out log loss", "held-out ECE"],
    "plot_multiclass_classification": ["held-out log loss", "held-out ECE"],
    "plot_multiple_outputs": ["temperature", "pressure"],
    "plot_fitting_optimizers": ["SGD + Nesterov", "Adam"],
    "plot_estimating_the_variance": ["HeteroscedasticRegressor", "noisy half"],
    "plot_mixture_density": ["HeteroscedasticRegressor", "MixtureDensityRegressor"],
    "plot_choosing_the_distribution": ["selected by", "lognormal", "GammaRegressor"],
    "plot_count_regression": ["selected by: negative_binomial", "PoissonRegressor"],
    "plot_least_squares_is_gaussian_nll": ["Gaussian NLL slope", "learned sigma"],
    "quickstart": [
        "GaussianRegressor",
        "HeteroscedasticRegressor",
        "BernoulliClassifier",
        "CategoricalClassifier",
        "PI coverage",
        "ECE",
    ],
}


@pytest.mark.parametrize("script", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_runs(script, tmp_path, monkeypatch, capsys):
    # In this process, as sphinx-gallery runs them: a new interpreter per script spent
    # seconds importing torch and scikit-learn again before the script's own work.
    # One thread for OpenMP and BLAS: the suite runs a worker per core, and an OpenMP
    # pool that waits on a busy core is what made the count example's
    # HistGradientBoostingRegressor fit take 18 s instead of 0.3 s.
    # joblib's sequential backend: a search with n_jobs=2 would start worker processes
    # that import torch again, while the suite already keeps every core busy
    # (tests/test_integration.py runs searches on worker processes).
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", [str(script)])
    try:
        with threadpool_limits(limits=1), parallel_config(backend="sequential"):
            runpy.run_path(str(script), run_name="__main__")
    finally:
        plt.close("all")
    output = capsys.readouterr().out
    assert "nan" not in output.lower()
    assert list(tmp_path.glob("*.png")), "the example saved no figure"
    for text in EXPECTED_OUTPUT.get(script.stem, []):
        assert text in output
