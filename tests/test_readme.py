"""The README's Python snippets run as written."""

import re
from pathlib import Path

import pytest

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
    exec(compile(code, str(README), "exec"), {})
