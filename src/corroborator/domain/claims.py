"""Claims drawn from an article."""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Literal

from pydantic import BaseModel, Field


class ClaimKind(str, Enum):
    EVENT = "event"
    QUANTITY = "quantity"
    QUOTE = "quote"  # quote or attribution: "X said ..."
    BACKGROUND = "background"


class Claim(BaseModel):
    """An atomic, checkable statement taken from the checked article."""

    id: str
    text: str = Field(description="self-contained claim text (pronouns resolved where possible)")
    span: tuple[int, int] = Field(description="character span [start, end) in the article text")
    kind: ClaimKind
    sentence: str = Field(description="the article sentence the claim comes from")
    entities: list[str] = Field(default_factory=list)
    numbers: list[float] = Field(default_factory=list)
    dates: list[date] = Field(default_factory=list)
    date_precisions: list[Literal["day", "month", "year"]] = Field(
        default_factory=list, description="how precise each of `dates` is (a year alone is filled in by the parser)"
    )
    checked_as: str | None = Field(
        default=None, description="what the verifier reads when the claim needs its context to stand alone: the whole "
        "sentence of a clause, or the sentence before it for a 'such'/'this'/pronoun subject (shown in the report)"
    )
    opinion: bool = Field(default=False, description="opinion, recommendation or prediction: reported, not checked")
    checkworthiness: float | None = Field(
        default=None, description="P(check-worthy) from the check-worthiness model (checkworthy.py); None if not scored"
    )
