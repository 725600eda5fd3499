"""Reading a file safely and decoding it strictly: links, size limits, encodings, half-saved files."""

from __future__ import annotations

import codecs
import contextvars
import errno
import io
import os
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .problems import Problem

# Encodings tried, in order, for a CSV that is not UTF-8: what Excel and LibreOffice write on Windows
# and on older Macs. A non-UTF-8 decoding is accepted only if it yields no C1 control character.
FALLBACK_ENCODINGS = (("cp1252", "Windows-1252"), ("mac_roman", "Mac Roman"))


_C1 = re.compile("[\x80-\x9f]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
SAVE_AS_UTF8 = (
    "cannot be read as text (tried UTF-8, Windows-1252, Mac Roman); save it again as "
    "'CSV UTF-8' (Excel: File > Save As > CSV UTF-8; LibreOffice: character set Unicode (UTF-8)) / "
    "illisible comme texte (essayé UTF-8, Windows-1252, Mac Roman) ; enregistrez-le à nouveau en "
    "« CSV UTF-8 » (Excel : Fichier > Enregistrer sous > CSV UTF-8 ; LibreOffice : jeu de caractères "
    "Unicode (UTF-8))"
)
MIXED_UTF8 = (
    "is UTF-8 except on this line (mixed encodings, e.g. text pasted from another file); retype the "
    "odd characters on this line and save as 'CSV UTF-8' / est en UTF-8 sauf sur cette ligne (encodages "
    "mélangés, p. ex. texte collé d'un autre fichier) ; retapez les caractères bizarres de cette ligne et "
    "enregistrez en « CSV UTF-8 »"
)
SAVE_AS_UTF8_TEXT = (
    "is not valid UTF-8; save it again as UTF-8 in your text editor / "
    "n'est pas en UTF-8 valide ; enregistrez-le à nouveau en UTF-8 dans votre éditeur de texte"
)

# Set while load_bundle runs: every file's bytes as read, so that the store can persist exactly
# the files that validated (a context variable rather than a parameter threaded through every reader).
_SOURCES: contextvars.ContextVar[dict[Path, bytes] | None] = contextvars.ContextVar("explainer_sources", default=None)


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # as an editor would name it: "UTF-8", "UTF-8 with BOM", "Windows-1252", "Mac Roman"


def _decode(raw: bytes, rel: str, problems: list[Problem], spreadsheet: bool = False) -> Decoded | None:
    """Bytes -> text, strictly. Never quotes the bytes of a file that failed to decode."""
    bom = raw.startswith(codecs.BOM_UTF8)
    body = raw[len(codecs.BOM_UTF8) :] if bom else raw
    try:
        text, name = body.decode("utf-8"), "UTF-8 with BOM" if bom else "UTF-8"
    except UnicodeDecodeError as e:
        line = body[: e.start].count(b"\n") + 1
        if not spreadsheet:
            problems.append(Problem(rel, line, None, SAVE_AS_UTF8_TEXT))
            return None
        if any(ord(c) > 127 and c != "\ufffd" for c in body.decode("utf-8", errors="replace")):
            # valid UTF-8 letters beside the bad bytes: a UTF-8 file with a mistake (or mixed
            # encodings), which a legacy decoding would turn into wrong letters
            problems.append(Problem(rel, line, None, MIXED_UTF8))
            return None
        for codec, label in FALLBACK_ENCODINGS:
            try:
                text = body.decode(codec)
            except UnicodeDecodeError:
                continue
            if not _C1.search(text) and not _CONTROL.search(text):
                return Decoded(text, label)
        problems.append(Problem(rel, line, None, SAVE_AS_UTF8))
        return None
    control = _CONTROL.search(text)
    if control:  # NUL and friends: a binary file, or UTF-16 saved by mistake
        line = text[: control.start()].count("\n") + 1
        problems.append(Problem(rel, line, None, SAVE_AS_UTF8 if spreadsheet else SAVE_AS_UTF8_TEXT))
        return None
    return Decoded(text, name)


def _open_problem(path: Path, rel: str) -> str | None:
    """Why ``path`` cannot be read as one of our files, or None. Links are followed only inside
    their own folder; the message never names a path outside it."""
    try:
        if path.is_symlink():
            target = path.resolve()
            if not target.is_relative_to(path.parent.resolve()):
                return "is a link to a file outside its folder; links out of the data folders are not followed"
        if not path.exists():
            return "file is missing"
        if path.is_dir():
            return "is a folder where a file is expected"
        if not path.is_file():
            return "is not a regular file"
    except OSError as e:
        return _os_message(e)
    return None


def _os_message(e: OSError) -> str:
    """An I/O error in words, without the path (it may be absolute)."""
    if e.errno in (errno.EACCES, errno.EPERM):
        return "cannot be read: permission denied (check the file's permissions)"
    if e.errno == errno.ELOOP:
        return "became a link while being read; links are not followed"
    return f"cannot be read: {os.strerror(e.errno) if e.errno else type(e).__name__}"


def _open_read(path: Path, n: int) -> bytes:
    """At most ``n`` bytes of ``path``, checked by :func:`_open_problem` first: a link it allowed is
    opened at its target, resolved once, and always with O_NOFOLLOW, so a file swapped for a link
    after the check is not followed; O_NONBLOCK, so a file swapped for a pipe does not hang."""
    why = _open_problem(path, path.name)
    if why:
        raise OSError(errno.EPERM if "link" in why else errno.ENOENT, why)
    target = path.resolve() if path.is_symlink() else path
    if path.is_symlink() and not target.is_relative_to(path.parent.resolve()):
        raise OSError(errno.ELOOP, "link swapped")
    fd = os.open(target, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as f:
        return f.read(n)


def _read_bytes(path: Path, rel: str, limit: int, problems: list[Problem]) -> bytes | None:
    why = _open_problem(path, rel)
    if why:
        problems.append(Problem(rel, None, None, why))
        return None
    try:
        raw = _open_read(path, limit + 1)
    except OSError as e:
        problems.append(Problem(rel, None, None, _os_message(e)))
        return None
    if len(raw) > limit:
        size = max(len(raw), _size(path))
        problems.append(Problem(rel, None, None, f"file is {size / 1e6:.1f} MB; the limit is {limit / 1e6:.0f} MB"))
        return None
    rec = _SOURCES.get()
    if rec is not None:
        rec[path] = raw
    return raw


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


_HTML = re.compile(rb"^\s*(<!doctype\s+html|<html|<head|<body|<\?xml[^>]*>\s*<html)", re.IGNORECASE)


def _file_kind(raw: bytes) -> str | None:
    """What a file that is not text really is, by its first bytes: ``xlsx``, ``xls``, ``ods``,
    ``docx``, ``zip``, ``pdf``, ``html``; None for anything else (text, or an unknown binary)."""
    if raw.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):  # OLE2: Excel 97-2003 (and old Word)
        return "xls"
    if raw.startswith(b"PK\x03\x04") or raw.startswith(b"PK\x05\x06"):
        try:
            with zipfile.ZipFile(io.BytesIO(raw)) as z:
                names = set(z.namelist())
                mime = z.read("mimetype")[:80] if "mimetype" in names else b""
        except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, ValueError):
            return "zip"
        if any(n.startswith("xl/") for n in names):
            return "xlsx"
        if b"opendocument.spreadsheet" in mime:
            return "ods"
        if any(n.startswith("word/") for n in names) or b"opendocument.text" in mime:
            return "docx"
        return "zip"
    if raw.startswith(b"%PDF-"):
        return "pdf"
    if _HTML.match(raw.removeprefix(codecs.BOM_UTF8)[:512]):
        return "html"
    return None


