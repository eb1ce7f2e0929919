"""Stage 3: the verifier's stance on every (claim, evidence) pair, then the quantity, date and
name checks beside it."""

from __future__ import annotations

from corroborator.check.state import CheckState

# Pairs verified between two progress reports.
VERIFY_CHUNK = 256


def run(state: CheckState, ctx) -> None:
    state.pairs = [(c, cand) for c in state.claims for cand in state.retrieved.get(c.id, [])]
    pairs = state.pairs
    for start in range(0, len(pairs), VERIFY_CHUNK):
        state.progress("verification", start, len(pairs))
        state.model_probs += ctx.verifier.predict(pairs[start:start + VERIFY_CHUNK])
    state.progress("verification", len(pairs), len(pairs))
    if ctx.checks:
        state.probs, state.mismatches, state.evidence_dates = ctx.checks.apply(pairs, state.model_probs,
                                                                              state.article.published)
    else:
        state.probs, state.mismatches, state.evidence_dates = state.model_probs, [[]] * len(pairs), [None] * len(pairs)
    state.mark("verification")
