"""What every section shares: the run's results, one live server, one static export, the data's dates,
and AppTest helpers."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from explainer.paths import APP, ROOT
from explainer.ui.registry import view_ids

from .probes import StreamlitServer
from .results import Results

VIEWS = view_ids()  # one per file in pages/


class Bench:
    def __init__(self, results: Results):
        self.r = results
        self.quick = results.quick
        self.tmp = Path(tempfile.mkdtemp(prefix="explainer-bench-"))
        self.tmp.chmod(0o755)  # nginx workers (user nobody) must reach their temp folders
        self._server: StreamlitServer | None = None
        self._export: tuple[Path | None, float | None, str] | None = None

    def server(self) -> StreamlitServer:
        """One live server shared by the `bytes` and `browser` sections."""
        if self._server is None:
            self._server = StreamlitServer().start()
        return self._server

    def export(self) -> tuple[Path | None, float | None, str]:
        """Run the static export once: (folder or None, seconds, message)."""
        if self._export is None:
            out = self.tmp / "export"
            cmd = [sys.executable, "-m", "explainer", "export", "--out", str(out), "--rights-preview"]
            if self.quick:  # no PNG fallbacks: kaleido takes most of the full export's time
                cmd.append("--no-images")
            t0 = time.perf_counter()
            try:
                r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=1200)
            except subprocess.TimeoutExpired:
                self._export = (None, None, "not available: export did not finish in 20 min")
                return self._export
            secs = time.perf_counter() - t0
            last = (r.stdout.strip().splitlines() or [""])[-1]
            if r.returncode != 0 or not (out / LATEST / "fr" / "map.html").is_file():
                err = " | ".join((r.stderr or r.stdout).strip().splitlines()[-3:])
                self._export = (None, secs, f"not available: the export exited {r.returncode}: {err}")
            else:
                self._export = (out, secs, last)
        return self._export

    def close(self) -> None:
        if self._server is not None:
            self._server.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)


LATEST = "latest"  # the export's newest version, as an embed that follows the data loads it (docs/publishing.md)


def control_dates() -> list[dt.date]:
    """Every date with a control snapshot, from the bundled data."""
    from explainer.load import load_bundle
    from explainer.store import default_dirs
    from explainer.ui.state import control_dates as dates

    return dates(load_bundle(*default_dirs()))


def start_date(dates: list[dt.date], moves: int) -> dt.date:
    """The first snapshot date from which `moves` week steps forward each land on a new snapshot (read from
    the data, so the date moves never stall on a gap)."""
    from explainer.figures import nearest_date

    for d in dates:
        seen, day = [d], d
        for _ in range(moves):
            day = nearest_date(dates, min(day + dt.timedelta(days=7), dates[-1]))
            seen.append(day)
        if len(set(seen)) == moves + 1:
            return d
    return dates[0]


def apptest(params: dict, timeout: float = 120):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP), default_timeout=timeout)
    for k, v in params.items():
        at.query_params[k] = v
    return at


def check(at, what: str) -> None:
    if at.exception:
        raise RuntimeError(f"{what}: exception in the app: {at.exception[0].message}")


def query_param(at, key):
    v = at.query_params.get(key)
    return v[0] if isinstance(v, list) else v
