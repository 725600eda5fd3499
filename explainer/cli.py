"""Command line: ``python -m explainer {validate,diff,add-snapshot,export,datapackage,desk}`` (the benchmark is ``python -m bench``).

Exit codes: 0 success / valid data / no change, 1 invalid data, failed run or (diff) changes found,
2 usage error.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .load.problems import DEFAULT_LANG, LANGS
from .store import default_dirs


def _dirs(args: argparse.Namespace) -> tuple[Path, Path]:
    d, g = default_dirs()
    return Path(args.data or d), Path(args.geo or g)


def cmd_validate(args: argparse.Namespace) -> int:
    from . import i18n
    from .load import DataError, load_bundle
    from .store import DataStore

    data, geo = _dirs(args)
    lang = args.lang
    t0 = time.perf_counter()
    try:  # against the last valid data the app persisted, if any (read only when a text holds a '?')
        bundle = load_bundle(data, geo, previous=DataStore(data.resolve(), geo.resolve()).last_valid)
    except DataError as e:
        for p in e.problems:
            print(p.text(lang))
        print(i18n.t(lang, "check_summary_invalid", n=len(e.problems)), file=sys.stderr)
        return 1
    except Exception as e:  # a reader bug must still end in one line, not a traceback
        print(i18n.t(lang, "check_unexpected", folder=data.name, error=type(e).__name__))
        return 1
    for w in bundle.warnings:
        print(i18n.t(lang, "check_warning", problem=w.text(lang)))
    print(
        i18n.t(
            lang,
            "check_summary_ok",
            claims=len(bundle.claims),
            claimants=len(bundle.claimants),
            events=len(bundle.events),
            places=len(bundle.places),
            steps=len(bundle.story),
            layers=len(bundle.manifest.layers),
            dated=sum(len(v) for v in bundle.control.values()),
            version=bundle.version,
            ms=f"{1000 * (time.perf_counter() - t0):.0f}",
        )
    )
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    from .datadiff import DiffError, diff_command

    data, geo = _dirs(args)
    if len(args.folders) > 2:
        print("diff: give at most two folders, OLD and NEW", file=sys.stderr)
        return 2
    if args.folders:  # OLD [NEW]: folders holding data/ and geo/ (NEW defaults to the live folders)
        old = args.folders[0]
        if len(args.folders) == 2:
            data, geo = Path(args.folders[1]) / "data", Path(args.folders[1]) / "geo"
    else:
        old = args.against
    try:
        return diff_command(data, geo, old)
    except DiffError as e:
        print(f"diff: {e}", file=sys.stderr)
        return 2


def cmd_add_snapshot(args: argparse.Namespace) -> int:
    from .add_snapshot import SnapshotError, add_snapshot

    data, geo = _dirs(args)
    action = "replace" if args.replace else "remove" if args.remove else "add"
    if action != "remove" and not args.file:
        print("add-snapshot: give the outline's FILE (GeoJSON or a zipped shapefile)", file=sys.stderr)
        return 2
    file = Path(args.file) if args.file else None
    try:
        print(add_snapshot(file, args.date, args.kind, geo, data, source=args.source, action=action))
    except SnapshotError as e:
        print(e)
        for p in e.problems:
            print(f"  {p}")
        done = {"add": "added", "replace": "replaced", "remove": "removed"}[action]
        print(f"the snapshot was NOT {done}; nothing was written", file=sys.stderr)
        return 1
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from .export import export_site

    data, geo = _dirs(args)
    langs = [x.strip() for x in args.lang.split(",") if x.strip()]
    return export_site(
        data,
        geo,
        Path(args.out),
        langs,
        base=args.base,
        images=not args.no_images,
        rights="preview" if args.rights_preview else "refuse",
        force=args.force,
    )


def cmd_desk(args: argparse.Namespace) -> int:
    from .desk.cli import run

    data, geo = _dirs(args)
    return run(args, data, geo)


def cmd_datapackage(args: argparse.Namespace) -> int:
    from .datapackage import FILE_NAME, build_datapackage, dumps
    from .load import DataError, load_bundle

    data, geo = _dirs(args)
    try:
        bundle = load_bundle(data, geo)
    except DataError as e:
        for problem in e.problems:
            print(problem, file=sys.stderr)
        print(f"{len(e.problems)} problem(s); the data package was NOT written", file=sys.stderr)
        return 1
    out = Path(args.out) if args.out else data / FILE_NAME
    out.write_text(dumps(build_datapackage(bundle)), "utf-8")
    print(f"ok: {out} ({len(bundle.claims)} claims; tables described from explainer/model.py)")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m explainer", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    vhelp = "check data/ and geo/; print every problem as path:row:column: message (in French unless --lang en)"
    v = sub.add_parser("validate", help=vhelp, description=vhelp)
    v.add_argument(
        "--lang",
        choices=LANGS,
        default=DEFAULT_LANG,
        help="language of the messages: fr (default, the newsroom's language) or en",
    )
    dhelp = (
        "what changed in data/ and geo/ since the last commit (or against a folder): rows added, removed, "
        "changed, the views they change; exit 0 no change, 1 changes, 2 usage error"
    )
    d = sub.add_parser("diff", help=dhelp, description=dhelp)
    d.add_argument(
        "folders",
        nargs="*",
        metavar="OLD [NEW]",
        help="compare folder NEW (default: the live data/ and geo/) with OLD; each holds data/ and geo/ "
        "(a published version from `desk versions` is such a folder: its id works too)",
    )
    d.add_argument(
        "--against", default="HEAD", help="a git revision (default HEAD), a folder holding data/ and geo/, or a desk version id"
    )
    ahelp = (
        "add, replace (--replace) or remove (--remove) one control snapshot in the control layer's file; the "
        "only command that WRITES to geo/, atomically (a temporary file renamed over it); exit 0 done, "
        "1 refused, 2 usage error"
    )
    a = sub.add_parser("add-snapshot", help=ahelp, description=ahelp)
    a.add_argument(
        "file",
        nargs="?",
        help="the outline: GeoJSON (one Polygon or MultiPolygon, bare, a Feature or a one-feature collection) "
        "or a zipped shapefile (.zip with .shp, .shx, .dbf, .prj); not with --remove",
    )
    a.add_argument("--date", required=True, help="snapshot date, YYYY-MM-DD")
    a.add_argument(
        "--kind",
        required=True,
        choices=("held", "grey"),
        help="held = Ukrainian-held (ua_controlled), grey = grey zone (grey_zone)",
    )
    a.add_argument(
        "--source",
        help="where the outline comes from, as readers will see it in the map's caption for that date "
        "(required to add or replace; at most 80 characters)",
    )
    how = a.add_mutually_exclusive_group()
    how.add_argument("--replace", action="store_true", help="replace the snapshot of that date and kind")
    how.add_argument("--remove", action="store_true", help="remove the snapshot of that date and kind (no FILE)")
    e = sub.add_parser("export", help="write the static embeds (one page per view and language)")
    phelp = "write the Frictionless Data Package (datapackage.json) of the data tables, generated from the models"
    pk = sub.add_parser("datapackage", help=phelp, description=phelp)
    pk.add_argument("--out", help="where to write it (default: datapackage.json in the data folder)")
    for sp in (v, d, e, pk):
        sp.add_argument("--data", help="data folder (default: $EXPLAINER_DATA_DIR or ./data)")
        sp.add_argument("--geo", help="geo folder (default: $EXPLAINER_GEO_DIR or ./geo)")
    a.add_argument("--geo", help="geo folder to write to (default: $EXPLAINER_GEO_DIR or ./geo)")
    a.add_argument("--data", help="data folder whose site.yaml sets the date window (default: $EXPLAINER_DATA_DIR or ./data)")
    e.add_argument("--out", required=True, help="output folder")
    e.add_argument("--lang", default="fr,en", help="languages, comma-separated (fr,en)")
    e.add_argument("--base", help="public URL where the export will be published (used in the iframe snippets)")
    e.add_argument("--no-images", action="store_true", help="skip the PNG fallbacks (faster drafts)")
    e.add_argument(
        "--rights-preview",
        action="store_true",
        help="export even map layers whose rights are not cleared, as a preview that says so (not for publication; "
        "refused otherwise: geo/README.md, rights)",
    )
    e.add_argument(
        "--force", action="store_true", help="move latest/ to data older than it holds (a roll-back); refused otherwise"
    )
    from .desk.cli import add_parser

    add_parser(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:  # argparse exits 2 on usage errors, 0 on --help
        return int(e.code or 0)
    return {
        "validate": cmd_validate,
        "diff": cmd_diff,
        "add-snapshot": cmd_add_snapshot,
        "export": cmd_export,
        "datapackage": cmd_datapackage,
        "desk": cmd_desk,
    }[args.cmd](args)
