"""Independent origins: wire credits, near-duplicate copies, the v2 -> v3 store upgrade."""

from __future__ import annotations

import json
import sqlite3
from datetime import date

import pytest

from corroborator.check.checker import open_for_check
from corroborator.corroborate.origins import (
    NEAR_DUPLICATE,
    fingerprint,
    similarity,
    wire_credit,
)
from corroborator.indexing.indexer import Indexer, open_for_index

from ..conftest import DEMO

WIRE_BODY = (DEMO / "corpus" / "004-meridian-wire-allied-air-drill.md").read_text().split("---\n", 2)[2]


@pytest.mark.parametrize(
    "text,agency",
    [
        ("SEOUL (Reuters) - North Korea fired a missile on Tuesday, officials said.", "Reuters"),
        ("TOKYO, March 14 (Yonhap) -- Three countries held an air drill.", "Yonhap"),
        ("WASHINGTON (AP) — The Senate voted on Friday.", "Associated Press"),
        ("Editor's note: This is a wire report from Meridian Wire.\n\nTOKYO -- Text follows.", "Meridian Wire"),
        ("The port reopened on Friday.\n\nUnion leaders welcomed the deal.\n\n(Meridian Wire)", "Meridian Wire"),
        ("The port reopened on Friday (officials said) after talks.", None),
        ("The port reopened.\n\n(Reporting by Aiko Brandt; Editing by Tom Rourke)", None),
        ("Harbor Times staff reported from the port on Friday.", None),
        ("The talks ended without a deal.\n\n(END)", None),
        ("Photo courtesy of the Defense Ministry.\nThe talks ended.", None),
        ("Kim Yo Jong (pictured) - the leader's sister - spoke on Monday.", None),
    ],
)
def test_wire_credit(text, agency):
    assert wire_credit(text) == agency


def test_near_duplicates_score_high_and_other_reports_low():
    lightly_edited = WIRE_BODY.replace("TOKYO (Meridian Wire) -- ", "").replace("officials said", "officials confirmed")
    other = (DEMO / "corpus" / "001-harbor-times-trilateral-drill.md").read_text().split("---\n", 2)[2]
    sig = fingerprint(WIRE_BODY).signature
    assert similarity(sig, fingerprint(lightly_edited).signature) >= NEAR_DUPLICATE
    assert similarity(sig, fingerprint(other).signature) < 0.3  # same event, independent wording


def _index(store_path, embedder, rows, tmp_path):
    src = tmp_path / f"batch-{len(list(tmp_path.glob('batch-*')))}.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows))
    store = open_for_index(store_path, embedder)
    try:
        result = Indexer(store, embedder).run([src])
    finally:
        store.close()
    assert not result.errors


def _origins(store_path) -> dict[str, str]:
    conn = sqlite3.connect(str(store_path / "store.db"))
    try:
        return dict(conn.execute("SELECT id, origin FROM articles").fetchall())
    finally:
        conn.close()


def test_copy_without_credit_joins_its_original(tmp_path, embedder):
    original = WIRE_BODY.replace("TOKYO (Meridian Wire) -- ", "TOKYO -- ").rsplit("(Reporting", 1)[0]
    copy = original.replace("officials said", "officials confirmed") + "\nRead more on our website."
    independent = (DEMO / "corpus" / "001-harbor-times-trilateral-drill.md").read_text().split("---\n", 2)[2]
    store = tmp_path / "s"
    _index(store, embedder, [{"id": "orig", "outlet": "Daily Original", "text": original},
                             {"id": "own", "outlet": "Harbor Times", "text": independent}], tmp_path)
    # a later run: the lookup reads the bands stored by the earlier one
    _index(store, embedder, [{"id": "copy", "outlet": "Copy Gazette", "text": copy},
                             {"id": "anon", "text": "A short unrelated note about a bake sale at the school on Sunday."}],
           tmp_path)
    # an article with no outlet is its own origin, named by the file and record it came from
    assert _origins(store) == {"orig": "Daily Original", "own": "Harbor Times", "copy": "Daily Original",
                               "anon": "batch-1.jsonl:2"}


