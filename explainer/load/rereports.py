"""Rules between data/rereports.csv and data/claims.csv: a re-report's drift labels agree with what
it printed, where the files can tell.

- ``measure_changed`` iff the measure as reported differs from the origin claim's measure;
- ``scope_changed`` iff the scope as reported differs from the origin claim's (a report that states
  no scope, ``unspecified``, cannot be checked either way);
- ``stale`` only if the origin claim's claimant had made a newer claim for the same measure before the
  re-report's date;
- ``compressed`` only if the origin claim is a floor, a ceiling or a range (``at_least``, ``at_most``,
  ``range``) and the re-report prints one number (``exact`` or ``approx``).

That the origin claim exists is a reference rule (``crossfile.REFERENCES``); that ``none`` stands
alone is a rule of the row (``model.Rereport``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from .. import model as m
from .problems import Problem

SPANS = ("at_least", "at_most", "range")  # bounds that are not one number
ONE_NUMBER = ("exact", "approx")


def newer_claim(claims: dict[str, m.Claim], origin: m.Claim, before: dt.date) -> m.Claim | None:
    """The newest claim by the origin's claimant, for the origin's measure, made after the origin and
    before ``before`` (a date): what a re-report printing the origin's figure should have printed."""
    later = [
        c
        for c in claims.values()
        if c.claimant == origin.claimant and c.measure == origin.measure and c.has_number and origin.date < c.date < before
    ]
    return max(later, key=lambda c: (c.date, c.id), default=None)


def check_rereports(rows: Sequence[tuple[int, m.Record]], rel: str, claims: dict[str, m.Claim], problems: list[Problem]) -> None:
    """Every drift label that contradicts the re-report's own fields, on the row and in the column ``drift``."""
    for line, rec in rows:
        if not isinstance(rec, m.Rereport) or rec.origin not in claims:
            continue  # an unknown origin is reported as a reference
        origin, labels = claims[rec.origin], set(rec.drift)
        said: list[str] = []
        say = said.append

        for field in ("measure", "scope"):
            mine, theirs, label = getattr(rec, field), getattr(origin, field), f"{field}_changed"
            if field == "scope" and mine == "unspecified":  # a report that states no scope: nothing to compare
                if label in labels:
                    say(f"labelled {label}, but the scope as reported is 'unspecified': give the scope the report states")
            elif mine != theirs and label not in labels:
                say(f"{field} '{mine}' differs from {origin.id}'s '{theirs}': label it {label} (or correct the {field})")
            elif mine == theirs and label in labels:
                say(f"labelled {label}, but the {field} '{mine}' is {origin.id}'s own")
        if "stale" in labels and newer_claim(claims, origin, rec.date) is None:
            say(
                f"labelled stale, but {origin.claimant} made no newer '{origin.measure}' claim between "
                f"{origin.id} ({origin.date.isoformat()}) and the re-report ({rec.date.isoformat()})"
            )
        if "compressed" in labels and not (origin.bound in SPANS and rec.bound in ONE_NUMBER):
            say(
                f"labelled compressed, but {origin.id} is '{origin.bound}' and the re-report '{rec.bound}': "
                "compressed is a floor, ceiling or range printed as one number"
            )
        problems.extend(Problem(rel, line, "drift", message) for message in said)
        if rec.date < origin.date:
            problems.append(
                Problem(
                    rel,
                    line,
                    "date",
                    f"date {rec.date.isoformat()} is before {origin.id} ({origin.date.isoformat()}): "
                    "a re-report comes after the claim it repeats",
                )
            )
