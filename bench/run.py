"""Benchmark: index throughput and check latency at several corpus sizes.

    python bench/run.py [--sizes 1000 10000 100000] [--checks 20] [--data ../shared/data]

Each size is built into its own store under bench/work/ (git-ignored). Indexing and
checking each run in a fresh child process, which reports its own peak RSS. Check
latency is per article with models loaded and the store opened once (a warm store), over
held-out ~600-word real articles. Results: bench/results/bench-<date>.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_index(corpus: Path, store: Path) -> dict:
    from corroborator.app import Corroborator, Settings
    from corroborator.ingest import read_paths

    with Corroborator(Settings(store=store)) as core:
        result = core.index(read_paths([corpus]))
        stats, _ = core.stats()
    return {
        "articles_added": result.added,
        "sentences": result.sentences,
        "sentences_embedded": result.embedded,
        "seconds": round(result.seconds, 1),
        "articles_per_s": round(result.added / result.seconds, 1),
        "peak_rss_mb": round(_peak_mb()),
        "store_mb": round(stats["size_bytes"] / 1e6),
        "errors": len(result.errors),
    }


def child_check(checks: Path, store: Path) -> dict:
    from corroborator.app import Corroborator, Settings
    from corroborator.domain import Article

    t0 = time.perf_counter()
    core = Corroborator(Settings(store=store))
    checker = core  # check(article) as the command line calls it
    articles = [Article(**json.loads(line)) for line in checks.read_text().splitlines()]
    checker.check(articles[0])  # warm-up: loads spaCy pipelines, pages in the store
    load_s = time.perf_counter() - t0
    times, claims = [], []
    for art in articles:
        t = time.perf_counter()
        report = checker.check(art)
        times.append(time.perf_counter() - t)
        claims.append(report.summary.claims)
    core.close()
    times.sort()
    return {
        "checks": len(times),
        "words_per_article": round(statistics.mean(len(a.text.split()) for a in articles)),
        "claims_per_article": round(statistics.mean(claims), 1),
        "median_s": round(statistics.median(times), 3),
        "p95_s": round(times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))], 3),
        "startup_s": round(load_s, 1),
        "peak_rss_mb": round(_peak_mb()),
    }


def _child(kind: str, *args: str) -> dict:
    proc = subprocess.run([sys.executable, __file__, "--child", kind, *args], capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"{kind} failed: {proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    ap.add_argument("--checks", type=int, default=20)
    ap.add_argument("--data", type=Path, default=HERE.parents[1] / "shared" / "data")
    ap.add_argument("--child", nargs="+")
    ap.add_argument("--check-only", action="store_true",
                    help="re-measure checking on the stores a previous run left in bench/work (results: bench-<date>-check.json)")
    args = ap.parse_args()
    if args.child:
        kind, a, b = args.child
        print(json.dumps(child_index(Path(a), Path(b)) if kind == "index" else child_check(Path(a), Path(b))))
        return
    if not args.data.is_dir():
        raise SystemExit(f"data folder {args.data} not found (set --data)")
    from corpus import check_set, write_corpus

    work = HERE / "work"
    work.mkdir(exist_ok=True)
    checks = work / "checks.jsonl"
    checks.write_text("\n".join(json.dumps(c) for c in check_set(args.data, args.checks)) + "\n")
    results = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": {"cpus": __import__("os").cpu_count(), "platform": platform.platform(),
                    "python": platform.python_version(), "processor": platform.processor() or platform.machine()},
        "command": "python bench/run.py " + " ".join(sys.argv[1:]),
        "sizes": [],
    }
    for size in args.sizes:
        if args.check_only:
            entry = {"size": size, "check": _child("check", str(checks), str(work / f"store-{size}"))}
            print(json.dumps(entry), flush=True)
            results["sizes"].append(entry)
            out = HERE / "results" / f"bench-{results['date']}-check.json"
            out.write_text(json.dumps(results, indent=2) + "\n")
            continue
        corpus = work / f"corpus-{size}.jsonl"
        info = write_corpus(args.data, size, corpus)
        store = work / f"store-{size}"
        if store.exists():
            import shutil

            shutil.rmtree(store)
        entry = {"size": size, **info}
        entry["index"] = _child("index", str(corpus), str(store))
        print(json.dumps(entry), flush=True)
        entry["check"] = _child("check", str(checks), str(store))
        print(json.dumps(entry), flush=True)
        results["sizes"].append(entry)
        out = HERE / "results" / f"bench-{results['date']}.json"
        out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
