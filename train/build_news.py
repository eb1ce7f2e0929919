"""News-text pairs for verifier v2 (issue 11), from real news articles in ../shared/data.

    .venv/bin/python train/build_news.py [--data ../shared/data] [--out train/work/news]

Run with the runtime environment (it uses corroborator's sentence splitter, embedder and
spaCy). Sources: the LLMFake CoAID/GossipCop originals and generations (every generator) and
the LLMFake PolitiFact development stories. Stories are split by the same stable hash as the
risk benchmark (bench/fit_risk.py: sha256(news_id) even = held out): pairs from held-out
stories go to heldout.jsonl only, never to training, so the held-out report and the risk
benchmark's held half see stories the verifier never saw.

Rows {"premise", "hypothesis", "label", "source", "kind"}; premise = the archive's sentence
(evidence), hypothesis = the other text's sentence (claim), as at check time.
- supports / paraphrase: a sentence of a paraphrase or rewrite generation aligned to its
  original's closest sentence (embedding cosine >= 0.80), when it adds no number and no
  capitalised name the original sentence lacks and is not a near-copy (difflib < 0.95).
- refutes / minimal edit (FactCC-style, Kryscinski et al. 2020): an original sentence with one
  rule-made change: a number, date, person, place or organisation swapped for another of the
  same kind from the same article (or a number scaled, a year shifted when the article has no
  other), negation added or removed, an antonym, a quantifier or comparative flipped.
- refutes / manipulation: a sentence of a PolitiFact manipulation (False_Context,
  Outdated_Information, ...) aligned to an original sentence (cosine >= 0.75) whose numbers,
  years or names differ from it.
- neutral / same-article: another sentence of the same original, on topic (cosine 0.3-0.7).
- neutral / added: a manipulation sentence with no counterpart (best cosine < 0.5) paired
  with its closest original sentence.
"""

from __future__ import annotations

import argparse
import csv
import difflib
import hashlib
import json
import random
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
csv.field_size_limit(sys.maxsize)

FAITHFUL = ("paraphrase_generation", "rewrite_generation")
MANIPULATIONS = ("Total_Fabrication", "False_Context", "Outdated_Information", "Incomplete_Fact",
                 "Description_Ambiguity", "Unsubstantiated_Content")
NUMBER = re.compile(r"(?<![\w.])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\w])|(?<![\w.,])\d+(?:\.\d+)?(?![\w])")
YEAR = re.compile(r"\b(19[5-9]\d|20[0-3]\d)\b")
CAPITALISED = re.compile(r"\b[A-Z][a-z]{2,}\b")
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
AUX = r"(is|are|was|were|has|have|had|will|would|could|should|does|do|did|can|may|must)"
ANTONYMS = {
    "increase": "decrease", "increased": "decreased", "increases": "decreases", "rose": "fell", "rise": "fall",
    "rising": "falling", "higher": "lower", "won": "lost", "win": "lose", "approved": "rejected",
    "approve": "reject", "allowed": "banned", "allow": "ban", "supports": "opposes", "supported": "opposed",
    "support": "oppose", "before": "after", "positive": "negative", "accepted": "refused", "denied": "admitted", "passed": "failed", "gained": "lost", "expanded": "reduced", "largest": "smallest",
    "success": "failure", "safe": "dangerous", "effective": "ineffective", "legal": "illegal",
    "guilty": "innocent", "opened": "closed", "began": "ended", "start": "end", "raised": "cut", "strong": "weak",
    "agreed": "refused", "true": "false", "best": "worst", "cheaper": "costlier", "younger": "older",
    "men": "women", "dead": "alive", "signed": "vetoed", "Democrats": "Republicans", "Democratic": "Republican",
    "liberal": "conservative", "above": "below", "early": "late", "more": "fewer", "most": "least",
}
ANTONYMS |= {v: k for k, v in list(ANTONYMS.items())}
QUANTIFIERS = {"all": "none of the", "every": "no", "most": "few", "many": "few", "always": "never",
               "majority": "minority", "everyone": "no one", "some": "no", "never": "always"}
COMPARATIVES = {"more than": "less than", "less than": "more than", "fewer than": "more than",
                "at least": "at most", "over": "under", "nearly": "more than", "almost": "more than",
                "up to": "at least", "above": "below", "below": "above"}


def held_out(news_id: str) -> bool:
    """Same split as bench/fit_risk.py: sha256 even = held-out story."""
    return int(hashlib.sha256(news_id.encode()).hexdigest(), 16) % 2 == 0


