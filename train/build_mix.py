"""Build the verifier's training mix from ../shared/data/train (never from data/eval).

    python train/build_mix.py [--data ../shared/data] [--out train/work] [--per-source N]

Writes train.jsonl and val.jsonl with rows {"premise", "hypothesis", "label", "source"},
premise = evidence, hypothesis = claim, label one of:
  supports | refutes | neutral   three-way gold labels
  not_supports                    two-way negatives (CURRICULUM "not-entailed", RTE-style
                                  "not_entailment"): refutes OR neutral, which one is unknown.
                                  The trainer must use a partial-label loss
                                  (-log(p_refutes + p_neutral)), never a guessed class.
Sources and mappings:
- FEVER train: SUPPORTS -> supports, REFUTES -> refutes (evidence sentences joined, PTB
  brackets restored); NOT ENOUGH INFO -> neutral, paired with the evidence of another claim
  that shares a content word with it (a related topic, so the pair is not trivially unrelated).
- FNC-1 + ARC stances (training splits only: metaclassifier train_train + train_test, ARC
  train): the two body sentences sharing most words with the headline are the premise;
  agree -> supports, disagree -> refutes, discuss -> neutral, unrelated -> neutral (capped to
  the discuss count so it does not swamp the rest).
- Classic NLI: SNLI dev+test (gold labels only), MNLI dev, SICK (SemEval TRAIN+TRIAL), CAD
  train, MPE, JOCI, CommitmentBank, FraCaS train splits; entailment -> supports,
  contradiction -> refutes, neutral -> neutral; binary sets (RTE, SciTail, QNLI, WNLI, COPA):
  entailment -> supports, not_entailment -> not_supports.
- CURRICULUM train splits: three-way tasks as above; two-way tasks: entailed -> supports,
  not-entailed -> not_supports.
Exact duplicate (premise, hypothesis) pairs are dropped, "supports" is capped per source at
the size of its largest other label, each source is capped at
--per-source rows (sampled with a fixed seed), and 2% of the rows of every source are held out
for validation.
"""

from __future__ import annotations

import argparse
import ast
import csv
import gzip
import json
import random
import re
import sys
import zipfile
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
csv.field_size_limit(sys.maxsize)
THREE = {"entailment": "supports", "contradiction": "refutes", "neutral": "neutral",
         "ENTAILMENT": "supports", "CONTRADICTION": "refutes", "NEUTRAL": "neutral"}
TWO = {"entailment": "supports", "entailed": "supports", "not_entailment": "not_supports",
       "not-entailed": "not_supports"}
_PTB = {"-LRB-": "(", "-RRB-": ")", "-LSB-": "[", "-RSB-": "]", "-LCB-": "{", "-RCB-": "}", "``": '"', "''": '"'}
_WORD = re.compile(r"[a-z0-9]{4,}")

Row = tuple[str, str, str]  # premise, hypothesis, label


def _detok(text: str) -> str:
    for k, v in _PTB.items():
        text = text.replace(k, v)
    text = re.sub(r"\s+([,.;:!?)\]'])", r"\1", text)
    return re.sub(r"([(\[])\s+", r"\1", text).strip()


def fever(data: Path, rng: random.Random) -> Iterator[Row]:
    rows = []
    for path in sorted((data / "train" / "fever").glob("split_wiki_data_*.csv.gz")):
        with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
            rows.extend(csv.DictReader(fh))
    by_word: dict[str, list[str]] = defaultdict(list)
    evidence_of: dict[int, str] = {}
    for i, r in enumerate(rows):
        if r["label"] in ("SUPPORTS", "REFUTES"):
            try:
                sentences = ast.literal_eval(r["evidence"])
            except (ValueError, SyntaxError):
                continue
            if sentences:
                evidence_of[i] = _detok(" ".join(sentences))
                for w in set(_WORD.findall(r["claim"].lower())):
                    by_word[w].append(evidence_of[i])
                yield evidence_of[i], r["claim"], "supports" if r["label"] == "SUPPORTS" else "refutes"
    for r in rows:
        if r["label"] == "NOT ENOUGH INFO":
            words = [w for w in set(_WORD.findall(r["claim"].lower())) if by_word.get(w)]
            if words:
                yield rng.choice(by_word[rng.choice(sorted(words))]), r["claim"], "neutral"


def _best_sentences(headline: str, body: str, n: int = 2) -> str:
    head = set(_WORD.findall(headline.lower()))
    sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+", body) if 20 <= len(s.strip()) <= 600]
    ranked = sorted(sentences, key=lambda s: -len(head & set(_WORD.findall(s.lower()))))
    return " ".join(ranked[:n])


def fnc_arc(data: Path, rng: random.Random) -> Iterator[Row]:
    root = data / "train" / "fnc1"
    mapping = {"agree": "supports", "disagree": "refutes", "discuss": "neutral", "unrelated": "neutral"}
    pairs = [
        ("FNC/train_bodies.csv", "metaclassifier_corpus_9_1/train_train_stances.csv"),
        ("FNC/train_bodies.csv", "metaclassifier_corpus_9_1/train_test_stances.csv"),
        ("ARC/arc_bodies.csv", "ARC/arc_stances_train.csv"),
    ]
    for bodies_file, stances_file in pairs:
        with (root / bodies_file).open(encoding="utf-8", errors="replace", newline="") as fh:
            bodies = {r["Body ID"]: r["articleBody"] for r in csv.DictReader(fh)}
        with (root / stances_file).open(encoding="utf-8", errors="replace", newline="") as fh:
            stances = list(csv.DictReader(fh))
        discuss = sum(1 for r in stances if r["Stance"] == "discuss")
        unrelated = [r for r in stances if r["Stance"] == "unrelated"]
        keep_unrelated = {id(r) for r in rng.sample(unrelated, min(discuss, len(unrelated)))}
        for r in stances:
            if r["Stance"] == "unrelated" and id(r) not in keep_unrelated:
                continue
            body = bodies.get(r["Body ID"])
            if body and r["Stance"] in mapping:
                premise = _best_sentences(r["Headline"], body)
                if premise:
                    yield premise, r["Headline"], mapping[r["Stance"]]


