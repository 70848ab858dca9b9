"""The examples keep running: each script in examples/ runs to the end, saving a figure."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
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
def test_example_runs(script, tmp_path):
    # One thread for OpenMP and BLAS: the suite runs a worker per core, and an OpenMP
    # pool that waits on a busy core is what made the count example's
    # HistGradientBoostingRegressor fit take 18 s instead of 0.3 s.
    env = {**os.environ, **dict.fromkeys(THREAD_VARIABLES, "1")}
    result = subprocess.run(
        [sys.executable, str(script)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "nan" not in result.stdout.lower()
    assert list(tmp_path.glob("*.png")), "the example saved no figure"
    for text in EXPECTED_OUTPUT.get(script.stem, []):
        assert text in result.stdout
