"""Mutation score per module from mutmut's results (docs/development.rst).

    mutmut results --all true | python tests/mutation_score.py

Score = killed / (killed + survived + no tests), where a timeout counts as killed (the
mutant broke training badly enough to hang it) and "no tests" as not killed (no fast test
reaches the code). Mutants not yet run are counted apart.
"""

import re
import sys
from collections import Counter, defaultdict

KILLED = {"killed", "timeout"}
NOT_KILLED = {"survived", "no tests", "suspicious", "segfault"}


def module_of(mutant):
    # skprob.metrics._crps.x_crps_from_quantiles__mutmut_3 -> skprob.metrics._crps
    return re.sub(r"\.x[_ǁ].*$", "", mutant)


def main(lines):
    counts = defaultdict(Counter)
    for line in lines:
        if ": " not in line:
            continue
        mutant, status = line.strip().rsplit(": ", 1)
        counts[module_of(mutant)][status] += 1
    total = Counter()
    print(f"{'module':40s} {'killed':>7s} {'alive':>6s} {'score':>7s} {'not run':>8s}")
    for module in sorted(counts):
        total.update(counts[module])
        print(row(module, counts[module]))
    print(row("all", total))


def row(name, count):
    killed = sum(count[s] for s in KILLED)
    alive = sum(count[s] for s in NOT_KILLED)
    score = f"{100 * killed / (killed + alive):.1f}%" if killed + alive else "-"
    return f"{name:40s} {killed:7d} {alive:6d} {score:>7s} {count['not checked']:8d}"


if __name__ == "__main__":
    main(sys.stdin)
