"""The check report: the versioned JSON contract (``corroborator.report/2``, documented in
docs/REPORT.md); fields may be added, existing ones keep their meaning."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from corroborator.domain.article import ArticleRef, PageImage
from corroborator.domain.evidence import ClaimResult
from corroborator.domain.signals import Signal

REPORT_SCHEMA = "corroborator.report/2"
# `corroborator claims --format json`
CLAIMS_SCHEMA = "corroborator.claims/1"


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
    story_names: float = Field(
        default=0.0, description="the largest share of this article's distinctive names (people, places, bodies, weighted "
        "by rarity in the archive) that one archived article names (events.distinctive_share)"
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
    image: PageImage | None = Field(default=None, description="the image the checked text was read from by OCR, with "
                                    "the box of each word (screenshots and scans)")
    timings_ms: dict[str, float] = Field(default_factory=dict)

    model_config = {"populate_by_name": True}

    def to_json_dict(self) -> dict:
        return self.model_dump(mode="json", by_alias=True)
