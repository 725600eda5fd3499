"""``python -m explainer add-snapshot``: add, replace (``--replace``) or remove (``--remove``) one
control snapshot.

The one editor command that writes to ``geo/``. It shares the desk's code (``explainer.desk.snapshots``):
the file is read the same way (GeoJSON or a zipped shapefile), its geometry stored as ``geo/README.md``
says (2-D, rounded to 1e-5 degrees, RFC 7946 orientation), the new layer file checked with the
validator's rules and renamed over the old one atomically, so a reader never sees half a file. The
area is measured in an equal-area CRS; no area table row is needed. The source given is shown in the
map's caption for that date.
"""

from __future__ import annotations

from pathlib import Path

from .desk.snapshots import KINDS, SnapshotError, change, read_upload

__all__ = ["KINDS", "SnapshotError", "add_snapshot"]


def add_snapshot(
    file: Path | None,
    date: str,
    kind: str,
    geo_dir: Path,
    data_dir: Path,
    source: str | None = None,
    action: str = "add",
) -> str:
    """Add (or replace, or remove) the snapshot; return a one-line report. Raises :class:`SnapshotError`.

    The date must lie in the editors' date window (``data/site.yaml``), like every dated record."""
    polygon = None
    if action != "remove":
        if file is None:
            raise SnapshotError("no_file", "give the outline's file (GeoJSON or a zipped shapefile)")
        if not file.is_file():
            raise SnapshotError("no_file", f"{file.name}: file is missing")
        try:
            polygon = read_upload(file.name, file.read_bytes())
        except SnapshotError as e:
            raise SnapshotError(e.code, f"{file.name}: {e}", e.problems, **e.kw) from None
    return change(geo_dir, data_dir, action, date, kind, polygon, source)
