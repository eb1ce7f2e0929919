"""Stage 6: the article-level risk from the claims' verdicts, their record and their signals
(assess.py). A new archive factor is one more line here and one weight in assess.WEIGHTS; a signal
family brings its own factors and weights (signals/family.py)."""

from __future__ import annotations

from corroborator.assess.risk import (
    SIGNAL_FACTORS,
    WEIGHTS,
    archive_similarity,
    novel_specifics_share,
    record_shares,
    risk,
    shares,
    support_strength,
    unmatched_share,
)
from corroborator.check.state import CheckState
from corroborator.signals.family import risk_factors, risk_weights


# what this stage reads from and writes to CheckState (checked when a Checker is built: check_stages)
READS = ("claims", "results", "signals", "coverage", "covered", "story_similarity")
WRITES = ("factors", "risk", "risk_factors")


def run(state: CheckState, ctx) -> None:
    # the risk reads the checked claims: opinion is reported, not checked (its sentences' signals
    # are in the report; the shares the weights were fitted on never held it)
    claims = [c for c in state.claims if not c.opinion]
    checked = {c.id for c in claims}
    results = [r for r in state.results if r.id in checked]
    signals = [s for s in state.signals if s.claim_id in checked]
    factors = shares(results)
    factors |= risk_factors(signals, claims, ctx.signal_names)  # each signal family's own factors
    factors["support_strength"] = support_strength(results)
    factors["archive_similarity"] = archive_similarity(results)
    factors["unmatched_share"] = unmatched_share(results)
    factors["novel_specifics_share"] = novel_specifics_share(claims, results)
    factors |= record_shares(results)
    factors["coverage"] = state.coverage
    factors["story_departure"] = 1.0 - state.story_similarity
    state.factors = factors
    run = risk_weights(ctx.signal_names)  # the factors of the families this check ran, plug-ins' too
    weights = {k: w for k, w in WEIGHTS.items() if k not in SIGNAL_FACTORS or k in run} | run
    state.risk, state.risk_factors = risk(factors, state.covered, weights)
