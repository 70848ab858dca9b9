"""The README's Python snippets run as written."""

import re
from pathlib import Path

import pytest
from joblib import parallel_config

README = Path(__file__).parents[1] / "README.md"
# The dask recipe needs a cluster and the search defined before it: tests/test_dask.py
# runs it instead.
SNIPPETS = [
    code
    for code in re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)
    if "LocalCluster" not in code
]


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize(
    "code", SNIPPETS, ids=[f"snippet{i}" for i in range(len(SNIPPETS))]
)
def test_readme_snippet_runs(code):
    # joblib's sequential backend: the search's n_jobs=2 would start worker processes
    # that import torch again, while the suite already keeps every core busy
    # (tests/test_integration.py runs searches on worker processes).
    with parallel_config(backend="sequential"):
        exec(compile(code, str(README), "exec"), {})
