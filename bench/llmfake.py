"""LLMFake benchmark: does `risk` separate fabricated generations from faithful ones?

    python bench/llmfake.py [--data ../shared/data] [--per-dataset 60] [--generators chatgpt_3.5_generation | all]

For each dataset (CoAID, GossipCop) the human-written originals (`news_text`, every row of
every generator and method) are indexed into one store; then, for a sample of news ids that
have all three methods from a generator, each LLM-written article (`synthetic_misinformation`)
is checked against that store. Only rows whose generated text differs from the original are
used: in this data only the label-1 originals were rewritten (CoAID: 86 of 544 per file), the
other rows repeat the original verbatim. Faithful generations (paraphrase, rewrite) should come out
corroborated by their original; open-ended generations invent details and should score a
higher risk. Reported: AUROC of risk for open-ended (positive) vs each faithful method and
vs both, per generator and dataset, with check latency. AUROC is the Mann-Whitney
statistic (ties count one half). Results: bench/results/llmfake-<date>.json; every checked
article's risk inputs go to <work>/features[-TAG].jsonl for bench/fit_risk.py.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
METHODS = ["open_ended_generation", "paraphrase_generation", "rewrite_generation"]
FAITHFUL = ["paraphrase_generation", "rewrite_generation"]
csv.field_size_limit(sys.maxsize)


def auroc(positives: list[float], negatives: list[float]) -> float | None:
    if not positives or not negatives:
        return None
    wins = sum(1.0 if p > n else 0.5 if p == n else 0.0 for p in positives for n in negatives)
    return round(wins / (len(positives) * len(negatives)), 4)


def index_once(store_path: Path, archive: Path, embedder=None):
    """Index an archive file into a new store (the IndexResult), or nothing if the store exists."""
    from corroborator.app import Corroborator, Settings
    from corroborator.ingest import read_paths

    if (store_path / "store.db").exists():
        return None
    with Corroborator(Settings(store=store_path)) as core:
        return core.index(read_paths([archive]))


def read_rows(folder: Path) -> list[dict]:
    rows = []
    for path in sorted(folder.glob("*/*/*.csv")):
        generator, dataset = path.parent.parent.name, path.parent.name
        method = next((m for m in METHODS if m in path.name), None)
        if method is None:
            continue
        with path.open(encoding="utf-8", newline="") as fh:
            for r in csv.DictReader(fh):
                rows.append({"generator": generator, "dataset": dataset, "method": method, "news_id": r["news_id"],
                             "original": r["news_text"] or "", "generated": r["synthetic_misinformation"] or ""})
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=HERE.parent.parent / "shared" / "data")
    ap.add_argument("--per-dataset", type=int, default=60, help="news ids sampled per generator and dataset")
    ap.add_argument("--generators", nargs="*", default=["chatgpt_3.5_generation"], help='generator folders, or "all"')
    ap.add_argument("--work", type=Path, default=HERE / "work" / "llmfake")
    ap.add_argument("--tag", default="", help="suffix of the results file (llmfake-<date>-<tag>.json)")
    args = ap.parse_args()

    from corroborator.app import Corroborator, Settings
    from corroborator.assess.risk import closest_restatements
    from corroborator.domain import Article
    from corroborator.runtime.embedder import default_embedder

    folder = args.data / "articles" / "llmfake"
    if not folder.is_dir():
        sys.exit(f"no LLMFake data at {folder}")
    rows = read_rows(folder)
    if args.generators == ["all"]:
        args.generators = sorted({r["generator"] for r in rows})
    # Only the label-1 (misinformation) originals were rewritten: for the others the
    # "generated" text is the original itself, which would be checking a copy.
    rows = [r for r in rows if len(r["original"]) >= 200 and len(r["generated"]) >= 200
            and r["generated"].strip() != r["original"].strip()]
    embedder = default_embedder()
    results: dict = {"date": time.strftime("%Y-%m-%d"), "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
                     "command": "python bench/llmfake.py " + " ".join(sys.argv[1:]), "sets": {}}
    args.work.mkdir(parents=True, exist_ok=True)
    features = (args.work / f"features{'-' + args.tag if args.tag else ''}.jsonl").open("w", encoding="utf-8")
    for dataset in sorted({r["dataset"] for r in rows}):
        store_path = args.work / dataset
        archive = args.work / f"{dataset}-originals.jsonl"
        args.work.mkdir(parents=True, exist_ok=True)
        originals = {}
        for r in read_rows(folder):  # the archive: every original of the dataset
            if r["dataset"] == dataset and len(r["original"]) >= 200:
                originals.setdefault(r["news_id"], r["original"])
        archive.write_text("".join(json.dumps({"id": f"orig-{i}", "text": t}) + "\n" for i, t in originals.items()))
        indexed = index_once(store_path, archive, embedder)
        if indexed:
            print(f"{dataset}: indexed {indexed.added} originals in {indexed.seconds:.0f} s", flush=True)
        store = checker = Corroborator(Settings(store=store_path))  # as the command line checks
        for generator in args.generators:
            by_id: dict[str, dict[str, str]] = defaultdict(dict)
            for r in rows:
                if r["dataset"] == dataset and r["generator"] == generator:
                    by_id[r["news_id"]][r["method"]] = r["generated"]
            complete = sorted(i for i, m in by_id.items() if all(x in m for x in METHODS))
            if not complete:
                continue
            sample = random.Random(7).sample(complete, min(args.per_dataset, len(complete)))
            risks: dict[str, list[float]] = defaultdict(list)
            latency: list[float] = []
            for news_id in sample:
                for method in METHODS:
                    article = Article(id=f"{generator}-{method}-{news_id}", text=by_id[news_id][method])
                    t0 = time.perf_counter()
                    report = checker.check(article)
                    latency.append(time.perf_counter() - t0)
                    risks[method].append(report.summary.risk)
                    features.write(json.dumps({
                        "generator": generator, "dataset": dataset, "method": method, "news_id": news_id,
                        "risk": report.summary.risk, "claims": report.summary.claims,
                        "covered": report.summary.covered, "story_similarity": report.summary.story_similarity, "coverage": report.summary.coverage,
                        "story_names": report.summary.story_names,
                        "supported_share": report.summary.corroborated,
                        "factors": {f.name: f.value for f in report.summary.risk_factors},
                        # per claim, its closest same/unknown-event sentence's cosine: lets
                        # bench/grid_risk.py try other unmatched_share thresholds
                        "claim_best_similarity": [round(c, 4) for c in closest_restatements(report.claims)],
                 # per claim: its record status and closest same-event/version counterpart's cosine,
                 # so other counterpart thresholds can be tried without re-checking
                 "claim_record": [[c.record.status if c.record else None, max(
                     (e.similarity or 0.0 for e in c.evidence if e.version or e.event_match == "same"), default=0.0),
                     c.specific, c.finding == "opinion"] for c in report.claims],
                    }) + "\n")
                    features.flush()
            faithful = [x for m in FAITHFUL for x in risks[m]]
            entry = {
                "n_ids": len(sample),
                "auroc_open_ended_vs_faithful": auroc(risks["open_ended_generation"], faithful),
                **{f"auroc_open_ended_vs_{m.split('_')[0]}": auroc(risks["open_ended_generation"], risks[m]) for m in FAITHFUL},
                "mean_risk": {m: round(statistics.mean(v), 4) for m, v in risks.items()},
                "check_latency_s": {"median": round(statistics.median(latency), 3),
                                    "p95": round(sorted(latency)[int(0.95 * (len(latency) - 1))], 3)},
                "verifier": checker.verifier_info.name,
            }
            results["sets"][f"{generator}/{dataset}"] = entry
            print(generator, dataset, json.dumps(entry), flush=True)
        store.close()
    features.close()
    out = HERE / "results" / f"llmfake-{results['date']}{'-' + args.tag if args.tag else ''}.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
