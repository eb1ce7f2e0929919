"""Defaults and limits, overridable by environment variables."""

from __future__ import annotations

import os
from pathlib import Path

# A file larger than this is refused as one article (a bulk .jsonl/.csv/.warc is streamed,
# and the limit then applies to each record's text).
MAX_ARTICLE_BYTES = int(os.environ.get("CORROBORATOR_MAX_ARTICLE_BYTES", 5 * 1024 * 1024))
MAX_BULK_FILE_BYTES = int(os.environ.get("CORROBORATOR_MAX_BULK_BYTES", 4 * 1024**3))
# Texts shorter than this carry no checkable content.
MIN_ARTICLE_CHARS = 40


def default_store_dir() -> Path:
    env = os.environ.get("CORROBORATOR_STORE")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "corroborator"


def shared_data_dir() -> Path:
    """The public datasets folder (../shared/data beside the repo by default)."""
    env = os.environ.get("CORROBORATOR_DATA")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[3] / "shared" / "data"
