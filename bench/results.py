"""Results of a run: one metric per row (its samples and targets), the notes of each section, the machine,
and the two reports (``bench.json``, every sample; ``bench.md``, one table)."""

from __future__ import annotations

import datetime as dt
import importlib.metadata as md
import json
import os
import platform
import shutil
import statistics
import subprocess
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .probes import CHROMIUM


def pct(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p95 of fewer than 20 samples is the maximum)."""
    v = sorted(values)
    k = max(0, min(len(v) - 1, -(-len(v) * p // 100) - 1))
    return v[int(k)]


@dataclass
class Metric:
    section: str
    name: str
    unit: str
    values: list[float]
    targets: list[tuple[str, str, float]] = field(default_factory=list)  # (stat, op, limit)
    note: str = ""

    def stat(self, which: str) -> float | None:
        if not self.values:
            return None
        return {
            "min": min,
            "max": max,
            "median": statistics.median,
            "p50": statistics.median,
            "p95": lambda v: pct(v, 95),
            "value": lambda v: v[-1],
        }[which](self.values)

    def met(self) -> bool | None:
        if not self.targets or not self.values:
            return None
        ops = {"<=": lambda a, b: a <= b, "==": lambda a, b: a == b, ">=": lambda a, b: a >= b}
        return all(ops[op](self.stat(s), lim) for s, op, lim in self.targets)

    def target_text(self) -> str:
        sym = {"<=": "≤", "==": "=", ">=": "≥"}
        return ", ".join(
            f"{'' if s == 'value' else s + ' '}{sym[op]} {fmt(lim, self.unit)} {self.unit}".replace("  ", " ")
            for s, op, lim in self.targets
        )


def fmt(x: float | None, unit: str) -> str:
    if x is None:
        return "–"
    if unit == "count":
        return f"{x:.0f}"
    if unit in ("×", "s"):
        return f"{x:.2f}"
    if abs(x) >= 100:
        return f"{x:.0f}"
    if abs(x) >= 10:
        return f"{x:.1f}"
    return f"{x:.2f}" if abs(x) >= 0.1 or x == 0 else f"{x:.3f}"


class Results:
    def __init__(self, out: Path, quick: bool, skip: set[str]):
        self.out, self.quick, self.skip = out, quick, skip
        self.metrics: list[Metric] = []
        self.notes: dict[str, list[str]] = defaultdict(list)
        self.status: dict[str, str] = {}
        self.raw: dict[str, object] = {}
        self.durations: dict[str, float] = {}

    def add(self, section, name, unit, values, targets=(), note="") -> Metric:
        m = Metric(section, name, unit, [float(v) for v in values], list(targets), note)
        self.metrics.append(m)
        return m

    def note(self, section: str, text: str) -> None:
        self.notes[section].append(text)


def machine() -> dict:
    def first(path, prefix):
        try:
            return next(
                (ln.split(":", 1)[1].strip() for ln in Path(path).read_text().splitlines() if ln.startswith(prefix)), None
            )
        except OSError:
            return None

    def version(cmd):
        try:
            r = subprocess.run(cmd, capture_output=True, text=True, timeout=20)
            return (r.stdout or r.stderr).strip().splitlines()[0]
        except (OSError, subprocess.SubprocessError, IndexError):
            return None

    def pkg(name):
        try:
            return md.version(name)
        except md.PackageNotFoundError:
            return None

    mem = first("/proc/meminfo", "MemTotal")
    return {
        "date": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        "cpu_count": os.cpu_count(),
        "cpu_model": first("/proc/cpuinfo", "model name"),
        "ram_gb": round(int(mem.split()[0]) / 1024 / 1024, 1) if mem else None,
        "os": platform.platform(),
        "python": platform.python_version(),
        "streamlit": pkg("streamlit"),
        "plotly": pkg("plotly"),
        "playwright": pkg("playwright"),
        "chromium": version([CHROMIUM, "--version"]) if Path(CHROMIUM).exists() else None,
        "nginx": version([nginx_exe(), "-v"]) if nginx_exe() else None,
        "loadavg_start": [round(x, 2) for x in os.getloadavg()],
    }


def write_reports(r: Results, mach: dict, total_s: float, sections: tuple[str, ...], method: dict[str, str]) -> None:
    r.out.mkdir(parents=True, exist_ok=True)
    doc = {
        "machine": mach,
        "quick": r.quick,
        "skipped": sorted(r.skip),
        "status": r.status,
        "durations_s": {k: round(v, 1) for k, v in r.durations.items()},
        "total_s": round(total_s, 1),
        "metrics": [
            {
                **asdict(m),
                "min": m.stat("min"),
                "median": m.stat("median"),
                "p95": m.stat("p95"),
                "max": m.stat("max"),
                "n": len(m.values),
                "target": m.target_text(),
                "met": m.met(),
            }
            for m in r.metrics
        ],
        "notes": r.notes,
        "raw": r.raw,
    }
    (r.out / "bench.json").write_text(json.dumps(doc, indent=1, ensure_ascii=False, default=str), "utf-8")

    lines = [
        f"# Benchmark{' (quick)' if r.quick else ''}",
        "",
        f"`python -m bench --out {r.out}{' --quick' if r.quick else ''}"
        f"{' --skip ' + ','.join(sorted(r.skip)) if r.skip else ''}` — {mach['date']}, {total_s / 60:.1f} min.",
        "",
        f"Machine: {mach['cpu_count']} CPU ({mach['cpu_model']}), {mach['ram_gb']} GB RAM, {mach['os']}; "
        f"Python {mach['python']}, streamlit {mach['streamlit']}, plotly {mach['plotly']}, "
        f"playwright {mach['playwright']}, {mach['chromium']}, {mach['nginx'] or 'nginx not installed'}. "
        f"Load average (1, 5, 15 min) at start {mach['loadavg_start']}, at end {mach.get('loadavg_end')}: "
        "the machine was shared with other test runs, so absolute times are pessimistic.",
        "",
        "Sections: "
        + ", ".join(
            f"`{s}` {r.status.get(s, 'skipped')}" + (f" ({r.durations[s]:.0f} s)" if s in r.durations else "") for s in sections
        )
        + ". p95 is the nearest-rank 95th percentile (the maximum when n < 20).",
        "",
        "| metric | min | median | p95 | max | n | target | met? |",
        "|---|---:|---:|---:|---:|---:|---|:-:|",
    ]
    for s in sections:
        ms = [m for m in r.metrics if m.section == s]
        if not ms:
            continue
        lines.append(f"| **{s}** | | | | | | | |")
        for m in ms:
            met = {True: "yes", False: "**NO**", None: ""}[m.met()]
            if not m.values:
                note = (m.note or "n/a").replace("|", "/").replace("\n", " ")[:160]
                lines.append(f"| {m.name.strip()} ({m.unit}) | – | – | – | – | 0 | {m.target_text()} | {note} |")
                continue
            cells = [fmt(m.stat(k), m.unit) for k in ("min", "median", "p95", "max")]
            name = m.name.replace("|", "/")
            indent = "&nbsp;&nbsp;" if name.startswith("  ") else ""
            lines.append(
                f"| {indent}{name.strip()} ({m.unit}) | {' | '.join(cells)} | {len(m.values)} | {m.target_text()} | {met} |"
            )
    lines += ["", "## What is measured", ""]
    for s in sections:
        if s in r.skip:
            continue
        lines.append(f"**{s}.** {method[s]}")
        for n in r.notes.get(s, []):
            lines.append(f"- {n}")
        lines.append("")
    (r.out / "bench.md").write_text("\n".join(lines).rstrip() + "\n", "utf-8")


def nginx_exe() -> str | None:
    """Debian's nginx (`make nginx` installs it; the benchmark never installs anything)."""
    return shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
