"""Real news sentences from ../shared, labelled by us, for the check-worthiness model (issue 12).

    python bench/news_sentences.py sample [--per-source 110]   # once, before any tuning
    python bench/news_sentences.py show [--part tune|test]      # the sentences, for labelling

CheckThat! 2024 (the model's training data) holds debate and speech lines, not news, so the
model is also measured on news sentences. The label file (bench/labels/checkworthy-news.jsonl)
holds no article text: each row names a document in ../shared and a character span in it (with
a hash of the sentence, so a changed source is noticed), a label we gave by reading the sentence
in its article, and a part fixed at sampling time, before any labelling or tuning: every third
row is "test" (never used to choose anything), the rest "tune".

Sources, one sentence from each sampled document: PolNeAR *train* articles (US political news,
seven outlets; its test split is the sourcing benchmark's), the PTC articles (news with
propaganda), and the real articles behind the LLMFake sets (CoAID health news, GossipCop
celebrity news, PolitiFact stories).

Labels: 1 = check-worthy (a statement of fact someone could verify against other reporting or
records: an event, a number, a statement attributed to a named or described source, a
decision); 0 = not (opinion, prediction, analysis or framing, a question, a rhetorical line, a
quote that is pure opinion, boilerplate, a fragment).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
LABELS = HERE / "labels" / "checkworthy-news.jsonl"
SOURCES = ("polnear", "ptc", "llmfake")


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def documents(data: Path) -> dict[str, dict[str, str]]:
    """source -> {document key: text}."""
    docs: dict[str, dict[str, str]] = {s: {} for s in SOURCES}
    for path in sorted((data / "sourcing" / "polnear" / "train" / "text").glob("*.txt")):
        docs["polnear"][f"train/text/{path.name}"] = path.read_text(encoding="utf-8", errors="replace")
    for path in sorted((data / "articles" / "propaganda" / "train-articles").glob("*.txt")):
        docs["ptc"][f"train-articles/{path.name}"] = path.read_text(encoding="utf-8", errors="replace")
    csv.field_size_limit(sys.maxsize)
    paths = sorted((data / "articles" / "llmfake").glob("*/*/*.csv")) + sorted(
        (data / "articles" / "llmfake-politifact").glob("*.csv"))
    for path in paths:
        dataset = "politifact" if "politifact" in path.name else path.parent.name
        with path.open(encoding="utf-8", newline="") as fh:
            for r in csv.DictReader(fh):
                text = (r.get("news_text") or "").strip()
                key = f"{dataset}:{r['news_id']}"
                if len(text) > len(docs["llmfake"].get(key, "")):
                    docs["llmfake"][key] = text
    return docs


def rows_with_text(data: Path, path: Path = LABELS) -> list[dict]:
    """The label rows, each with its "text" read back from ../shared (a row whose source
    changed is reported and left out)."""
    docs = documents(data)
    out = []
    for line in path.open(encoding="utf-8"):
        row = json.loads(line)
        text = docs[row["source"]].get(row["doc"], "")[row["start"]: row["end"]]
        if _digest(text) != row["sha"]:
            print(f"skipped {row['id']}: its sentence in {row['source']}:{row['doc']} changed", file=sys.stderr)
            continue
        out.append(row | {"text": text})
    return out


def sample(data: Path, per_source: int, seed: int) -> None:
    from corroborator.text.sentences import segment_many

    rng = random.Random(seed)
    docs = documents(data)
    rows = []
    for source in SOURCES:
        keys = sorted(k for k, t in docs[source].items() if len(t) >= 300)
        rng.shuffle(keys)
        picked = 0
        for key, spans in zip(keys, segment_many(docs[source][k] for k in keys)):
            text = docs[source][key]
            spans = [(s, e) for s, e in spans if 4 <= len(text[s:e].split()) <= 80]
            if not spans:
                continue
            s, e = rng.choice(spans)
            rows.append({"source": source, "doc": key, "start": s, "end": e, "sha": _digest(text[s:e])})
            picked += 1
            if picked == per_source:
                break
    rng.shuffle(rows)
    LABELS.parent.mkdir(parents=True, exist_ok=True)
    with LABELS.open("w", encoding="utf-8") as fh:
        for n, row in enumerate(rows):
            fh.write(json.dumps({"id": f"n{n:03d}", **row, "part": "test" if n % 3 == 2 else "tune",
                                 "label": None}) + "\n")
    print(f"{len(rows)} sentences -> {LABELS}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("command", choices=["sample", "show"])
    ap.add_argument("--data", type=Path, default=HERE.parents[1] / "shared" / "data")
    ap.add_argument("--per-source", type=int, default=110)
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--part", choices=["tune", "test"], default=None)
    args = ap.parse_args()
    if args.command == "sample":
        if LABELS.exists():
            sys.exit(f"{LABELS} exists: the sample is drawn once")
        sample(args.data, args.per_source, args.seed)
        return
    for row in rows_with_text(args.data):
        if args.part in (None, row["part"]):
            print(f"{row['id']}\t{row['label']}\t{' '.join(row['text'].split())}")


if __name__ == "__main__":
    main()