def read_stories(data: Path) -> dict[str, dict]:
    """news_id -> {"original": text, "faithful": [texts], "manipulated": [(method, text)], "dataset"}."""
    stories: dict[str, dict] = defaultdict(lambda: {"original": "", "faithful": [], "manipulated": [], "dataset": ""})
    paths = sorted((data / "articles" / "llmfake").glob("*/*/*.csv")) + sorted((data / "articles" / "llmfake-politifact").glob("*.csv"))
    for path in paths:
        method = next((m for m in FAITHFUL + MANIPULATIONS if m in path.name), None)
        with path.open(encoding="utf-8", newline="") as fh:
            for r in csv.DictReader(fh):
                nid, orig, gen = r["news_id"], (r["news_text"] or "").strip(), (r["synthetic_misinformation"] or "").strip()
                if len(orig) < 200:
                    continue
                s = stories[nid]
                s["dataset"] = "politifact" if "politifact" in path.name else path.parent.name
                if len(orig) > len(s["original"]):
                    s["original"] = orig
                if method is None or len(gen) < 100 or gen.startswith(orig[:200]):
                    continue  # open-ended (invented) or a copy of the original, not a generation
                if difflib.SequenceMatcher(None, orig[:3000], gen[:3000]).ratio() >= 0.9:
                    continue  # a near-copy (the data's README: "real rewrites" are below 0.9)
                (s["faithful"] if method in FAITHFUL else s["manipulated"]).append((method, gen))
    return dict(stories)


def fnc_bodies(data: Path, limit: int) -> dict[str, dict]:
    """FNC-1 training bodies (real news, no generations): more originals for minimal edits and
    same-article neutral pairs. They are in no benchmark, so all of them train."""
    stories: dict[str, dict] = {}
    with (data / "train" / "fnc1" / "FNC" / "train_bodies.csv").open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            text = (r["articleBody"] or "").strip()
            if len(text) >= 400:
                stories[f"fnc-{r['Body ID']}"] = {"original": text[:6000], "faithful": [], "manipulated": [], "dataset": "fnc1"}
            if len(stories) >= limit:
                break
    return stories


def sentences(texts: list[str]) -> list[list[str]]:
    from corroborator.text.sentences import segment_many

    out = []
    for text, spans in zip(texts, segment_many(texts)):
        out.append([text[s:e].strip() for s, e in spans if 6 <= len(text[s:e].split()) <= 60])
    return out


def _case(word: str, like: str) -> str:
    return word[:1].upper() + word[1:] if like[:1].isupper() else word


def _replace_word(sentence: str, table: dict[str, str], rng: random.Random) -> str | None:
    keys = [k for k in table if re.search(rf"\b{re.escape(k)}\b", sentence, flags=re.I)]
    if not keys:
        return None
    key = rng.choice(sorted(keys))
    m = re.search(rf"\b{re.escape(key)}\b", sentence, flags=re.I)
    return sentence[: m.start()] + _case(table[key], m.group(0)) + sentence[m.end():]


def _swap(sentence: str, mention: str, pool: list[str], rng: random.Random) -> str | None:
    other = [p for p in pool if p.lower() != mention.lower() and p.lower() not in sentence.lower()
             and mention.lower() not in p.lower()]
    if not other or mention not in sentence:
        return None
    return sentence.replace(mention, rng.choice(sorted(other)), 1)


