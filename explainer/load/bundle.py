"""The :class:`Bundle` and :func:`load_bundle`: every file read, cross-file rules applied, every problem collected."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd
from pydantic import BaseModel

from .. import model as m
from .areas import AreaRow, complete_areas
from .articles import ARTICLES_DIR, DEFAULT_ARTICLE, article_files, check_article, check_id
from .cells import lost_looking, lost_since
from .crossfile import REFERENCES, _check_refs, _check_settlements, _ids, _of, _unique, _unique_broken
from .csvfile import Broken, read_csv
from .geojson import _index_by_date, read_geojson
from .hashing import records_hash
from .problems import ARTICLE_FILE, DATA_FILES, JSON, MANIFEST_FILE, SITE_FILE, DataError, Problem, Rows
from .prose import _on_line, _prose_dates
from .rereports import check_rereports
from .text import _SOURCES
from .yamlfile import _yaml_lines, read_yaml

DATED_KINDS = ("control", "advances")
WORLD = (-180.0, -90.0, 180.0, 90.0)  # the extent a countries layer may have (lon/lat degrees)


@dataclass(frozen=True)
class Bundle:
    """Everything the app shows, validated. Immutable; shared across sessions."""

    claimants: dict[str, m.Claimant]
    claims: tuple[m.Claim, ...]
    events: tuple[m.Event, ...]
    places: dict[str, m.Place]
    story: tuple[m.StoryStep, ...]
    changelog: tuple[m.ChangelogEntry, ...]
    article: m.Article
    site: m.Site
    manifest: m.GeoManifest
    layers: dict[str, JSON]  # static layer id -> FeatureCollection
    control: dict[str, dict[dt.date, JSON]]  # dated layer id -> date -> FeatureCollection
    areas: pd.DataFrame  # DeepState areas by date
    version: str  # short hash of the validated records (load/hashing.py: records_hash), not of the bytes
    warnings: tuple[Problem, ...] = ()
    rereports: tuple[m.Rereport, ...] = ()  # later reports repeating a claim's figure, oldest first
    claims_df: pd.DataFrame = field(default=None, repr=False)
    # every article checked against the data, by id, the default one (data/article.yaml) first;
    # ``article`` is the one this bundle shows (:meth:`with_article`)
    articles: dict[str, m.Article] = field(default_factory=dict)
    article_id: str = DEFAULT_ARTICLE

    @property
    def claim_by_id(self) -> dict[str, m.Claim]:
        return {c.id: c for c in self.claims}

    def with_article(self, article_id: str) -> Bundle:
        """The same data showing another of its articles (an unknown id: this bundle). Builders read
        ``bundle.article``; their caches are keyed by ``article_id`` too (figures/cache.py, ui/data.py)."""
        other = self.articles.get(article_id)
        if other is None or article_id == self.article_id:
            return self
        return replace(self, article=other, article_id=article_id)

    def layer(self, layer_id: str) -> m.Layer:
        return next(lyr for lyr in self.manifest.layers if lyr.id == layer_id)

    def dates(self, layer_id: str) -> list[dt.date]:
        return sorted(self.control.get(layer_id, {}))


def load_bundle(
    data_dir: Path | str,
    geo_dir: Path | str,
    sources: dict[Path, bytes] | None = None,
    previous: Callable[[], Bundle | None] | None = None,
) -> Bundle:
    """Read, validate and index everything; raise :class:`DataError` listing every problem.

    ``sources``, if given, receives the bytes of every file as read (what validated, if it did).
    ``previous``, if given, returns the last valid data (called only when a text holds a '?'):
    a text that had letters there and now has '?' lost them to a legacy-encoding save."""
    record: dict[Path, bytes] = {} if sources is None else sources
    token = _SOURCES.set(record)
    try:
        return _load_bundle(Path(data_dir), Path(geo_dir), record, previous)
    finally:
        _SOURCES.reset(token)


def _earlier(bundle: Bundle, fname: str) -> tuple[str, Iterable[m.Record]] | None:
    """The records of ``fname`` in an earlier bundle, with the column that identifies them."""
    tables: dict[str, tuple[str, Iterable[m.Record]]] = {
        "claimants.csv": ("id", bundle.claimants.values()),
        "claims.csv": ("id", bundle.claims),
        "events.csv": ("id", bundle.events),
        "places.csv": ("id", bundle.places.values()),
        "story.csv": ("step", bundle.story),
    }
    return tables.get(fname)


def _lost_letters(
    rows: dict[str, Rows], broken: dict[str, Broken], previous: Callable[[], Bundle | None] | None, rel: Callable[[str], str]
) -> list[Problem]:
    """Letters the last valid data had where the files now have '?' (see :func:`cells.lost_since`)."""
    suspects = [f for f, rs in rows.items() if any(isinstance(v, str) and lost_looking(v) for _, r in rs for _, v in r)]
    before = previous() if previous is not None and suspects else None
    if before is None:
        return []
    out: list[Problem] = []
    for f in suspects:
        earlier = _earlier(before, f)
        if earlier is not None:
            out.extend(lost_since(rel(f), rows[f], earlier[1], earlier[0], broken[f].encoding))
    return out


def _load_bundle(
    data_dir: Path, geo_dir: Path, record: dict[Path, bytes], previous: Callable[[], Bundle | None] | None
) -> Bundle:
    problems: list[Problem] = []
    warnings: list[Problem] = []

    def rel(folder: Path, name: str) -> str:
        return f"{folder.name}/{name}"

    today = dt.date.today()
    site = read_yaml(data_dir / SITE_FILE, rel(data_dir, SITE_FILE), m.Site, problems, warnings)
    window = site.dates.resolve(today) if site is not None else None
    ctx = {"window": window, "window_rule": "dates"}
    broken: dict[str, Broken] = {f: Broken() for f in DATA_FILES}  # rows present but invalid
    rows: dict[str, Rows] = {
        f: read_csv(data_dir / f, rel(data_dir, f), mdl, problems, warnings, broken[f], ctx) for f, mdl in DATA_FILES.items()
    }
    problems.extend(_lost_letters(rows, broken, previous, lambda f: rel(data_dir, f)))
    claim_rows, place_rows = _of(rows["claims.csv"], m.Claim), _of(rows["places.csv"], m.Place)
    article = read_yaml(data_dir / ARTICLE_FILE, rel(data_dir, ARTICLE_FILE), m.Article, problems, warnings, ctx)
    article_docs: list[tuple[m.Article, Path, str]] = []  # the further articles (data/articles/), as read
    for line, ch in _of(rows["changelog.csv"], m.ChangelogEntry):
        if ch.date > today:
            problems.append(
                Problem(
                    rel(data_dir, "changelog.csv"),
                    line,
                    "date",
                    f"date {ch.date.isoformat()} is in the future: a correction is dated the day it is made",
                )
            )

    claimants = {r.id: r for _, r in _of(rows["claimants.csv"], m.Claimant)}
    claims = {r.id: r for _, r in claim_rows}
    events = {r.id: r for _, r in _of(rows["events.csv"], m.Event)}
    places = {r.id: r for _, r in place_rows}
    for f in ("claimants.csv", "claims.csv", "events.csv", "places.csv", "rereports.csv"):
        _unique(rows[f], "id", rel(data_dir, f), problems)
        _unique_broken(rows[f], broken[f], rel(data_dir, f), problems)
    _unique(rows["story.csv"], "step", rel(data_dir, "story.csv"), problems, col="step")
    for src, col, target, what in REFERENCES:
        if rows[target] or broken[target].rows:  # a missing/unreadable target file is reported once, not per reference
            known = _ids(rows[target]) | broken[target].ids
            _check_refs(rows[src], rel(data_dir, src), col, known, what, problems, broken[src])
    check_rereports(rows["rereports.csv"], rel(data_dir, "rereports.csv"), claims, problems)
    others: dict[str, m.Article] = {}
    for aid, path in article_files(data_dir)[1:]:
        orel = f"{rel(data_dir, ARTICLES_DIR)}/{path.name}"
        if check_id(aid, orel, problems):
            other = read_yaml(path, orel, m.Article, problems, warnings, ctx)
            if other is not None:
                others[aid] = other
                article_docs.append((other, path, orel))
    if rows["claims.csv"]:
        rereports_by_id = {r.id: r for _, r in _of(rows["rereports.csv"], m.Rereport)}
        documents_checked = [(article, data_dir / ARTICLE_FILE, rel(data_dir, ARTICLE_FILE))] if article else []
        for adoc, path, arel in [*documents_checked, *article_docs]:
            lines = _yaml_lines(record.get(path))  # parsed again only when there is a problem
            cited = check_article(adoc, arel, lines, claims, broken["claims.csv"].ids, rereports_by_id, problems)
            if adoc is not article:
                continue
            for i, ac in enumerate(adoc.claims):
                for cid in ac.claim_ids:
                    if cid in claims and not claims[cid].in_article:
                        problems.append(
                            Problem(
                                arel,
                                lines(("claims", i, "claim_ids")),
                                f"claims.{ac.id}.claim_ids",
                                f"claim '{cid}' is cited but marked in_article=no in claims.csv",
                            )
                        )
            for line, c in claim_rows:
                if c.in_article and c.id not in cited:
                    problems.append(
                        Problem(
                            rel(data_dir, "claims.csv"),
                            line,
                            "in_article",
                            f"claim '{c.id}' is marked in_article=yes but {ARTICLE_FILE} does not cite it",
                        )
                    )

    manifest = read_yaml(geo_dir / MANIFEST_FILE, rel(geo_dir, MANIFEST_FILE), m.GeoManifest, problems, warnings)
    layers: dict[str, JSON] = {}
    control: dict[str, dict[dt.date, JSON]] = {}
    areas = pd.DataFrame()
    if manifest is not None:
        mrel = rel(geo_dir, MANIFEST_FILE)

        manifest_line = _yaml_lines(record.get(geo_dir / MANIFEST_FILE))  # parsed again only for a problem

        def mline(*loc: int | str) -> int | None:  # line of a key in the manifest
            return manifest_line(loc)

        bbox = manifest.region.bbox
        first_id: dict[str, int] = {}
        for i, lyr in enumerate(manifest.layers):
            if lyr.id in first_id:
                problems.append(
                    Problem(
                        mrel,
                        mline("layers", i, "id"),
                        f"layers.{i}.id",
                        f"duplicate layer id '{lyr.id}' (first is layers.{first_id[lyr.id]})",
                    )
                )
            first_id.setdefault(lyr.id, i)
        for i, lyr in enumerate(manifest.layers):
            if lyr.kind in DATED_KINDS and not lyr.date_field:
                problems.append(
                    Problem(
                        mrel, mline("layers", i, "kind"), f"layers.{i}.date_field", f"a '{lyr.kind}' layer needs a date_field"
                    )
                )
                continue
            if lyr.date_field and lyr.kind not in DATED_KINDS:
                problems.append(
                    Problem(
                        mrel,
                        mline("layers", i, "date_field"),
                        f"layers.{i}.date_field",
                        f"only {' and '.join(DATED_KINDS)} layers are dated; a '{lyr.kind}' layer needs date_field: null",
                    )
                )
                continue
            # countries are the context around the region (the locator inset shows them whole): any extent
            extent = WORLD if lyr.kind == "countries" else bbox
            doc = read_geojson(geo_dir / lyr.file, rel(geo_dir, lyr.file), lyr, extent, problems, warnings, window)
            if doc is None:
                continue
            if lyr.date_field:
                control[lyr.id] = _index_by_date(doc, lyr.date_field)
            else:
                layers[lyr.id] = doc
            if lyr.kind == "settlements" and rows["places.csv"]:
                _check_settlements(doc, rel(geo_dir, lyr.file), place_rows, rel(data_dir, "places.csv"), problems, warnings)
            if lyr.areas_file:
                arows = read_csv(geo_dir / lyr.areas_file, rel(geo_dir, lyr.areas_file), AreaRow, problems, warnings, context=ctx)
                _unique(arows, "date", rel(geo_dir, lyr.areas_file), problems, col="date")
                areas = pd.DataFrame([r.model_dump() for _, r in arows])
        if not any(lyr.kind == "control" for lyr in manifest.layers):
            problems.append(Problem(mrel, mline("layers"), "layers", "no layer of kind 'control'"))
        main = next((lyr.id for lyr in manifest.layers if lyr.kind == "control" and lyr.id in control), None)
        if main is not None and not problems:
            areas = complete_areas(areas, control[main])

    for f in DATA_FILES:
        for line, rec in rows[f]:
            warnings.extend(_prose_dates(rec, rel(data_dir, f), _on_line(line)))
    documents: tuple[tuple[BaseModel | None, Path, str], ...] = (
        (article, data_dir, ARTICLE_FILE),
        (site, data_dir, SITE_FILE),
        (manifest, geo_dir, MANIFEST_FILE),
    )
    for document, folder, name in documents:
        if document is not None:
            warnings.extend(_prose_dates(document, rel(folder, name), _yaml_lines(record.get(folder / name))))
    for adoc, path, arel in article_docs:
        warnings.extend(_prose_dates(adoc, arel, _yaml_lines(record.get(path))))

    if problems:
        raise DataError(sorted(problems, key=lambda p: (p.path, _sort_row(p.row), p.column or "")))
    # each of these reported a problem when it could not be read
    assert article is not None and site is not None and manifest is not None

    claims_t = tuple(sorted(claims.values(), key=lambda c: (c.date, c.id)))
    rereports_t = tuple(sorted((r for _, r in _of(rows["rereports.csv"], m.Rereport)), key=lambda r: (r.date, r.id)))
    events_t = tuple(sorted(events.values(), key=lambda e: (e.date, e.id)))
    story_t = tuple(sorted((r for _, r in _of(rows["story.csv"], m.StoryStep)), key=lambda s: s.step))
    changelog_t = tuple(sorted((r for _, r in _of(rows["changelog.csv"], m.ChangelogEntry)), key=lambda c: c.date, reverse=True))
    version = records_hash(
        {
            "claimants": claimants,
            "claims": claims_t,
            "events": events_t,
            "places": places,
            "story": story_t,
            "changelog": changelog_t,
            "article": article,
            **({"articles": others} if others else {}),  # the version of data without further articles is unchanged
            "rereports": rereports_t,
            "site": site,
            "manifest": manifest,
            "layers": layers,
            "control": control,
            "areas": areas.to_dict("records") if not areas.empty else [],
        }
    )
    return Bundle(
        claimants=claimants,
        claims=claims_t,
        events=events_t,
        places=places,
        story=story_t,
        changelog=changelog_t,
        article=article,
        site=site,
        manifest=manifest,
        layers=layers,
        control=control,
        areas=areas,
        version=version,
        warnings=tuple(warnings),
        rereports=rereports_t,
        claims_df=claims_frame(claims_t, claimants),
        articles={DEFAULT_ARTICLE: article, **others},
    )


def _sort_row(row: int | str | None) -> tuple[int, int, str]:
    if isinstance(row, int):
        return (0, row, "")
    return (1, 0, str(row or ""))


def claims_frame(claims: Iterable[m.Claim], claimants: dict[str, m.Claimant]) -> pd.DataFrame:
    """One row per claim, with claimant names and side, for figures and tables."""
    recs = []
    for c in claims:
        who = claimants.get(c.claimant)
        recs.append(
            {
                **c.model_dump(),
                "claimant_fr": who.name_fr if who else c.claimant,
                "claimant_en": who.name_en if who else c.claimant,
                "side": who.side if who else "other",
            }
        )
    df = pd.DataFrame(recs)
    if not df.empty:
        df["date"] = pd.to_datetime(df["date"])
    return df
