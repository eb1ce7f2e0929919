"""The plain-language summary that opens every report view (HTML and terminal): what other
reporting says about the claims, how they are sourced, and what the archive could not say,
each line with the claims it counts."""

from __future__ import annotations

from corroborator.domain import Report, Verdict
from corroborator.signals.family import summary_lines as family_summary_lines
from corroborator.signals.sourcing import WEAK_SOURCING

# What each verdict means, in words (legends and summaries).
VERDICT_WORDS = {
    Verdict.SUPPORTED: "backed by other reporting",
    Verdict.REFUTED: "contradicted by other reporting",
    Verdict.CONFLICTING: "other reports disagree with each other about it",
    Verdict.NOT_ENOUGH_INFO: "not found in your archive",
}
# Why a claim without a verdict is shown as it is (ClaimResult.finding), in words.
FINDING_WORDS = {
    "opinion": "opinion, not checked",
    "same_topic": "same topic, event not established",
    "similar_reporting": "similar reporting, not confirmed",
}
# The record's statuses in words (RecordMatch.status).
RECORD_WORDS = {
    "matches": "matches the record",
    "altered": "the record says it differently",
    "added": "added: a specific statement the record lacks",
    "not_in_record": "not in the record",
}


def claim_words(c) -> str:
    """What a claim's verdict (or, without one, its finding) means, in words."""
    return FINDING_WORDS.get(c.finding or "", VERDICT_WORDS[c.verdict])


# Risk factors in words (assess.py names).
FACTOR_WORDS = {
    "contradicted_share": "claims contradicted by other reporting",
    "uncorroborated_share": "claims nobody else reports",
    "altered_share": "claims the record reports differently",
    "added_share": "claims the covered story's record lacks",
    "weak_sourcing_share": "claims on anonymous, leaked or vague sources",
    "loaded_language_share": "claims in loaded language",
    "novel_specifics_share": "specific names and numbers nobody else reports",
    "unmatched_share": "claims unlike anything in the archive",
    "coverage": "archive coverage of the story",
    "loaded_language_strength": "loaded language, weighed by how strong it is",
    "weak_specifics_share": "specific details on anonymous, leaked or vague sources",
    "not_in_record_share": "claims the covered story's record does not mention",
    "story_departure": "how far the article strays from the story the archive holds",
}


def weak_claims(report: Report) -> set[str]:
    """Claims with anonymous, leaked-document or vague sourcing."""
    return {s.claim_id for s in report.signals if s.claim_id and s.type == "sourcing" and s.subtype in WEAK_SOURCING}


def risk_words(risk: float) -> str:
    return "low" if risk < 0.3 else "elevated" if risk < 0.6 else "high"


def risk_reason(report: Report) -> str:
    """"mostly <the two factors that pushed the risk most>", or ""."""
    top = [f for f in report.summary.risk_factors if f.contribution > 0]
    return "mostly " + " and ".join(FACTOR_WORDS.get(f.name, f.name) for f in top[:2]) if top else ""


def summary_lines(report: Report) -> tuple[str, list[tuple[str, list[str]]]]:
    """(headline, [(what, claim ids)]) in reading order: contradicted, disputed, backed, not
    found, weakly sourced, loaded language, outdated, then the record counts (no ids)."""
    s = report.summary
    order = [c.id for c in report.claims]
    by = {v: [c.id for c in report.claims if c.verdict is v] for v in Verdict}
    lines: list[tuple[str, list[str]]] = []
    for verdict, what in ((Verdict.REFUTED, "contradicted by other reporting"),
                          (Verdict.CONFLICTING, "disputed: other reports disagree"),
                          (Verdict.SUPPORTED, "backed by other reporting")):
        if by[verdict]:
            lines.append((f"{len(by[verdict])} {what}", by[verdict]))
    for finding, what in (("similar_reporting", FINDING_WORDS["similar_reporting"]),
                          ("same_topic", FINDING_WORDS["same_topic"]), (None, "not found in your archive"),
                          ("opinion", FINDING_WORDS["opinion"])):
        ids = [c.id for c in report.claims if c.verdict is Verdict.NOT_ENOUGH_INFO and c.finding == finding]
        if ids:
            lines.append((f"{len(ids)} {what}", ids))
    lines += family_summary_lines(report.signals, order)  # each signal family's lines (sourcing, techniques)
    outdated = [c.id for c in report.claims if c.possibly_outdated]
    if outdated:
        lines.append((f"{len(outdated)} only match reporting of an earlier event", outdated))
    if s.altered or s.added:
        lines.append((f"against the record of this story: {s.altered} reported differently, {s.added} specific "
                       "statement(s) it lacks", []))
    head = f"{s.claims} checkable claim(s) in this article." if s.claims else "No checkable claim found in this article."
    return head, lines
