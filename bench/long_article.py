"""Checking long articles: time and peak memory at 1k, 2k, 5k and 10k sentences (issue 12).

    python bench/long_article.py [--sizes 1000 2000 5000 10000]   # -> bench/results/long-article-<date>.json

The article: real sentences of the demo corpus drawn at random (fixed seed), every number in
each shifted by the sentence's position so no two are the same sentence, a paragraph break
every five. The archive: the demo corpus in a fresh store. Each size runs in its own Python
process (so its peak resident memory is its own), with the article-size limit lifted for the
measurement; stage times come from the report's `timings_ms`. A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

_ONE = r"""
import json, resource, sys, time
from corroborator.check import checker
from corroborator.app import Corroborator, Settings
from corroborator.domain import Article
text = open(sys.argv[1], encoding="utf-8").read()
checker.MAX_CHECK_CHARS = len(text) + 1  # measured past the shipped limit on purpose
core = Corroborator(Settings(store=sys.argv[2]))
core.require_archive()
start = time.perf_counter()
report = core.check(Article(id="long", text=text))
wall = time.perf_counter() - start
core.close()
print(json.dumps({"wall_s": round(wall, 2), "claims": len(report.claims), "timings_ms": report.timings_ms,
                  "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}))
"""


def article(sentences: int, seed: int = 1) -> str:
    from corroborator.text.sentences import segment_many

    corpus = [p.read_text(encoding="utf-8").split("---\n", 2)[-1]
              for p in sorted((ROOT / "src" / "corroborator" / "demo" / "corpus").glob("*.md"))]
    pool = [t[s:e] for t, spans in zip(corpus, segment_many(corpus)) for s, e in spans if len(t[s:e].split()) >= 6]
    rng = random.Random(seed)
    out = []
    for i in range(sentences):
        out.append(re.sub(r"\d+", lambda m: str(int(m.group()) + i), rng.choice(pool)))
        if i % 5 == 4:
            out.append("\n\n")
    return " ".join(out)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 2000, 5000, 10000])
    ap.add_argument("--results", type=Path, default=HERE / "results")
    args = ap.parse_args()
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""))
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "store"
        subprocess.run([sys.executable, "-m", "corroborator", "index", str(ROOT / "src" / "corroborator" / "demo" / "corpus"),
                        "--store", str(store)], check=True, env=env, capture_output=True)
        for n in args.sizes:
            path = Path(tmp) / f"a{n}.txt"
            text = article(n)
            path.write_text(text, encoding="utf-8")
            proc = subprocess.run([sys.executable, "-c", _ONE, str(path), str(store)], env=env, capture_output=True,
                                  text=True)
            if proc.returncode:
                raise SystemExit(f"{n} sentences: {proc.stderr.strip().splitlines()[-1]}")
            row = {"sentences": n, "characters": len(text)} | json.loads(proc.stdout.strip().splitlines()[-1])
            rows.append(row)
            print(json.dumps(row), flush=True)
    base = rows[0]
    for row in rows:
        row["time_per_1k_sentences_s"] = round(row["wall_s"] / row["sentences"] * 1000, 2)
        row["time_ratio_vs_smallest"] = round(row["wall_s"] / base["wall_s"], 2)
        row["size_ratio_vs_smallest"] = round(row["sentences"] / base["sentences"], 2)
    result = {"date": time.strftime("%Y-%m-%d"), "machine": f"{platform.machine()} {os.cpu_count()} cores",
              "command": "python bench/long_article.py --sizes " + " ".join(map(str, args.sizes)), "rows": rows}
    args.results.mkdir(parents=True, exist_ok=True)
    out = args.results / f"long-article-{result['date']}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"-> {out}")


if __name__ == "__main__":
    main()
