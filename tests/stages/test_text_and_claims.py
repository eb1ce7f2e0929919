"""Text processing and claim extraction on sentences we wrote."""

from __future__ import annotations

from datetime import date

from corroborator.claims.extract import extract_claims
from corroborator.domain import Article, ClaimKind
from corroborator.text.dates import resolve_date
from corroborator.text.numbers import parse_numbers, quantities
from corroborator.text.parsing import parse_light
from corroborator.text.sentences import segment_many


def test_segmentation_spans_index_the_text_and_split_lines():
    text = "Headline without a period\n\nThe strike began on Monday. It closed four terminals.\nA third line here."
    spans = next(segment_many([text]))
    pieces = [text[s:e] for s, e in spans]
    assert pieces[0] == "Headline without a period"
    assert "The strike began on Monday." in pieces
    assert all("\n" not in p for p in pieces)


def test_numbers_and_quantities():
    assert parse_numbers("about 1,800 workers") == [1800.0]
    assert parse_numbers("$3.5 million") == [3_500_000.0]
    assert parse_numbers("seven vessels") == [7.0]
    docs = parse_light([
        "Twenty-three container ships waited as about 1,800 dockworkers stayed out.",
        "The drill lasted three hours and involved two US B-52H bombers and four F-16 fighters.",
        "The council approved a $412 million budget by a 30 percent margin.",
    ])
    assert quantities(docs[0]) == [(23.0, "ship"), (1800.0, "dockworker")]
    assert (3.0, "hour") in quantities(docs[1]) and (2.0, "bomber") in quantities(docs[1])
    assert all(unit != "b-52h" for _, unit in quantities(docs[1]))  # model names are not counts
    assert (412_000_000.0, "$") in quantities(docs[2]) and (30.0, "percent") in quantities(docs[2])


def test_relative_dates_resolve_against_publication():
    assert resolve_date("last Friday", date(2025, 3, 17)) == date(2025, 3, 14)
    assert resolve_date("March 14, 2025", None) == date(2025, 3, 14)
    assert resolve_date("recently", date(2025, 3, 17)) is None


def _claims(text: str, published=date(2025, 3, 17)):
    return extract_claims(Article(id="t", text=text, published=published))


def test_claims_drop_questions_opinion_boilerplate():
    text = (
        "Two US B-52H bombers flew over the Sea of Japan on Friday, the air force said. "
        "Will the allies hold more drills this year? "
        "I think this was a reckless and foolish idea. "
        "Subscribe to our newsletter for daily updates. "
        "Officials said 14 aircraft took part. "
        "Officials said 14 aircraft took part."
    )
    every = _claims(text)
    # opinion is kept as "opinion, not checked" (issue 23), never checked
    assert [c.text for c in every if c.opinion] == ["I think this was a reckless and foolish idea."]
    claims = [c for c in every if not c.opinion]
    texts = [c.text for c in claims]
    assert len(claims) == 2, texts  # the repeated sentence counts once
    assert texts[0].startswith("Two US B-52H bombers")
    for c in claims:
        assert text[c.span[0] : c.span[1]] == c.text or c.text.endswith(text[c.span[0] + 3 : c.span[1]])


def test_compound_sentences_split_into_atomic_claims():
    text = "The union demanded a 14 percent raise, and the port authority offered 6 percent on Tuesday."
    claims = _claims(text)
    assert len(claims) == 2, [c.text for c in claims]
    assert claims[0].text == "The union demanded a 14 percent raise"
    assert claims[1].text.startswith("the port authority offered 6 percent")
    assert all(c.kind == ClaimKind.QUANTITY for c in claims)


def test_kinds_and_pronoun_resolution():
    text = (
        "Marisol Okafor leads Local 412 of the dockworkers union in Kestrel Bay. "
        "She said the strike would continue until the port improved its offer. "
        '"We did not want this strike, but the port left us no choice," Okafor told reporters. '
        "The strike began on March 3 at the Port of Kestrel Bay. "
        "The port is one of the busiest cargo gateways on the coast."
    )
    claims = _claims(text)
    by_start = {c.sentence[:12]: c for c in claims}
    assert by_start["She said the"].text.startswith("Marisol Okafor said")
    assert by_start['"We did not '].kind == ClaimKind.QUOTE
    assert by_start["The strike b"].kind == ClaimKind.EVENT
    assert date(2025, 3, 3) in by_start["The strike b"].dates
    assert by_start["The port is "].kind == ClaimKind.BACKGROUND


def test_wrapped_lines_and_broken_sentences():
    text = (
        "Harbour news\n\nThe army left the base early in the morning\nand the police arrived at the scene "
        "later that day, and the fire crews went home.\nShort heading\nThe port reopened on Friday after talks."
    )
    claims = _claims(text)  # used to crash: a clause's subtree reached across the line break
    assert all(text[c.span[0] : c.span[1]] for c in claims)
    assert any(c.text.startswith("The army left the base") and "police" in c.text for c in claims) or len(claims) >= 2
    spans = next(segment_many([text]))
    assert [text[s:e] for s, e in spans][-2:] == ["Short heading", "The port reopened on Friday after talks."]


