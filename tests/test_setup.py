"""`make chromium` / `make nginx` on a busy machine: they wait for Debian's package lock (apt-get's
DPkg::Lock::Timeout, and a retry of `apt-get update`, whose lists lock that option does not cover),
call sudo only when not root, and say what to do with neither root nor sudo. Run against test
doubles of apt-get, sudo and id first on PATH, which record their arguments: nothing is installed."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import scaled

from explainer.paths import ROOT

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")

# apt-get double: records its arguments; `update` fails with apt's own lock message while the
# counter file says another install still holds the lock.
APT_GET = """#!/bin/sh
echo "$*" >> "$FAKE_LOG/apt-get"
case "$*" in *" update"*)
  n=$(cat "$FAKE_LOG/lock-held" 2>/dev/null || echo 0)
  if [ "$n" -gt 0 ]; then
    echo $((n - 1)) > "$FAKE_LOG/lock-held"
    echo "E: Could not get lock /var/lib/apt/lists/lock. It is held by process 4242 (apt-get)" >&2
    exit 100
  fi;;
esac
case "$*" in *"install -y -qq nginx-light"*) [ -z "${FAKE_NO_NGINX_LIGHT:-}" ] || exit 100;; esac
exit 0
"""
SUDO = """#!/bin/sh
echo "$*" >> "$FAKE_LOG/sudo"
exec "$@"
"""
NOT_ROOT = '#!/bin/sh\n[ "${1:-}" = -u ] && echo 1000 || exec /usr/bin/id "$@"\n'


def _fakes(tmp_path: Path, *, sudo: bool, root: bool) -> tuple[Path, Path]:
    bin_dir, log = tmp_path / "bin", tmp_path / "log"
    bin_dir.mkdir()
    log.mkdir()
    scripts = {"apt-get": APT_GET} | ({"sudo": SUDO} if sudo else {}) | ({} if root else {"id": NOT_ROOT})
    for name, text in scripts.items():
        (bin_dir / name).write_text(text)
        (bin_dir / name).chmod(0o755)
    return bin_dir, log


def make(target: str, bin_dir: Path, log: Path, *, path: str | None = None, **env: str) -> subprocess.CompletedProcess[str]:
    """`make <target>` with the doubles first on PATH; the program looked for is absent, so it installs."""
    # without a sudo double, PATH must hold no real sudo: a copy of the few programs the recipe needs
    base = path if path is not None else os.environ["PATH"]
    return subprocess.run(
        ["make", "-s", target, "CHROMIUM=no-such-chromium", "NGINX=no-such-nginx"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=scaled(60),
        env={**os.environ, "PATH": f"{bin_dir}:{base}", "FAKE_LOG": str(log), "APT_LOCK_POLL": "0", **env},
    )


def calls(log: Path, name: str) -> list[str]:
    f = log / name
    return f.read_text().splitlines() if f.exists() else []


def test_chromium_as_root_waits_for_the_lock_without_sudo(tmp_path):
    bin_dir, log = _fakes(tmp_path, sudo=True, root=True)
    if os.geteuid() != 0:  # the machine's own id says root only when it is
        (bin_dir / "id").write_text('#!/bin/sh\n[ "${1:-}" = -u ] && echo 0 || exec /usr/bin/id "$@"\n')
        (bin_dir / "id").chmod(0o755)
    (log / "lock-held").write_text("2")  # another install holds the lists lock for two attempts
    r = make("chromium", bin_dir, log)
    assert r.returncode == 0, r.stdout + r.stderr
    apt = calls(log, "apt-get")
    assert [c for c in apt if c.endswith("update -qq")] == ["-o DPkg::Lock::Timeout=600 update -qq"] * 3, apt
    assert apt[-1] == "-o DPkg::Lock::Timeout=600 install -y -qq chromium", apt
    assert r.stdout.count("waiting for Debian's package lock") == 2, r.stdout
    assert calls(log, "sudo") == []


def test_chromium_not_root_goes_through_sudo(tmp_path):
    bin_dir, log = _fakes(tmp_path, sudo=True, root=False)
    r = make("chromium", bin_dir, log)
    assert r.returncode == 0, r.stdout + r.stderr
    assert calls(log, "sudo") == [
        "apt-get -o DPkg::Lock::Timeout=600 update -qq",
        "env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq chromium",
    ]


def test_neither_root_nor_sudo_says_what_to_do(tmp_path):
    bin_dir, log = _fakes(tmp_path, sudo=False, root=False)
    # a PATH with the recipe's programs but no sudo (the machine may have one in /usr/bin)
    tools = tmp_path / "tools"
    tools.mkdir()
    for prog in ("sh", "date", "cat", "env", "make", "printf"):
        found = shutil.which(prog)
        if found:
            (tools / prog).symlink_to(found)
    r = make("chromium", bin_dir, log, path=str(tools))
    assert r.returncode != 0
    assert "needs root or sudo" in r.stderr and "apt-get install chromium" in r.stderr, r.stderr
    assert calls(log, "apt-get") == []


def test_a_lock_held_past_the_timeout_gives_up_with_a_message(tmp_path):
    bin_dir, log = _fakes(tmp_path, sudo=True, root=True)
    (log / "lock-held").write_text("1000000")
    r = make("chromium", bin_dir, log, APT_LOCK_TIMEOUT="0")
    assert r.returncode != 0
    assert "Could not get lock" in r.stderr and "more than 0 s" in r.stderr, r.stderr
    assert not [c for c in calls(log, "apt-get") if " install " in c]


def test_nginx_falls_back_to_the_full_package(tmp_path):
    bin_dir, log = _fakes(tmp_path, sudo=True, root=True)
    r = make("nginx", bin_dir, log, FAKE_NO_NGINX_LIGHT="1")
    assert r.returncode == 0, r.stdout + r.stderr
    installs = [c for c in calls(log, "apt-get") if " install " in c]
    assert installs == [f"-o DPkg::Lock::Timeout=600 install -y -qq {p}" for p in ("nginx-light", "nginx")]
