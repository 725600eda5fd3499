#!/usr/bin/env python3
"""Build the editor-owned CSV files in data/ from the research desk's files.

Reads  ../shared/research/{claims,events,places}.csv  (relative to the repository root)
       ../shared/research/update-2025-2026/{claims,events,rereports}.csv  (the update to the end of 2025)
and    ../shared/geo-sources/settlements.geojson       (GeoNames coordinates)
Writes data/claimants.csv, data/claims.csv, data/events.csv, data/places.csv, data/rereports.csv

The update folder is read as a continuation of the first research delivery: its claims (C087-) and
events (E049-) are appended to the first ones and go through the same tables, and its re-reports
become data/rereports.csv. Rows added after the first build are therefore built like the others,
so that `--check` keeps proving that every row of data/ (old or new) is the research material plus
the reviewed tables, byte for byte; hand edits that are not in the tables show up as differences.
Each research folder is listed in UPDATES; a later delivery is one more folder name there.

Everything that is not in the research files (claimant ids, the mapping of research
`subject` + `unit` to `measure` / `bound` / `scope` / `cumulative`, French
translations, place ids) is written out in scripts/build_data.yaml beside this script,
so the derivation can be reviewed line by line.

After the first run the CSV files belong to the editors, who edit them by hand.
The script therefore refuses to overwrite existing files unless --force is given.

    python scripts/build_data.py            # write missing files only
    python scripts/build_data.py --force    # rebuild all four files (discards hand edits)
    python scripts/build_data.py --check    # build in memory and compare with data/

Standard library and PyYAML.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import re
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository root, for explainer.paths
from explainer.i18n import date as date_in_words  # noqa: E402
from explainer.paths import DATA  # noqa: E402
from explainer.paths import SHARED as DEFAULT_SHARED

SEED = "seed:000_a038026e3294ffc2.txt"

# The hand-written tables (claimants, claim mapping, places, events) live beside this script in
# build_data.yaml, so that an editor reviews data, not Python.
TABLES = yaml.safe_load((Path(__file__).with_suffix(".yaml")).read_text(encoding="utf-8"))
SEED = TABLES["seed"]
SEED_CLAIMS = set(TABLES["seed_claims"])
CLAIMANTS: dict[str, dict] = TABLES["claimants"]
CLAIM_DEFAULTS = {
    "via": "",
    "quote_lang": "en",
    "note_en_extra": "",
    "note_fr": "",
    "value_low": None,
    "value_high": None,
    "doubt_fr": "",
    "doubt_en": "",
}
C = {cid: {**CLAIM_DEFAULTS, **m} for cid, m in TABLES["claims"].items()}
PLACES: list[dict] = TABLES["places"]
EVENTS: dict[str, dict] = TABLES["events"]
READERS_WORDS: list[list[str]] = TABLES.get("readers_words", [])
REREPORTS: dict[str, dict] = TABLES["rereports"]
UPDATES = ("update-2025-2026",)  # research deliveries after the first, in order (folders of ../shared/research)

CLAIM_COLS = [
    "id",
    "date",
    "claimant",
    "measure",
    "value_low",
    "value_high",
    "bound",
    "scope",
    "cumulative",
    "via",
    "quote",
    "quote_lang",
    "outlet",
    "source_url",
    "in_article",
    "verification",
    "note_fr",
    "note_en",
    "doubt_fr",
    "doubt_en",
]
REREPORT_COLS = [
    "id",
    "date",
    "outlet",
    "url",
    "quote",
    "figure",
    "figure_fr",
    "value_low",
    "value_high",
    "bound",
    "measure",
    "scope",
    "attributed_to",
    "attributed_to_fr",
    "origin",
    "drift",
    "note_fr",
    "note_en",
]
CLAIMANT_COLS = ["id", "name_fr", "name_en", "short_fr", "short_en", "side", "kind", "description_fr", "description_en"]
EVENT_COLS = [
    "id",
    "date",
    "date_precision",
    "category",
    "title_fr",
    "title_en",
    "summary_fr",
    "summary_en",
    "place",
    "source_url",
    "in_article",
    "claims",
]
PLACE_COLS = ["id", "name_fr", "name_en", "name_local", "local_lang", "kind", "lon", "lat", "coord_source"]


def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def join_note(research: str, extra: str) -> str:
    research, extra = research.strip(), extra.strip()
    if research and extra:
        sep = " " if research.endswith(".") else " — "
        return research + sep + extra
    return research or extra


ISO_DATE = re.compile(r"(?<![\d-])\d{4}-\d{2}-\d{2}(?![\d-])")
URL = re.compile(r"https?://\S+")


def dates_in_words(text: str, lang: str) -> str:
    """The research notes write dates as YYYY-MM-DD; readers' prose has them in words, in the text's
    language (explainer.i18n: '4 février 2025', '4 February 2025'). URLs are left as they are."""

    def words(part: str) -> str:
        return ISO_DATE.sub(lambda mt: date_in_words(dt.date.fromisoformat(mt.group(0)), lang), part)

    out, last = [], 0
    for mt in URL.finditer(text):
        out += [words(text[last : mt.start()]), mt.group(0)]
        last = mt.end()
    return "".join(out) + words(text[last:])


def sep_after_url(text: str) -> str:
    """In hand-written French notes, put ' — ' between a URL and a following sentence."""
    return re.sub(r"(https?://\S+[^\s.)]) (?=[A-ZÀ-Ý«])", r"\1 — ", text)


def build_claims(research_rows: list[dict]) -> list[list[str]]:
    out = []
    ids = [r["claim_id"] for r in research_rows]
    assert sorted(C) == sorted(ids), set(C) ^ set(ids)
    for r in research_rows:
        cid = r["claim_id"]
        m = C[cid]
        lo = r["value_low"] if m["value_low"] is None else m["value_low"]
        hi = r["value_high"] if m["value_high"] is None else m["value_high"]
        b = m["bound"]
        if b in ("exact", "approx"):
            assert lo and hi and float(lo) == float(hi), (cid, lo, hi)
        elif b == "at_least":
            assert lo, cid
            hi = ""
        elif b == "at_most":
            hi = hi or lo
            lo = ""
            assert hi, cid
        elif b == "range":
            assert lo and hi and float(lo) < float(hi), cid
        elif b == "none":
            lo = hi = ""
        assert m["claimant"] in CLAIMANTS, cid
        in_article = "yes" if cid in SEED_CLAIMS else "no"
        assert (r["in_seed_article"] == "yes") == (in_article == "yes"), cid
        out.append(
            [
                cid,
                r["claim_date"],
                m["claimant"],
                m["measure"],
                lo,
                hi,
                b,
                m["scope"],
                m["cumulative"],
                m["via"],
                r["quote"],
                m["quote_lang"],
                r["reported_by"],
                r["source_url"],
                in_article,
                r["verification"].replace("-", "_"),
                sep_after_url(m["note_fr"]),
                join_note(dates_in_words(r["notes"], "en"), m["note_en_extra"]),
                m["doubt_fr"],
                m["doubt_en"],
            ]
        )
    return out


def build_events(research_rows: list[dict], place_ids: set[str], claim_ids: set[str]) -> list[list[str]]:
    out = []
    assert sorted(EVENTS) == sorted(r["event_id"] for r in research_rows)
    for r in research_rows:
        e = EVENTS[r["event_id"]]
        place, claims, title_fr, summary_fr = e["place"], e["claims"], e.get("title_fr"), e["summary_fr"]
        assert not place or place in place_ids, (r["event_id"], place)
        assert all(c in claim_ids for c in claims.split()), r["event_id"]
        out.append(
            [
                r["event_id"],
                r["date"],
                r["date_precision"],
                r["category"],
                (title_fr or r["title_fr"]).replace("\u2019", "'"),  # one apostrophe style in French texts
                r["title_en"],
                summary_fr,
                dates_in_words(r["description_en"], "en"),
                place,
                r["source_url"],
                r["in_seed_article"],
                claims,
            ]
        )
    return out


def build_places(research_rows: list[dict], geojson: dict) -> list[list[str]]:
    research = {r["place_id"]: r for r in research_rows}
    used = {p["research_id"] for p in PLACES if p["research_id"]}
    assert used == set(research), set(research) ^ used
    feats = {f["properties"]["name_en"]: f for f in geojson["features"]}
    out = []
    for p in PLACES:
        pid, rid, gname = p["id"], p["research_id"], p.get("geojson_name_en", "")
        name_fr, name_en, name_local, lang, kind = (p[k] for k in ("name_fr", "name_en", "name_local", "local_lang", "kind"))
        lon = lat = src = ""
        if gname:
            f = feats[gname]
            lon, lat = (repr(float(v)) for v in f["geometry"]["coordinates"])
            props = f["properties"]
            if "geonameid" in props:
                src = f"GeoNames cities500, geonameid {props['geonameid']}"
                if rid and research[rid]["lat"]:
                    rr = research[rid]
                    src += f"; agrees with research places.csv {rid} (lat {rr['lat']}, lon {rr['lon']}, {rr['coord_source_url']})"
            else:  # Kursk NPP
                src = (
                    "GeoNuclearData (github.com/cristianst85/GeoNuclearData, nuclear_power_plants.csv, rows "
                    "Kursk-1..4; upstream WNA/IAEA PRIS; ODbL 1.0), via ../shared/geo-sources/settlements.geojson"
                )
        elif rid and research[rid]["lat"]:
            rr = research[rid]
            lon, lat, src = rr["lon"], rr["lat"], rr["coord_source_url"]
        out.append([pid, name_fr, name_en, name_local, lang, kind, lon, lat, src])
    ids = [r[0] for r in out]
    assert len(ids) == len(set(ids))
    return out


# The research writes a re-reported figure with its qualifier words ("more than 6000"); the bound
# they give, in claims.csv's terms. A figure that is not one number ("nearly half of some 11000") has none.
FIGURE_WORDS = (
    (re.compile(r"^(?:more than|at least|over) (\d+)$"), "at_least"),
    (re.compile(r"^(?:about|around|some) (\d+)$"), "approx"),
    (re.compile(r"^(\d+)$"), "exact"),
)
# research measure words -> claims.csv measures (where a row's table does not say otherwise)
REPORTED_MEASURE = {"troops_sent": "troops_deployed", "troops_present": "troops_present"}


def figure_bound(figure: str) -> tuple[str, str, str]:
    """(value_low, value_high, bound) of a figure as printed."""
    for pattern, bound in FIGURE_WORDS:
        found = pattern.match(figure.strip())
        if found:
            v = found.group(1)
            return (v, "" if bound == "at_least" else v, bound)
    return ("", "", "none")


def figure_fr(figure: str) -> str:
    """A re-reported figure's qualifier words in French ('more than 6000' -> 'plus de 6000')."""
    for en, fr in TABLES["rereport_figure_fr"]:
        if figure.startswith(en):
            return fr + figure[len(en) :]
    assert re.fullmatch(r"\d+", figure), f"no French words for the figure {figure!r} (build_data.yaml: rereport_figure_fr)"
    return figure


