"""End to end on the shipped demo corpus and a real store: behaviour through the application
object (``check_json``) and the command line in-process (``cli``); exit codes, bad input, locks
and the installed entry point in a child process (``run_cli``)."""

from __future__ import annotations

import json
import shutil
import sqlite3

import pytest

from ..conftest import DEMO, check_json, cli, run_cli

CHECK_001 = next((DEMO / "check").glob("check-001*.md"))


def _articles(store) -> int:
    conn = sqlite3.connect(str(store / "store.db"))
    try:
        return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    finally:
        conn.close()


def _one_line_error(proc, code: int = 2) -> str:
    assert proc.returncode == code, (proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert lines, "no error message"
    return " ".join(lines)


def test_index_twice_and_stats(tmp_path):
    store = tmp_path / "s"
    first = cli("index", str(DEMO / "corpus"), "--store", str(store))
    assert first.returncode == 0, first.stderr
    assert "added" in first.stdout and "0 errors" in first.stdout
    n = _articles(store)
    second = cli("index", str(DEMO / "corpus"), "--store", str(store))
    assert second.returncode == 0 and " 0 added" in second.stdout
    assert _articles(store) == n
    stats = cli("stats", "--store", str(store))
    assert stats.returncode == 0 and str(n) in stats.stdout and "Harbor Times" in stats.stdout


@pytest.fixture(scope="module")
def report_001(demo_core):
    return check_json(demo_core, CHECK_001)


def test_report_contract(report_001):
    r = report_001
    assert r["schema"] == "corroborator.report/2"
    assert set(r["article"]) >= {"id", "title", "outlet", "published", "url"}
    assert r["article"]["id"] == "check-001" and r["article"]["published"] == "2025-03-17"
    assert r["verifier"]["name"] == "corroborator-verifier-minilm" and r["verifier"]["interim"] is False
    text = r["article_text"]
    for c in r["claims"]:
        assert set(c) >= {"id", "text", "span", "kind", "verdict", "confidence", "evidence"}
        assert c["kind"] in {"event", "quantity", "quote", "background"}
        assert c["verdict"] in {"SUPPORTED", "REFUTED", "CONFLICTING", "NOT_ENOUGH_INFO"}
        start, end = c["span"]
        assert 0 <= start < end <= len(text)
        for e in c["evidence"]:
            assert set(e) >= {"article_id", "outlet", "published", "sentence", "stance", "score"}
            assert e["stance"] in {"supports", "refutes", "neutral"}
    s = r["summary"]
    assert s["claims"] == len(r["claims"]) == s["supported"] + s["refuted"] + s["conflicting"] + s["not_enough_info"]


def _claim(report, needle: str) -> dict:
    found = [c for c in report["claims"] if needle in c["text"]]
    assert found, f"no claim containing {needle!r}"
    return found[0]


def test_demo_article_verdicts(report_001):
    # facts every on-record outlet reports
    assert _claim(report_001, "Col. Dana Whitfield")["verdict"] == "SUPPORTED"
    assert _claim(report_001, "four days after North Korea fired")["verdict"] == "SUPPORTED"
    # numbers the corpus reports otherwise (3 hours; 1,800 dockworkers): issue 23 keeps REFUTED
    # for close restatements (cosine >= 0.8; these sit at 0.72 and 0.78, where our labelled real
    # news had a quantity "contradiction" that was another statement), so they are similar
    # reporting, not confirmed, and the record shows the changed number
    six = _claim(report_001, "more than six hours")
    assert six["verdict"] == "NOT_ENOUGH_INFO" and six["finding"] == "similar_reporting"
    assert any("three hours" in e["sentence"] and e["stance"] == "refutes" for e in six["evidence"])
    dockworkers = _claim(report_001, "5,000")
    # the strike is another story than the drill, but the claim and the strike reports name the
    # same day and the Port of Kestrel Bay: the same event, established by the claim itself
    assert dockworkers["event_match"] == "same" and dockworkers["finding"] == "similar_reporting"
    assert dockworkers["record"]["status"] == "altered"
    # invented details nobody else reports
    for needle in ("submarine", "simulated strike", "closer to North Korean airspace"):
        assert _claim(report_001, needle)["verdict"] == "NOT_ENOUGH_INFO", needle
    # the 2019 flight's route: only a different (older) event reports it
    route = _claim(report_001, "Korea Strait")
    assert route["verdict"] == "NOT_ENOUGH_INFO" and route["possibly_outdated"] and route["event_match"] == "different"
    assert route["evidence"][0]["published"].startswith("2019")
    assert "days from the claim's date" in route["evidence"][0]["event_note"]
    # evidence from the drill's own reports is the same event: same days, same story, shared names
    drill = [e for e in whitfield_evidence(report_001) if e["published"].startswith("2025-03-1")]
    assert drill and all(e["event_match"] == "same" and "shared names" in e["event_note"] for e in drill)
    # wire copies count once: three outlets ran Meridian Wire's story, one origin
    whitfield = _claim(report_001, "Col. Dana Whitfield")
    outlets = {e["outlet"] for e in whitfield["evidence"] if e["origin"] == "Meridian Wire"}
    assert whitfield["origins_supporting"].count("Meridian Wire") <= 1
    assert len(whitfield["origins_supporting"]) == len(set(whitfield["origins_supporting"]))
    assert outlets <= {"Meridian Wire", "Lakeside Observer", "Kestrel Bay Gazette", "Bay City Courier"}
    # the checks beside the verifier explain the contradicted numbers
    assert any(m["kind"] == "quantity" for e in six["evidence"] for m in e["mismatches"])
    # corroboration matrix: one column per independent origin, one row per claim
    m = report_001["matrix"]
    assert len(m["origins"]) == len(set(m["origins"]))
    assert [row["claim_id"] for row in m["rows"]] == [c["id"] for c in report_001["claims"]]
    row = next(r for r in m["rows"] if r["claim_id"] == whitfield["id"])
    backing = {o for o, cell in zip(m["origins"], row["cells"]) if cell in ("supports", "both")}
    assert backing == set(whitfield["origins_supporting"]) and len(backing) >= 2
    # article-level assessment: many claims nobody else reports, three reported differently
    summary = report_001["summary"]
    assert summary["risk"] >= 0.35 and summary["uncorroborated"] > summary["corroborated"]
    assert summary["altered"] >= 2 and summary["possibly_outdated"] >= 1
    assert {f["name"] for f in summary["risk_factors"]} >= {"contradicted_share", "uncorroborated_share"}
    # sourcing signals ride along in the check report and feed the risk
    assert {"anonymous", "documents"} <= {sg["subtype"] for sg in report_001["signals"]}
    assert "weak_sourcing_share" in {f["name"] for f in summary["risk_factors"]}
    # dropped: a question-free article still loses its non-checkable lines
    assert not any(c["text"].endswith("?") for c in report_001["claims"])
    # against the record (issue 11): the archive covers the drill; invented details are
    # "added", the changed duration is "altered" with both wordings, the 2019 route is
    # "altered" in context, the official quotes "match"
    assert summary["covered"] and 0 < summary["coverage"] < 1 and "covers this story" in summary["note"]
    for needle in ("submarine", "simulated strike"):
        assert _claim(report_001, needle)["record"]["status"] == "added", needle
    assert six["record"]["status"] == "altered"
    assert any(d["kind"] == "number" and "six hours" in d["claim"] and "three hours" in d["record"]
               for d in six["record"]["differences"])
    assert route["record"]["status"] == "altered" and route["record"]["differences"][0]["kind"] == "context"
    assert whitfield["record"]["status"] == "matches"
    assert summary["added"] >= 5 and summary["altered"] >= 2
    assert {f["name"] for f in summary["risk_factors"]} >= {"added_share", "altered_share", "coverage"}


def test_on_record_article_about_an_event_the_archive_lacks_is_not_high_risk(demo_store, tmp_path):
    """Issue 11: missing coverage is not suspicious content. The on-record strike article,
    checked against an archive without the strike, says the archive holds no other
    reporting and scores low; checked against the full archive it is covered and low too."""
    store = tmp_path / "no-strike"
    corpus = tmp_path / "corpus"
    shutil.copytree(DEMO / "corpus", corpus)
    for f in corpus.glob("*"):
        if "strike" in f.name or "terminals" in f.name or "ships-at-anchor" in f.name or "mediator" in f.name \
                or "talks-resume" in f.name:
            f.unlink()
    assert cli("index", str(corpus), "--store", str(store)).returncode == 0
    article = DEMO / "check" / "check-002-lakeside-observer-kestrel-bay-strike.md"
    lonely = json.loads(cli("check", str(article), "--store", str(store), "--format", "json").stdout)
    assert not lonely["summary"]["covered"] and "no other reporting" in lonely["summary"]["note"]
    assert lonely["summary"]["risk"] <= 0.3 and lonely["summary"]["added"] == 0
    full = json.loads(cli("check", str(article), "--store", str(demo_store), "--format", "json").stdout)
    assert full["summary"]["covered"] and full["summary"]["risk"] <= 0.3


def test_article_is_never_its_own_evidence(demo_store, tmp_path):
    store = tmp_path / "with-self"
    shutil.copytree(demo_store, store)
    # the checked article and an exact copy (different id, whitespace) are in the store
    copy = tmp_path / "copy.md"
    body = CHECK_001.read_text().split("---\n", 2)[2]
    copy.write_text("---\nid: copy-of-001\noutlet: Copycat\n---\n" + body.replace(". ", ".  "))
    assert cli("index", str(CHECK_001), str(copy), "--store", str(store)).returncode == 0
    proc = cli("check", str(CHECK_001), "--store", str(store), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    used = {e["article_id"] for c in report["claims"] for e in c["evidence"]}
    assert "check-001" not in used and "copy-of-001" not in used
    assert _claim(report, "submarine")["verdict"] == "NOT_ENOUGH_INFO"


def test_many_articles_json_lines_and_html_folder(demo_store, tmp_path):
    proc = cli("check", str(DEMO / "check"), "--store", str(demo_store), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.strip().splitlines()
    assert [json.loads(line)["article"]["id"] for line in lines] == ["check-001", "check-002", "check-003"]
    out = tmp_path / "html"
    proc = cli("check", str(DEMO / "check"), "--store", str(demo_store), "--format", "html", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    # named after the input files (issue 12), not after ids or hashes
    assert sorted(p.name for p in out.iterdir()) == sorted(p.stem + ".html" for p in (DEMO / "check").glob("*.md"))
    proc = cli("check", str(DEMO / "check"), "--store", str(demo_store), "--format", "html")
    _one_line_error(proc)


def test_hostile_html_in_article_is_escaped(demo_store, tmp_path):
    art = tmp_path / "hostile.txt"
    art.write_text(
        "Drill report\n\nTwo US B-52H bombers flew over the Sea of Japan on Friday, March 14. "
        "<script>alert('pwned')</script> The drill lasted about three hours, officials said. "
        '<img src=x onerror="alert(1)"> Japanese F-2 fighters joined the formation.\n'
    )
    page = tmp_path / "r.html"
    proc = cli("check", str(art), "--store", str(demo_store), "--format", "html", "--out", str(page))
    assert proc.returncode == 0, proc.stderr
    html = page.read_text()
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(&#x27;pwned&#x27;)&lt;/script&gt;" in html
    text = cli("check", str(art), "--store", str(demo_store))
    assert text.returncode == 0 and "risk" in text.stdout


def test_bad_input_is_one_line_and_store_untouched(demo_store, tmp_path):
    n = _articles(demo_store)
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 40)
    with (tmp_path / "huge.txt").open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    for name, needle in (("empty.txt", "empty"), ("binary.txt", "binary"), ("huge.txt", "too large")):
        msg = _one_line_error(run_cli("check", str(tmp_path / name), "--store", str(demo_store)))
        assert needle in msg, msg
        msg = _one_line_error(run_cli("index", str(tmp_path / name), "--store", str(demo_store)))
        assert needle in msg, msg
    assert _articles(demo_store) == n
    assert "no store" in _one_line_error(run_cli("check", str(CHECK_001), "--store", str(tmp_path / "nope")))
    corrupt = tmp_path / "corrupt"
    corrupt.mkdir()
    (corrupt / "store.db").write_bytes(b"\x00garbage" * 1000)
    # issue 12: never "corrupt, move it aside" (a user could delete a good archive)
    for command in ("check", "index"):
        msg = _one_line_error(run_cli(command, str(CHECK_001), "--store", str(corrupt)))
        assert "cannot read the store" in msg and "left as it is" in msg and "aside" not in msg
    assert (corrupt / "store.db").read_bytes() == b"\x00garbage" * 1000
    # an empty or foreign store.db is refused, never replaced
    empty = tmp_path / "empty-store"
    empty.mkdir()
    (empty / "store.db").write_bytes(b"")
    assert "empty file" in _one_line_error(run_cli("index", str(CHECK_001), "--store", str(empty)))
    assert (empty / "store.db").read_bytes() == b""
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    sqlite3.connect(str(foreign / "store.db")).executescript("CREATE TABLE notes(x); INSERT INTO notes VALUES (1);")
    before = (foreign / "store.db").read_bytes()
    assert "not a corroborator store" in _one_line_error(run_cli("index", str(CHECK_001), "--store", str(foreign)))
    assert (foreign / "store.db").read_bytes() == before
    assert run_cli("check").returncode == 2  # usage error
    assert run_cli("check", str(CHECK_001), "--format", "pdf", "--store", str(demo_store)).returncode == 2


def test_demo_command(tmp_path):
    page = tmp_path / "demo.html"
    proc = cli("demo", "--store", str(tmp_path / "d"), "--html", str(page))
    assert proc.returncode == 0, proc.stderr
    assert "backed by other reporting" in proc.stdout and "similar reporting, not confirmed" in proc.stdout
    assert page.exists() and "Global Insight Network" in page.read_text()


def test_awkward_paths_outlets_urls_and_outputs(demo_store, tmp_path):
    store = tmp_path / "st[/x]"
    shutil.copytree(demo_store, store)
    odd = tmp_path / "m[" / "in[/b]"
    odd.mkdir(parents=True)
    (odd / "empty.txt").write_bytes(b"")
    rows = [
        {"id": "n/1", "outlet": "[/] Feed [link=x]", "url": "javascript:alert(1)",
         "text": "Two US B-52H bombers flew over the Sea of Japan on Friday, March 14, officials said."},
        {"id": "n_1", "outlet": "Other", "url": "https://ok.example/a",
         "text": "The drill lasted about three hours, according to US Pacific Air Forces officials."},
    ]
    (odd / "two.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    proc = cli("index", str(odd), "--store", str(store))
    assert proc.returncode == 2 and "empty" in proc.stderr and "Traceback" not in proc.stderr
    assert "internal error" not in proc.stderr + proc.stdout
    assert cli("stats", "--store", str(store)).returncode == 0
    # --out checked before any work
    assert "is a folder" in _one_line_error(cli("check", str(CHECK_001), "--store", str(store), "-f", "json", "-o", str(tmp_path)))
    assert ".html" in _one_line_error(cli("check", str(CHECK_001), "--store", str(store), "-f", "html", "-o", str(tmp_path / "x.txt")))
    out = tmp_path / "reports"
    proc = cli("check", str(odd / "two.jsonl"), "--store", str(store), "-f", "html", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    pages = sorted(p.name for p in out.iterdir())
    assert pages == ["two-1.html", "two-2.html"]  # named after the input file and record; none overwritten
    html = "".join(p.read_text() for p in out.iterdir())
    assert 'href="javascript:' not in html and 'href="https://ok.example/a"' in html


def whitfield_evidence(report: dict) -> list[dict]:
    return _claim(report, "Col. Dana Whitfield")["evidence"]


def test_timeline_groups_events_by_text_and_time(demo_store, tmp_path):
    proc = cli("timeline", "--store", str(demo_store), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    events = json.loads(proc.stdout)["events"]
    firsts = [e["first"] for e in events]
    assert firsts == sorted(firsts)
    by_article = {a: e for e in events for a in e["articles"]}
    drill, flight_2019 = by_article["demo-001"], by_article["demo-011"]
    # the 2019 bomber flight is its own event, not the 2025 drill
    assert drill is not flight_2019 and flight_2019["first"].startswith("2019")
    # independent reports and the wire copies of one drill are one event; copies share an origin
    assert {"demo-002", "demo-003", "demo-004", "demo-006", "demo-007"} <= set(drill["articles"])
    assert "Meridian Wire" in drill["origins"] and len(drill["origins"]) < len(drill["articles"])
    # the strike's follow-ups (March 3 to 11) chain into one event, apart from the fire and the vote
    strike = by_article["demo-014"]
    assert {"demo-015", "demo-016", "demo-019"} <= set(strike["articles"])
    assert by_article["demo-020"] is not strike and by_article["demo-025"] is not strike
    # the state commentary on the drill reads differently (cosine ~0.5) but names the same
    # capitals: it joins the drill's event
    assert by_article["demo-009"] is drill and "Guam" in drill["names"]  # as the articles write it
    # claims: distinct checkable statements, a sentence the wire copies repeat counted once
    assert 0 < drill["claims"] < drill["sentences"]
    html = tmp_path / "timeline.html"
    assert cli("timeline", "--store", str(demo_store), "--format", "html", "--out", str(html)).returncode == 0
    assert "Timeline:" in html.read_text() and "<script" not in html.read_text()
    text = cli("timeline", "--store", str(demo_store))
    assert text.returncode == 0 and "events" in text.stdout
    saved = tmp_path / "timeline.txt"
    assert cli("timeline", "--store", str(demo_store), "--out", str(saved)).returncode == 0
    assert "2019-08-22" in saved.read_text()


def test_timeline_html_escapes_article_titles_outlets_and_names(tmp_path):
    text = ("The <Script> Harbor Authority said on Monday that 40 ships were waiting at anchor outside the port. "
            "Officials at <img src=x onerror=alert(1)> Kestrel Bay expect the backlog to clear by Friday.")
    src = tmp_path / "hostile.jsonl"
    src.write_text(json.dumps({"id": "h1", "title": "<script>alert(1)</script> Ships wait", "outlet": "<b>Evil</b>",
                               "published": "2025-03-03", "text": text}) + "\n")
    store = tmp_path / "store"
    assert cli("index", str(src), "--store", str(store)).returncode == 0
    out = tmp_path / "timeline.html"
    proc = cli("timeline", "--store", str(store), "-f", "html", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    html = out.read_text()
    assert "<script>alert" not in html and "<b>Evil" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Ships wait" in html and "&lt;b&gt;Evil&lt;/b&gt;" in html


def test_plain_text_evidence_is_cited_by_title_file_and_date(tmp_path):
    # issue 12: plain-text inputs were cited as "a-c60a90b9d2d578f1, undated" and matrix columns
    # read "article a-6a94..."; a reader needs outlet or title, date and the file it came from
    archive = tmp_path / "archive"
    archive.mkdir()
    (archive / "harbour-strike-day-one.txt").write_text(
        "Dockworkers walk out at Kestrel Bay\ndate 2024-06-03\n\n"
        "About 1,800 dockworkers at the Port of Kestrel Bay went on strike on Monday, the union said. "
        "The strike closed all four container terminals, port officials said.\n")
    (archive / "no-title.txt").write_text(
        "About 1,800 dockworkers walked off the job at the Port of Kestrel Bay on Monday, closing all four "
        "container terminals, the port authority said in a statement.\n")
    store = tmp_path / "s"
    assert cli("index", str(archive), "--store", str(store)).returncode == 0
    article = tmp_path / "check.txt"
    article.write_text("About 1,800 dockworkers at the Port of Kestrel Bay went on strike on Monday, the union said.\n")
    proc = cli("check", str(article), "--store", str(store), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    evidence = [e for c in json.loads(proc.stdout)["claims"] for e in c["evidence"]]
    titled = next(e for e in evidence if e["source"].endswith("harbour-strike-day-one.txt"))
    assert titled["title"] == "Dockworkers walk out at Kestrel Bay" and titled["published"] == "2024-06-03"
    untitled = next(e for e in evidence if e["source"].endswith("no-title.txt"))
    assert untitled["title"].startswith("About 1,800 dockworkers walked off the job")
    report = json.loads(proc.stdout)
    assert set(report["matrix"]["origins"]) <= {"harbour-strike-day-one.txt", "no-title.txt"}
    text = cli("check", str(article), "--store", str(store), "--verbose").stdout
    assert "Dockworkers walk out at Kestrel Bay, 2024-06-03" in text


def test_claims_command_lists_claims_with_scores_without_a_store(tmp_path):
    sentences = tmp_path / "sentences.jsonl"
    sentences.write_text("\n".join(json.dumps({"text": t}) for t in (
        "Unemployment fell to 3.5% in May.", "The timing is awkward for the government.")) + "\n")
    proc = cli("claims", str(sentences), "--all", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r["schema"] for r in rows] == ["corroborator.claims/1"] * 2
    first, second = (r["claims"][0] for r in rows)
    assert first["text"] == "Unemployment fell to 3.5% in May." and first["checkworthy"] and first["span"] == [0, 33]
    assert not second["checkworthy"] and second["checkworthiness"] < rows[1]["threshold"]
    proc = cli("claims", str(CHECK_001))
    assert proc.returncode == 0 and "B-52H" in proc.stdout and "timing is awkward" not in proc.stdout
    _one_line_error(cli("claims", str(tmp_path / "missing.txt")))


def test_archives_as_people_have_them(tmp_path):
    # issue 12: a Latin-1 file was refused whole; no --version or -h; JSON shape differed by count
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("Caf\xe9 owners in M\xfcnchen said the strike had cost them 5,000 euros.".encode("latin-1"))
    proc = run_cli("claims", str(latin1), "--format", "json")
    assert proc.returncode == 0 and "read as cp1252" in proc.stderr
    assert json.loads(proc.stdout)["claims"][0]["text"].startswith("Café owners in München")
    store = tmp_path / "s"
    proc = run_cli("index", str(latin1), "--store", str(store))
    assert proc.returncode == 0 and "1 added" in proc.stdout
    assert run_cli("--version").stdout.startswith("corroborator ")
    assert "Usage" in run_cli("-h").stdout and "Usage" in run_cli("check", "-h").stdout
    one = run_cli("claims", str(CHECK_001), "--format", "json").stdout
    assert len(one.strip().splitlines()) == 1  # one article: one line, as for many
    assert "cannot write" in _one_line_error(run_cli("claims", str(CHECK_001), "-o", "/proc/version/x.json"))


def test_index_wait_for_a_locked_store(tmp_path):
    import fcntl
    import os
    import subprocess
    import sys

    store = tmp_path / "s"
    assert run_cli("index", str(CHECK_001), "--store", str(store)).returncode == 0
    other = tmp_path / "other.txt"
    other.write_text("The port authority said on Tuesday that 23 container ships were waiting at anchor.\n")
    with (store / "lock").open("a+") as held:  # another indexing run holds the writer lock
        fcntl.flock(held, fcntl.LOCK_EX)
        assert "--wait" in _one_line_error(run_cli("index", str(other), "--store", str(store)))
        waiting = subprocess.Popen([sys.executable, "-m", "corroborator", "index", str(other), "--store", str(store),
                                    "--wait"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                   env={**os.environ, "COLUMNS": "160"})
        assert "waiting for the other indexing run" in waiting.stderr.readline()
        fcntl.flock(held, fcntl.LOCK_UN)
    stdout, _ = waiting.communicate(timeout=300)
    assert waiting.returncode == 0 and "1 added" in stdout


def test_state_media_framing_is_not_supported_by_the_drill_reports(demo_core, tmp_path):
    # issue 12: "X and Y have kept posing security threats to the region" came out SUPPORTED at 0.51
    art = tmp_path / "framing.txt"
    art.write_text("The United States and South Korea have kept posing security threats to the region.\n")
    claims = check_json(demo_core, art)["claims"]
    assert claims and all(c["verdict"] != "SUPPORTED" for c in claims)


def test_another_years_drill_is_never_backed_by_this_years_reports(demo_core, tmp_path):
    """Issue 23's canonical case: a 2017 report of another trilateral drill (its date a stamp on
    the first line, other ships and aircraft) checked against the 2025 drill's reports: nothing
    is SUPPORTED or REFUTED, and the 2025 reporting is another event, never support."""
    art = tmp_path / "drill-2017.txt"
    art.write_text(
        "Allies sail together\n\n"
        "date 2017-04-26 The United States, Japan and South Korea held a joint naval drill on Wednesday, officials said. "
        "The aircraft carrier USS Carl Vinson and the destroyers USS Wayne E. Meyer and USS Michael Murphy sailed "
        "with Japanese destroyers in the Sea of Japan. Two US Air Force B-1B bombers flew over the ships during the "
        "exercise, a Navy spokesman said.\n", encoding="utf-8")
    report = check_json(demo_core, art)
    assert report["article"]["published"] == "2017-04-26"
    assert report["claims"] and all(c["verdict"] not in ("SUPPORTED", "REFUTED") for c in report["claims"])
    for c in report["claims"]:
        for e in c["evidence"]:
            if (e["published"] or "").startswith("2025"):
                assert e["event_match"] == "different", (c["text"], e["sentence"])
    assert all(not c["origins_supporting"] for c in report["claims"])


def test_state_commentary_is_not_backed_by_the_wire_reports_of_its_topic(demo_core):
    """The state commentary on the drill tells no story the factual reports match: their
    sentences are the same topic, event not established, and back none of its claims."""
    report = check_json(demo_core, DEMO / "check" / "check-003-northern-state-broadcaster-air-drill.md")
    assert report["claims"] and all(c["verdict"] == "NOT_ENOUGH_INFO" for c in report["claims"])
    assert all(not c["origins_supporting"] and not c["origins_contradicting"] for c in report["claims"])


def test_a_new_archive_can_be_indexed_where_serve_keeps_its_files_already(tmp_path):
    """`token create` (or `serve`) on a new folder makes service.db first; `index` into that
    folder in another process still makes the store: the files kept beside a store are known to
    every front door, not only to a process that imported the service."""
    folder = tmp_path / "newsroom"
    made = run_cli("token", "create", "--role", "admin", "--store", str(folder))
    assert made.returncode == 0 and (folder / "service.db").is_file(), made.stderr
    (folder / "watch.db").write_bytes(b"")  # and the feeds' state, as `serve` or `watch` keep it
    article = tmp_path / "a.txt"
    article.write_text("The port authority said on Tuesday that 23 container ships were waiting at anchor.\n")
    indexed = run_cli("index", str(article), "--store", str(folder))
    assert indexed.returncode == 0, indexed.stderr
    # anything else in a folder still keeps a store from being made there
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("mine")
    refused = run_cli("index", str(article), "--store", str(tmp_path / "other"))
    assert refused.returncode != 0 and "non-empty folder" in refused.stderr
