"""The snippets of the interoperability page (docs/interop.rst) run as written."""

import re
from pathlib import Path

import pytest

PAGE = Path(__file__).parents[1] / "docs" / "interop.rst"


def _snippets():
    """Each ``.. code-block:: python`` body, dedented."""
    blocks = re.findall(
        r"\.\. code-block:: python\n\n((?:   .*\n|\n)+)", PAGE.read_text(), flags=re.M
    )
    return [re.sub(r"^   ", "", block, flags=re.M) for block in blocks]


SNIPPETS = _snippets()


def test_the_page_has_its_snippets():
    assert len(SNIPPETS) == 3
    assert all("import" in code for code in SNIPPETS)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("code", SNIPPETS, ids=["mapie_regression", "mapie_sets", "skpro"])
def test_interop_snippet_runs(code, capsys):
    library = re.search(r"^from (mapie|skpro)\b", code, flags=re.M).group(1)
    pytest.importorskip(library)
    exec(compile(code, str(PAGE), "exec"), {})
    printed = capsys.readouterr().out
    # The snippets print coverages, set sizes and a CRPS: numbers that make sense.
    coverages = [float(v) for v in re.findall(r"cover(?:age|s)? (\d\.\d\d)", printed)]
    assert all(0.7 <= c <= 1.0 for c in coverages), printed
    if library == "skpro":
        assert 20 < float(re.search(r"CRPS (\S+)", printed).group(1)) < 60, printed
