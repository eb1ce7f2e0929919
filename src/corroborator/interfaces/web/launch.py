"""`corroborator serve` in a child process, waited on until it answers /readyz: for the load
benchmark, the fault tests and anyone scripting a server (a supervisor does this in production)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path


def free_port() -> int:
    """A loopback port nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(store: Path | str, port: int, log: Path, *options: str, timeout: float = 180) -> subprocess.Popen:
    """Start ``corroborator serve --store STORE --port PORT OPTIONS...`` (its output appended to
    ``log``, in its own process group) and return once it is ready; RuntimeError with the end of
    the log if it exits or is not ready within ``timeout`` seconds."""
    with log.open("a") as out:
        proc = subprocess.Popen([sys.executable, "-m", "corroborator", "serve", "--store", str(store),
                                 "--port", str(port), *options],
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=5) as response:
                if response.status == 200:
                    return proc
        except (urllib.error.URLError, OSError):
            pass
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited ({proc.returncode}):\n{log.read_text()[-3000:]}")
        time.sleep(0.3)
    proc.kill()
    raise RuntimeError(f"the server was not ready within {timeout:.0f} s:\n{log.read_text()[-3000:]}")
