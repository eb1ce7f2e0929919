"""The application core (issue 13): one object the CLI calls for everything, usable in-process
with articles from any source (not only files)."""

from __future__ import annotations

import json

import pytest

from corroborator.app import Corroborator, Settings
from corroborator.domain import Article
from corroborator.errors import BadInputError, CorroboratorError
from corroborator.ingest import read_paths

from ..conftest import DEMO
from .test_golden import GOLDEN, differences, normalise


def test_index_articles_from_any_source_then_check_timeline_stats(tmp_path):
    store = tmp_path / "s"
    sentence = "About 1,800 dockworkers at the Port of Kestrel Bay went on strike on Monday, the union said."
    articles = [Article(id="api-1", outlet="Wire A", text=sentence + " The port authority offered 6 percent."),
                BadInputError("request 2: no text"),
                Article(id="api-3", outlet="Paper B", text="The strike closed four terminals on Monday, officials said.")]
    errors: list[str] = []
    with Corroborator(Settings(store=store)) as core:
        result = core.index(articles, on_error=errors.append)
        assert (result.read, result.added, errors) == (2, 2, ["request 2: no text"])
        report = core.check(Article(id="q", text=sentence))  # a copy of api-1's first sentence
        assert report.claims[0].record.version and report.summary.versions  # the record, not corroboration
        info, outlets = core.stats()
        assert info["articles"] == 2 and dict(outlets) == {"Wire A": 1, "Paper B": 1}
        assert core.timeline().undated == 2
    with Corroborator(Settings(store=tmp_path / "empty")) as core, pytest.raises(CorroboratorError, match="no store"):
        core.require_archive()


def test_in_process_check_matches_the_golden_demo_report(demo_store):
    check = next((DEMO / "check").glob("check-002*.md"))
    (article,) = list(read_paths([check]))
    with Corroborator(Settings(store=demo_store)) as core:
        report = core.check(article)
        assert core.claims(article).claims[0].checkworthiness is not None
        assert core.signals(article).signals
    golden = {r["article"]["id"]: r for r in json.loads((GOLDEN / "demo-checks.json").read_text())}
    found = differences(normalise(json.loads(json.dumps(report.to_json_dict(), ensure_ascii=False))),
                        golden[article.id])
    assert not found, found[:8]
