"""Editor accounts, sessions and throttled logins.

* Accounts live in ``<desk>/editors.json`` (outside ``data/``, git-ignored), created with
  ``python -m explainer desk add-editor NAME``. Passwords are stored as argon2id hashes
  (argon2-cffi's ``PasswordHasher``: a random salt per hash, its parameters in the hash string, so a
  hash made with weaker parameters is upgraded at the next login).
* A login opens a server-side session: a random token (``secrets``) handed to the browser session,
  of which only the SHA-256 is stored, with an expiry time (``SESSION_SECONDS``). Logging out or
  removing the account ends it.
* Wrong passwords are slowed down per account and per client: ``FREE_FAILURES`` failures in a row
  are free, each further one locks that account (and that client) for 2, 4, 8 ... seconds up to
  ``MAX_LOCK_SECONDS``. While locked, a login is refused without checking the password, so
  guessing gains nothing. Failures are forgotten ``FORGET_SECONDS`` after the last one, or at a
  successful login.

The clock is injected (``clock=``) so that expiry and lockouts are tested without waiting.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from .store import desk_dir, read_json, update_json

NAME = re.compile(r"^[a-z][a-z0-9_.-]{1,39}$")  # lower case: "Anna" and "anna" are one editor
MIN_PASSWORD = 10
MAX_PASSWORD = 1024  # argon2 hashes anything, but a megabyte "password" is an attack, not a password
SESSION_SECONDS = 8 * 3600  # one working day
FREE_FAILURES = 3
MAX_LOCK_SECONDS = 15 * 60
FORGET_SECONDS = 3600

Clock = Callable[[], float]


def now() -> float:
    """The desk's clock when none is given (the page's accounts): a test of the page replaces this."""
    return time.time()


class AccountError(ValueError):
    """A name or password that cannot be used (the message says why)."""


@dataclass(frozen=True)
class LoginRefused(Exception):
    """``reason`` = "wrong" (name or password; never which) or "throttled" (retry after ``retry_after`` s)."""

    reason: Literal["wrong", "throttled"]
    retry_after: float = 0.0


@dataclass(frozen=True)
class Session:
    token: str  # the secret the browser session holds; only its hash is stored
    editor: str
    expires: float  # epoch seconds


def _token_key(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def lock_seconds(failures: int) -> float:
    """How long the next login waits after ``failures`` wrong passwords in a row."""
    if failures <= FREE_FAILURES:
        return 0.0
    return float(min(2 ** (failures - FREE_FAILURES), MAX_LOCK_SECONDS))


class Accounts:
    """The desk's accounts and sessions in ``root`` (default: :func:`desk_dir`)."""

    def __init__(self, root: Path | None = None, clock: Clock | None = None, hasher: PasswordHasher | None = None):
        self.root = Path(root) if root is not None else desk_dir()
        self.clock = clock or now
        self.hasher = hasher or PasswordHasher()  # argon2id, RFC 9106 low-memory profile
        self.editors_file = self.root / "editors.json"
        self.sessions_file = self.root / "sessions.json"
        self.throttle_file = self.root / "throttle.json"
        self._dummy: str | None = None

    # ----------------------------------------------------------------- accounts

    def names(self) -> list[str]:
        return sorted(read_json(self.editors_file).get("editors", {}))

    def add_editor(self, name: str, password: str, replace: bool = False) -> None:
        name = name.strip().lower()
        if not NAME.match(name):
            raise AccountError(f"'{name}': a name is 2-40 characters, a-z first, then a-z 0-9 _ . -")
        if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
            raise AccountError(f"a password has {MIN_PASSWORD} to {MAX_PASSWORD} characters")
        if password.strip() != password:
            raise AccountError("a password may not start or end with spaces (they are easy to lose when typing)")
        digest = self.hasher.hash(password)

        def change(doc: dict[str, Any]) -> None:
            editors = doc.setdefault("editors", {})
            if name in editors and not replace:
                raise AccountError(f"editor '{name}' exists already (use --replace to set a new password)")
            editors[name] = {"hash": digest, "created": _iso(self.clock())}

        update_json(self.editors_file, change)
        if replace:
            self._end_sessions(name)

    def remove_editor(self, name: str) -> None:
        update_json(self.editors_file, lambda doc: doc.setdefault("editors", {}).pop(name, None))
        self._end_sessions(name)

    # ----------------------------------------------------------------- login

    def login(self, name: str, password: str, client: str = "") -> Session:
        """A new session for a right name and password; :class:`LoginRefused` otherwise."""
        name = name.strip().lower()
        keys = [f"user:{name}"] + ([f"client:{client}"] if client else [])
        now = self.clock()
        wait = self._locked_for(keys, now)
        if wait > 0:
            raise LoginRefused("throttled", wait)
        record = read_json(self.editors_file).get("editors", {}).get(name)
        ok = False
        if len(password) <= MAX_PASSWORD:
            try:
                # an unknown name still costs one verification, so timing does not tell names apart
                ok = self.hasher.verify(record["hash"] if record else self._dummy_hash(), password) and record is not None
            except (VerifyMismatchError, VerificationError, InvalidHashError):
                ok = False
        if not ok:
            self._fail(keys, now)
            raise LoginRefused("wrong")
        self._clear(keys)
        if self.hasher.check_needs_rehash(record["hash"]):
            new = self.hasher.hash(password)
            update_json(self.editors_file, lambda doc: doc["editors"].get(name, {}).update(hash=new))
        return self._open(name, now)

    def _dummy_hash(self) -> str:
        if self._dummy is None:
            self._dummy = self.hasher.hash(secrets.token_urlsafe(16))
        return self._dummy

    # ----------------------------------------------------------------- throttling

    def _locked_for(self, keys: list[str], now: float) -> float:
        state = read_json(self.throttle_file)
        wait = 0.0
        for k in keys:
            entry = state.get(k)
            if entry:
                wait = max(wait, float(entry.get("until", 0)) - now)
        return wait

    def _fail(self, keys: list[str], now: float) -> None:
        def change(doc: dict[str, Any]) -> None:
            for k in keys:
                entry = doc.get(k) or {}
                n = int(entry.get("failures", 0)) if now - float(entry.get("last", now)) < FORGET_SECONDS else 0
                n += 1
                doc[k] = {"failures": n, "last": now, "until": now + lock_seconds(n)}
            for k in [k for k, e in doc.items() if now - float(e.get("last", 0)) >= FORGET_SECONDS]:
                del doc[k]

        update_json(self.throttle_file, change)

    def _clear(self, keys: list[str]) -> None:
        def change(doc: dict[str, Any]) -> None:
            for k in keys:
                doc.pop(k, None)

        update_json(self.throttle_file, change)

    def failures(self, key: str) -> int:
        """Wrong passwords in a row for ``user:<name>`` or ``client:<id>`` (for tests and the CLI)."""
        return int((read_json(self.throttle_file).get(key) or {}).get("failures", 0))

    # ----------------------------------------------------------------- sessions

    def _open(self, name: str, now: float) -> Session:
        token = secrets.token_urlsafe(32)
        expires = now + SESSION_SECONDS

        def change(doc: dict[str, Any]) -> None:
            table = doc.setdefault("sessions", {})
            for k in [k for k, s in table.items() if float(s.get("expires", 0)) <= now]:
                del table[k]
            table[_token_key(token)] = {"editor": name, "expires": expires, "created": now}

        update_json(self.sessions_file, change)
        return Session(token, name, expires)

    def session(self, token: str | None) -> Session | None:
        """The live session for ``token``: None when unknown, expired, or its editor was removed."""
        if not token:
            return None
        entry = read_json(self.sessions_file).get("sessions", {}).get(_token_key(token))
        if not entry or float(entry["expires"]) <= self.clock():
            return None
        if entry["editor"] not in read_json(self.editors_file).get("editors", {}):
            return None
        return Session(token, str(entry["editor"]), float(entry["expires"]))

    def logout(self, token: str) -> None:
        update_json(self.sessions_file, lambda doc: doc.setdefault("sessions", {}).pop(_token_key(token), None))

    def _end_sessions(self, name: str) -> None:
        def change(doc: dict[str, Any]) -> None:
            table = doc.setdefault("sessions", {})
            for k in [k for k, s in table.items() if s.get("editor") == name]:
                del table[k]

        update_json(self.sessions_file, change)


def _iso(epoch: float) -> str:
    return dt.datetime.fromtimestamp(epoch, dt.UTC).isoformat(timespec="seconds")