def edits(sentence: str, ents: list[tuple[str, str]], article_ents: dict[str, list[str]], numbers: list[str],
          rng: random.Random) -> dict[str, str]:
    """Every rule-made contradiction of ``sentence`` that applies, by edit type."""
    out: dict[str, str] = {}
    in_dates = " ".join(t for t, label in ents if label in ("DATE", "TIME"))
    found = [m.group(0) for m in NUMBER.finditer(sentence) if not YEAR.fullmatch(m.group(0)) and m.group(0) not in in_dates]
    if found:
        target = rng.choice(found)
        pool = [n for n in numbers if n != target]
        if pool:
            new = rng.choice(pool)
        else:
            value = float(target.replace(",", ""))
            new = rng.choice([value * 2, value * 3, value / 2 if value >= 4 else value + 5, value + 10])
            new = f"{int(new):,}" if "," in target else (str(int(new)) if float(new).is_integer() else f"{new:.1f}")
        if new != target:
            out["number"] = re.sub(rf"(?<![\w.,]){re.escape(target)}(?![\w])", new, sentence, count=1)
    dates = [t for t, label in ents if label == "DATE"]
    if dates:
        d = rng.choice(dates)
        swapped = _swap(sentence, d, article_ents.get("DATE", []), rng)
        if swapped is None:
            year = YEAR.search(d)
            month = next((mo for mo in MONTHS if mo in d), None)
            if year:
                new = str(int(year.group(0)) + rng.choice([-3, -2, -1, 1, 2]))
                swapped = sentence.replace(d, d.replace(year.group(0), new), 1)
            elif month:
                swapped = sentence.replace(d, d.replace(month, rng.choice([x for x in MONTHS if x != month])), 1)
        if swapped and swapped != sentence:
            out["date"] = swapped
    for kind, labels in (("person", ("PERSON",)), ("place", ("GPE", "LOC")), ("organisation", ("ORG", "NORP"))):
        mentions = [t for t, label in ents if label in labels]
        if mentions:
            pool = [p for label in labels for p in article_ents.get(label, [])]
            swapped = _swap(sentence, rng.choice(mentions), pool, rng)
            if swapped:
                out[kind] = swapped
    m = re.search(rf"\b{AUX} not\b|\b{AUX}n't\b|\bcannot\b|\bnever\b", sentence, flags=re.I)
    if m:
        text = m.group(0)
        fixed = "can" if text.lower() == "cannot" else "" if text.lower() == "never" else re.sub(r"\s*n[o']t$", "", text, flags=re.I)
        out["negation"] = re.sub(r"\s{2,}", " ", sentence[: m.start()] + fixed + sentence[m.end():]).strip()
    else:
        # has/have/had only as auxiliaries ("had risen"), never as "had 1,200 cases"
        m = re.search(rf"\b(?:(?:has|have|had)(?= (?:been|\w+ed|\w+en)\b)|{AUX.replace('has|have|had|', '')})\b", sentence)
        if m:
            word = m.group(0)
            new = "cannot" if word == "can" else f"{word} not"
            out["negation"] = sentence[: m.start()] + new + sentence[m.end():]
    for kind, table in (("antonym", ANTONYMS), ("quantifier", QUANTIFIERS), ("comparative", COMPARATIVES)):
        changed = _replace_word(sentence, table, rng)
        if changed and changed != sentence:
            out[kind] = changed
    return out


def supported_variants(sentence: str, rng: random.Random) -> dict[str, str]:
    """Rule-made restatements the sentence entails: the main clause without a trailing
    ", which/while/as ..." clause, and numbers written another way (1,200 -> 1200, percent -> %).
    They teach that a shorter or reformatted restatement is still supported."""
    out: dict[str, str] = {}
    m = re.search(r",\s+(?:which|while|as|although|though|after|before|when|including|according to)\b[^,]*[.!]?$", sentence)
    if m and len(sentence[: m.start()].split()) >= 6:
        out["shortened"] = sentence[: m.start()].rstrip() + "."
    formatted = re.sub(r"(?<=\d),(?=\d{3}\b)", "", sentence)
    formatted = re.sub(r"(\d) percent\b", r"\1%", formatted)
    if formatted != sentence:
        out["number-format"] = formatted
    return out


def _facts(text: str) -> tuple[set[str], set[str]]:
    numbers = {m.group(0).replace(",", "") for m in NUMBER.finditer(text)}
    return numbers, set(CAPITALISED.findall(text)[1:]) if text else set()


