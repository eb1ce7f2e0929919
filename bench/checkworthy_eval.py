"""Check-worthiness on CheckThat! 2024 English and on our labelled news sentences (issue 12).

    python bench/checkworthy_eval.py [--model DIR] [--choose]   # --choose: write thresholds to DIR/meta.json

Metric: F1 of the check-worthy class (the CheckThat! official metric), with precision and
recall. Thresholds are chosen, never on a part reported as test: "ct24" maximises F1 on the
CT24 dev split (for the CheckThat! numbers), "news" maximises F1 on the *tune* part of our news
labels (bench/news_sentences.py) and is the one the pipeline uses. Reported: CT24 dev-test and
the news *test* part, beside the rule-based claim filter the pipeline had before (a sentence
counts when claims.extract_claims keeps a claim from it) and the published dev-test numbers
(official n-gram baseline 0.599, a fine-tuned DeBERTa-v3-base 0.849: ../shared/data/README.md).
Results: bench/results/checkworthy-<date>.json.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import news_sentences  # noqa: E402

DATA = HERE.parents[1] / "shared" / "data"
PUBLISHED = {"n-gram baseline (official)": 0.599, "DeBERTa-v3-base (Avesani & Jasari 2024)": 0.849}


def read_ct24(path: Path) -> list[tuple[str, int]]:
    """(sentence, 1 if check-worthy) of one CT24 file. The train file has one physical line
    holding two records (the data README): a row of 5 fields is read as two."""
    rows = []
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh, delimiter="\t", quotechar='"')
        header = next(reader)
        if header[:3] != ["Sentence_id", "Text", "class_label"]:
            raise SystemExit(f"{path}: unexpected header {header}")
        for fields in reader:
            if len(fields) == 5:  # "...<TAB>No29286<TAB>...<TAB>No"
                rows.append((fields[1], int(fields[2].strip() == "Yes")))
                rows.append((fields[3], int(fields[4].strip() == "Yes")))
            elif len(fields) == 3:
                rows.append((fields[1], int(fields[2].strip() == "Yes")))
    return rows


def ct24(name: str, data: Path = DATA) -> list[tuple[str, int]]:
    return read_ct24(data / "claims" / "ct24-checkworthy-en" / f"CT24_checkworthy_english_{name}.tsv")


def prf(pred: np.ndarray, gold: np.ndarray) -> dict:
    tp = int((pred & gold).sum())
    p = tp / max(1, int(pred.sum()))
    r = tp / max(1, int(gold.sum()))
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(2 * p * r / max(1e-9, p + r), 3),
            "n": int(len(gold)), "positives": int(gold.sum())}


def best_threshold(scores: np.ndarray, gold: np.ndarray) -> float:
    grid = np.round(np.arange(0.05, 0.96, 0.05), 2)
    f1s = [prf(scores >= t, gold)["f1"] for t in grid]
    return float(grid[int(np.argmax(f1s))])


def rule_filter(texts: list[str]) -> np.ndarray:
    """1 where the rule-based claim filter alone (the model's scores ignored: keep_all) keeps
    a claim from the sentence read alone."""
    from corroborator.claims.extract import extract_claims
    from corroborator.domain import Article

    return np.array([bool(extract_claims(Article(id="s", text=t), keep_all=True)) for t in texts])


def pipeline_filter(texts: list[str]) -> np.ndarray:
    """1 where the pipeline (rules, then the model at its threshold) keeps a claim."""
    from corroborator.claims.extract import extract_claims
    from corroborator.domain import Article

    return np.array([bool(extract_claims(Article(id="s", text=t))) for t in texts])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--model", type=Path, default=None, help="model folder (default: the packaged one)")
    ap.add_argument("--choose", action="store_true", help="write the chosen thresholds into the model's meta.json")
    ap.add_argument("--results", type=Path, default=HERE / "results")
    ap.add_argument("--tag", default="")
    args = ap.parse_args()
    if not (args.data / "claims" / "ct24-checkworthy-en").is_dir():
        raise SystemExit(f"no CheckThat! data under {args.data}: nothing to measure")
    from corroborator.claims.checkworthy import OnnxCheckworthiness, packaged_model_dir

    model_dir = args.model or packaged_model_dir()
    model = OnnxCheckworthiness(model_dir)
    sets = {name: ct24(name, args.data) for name in ("dev", "dev-test")}
    news = news_sentences.rows_with_text(args.data)
    for part in ("tune", "test"):
        sets[f"news-{part}"] = [(r["text"], int(r["label"])) for r in news if r["part"] == part]
    start = time.perf_counter()
    scores = {name: model.scores([t for t, _ in rows]) for name, rows in sets.items()}
    seconds = time.perf_counter() - start
    gold = {name: np.array([y for _, y in rows], dtype=bool) for name, rows in sets.items()}
    thresholds = {"ct24": best_threshold(scores["dev"], gold["dev"]),
                  "news": best_threshold(scores["news-tune"], gold["news-tune"])}
    result = {
        "date": time.strftime("%Y-%m-%d"), "machine": f"{platform.machine()} {os.cpu_count()} cores",
        "command": "python bench/checkworthy_eval.py" + (f" --model {args.model}" if args.model else ""),
        "model": model.meta.get("version"), "thresholds": thresholds,
        "metric": "F1 of the check-worthy class",
        "published_dev_test_f1": PUBLISHED,
        "model_scores": {name: {f"at_{k}": prf(scores[name] >= t, gold[name]) for k, t in thresholds.items()}
                         for name in sets},
        "rule_filter": {name: prf(rule_filter([t for t, _ in sets[name]]), gold[name])
                        for name in ("dev-test", "news-tune", "news-test")},
        "pipeline_rules_and_model": {name: prf(pipeline_filter([t for t, _ in sets[name]]), gold[name])
                                     for name in ("dev-test", "news-tune", "news-test")},
        "sentences_per_s": round(sum(len(r) for r in sets.values()) / seconds, 1),
    }
    if args.choose:
        meta_path = model_dir / "meta.json"
        meta = json.loads(meta_path.read_text())
        meta.update({"threshold": thresholds["news"], "threshold_ct24": thresholds["ct24"],
                     "dev_test_f1": result["model_scores"]["dev-test"]["at_ct24"]["f1"],
                     "news_test_f1": result["model_scores"]["news-test"]["at_news"]["f1"]})
        meta_path.write_text(json.dumps(meta, indent=2) + "\n")
    args.results.mkdir(parents=True, exist_ok=True)
    path = args.results / f"checkworthy-{result['date']}{'-' + args.tag if args.tag else ''}.json"
    path.write_text(json.dumps(result, indent=2) + "\n")
    print(f"thresholds {thresholds}")
    for name in sets:
        line = "  ".join(f"{k}: P {v['precision']:.3f} R {v['recall']:.3f} F1 {v['f1']:.3f}"
                         for k, v in result["model_scores"][name].items())
        rule, both = result["rule_filter"].get(name), result["pipeline_rules_and_model"].get(name)
        print(f"{name:10s} {line}" + (f"  | rules alone F1 {rule['f1']:.3f}, rules + model F1 {both['f1']:.3f}"
                                      if rule else ""))
    print(f"-> {path}")


if __name__ == "__main__":
    main()
