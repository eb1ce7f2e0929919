"""The verifier v2 training mix (issue 11): v1's mix, news pairs, Check-COVID train.

    python train/build_mix.py                 # v1 mix -> train/work/{train,val}.jsonl
    .venv/bin/python train/build_news.py --fnc-bodies 1500   # news pairs -> train/work/news/
    python train/build_v2.py                  # -> train/work/v2/{train,val}.jsonl
    python train/build_v2.py --base-mix train/work/v2b --extra train/work/spec/train.jsonl --out train/work/v2c
                                              # a continuation mix (rehearsal + specification pairs)

v2 is fine-tuned from v1 (train/from_onnx.py), so it needs far fewer pairs than v1's 233k;
the old mix stays in (--old rows, sampled per source in proportion) so what v1 learned is
rehearsed rather than forgotten (FEVER-Symmetric must not regress). News pairs from the
training stories are repeated --news-repeat times. Check-COVID *train* (its dev split stays
for evaluation): SUPPORT -> supports, REFUTE -> refutes, NOTENOUGHINFO -> neutral (an on-topic
abstract sentence that neither supports nor refutes), evidence = the cited abstract
sentences. Validation: 2,000 rows of v1's val split plus 2 % of the news training stories
(by story), so the exported temperature is fitted on both kinds of text.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
COVID = {"SUPPORT": "supports", "REFUTE": "refutes", "NOTENOUGHINFO": "neutral"}


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]


def check_covid_train(data: Path) -> list[dict]:
    corpus = {r["cord_id"]: r["abstract"] for r in _jsonl(data / "eval" / "check-covid" / "corpus.json")}
    rows = []
    for r in _jsonl(data / "eval" / "check-covid" / "train" / "covidCheck_train_composed+extracted.json"):
        abstract = corpus.get(r["cord_id"]) or []
        cited = [abstract[e["sent_index"]] for e in r.get("evidence_set") or [] if e["sent_index"] < len(abstract)]
        if cited and r["label"] in COVID:
            rows.append({"premise": " ".join(cited), "hypothesis": r["claim"].strip(), "label": COVID[r["label"]],
                         "source": "check-covid-train"})
    return rows


def _trivially_changed(sentence: str, rng: random.Random) -> str:
    """The sentence itself, or with its final full stop dropped, or its first letter's case
    changed: nothing a reader would call a different statement."""
    choice = rng.random()
    if choice < 0.5:
        return sentence
    if choice < 0.75 and sentence.endswith("."):
        return sentence[:-1]
    return sentence[:1].lower() + sentence[1:] if sentence[:1].isupper() else sentence


def _split_val(rows: list[dict], key: str = "news_id") -> tuple[list[dict], list[dict]]:
    train, val = [], []
    for r in rows:
        in_val = int(hashlib.sha256(r[key].encode()).hexdigest(), 16) % 50 == 1
        (val if in_val else train).append({k: r[k] for k in ("premise", "hypothesis", "label", "source")})
    return train, val


def _write(out: Path, train: list[dict], val: list[dict]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, rows in (("train", train), ("val", val)):
        with (out / f"{name}.jsonl").open("w", encoding="utf-8") as fh:
            for r in rows:
                fh.write(json.dumps(r) + "\n")
    by = defaultdict(int)
    for r in train:
        by[f"{r['source']}/{r['label']}"] += 1
    print(json.dumps({"train": len(train), "val": len(val), "by_source_label": dict(sorted(by.items()))}, indent=1))


def continued(args: argparse.Namespace, rng: random.Random) -> None:
    """A continuation mix (v2c): part of an earlier mix as rehearsal, plus the extra pairs."""
    base = _jsonl(args.base_mix / "train.jsonl")
    rng.shuffle(base)
    train = base[: args.base_rows]
    extra = _jsonl(args.extra) if args.extra else []
    kinds: dict[tuple, list[dict]] = defaultdict(list)
    for r in extra:
        kinds[(r["label"], r.get("kind", ""))].append(r)
    # capped per kind so the many easy specification pairs (a dropped date, a surname) do not
    # outweigh the rule-made edits they must be told apart from
    extra = [r for rows in kinds.values() for r in rows[: args.extra_cap]]
    extra_train, extra_val = _split_val(extra)
    train += extra_train * args.extra_repeat
    rng.shuffle(train)
    _write(args.out, train, _jsonl(args.base_mix / "val.jsonl") + extra_val)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=HERE.parents[1] / "shared" / "data")
    ap.add_argument("--old", type=Path, default=HERE / "work")
    ap.add_argument("--news", type=Path, default=HERE / "work" / "news")
    ap.add_argument("--out", type=Path, default=HERE / "work" / "v2")
    ap.add_argument("--old-rows", type=int, default=60_000)
    ap.add_argument("--news-repeat", type=int, default=2)
    ap.add_argument("--covid-repeat", type=int, default=2)
    ap.add_argument("--edit-ratio", type=float, default=0.7, help="rule-made edits per other news pair, at most")
    ap.add_argument("--paraphrase-repeat", type=int, default=4, help="aligned paraphrase pairs count this many times")
    ap.add_argument("--identity-ratio", type=float, default=0.5, help="unchanged-sentence supports per rule-made edit")
    ap.add_argument("--extra", type=Path, default=None,
                    help="more news pairs (train/build_spec.py's train.jsonl): specification, cross-outlet")
    ap.add_argument("--extra-repeat", type=int, default=1)
    ap.add_argument("--extra-cap", type=int, default=3000, help="extra pairs per (label, kind), at most")
    ap.add_argument("--base-mix", type=Path, default=None,
                    help="continue from this mix instead of building one: --base-rows of its train rows "
                         "(rehearsal) + --extra; its val rows + 2 %% of --extra stories")
    ap.add_argument("--base-rows", type=int, default=40_000)
    args = ap.parse_args()
    rng = random.Random(17)
    if args.base_mix:
        continued(args, rng)
        return
    old = _jsonl(args.old / "train.jsonl")
    rng.shuffle(old)
    train = old[: args.old_rows]
    news_train, news_val = _split_val(_jsonl(args.news / "train.jsonl"))
    # Rule-made edits are cheap and many; capped so the news part does not teach "a news
    # sentence beside a close variant is a contradiction" (paraphrases must stay supports).
    edits = [r for r in news_train if r["source"] == "news-edit"]
    others = [r for r in news_train if r["source"] != "news-edit"]
    rng.shuffle(edits)
    news_train = others + edits[: int(args.edit_ratio * len(others))]
    # Aligned paraphrases are the scarcest kind and the one v1 gets wrong (p(supports) ~0.4):
    # repeated so supports are not drowned by the rule-made refutes and same-article neutrals.
    news_train += [r for r in others if r["source"] == "news-paraphrase"] * (args.paraphrase_repeat - 1)
    # Unchanged restatements: a sentence beside itself (or with only its punctuation or case
    # changed) is support. Without them the news part teaches a shortcut — every near-copy
    # pair it holds is a minimal edit labelled refutes — and the first v2 called identical
    # sentences contradictions (p(supports) 0.01-0.07 at cosine 0.99; DESIGN "Verifier v2").
    premises = sorted({r["premise"] for r in news_train if r["source"] == "news-edit"})
    rng.shuffle(premises)
    identity = [{"premise": p, "hypothesis": _trivially_changed(p, rng), "label": "supports", "source": "news-identity"}
                for p in premises[: int(args.identity_ratio * len(edits[: int(args.edit_ratio * len(others))]))]]
    news_train += identity
    train += news_train * args.news_repeat + check_covid_train(args.data) * args.covid_repeat
    rng.shuffle(train)
    val = _jsonl(args.old / "val.jsonl")[:2000] + news_val
    _write(args.out, train, val)


if __name__ == "__main__":
    main()