def test_version_2_store_is_upgraded_with_origins(tmp_path, embedder):
    store = tmp_path / "s"
    _index(store, embedder, [{"id": "wire", "outlet": "Bay Post", "text": WIRE_BODY},
                             {"id": "copy", "outlet": "Copy Gazette", "text": WIRE_BODY.replace("TOKYO (Meridian Wire) -- ", "")}],
           tmp_path)
    conn = sqlite3.connect(str(store / "store.db"))
    conn.executescript(
        "DROP INDEX minhash_bands_key; DROP TABLE minhash_bands; ALTER TABLE articles DROP COLUMN origin;"
        " ALTER TABLE articles DROP COLUMN minhash; UPDATE meta SET value = '2' WHERE key = 'schema_version';"
    )
    conn.close()
    opened = open_for_check(store, embedder)
    try:
        assert opened.stats()["origins"] == 1
    finally:
        opened.close()
    assert _origins(store) == {"wire": "Meridian Wire", "copy": "Meridian Wire"}


def test_non_latin_texts_are_compared_by_their_words():
    a = "북한이 화요일 동해상으로 탄도미사일을 발사했다고 합동참모본부가 밝혔다 군 당국은 추가 발사에 대비하고 있다"
    b = "서울시는 내년 예산안을 발표했다 시장은 대중교통 요금을 동결하겠다고 말했다 시의회는 다음주 표결한다"
    assert similarity(fingerprint(a).signature, fingerprint(b).signature) < 0.2
    assert similarity(fingerprint(a).signature, fingerprint(a + " 추가").signature) >= NEAR_DUPLICATE


def test_checked_wire_copy_is_diffed_against_its_own_copies_never_corroborated_by_them(tmp_path, embedder):
    from corroborator.check.checker import Checker
    from corroborator.domain import Article

    store_path = tmp_path / "s"
    independent = (DEMO / "corpus" / "001-harbor-times-trilateral-drill.md").read_text().split("---\n", 2)[2]
    _index(store_path, embedder, [{"id": "wire", "outlet": "Bay Post", "text": WIRE_BODY, "published": "2025-03-14"},
                                  {"id": "own", "outlet": "Harbor Times", "text": independent, "published": "2025-03-14"}],
           tmp_path)
    copy = Article(id="copy", outlet="Copy Gazette", text=WIRE_BODY.replace("officials said", "officials confirmed"))
    store = open_for_check(store_path, embedder)
    try:
        report = Checker(store, embedder).check(copy)
    finally:
        store.close()
    # its own wire copy is the record it was made from: shown, diffed against, never counted
    own = [e for c in report.claims for e in c.evidence if e.origin == "Meridian Wire"]
    assert own and all(e.version for e in own)
    assert all("Meridian Wire" not in c.origins_supporting + c.origins_contradicting for c in report.claims)
    assert "Meridian Wire" not in report.matrix.origins and "Harbor Times" in {e.origin for c in report.claims for e in c.evidence}
    assert report.summary.versions == ["wire"] and "version of stored article wire" in report.summary.note
    assert any(c.record and c.record.version for c in report.claims)


def test_a_2025_report_of_a_2019_flight_is_not_support_for_a_2025_flight(tmp_path, embedder):
    """Evidence time comes from the evidence sentence when it names a date: a 2025 article's
    recap of the 2019 flight is about 2019, so it cannot back a claim about 2025."""
    from corroborator.check.checker import Checker
    from corroborator.domain import Article, Verdict

    recap = ("Two US B-1B bombers flew over the Korea Strait and south of Jeju Island on August 22, 2019, "
             "escorted by Japanese and South Korean fighter jets. Officials described that mission as routine. "
             "A new round of exercises is planned for the spring, the ministry said on Friday.")
    store_path = tmp_path / "s"
    _index(store_path, embedder, [{"id": "recap", "outlet": "Harbor Times", "text": recap, "published": "2025-03-14"}],
           tmp_path)
    # the claim names no date (a date it named would already be caught by the date check):
    # its time is its article's date, and only the evidence sentence's own date tells them apart
    claim_text = ("Two US B-1B bombers flew over the Korea Strait and south of Jeju Island, escorted by Japanese "
                  "and South Korean fighter jets, officials said.")
    store = open_for_check(store_path, embedder)
    try:
        report = Checker(store, embedder).check(Article(id="new", text=claim_text, published=date(2025, 3, 16)))
    finally:
        store.close()
    flight = report.claims[0]
    recap_evidence = [e for e in flight.evidence if "2019" in e.sentence]
    assert recap_evidence and all(e.event_match == "different" for e in recap_evidence)
    assert recap_evidence[0].sentence_date == date(2019, 8, 22) and "about 2019-08-22" in recap_evidence[0].event_note
    assert flight.verdict == Verdict.NOT_ENOUGH_INFO and flight.possibly_outdated
