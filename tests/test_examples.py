"""The examples keep running: each script in examples/ runs to the end and saves its figure."""

import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = sorted((Path(__file__).parents[1] / "examples").glob("*.py"))


@pytest.mark.parametrize("script", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_runs(script, tmp_path):
    result = subprocess.run(
        [sys.executable, str(script)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "nan" not in result.stdout.lower()
    assert list(tmp_path.glob("*.png")), "the example saved no figure"


def test_quickstart_prints_all_four_estimators(tmp_path):
    script = Path(__file__).parents[1] / "examples" / "quickstart.py"
    out = subprocess.run(
        [sys.executable, str(script), str(tmp_path / "q.png")],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    ).stdout
    for name in (
        "GaussianRegressor",
        "HeteroscedasticRegressor",
        "BernoulliClassifier",
        "CategoricalClassifier",
    ):
        assert name in out
    assert "PI coverage" in out
    assert "ECE" in out
