"""May the newsroom publish each map layer: the ``rights`` entries of ``geo/manifest.yaml``.

Publishing (``python -m explainer export``, ``desk publish``, the desk's Publish button) refuses a
layer whose rights are not cleared unless an editor's decision is recorded (geo/README.md: rights).
A decision is written here, into the manifest, in the form ``scripts/build_geo.py`` writes it, and
checked by the loader's own model before the file is replaced.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from . import model as m
from .load.problems import MANIFEST_FILE


class RightsError(Exception):
    """A decision that cannot be recorded (unknown layer, a layer that needs none, an invalid entry)."""


def blockers(manifest: m.GeoManifest) -> list[m.Layer]:
    """The layers publishing refuses: rights not cleared and no recorded decision."""
    return [lyr for lyr in manifest.layers if not lyr.rights.publishable]


def refusal(layers: list[m.Layer], how: str) -> str:
    """What a publishing command says when it refuses ``layers``; ``how`` is how to go on anyway."""
    names = ", ".join(f"{lyr.id} ({lyr.source_name or lyr.title_en})" for lyr in layers)
    first = layers[0].id
    return (
        f"refused: the rights of {len(layers)} map layer(s) are not cleared: {names}. Nothing was published. "
        f"Record permission in geo/manifest.yaml (rights: status: cleared, cleared_by, cleared_on, terms), or an "
        f'editor\'s decision to publish anyway: python -m explainer desk rights {first} --decide "REASON" --as NAME '
        f"(or the desk's rights section); {how} (geo/README.md: rights)"
    )


def describe(lyr: m.Layer) -> str:
    """One line per layer for editors: its status and, where there is one, the clearance or decision."""
    r = lyr.rights
    if r.status == "cleared":
        return f"{lyr.id}: cleared by {r.cleared_by} on {r.cleared_on}: {r.terms_en}"
    if r.status == "open_licence":
        return f"{lyr.id}: open licence: {r.terms_en}"
    if r.decision is None:
        return f"{lyr.id}: NOT cleared, no decision: publishing refuses it"
    d = r.decision
    return f"{lyr.id}: NOT cleared; published on the decision of {d.by} ({d.on}): {d.reason}"


def preview_notice(layers: list[m.Layer]) -> str:
    """The first line of an export written with uncleared layers (``--rights-preview``)."""
    names = ", ".join(f"{lyr.id} ({lyr.source_name or lyr.title_en})" for lyr in layers)
    return f"PREVIEW, not for publication: published WITHOUT cleared rights: {names} (geo/README.md: rights)"


def summary(manifest: m.GeoManifest) -> list[dict[str, Any]]:
    """Every layer's rights, for an export's manifest.json."""
    return [{"id": lyr.id, **lyr.rights.model_dump(mode="json", exclude_none=True)} for lyr in manifest.layers]


def read(geo: Path) -> m.GeoManifest | None:
    """The manifest of ``geo`` as its model reads it; None when it does not validate (validate says why)."""
    try:
        return m.GeoManifest.model_validate(yaml.safe_load((Path(geo) / MANIFEST_FILE).read_text("utf-8")))
    except (OSError, yaml.YAMLError, ValidationError):
        return None


# --------------------------------------------------------------------------- writing the manifest


class _FlowList(list[Any]):
    """A list written in flow style ([a, b, c]): the region's bbox, as the build writes it."""


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(_FlowList, lambda d, data: d.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True))


def dump(doc: dict[str, Any], head: str) -> str:
    """``doc`` as ``scripts/build_geo.py`` writes the manifest (same dumper settings), after ``head``."""
    region = doc.get("region")
    if isinstance(region, dict) and isinstance(region.get("bbox"), list):
        doc = {**doc, "region": {**region, "bbox": _FlowList(region["bbox"])}}
    body = yaml.dump(doc, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=10000, default_flow_style=False)
    return head + body


def _head(text: str) -> str:
    lines = text.splitlines(keepends=True)
    n = next((i for i, ln in enumerate(lines) if not ln.startswith("#")), len(lines))
    return "".join(lines[:n])


def _write(geo: Path, change: Any) -> m.Layer:
    path = Path(geo) / MANIFEST_FILE
    text = path.read_text("utf-8")
    doc = yaml.safe_load(text)
    if not isinstance(doc, dict) or not isinstance(doc.get("layers"), list):
        raise RightsError(f"{MANIFEST_FILE} has no layers: run python -m explainer validate")
    layer_id = change(doc)
    try:
        manifest = m.GeoManifest.model_validate(doc)
    except ValidationError as e:
        raise RightsError(f"{MANIFEST_FILE} would not be valid: {e.errors()[0]['msg']}") from e
    fd, tmp = tempfile.mkstemp(prefix=f".{MANIFEST_FILE}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(dump(doc, _head(text)))
        os.chmod(tmp, path.stat().st_mode & 0o777)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return next(lyr for lyr in manifest.layers if lyr.id == layer_id)


def _entry(doc: dict[str, Any], layer_id: str) -> dict[str, Any]:
    for lyr in doc["layers"]:
        if isinstance(lyr, dict) and lyr.get("id") == layer_id:
            rights = lyr.get("rights")
            if not isinstance(rights, dict):
                raise RightsError(f"layer '{layer_id}' has no rights entry: run python -m explainer validate")
            return rights
    known = ", ".join(str(lyr.get("id")) for lyr in doc["layers"] if isinstance(lyr, dict))
    raise RightsError(f"no layer '{layer_id}' in {MANIFEST_FILE} (layers: {known})")


def record_decision(geo: Path, layer_id: str, by: str, reason: str, on: dt.date) -> m.Layer:
    """Write an editor's decision to publish a not-cleared layer; returns the layer as now recorded."""
    by, reason = " ".join(by.split()), " ".join(reason.split())
    if not by or not reason:
        raise RightsError("a decision names who takes it and why (both required)")

    def change(doc: dict[str, Any]) -> str:
        rights = _entry(doc, layer_id)
        if rights.get("status") != "not_cleared":
            raise RightsError(f"layer '{layer_id}' is {rights.get('status')}: it needs no decision")
        rights["decision"] = {"by": by, "on": on.isoformat(), "reason": reason}
        return layer_id

    return _write(geo, change)


def withdraw_decision(geo: Path, layer_id: str) -> m.Layer:
    """Remove a recorded decision: publishing refuses the layer again."""

    def change(doc: dict[str, Any]) -> str:
        rights = _entry(doc, layer_id)
        if "decision" not in rights:
            raise RightsError(f"layer '{layer_id}' has no recorded decision")
        del rights["decision"]
        return layer_id

    return _write(geo, change)
