"""Command line: ``python -m explainer {validate,export}`` (the benchmark is ``python -m bench``).

Exit codes: 0 success / valid data, 1 invalid data or failed run, 2 usage error.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .store import default_dirs


def _dirs(args) -> tuple[Path, Path]:
    d, g = default_dirs()
    return Path(args.data or d), Path(args.geo or g)


def cmd_validate(args) -> int:
    from .load import DataError, load_bundle

    data, geo = _dirs(args)
    t0 = time.perf_counter()
    try:
        bundle = load_bundle(data, geo)
    except DataError as e:
        for p in e.problems:
            print(p)
        print(f"{len(e.problems)} problem(s); data is NOT valid", file=sys.stderr)
        return 1
    for w in bundle.warnings:
        print(f"warning: {w}")
    n_dates = sum(len(v) for v in bundle.control.values())
    print(f"ok: {len(bundle.claims)} claims, {len(bundle.claimants)} claimants, {len(bundle.events)} events, "
          f"{len(bundle.places)} places, {len(bundle.story)} story steps, {len(bundle.manifest.layers)} layers, "
          f"{n_dates} dated snapshots; version {bundle.version}; {1000 * (time.perf_counter() - t0):.0f} ms")
    return 0


def cmd_export(args) -> int:
    from .export import export_site

    data, geo = _dirs(args)
    langs = [x.strip() for x in args.lang.split(",") if x.strip()]
    return export_site(data, geo, Path(args.out), langs, base=args.base, images=not args.no_images)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m explainer", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    v = sub.add_parser("validate", help="check data/ and geo/; print every problem as path:row:column: message")
    e = sub.add_parser("export", help="write the static embeds (one page per view and language)")
    for sp in (v, e):
        sp.add_argument("--data", help="data folder (default: $EXPLAINER_DATA_DIR or ./data)")
        sp.add_argument("--geo", help="geo folder (default: $EXPLAINER_GEO_DIR or ./geo)")
    e.add_argument("--out", required=True, help="output folder")
    e.add_argument("--lang", default="fr,en", help="languages, comma-separated (fr,en)")
    e.add_argument("--base", help="public URL where the export will be published (used in the iframe snippets)")
    e.add_argument("--no-images", action="store_true", help="skip the PNG fallbacks (faster drafts)")
    return p


def main(argv=None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:  # argparse exits 2 on usage errors, 0 on --help
        return int(e.code or 0)
    return {"validate": cmd_validate, "export": cmd_export}[args.cmd](args)
