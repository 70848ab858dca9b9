"""Keep mutmut's verdicts in the repository, so that a fresh checkout resumes a run.

    python tests/mutation_state.py save     # mutants/**/*.meta -> mutation_state.json
    python tests/mutation_state.py restore  # the reverse, before ``mutmut run``

mutmut keeps each mutant's verdict, and a hash of each mutated function, in
``mutants/<path>.meta`` (ignored by git). Restored before a run, the verdicts of functions
whose hash is unchanged are kept and only changed functions and mutants not yet run are
tested (docs/development.rst, "Mutation testing").
"""

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATE = ROOT / "tests" / "mutation_state.json"
MUTANTS = ROOT / "mutants"
#: What a fresh run needs; the durations only order the work and are left out.
KEYS = ("exit_code_by_key", "hash_by_function_name")


def save():
    state = {}
    for meta in sorted(MUTANTS.rglob("*.meta")):
        data = json.loads(meta.read_text())
        state[str(meta.relative_to(MUTANTS))] = {key: data.get(key, {}) for key in KEYS}
    STATE.write_text(json.dumps(state, indent=0, sort_keys=True) + "\n")
    print(f"saved the verdicts of {len(state)} files to {STATE.relative_to(ROOT)}")


def restore():
    state = json.loads(STATE.read_text())
    # A generation that was interrupted (a session stopped mid-write) can leave a mutated
    # module empty; mutmut then takes it as up to date and no test can import it.
    # Removed, it is generated again, and the restored verdicts of unchanged functions
    # are kept.
    for empty in [path for path in MUTANTS.rglob("*.py") if path.stat().st_size == 0]:
        if empty.name != "__init__.py":
            empty.unlink()
            print(f"removed the empty {empty.relative_to(ROOT)}")
    for name, data in state.items():
        meta = MUTANTS / name
        meta.parent.mkdir(parents=True, exist_ok=True)
        empty = {"type_check_error_by_key": {}, "durations_by_key": {}}
        meta.write_text(json.dumps({**empty, "estimated_durations_by_key": {}, **data}))
    print(f"restored the verdicts of {len(state)} files into {MUTANTS.relative_to(ROOT)}/")


if __name__ == "__main__":
    {"save": save, "restore": restore}[sys.argv[1]]()
