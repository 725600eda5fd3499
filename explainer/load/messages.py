"""pydantic's validation errors in an editor's words, renamed fields included."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from typing import get_args

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from .. import model as m
from .problems import Problem

PATTERN_HINTS = {  # regexes from model.py, in words
    r"^[a-z0-9_]+$": "lowercase letters, digits and _ only, no spaces",
    r"^C\d{3,4}$": "C and 3 or 4 digits, e.g. C014",
    r"^E\d{3,4}$": "E and 3 or 4 digits, e.g. E010",
    r"^A\d{2,3}$": "A and 2 or 3 digits, e.g. A01",
}


def _friendly(err: ErrorDetails) -> str:
    """pydantic's error -> one short sentence an editor can act on."""
    t, ctx, value = err["type"], err.get("ctx") or {}, err.get("input")
    if t == "missing":
        return "required"
    if t == "string_too_short" and ctx.get("min_length") == 1:
        return "required (the cell is empty)"
    if t == "string_too_long":
        return f"too long: {len(str(value))} characters, at most {ctx['max_length']}"
    if t == "literal_error":
        return f"'{value}' is not one of: {ctx['expected'].replace(chr(39), '')}"
    if t == "string_pattern_mismatch":
        return f"'{value}' does not have the expected form ({PATTERN_HINTS.get(ctx['pattern'], ctx['pattern'])})"
    if t in ("int_parsing", "float_parsing", "int_type", "float_type"):
        return f"'{value}' is not a number"
    if t in ("greater_than_equal", "less_than_equal"):
        return f"{value} is out of range"
    if t == "value_error":
        return str(ctx.get("error", err["msg"]))
    if t == "extra_forbidden":
        return "unknown field"
    if t == "too_short":
        return "needs at least one entry"
    return str(err["msg"])


def guess(value: object, known: Iterable[str]) -> str | None:
    """The one known value an unknown one was surely meant to be (``kr_nsi`` -> ``kr_nis``), or None:
    close (difflib ratio 0.8 or more) and clearly closer than any other."""
    text = str(value).strip()
    scored = sorted(((difflib.SequenceMatcher(None, text, k).ratio(), k) for k in set(known) if k != text), reverse=True)
    if not scored or scored[0][0] < 0.8 or (len(scored) > 1 and scored[1][0] >= scored[0][0] - 0.05):
        return None
    return scored[0][1]


def with_guess(problem: Problem, value: object, known: Iterable[str]) -> Problem:
    """``problem`` with "did you mean …?" where one known value is surely meant."""
    found = guess(value, known)
    if found is None:
        return problem
    base = problem.message_in("fr"), problem.message
    return Problem(
        problem.path,
        problem.row,
        problem.column,
        f"{base[1]}; did you mean '{found}'?",
        "check_did_you_mean",
        (("message", base[0]), ("guess", found)),
    )


def _keyed(err: ErrorDetails) -> tuple[str, dict[str, object]] | None:
    """The catalogue key (``check_*``) and arguments of pydantic's error, for the messages that have
    a French text; None for the others (they stay in English)."""
    t, ctx, value = err["type"], err.get("ctx") or {}, err.get("input")
    if t == "missing":
        return "check_required", {}
    if t == "string_too_short" and ctx.get("min_length") == 1:
        return "check_required_empty", {}
    if t == "string_too_long":
        return "check_too_long", {"n": len(str(value)), "max": ctx["max_length"]}
    if t in ("int_parsing", "float_parsing", "int_type", "float_type"):
        return "check_not_a_number", {"value": value}
    if t == "extra_forbidden":
        return "check_unknown_field", {}
    return None


def renamed_message(new: tuple[str, ...]) -> str:
    """What an editor reads for a field of an older file that now has another name."""
    names = " and ".join(f"'{n}'" for n in new)
    return f"this field was renamed: write {names} instead (every translated field ends in _fr or _en)"


def _record_in(annotation: object) -> type[BaseModel] | None:
    """The record class inside a field's type (``Lead | None``, ``tuple[Layer, ...]``), if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _record_in(arg)
        if found is not None:
            return found
    return None


def _model_at(model: type[BaseModel], loc: tuple[int | str, ...]) -> type[BaseModel] | None:
    """The record class that the pydantic location ``loc`` (a path of keys and list positions) is in."""
    cur: type[BaseModel] | None = model
    for part in loc:
        if isinstance(part, int) or cur is None:
            continue
        fi = cur.model_fields.get(part)
        cur = _record_in(fi.annotation) if fi is not None else None
    return cur


def _renames(exc: ValidationError, model: type[BaseModel] | None) -> dict[tuple[int | str, ...], tuple[str, ...]]:
    """Former field names present in a document: their location -> the fields that replace them."""
    out: dict[tuple[int | str, ...], tuple[str, ...]] = {}
    if model is None:
        return out
    for err in exc.errors():
        loc = tuple(err["loc"])
        if err["type"] == "extra_forbidden" and loc:
            owner = _model_at(model, loc[:-1])
            new = owner.renamed.get(str(loc[-1])) if owner is not None and issubclass(owner, m.Record) else None
            if new:
                out[loc] = new
    return out


def _row_problems(
    exc: ValidationError,
    rel: str,
    row: int | str | None,
    loc_to_row: Callable[[tuple[int | str, ...]], int] | None = None,
    model: type[BaseModel] | None = None,
) -> Iterable[Problem]:
    renames = _renames(exc, model)
    replaced = {(*loc[:-1], n) for loc, new in renames.items() for n in new}  # "required" is implied by the rename
    for err in exc.errors():
        loc = tuple(err["loc"])
        if err["type"] == "missing" and loc in replaced:
            continue
        origin = (err.get("ctx") or {}).get("error")
        parts = origin.errors if isinstance(origin, m.RowErrors) else [origin]
        for part in parts:
            column = ".".join(str(p) for p in loc) if loc else None
            where_loc = loc
            if isinstance(part, m._FieldError):
                where_loc = loc + (part.column,)
                column = ".".join(str(p) for p in where_loc)
            where = loc_to_row(where_loc) if loc_to_row else row
            if loc in renames:
                message = renamed_message(renames[loc])
            elif isinstance(part, m._FieldError):
                message = part.message
            else:
                message = _friendly(err)
            if err["type"] == "literal_error" and loc not in renames:
                options = [
                    o.strip().strip("'") for o in str((err.get("ctx") or {}).get("expected", "")).replace(" or ", ", ").split(",")
                ]
                yield with_guess(Problem(rel, where, column, message), err.get("input"), options)
                continue
            keyed = _keyed(err) if message == _friendly(err) else None
            yield Problem(rel, where, column, message, *((keyed[0], tuple(keyed[1].items())) if keyed else ()))
