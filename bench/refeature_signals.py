"""Recompute the article-only risk factors (sourcing and techniques) of the risk-fit rows with
the signals as they are now, without checking the articles against the archive again.

    python bench/refeature_signals.py --tag T [--tagger DIR]
    python bench/fit_risk.py --features bench/work/politifact/features-T.jsonl \
        bench/work/llmfake/features-chatgpt-v4-T.jsonl bench/work/llmfake/features-others-v4-T.jsonl \
        --uncovered bench/work/politifact/uncovered-held-T.jsonl ...

The archive factors of a row do not depend on the signals, so a change of the technique tagger
or the sourcing rules only needs weak_sourcing_share, weak_specifics_share,
loaded_language_share and loaded_language_strength again: each row's text is read back from
../shared (PolitiFact versions by method and story, LLMFake by generator, dataset, method and
story, the held half's real originals in the order bench/politifact.py checked them), its
claims and signals computed as `corroborator signals` does (opinion claims left out, as the
assess stage does), and the four factors replaced. `--check` first recomputes with the code
as it is and reports how many rows differ from the stored factors (0 means the recomputation
is the pipeline's). `--score` then scores the new rows and the stored ones side by side with
the shipped weights (held half: PolitiFact AUROC all manipulations and each method vs faithful,
all sets and generators, faithful median risk, real articles of uncovered stories) ->
bench/results/risk-signals-<date>-<tag>.json.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

SIGNAL_FACTORS = ("weak_sourcing_share", "weak_specifics_share", "loaded_language_share", "loaded_language_strength")


def texts(data: Path) -> dict:
    """Text of every row kind, by the keys the features files carry."""
    import politifact
    from fit_risk import held_out
    from llmfake import read_rows

    originals, rows = politifact.read(data / "articles" / "llmfake-politifact")
    out = {("politifact", r["method"], r["news_id"]): r["text"] for r in rows}
    for r in read_rows(data / "articles" / "llmfake"):
        out[(r["generator"], r["dataset"], r["method"], r["news_id"])] = r["generated"]
    out["uncovered-held"] = [t for i, t in sorted(originals.items()) if held_out(i)]
    return out


def factors_of(app, text: str) -> dict[str, float]:
    from corroborator.corroborate.record import is_specific
    from corroborator.domain import Article
    from corroborator.signals.sourcing import weak_sourcing_share, weak_specifics_share
    from corroborator.signals.techniques import loaded_language_share, loaded_language_strength

    found = app.signals(Article(id="x", text=text))
    claims = [c for c in found.claims if not c.opinion]
    checked = {c.id for c in claims}
    signals = [s for s in found.signals if s.claim_id in checked]
    return {"weak_sourcing_share": weak_sourcing_share(signals, len(claims)),
            "weak_specifics_share": weak_specifics_share(signals, claims, is_specific),
            "loaded_language_share": loaded_language_share(signals, len(claims)),
            "loaded_language_strength": loaded_language_strength(signals, len(claims))}


def score(work: Path, tag: str) -> dict:
    """Held-half risk with the shipped weights, from the features files with suffix ``tag``."""
    import statistics

    from fit_risk import FAITHFUL, held_out
    from llmfake import auroc

    from corroborator.assess.risk import risk

    sfx = f"-{tag}" if tag else ""
    rows = [json.loads(line) for path in (work / "politifact" / f"features{sfx}.jsonl",
                                          work / "llmfake" / f"features-chatgpt-v4{sfx}.jsonl",
                                          work / "llmfake" / f"features-others-v4{sfx}.jsonl")
            for line in path.open(encoding="utf-8")]
    held = [r | {"r": risk(r["factors"], r["covered"])[0]} for r in rows if held_out(r["news_id"])]
    pf = [r for r in held if r["dataset"] == "politifact"]
    faithful = [r["r"] for r in pf if r["method"] in FAITHFUL]
    out = {"politifact_all": auroc([r["r"] for r in pf if r["method"] not in FAITHFUL], faithful),
           "faithful_median_risk": statistics.median(faithful)}
    for method in sorted({r["method"] for r in pf} - FAITHFUL):
        out[f"politifact_{method}"] = auroc([r["r"] for r in pf if r["method"] == method], faithful)
    out["all_sets"] = auroc([r["r"] for r in held if r["method"] not in FAITHFUL],
                            [r["r"] for r in held if r["method"] in FAITHFUL])
    uncovered = [json.loads(line) for line in (work / "politifact" / f"uncovered-held{sfx}.jsonl").open(encoding="utf-8")]
    risks = [risk(r["factors"], r["covered"])[0] for r in uncovered if r["claims"]]
    out["uncovered_median_risk"] = statistics.median(risks)
    out["uncovered_share_le_0.3"] = sum(x <= 0.3 for x in risks) / len(risks)
    return {k: round(v, 4) for k, v in out.items()}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=HERE.parents[1] / "shared" / "data")
    ap.add_argument("--work", type=Path, default=HERE / "work")
    ap.add_argument("--tagger", type=Path, default=None, help="technique model folder (default: the packaged one)")
    ap.add_argument("--tag", required=True, help="suffix of the new features files")
    ap.add_argument("--check", type=int, default=0, help="first compare N rows with their stored factors")
    ap.add_argument("--score", action="store_true", help="only score the rows of --tag against the stored ones")
    args = ap.parse_args()
    if args.score:
        import os
        import platform
        import time

        result = {"date": time.strftime("%Y-%m-%d"), "machine": f"{platform.machine()} {os.cpu_count()} cores",
                  "command": "python bench/refeature_signals.py --score --tag " + args.tag,
                  "weights": "shipped (corroborator.assess.risk.WEIGHTS)", "held_half": {
                      "stored": score(args.work, ""), args.tag: score(args.work, args.tag)}}
        out = HERE / "results" / f"risk-signals-{result['date']}-{args.tag}.json"
        out.write_text(json.dumps(result, indent=2) + "\n")
        print(json.dumps(result["held_half"], indent=1))
        return
    from corroborator.app import Corroborator, Settings
    from corroborator.signals.propaganda import OnnxTechniqueTagger

    app = Corroborator(Settings(store=args.work / "unused-store"))
    if args.tagger:
        app.__dict__["tagger"] = OnnxTechniqueTagger(args.tagger)  # the cached model, replaced
    by_key = texts(args.data)
    files = [args.work / "politifact" / "features.jsonl", args.work / "llmfake" / "features-chatgpt-v4.jsonl",
             args.work / "llmfake" / "features-others-v4.jsonl", args.work / "politifact" / "uncovered-held.jsonl"]
    for path in files:
        rows = [json.loads(line) for line in path.open(encoding="utf-8")]
        uncovered = path.name.startswith("uncovered")
        keyed = [(by_key["uncovered-held"][i] if uncovered else
                  by_key[("politifact", r["method"], r["news_id"]) if r["dataset"] == "politifact"
                         else (r["generator"], r["dataset"], r["method"], r["news_id"])]) for i, r in enumerate(rows)]
        if args.check:
            differ = sum(any(abs(factors_of(app, t)[k] - r["factors"].get(k, 0.0)) > 1e-3 for k in SIGNAL_FACTORS)
                         for r, t in list(zip(rows, keyed))[: args.check])
            print(f"{path.name}: {differ} of {min(args.check, len(rows))} rows differ from the stored factors", flush=True)
        out = path.with_name(f"{path.stem}-{args.tag}.jsonl")
        with out.open("w", encoding="utf-8") as fh:
            for r, text in zip(rows, keyed):
                r["factors"] |= {k: round(v, 4) for k, v in factors_of(app, text).items()}
                fh.write(json.dumps(r) + "\n")
        print(f"{len(rows)} rows -> {out}", flush=True)


if __name__ == "__main__":
    main()
