"""What a check knows as it goes: one object the stages read and fill in, in order."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from corroborator.domain import Article, Claim, ClaimResult, Report, Signal


@dataclass
class CheckState:
    article: Article
    progress: Callable[[str, int, int], None] = lambda stage, done, total: None
    doc: object = None                      # the spaCy parse (claims)
    claims: list[Claim] = field(default_factory=list)
    signals: list[Signal] = field(default_factory=list)
    claim_vectors: object = None            # embeddings of the claims (retrieve)
    retrieved: dict = field(default_factory=dict)       # claim id -> [Candidate] (retrieve)
    versions: set[str] = field(default_factory=set)     # stored near-duplicates of the article (retrieve)
    same_origin: set[str] = field(default_factory=set)  # other stored articles of its own origin (retrieve)
    pairs: list = field(default_factory=list)           # (claim, candidate) (verify)
    model_probs: list = field(default_factory=list)     # the verifier's own stances (verify)
    probs: list = field(default_factory=list)           # after the checks beside it (verify)
    premises: list = field(default_factory=list)        # per pair: the passage read instead of the sentence, or None (verify)
    mismatches: list = field(default_factory=list)      # per pair (verify)
    evidence_dates: list = field(default_factory=list)  # per pair: the sentence's own dates, or None (verify)
    when: dict = field(default_factory=dict)            # claim id -> its time (corroborate)
    stories: dict = field(default_factory=dict)         # evidence article id -> story match (corroborate)
    name_shares: dict = field(default_factory=dict)     # evidence article id -> distinctive name share (corroborate)
    name_weights: dict = field(default_factory=dict)    # the article's distinctive names -> idf weight (corroborate)
    story_names: float = 0.0                # the best of them (record)
    results: list[ClaimResult] = field(default_factory=list)  # (corroborate, record)
    coverage: float = 0.0                   # (record)
    covered: bool = False
    story_similarity: float = 0.0
    story_articles: set[str] = field(default_factory=set)
    shown_versions: list[str] = field(default_factory=list)
    factors: dict[str, float] = field(default_factory=dict)  # risk inputs (assess)
    risk: float = 0.0
    risk_factors: list = field(default_factory=list)
    report: Report | None = None            # (report)
    started: float = field(default_factory=time.perf_counter)
    marks: dict[str, float] = field(default_factory=dict)    # stage -> time it ended

    def mark(self, stage: str) -> None:
        self.marks[stage] = time.perf_counter()
