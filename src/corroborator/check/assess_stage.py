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
from corroborator.corroborate.record import is_specific
from corroborator.signals.sourcing import (
    loaded_language_share,
    loaded_language_strength,
    weak_sourcing_share,
    weak_specifics_share,
)


def run(state: CheckState, ctx) -> None:
    # the risk reads the checked claims: opinion is reported, not checked (its sentences' signals
    # are in the report; the shares the weights were fitted on never held it)
    claims = [c for c in state.claims if not c.opinion]
    checked = {c.id for c in claims}
    results = [r for r in state.results if r.id in checked]
    signals = [s for s in state.signals if s.claim_id in checked]
    factors = shares(results)
    factors["weak_sourcing_share"] = weak_sourcing_share(signals, len(claims))
    factors["loaded_language_share"] = loaded_language_share(signals, len(claims))
    factors["loaded_language_strength"] = loaded_language_strength(signals, len(claims))
    factors["weak_specifics_share"] = weak_specifics_share(signals, claims, is_specific)
    factors["support_strength"] = support_strength(results)
    factors["archive_similarity"] = archive_similarity(results)
    factors["unmatched_share"] = unmatched_share(results)
    factors["novel_specifics_share"] = novel_specifics_share(claims, results)
    factors |= record_shares(results)
    factors["coverage"] = state.coverage
    factors["story_departure"] = 1.0 - state.story_similarity
    state.factors = factors
    state.risk, state.risk_factors = risk(factors, state.covered)
