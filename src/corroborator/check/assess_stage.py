"""Stage 6: the article-level risk from the claims' verdicts, their record and their signals
(assess.py). A new factor is one more line here and one weight in assess.WEIGHTS."""

from __future__ import annotations

from corroborator.assess.risk import (
    archive_similarity,
    novel_specifics_share,
    record_shares,
    risk,
    shares,
    support_strength,
    unmatched_share,
)
from corroborator.check.state import CheckState
from corroborator.signals.sourcing import loaded_language_share, weak_sourcing_share


def run(state: CheckState, ctx) -> None:
    results, claims = state.results, state.claims
    factors = shares(results)
    factors["weak_sourcing_share"] = weak_sourcing_share(state.signals, len(claims))
    factors["loaded_language_share"] = loaded_language_share(state.signals, len(claims))
    factors["support_strength"] = support_strength(results)
    factors["archive_similarity"] = archive_similarity(results)
    factors["unmatched_share"] = unmatched_share(results)
    factors["novel_specifics_share"] = novel_specifics_share(claims, results)
    factors |= record_shares(results)
    factors["coverage"] = state.coverage
    state.factors = factors
    state.risk, state.risk_factors = risk(factors, state.covered)
