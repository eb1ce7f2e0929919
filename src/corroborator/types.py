"""Domain types: the contract between pipeline stages.

Every stage consumes and produces these types and nothing else, so a stage can be
replaced (another store, another verifier) without touching its neighbours. The
report types double as the versioned JSON contract (``corroborator.report/1``,
documented in docs/REPORT.md); fields may be added, existing ones keep their meaning.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date
from enum import Enum
from typing import Literal

from pydantic import BaseModel, Field

REPORT_SCHEMA = "corroborator.report/1"
# `corroborator signals --format json`: spans index "text"; "text_offset" maps them to the file.
SIGNALS_SCHEMA = "corroborator.signals/1"
# `corroborator claims --format json`
CLAIMS_SCHEMA = "corroborator.claims/1"

_WS = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """Whitespace-collapsed, case-folded text: what two *exact copies* share."""
    return _WS.sub(" ", text).strip().casefold()


def content_hash(text: str) -> str:
    """Hash that identifies exact copies of an article body (whitespace and case ignored)."""
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()


class Article(BaseModel):
    """One news article, normalised from whatever format it came in."""

    id: str
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    published: date | None = None
    text: str
    source: str | None = Field(default=None, description="file (and record) it was read from")
    text_offset: int | None = Field(
        default=None,
        description="where `text` starts in the input file as read (decoded, line ends normalised to \\n), so "
                    "spans into `text` map back to the file; None when the text was extracted (HTML, feeds, rows)")

    @property
    def content_hash(self) -> str:
        return content_hash(self.text)


class Sentence(BaseModel):
    """A sentence of a stored article, with its character span in the article text."""

    article_id: str
    index: int
    start: int
    end: int
    text: str


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
    checkworthiness: float | None = Field(
        default=None, description="P(check-worthy) from the check-worthiness model (checkworthy.py); None if not scored"
    )


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


def source_name(source: str | None) -> str | None:
    """The last part of a file path or URL a user would recognise ("reports/a.txt" -> "a.txt",
    "feeds/wire.jsonl:12" -> "wire.jsonl:12")."""
    if not source:
        return None
    name = source.rstrip("/").replace("\\", "/").rsplit("/", 1)[-1]
    return name or source


def first_line(text: str, limit: int = 100) -> str | None:
    """A plain text's first line, to name an article that has no title."""
    line = text.strip().split("\n", 1)[0].strip() if text else ""
    return (line[: limit - 1].rstrip() + "…" if len(line) > limit else line) or None


class Candidate(BaseModel):
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
    context_before: str = ""
    context_after: str = ""
    retrieval_score: float = 0.0
    bm25_rank: int | None = None
    dense_rank: int | None = None
    dense_similarity: float | None = None


class Mismatch(BaseModel):
    """A disagreement the explicit checks found between a claim and one evidence sentence."""

    kind: Literal["quantity", "date", "name"]
    claim: str = Field(description="what the claim says")
    evidence: str = Field(description="what the evidence says instead")
    explanation: str


