"""Convert the evaluation sets in ../shared/data/eval to `corroborator eval pairs` rows.

    python bench/convert_eval.py [--data ../shared/data] [--out bench/work/eval]

Writes one <set>.jsonl per set (outside git: the data stays in ../shared). Label mappings:
- Climate-FEVER: claim level, evidence = its 5 sentences; SUPPORTS/REFUTES/NOT_ENOUGH_INFO,
  DISPUTED claims dropped.
- FEVER-Symmetric dev: sentence1 = evidence, sentence2 = claim; SUPPORTS/REFUTES.
- HealthVer dev: one row per (claim, evidence); Supports/Refutes/Neutral.
- Fool-Me-Twice dev: gold evidence texts; SUPPORTS/REFUTES.
- WiCE dev (oracle chunks): supported -> SUPPORTED, not_supported -> REFUTED,
  partially_supported -> NOT_ENOUGH_INFO.
- Check-COVID dev (composed+extracted): evidence = the cited abstract sentences, or the whole
  abstract when none are cited (NOTENOUGHINFO); SUPPORT/REFUTE/NOTENOUGHINFO.
- COVID-Fact: evidence list; SUPPORTED/REFUTED.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
csv.field_size_limit(sys.maxsize)
MAP = {
    "SUPPORTS": "SUPPORTED", "SUPPORTED": "SUPPORTED", "SUPPORT": "SUPPORTED", "Supports": "SUPPORTED",
    "supported": "SUPPORTED",
    "REFUTES": "REFUTED", "REFUTED": "REFUTED", "REFUTE": "REFUTED", "Refutes": "REFUTED", "not_supported": "REFUTED",
    "NOT_ENOUGH_INFO": "NOT_ENOUGH_INFO", "NOTENOUGHINFO": "NOT_ENOUGH_INFO", "Neutral": "NOT_ENOUGH_INFO",
    "partially_supported": "NOT_ENOUGH_INFO",
}


def _jsonl(path: Path) -> Iterator[dict]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def climate_fever(d: Path):
    for r in _jsonl(d / "eval/climate-fever/climate-fever.jsonl"):
        if r["claim_label"] in MAP:
            yield r["claim_id"], r["claim"], [e["evidence"] for e in r["evidences"]], MAP[r["claim_label"]]


def fever_symmetric(d: Path):
    for r in _jsonl(d / "eval/fever-symmetric/fever_symmetric_dev.jsonl"):
        yield r["id"], r["sentence2"], r["sentence1"], MAP[r["label"]]


def healthver(d: Path):
    with (d / "eval/healthver/healthver_dev.csv").open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            yield r["id"], r["claim"], r["evidence"], MAP[r["label"]]


def fool_me_twice(d: Path):
    for r in _jsonl(d / "eval/fool-me-twice/dev.jsonl"):
        yield r["id"], r["text"], [e["text"] for e in r["gold_evidence"]], MAP[r["label"]]


def wice(d: Path):
    for n, r in enumerate(_jsonl(d / "eval/wice/dev.jsonl")):
        yield r.get("meta", {}).get("id", n), r["claim"], r["evidence"], MAP[r["label"]]


def check_covid(d: Path):
    corpus = {r["cord_id"]: r["abstract"] for r in _jsonl(d / "eval/check-covid/corpus.json")}
    for r in _jsonl(d / "eval/check-covid/dev/covidCheck_dev_composed+extracted.json"):
        abstract = corpus.get(r["cord_id"]) or []
        cited = [abstract[e["sent_index"]] for e in r.get("evidence_set") or [] if e["sent_index"] < len(abstract)]
        yield r["id"], r["claim"], cited or abstract, MAP[r["label"]]


def covidfact(d: Path):
    for n, r in enumerate(_jsonl(d / "eval/covidfact/COVIDFACT_dataset.jsonl")):
        yield n, r["claim"], r["evidence"], MAP[r["label"]]


SETS = {
    "climate-fever": climate_fever, "fever-symmetric": fever_symmetric, "healthver": healthver,
    "fool-me-twice": fool_me_twice, "wice": wice, "check-covid": check_covid, "covidfact": covidfact,
}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=HERE.parents[1] / "shared" / "data")
    ap.add_argument("--out", type=Path, default=HERE / "work" / "eval")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for name, reader in SETS.items():
        n = 0
        with (args.out / f"{name}.jsonl").open("w", encoding="utf-8") as fh:
            for rid, claim, evidence, label in reader(args.data):
                if claim and evidence:
                    fh.write(json.dumps({"id": str(rid), "claim": claim, "evidence": evidence, "label": label}) + "\n")
                    n += 1
        print(f"{name}: {n} pairs -> {args.out / (name + '.jsonl')}")


if __name__ == "__main__":
    main()
