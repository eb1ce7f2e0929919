"""Defaults and limits, overridable by environment variables."""

from __future__ import annotations

import os
from pathlib import Path

# A file larger than this is refused as one article (bulk .jsonl/.csv/.warc files are
# streamed record by record instead).
MAX_ARTICLE_BYTES = int(os.environ.get("CORROBORATOR_MAX_ARTICLE_BYTES", 5 * 1024 * 1024))
# Texts shorter than this carry no checkable content (a five-word claim: "Unemployment fell
# to 3.5% in May." is 33 characters; `corroborator claims` scores lists of such sentences).
MIN_ARTICLE_CHARS = 20


def default_store() -> str | Path:
    """The store when none is given: $CORROBORATOR_STORE (a folder, or an address such as
    postgresql://user@host/db, kept as given), else the per-user data folder."""
    env = os.environ.get("CORROBORATOR_STORE")
    if env:
        return env if "://" in env else Path(env).expanduser()
    return user_store_dir()


def user_store_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "corroborator"
