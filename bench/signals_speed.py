"""Time of the signals on held-out ~600-word articles (issue 28: under 0.4 s), for technique
taggers side by side in one run (this machine is shared and noisy: compare ratios).

    python bench/signals_speed.py [--models DIR ...] [--checks 20] [--rounds 2]

The articles are bench/corpus.py's check set (held-out real news, ~600 words). Per article:
the spaCy parse (shared by every stage, timed once) and `article_signals` (sourcing, hedging,
techniques: the tagger reads every sentence) with each model, alternating models round by
round. Without --models: the packaged tagger. -> bench/results/signals-speed-<date>[-tag].json
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--models", type=Path, nargs="*", default=[])
    ap.add_argument("--data", type=Path, default=HERE.parents[1] / "shared" / "data")
    ap.add_argument("--checks", type=int, default=20)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--tag", default="")
    args = ap.parse_args()
    if not args.data.is_dir():
        raise SystemExit(f"data folder {args.data} not found (set --data)")
    from corpus import check_set

    from corroborator.claims.extract import extract_claims
    from corroborator.domain import Article
    from corroborator.signals.propaganda import OnnxTechniqueTagger, packaged_model_dir
    from corroborator.signals import article_signals
    from corroborator.text.parsing import parse

    taggers = {str(d): OnnxTechniqueTagger(d) for d in (args.models or [packaged_model_dir()])}
    articles = [Article(id=str(i), text=c["text"], title=c.get("title")) for i, c in
                enumerate(check_set(args.data, args.checks))]
    parsed = []
    parse_s = []
    for art in articles:
        t = time.perf_counter()
        doc = parse(art.text)
        parse_s.append(time.perf_counter() - t)
        parsed.append((art, doc, extract_claims(art, doc)))
    for tagger in taggers.values():  # warm-up
        article_signals(parsed[0][0].text, parsed[0][1], parsed[0][2], tagger, parsed[0][0].title)
    seconds: dict[str, list[float]] = {name: [] for name in taggers}
    for _ in range(args.rounds):
        for art, doc, claims in parsed:
            for name, tagger in taggers.items():
                t = time.perf_counter()
                article_signals(art.text, doc, claims, tagger, art.title)
                seconds[name].append(time.perf_counter() - t)
    words = statistics.median(len(a.text.split()) for a in articles)
    result = {
        "date": time.strftime("%Y-%m-%d"), "machine": f"{platform.machine()} {os.cpu_count()} cores",
        "command": "python bench/signals_speed.py " + " ".join(sys.argv[1:]),
        "articles": len(articles), "median_words": words, "rounds": args.rounds,
        "parse_median_s": round(statistics.median(parse_s), 3),
        "signals": {name: {"version": taggers[name].meta.get("version"),
                           "median_s": round(statistics.median(v), 3),
                           "p95_s": round(sorted(v)[int(0.95 * (len(v) - 1))], 3)} for name, v in seconds.items()},
    }
    names = list(taggers)
    if len(names) > 1:
        result["ratio_to_first"] = {n: round(result["signals"][n]["median_s"] / result["signals"][names[0]]["median_s"], 2)
                                    for n in names[1:]}
    out = HERE / "results" / f"signals-speed-{result['date']}{'-' + args.tag if args.tag else ''}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
