"""pydantic's validation errors in an editor's words, renamed fields included."""

from __future__ import annotations

import difflib
import functools
import re
import string
from collections.abc import Callable, Iterable
from typing import get_args

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from .. import i18n
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


# --------------------------------------------------------------------------- the older English messages in French

# Messages written in English where they are raised (the models' rules, the readers' checks): each has a
# catalogue key whose English text is the message with {placeholders}; the English is read back into its
# arguments and the message said again in the editor's language (Problem.message_in).
ENGLISH = (
    "check_required_empty",
    "check_required",
    "check_not_one_of_labels",
    "check_not_one_of",
    "check_negative",
    "check_not_real_date",
    "check_not_iso_date",
    "check_not_plain_number",
    "check_bad_form",
    "check_hint_slug",
    "check_hint_id",
    "check_not_url",
    "check_none_alone",
    "check_vertices",
    "check_crs",
    "check_layer_needs_date_field",
    "check_month_first",
    "check_became_link",
    "check_bound_equal",
    "check_bound_needs_empty",
    "check_range_order",
    "check_bound_needs",
    "check_unreadable_permission",
    "check_unreadable",
    "check_in_article_not_cited",
    "check_not_article_claim",
    "check_cited_not_in_article",
    "check_coord_source",
    "check_outside_window",
    "check_rereport_before",
    "check_duplicate_article_claim",
    "check_duplicate_layer",
    "check_file_too_big",
    "check_file_missing",
    "check_not_feature",
    "check_invalid_json_cut",
    "check_invalid_json",
    "check_properties_type",
    "check_second_snapshot",
    "check_area_number",
    "check_geometry_kind",
    "check_not_lonlat",
    "check_no_geometry",
    "check_invalid_geometry",
    "check_outside_region",
    "check_must_be_text",
    "check_field_count",
    "check_sep_commas",
    "check_sep_semicolons",
    "check_sep_tabs",
    "check_invalid_yaml",
    "check_is_folder",
    "check_link_outside",
    "check_label_unspecified",
    "check_label_stale",
    "check_label_compressed",
    "check_label_own",
    "check_label_differs",
    "check_same_place_far",
    "check_go_together",
    "check_measure_statement",
    "check_too_many_rows",
    "check_yes_no",
    "check_not_collection",
    "check_one_place",
    "check_dated_kinds",
    "check_no_line_end",
    "check_no_expected_columns",
    "check_renamed",
    "check_required_rereport",
    "check_unknown_claim",
    "check_value_order",
    "check_nested",
    "check_no_data_rows",
    "check_no_control_layer",
    "check_out_of_range",
    "check_needs_one",
    "check_rights_cleared",
    "check_rights_cleared_decision",
    "check_rights_only_cleared",
    "check_rights_open_decision",
    "check_rights_open_terms",
    "check_rights_risk",
)
LISTS = ("options", "labels", "digits", "expected", "kinds", "names", "ids")  # arguments that are lists ("a, b or c")


@functools.cache
def _patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(key, regex of its English text), the most literal text first (so that a specific message wins)."""
    en = i18n.catalogue("en")
    out = []
    for key in ENGLISH:
        parts, seen, literal = [], set(), 0
        for text, name, _spec, _conv in string.Formatter().parse(en[key]):
            parts.append(re.escape(text))
            literal += len(text)
            if name is not None:
                parts.append(f"(?P={name})" if name in seen else f"(?P<{name}>.+?)")
                seen.add(name)
        out.append((literal, key, re.compile("".join(parts), re.DOTALL)))
    return tuple((key, rx) for _, key, rx in sorted(out, key=lambda x: -x[0]))


def _bilingual(message: str, lang: str) -> str | None:
    from .text import MIXED_UTF8, SAVE_AS_UTF8, SAVE_AS_UTF8_TEXT

    if message in (MIXED_UTF8, SAVE_AS_UTF8, SAVE_AS_UTF8_TEXT):  # "English / French": the editor's half
        return message.split(" / ", 1)[1 if lang == "fr" else 0]
    return None


def translated(message: str, lang: str) -> str | None:
    """``message`` (an English message with no catalogue key) in ``lang``, or None when it has no French text."""
    half = _bilingual(message, lang)
    if half is not None:
        return half
    for key, rx in _patterns():
        found = rx.fullmatch(message)
        if found is None:
            continue
        cat = i18n.catalogue(lang)
        args = {}
        for name, value in found.groupdict().items():
            inner = translated(value, lang) if value != message else None  # a hint, a separator, a message inside
            if inner is None and name in LISTS:
                value = value.replace(" or ", cat["check_or"]).replace(" and ", cat["check_and"])
            args[name] = inner if inner is not None else value
        return i18n.t(lang, key, **args)
    return None
