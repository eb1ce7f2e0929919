"""Issue 15's capacity plan, on paper, computed from measured per-worker numbers (the result files
named below; nothing here is measured anew). Prints the README table and writes
bench/results/capacity-<date>.json.

    python bench/capacity.py

What it assumes, beside the measurements: a "worker" is one of this bench machine's 2-core
processes (x86_64, no GPU); work scales linearly with workers (the indexing work is per article,
no shared state but the store); archives hold as many distinct sentence texts an article as the
10k real-article bench archive (10.5; wire copies lower this in a newsroom archive); PostgreSQL's HNSW
index must fit in the server's memory to be fast (pgvector's guidance) and its build time grows
a little faster than linearly (n log n; we scale the measured rate by log n).
"""

from __future__ import annotations

import json
import math
import os
import platform
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"

SOURCES = {
    "index": "index-100k-sqlite-2026-12-02.json",  # segment + embed + store, one 2-core process
    # scale-pg rows: 3 = the 10k real-article archive copied into an empty PostgreSQL with nothing
    # else running (load rate, HNSW build rate, size); the last 100k-article row = check latency
    # at 100k articles, nothing else running
    "pg": "scale-pg-2026-12-02.json",
}


def _load(name: str) -> dict:
    return json.loads((RESULTS / name).read_text())


def plan() -> dict:
    index = _load(SOURCES["index"])
    pg_rows = _load(SOURCES["pg"])["rows"]
    copy = pg_rows[3]
    latest = [row for row in pg_rows if row["articles"] == 100_000][-1]
    assert copy["copy_added"] == copy["articles"] == 10_000, "row 3 should be the fresh 10k copy"
    texts_per_article = copy["distinct_sentences"] / copy["articles"]  # real articles (wire copies lower it)
    pg_vectors = copy["distinct_sentences"]
    hnsw_s = copy["of_which_hnsw_build_seconds"]
    measured = {
        "index_articles_per_s_per_worker": index["articles_per_s"],
        "distinct_texts_per_article": round(texts_per_article, 2),
        "sqlite_bytes_per_article": round((index["store_db_bytes"] + index["usearch_bytes"]) / index["articles"]),
        "sqlite_usearch_bytes_per_vector": round(index["usearch_bytes"] / index["distinct_texts_embedded"]),
        "pg_bytes_per_article": round(copy["database_bytes"] / copy["articles"]),
        "pg_hnsw_bytes_per_vector": round(copy["hnsw_bytes"] / pg_vectors),
        "pg_load_articles_per_s_one_writer": round(copy["articles"] / (copy["copy_seconds"] - hnsw_s), 1),
        "pg_hnsw_build_vectors_per_s": round(pg_vectors / hnsw_s),
        "pg_hnsw_build_at_vectors": pg_vectors,
        "check_seconds_median_100k_pg": latest["median_s"],  # a check keeps one 2-core worker busy this long
    }

    def hnsw_hours(vectors: float) -> float:
        rate = measured["pg_hnsw_build_vectors_per_s"] * math.log(pg_vectors) / math.log(vectors)
        return vectors / rate / 3600

    rows = []
    for articles in (10_000_000, 100_000_000):
        vectors = articles * texts_per_article
        worker_hours = articles / measured["index_articles_per_s_per_worker"] / 3600
        rows.append({
            "articles": articles,
            "distinct_texts": round(vectors),
            "pg_database_tb": round(articles * measured["pg_bytes_per_article"] / 1e12, 2),
            "hnsw_memory_gb": round(vectors * measured["pg_hnsw_bytes_per_vector"] / 1e9),
            "index_worker_hours": round(worker_hours),
            "index_hours_with_32_workers": round(worker_hours / 32, 1),
            "pg_load_hours_one_writer": round(articles / measured["pg_load_articles_per_s_one_writer"] / 3600, 1),
            "hnsw_build_hours_on_2_cores": round(hnsw_hours(vectors), 1),
        })
    per_day = 1_000_000
    daily = {
        "articles_per_day": per_day,
        "mean_articles_per_s": round(per_day / 86400, 1),
        "workers_for_3x_peak": math.ceil(3 * per_day / 86400 / measured["index_articles_per_s_per_worker"]),
        "pg_growth_gb_per_day": round(per_day * measured["pg_bytes_per_article"] / 1e9),
        "hnsw_growth_gb_per_day": round(per_day * texts_per_article * measured["pg_hnsw_bytes_per_vector"] / 1e9, 1),
        "writer_busy_share": round(per_day / 86400 / measured["pg_load_articles_per_s_one_writer"], 2),
        "checks_per_day_per_worker": round(86400 / measured["check_seconds_median_100k_pg"]),
    }
    return {"date": time.strftime("%Y-%m-%d"), "machine": f"{platform.machine()} {os.cpu_count()} cores",
            "command": "python bench/capacity.py", "sources": SOURCES, "measured": measured, "archives": rows,
            "one_million_a_day": daily}


def main() -> None:
    result = plan()
    (RESULTS / f"capacity-{result['date']}.json").write_text(json.dumps(result, indent=2) + "\n")
    m = result["measured"]
    print("| archive | distinct texts | PostgreSQL size | HNSW in memory | indexing (2-core worker-hours) "
          "| with 32 workers | load through one writer | HNSW build (2 cores) |")
    print("|---|---|---|---|---|---|---|---|")
    for r in result["archives"]:
        print(f"| {r['articles'] / 1e6:.0f}M articles | {r['distinct_texts'] / 1e6:,.0f}M | {r['pg_database_tb']} TB "
              f"| {r['hnsw_memory_gb']:,} GB | {r['index_worker_hours']:,} | {r['index_hours_with_32_workers']} h "
              f"| {r['pg_load_hours_one_writer']} h | {r['hnsw_build_hours_on_2_cores']} h |")
    print(json.dumps(m, indent=2))
    print(json.dumps(result["one_million_a_day"], indent=2))


if __name__ == "__main__":
    main()
