"""Domain types: the contract between pipeline stages.

Every stage consumes and produces these types and nothing else, so a stage can be
replaced (another store, another verifier) without touching its neighbours. The
report types double as the versioned JSON contract (``corroborator.report/2``,
documented in docs/REPORT.md); fields may be added, existing ones keep their meaning.

One module per thing described (article, claims, evidence, signals, timeline, report);
import them from here."""

from __future__ import annotations

from corroborator.domain.article import (
    Article,
    ArticleRef,
    PAGE_BREAK,
    HasOrigin,
    PageImage,
    Sentence,
    StoredArticle,
    content_hash,
    first_line,
    normalise_text,
    own_origin,
    page_at,
    source_name,
)
from corroborator.domain.claims import Claim, ClaimKind
from corroborator.domain.evidence import (
    Candidate,
    ClaimResult,
    Difference,
    Evidence,
    Mismatch,
    RecordMatch,
    Stance,
    StanceProbs,
    Verdict,
)
from corroborator.domain.report import (
    CLAIMS_SCHEMA,
    REPORT_SCHEMA,
    CorroborationMatrix,
    MatrixRow,
    Report,
    RiskFactor,
    Summary,
    VerifierInfo,
)
from corroborator.domain.signals import SIGNALS_SCHEMA, Signal
from corroborator.domain.timeline import Event

__all__ = ["HasOrigin", "own_origin", "normalise_text", "content_hash", "Article", "PageImage", "PAGE_BREAK", "page_at", "Sentence", "source_name", "first_line", "ArticleRef", "StoredArticle", "ClaimKind", "Claim", "Stance", "StanceProbs", "Candidate", "Mismatch", "Evidence", "Verdict", "Difference", "RecordMatch", "ClaimResult", "SIGNALS_SCHEMA", "Signal", "Event", "REPORT_SCHEMA", "CLAIMS_SCHEMA", "VerifierInfo", "RiskFactor", "Summary", "MatrixRow", "CorroborationMatrix", "Report"]