def _kind_problem(raw: bytes, rel: str) -> Problem | None:
    """A workbook, an archive, a PDF or a web page saved under a data file's name, named for what it is."""
    kind = _file_kind(raw)
    if kind is None:
        return None
    ext = Path(rel).suffix or rel
    csv = ext.lower() == ".csv"
    if kind in ("xlsx", "xls", "ods"):
        return Problem.said(rel, None, None, f"check_is_{kind}" if csv else f"check_is_{kind}_text", ext=ext)
    return Problem.said(rel, None, None, f"check_is_{kind}", ext=ext)


def _read_text(
    path: Path, rel: str, limit: int, problems: list[Problem], warnings: list[Problem], spreadsheet: bool = False
) -> Decoded | None:
    raw = _read_bytes(path, rel, limit, problems)
    if raw is None:
        return None
    if not raw:
        problems.append(Problem.said(rel, 1, None, "check_empty_file"))
        return None
    kind = _kind_problem(raw, rel)
    if kind is not None:
        problems.append(kind)
        return None
    dec = _decode(raw, rel, problems, spreadsheet)
    if dec is None:
        return None
    if not dec.text.strip():
        problems.append(Problem.said(rel, 1, None, "check_blank_file"))
        return None
    if not spreadsheet and dec.encoding == "UTF-8 with BOM":
        warnings.append(Problem(rel, 1, None, "starts with a byte-order mark (BOM); it was ignored"))
    return dec


def _half_saved(text: str, rel: str, problems: list[Problem]) -> bool:
    """A text file must end with a line end: a last record without one is usually a file cut while
    saving, and its last cell would pass, shortened."""
    if text.endswith(("\n", "\r")):
        return False
    problems.append(
        Problem(
            rel,
            text.count("\n") + 1,
            None,
            "the file does not end with a line end: it may have been cut while saving (the last "
            "record may be incomplete); save it again, ending with a line break",
        )
    )
    return True
