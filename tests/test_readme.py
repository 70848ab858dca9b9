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


def _command_block(name):
    text = README.read_text()
    pattern = rf"<!-- {name} -->\n```bash\n(.*?)\n```\n<!-- /{name} -->"
    block = re.search(pattern, text, re.S)
    assert block, f"README.md has no {name} block"
    return block.group(1)


def test_cpu_only_route_installs_the_pinned_torch_from_pytorchs_cpu_index():
    pins = (README.parent / "constraints.txt").read_text()
    torch_pin = re.search(r"^torch==(\S+)$", pins, re.M).group(1)
    command = _command_block("cpu-only-command")
    first, second = command.split(" && pip install ", 2)[1:]
    assert first == (
        f"torch=={torch_pin} --index-url https://download.pytorch.org/whl/cpu"
    ), "torch first, alone, from PyTorch's CPU index"
    assert second.startswith("-c constraints.txt -e "), "then skprob under the same pins"
    # The quickstart command is the same but for the torch step.
    quickstart = _command_block("quickstart-command")
    assert command.replace(f"pip install {first} && ", "") == quickstart


def test_readme_does_not_claim_the_pin_selects_the_cpu_build():
    text = " ".join(README.read_text().split())
    assert "pins the CPU build" not in text
    assert "is the CUDA build" in text
