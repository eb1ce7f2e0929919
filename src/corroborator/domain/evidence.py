"""Evidence for a claim and what was concluded from it: stance probabilities, candidates,
evidence cards, verdicts and the claim against the record."""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Literal

from pydantic import BaseModel, Field, field_validator

from corroborator.domain.article import HasOrigin, safe_url, source_name
from corroborator.domain.claims import ClaimKind

Stance = Literal["supports", "refutes", "neutral"]


class StanceProbs(BaseModel):
    """Verifier output for one (claim, evidence) pair; the three values sum to 1."""

    supports: float
    refutes: float
    neutral: float

    @property
    def stance(self) -> Stance:
        best = max(("supports", self.supports), ("refutes", self.refutes), ("neutral", self.neutral),
                   key=lambda kv: kv[1])
        return best[0]  # type: ignore[return-value]


class Candidate(HasOrigin):
    """A retrieved evidence sentence before verification."""

    sentence_id: int
    article_id: str
    outlet: str | None = None
    title: str | None = Field(default=None, description="the article's title, else its first line")
    published: date | None = None
    url: str | None = None
    source: str | None = Field(default=None, description="the file (and record) or URL it was indexed from")
    origin: str | None = Field(default=None, description="independent origin: wire agency, near-duplicate group or outlet")
    sentence: str
    page: int | None = Field(default=None, description="the page of its article the sentence is on (paged texts: PDFs)")
    context_before: str = ""
    context_after: str = ""
    retrieval_score: float = 0.0
    bm25_rank: int | None = None
    dense_rank: int | None = None
    dense_similarity: float | None = None

    @field_validator("url")
    @classmethod
    def _followable_url(cls, value: str | None) -> str | None:
        return safe_url(value)  # stored before URLs were checked at ingest


class Mismatch(BaseModel):
    """A disagreement the explicit checks found between a claim and one evidence sentence."""

    kind: Literal["quantity", "date", "name"]
    claim: str = Field(description="what the claim says")
    evidence: str = Field(description="what the evidence says instead")
    explanation: str


class Evidence(HasOrigin):
    """A verified evidence sentence as it appears in the report."""

    article_id: str
    outlet: str | None
    published: date | None
    title: str | None = Field(default=None, description="the article's title, else its first line")
    url: str | None = None
    source: str | None = Field(default=None, description="the file (and record) or URL it was indexed from")
    origin: str | None = Field(default=None, description="independent origin (wire agency, copy group or outlet)")
    sentence: str
    page: int | None = Field(default=None, description="the page of its article the sentence is on (paged texts: PDFs)")
    context: str = Field(default="", description="the sentence with its neighbours, for display")
    stance: Stance
    score: float = Field(description="probability of the stance given by the verifier")
    probs: StanceProbs
    retrieval_score: float
    similarity: float | None = Field(
        default=None, description="cosine of the claim's and the sentence's embeddings (None if found by BM25 alone)"
    )
    mismatches: list[Mismatch] = Field(
        default_factory=list, description="quantity/date/name checks that moved the verifier's stance"
    )
    model_probs: StanceProbs | None = Field(
        default=None, description="the verifier's own probabilities when a mismatch moved them"
    )
    event_match: Literal["same", "different", "unknown"] = Field(
        default="unknown",
        description="same event as the claim, by time and story (events.py); 'different' counts neither way",
    )
    event_note: str | None = Field(default=None, description="why: days apart, story similarity, shared names")
    story_similarity: float | None = Field(
        default=None, description="how closely the evidence's article tells the checked article's story (events.story_match)"
    )
    confidence: float | None = Field(
        default=None, description="calibrated probability that the passage confirms the claim (corroborate/confidence.py); "
        "SUPPORTED needs it at or above the support threshold from same-event evidence"
    )
    premise: str | None = Field(
        default=None, description="the passage (the sentence with its neighbour) the stance was read from, when it "
        "backed the claim better than the sentence alone"
    )
    sentence_date: date | None = Field(
        default=None, description="the latest date the evidence sentence itself names (None if none or not parsed)"
    )
    @property
    def cited_as(self) -> str:
        """How a person would recognise the source: outlet, else title (or first line), else
        the file it was indexed from, else the stored id."""
        return self.outlet or self.title or source_name(self.source) or self.article_id

    @property
    def cited_at(self) -> str:
        """``cited_as`` with the page of a paged source ("Ministry of Defence, p. 3")."""
        return f"{self.cited_as}, p. {self.page}" if self.page else self.cited_as

    version: bool = Field(
        default=False,
        description="from a stored version of the checked article (same origin by MinHash or wire credit): "
        "the record it was made from, not independent corroboration; never counted in verdicts",
    )
    same_origin: bool = Field(
        default=False,
        description="shares the checked article's origin (the same wire credit or copy group): what the article is "
        "compared with in the record, never counted as independent corroboration",
    )

    @property
    def record_only(self) -> bool:
        """Shown and diffed as the record, never counted for or against the claim."""
        return self.version or self.same_origin

    @field_validator("url")
    @classmethod
    def _followable_url(cls, value: str | None) -> str | None:
        return safe_url(value)  # stored before URLs were checked at ingest


