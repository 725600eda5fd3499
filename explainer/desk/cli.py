"""``python -m explainer desk add-editor|publish|rollback|versions|rights``: the desk's own code, from a terminal.

``publish`` takes a folder holding ``data/`` with edited data files (any of ``claims.csv`` ...), stages
them over a fresh copy of the live data, checks, adds the corrections-log row and publishes exactly as
the page does. The terminal has no login: ``--as NAME`` says who, for the audit log.
Exit codes: 0 done, 1 refused (the message says why), 2 usage error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import os
import sys
from pathlib import Path
from typing import Any


def add_parser(sub: Any) -> None:
    dhelp = "the editors' desk from a terminal: accounts, publish, versions, roll back (see README: editors)"
    d = sub.add_parser("desk", help=dhelp, description=dhelp)
    dsub = d.add_subparsers(dest="desk_cmd", required=True)
    a = dsub.add_parser("add-editor", help="create an editor account; the password is read from a prompt or stdin")
    a.add_argument("name")
    a.add_argument("--replace", action="store_true", help="set a new password for an existing account")
    p = dsub.add_parser("publish", help="publish edited data files from a folder (its data/ subfolder)")
    p.add_argument("--from", dest="source", required=True, help="a folder holding data/ with edited CSV files")
    p.add_argument("--change-fr", required=True, help="the corrections-log row, in French")
    p.add_argument("--change-en", required=True, help="the corrections-log row, in English")
    p.add_argument("--date", help="the corrections-log date, YYYY-MM-DD (default: today)")
    r = dsub.add_parser("rollback", help="make a kept version live again")
    r.add_argument("version", help="a version id from `desk versions`")
    dsub.add_parser("versions", help="list the kept versions, newest first")
    g = dsub.add_parser(
        "rights",
        help="the map layers' rights; with LAYER and --decide, record an editor's decision to publish a layer whose "
        "rights are not cleared (written to geo/manifest.yaml, audit-logged; geo/README.md: rights)",
    )
    g.add_argument("layer", nargs="?", help="a layer id of geo/manifest.yaml (none: list every layer's status)")
    how = g.add_mutually_exclusive_group()
    how.add_argument("--decide", metavar="REASON", help="record the decision to publish LAYER anyway, and why")
    how.add_argument("--withdraw", action="store_true", help="remove LAYER's recorded decision: publishing refuses it again")
    g.add_argument("--date", help="the decision's date, YYYY-MM-DD (default: today)")
    for sp in (p, r, g):
        sp.add_argument("--as", dest="who", help="who does it, for the audit log (default: cli:<login name>)")
    for sp in dsub.choices.values():
        sp.add_argument("--data", help="live data folder (default: $EXPLAINER_DATA_DIR or ./data)")
        sp.add_argument("--geo", help="live geo folder (default: $EXPLAINER_GEO_DIR or ./geo)")


def _password() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("password: ")
        if getpass.getpass("again: ") != first:
            raise ValueError("the two passwords differ")
        return first
    return sys.stdin.readline().rstrip("\r\n")


def _user() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # no login name in this environment (a container without USER)
        return "cli"


def run(args: argparse.Namespace, data: Path, geo: Path) -> int:
    from ..load import DATA_FILES
    from .accounts import AccountError, Accounts
    from .audit import audit
    from .messages import describe
    from .publish import PublishError, add_changelog, publish, rollback, versions
    from .staging import UploadError, begin, data_version, discard

    cmd = args.desk_cmd
    who = getattr(args, "who", None) or _user()
    if cmd == "rights":
        return _rights(args, who, data, geo)
    try:
        if cmd == "add-editor":
            accounts = Accounts()
            accounts.add_editor(args.name, _password(), replace=args.replace)
            audit(who, "add-editor", editor=args.name.strip().lower(), replace=args.replace)
            print(f"editor '{args.name.strip().lower()}' {'updated' if args.replace else 'added'} in {accounts.editors_file}")
            return 0
        if cmd == "versions":
            live = data_version(data, geo)
            for v in versions():
                mark = "  (live)" if v.version == live else ""
                print(f"{v.id}  {v.when}  {v.editor}  {v.kind}  {v.change_en[:60]}{mark}")
            return 0
        if cmd == "rollback":
            res = rollback(args.version, who, data, geo)
            print(f"rolled back to {res.version.id}: {res.before} -> {res.after}; files: {', '.join(res.files) or 'none'}")
            return 0
        source = Path(args.source) / "data"
        if not source.is_dir():
            print(f"{source}: no such folder", file=sys.stderr)
            return 2
        staging = begin(who, data, geo)
        try:
            files = [p for p in sorted(source.iterdir()) if p.name in DATA_FILES]
            for f in files:
                staging.upload(f.name, f.read_bytes())
            day = dt.date.fromisoformat(args.date) if args.date else dt.date.today()
            add_changelog(staging, day, args.change_fr, args.change_en)
            _, problems = staging.check()
            for prob in problems:
                print(describe(prob, os.environ.get("EXPLAINER_DESK_LANG", "en")))
            res = publish(staging, who)
        finally:
            discard(staging)
        print(f"published {res.version.id}: {res.before} -> {res.after}; files: {', '.join(res.files)}")
        if res.commit:
            print(f"git commit {res.commit}")
        return 0
    except (AccountError, UploadError, PublishError, ValueError) as e:
        print(f"desk {cmd}: {e}", file=sys.stderr)
        return 1


def _rights(args: argparse.Namespace, who: str, data: Path, geo: Path) -> int:
    """``desk rights [LAYER --decide REASON | --withdraw]``: list, record or withdraw."""
    from .. import rights as R
    from ..load import DataError, load_bundle
    from .audit import audit
    from .staging import data_version

    try:
        manifest = load_bundle(data, geo).manifest
    except DataError as e:
        for problem in e.problems:
            print(problem, file=sys.stderr)
        print("desk rights: the data has problems; run python -m explainer validate", file=sys.stderr)
        return 1
    if not (args.decide or args.withdraw):
        if args.layer:
            print("desk rights: say --decide REASON or --withdraw (or no LAYER to list)", file=sys.stderr)
            return 2
        for lyr in manifest.layers:
            print(R.describe(lyr))
        return 0
    if not args.layer:
        print("desk rights: name the LAYER", file=sys.stderr)
        return 2
    if args.decide and not getattr(args, "who", None):
        print("desk rights: a decision names who takes it: add --as NAME", file=sys.stderr)
        return 2
    before = data_version(data, geo)
    try:
        if args.decide:
            day = dt.date.fromisoformat(args.date) if args.date else dt.date.today()
            lyr = R.record_decision(geo, args.layer, who, args.decide, day)
        else:
            lyr = R.withdraw_decision(geo, args.layer)
    except (R.RightsError, ValueError) as e:
        print(f"desk rights: {e}", file=sys.stderr)
        return 1
    after = data_version(data, geo)
    action = "rights_decision" if args.decide else "rights_withdrawn"
    audit(who, action, before=before, after=after, layer=lyr.id, reason=args.decide or "")
    print(R.describe(lyr))
    return 0
