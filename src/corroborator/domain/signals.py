"""Signals found in an article's own text (sourcing, hedging, techniques)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

# `corroborator signals --format json`: spans index "text"; "text_offset" maps them to the file.
SIGNALS_SCHEMA = "corroborator.signals/1"


class Signal(BaseModel):
    """A sourcing, hedging (or, later, loaded-language) flag on the checked text (signals.py)."""

    type: Literal["sourcing", "hedging", "loaded_language"]
    subtype: str = Field(description="sourcing: on_record | anonymous | documents | vague | none; "
                                     "hedging: modal | evidential | probability")
    span: tuple[int, int] = Field(description="[start, end) in article_text")
    text: str
    explanation: str
    claim_id: str | None = None
