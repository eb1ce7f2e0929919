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
is the pipeline's).
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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=HERE.parents[1] / "shared" / "data")
    ap.add_argument("--work", type=Path, default=HERE / "work")
    ap.add_argument("--tagger", type=Path, default=None, help="technique model folder (default: the packaged one)")
    ap.add_argument("--tag", required=True, help="suffix of the new features files")
    ap.add_argument("--check", type=int, default=0, help="first compare N rows with their stored factors")
    args = ap.parse_args()
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
