"""What the full-text search's postings budget (store.BM25_POSTINGS) changes: the same checks on
one store with the budget and without it (every one of the 8 rarest terms, as before): verdicts,
evidence, check time. Run it on an archive of the size users have (~10k articles: nothing should
change) and on a large one (100k: where it bites).

    python bench/bm25_budget.py STORE [--checks 20]

Writes bench/results/bm25-budget-<date>-<store name>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import check_set  # noqa: E402

import corroborator.store as store_module  # noqa: E402
from corroborator.app import Corroborator, Settings  # noqa: E402
from corroborator.domain import Article  # noqa: E402


def run(address: str, checks: list[Article], budget: int) -> tuple[list[dict], list[float]]:
    store_module.BM25_POSTINGS = budget
    reports, times = [], []
    with Corroborator(Settings(store=address)) as core:
        core.check(checks[0])  # warm
        for article in checks:
            t = time.perf_counter()
            reports.append(core.check(article).to_json_dict())
            times.append(time.perf_counter() - t)
    return reports, times


def search_ms(address: str, checks: list[Article], budget: int, rounds: int = 2) -> dict:
    """Milliseconds per full-text search for the check articles' sentences (the first 80), with
    the budget and without it, alternated ``rounds`` times (load falls on both alike)."""
    from corroborator.retrieve.retriever import bm25_terms
    from corroborator.store import open_store
    from corroborator.text.sentences import segment_many

    sentences = [a.text[s:e] for a, spans in zip(checks, segment_many([a.text for a in checks])) for s, e in spans][:80]
    store = open_store(address)
    times: dict[str, list[float]] = {"unbounded": [], "budget": []}
    try:
        for _ in range(rounds):
            for name, value in (("unbounded", 10**15), ("budget", budget)):
                store_module.BM25_POSTINGS = value
                start = time.perf_counter()
                for sentence in sentences:
                    store.search_bm25(bm25_terms(sentence), 30)
                times[name].append(1000 * (time.perf_counter() - start) / len(sentences))
    finally:
        store.close()
    return {name: round(min(v), 1) for name, v in times.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("store")
    ap.add_argument("--data", type=Path, default=HERE.parents[1] / "shared" / "data")
    ap.add_argument("--checks", type=int, default=20)
    ap.add_argument("--budget", type=int, default=store_module.BM25_POSTINGS)
    args = ap.parse_args()
    budget = args.budget
    checks = [Article(id=c["id"], text=c["text"]) for c in check_set(args.data, args.checks)]
    unbounded, t_unbounded = run(args.store, checks, 10**15)
    bounded, t_bounded = run(args.store, checks, budget)
    per_search = search_ms(args.store, checks, budget)
    claims = verdicts = evidence = risks = 0
    changes: dict[str, int] = {}
    for a, b in zip(unbounded, bounded):
        risks += abs(a["summary"]["risk"] - b["summary"]["risk"]) <= 0.01
        for ca, cb in zip(a["claims"], b["claims"]):
            claims += 1
            verdicts += ca["verdict"] == cb["verdict"]
            if ca["verdict"] != cb["verdict"]:
                key = f"{ca['verdict']} -> {cb['verdict']}"
                changes[key] = changes.get(key, 0) + 1
            evidence += [e["sentence"] for e in ca["evidence"]] == [e["sentence"] for e in cb["evidence"]]
    median = lambda v: sorted(v)[len(v) // 2]  # noqa: E731
    result = {"date": time.strftime("%Y-%m-%d"), "machine": f"{platform.machine()} {os.cpu_count()} cores",
              "command": "python bench/bm25_budget.py " + " ".join(sys.argv[1:]), "store": args.store,
              "articles": unbounded[0]["store"]["articles"], "budget_postings": budget, "checks": len(checks),
              "claims": claims, "same_verdict": verdicts, "verdict_changes": changes, "same_evidence_in_order": evidence,
              "same_risk_within_0.01": risks, "ms_per_search_best_of_2": per_search, "median_check_s": {"unbounded": round(median(t_unbounded), 3),
                                                           "budget": round(median(t_bounded), 3)},
              "load_avg_1m": round(os.getloadavg()[0], 2)}
    out = HERE / "results" / f"bm25-budget-{time.strftime('%Y-%m-%d')}-{Path(args.store).name}-{budget}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
