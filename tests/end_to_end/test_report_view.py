"""The report a journalist reads (issue 12): summary first, verdicts and risk in words,
evidence folded, filters, the matrix with claim text, a compact terminal view, a timeline chart."""

from __future__ import annotations

import re

import pytest

from ..conftest import DEMO, cli, run_cli

CHECK_001 = next((DEMO / "check").glob("check-001*.md"))


@pytest.fixture(scope="module")
def page(demo_store, tmp_path_factory) -> str:
    out = tmp_path_factory.mktemp("html") / "r.html"
    proc = cli("check", str(CHECK_001), "--store", str(demo_store), "-f", "html", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    return out.read_text()


def test_summary_comes_first_in_words_with_links(page):
    lead = page.index('<div class="lead">')
    assert lead < page.index('<div class="article">') < page.index("<h2>Claims and evidence</h2>")
    summary = page[lead:page.index("</div>", lead)]
    assert re.search(r"\d+ similar reporting, not confirmed \(<a href=\"#c\d+\">", summary)
    assert re.search(r"\d+ backed by other reporting \(<a href=\"#c\d+\">", summary)
    assert "rely on anonymous, leaked or vague sources" in summary and "not found in your archive" in summary
    assert re.search(r"<b>Risk 0\.\d\d: (low|elevated|high)</b>", page)
    assert 'class="bars"' in page and "claims on anonymous, leaked or vague sources" in page
    assert "NOT_ENOUGH_INFO: not found in your archive" in page  # the legend


def test_evidence_is_folded_filters_need_no_script_and_matrix_shows_claim_text(page):
    assert page.count('<details class="evidence">') >= 10 and "<script" not in page
    assert 'id="show-SUPPORTED"' in page and "#show-SUPPORTED:checked~.claims .claim:not(.v-SUPPORTED){display:none}" in page
    assert 'id="show-weak"' in page and 'id="show-loaded"' in page and re.search(r'class="claim v-\w+ s-weak', page)
    assert re.search(r'<td class="text"><a href="#c\d+">c\d+</a> \S', page)
    assert "default-src 'none'" in page


def test_terminal_view_is_compact_by_default(demo_store):
    env = {"COLUMNS": "80"}
    compact = run_cli("check", str(CHECK_001), "--store", str(demo_store), env=env).stdout
    verbose = run_cli("check", str(CHECK_001), "--store", str(demo_store), "--verbose", env=env).stdout
    assert "backed by other reporting" in compact and "risk 0." in compact
    assert len(compact.splitlines()) * 3 < len(verbose.splitlines())  # 460 lines for 21 claims was the complaint
    assert "[supports" in verbose and "[supports" not in compact


def test_timeline_page_has_a_chart(demo_store, tmp_path):
    out = tmp_path / "t.html"
    assert cli("timeline", "--store", str(demo_store), "-f", "html", "-o", str(out)).returncode == 0
    html = out.read_text()
    assert html.count("<svg") == 1 and "<script" not in html and re.search(r"<title>e\d+: ", html)


def test_broken_pipe_ends_quietly(tmp_path):
    import json
    import os
    import subprocess
    import sys

    many = tmp_path / "many.jsonl"  # more output than a pipe holds
    many.write_text("\n".join(json.dumps({"text": f"The council approved {n} new buses for the city on Monday."})
                              for n in range(400)) + "\n")
    proc = subprocess.Popen([sys.executable, "-m", "corroborator", "claims", str(many), "--all"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "COLUMNS": "80"})
    proc.stdout.readline()
    proc.stdout.close()  # the reader goes away, as `| head -1` does
    _, stderr = proc.communicate(timeout=300)
    assert proc.returncode == 0 and b"Traceback" not in stderr and b"Exception" not in stderr


def test_findings_are_shown_in_words(demo_store, tmp_path):
    """Issue 23: "similar reporting, not confirmed", "same topic, event not established" and
    "opinion, not checked" appear where they apply, and the passage a stance was read from."""
    art = tmp_path / "mixed.md"
    art.write_text(
        "---\ntitle: Drill and opinion\npublished: 2025-03-17\n---\n\n"
        "The United States, Japan and South Korea staged a joint air exercise over the Sea of Japan on Friday, "
        "flying two US B-52H bombers with fighter jets from all three countries, officials said. "
        "Tensions in the region will likely rise further in the coming months. "
        "The government should cancel every future drill with its allies.\n", encoding="utf-8")
    out = tmp_path / "r.html"
    proc = cli("check", str(art), "--store", str(demo_store), "-f", "html", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    page = out.read_text()
    assert "opinion, not checked" in page
    assert "similar reporting, not confirmed" in page or "backed by other reporting" in page
    assert "same event" in page  # evidence cards say which event they are about
