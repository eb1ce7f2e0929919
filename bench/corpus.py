"""Benchmark corpora from real article text in ../shared/data (never copied into the repo).

Sources: FNC-1 and ARC article bodies, LLMFake human-written news_text and LLM-written
synthetic_misinformation. Distinct texts come first; past them, sizes are reached by
re-using texts under new ids with a new dateline line (as wire copies are re-run by other
outlets): such copies differ in content hash, so they are stored as new articles, but
their sentences repeat and share stored vectors.

The check set (held out of every corpus): the synthetic articles of one generator,
trimmed to about 600 words at a sentence boundary.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

csv.field_size_limit(sys.maxsize)
HELD_OUT_GENERATOR = "vicuna-v1.3_7b_generation"


def _fnc_bodies(data: Path) -> Iterator[tuple[str, str]]:
    fnc = data / "train" / "fnc1"
    for rel in ("FNC/train_bodies.csv", "FNC/competition_test_bodies.csv", "ARC/arc_bodies.csv"):
        with (fnc / rel).open(encoding="utf-8", errors="replace", newline="") as fh:
            for row in csv.DictReader(fh):
                yield f"{rel.split('/')[0].lower()}-{row['Body ID']}", row["articleBody"]


def _llmfake(data: Path, held_out: bool) -> Iterator[tuple[str, str, str]]:
    root = data / "articles" / "llmfake"
    for path in sorted(root.rglob("*.csv")):
        generator = path.parts[-3]
        if (generator == HELD_OUT_GENERATOR) != held_out:
            continue
        with path.open(encoding="utf-8", errors="replace", newline="") as fh:
            for n, row in enumerate(csv.DictReader(fh)):
                yield f"{generator}/{path.stem}/{n}", row.get("news_text") or "", row.get("synthetic_misinformation") or ""


def distinct_texts(data: Path) -> list[tuple[str, str]]:
    seen: set[str] = set()
    out: list[tuple[str, str]] = []

    def add(key: str, text: str) -> None:
        text = text.strip()
        norm = " ".join(text.split()).lower()
        if len(text) >= 200 and norm not in seen:
            seen.add(norm)
            out.append((key, text))

    for key, text in _fnc_bodies(data):
        add(key, text)
    for key, human, synthetic in _llmfake(data, held_out=False):
        add(key + "/human", human)
        add(key + "/synthetic", synthetic)
    return out


def write_corpus(data: Path, size: int, dest: Path) -> dict:
    texts = distinct_texts(data)
    outlets = [f"Outlet {i:02d}" for i in range(40)]
    with dest.open("w", encoding="utf-8") as fh:
        for i in range(size):
            key, text = texts[i % len(texts)]
            copy = i // len(texts)
            if copy:
                text = f"({outlets[(i + copy) % len(outlets)]}) Republished copy {copy}.\n\n{text}"
            fh.write(json.dumps({
                "id": f"bench-{i}",
                "outlet": outlets[i % len(outlets)],
                "published": f"20{15 + i % 10}-{1 + i % 12:02d}-{1 + i % 28:02d}",
                "title": key,
                "text": text,
            }) + "\n")
    return {"articles": size, "distinct_texts": min(size, len(texts)), "distinct_available": len(texts)}


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")


def sentence_halves(data: Path) -> list[tuple[str, str]]:
    """(first half, second half) of every 8-60-word sentence of the real texts, in order."""
    halves: list[tuple[str, str]] = []
    for _key, text in distinct_texts(data):
        for sentence in _SENTENCE_END.split(" ".join(text.split())):
            words = sentence.split()
            if 8 <= len(words) <= 60:
                cut = len(words) // 2
                halves.append((" ".join(words[:cut]), " ".join(words[cut:])))
    return halves


def recombined_articles(halves: list[tuple[str, str]], size: int, seed: int = 15,
                        sentences_per_article: int = 10, start: int = 0) -> Iterator[tuple[dict, list[tuple[int, int]]]]:
    """The recombined articles (see write_recombined) from number ``start`` on, each with the
    (first half, second half) indices into ``halves`` of its sentences, in order. The random
    draws before ``start`` are still made, so article N is the same whatever ``start`` is."""
    import random

    rng = random.Random(seed)
    pool = range(len(halves))  # rng.choice(pool) draws as rng.choice(halves) does
    outlets = [f"Outlet {i:02d}" for i in range(40)]
    for i in range(size):
        pairs = [(rng.choice(pool), rng.choice(pool)) for _ in range(sentences_per_article)]
        if i < start:
            continue
        yield {
            "id": f"syn-{i}", "outlet": outlets[i % len(outlets)],
            "published": f"20{15 + i % 10}-{1 + (i // 10) % 12:02d}-{1 + i % 28:02d}",
            "title": f"Synthetic report {i}",
            "text": " ".join(f"{halves[a][0]} {halves[b][1]}" for a, b in pairs),
        }, pairs


def write_recombined(data: Path, size: int, dest: Path, seed: int = 15, sentences_per_article: int = 10) -> dict:
    """``size`` distinct articles past the ~11k real ones (issue 15's 100k/1M scale sets): each
    sentence is the first half of one real sentence joined to the second half of another, from
    different articles, so every sentence text is new (its own embedding, its own full-text
    row) and reads like news vocabulary. Articles get an outlet of 40 and a date in 2015-2024;
    ids "syn-N". Deterministic for a seed; the real check set stays held out (as in
    write_corpus)."""
    halves = sentence_halves(data)
    with dest.open("w", encoding="utf-8") as fh:
        for record, _pairs in recombined_articles(halves, size, seed, sentences_per_article):
            fh.write(json.dumps(record) + "\n")
    return {"articles": size, "kind": "recombined halves of real sentences", "sentence_halves": len(halves),
            "sentences_per_article": sentences_per_article, "seed": seed}


def check_set(data: Path, n: int, words: int = 600) -> list[dict]:
    out = []
    for key, _human, synthetic in _llmfake(data, held_out=True):
        tokens = synthetic.split()
        if len(tokens) < words or "passage" in synthetic.lower():
            continue  # too short, or a generation that echoes its prompt
        lines = [s.strip().lower() for s in re.split(r"(?<=[.!?])\s+", synthetic) if s.strip()]
        if len(set(lines)) < 0.9 * len(lines):
            continue  # degenerate generation repeating itself
        cut = " ".join(tokens[:words])
        end = max(cut.rfind(". "), cut.rfind(".\n"))
        out.append({"id": "check-" + key, "text": cut[: end + 1] if end > 0 else cut})
        if len(out) == n:
            break
    return out


if __name__ == "__main__":
    data, size, dest = Path(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])
    print(json.dumps(write_corpus(data, size, dest)))
