"""Check, review, publish, versions and roll back.

* ``review``: the diff (``explainer.datadiff``) between the live files as they were when staging began
  and the staged files: rows added whole, changed fields before and after.
* ``propose_change``: a corrections-log row proposed from that diff, in both languages;
  ``add_changelog`` writes the editor's row into the staged ``changelog.csv``.
* ``publish``: under an exclusive lock (``fcntl.flock`` on ``<desk>/publish.lock``, not waited for:
  a second editor publishing at the same moment is told so), refuses when the live files changed
  since staging began (naming them), when the staged data is invalid, when nothing changed or when
  no corrections-log row was added. Then every changed file is written next to its live file and
  fsync'ed, and only then renamed over it (``os.replace``, atomic per file); if any rename fails,
  the files already replaced get their old bytes back, so live is never left half-published.
* Every published state is kept under ``<desk>/versions/<UTC time>-<data version>/`` (``data/``,
  ``geo/``, ``info.json``), and so is the live state a publish or roll-back replaces, when no kept
  version has it yet. ``rollback`` restores a kept version the same way, under the same lock.
* Afterwards, both optional: a git commit of the changed files where the live folders are in a git
  work tree (skipped quietly otherwise), and the static export into ``$EXPLAINER_DESK_EXPORT_DIR``.
* Everything is written to the audit log (who, when, data versions before and after).
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import json
import logging
import os
import re
import shutil
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import i18n
from ..datadiff import FileDiff, diff
from ..rights import blockers, refusal
from .audit import audit
from .staging import Staging, data_version, file_hashes
from .store import desk_dir, locked, private_dir

log = logging.getLogger("explainer.desk")
CHANGELOG = "changelog.csv"
_VERSION_ID = re.compile(r"^\d{8}T\d{6}\d{6}Z-[0-9a-f]{12}$")
_replace = os.replace  # the rename that publishes a file (a test makes it fail half-way)


class PublishError(Exception):
    """A publish or roll-back refused. ``code``: busy, live_changed, invalid, nothing, changelog,
    unknown_version, rights; the page shows catalogue key ``desk_refused_<code>``; ``str()`` is English."""

    def __init__(self, code: str, message: str, **kw: Any):
        super().__init__(message)
        self.code, self.kw = code, kw


@dataclass(frozen=True)
class Version:
    id: str
    path: Path
    version: str  # the data version (content hash)
    when: str  # ISO 8601, UTC
    editor: str
    kind: str  # "publish", "rollback" or "before" (the state a publish or roll-back replaced)
    change_fr: str = ""
    change_en: str = ""


@dataclass
class Result:
    before: str
    after: str
    files: list[str]
    version: Version
    commit: str | None = None
    export: int | None = None  # the export's exit code, when one is configured
    notes: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- review


def review(staging: Staging) -> list[FileDiff]:
    """What the staged files change against the live files as they were when staging began."""
    return diff(staging.data, staging.geo, str(staging.base))


def live_review(staging: Staging) -> list[FileDiff]:
    """What changed in the live files since staging began (another editor's publish, a hand edit)."""
    data, geo = staging.live
    return diff(data, geo, str(staging.base))


def changelog_added(diffs: list[FileDiff]) -> bool:
    return any(d.path.endswith("/" + CHANGELOG) and d.added for d in diffs)


def propose_change(diffs: list[FileDiff], locale: str) -> str:
    """A corrections-log text for these changes, in ``locale``'s language (the editor rewrites it)."""
    tr = i18n.bind(locale)
    parts = []
    for d in diffs:
        name = d.path.split("/", 1)[1]
        if name == CHANGELOG:
            continue
        if d.added:
            parts.append(tr("desk_change_added", file=name, keys=", ".join(d.added)))
        for k, fields in d.changed.items():
            parts.append(tr("desk_change_changed", file=name, row=k, fields=", ".join(f for f, _, _ in fields)))
        if d.removed:
            parts.append(tr("desk_change_removed", file=name, keys=", ".join(d.removed)))
    return tr("desk_change_sep").join(parts)


def add_changelog(staging: Staging, day: dt.date, change_fr: str, change_en: str) -> None:
    """Append one row to the staged ``changelog.csv`` (once: the same row twice is written once)."""
    path = staging.data / CHANGELOG
    raw = path.read_bytes() if path.exists() else b"date,change_fr,change_en\n"
    row = [day.isoformat(), " ".join(change_fr.split()), " ".join(change_en.split())]
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\n").writerow(row)
    line = buf.getvalue().encode("utf-8")
    if raw.endswith(line):
        return
    if raw and not raw.endswith(b"\n"):
        raw += b"\n"
    from .store import atomic_write

    atomic_write(path, raw + line, mode=0o644)


# --------------------------------------------------------------------------- versions


def versions_dir(root: Path | None = None) -> Path:
    return (root if root is not None else desk_dir()) / "versions"


def versions(root: Path | None = None) -> list[Version]:
    """Every kept version, newest first."""
    folder = versions_dir(root)
    out = []
    for p in folder.iterdir() if folder.is_dir() else []:
        info = p / "info.json"
        if _VERSION_ID.match(p.name) and info.is_file():
            doc = json.loads(info.read_bytes())
            out.append(
                Version(
                    p.name,
                    p,
                    doc["version"],
                    doc["when"],
                    doc["editor"],
                    doc["kind"],
                    doc.get("change_fr", ""),
                    doc.get("change_en", ""),
                )
            )

    return sorted(out, key=lambda v: v.id, reverse=True)


def _keep(data: Path, geo: Path, editor: str, kind: str, root: Path | None, clock: Callable[[], float], **info: str) -> Version:
    """A copy of ``data`` + ``geo`` as a new kept version (complete or absent: built aside, then renamed)."""
    version = data_version(data, geo)
    now = dt.datetime.fromtimestamp(clock(), dt.UTC)
    parent = private_dir(versions_dir(root))
    while (parent / f"{now:%Y%m%dT%H%M%S%f}Z-{version}").exists():  # the same microsecond (a test's frozen clock)
        now += dt.timedelta(microseconds=1)
    vid = f"{now:%Y%m%dT%H%M%S%f}Z-{version}"
    tmp = parent / f".{vid}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.copytree(data, tmp / "data", symlinks=True)
    shutil.copytree(geo, tmp / "geo", symlinks=True)
    doc = {"version": version, "when": now.isoformat(timespec="seconds"), "editor": editor, "kind": kind, **info}
    (tmp / "info.json").write_text(json.dumps(doc, ensure_ascii=False, indent=1), "utf-8")
    dest = parent / vid
    tmp.rename(dest)
    return Version(vid, dest, version, str(doc["when"]), editor, kind, info.get("change_fr", ""), info.get("change_en", ""))


def _keep_live(data: Path, geo: Path, editor: str, root: Path | None, clock: Callable[[], float]) -> None:
    """Keep the live state about to be replaced, unless a kept version has it already."""
    if data_version(data, geo) not in {v.version for v in versions(root)}:
        _keep(data, geo, editor, "before", root, clock)


# --------------------------------------------------------------------------- writing live files


def _changed_files(src_data: Path, src_geo: Path, data: Path, geo: Path) -> list[tuple[Path, Path]]:
    """(source, live destination) for every file of the source folders whose bytes differ from live."""
    new, old = file_hashes(src_data, src_geo), file_hashes(data, geo)
    out = []
    for rel in sorted(new):
        if new[rel] != old.get(rel):
            sub, name = rel.split("/", 1)
            out.append(((src_data if sub == "data" else src_geo) / name, (data if sub == "data" else geo) / name))
    return out


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def install(pairs: list[tuple[Path, Path]]) -> None:
    """Copy each source over its destination so that live holds either all new files or all old ones:
    every new file is first written beside its destination (temporary name, fsync), then each is
    renamed over it; a failure on the way puts back the old bytes of those already replaced."""
    backups: dict[Path, bytes | None] = {}
    temps: list[tuple[Path, Path]] = []
    done: list[Path] = []
    try:
        for src, dest in pairs:
            backups[dest] = dest.read_bytes() if dest.exists() else None
            tmp = dest.with_name(f".{dest.name}.desk-tmp")
            with open(tmp, "wb") as fh:
                fh.write(src.read_bytes())
                fh.flush()
                os.fsync(fh.fileno())
            if dest.exists():
                os.chmod(tmp, dest.stat().st_mode & 0o777)
            temps.append((tmp, dest))
        for tmp, dest in temps:
            _replace(tmp, dest)
            done.append(dest)
    except BaseException:
        for dest in reversed(done):
            old = backups[dest]
            if old is None:
                dest.unlink(missing_ok=True)
            else:
                restore = dest.with_name(f".{dest.name}.desk-restore")
                restore.write_bytes(old)
                os.replace(restore, dest)
        raise
    finally:
        for tmp, _ in temps:
            tmp.unlink(missing_ok=True)
        for folder in {d.parent for _, d in pairs}:
            _fsync_dir(folder)


# --------------------------------------------------------------------------- afterwards (optional)


def git_commit(data: Path, files: list[Path], message: str, editor: str) -> str | None:
    """Commit ``files`` where ``data`` is in a git work tree; None (quietly) anywhere else or on failure."""

    def git(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["git", *args], cwd=data, capture_output=True, text=True, check=False, timeout=60)

    try:
        top = git("rev-parse", "--show-toplevel")
        if top.returncode != 0:
            return None
        paths = [str(f.resolve()) for f in files]
        if git("add", "--", *paths).returncode != 0:
            return None
        who = ["-c", f"user.name={editor}", "-c", f"user.email={editor}@desk.invalid"]
        r = git(*who, "commit", "--quiet", "-m", message, "--", *paths)
        if r.returncode != 0:
            log.warning("desk: git commit failed: %s", r.stderr.strip()[-300:])
            return None
        return git("rev-parse", "HEAD").stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        return None


def run_export(data: Path, geo: Path, *, force: bool = False) -> int | None:
    """The static export into ``$EXPLAINER_DESK_EXPORT_DIR`` when set (images only with
    ``$EXPLAINER_DESK_EXPORT_IMAGES=1``: they need chromium and minutes); None when not configured.
    A layer whose rights are not cleared is refused (publish refuses it before this); ``force`` (a
    roll-back) lets ``latest/`` move back to older data."""
    out = os.environ.get("EXPLAINER_DESK_EXPORT_DIR")
    if not out:
        return None
    from ..export import export_site

    try:
        return export_site(
            data,
            geo,
            Path(out),
            ["fr", "en"],
            images=os.environ.get("EXPLAINER_DESK_EXPORT_IMAGES") == "1",
            rights="refuse",
            force=force,
        )
    except Exception:  # the data is published; a failed export is reported, not raised
        log.exception("desk: export after publish failed")
        return 1


# --------------------------------------------------------------------------- publish and roll back


def _lock(root: Path | None) -> contextlib.AbstractContextManager[None]:
    return locked((root if root is not None else desk_dir()) / "publish.lock", blocking=False)


def _busy() -> PublishError:
    return PublishError("busy", "another editor is publishing or rolling back right now; try again in a moment")


def publish(
    staging: Staging,
    editor: str,
    *,
    root: Path | None = None,
    clock: Callable[[], float] = time.time,
) -> Result:
    """Publish the staged files to the live folders (see the module's docstring); :class:`PublishError` if refused."""
    data, geo = staging.live
    try:
        with _lock(root):
            changed = staging.live_changes()
            if changed:
                raise PublishError(
                    "live_changed",
                    f"the live data changed since your staging began ({', '.join(changed)}): start again from the live data",
                    files=", ".join(changed),
                )
            bundle, problems = staging.check()
            if bundle is None:
                raise PublishError("invalid", f"the staged data has {len(problems)} problem(s)", n=len(problems))
            uncleared = blockers(bundle.manifest)
            if uncleared:
                raise PublishError(
                    "rights", refusal(uncleared, "then publish again"), layers=", ".join(lyr.id for lyr in uncleared)
                )
            diffs = review(staging)
            if not [d for d in diffs if not d.path.endswith("/" + CHANGELOG)]:
                raise PublishError("nothing", "nothing to publish: the staged data is the live data")
            if not changelog_added(diffs):
                raise PublishError("changelog", "add a corrections-log row (changelog.csv) before publishing")
            entry = _last_changelog(staging)
            before = data_version(data, geo)
            _keep_live(data, geo, editor, root, clock)
            pairs = _changed_files(staging.data, staging.geo, data, geo)
            kept = _keep(staging.data, staging.geo, editor, "publish", root, clock, **entry)
            try:
                install(pairs)
            except BaseException:
                shutil.rmtree(kept.path, ignore_errors=True)  # never published: not a version
                raise
            after = data_version(data, geo)
            files = [f"{d.parent.name}/{d.name}" for _, d in pairs]
            result = Result(before, after, files, kept)
            audit(
                editor,
                "publish",
                before=before,
                after=after,
                root=root,
                clock=clock,
                files=files,
                staging=staging.id,
                version=kept.id,
                changelog=entry,
            )
    except BlockingIOError:
        raise _busy() from None
    result.commit = git_commit(data, [d for _, d in pairs], f"Data: {entry.get('change_en', '')}"[:200], editor)
    result.export = run_export(data, geo)
    return result


def _last_changelog(staging: Staging) -> dict[str, str]:
    path = staging.data / CHANGELOG
    rows = list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))
    last = rows[-1] if rows else {}
    return {"date": last.get("date", ""), "change_fr": last.get("change_fr", ""), "change_en": last.get("change_en", "")}


def rollback(
    version_id: str,
    editor: str,
    data: Path,
    geo: Path,
    *,
    root: Path | None = None,
    clock: Callable[[], float] = time.time,
) -> Result:
    """Make a kept version live again (atomically, audited); the state it replaces is kept too."""
    kept = next((v for v in versions(root) if v.id == version_id), None)
    if kept is None or not _VERSION_ID.match(version_id):
        raise PublishError("unknown_version", f"no kept version '{version_id}'", version=version_id)
    try:
        with _lock(root):
            before = data_version(data, geo)
            _keep_live(data, geo, editor, root, clock)
            pairs = _changed_files(kept.path / "data", kept.path / "geo", data, geo)
            install(pairs)
            after = data_version(data, geo)
            files = [f"{d.parent.name}/{d.name}" for _, d in pairs]
            audit(editor, "rollback", before=before, after=after, root=root, clock=clock, files=files, version=kept.id)
    except BlockingIOError:
        raise _busy() from None
    result = Result(before, after, files, kept)
    result.commit = git_commit(data, [d for _, d in pairs], f"Data: roll back to {kept.id}", editor)
    result.export = run_export(data, geo, force=True)
    return result
