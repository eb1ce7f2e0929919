"""Shared fixtures: the real demo corpus indexed once into a real store per test session."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

from corroborator.app import Corroborator, Settings
from corroborator.ingest import read_paths
from corroborator.runtime.embedder import default_embedder

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
