"""Print the README's benchmark table from a results file: python bench/table.py [FILE]."""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else sorted((HERE / "results").glob("bench-*.json"))[-1]
    data = json.loads(path.read_text())
    print(f"Measured {data['date']} on {data['machine']['cpus']} CPUs ({data['machine']['platform']}); "
          f"`{data['command']}`; file `bench/results/{path.name}`.\n")
    print("| corpus | distinct texts | sentences | index s | articles/s | index peak RSS | store | "
          "check median | check p95 | check peak RSS |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for s in data["sizes"]:
        i, c = s["index"], s["check"]
        print(f"| {s['size']:,} | {s['distinct_texts']:,} | {i['sentences']:,} ({i['sentences_embedded']:,} embedded) "
              f"| {i['seconds']:,.0f} | {i['articles_per_s']} | {i['peak_rss_mb']} MB | {i['store_mb']} MB "
              f"| {c['median_s']} s | {c['p95_s']} s | {c['peak_rss_mb']} MB |")
    c = data["sizes"][0]["check"]
    print(f"\nCheck: {c['checks']} held-out articles of ~{c['words_per_article']} words "
          f"(~{c['claims_per_article']} claims each), models loaded and store opened once (start-up "
          f"{c['startup_s']} s, not included).")


if __name__ == "__main__":
    main()