def ids_in_words(text: str, lang: str, claim_dates: dict[str, str], outlets: dict[str, str]) -> str:
    """The research's notes point at its rows by id ('(C090)', 'R013–R015'); readers see the day of a
    claim and the outlet of a re-report instead: '(2 September 2025)', 'UNN (Yonhap), … and …'."""
    from babel.lists import format_list

    locale = "fr_CH" if lang == "fr" else "en"

    def day(cid: str) -> str:
        return date_in_words(dt.date.fromisoformat(claim_dates[cid]), "fr-CH" if lang == "fr" else "en")

    def span(m: re.Match) -> str:
        first, last = int(m.group(1)), int(m.group(2))
        ids = [f"R{i:03d}" for i in range(first, last + 1)]
        return format_list([outlets[i] for i in ids], locale=locale)

    text = re.sub(r"\bR(\d{3})(?:–| à | to )R(\d{3})\b", span, text)
    text = re.sub(r"\b(R\d{3})\b", lambda m: outlets[m.group(1)], text)
    text = re.sub(r"\((C\d{3}), (?=\d)", "(", text)  # '(C090, 2 September 2025)': the day is there already
    return re.sub(r"\b(C\d{3})\b", lambda m: day(m.group(1)), text)


def build_rereports(research_rows: list[dict], claim_ids: set[str], claim_dates: dict[str, str] | None = None) -> list[list[str]]:
    out = []
    outlets = {r["report_id"]: r["outlet"] for r in research_rows}
    dates = claim_dates or {}

    def words(text: str, lang: str) -> str:
        return ids_in_words(text, lang, dates, outlets) if dates else text

    assert sorted(REREPORTS) == sorted(r["report_id"] for r in research_rows), set(REREPORTS) ^ {
        r["report_id"] for r in research_rows
    }
    for r in research_rows:
        rid, t = r["report_id"], REREPORTS[r["report_id"]]
        assert r["origin_claim_id"] in claim_ids, rid
        lo, hi, bound = figure_bound(r["figure_as_reported"])
        measure = t.get("measure") or REPORTED_MEASURE.get(r["measure_as_reported"], r["measure_as_reported"])
        drift = t.get("drift") or r["drift"]
        out.append(
            [
                rid,
                r["report_date"],
                r["outlet"],
                r["url"],
                r["quote"],
                r["figure_as_reported"],
                figure_fr(r["figure_as_reported"]),
                lo,
                hi,
                bound,
                measure,
                r["scope_as_reported"],
                r["attributed_to"],
                TABLES["rereport_attributed_fr"][r["attributed_to"]] if r["attributed_to"] else "",
                r["origin_claim_id"],
                drift,
                words(sep_after_url(t["note_fr"]), "fr"),
                words(join_note(dates_in_words(r["notes"], "en"), t.get("note_en_extra", "")), "en"),
            ]
        )
    return out