def classic_nli(data: Path, rng: random.Random) -> Iterator[Row]:
    nli = data / "train" / "nli"
    for name in ("snli_1.0_dev.jsonl.gz", "snli_1.0_test.jsonl.gz"):
        with gzip.open(nli / "snli_jsonl" / name, "rt", encoding="utf-8") as fh:
            for line in fh:
                r = json.loads(line)
                if r["gold_label"] in THREE:
                    yield r["sentence1"], r["sentence2"], THREE[r["gold_label"]]
    with (nli / "cad_all_combined" / "train.tsv").open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh, delimiter="\t"):
            if r["gold_label"] in THREE:
                yield r["sentence1"], r["sentence2"], THREE[r["gold_label"]]
    with (nli / "sick_full" / "SICK.txt").open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh, delimiter="\t"):
            if r["SemEval_set"] in ("TRAIN", "TRIAL") and r["entailment_label"] in THREE:
                yield r["sentence_A"], r["sentence_B"], THREE[r["entailment_label"]]
    three_way = {"mnli": "dev", "mpe": "train", "joci": "train", "commitment_bank": "train", "fracas": "train"}
    two_way = {"rte": "train", "add_one_rte": "train", "scitail": "dev", "qnli": "dev", "wnli": "train"}
    for name, split in list(three_way.items()) + list(two_way.items()):
        path = nli / "nli_datasets" / name / f"{split}.csv"
        if not path.is_file():
            continue
        with path.open(encoding="utf-8", errors="replace", newline="") as fh:
            for r in csv.DictReader(fh):
                label = (THREE if name in three_way else TWO).get(r["label"])
                if label:
                    yield r["premise"], r["hypothesis"], label


def curriculum(data: Path, rng: random.Random) -> Iterator[Row]:
    for path in sorted((data / "train" / "curriculum").glob("*.zip")):
        with zipfile.ZipFile(path) as z:
            names = [n for n in z.namelist() if n.endswith("/train.jsonl") and "__MACOSX" not in n]
            for name in names:
                for line in z.read(name).decode("utf-8").splitlines():
                    if not line.strip():
                        continue
                    r = json.loads(line)
                    label = THREE.get(r["gold_label"]) or TWO.get(r["gold_label"])
                    if label and r.get("premise") and r.get("hypothesis"):
                        yield r["premise"], r["hypothesis"], label


SOURCES = {"fever": fever, "fnc_arc": fnc_arc, "nli": classic_nli, "curriculum": curriculum}


def _balance(rows: list[dict]) -> list[dict]:
    """Cap "supports" (the majority label in FEVER, CURRICULUM and SNLI-style sets) at the
    size of the largest other label of the source, keeping the order (already shuffled)."""
    counts = Counter(r["label"] for r in rows)
    cap = max((n for label, n in counts.items() if label != "supports"), default=0)
    kept, n_sup = [], 0
    for r in rows:
        if r["label"] == "supports":
            if n_sup >= cap:
                continue
            n_sup += 1
        kept.append(r)
    return kept


def build(data: Path, out: Path, per_source: int, seed: int = 13) -> dict:
    rng = random.Random(seed)
    seen: set[tuple[str, str]] = set()
    train, val = [], []
    stats: dict[str, dict] = {}
    for name, reader in SOURCES.items():
        rows = []
        for premise, hypothesis, label in reader(data, rng):
            premise, hypothesis = " ".join(premise.split()), " ".join(hypothesis.split())
            key = (premise.lower(), hypothesis.lower())
            if premise and hypothesis and key not in seen:
                seen.add(key)
                rows.append({"premise": premise, "hypothesis": hypothesis, "label": label, "source": name})
        rng.shuffle(rows)
        rows = _balance(rows)
        rng.shuffle(rows)  # _balance dropped the later "supports": mix again before the cap
        rows = rows[:per_source]
        n_val = max(1, len(rows) // 50)
        val.extend(rows[:n_val])
        train.extend(rows[n_val:])
        stats[name] = {"rows": len(rows), "labels": dict(Counter(r["label"] for r in rows))}
    rng.shuffle(train)
    out.mkdir(parents=True, exist_ok=True)
    for split, rows in (("train", train), ("val", val)):
        with (out / f"{split}.jsonl").open("w", encoding="utf-8") as fh:
            for r in rows:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    summary = {"train": len(train), "val": len(val), "sources": stats,
               "labels": dict(Counter(r["label"] for r in train))}
    (out / "mix.json").write_text(json.dumps(summary, indent=2) + "\n")
    return summary


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=HERE.parents[1] / "shared" / "data")
    ap.add_argument("--out", type=Path, default=HERE / "work")
    ap.add_argument("--per-source", type=int, default=120_000)
    args = ap.parse_args()
    print(json.dumps(build(args.data, args.out, args.per_source), indent=2))


if __name__ == "__main__":
    main()