def test_span_skips_whitespace_after_semicolon():
    text = "The army left the base at dawn;  the police arrived at the scene later that day, officials said."
    claims = _claims(text)
    assert [text[c.span[0] : c.span[1]] for c in claims] == [c.text for c in claims]
    assert claims[-1].text.endswith("officials said.")


# --- issue 12: real news text (each case quotes or follows the examples) -----------


def test_hard_wrapped_abbreviation_does_not_split_a_sentence():
    text = ("According to a senior U.S.\nNavy official, the ships left Yokosuka on Monday with 3,000 sailors.\n"
            "The bombers landed at Andersen Air Force Base on Guam, Maj.\nJohn Smith said on Tuesday.")
    claims = _claims(text)
    assert [c.text for c in claims] == [
        "According to a senior U.S. Navy official, the ships left Yokosuka on Monday with 3,000 sailors.",
        "The bombers landed at Andersen Air Force Base on Guam, Maj. John Smith said on Tuesday.",
    ]
    assert text[claims[0].span[0]:claims[0].span[1]].startswith("According to a senior U.S.\nNavy")


def test_ranks_titles_initials_and_months_keep_a_sentence_whole():
    text = "Lt. Gen. Ana Ruiz and Dr. J. R. Hall met in Jan. 2024 with the U.S. delegation. It went well."
    pieces = [text[s:e] for s, e in next(segment_many([text]))]
    assert pieces == ["Lt. Gen. Ana Ruiz and Dr. J. R. Hall met in Jan. 2024 with the U.S. delegation.", "It went well."]
    text = "The drills ended in the U.S. The next round begins in May."
    assert len(next(segment_many([text]))) == 2  # a real sentence end after "U.S." stays


def test_multi_word_names_keep_their_tail():
    claims = _claims("B-1B bombers from the 37th Expeditionary Bomb Squadron flew with the USS Ronald Reagan "
                     "Carrier Strike Group near the Korean Peninsula on Friday.")
    assert "37th Expeditionary Bomb Squadron" in claims[0].entities
    assert any(e.endswith("Ronald Reagan Carrier Strike Group") for e in claims[0].entities)


def test_bylines_datelines_and_credits_are_never_claims():
    text = ("By Jane Doe and John Roe\n\n"
            "SEOUL, South Korea (AP) — The drills began on Monday with 20 jets from three countries.\n\n"
            "Photo: Reuters\n\n"
            "(Photo by Chip Somodevilla/Getty Images)\n\n"
            "— John T. Bennett")
    claims = _claims(text)
    assert [c.text for c in claims] == ["The drills began on Monday with 20 jets from three countries."]
    assert text[claims[0].span[0]:claims[0].span[1]] == claims[0].text


def test_opinion_analysis_and_framing_are_not_checked():
    # issue 12's examples: analysis and opinion lines came out as claims; the check-worthiness
    # model (trained on CheckThat! 2024) drops them, facts stay
    text = ("The timing is awkward for the government. "
            "Whether the three governments will ever acknowledge the full scope of the operation remains to be seen. "
            "Two US Air Force B-52H bombers flew from Andersen Air Force Base on Guam on Friday. "
            "The exercise lasted about three hours, the air force said.")
    claims = _claims(text)
    assert [c.text[:20] for c in claims] == ["Two US Air Force B-5", "The exercise lasted "]
    assert all(c.checkworthiness is not None and c.checkworthiness >= 0.5 for c in claims)
    everything = extract_claims(Article(id="t", text=text), keep_all=True)
    assert len(everything) == 4 and everything[0].checkworthiness < 0.1


def test_a_page_break_ends_a_sentence_and_keeps_the_date_after_it():
    """A form feed is a page break (PDF pages, pdftotext's "\\n\\f"): a page's footer never runs
    into the next page's heading, and a dateline opening a page still dates the article."""
    from corroborator.ingest.common import make_article

    text = ("The port authority said on Tuesday that 23 container ships were waiting.\nPort Authority - page 1\n"
            "\fSTRIKE CONTINUES\nAbout 1,800 dockworkers went on strike on Monday, union leaders said.")
    pieces = [text[a:b] for a, b in next(segment_many([text]))]
    assert "Port Authority - page 1" in pieces and "STRIKE CONTINUES" in pieces
    assert not any("\f" in p for p in pieces)
    article = make_article(text="\fSEOUL, March 3, 2025 -- The port authority said 23 ships were waiting.", where="x")
    assert article.text.startswith("\f") and article.published == date(2025, 3, 3)