class Pairs:
    """Pairs by split: stories of the held half go to heldout.jsonl only."""

    def __init__(self, held: set[str]):
        self.held, self.rows, self.counts = held, [], Counter()

    def add(self, nid: str, premise: str, hypothesis: str, label: str, source: str, kind: str) -> None:
        split = "heldout" if nid in self.held else "train"
        self.rows.append({"premise": premise, "hypothesis": hypothesis, "label": label, "source": source,
                          "kind": kind, "news_id": nid, "split": split})
        self.counts[(split, label, kind)] += 1

    def write(self, out: Path, rng: random.Random) -> None:
        out.mkdir(parents=True, exist_ok=True)
        for split in ("train", "heldout"):
            part = [r for r in self.rows if r["split"] == split]
            rng.shuffle(part)
            with (out / f"{split}.jsonl").open("w", encoding="utf-8") as fh:
                for r in part:
                    fh.write(json.dumps(r) + "\n")
        summary = {f"{s}/{label}/{k}": c for (s, label, k), c in sorted(self.counts.items())}
        (out / "counts.json").write_text(json.dumps(summary, indent=2) + "\n")
        print(json.dumps(summary, indent=1))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=HERE.parents[1] / "shared" / "data")
    ap.add_argument("--out", type=Path, default=HERE / "work" / "news")
    ap.add_argument("--edits-per-sentence", type=int, default=1)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--fnc-bodies", type=int, default=0, help="also edit this many FNC-1 training bodies")
    args = ap.parse_args()
    from corroborator.runtime.embedder import default_embedder
    from corroborator.text.parsing import parse

    rng = random.Random(args.seed)
    stories = read_stories(args.data)
    extra = fnc_bodies(args.data, args.fnc_bodies) if args.fnc_bodies else {}
    stories |= extra
    ids = sorted(stories)
    print(f"{len(ids)} stories", flush=True)
    embedder = default_embedder()
    orig_sents = dict(zip(ids, sentences([stories[i]["original"] for i in ids])))
    pairs = Pairs({nid for nid in ids if nid not in extra and held_out(nid)})
    add = pairs.add

    for n, nid in enumerate(ids):
        story = stories[nid]
        originals = orig_sents[nid]
        if len(originals) < 2:
            continue
        doc = parse(story["original"][:20000])
        article_ents: dict[str, list[str]] = defaultdict(list)
        sent_ents: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for ent in doc.ents:
            text = ent.text.strip()
            if len(text) < 2:
                continue
            if text not in article_ents[ent.label_]:
                article_ents[ent.label_].append(text)
        date_words = " ".join(e.text for e in doc.ents if e.label_ in ("DATE", "TIME"))
        numbers = [m.group(0) for m in NUMBER.finditer(story["original"])
                   if not YEAR.fullmatch(m.group(0)) and m.group(0) not in date_words]
        for sent in doc.sents:
            for ent in sent.ents:
                sent_ents[sent.text.strip()].append((ent.text.strip(), ent.label_))
        ovec = np.asarray(embedder.embed(originals), dtype=np.float32)
        # minimal edits of original sentences (refutes)
        for sentence in originals:
            ents = [e for s, es in sent_ents.items() if s and (s in sentence or sentence in s) for e in es]
            options = edits(sentence, ents, article_ents, numbers, rng)
            for kind in rng.sample(sorted(options), min(args.edits_per_sentence, len(options))):
                add(nid, sentence, options[kind], "refutes", "news-edit", kind)
            for kind, variant in supported_variants(sentence, rng).items():
                add(nid, sentence, variant, "supports", "news-variant", kind)
        # on-topic neutral pairs within the article
        sims = ovec @ ovec.T
        for i in rng.sample(range(len(originals)), min(4, len(originals))):
            js = [j for j in range(len(originals)) if j != i and 0.3 <= sims[i, j] <= 0.7]
            if js:
                add(nid, originals[i], originals[rng.choice(js)], "neutral", "news-same-article", "same-article")
        generated = [("faithful", m, t) for m, t in story["faithful"]] + [("manipulated", m, t) for m, t in story["manipulated"]]
        for (group, method, gen), gsents in zip(generated, sentences([g[2] for g in generated])):
            if not gsents:
                continue
            gvec = np.asarray(embedder.embed(gsents), dtype=np.float32)
            best = gvec @ ovec.T
            for k, hyp in enumerate(gsents):
                j = int(best[k].argmax())
                cos, premise = float(best[k, j]), originals[j]
                pn, pc = _facts(premise)
                hn, hc = _facts(hyp)
                if group == "faithful":
                    if cos >= 0.80 and hn <= pn and {c for c in hc if c.lower() not in premise.lower()} == set() \
                            and difflib.SequenceMatcher(None, premise, hyp).ratio() < 0.95:
                        add(nid, premise, hyp, "supports", "news-paraphrase", method)
                elif cos >= 0.75 and (hn ^ pn or {c for c in hc if c.lower() not in premise.lower()}):
                    add(nid, premise, hyp, "refutes", "news-manipulation", method)
                elif cos < 0.5:
                    add(nid, premise, hyp, "neutral", "news-added", method)
        if n % 200 == 0:
            print(f"{n}/{len(ids)} stories, {len(pairs.rows)} pairs", flush=True)

    pairs.write(args.out, rng)


if __name__ == "__main__":
    main()
