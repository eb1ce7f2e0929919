"""Signals found in an article's own text (sourcing, hedging, techniques)."""

from __future__ import annotations

from pydantic import BaseModel, Field

# `corroborator signals --format json`: spans index "text"; "text_offset" maps them to the file.
SIGNALS_SCHEMA = "corroborator.signals/1"


class Signal(BaseModel):
    """A sourcing, hedging or propaganda-technique flag on the checked text (signals/)."""

    type: str = Field(description="the signal family: sourcing | hedging | loaded_language, or a plug-in's name")
    subtype: str = Field(description="sourcing: on_record | anonymous | documents | vague | none; "
                                     "hedging: modal | evidential | probability; "
                                     "loaded_language: the technique (SemEval-2020 Task 11 names)")
    span: tuple[int, int] = Field(description="[start, end) in article_text")
    text: str
    explanation: str
    claim_id: str | None = None
    strength: float | None = Field(default=None, description="techniques: the technique's weight (1.0 name calling "
                                   "or an appeal to fear ... 0.4 one charged word) times the tagger's probability for "
                                   "the span, halved inside a quotation; what risk weighs")