class Verdict(str, Enum):
    SUPPORTED = "SUPPORTED"
    REFUTED = "REFUTED"
    CONFLICTING = "CONFLICTING"
    NOT_ENOUGH_INFO = "NOT_ENOUGH_INFO"


class Difference(BaseModel):
    """One way a claim departs from its counterpart in the record (record.py)."""

    kind: Literal["number", "date", "name", "negation", "context", "contradiction"]
    claim: str = Field(description="what the article says")
    record: str = Field(description="what the record says instead")
    explanation: str


class RecordMatch(BaseModel):
    """A claim set against the archive's reporting of the same story (record.py).

    matches: a same-story sentence restates it (the verifier backs it) with no difference found;
    altered: the closest same-story sentence says it differently (a number, date, name, negation
    or context, or the verifier finds a contradiction); added: the archive covers this article's
    story but nothing in it says this specific statement — a number, name, date, quote or causal
    claim (``sentence`` is then the closest same-story sentence, if any); not_in_record: the same
    for a statement with nothing specific in it (issue 23: "added" had come to mean "not
    supported")."""

    status: Literal["matches", "altered", "added", "not_in_record"]
    article_id: str | None = None
    cited_as: str | None = Field(default=None, description="the record article as a person would recognise it "
                                                          "(outlet, else title or first line, else file)")
    outlet: str | None = None
    published: date | None = None
    origin: str | None = None
    sentence: str | None = Field(default=None, description="the record's wording (for added: its closest sentence, or None)")
    page: int | None = Field(default=None, description="the page of its article that sentence is on (paged texts: PDFs)")
    similarity: float | None = Field(default=None, description="embedding cosine of claim and record sentence")
    version: bool = Field(default=False, description="the counterpart is in a stored version of this article")
    differences: list[Difference] = Field(default_factory=list)
    note: str = ""

    @property
    def cited_at(self) -> str:
        """The record article as cited: ``cited_as`` (else outlet or id) with the sentence's page."""
        name = self.cited_as or self.outlet or self.article_id or "the record"
        return f"{name}, p. {self.page}" if self.page else name


class ClaimResult(BaseModel):
    id: str
    text: str
    span: tuple[int, int]
    page: int | None = Field(default=None, description="the page of the checked article the claim is on (paged texts: PDFs)")
    kind: ClaimKind
    verdict: Verdict
    confidence: float
    rationale: str = Field(description="one line: why this verdict")
    origins_supporting: list[str] = Field(default_factory=list, description="independent origins whose evidence supports")
    origins_contradicting: list[str] = Field(default_factory=list, description="independent origins whose evidence refutes")
    event_match: Literal["same", "different", "unknown"] = Field(
        default="unknown", description="event match of the deciding (first) evidence"
    )
    possibly_outdated: bool = Field(default=False, description="the only support is about another, earlier event")
    finding: Literal["opinion", "same_topic", "similar_reporting"] | None = Field(
        default=None, description="why a claim without a verdict is shown as it is: 'opinion' (opinion, not checked), "
        "'same_topic' (same topic, event not established: the archive's reporting that reads as support or "
        "contradiction is not shown to be about this event), 'similar_reporting' (similar reporting of this event, "
        "not confirmed: below the precision threshold)"
    )
    checked_as: str | None = Field(default=None, description="the claim with the context the verifier read it in")
    specific: bool = Field(default=False, description="names a number, date, person or body, quotes someone or states "
                           "a cause: the kind of statement that is 'added' when a covered story's record lacks it")
    evidence: list[Evidence]
    record: RecordMatch | None = Field(
        default=None, description="the claim against the record of its story; None when the archive does not cover it"
    )
