"""Areas of control per date: the published table, completed from the geometry in an equal-area CRS."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pandas as pd

from .. import model as m
from .problems import JSON


class AreaRow(m.Record):
    date: m.Date
    ua_controlled_km2: float
    grey_zone_km2: float
    ua_plus_grey_km2: float
    snapshot_utc: m.OptText40


AREA_CRS = "EPSG:6933"  # equal-area (WGS 84 / NSIDC EASE-Grid 2.0 Global): the CRS of the source figures
AREA_COLUMNS = ("date", "ua_controlled_km2", "grey_zone_km2", "ua_plus_grey_km2", "snapshot_utc")


def polygon_areas_km2(geometries: Iterable[JSON]) -> list[float]:
    """Areas of GeoJSON geometries (WGS84) in km², measured in an equal-area CRS, to 0.1 km²."""
    import geopandas as gpd
    from shapely.geometry import shape

    geoms = [shape(g) for g in geometries]
    if not geoms:
        return []
    return [round(float(a), 1) for a in gpd.GeoSeries(geoms, crs="EPSG:4326").to_crs(AREA_CRS).area / 1e6]


def complete_areas(areas: pd.DataFrame, by_date: dict[dt.date, JSON]) -> pd.DataFrame:
    """The area table, with every control date it lacks computed from the geometry (and every
    feature without ``area_km2`` given its computed area). The table's own rows are kept as
    published; see geo/README.md for how far computed and published areas agree."""
    have = set(areas["date"]) if not areas.empty else set()
    todo = [
        (d, f) for d, fc in by_date.items() for f in fc["features"] if d not in have or f["properties"].get("area_km2") is None
    ]
    if not todo:
        return areas
    computed = polygon_areas_km2(f["geometry"] for _, f in todo)
    new: dict[dt.date, JSON] = {}
    for (d, f), a in zip(todo, computed):
        if f["properties"].get("area_km2") is None:
            f["properties"]["area_km2"] = a
        if d not in have:
            row = new.setdefault(d, {"date": d, "ua_controlled_km2": 0.0, "grey_zone_km2": 0.0, "snapshot_utc": None})
            row[f"{f['properties']['kind']}_km2"] += a
    for row in new.values():
        row["ua_plus_grey_km2"] = round(row["ua_controlled_km2"] + row["grey_zone_km2"], 1)
    added = pd.DataFrame(list(new.values()), columns=list(AREA_COLUMNS))
    out = added if areas.empty else pd.concat([areas, added], ignore_index=True)
    return out.sort_values("date", kind="stable").reset_index(drop=True)
