"""Stage 3: the verifier's stance on every (claim, evidence) pair — the evidence sentence alone
and, for close candidates it does not already back, the sentence with the one before or the one
after it (a passage) — then the quantity, date and name checks beside it.

Why passages (issue 23): a retelling spreads one original sentence's facts over two, or one of
its sentences over two of the original's; on held PolitiFact faithful versions the closest
original sentence alone backs 28 % of their sentences with the shipped verifier, the best of it
and its two-sentence passages 40 % (`bench/passage_probe.py`). Three-sentence windows did
worse (24 %): the verifier leans neutral on long premises, so passages stay at two sentences
(SummaC found one- or two-sentence premises best, too). The claim is read as ``checked_as``
when it needs its context to stand alone (claims/extract.py)."""

from __future__ import annotations

import bisect

from corroborator.check.state import CheckState
from corroborator.domain import Candidate, Claim

# Pairs verified between two progress reports. Not smaller: the int8 model quantises its
# activations per batch (dynamic quantisation), so which pairs share a batch moves the
# probabilities in the third decimal; chunks of 96 changed 468 values of the golden reports.
VERIFY_CHUNK = 256
# A pair whose sentence alone is already read as support at this probability needs no passage.
_SETTLED = 0.5
# Passages are read for candidates at least this close to the claim (embedding cosine), the
# closest PASSAGES_PER_CLAIM of each claim: they cost a verifier call each (latency budget).
PASSAGE_SIMILARITY = 0.5
PASSAGES_PER_CLAIM = 2


def as_checked(claim: Claim) -> Claim:
    """The claim as the verifier reads it: with the context it needs to stand alone."""
    return claim.model_copy(update={"text": claim.checked_as}) if claim.checked_as else claim


def passages(cand: Candidate) -> list[str]:
    """The two-sentence passages around an evidence sentence: with the one before, with the one after."""
    return [p for p in (f"{cand.context_before} {cand.sentence}" if cand.context_before else "",
                        f"{cand.sentence} {cand.context_after}" if cand.context_after else "") if p]


def _verify(ctx, state: CheckState, pairs: list[tuple[Claim, Candidate]], stage: str) -> list:
    """The verifier over ``pairs`` in chunks; progress in *claims* (a reader counts claims, not
    claim-evidence pairs): a claim is done once all of its pairs are."""
    ids = [c.id for c, _ in pairs]
    order = list(dict.fromkeys(ids))
    last = {cid: i for i, cid in enumerate(ids)}  # a claim's pairs are consecutive
    ends = sorted(last.values())
    out = []
    for start in range(0, len(pairs), VERIFY_CHUNK):
        state.progress(stage, bisect.bisect_left(ends, start), len(order))
        out += ctx.verifier.predict(pairs[start:start + VERIFY_CHUNK])
    state.progress(stage, len(order), len(order))
    return out


# what this stage reads from and writes to CheckState (checked when a Checker is built: check_stages)
READS = ("article", "claims", "retrieved", "progress")
WRITES = ("pairs", "model_probs", "probs", "premises", "mismatches", "evidence_dates", "marks")


def run(state: CheckState, ctx) -> None:
    state.pairs = [(c, cand) for c in state.claims if not c.opinion for cand in state.retrieved.get(c.id, [])]
    pairs = state.pairs
    read = [(as_checked(c), cand) for c, cand in pairs]
    # which pairs get passages: the closest unsettled candidates of each claim (known before the
    # model runs only by similarity, so the count is known for the progress bar)
    by_claim: dict[str, list[int]] = {}
    for i, (c, cand) in enumerate(pairs):
        if (cand.dense_similarity or 0.0) >= PASSAGE_SIMILARITY and (cand.context_before or cand.context_after):
            by_claim.setdefault(c.id, []).append(i)
    chosen = sorted(i for idx in by_claim.values()
                    for i in sorted(idx, key=lambda i: -(pairs[i][1].dense_similarity or 0.0))[:PASSAGES_PER_CLAIM])
    state.model_probs = _verify(ctx, state, read, "verification")
    state.premises = [None] * len(pairs)
    todo = [i for i in chosen if state.model_probs[i].supports < _SETTLED]
    extra = [(i, text) for i in todo for text in passages(pairs[i][1])]
    if extra:
        probs = _verify(ctx, state, [(read[i][0], pairs[i][1].model_copy(update={"sentence": text})) for i, text in extra],
                        "passages")
        for (i, text), p in zip(extra, probs):
            if p.supports > state.model_probs[i].supports:
                state.model_probs[i], state.premises[i] = p, text
    _respell_names(ctx, state, read)
    state.progress("finishing", 0, 1)  # corroboration, the record, signals, risk, the report: seconds, not shown in steps
    if ctx.checks:
        state.probs, state.mismatches, state.evidence_dates = ctx.checks.apply(pairs, state.model_probs,
                                                                              state.article.published)
    else:
        state.probs, state.mismatches, state.evidence_dates = state.model_probs, [[]] * len(pairs), [None] * len(pairs)
    state.mark("verification")


def _respell_names(ctx, state: CheckState, read: list[tuple[Claim, Candidate]]) -> None:
    """A contradiction that may be only a name spelt differently ("Kirchhner") is read again
    with the name as the claim writes it, and the reading that contradicts less is kept
    (verify/spelling.py: on held-out passage pairs with a misspelt name, v4's refutes 29 % -> 10 %,
    no other kind moved)."""
    from corroborator.verify.spelling import respelled

    redo = []
    for i, ((claim, cand), probs) in enumerate(zip(read, state.model_probs)):
        if probs.refutes >= 0.5 and probs.refutes > probs.supports:
            text = respelled(claim.text, state.premises[i] or cand.sentence)
            if text is not None:
                redo.append((i, claim, cand.model_copy(update={"sentence": text})))
    if not redo:
        return
    for (i, _, _), probs in zip(redo, ctx.verifier.predict([(c, e) for _, c, e in redo])):
        if probs.refutes < state.model_probs[i].refutes:
            state.model_probs[i] = probs  # the evidence is still shown as the article wrote it
