"""Two stores holding the same archive must give the same reports."""

import json

from corroborator.app import Corroborator

from ..end_to_end.test_golden import differences


def assert_same_reports(core: Corroborator, reference: Corroborator, articles) -> None:
    """Same verdicts, same evidence in the same order, every other field within 1e-3 (where
    each store is and how long a check took are their own)."""
    for article in articles:
        got = json.loads(json.dumps(core.check(article).to_json_dict(), ensure_ascii=False))
        want = json.loads(json.dumps(reference.check(article).to_json_dict(), ensure_ascii=False))
        for report in (got, want):
            report.pop("timings_ms", None)
            report["store"] = {k: v for k, v in report["store"].items() if k in ("articles", "sentences")}
        assert [c["verdict"] for c in got["claims"]] == [c["verdict"] for c in want["claims"]], article.id
        assert [[e["sentence"] for e in c["evidence"]] for c in got["claims"]] == \
               [[e["sentence"] for e in c["evidence"]] for c in want["claims"]], article.id
        found = differences(got, want)
        assert not found, (article.id, found[:5])
