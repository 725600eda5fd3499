#!/bin/sh
# Install a Debian package for the suite or the benchmark (make chromium, make nginx), waiting for
# Debian's package lock when another install is running instead of failing.
#   usage: scripts/apt-install.sh PACKAGE [FALLBACK ...]   (the first one that installs wins)
# As root, apt-get runs directly (no sudo); otherwise through sudo; with neither, it says what to do.
# APT_LOCK_TIMEOUT: seconds to wait for the lock (default 600); APT_LOCK_POLL: seconds between
# attempts at `apt-get update`, whose lists lock DPkg::Lock::Timeout does not cover (apt 2.6).
set -u
[ $# -ge 1 ] || { echo "usage: $0 PACKAGE [FALLBACK ...]" >&2; exit 2; }
wait_s=${APT_LOCK_TIMEOUT:-600}
poll_s=${APT_LOCK_POLL:-5}
if [ "$(id -u)" = 0 ]; then
  sudo=""
elif command -v sudo >/dev/null 2>&1; then
  sudo="sudo"
else
  echo "cannot install Debian '$1': this needs root or sudo, and this user has neither." >&2
  echo "Ask an administrator to run: apt-get install $1   (then run make again)," >&2
  echo "or run make as root." >&2
  exit 1
fi
apt="apt-get -o DPkg::Lock::Timeout=$wait_s"
deadline=$(( $(date +%s) + wait_s ))
while ! out=$($sudo $apt update -qq 2>&1); do
  case $out in
    *"Could not get lock"*|*"Unable to lock"*) ;;
    *) printf '%s\n' "$out" >&2; exit 1 ;;
  esac
  if [ "$(date +%s)" -ge "$deadline" ]; then
    printf '%s\n' "$out" >&2
    echo "another install held Debian's package lock for more than ${wait_s} s; try again when it has finished" >&2
    exit 1
  fi
  echo "waiting for Debian's package lock (another install is running)"
  sleep "$poll_s"
done
for pkg in "$@"; do
  $sudo env DEBIAN_FRONTEND=noninteractive $apt install -y -qq "$pkg" && exit 0
done
exit 1
