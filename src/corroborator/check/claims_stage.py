"""Stage 1: claims and the signals that need no archive (sourcing, hedging, loaded language)."""

from __future__ import annotations

from corroborator.check.state import CheckState
from corroborator.claims.extract import extract_claims
from corroborator.signals import article_signals
from corroborator.text.parsing import parse


# what this stage reads from and writes to CheckState (checked when a Checker is built: check_stages)
READS = ("article", "progress")
WRITES = ("doc", "claims", "signals", "marks")


def run(state: CheckState, ctx) -> None:
    state.progress("claims", 0, 1)
    state.doc = parse(state.article.text)
    state.claims = extract_claims(state.article, state.doc, ctx.checkworthiness)
    state.signals = article_signals(state.article.text, state.doc, state.claims, ctx.tagger,
                                    state.article.title, ctx.signal_names)
    state.progress("claims", 1, 1)
    state.mark("claims")
