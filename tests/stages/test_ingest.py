"""Ingest: every supported format becomes an Article; bad input becomes a one-line error."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest

from corroborator.errors import BadInputError
from corroborator.ingest import read_file, read_paths

BODY = (
    "Officials evacuated about 1,200 residents after a fire broke out at the Alder Springs chemical plant "
    "on Wednesday. Two workers were injured, the fire department said."
)


def one(path: Path):
    items = list(read_file(path))
    assert len(items) == 1, items
    return items[0]


def test_markdown_front_matter(tmp_path):
    p = tmp_path / "a.md"
    p.write_text(f"---\nid: x-1\ntitle: Plant fire\noutlet: Test Times\nurl: https://t.example/1\npublished: 2025-02-19\n---\n{BODY}\n")
    art = one(p)
    assert (art.id, art.title, art.outlet, art.url, art.published) == (
        "x-1", "Plant fire", "Test Times", "https://t.example/1", date(2025, 2, 19)
    )
    assert art.text == BODY


def test_plain_text_title_line_and_stable_id(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text(f"Plant fire forces evacuation\n\n{BODY}\n")
    art = one(p)
    assert art.title == "Plant fire forces evacuation"
    assert art.text == BODY
    assert art.id.startswith("a-") and art.id == one(p).id


def test_html_main_text_metadata_and_scripts_dropped(tmp_path):
    p = tmp_path / "a.html"
    p.write_text(
        "<html><head><title>Plant fire</title><meta property='og:site_name' content='Test Times'>"
        "<meta name='date' content='2025-02-19'><script>alert('x')</script></head><body>"
        "<nav>Home | World | Sport</nav><article><h1>Plant fire</h1>"
        f"<p>{BODY}</p><p>Residents were allowed to return home on Thursday evening, officials said.</p>"
        "</article><footer>Subscribe now</footer></body></html>"
    )
    art = one(p)
    assert "1,200 residents" in art.text
    assert "alert" not in art.text
    assert art.published == date(2025, 2, 19)
    assert art.outlet == "Test Times"


def test_jsonl_rows_and_bad_row_named(tmp_path):
    p = tmp_path / "a.jsonl"
    rows = [
        json.dumps({"id": "j1", "outlet": "A", "title": "t", "published": "2025-02-19", "text": BODY}),
        "{not json",
        json.dumps({"id": "j3", "text": ""}),
        json.dumps({"id": "j4", "outlet": "B", "text": BODY + " Extra sentence."}),
    ]
    p.write_text("\n".join(rows) + "\n")
    items = list(read_file(p))
    assert [i.id for i in items if not isinstance(i, BadInputError)] == ["j1", "j4"]
    errors = [str(i) for i in items if isinstance(i, BadInputError)]
    assert any(":2:" in e and "invalid JSON" in e for e in errors)
    assert any(":3:" in e for e in errors)


def test_csv_rows(tmp_path):
    p = tmp_path / "a.csv"
    p.write_text(f'id,url,outlet,title,published,text\nc1,https://x.example,Out,Title,2025-02-19,"{BODY}"\n')
    art = one(p)
    assert (art.id, art.outlet, art.published) == ("c1", "Out", date(2025, 2, 19))


def test_warc_html_records(tmp_path):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    p = tmp_path / "a.warc.gz"
    with p.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        html = f"<html><head><title>Fire</title></head><body><article><p>{BODY}</p><p>{BODY}</p></article></body></html>"
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            "https://news.example/fire", "response", payload=io.BytesIO(html.encode()), http_headers=headers
        )
        writer.write_record(record)
    art = one(p)
    assert art.url == "https://news.example/fire"
    assert "1,200 residents" in art.text


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_feeds(tmp_path, kind):
    if kind == "rss":
        doc = (
            "<?xml version='1.0'?><rss version='2.0'><channel><title>Feed Times</title>"
            f"<item><title>Fire</title><link>https://f.example/1</link><pubDate>Wed, 19 Feb 2025 10:00:00 GMT</pubDate>"
            f"<description>&lt;p&gt;{BODY}&lt;/p&gt;&lt;script&gt;bad()&lt;/script&gt;</description></item></channel></rss>"
        )
        p = tmp_path / "a.rss"
    else:
        doc = (
            "<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'><title>Feed Times</title>"
            f"<entry><title>Fire</title><link href='https://f.example/1'/><id>urn:1</id><updated>2025-02-19T10:00:00Z</updated>"
            f"<summary>{BODY}</summary></entry></feed>"
        )
        p = tmp_path / "a.xml"
    p.write_text(doc)
    art = one(p)
    assert art.outlet == "Feed Times" and art.title == "Fire"
    assert art.published == date(2025, 2, 19)
    assert "bad()" not in art.text and "1,200 residents" in art.text


def test_bad_inputs_are_one_line_errors(tmp_path):
    cases = {
        "empty.txt": b"",
        "binary.txt": bytes(range(256)) * 10,
        "short.txt": b"Too short.",
        "notes.docx": b"PK\x03\x04 something",
    }
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)
        fh.seek(0)
        fh.write(b"A" * 1000)
    messages = {}
    for name in [*cases, "big.txt"]:
        item = one(tmp_path / name)
        assert isinstance(item, BadInputError), name
        messages[name] = str(item)
        assert "\n" not in messages[name]
    assert "empty" in messages["empty.txt"]
    assert "binary" in messages["binary.txt"]
    assert "too large" in messages["big.txt"]
    assert "unsupported" in messages["notes.docx"]


def test_folder_walk_skips_hidden_and_unknown(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text(BODY)
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "b.txt").write_text(BODY)
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    items = list(read_paths([tmp_path, tmp_path / "missing.txt"]))
    assert sum(1 for i in items if not isinstance(i, BadInputError)) == 1
    assert any("no such file" in str(i) for i in items if isinstance(i, BadInputError))


def test_hostile_records_do_not_stop_the_file(tmp_path):
    p = tmp_path / "h.jsonl"
    p.write_text(
        "[" * 100000 + "]" * 100000 + "\n"
        + json.dumps({"id": "ok", "outlet": "\x1b[31mEVIL\x1b[0m [/b]", "title": "T\ud800", "url": "javascript:alert(1)",
                      "published": "n/a", "text": BODY + " \ud800 tail."}) + "\n"
    )
    items = list(read_file(p))
    assert "nested too deeply" in str(items[0])
    art = items[1]
    assert art.id == "ok" and "\x1b" not in art.outlet and "\ud800" not in art.title + art.text
    assert art.published is None
    assert art.url is None  # a javascript: URL is never stored, so never handed back as a link
    (tmp_path / "u16.txt").write_bytes("Hello world, this is long enough text.".encode("utf-16"))
    assert "UTF-16" in str(one(tmp_path / "u16.txt"))


def test_only_urls_a_reader_can_follow_are_kept():
    from corroborator.domain import Candidate
    from corroborator.domain.article import Article

    keep = ["https://example.org/a?b=1", "http://example.org", "www.example.org/x", "/relative/path"]
    drop = ["javascript:alert(1)", " JaVa\tScRiPt:alert(1)", "java\nscript:alert(1)", "data:text/html,<b>x</b>",
            "vbscript:x", "file:///etc/passwd", "", "   "]
    assert [Article(id="a", text="t", url=u).url for u in keep] == [u.strip() for u in keep]
    assert [Article(id="a", text="t", url=u).url for u in drop] == [None] * len(drop)
    # read back from a store filled before the check: still not a link
    assert Candidate(sentence_id=1, article_id="a", sentence="s", url="javascript:alert(1)").url is None


def test_metadata_dates_need_a_year_and_leads_are_not_titles(tmp_path):
    from corroborator.ingest.common import parse_date

    assert parse_date("Mon") is None and parse_date("1e400") is None
    assert parse_date("19 February 2025") == date(2025, 2, 19)
    p = tmp_path / "lede.txt"
    p.write_text("The city council approved a budget of 5 million dollars on Monday.\n\nMore text follows here today.\n")
    art = one(p)
    assert art.title is None and art.text.startswith("The city council approved")


def test_publication_date_from_text_top_or_filename_when_metadata_has_none(tmp_path):
    dateline = tmp_path / "wire.txt"
    dateline.write_text("SEOUL, March 3, 2025 (Yonhap) -- " + BODY + "\n")
    assert one(dateline).published == date(2025, 3, 3)
    stamped = tmp_path / "stamped.md"
    stamped.write_text("Published: 4 March 2025\n\n" + BODY + "\n")
    assert one(stamped).published == date(2025, 3, 4)
    # a date in the first sentence is the event's, not the article's
    event = tmp_path / "event.txt"
    event.write_text("On March 3, 2019, bombers flew over the sea. " + BODY + "\n")
    assert one(event).published is None
    named = tmp_path / "2025-03-06-plant-fire.md"
    named.write_text(BODY + "\n")
    assert one(named).published == date(2025, 3, 6)
    (tmp_path / "report_20250307.html").write_text(f"<html><body><article><p>{BODY}</p></article></body></html>")
    assert one(tmp_path / "report_20250307.html").published == date(2025, 3, 7)
    # metadata wins over the file name; impossible dates in names are ignored
    meta = tmp_path / "2025-03-06-meta.md"
    meta.write_text(f"---\npublished: 2025-02-01\n---\n{BODY}\n")
    assert one(meta).published == date(2025, 2, 1)
    bad = tmp_path / "x-20251399.md"
    bad.write_text(BODY + "\n")
    assert one(bad).published is None


def test_short_dateline_story_keeps_its_text(tmp_path):
    p = tmp_path / "short.txt"
    p.write_text("SEOUL, March 3, 2025 (Yonhap) -- The drill ended.\n" + BODY + "\n")
    art = one(p)
    assert art.published == date(2025, 3, 3) and art.text.startswith("SEOUL, March 3, 2025 (Yonhap) -- The drill ended.")


@pytest.mark.parametrize("head", [
    "date 2017-04-26\n\nPlant fire forces evacuation\n\n",
    "Plant fire forces evacuation\ndate 2017-04-26\n\n",
    "Plant fire forces evacuation\n\nApril 26, 2017\n\n",
    "Plant fire forces evacuation\n2017-04-26\n",
])
def test_title_and_date_lines_above_the_story_in_any_order(tmp_path, head):
    # issue 12: "date 2017-04-26" at the top of a file was not read, so a 2017 story counted
    # as the same event as 2023 claims
    p = tmp_path / "a.txt"
    p.write_text(head + BODY + "\n")
    art = one(p)
    assert (art.title, art.published, art.text) == ("Plant fire forces evacuation", date(2017, 4, 26), BODY)


def test_non_utf8_text_is_decoded_by_detection_with_a_warning(tmp_path, caplog):
    # issue 12: a Latin-1 file was refused whole
    p = tmp_path / "latin1.txt"
    p.write_bytes(("Caf\xe9 owners in M\xfcnchen said the strike had cost them dearly this week. " * 3).encode("latin-1"))
    with caplog.at_level("WARNING", logger="corroborator.ingest"):
        art = one(p)
    assert art.text.startswith("Café owners in München") and "read as cp1252" in caplog.text
