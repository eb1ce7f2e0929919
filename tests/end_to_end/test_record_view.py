"""The claim against the record in the HTML and terminal views, on a report built by hand."""

from __future__ import annotations

import json
import os
from datetime import date
from html import escape

from rich.console import Console

from corroborator.domain import (
    ArticleRef,
    ClaimKind,
    ClaimResult,
    Difference,
    Evidence,
    RecordMatch,
    Report,
    RiskFactor,
    StanceProbs,
    Summary,
    Verdict,
    VerifierInfo,
)
from corroborator.render import html, terminal, to_json

NOTE = "The archive covers this story: 67% of the claims have a counterpart in 2 same-story article(s)."
ALTERED = "The <script>alert(1)</script> drill lasted six hours, officials said."
RECORD = "The <script>alert(1)</script> drill lasted three hours, officials said."
ADDED = "A submarine shadowed the bombers."
PLAIN = "Japanese F-2 fighters joined the formation."


def _claim(cid: str, text: str, text_all: str, verdict: Verdict, record: RecordMatch | None, evidence=()) -> ClaimResult:
    start = text_all.index(text)
    return ClaimResult(id=cid, text=text, span=(start, start + len(text)), kind=ClaimKind.EVENT, verdict=verdict,
                       confidence=0.8, rationale="test", evidence=list(evidence), record=record)


def _report() -> Report:
    text = f"{ALTERED} {ADDED} {PLAIN}"
    version_ev = Evidence(
        article_id="wire-17", outlet="<b>Wire</b>", published=date(2025, 3, 14), origin="AP", sentence=RECORD,
        stance="refutes", score=0.7, probs=StanceProbs(supports=0.1, refutes=0.7, neutral=0.2), retrieval_score=0.03,
        similarity=0.93, event_match="same", version=True,
    )
    altered = RecordMatch(
        status="altered", article_id="wire-17", outlet="<b>Wire</b>", published=date(2025, 3, 14), origin="AP",
        sentence=RECORD, similarity=0.93, version=True,
        differences=[Difference(kind="number", claim="six hours", record="three hours",
                                explanation="claim gives six hours, evidence three hours")],
        note="claim gives six hours, evidence three hours",
    )
    added = RecordMatch(status="added", note="none of the 2 same-story article(s) in the archive says this")
    claims = [
        _claim("c1", ALTERED, text, Verdict.REFUTED, altered, [version_ev]),
        _claim("c2", ADDED, text, Verdict.NOT_ENOUGH_INFO, added),
        _claim("c3", PLAIN, text, Verdict.NOT_ENOUGH_INFO, None),
    ]
    summary = Summary(
        claims=3, supported=0, refuted=1, conflicting=0, not_enough_info=2, risk=0.8,
        risk_factors=[RiskFactor(name="altered_share", value=0.3333, weight=4.0, contribution=1.3333),
                      RiskFactor(name="coverage", value=0.6667, weight=0.0, contribution=0.0)],
        coverage=0.6667, covered=True, altered=1, added=1, versions=["wire-17"], note=NOTE,
    )
    return Report(
        article=ArticleRef(id="t-1", title="Drill <i>report</i>", outlet="Test", published=date(2025, 3, 15), url=None),
        verifier=VerifierInfo(name="test", version="0", interim=False),
        store={"articles": 3, "sentences": 30}, claims=claims, summary=summary, article_text=text,
    )


def test_html_shows_coverage_sides_and_marks_and_escapes():
    page = html.render(_report())
    assert "<script>" not in page and "<b>Wire</b>" not in page and "<i>report</i>" not in page
    assert "&lt;script&gt;" in page and "&lt;b&gt;Wire&lt;/b&gt;" in page
    assert "Archive coverage" in page and "67%" in page
    assert escape(NOTE) in page
    assert "version of wire-17" in page
    assert "altered: 1" in page and "added: 1" in page
    assert "Against the record" in page and "This article" in page
    assert "The record (&lt;b&gt;Wire&lt;/b&gt;, 2025-03-14" in page and "stored version of this article" in page
    assert '<mark class="diff-number">six hours</mark>' in page
    assert '<mark class="diff-number">three hours</mark>' in page
    assert "claim gives six hours, evidence three hours" in page
    assert "Added: a specific statement the record lacks — none of the 2 same-story" in page
    assert "stored version of this article (not independent)" in page  # the evidence card
    assert page.count('<div class="record">') == 2  # c3 has no record
    assert "@media (max-width:600px)" in page


def test_marks_skip_whole_sentence_differences_and_partial_words():
    assert html._marked("In 2023 about 3 ships <b>", [("3", "number")]) == (
        'In 2023 about <mark class="diff-number">3</mark> ships &lt;b&gt;'
    )
    assert 'diff-date">March 14<' in html._marked("on March 14, said", [("March 14 (2025-03-14)", "date")])
    neg = Difference(kind="negation", claim=ADDED, record=ADDED, explanation="the article negates what the record affirms")
    assert not html._markable(neg, "claim", ADDED)


def test_terminal_record_lines_and_coverage():
    sink = open(os.devnull, "w")
    try:
        console = Console(record=True, width=160, markup=False, file=sink)
        terminal.render(_report(), console, verbose=True)
        out = console.export_text()
    finally:
        sink.close()
    assert "record: altered" in out and "claim gives six hours, evidence three hours" in out
    assert "record: added" in out
    assert "archive coverage: 67%" in out and "The archive covers this story" in out
    assert "<script>alert(1)</script>" in out  # printed as text, not interpreted


def test_json_keeps_the_contract():
    data = json.loads(to_json(_report()))
    assert data["schema"] == "corroborator.report/2"
    assert data["summary"]["covered"] is True and data["summary"]["versions"] == ["wire-17"]
    assert data["claims"][0]["record"]["differences"][0]["kind"] == "number"
    assert data["claims"][2]["record"] is None and data["claims"][0]["evidence"][0]["version"] is True