def build_claimants() -> list[list[str]]:
    return [[cid, *(v[k] for k in CLAIMANT_COLS[1:])] for cid, v in CLAIMANTS.items()]


def readers_words(text: str) -> str:
    """The research's working words ('the seed article', 'ATS/AFP (seed)') in the words readers see
    (build_data.yaml `readers_words`, applied in order)."""
    for internal, reader in READERS_WORDS:
        text = text.replace(internal, reader)
    return text


def render(header: list[str], rows: list[list[str]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    w.writerow(header)
    # every text a reader may see; source_url keeps the article's own reference (seed:…), which the app reads
    keep = {i for i, col in enumerate(header) if col == "source_url"}
    w.writerows([[v if i in keep or not isinstance(v, str) else readers_words(v) for i, v in enumerate(r)] for r in rows])
    return buf.getvalue()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="path to ../shared (default: %(default)s)")
    ap.add_argument("--out", type=Path, default=DATA, help="output folder (default: %(default)s)")
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--force", action="store_true", help="overwrite existing files (discards hand edits)")
    g.add_argument("--check", action="store_true", help="only report which files differ from a fresh build")
    a = ap.parse_args(argv)

    research = a.shared / "research"
    claims_r = read_csv(research / "claims.csv")
    events_r = read_csv(research / "events.csv")
    places_r = read_csv(research / "places.csv")
    rereports_r: list[dict] = []
    for update in UPDATES:
        claims_r += read_csv(research / update / "claims.csv")
        events_r += read_csv(research / update / "events.csv")
        rereports_r += read_csv(research / update / "rereports.csv")
    geo = json.loads((a.shared / "geo-sources" / "settlements.geojson").read_text(encoding="utf-8"))

    places = build_places(places_r, geo)
    claims = build_claims(claims_r)
    events = build_events(events_r, {p[0] for p in places}, {c[0] for c in claims})
    files = {
        "claimants.csv": render(CLAIMANT_COLS, build_claimants()),
        "claims.csv": render(CLAIM_COLS, claims),
        "events.csv": render(EVENT_COLS, events),
        "places.csv": render(PLACE_COLS, places),
        "rereports.csv": render(
            REREPORT_COLS, build_rereports(rereports_r, {c[0] for c in claims}, {c[0]: c[1] for c in claims})
        ),
    }
    a.out.mkdir(parents=True, exist_ok=True)
    status = 0
    for name, text in files.items():
        path = a.out / name
        if a.check:
            same = path.exists() and path.read_text(encoding="utf-8") == text
            print(f"{name}: {'same as build' if same else 'DIFFERS from build (hand edits or not built)'}")
            status |= 0 if same else 1
        elif path.exists() and not a.force:
            print(f"{name}: exists, left untouched (use --force to rebuild)")
        else:
            path.write_bytes(text.encode("utf-8"))
            print(f"{name}: written ({text.count(chr(10)) - 1} rows)")
    return status


if __name__ == "__main__":
    sys.exit(main())
