"""Shared fixtures: the real demo corpus indexed once into a real store per test session."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

from corroborator.embed import default_embedder
from corroborator.pipeline import Indexer, open_for_index

DEMO = Path(str(resources.files("corroborator") / "demo"))
SHARED_DATA = Path(os.environ.get("CORROBORATOR_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))


@pytest.fixture(scope="session")
def embedder():
    return default_embedder()


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory, embedder) -> Path:
    path = tmp_path_factory.mktemp("stores") / "demo"
    store = open_for_index(path, embedder)
    try:
        result = Indexer(store, embedder).run([DEMO / "corpus"])
    finally:
        store.close()
    assert result.added > 20 and not result.errors
    return path


def run_cli(*args: str, env: dict | None = None, timeout: int = 300) -> subprocess.CompletedProcess:
    """The real command line, in a child process (exit codes and stderr as a user sees them)."""
    full_env = {**os.environ, "COLUMNS": "160", **(env or {})}
    full_env.pop("CORROBORATOR_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "corroborator.cli", *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=timeout,
    )
