"""nginx in front of two replicas, sticky by a route cookie (config: scripts/nginx.conf.tmpl).

nginx is Debian's package, installed by `make nginx` (the benchmark never installs anything); it runs as
the benchmark's own foreground child with a private prefix, never as the system service."""

from __future__ import annotations

import signal
import subprocess
from pathlib import Path

from explainer.paths import SCRIPTS

from .probes import free_port, terminate, wait_http

TEMPLATE = SCRIPTS / "nginx.conf.tmpl"


# The app's static files (`server.enableStaticServing`: the map's date files, the components' scripts and
# figures, plotly.js) served by nginx from the folder the replicas write, as docs/publishing.md tells a
# newsroom: a date move then never reaches a Streamlit process. A file not written yet (a replica writes
# its files as its first reader needs them) is asked of the replicas.
STATIC_BLOCK = """        location /app/static/ {
            alias @STATIC@/;
            types {
                application/json json;
                text/javascript js;
                image/svg+xml svg;
                image/png png;
                text/css css;
                text/plain txt;
            }
            add_header X-Content-Type-Options nosniff always;
            log_not_found off;
            error_page 404 = @replicas;
        }
        location @replicas {
            proxy_pass http://streamlit_replicas;
            proxy_http_version 1.1;
            proxy_set_header Host $http_host;
        }
"""


class Nginx:
    def __init__(self, exe: str, prefix: Path, ports: tuple[int, int], gzip: bool = True, static: Path | None = None):
        """``ports``: the two replicas (the same port twice for one); ``gzip``: compress as a production proxy
        does (docs/publishing.md), or pass Streamlit's responses through unchanged; ``static``: the app's
        static folder, served from disk (else every request goes to the replicas)."""
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.prefix = prefix
        for sub in ("tmp/body", "tmp/proxy", "tmp/fastcgi", "tmp/uwsgi", "tmp/scgi"):
            (prefix / sub).mkdir(parents=True, exist_ok=True)
        for p in [prefix, prefix / "tmp", *(prefix / "tmp").iterdir()]:
            p.chmod(0o777 if p.parent.name == "tmp" else 0o755)
        conf = TEMPLATE.read_text("utf-8")
        for k, v in {
            "PREFIX": str(prefix),
            "LISTEN": str(self.port),
            "REPLICA_A": str(ports[0]),
            "REPLICA_B": str(ports[1]),
            "GZIP": "on" if gzip else "off",
            "STATIC_BLOCK": STATIC_BLOCK.replace("@STATIC@", str(static)) if static is not None else "",
        }.items():
            conf = conf.replace(f"@{k}@", v)
        (prefix / "nginx.conf").write_text(conf, "utf-8")
        check = subprocess.run(
            [exe, "-t", "-q", "-p", str(prefix), "-e", str(prefix / "error.log"), "-c", str(prefix / "nginx.conf")],
            capture_output=True,
            text=True,
            timeout=30,
        )
        if check.returncode != 0:
            raise RuntimeError(f"nginx -t failed: {check.stderr.strip()[-400:]}")
        self.proc = subprocess.Popen(
            [exe, "-p", str(prefix), "-e", str(prefix / "error.log"), "-c", str(prefix / "nginx.conf")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_http(self.url + "/_stcore/health", 30, self.proc)

    def workers(self) -> list[int]:
        """The worker processes' pids (they serve the requests; the master only starts them)."""
        import psutil

        try:
            return [c.pid for c in psutil.Process(self.proc.pid).children()]
        except psutil.Error:
            return []

    def stop(self) -> None:
        terminate(self.proc, signal.SIGQUIT, 15)  # graceful: finish and log open connections

    def access_log(self) -> list[dict]:
        out = []
        path = self.prefix / "access.log"
        for line in path.read_text("utf-8", "replace").splitlines() if path.exists() else []:
            parts = line.split()
            rec = {"status": parts[1] if len(parts) > 1 else "", "uri": parts[3] if len(parts) > 3 else ""}
            for p in parts[4:]:
                if "=" in p:
                    k, v = p.split("=", 1)
                    rec[k] = v
            out.append(rec)
        return out