class Evidence(BaseModel):
    """A verified evidence sentence as it appears in the report."""

    article_id: str
    outlet: str | None
    published: date | None
    title: str | None = Field(default=None, description="the article's title, else its first line")
    url: str | None = None
    source: str | None = Field(default=None, description="the file (and record) or URL it was indexed from")
    origin: str | None = Field(default=None, description="independent origin (wire agency, copy group or outlet)")
    sentence: str
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
    sentence_date: date | None = Field(
        default=None, description="the latest date the evidence sentence itself names (None if none or not parsed)"
    )
    @property
    def cited_as(self) -> str:
        """How a person would recognise the source: outlet, else title (or first line), else
        the file it was indexed from, else the stored id."""
        return self.outlet or self.title or source_name(self.source) or self.article_id

    version: bool = Field(
        default=False,
        description="from a stored version of the checked article (same origin by MinHash or wire credit): "
        "the record it was made from, not independent corroboration; never counted in verdicts",
    )


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
    story but nothing in it says this (``sentence`` is then the closest same-story sentence, if
    any)."""

    status: Literal["matches", "altered", "added"]
    article_id: str | None = None
    cited_as: str | None = Field(default=None, description="the record article as a person would recognise it "
                                                          "(outlet, else title or first line, else file)")
    outlet: str | None = None
    published: date | None = None
    origin: str | None = None
    sentence: str | None = Field(default=None, description="the record's wording (for added: its closest sentence, or None)")
    similarity: float | None = Field(default=None, description="embedding cosine of claim and record sentence")
    version: bool = Field(default=False, description="the counterpart is in a stored version of this article")
    differences: list[Difference] = Field(default_factory=list)
    note: str = ""


class ClaimResult(BaseModel):
    id: str
    text: str
    span: tuple[int, int]
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
    evidence: list[Evidence]
    record: RecordMatch | None = Field(
        default=None, description="the claim against the record of its story; None when the archive does not cover it"
    )


class ArticleRef(BaseModel):
    id: str
    title: str | None
    outlet: str | None
    published: date | None
    url: str | None
    source: str | None = Field(default=None, description="the file (and record) it was read from")
    text_offset: int | None = Field(default=None, description="where article_text starts in that file (Article)")


class VerifierInfo(BaseModel):
    name: str
    version: str
    interim: bool = Field(description="true while the verifier is the interim baseline, not a trained model")
    note: str = ""


class RiskFactor(BaseModel):
    """One input of the article-level risk score (assess.py)."""

    name: str
    value: float
    weight: float
    contribution: float = Field(description="weight × value, added to the logit")


class Summary(BaseModel):
    claims: int
    supported: int
    refuted: int
    conflicting: int
    not_enough_info: int
    corroborated: float = Field(default=0.0, description="share of claims SUPPORTED")
    contradicted: float = Field(default=0.0, description="share of claims REFUTED or CONFLICTING")
    uncorroborated: float = Field(default=0.0, description="share of claims NOT_ENOUGH_INFO")
    possibly_outdated: int = Field(default=0, description="claims whose only support is about an earlier event")
    signals: dict[str, dict[str, int]] = Field(default_factory=dict, description="signal counts by type and subtype")
    risk: float = Field(default=0.0, description="article-level risk in [0, 1] (assess.py formula)")
    risk_factors: list[RiskFactor] = Field(default_factory=list, description="inputs of risk, largest first")
    coverage: float = Field(
        default=0.0, description="share of claims with a counterpart in the archive's reporting of the same story"
    )
    covered: bool = Field(
        default=False, description="the archive covers this article's story (coverage, or a closely matching same-event article)"
    )
    story_similarity: float = Field(
        default=0.0, description="story similarity of the archive's closest same-event article (1.0: a stored version)"
    )
    altered: int = Field(default=0, description="claims the record reports differently")
    added: int = Field(default=0, description="claims with no counterpart in a story the archive covers")
    versions: list[str] = Field(
        default_factory=list, description="stored articles this article is a version of (same origin), ids"
    )
    note: str = Field(default="", description="plain-language caveat, e.g. the archive holds no other reporting")


class MatrixRow(BaseModel):
    claim_id: str
    cells: list[Literal["supports", "contradicts", "both", "silent"]] = Field(description="one per matrix origin")


class CorroborationMatrix(BaseModel):
    """Rows = claims, columns = independent origins (assess.matrix)."""

    origins: list[str] = Field(default_factory=list)
    rows: list[MatrixRow] = Field(default_factory=list)


class StoredArticle(BaseModel):
    """An article as the timeline sees it: metadata and its mean sentence embedding."""

    model_config = {"arbitrary_types_allowed": True}

    article_id: str
    outlet: str | None = None
    origin: str | None = None
    title: str | None = None
    published: date | None = None
    sentences: int = 0
    vector: object | None = Field(default=None, description="unit-length mean sentence embedding (numpy)")
    statements: frozenset[int] = Field(default=frozenset(), description="vector ids of its checkable sentences")
    names: frozenset[str] = Field(default=frozenset(), description="proper names it mentions (lowercase)")


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


class Signal(BaseModel):
    """A sourcing, hedging (or, later, loaded-language) flag on the checked text (signals.py)."""

    type: Literal["sourcing", "hedging", "loaded_language"]
    subtype: str = Field(description="sourcing: on_record | anonymous | documents | vague | none; "
                                     "hedging: modal | evidential | probability")
    span: tuple[int, int] = Field(description="[start, end) in article_text")
    text: str
    explanation: str
    claim_id: str | None = None


class Report(BaseModel):
    """The versioned report contract: see docs/REPORT.md."""

    schema_: str = Field(default=REPORT_SCHEMA, alias="schema")
    article: ArticleRef
    verifier: VerifierInfo
    store: dict = Field(default_factory=dict, description="articles and sentences searched")
    claims: list[ClaimResult]
    summary: Summary
    matrix: CorroborationMatrix = Field(default_factory=CorroborationMatrix)
    signals: list[Signal] = Field(default_factory=list, description="sourcing and hedging flags with spans")
    article_text: str = Field(description="the checked text; spans index into it")
    timings_ms: dict[str, float] = Field(default_factory=dict)

    model_config = {"populate_by_name": True}

    def to_json_dict(self) -> dict:
        return self.model_dump(mode="json", by_alias=True)
