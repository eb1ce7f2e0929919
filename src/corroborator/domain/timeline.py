"""Events: stories the archive tells, joined across outlets (the timeline)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field


class Event(BaseModel):
    """A cluster of stored articles about one happening (events.cluster_events)."""

    id: str
    first: date
    last: date
    title: str
    articles: list[str]
    outlets: list[str]
    origins: list[str] = Field(description="independent origins reporting it")
    sentences: int = Field(description="sentences stored for its articles")
    claims: int = Field(default=0, description="distinct checkable statements across its articles (a wire copy's count once)")
    names: list[str] = Field(default_factory=list, description="names most of its articles share, most shared first")
