"""Stated quantities that sources disagree on: group FactClaims by subject and unit."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

from sitrep.model import Fact, FactClaim

# Values within 0.25% are one figure: a converted "840 miles" (1351.8 km) is the stated 1,350 km.
# Not 0.5%: 1,344 and 1,350 km (0.45% apart) are two different figures in the sources.
TOLERANCE = 0.0025


def _runs(values: Sequence[float]) -> list[list[float]]:
    """Split sorted values into runs that start at a value and hold everything within TOLERANCE of it."""
    runs: list[list[float]] = []
    for value in sorted(values):
        if runs and value <= runs[-1][0] * (1 + TOLERANCE) + 1e-12:
            runs[-1].append(value)
        else:
            runs.append([value])
    return runs


def group_facts(claims: Sequence[FactClaim]) -> list[Fact]:
    """Return one Fact per subject+unit whose claims give at least two different values.

    Within a run of near-equal values the most stated one stands for the run (ties: the smaller).
    Facts come sorted by subject and unit; values ascending, each with its sorted article ids.
    """
    by_subject: dict[tuple[str, str], list[FactClaim]] = defaultdict(list)
    for claim in claims:
        by_subject[(claim.subject, claim.unit)].append(claim)
    facts: list[Fact] = []
    for (subject, unit), group in sorted(by_subject.items()):
        runs = _runs([c.value for c in group])
        if len(runs) < 2:
            continue
        values = []
        for run in runs:
            stated = Counter(run)
            representative = min(stated, key=lambda v: (-stated[v], v))
            low, high = run[0], run[-1]
            ids = sorted({c.article_id for c in group if low <= c.value <= high})
            values.append((representative, tuple(ids)))
        ordered = tuple(sorted(group, key=lambda c: (c.article_id, c.start, c.value)))
        facts.append(Fact(subject=subject, unit=unit, values=tuple(values), claims=ordered))
    return facts
