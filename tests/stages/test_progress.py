"""A check's progress as a reader follows it: claims found, then claims verified (not
claim-evidence pairs), then an honest "finishing" step before the report."""

from ..conftest import DEMO


def test_progress_counts_claims_and_ends_with_finishing(demo_core):
    from corroborator.ingest import read_paths

    (article,) = list(read_paths([next((DEMO / "check").glob("check-001*.md"))]))
    seen: list[tuple[str, int, int]] = []
    report = demo_core.check(article, progress=lambda stage, done, total: seen.append((stage, done, total)))
    stages = list(dict.fromkeys(stage for stage, _, _ in seen))
    assert stages[0] == "claims" and stages[-1] == "finishing" and "verification" in stages
    verified = [(d, t) for s, d, t in seen if s == "verification"]
    (total,) = {t for _, t in verified}
    assert 5 <= total <= len(report.claims)  # counted in claims (this article has ~150 claim-evidence pairs)
    assert [d for d, _ in verified] == sorted(d for d, _ in verified) and verified[-1] == (total, total)
