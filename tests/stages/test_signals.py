"""Sourcing and hedging signals: our labelled sentences, the demo articles, the command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corroborator.signals.sourcing import ORDER, sentence_sourcing
from corroborator.text.parsing import load_spacy, parse

from ..conftest import DEMO, cli

DATA = Path(__file__).parent / "data"
CHECK = DEMO / "check"


def _rows(name: str) -> list[dict]:
    return [json.loads(line) for line in (DATA / name).read_text().splitlines() if line.strip()]


def test_labelled_sentences_cover_every_class_and_are_classified():
    rows = _rows("sourcing.jsonl")
    assert len(rows) >= 60 and {r["label"] for r in rows} == set(ORDER)
    nlp = load_spacy(True)
    predicted = [sentence_sourcing(nlp(r["text"])) for r in rows]
    for label in ORDER:
        tp = sum(1 for r, p in zip(rows, predicted) if r["label"] == p == label)
        recall = tp / sum(1 for r in rows if r["label"] == label)
        precision = tp / max(1, predicted.count(label))
        # in-sample (the lexicons were written with these sentences); held-out numbers: bench/sourcing_eval.py
        assert recall >= 0.85 and precision >= 0.85, (label, precision, recall)


@pytest.fixture(scope="module")
def demo_signals():
    proc = cli("signals", str(CHECK), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    return {r["article"]["id"]: r for r in map(json.loads, proc.stdout.splitlines())}


def test_invented_details_article_flags_anonymous_and_leaked_documents(demo_signals):
    r = demo_signals["check-001"]
    text = (CHECK / "check-001-global-insight-network-air-drill.md").read_text().split("---\n", 2)[2]
    flags = {(s["subtype"], s["text"]) for s in r["signals"] if s["type"] == "sourcing"}
    assert ("documents", "Documents leaked") in flags and ("documents", "classified planning documents") in flags
    assert ("anonymous", "Sources close to") in flags and ("anonymous", "on condition of anonymity") in flags
    assert ("vague", "It is believed") in flags
    claims = {c["id"]: c for c in r["claims"]}
    for s in r["signals"]:
        start, end = s["span"]
        assert text[start:end] == s["text"] and s["explanation"]  # spans index the article text
        # loaded language is read in every sentence, also those no claim comes from
        assert s["claim_id"] in claims or s["type"] == "loaded_language" and s["claim_id"] is None
    assert r["summary"]["sourcing"]["documents"] >= 2 and r["summary"]["sourcing"]["on_record"] >= 3
    # issue 12: the JSON is versioned and carries the text its spans index, and the offset of
    # that text in the input file (the front matter and title line are not in it)
    assert r["schema"] == "corroborator.signals/1" and r["text"].strip() == text.strip()
    raw = (CHECK / "check-001-global-insight-network-air-drill.md").read_text()
    offset = r["article"]["text_offset"]
    for s in r["signals"]:
        start, end = s["span"]
        assert raw[offset + start:offset + end] == s["text"]


def test_on_record_article_has_no_anonymous_or_document_sourcing(demo_signals):
    summary = demo_signals["check-002"]["summary"]["sourcing"]
    assert summary.get("on_record", 0) >= 3
    assert not {"anonymous", "documents", "vague"} & set(summary)


def test_signals_command_formats_and_bad_input(tmp_path):
    html = tmp_path / "s.html"
    assert cli("signals", str(CHECK / "check-001-global-insight-network-air-drill.md"), "-f", "html", "-o", str(html)).returncode == 0
    page = html.read_text()
    assert "<mark" in page and "Documents leaked" in page and "<script" not in page
    assert "loaded language and other propaganda techniques" in page and '<div class="article">' in page
    hostile = tmp_path / "hostile.md"
    hostile.write_text("Sources close to <script>alert(1)</script> the palace said the king was ill.\n")
    proc = cli("signals", str(hostile), "-f", "html")
    assert proc.returncode == 0 and "<script>" not in proc.stdout and "&lt;script&gt;" in proc.stdout
    text = cli("signals", str(CHECK / "check-001-global-insight-network-air-drill.md"))
    assert text.returncode == 0 and "anonymous" in text.stdout
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    proc = cli("signals", str(empty))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and proc.stderr.strip()


def test_state_media_commentary_is_flagged_for_loaded_language_and_on_record_reporting_is_not(demo_signals):
    commentary = [s for s in demo_signals["check-003"]["signals"] if s["type"] == "loaded_language"]
    on_record = [s for s in demo_signals["check-002"]["signals"] if s["type"] == "loaded_language"]
    techniques = {s["subtype"] for s in commentary}
    assert len({tuple(s["span"]) for s in commentary}) >= 4 and "Loaded_Language" in techniques, commentary
    # the on-record report: no strong technique, nothing of the outlet's own voice above mild (tagger v2
    # flags two phrases of its quoted speakers, "fair and competitive", weighed half)
    from corroborator.signals.techniques import STRONG, TECHNIQUE_STRENGTH

    assert all(TECHNIQUE_STRENGTH[s["subtype"]] < STRONG for s in on_record), on_record
    assert all("inside a quotation" in s["explanation"] or s["strength"] <= 0.4 for s in on_record), on_record
    assert any(TECHNIQUE_STRENGTH[s["subtype"]] >= STRONG for s in commentary), commentary  # name calling, fear
    # strength = the technique's weight x the tagger's probability: the commentary's strongest flag outweighs
    # anything in the on-record report
    assert max(s["strength"] for s in commentary) > max([s["strength"] for s in on_record] or [0]) * 1.5
    words = " ".join(s["text"].lower() for s in commentary)
    assert "stooges" in words or "shameless" in words
    assert demo_signals["check-003"]["summary"]["loaded_language"]["Loaded_Language"] >= 2


def test_sourcing_on_real_news_phrasing():
    # issue 12: described-but-unnamed people were "on record"; "..., they said" was on record as
    # the country named earlier in the sentence
    from corroborator.signals.sourcing import sentence_sourcing
    from corroborator.text.parsing import parse

    cases = {
        "The drills were larger than announced, said a former navy officer now working as an analyst.": "anonymous",
        "The jets flew for two hours, according to a retired air force general.": "anonymous",
        "Japan and South Korea joined the flight, they said.": "vague",
        "The jets flew for two hours, a spokesperson for the ministry said.": "on_record",
        "The jets flew for two hours, said Lt. Col. Kim Min-su, a ministry spokesperson.": "on_record",
        "Officials said the road would reopen on Friday.": "vague",
        "Senior administration officials, speaking on background, said the strikes would continue.": "anonymous",
        # state-media framing attributed to "the commentary" was on record as the country it names
        "The United States and South Korea have kept posing security threats to the region, the commentary said.":
            "vague",
    }
    for sentence, expected in cases.items():
        assert sentence_sourcing(parse(sentence)) == expected, sentence


def test_they_said_takes_the_previous_attribution_and_he_said_a_named_person():
    from corroborator.signals.sourcing import attributed_sources
    from corroborator.text.parsing import parse

    text = ("Sources close to the ministry said the drill was planned for weeks. The jets flew for two hours, "
            "they said. Defense Minister Kim Yong-hyun spoke on Friday. The flight was a warning, he said.")
    found = [(cls, text[s:e]) for cls, s, e in attributed_sources(parse(text))]
    assert ("anonymous", "they") in found and ("on_record", "he") in found


def test_sources_the_tagger_learnt_are_classed_like_the_parse_finds_them():
    from corroborator.signals.sourcing import attributed_sources
    from corroborator.text.parsing import parse

    # cue verbs outside the parse rules' lexicon: only the tagger's spans find these speakers
    text = ("A senior aide mocked the plan on Monday. Two Democratic speechwriters implored her to run. "
            "Analysts doubted the figures. The senator scoffed at the idea.")
    doc = parse(text)
    spans = {w: (text.index(w), text.index(w) + len(w))
             for w in ("A senior aide", "Two Democratic speechwriters", "Analysts", "The senator")}
    without = {text[s:e] for _, s, e in attributed_sources(doc)}
    assert not without & set(spans), without
    learned = {sent.start_char: [v for v in spans.values() if sent.start_char <= v[0] < sent.end_char]
               for sent in doc.sents}
    found = {text[s:e]: cls for cls, s, e in attributed_sources(doc, learned)}
    assert found == {"A senior aide": "anonymous", "Two Democratic speechwriters": "anonymous",
                     "Analysts": "vague", "The senator": "on_record"}, found


def test_unnamed_people_who_speak_are_anonymous_a_named_one_is_not():
    cases = {
        "A New York judge said the file would stay sealed.": "anonymous",
        "A doctor said the wound was self-inflicted.": "anonymous",
        "The judge said the file would stay sealed.": "on_record",
        "Judge Maria Lopez said the file would stay sealed.": "on_record",
        "Federal investigators said the program was infiltrated.": "anonymous",
        "Some analysts said the plan was top-heavy.": "vague",
    }
    for sentence, expected in cases.items():
        assert sentence_sourcing(parse(sentence)) == expected, sentence


def test_one_flag_per_phrase_and_per_row(demo_signals):
    # issue 12: "one phrase comes out as three overlapping flags", "spans listed twice"
    for r in demo_signals.values():
        loaded = sorted({tuple(s["span"]) for s in r["signals"] if s["type"] == "loaded_language"})
        assert all(a[1] <= b[0] for a, b in zip(loaded, loaded[1:])), loaded  # no two overlap
    text = cli("signals", str(CHECK / "check-003-northern-state-broadcaster-air-drill.md")).stdout
    assert text.count("a shameless lie") <= 1


@pytest.mark.parametrize("text, expected", [
    # a dateline says where the story was filed, never who said it
    ("LOS ANGELES, Sept. 28 (UPI) — In a preview clip, the singer performs a Springsteen song for the candidate.",
     set()),
    # a quotation signed after a dash: its signer speaks on record
    ("Readers wrote to us. “I cannot believe a man with no credentials could get this far.” ― Pamela Padilla",
     {("on_record", "Pamela Padilla")}),
    # a headline's or a transcript's source before an opening colon
    ("Pat Caddell: Democrat Voters Worried About Clinton’s Health.", {("on_record", "Pat Caddell")}),
    ("\"WALLACE: Let’s start with breaking news on the debate story tonight.", {("on_record", "WALLACE")}),
    ("Poll: Wealthy Voters Abandon Republican Party.", {("vague", "Poll")}),
    ("Note: This story has been updated with the governor's schedule.", set()),
    # described but unnamed, introduced by "according to"
    ("He rated contestants by their looks, according to show insiders.", {("anonymous", "according to show insiders")}),
])
def test_sources_a_reader_sees_without_a_reporting_verb(text, expected):
    from corroborator.signals.sourcing import article_sources

    doc = load_spacy(True)(text)
    found = article_sources(doc)
    assert expected <= {(kind, text[start:end]) for kind, start, end in found}
    if not expected:  # nothing taken from the dateline or the label before the colon
        head = min(i for i in (text.find("—"), text.find(":")) if i >= 0)
        assert not any(start < head for _, start, _ in found), found
