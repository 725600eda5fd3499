"""Rules across files: unique ids, references from one file into another, settlements against places."""

from __future__ import annotations

from collections.abc import Sequence

from .. import model as m
from .csvfile import Broken
from .geojson import feature_name
from .messages import with_guess
from .problems import JSON, Problem, R, Rows

# The column that identifies a row of each file (unique: checked in bundle.py; the key of
# data/datapackage.json's tables)
PRIMARY_KEYS = {"claimants.csv": "id", "claims.csv": "id", "events.csv": "id", "places.csv": "id", "story.csv": "step"}
# (file, column, file it points into, what an editor calls it)
REFERENCES = (
    ("claims.csv", "claimant", "claimants.csv", "claimant"),
    ("events.csv", "place", "places.csv", "place"),
    ("events.csv", "claims", "claims.csv", "claim"),
    ("story.csv", "event_ids", "events.csv", "event"),
    ("rereports.csv", "origin", "claims.csv", "claim"),
)


def _of(rows: Rows, model: type[R]) -> list[tuple[int, R]]:
    """The rows of one file as records of their own model (every row of a file is one)."""
    return [(line, rec) for line, rec in rows if isinstance(rec, model)]


def _ids(rows: Rows, col: str = "id") -> set[str]:
    return {str(getattr(rec, col)) for _, rec in rows}


def _unique(rows: Rows, key: str, rel: str, problems: list[Problem], col: str = "id") -> None:
    first: dict[object, int] = {}
    for line, rec in rows:
        k = getattr(rec, key)
        if k in first:
            problems.append(_duplicate(rel, line, col, k, first[k]))
        else:
            first[k] = line


def _duplicate(rel: str, line: int, col: str, value: object, first: int) -> Problem:
    return Problem.said(rel, line, col, "check_duplicate", col=col, value=value, first=first)


def _check_refs(
    rows: Rows, rel: str, col: str, known: set[str], what: str, problems: list[Problem], broken: Broken | None = None
) -> None:
    for line, rec in rows:
        vals = getattr(rec, col)
        for v in vals if isinstance(vals, tuple) else (vals,):
            if v is not None and v not in known:
                problems.append(_unknown(rel, line, col, what, v, known))
    for line, raw, failed in broken.rows if broken else ():  # rows that failed their own checks
        if col in failed or col not in raw:
            continue
        for v in raw[col].split():
            if v not in known:
                problems.append(_unknown(rel, line, col, what, v, known))


def _unknown(rel: str, line: int, col: str, what: str, value: str, known: set[str]) -> Problem:
    found = Problem(
        rel,
        line,
        col,
        f"unknown {what} '{value}': not an id in {what}s.csv",
        "check_unknown_id",
        (("value", value), ("file", f"{what}s.csv")),
    )
    return with_guess(found, value, known)


def _unique_broken(rows: Rows, broken: Broken, rel: str, problems: list[Problem], col: str = "id") -> None:
    """Duplicate ids among rows that failed their own checks, too (an id is still an id)."""
    first = {str(getattr(rec, col)): line for line, rec in rows}
    for line, raw, failed in broken.rows:
        k = (raw.get(col) or "").strip()
        if not k or col in failed:
            continue
        if k in first and first[k] < line:
            problems.append(_duplicate(rel, line, col, k, first[k]))
        elif k in first:
            problems.append(_duplicate(rel, first[k], col, k, line))
        else:
            first[k] = line


SAME_PLACE_DEG = 0.02  # about 1.4 km east-west and 2.2 km north-south here


def _check_settlements(
    doc: JSON, grel: str, place_rows: Sequence[tuple[int, m.Place]], prel: str, problems: list[Problem], warnings: list[Problem]
) -> None:
    """A settlement drawn on the map and the place of the same id in places.csv (where events are
    pinned) must be the same point; a settlement that places.csv does not know is only a warning."""
    places = {rec.id: (line, rec) for line, rec in place_rows}
    for i, feat in enumerate(doc["features"]):
        pid = (feat.get("properties") or {}).get("id")
        lon, lat = feat["geometry"]["coordinates"][:2]
        if pid not in places:
            warnings.append(
                Problem(
                    grel,
                    feature_name(i, feat),
                    "id",
                    f"settlement '{pid}' has no row in places.csv: events cannot be pinned to it",
                )
            )
            continue
        line, rec = places[pid]
        if rec.lon is None or rec.lat is None:
            continue
        for col, mine, theirs in (("lon", rec.lon, lon), ("lat", rec.lat, lat)):
            if abs(mine - theirs) > SAME_PLACE_DEG:
                problems.append(
                    Problem(
                        prel,
                        line,
                        col,
                        f"{col} {mine} of '{pid}' is {abs(mine - theirs):.3f}° away "
                        f"from {grel} feature {i + 1} ({col} {theirs}): the map would show it twice",
                    )
                )
