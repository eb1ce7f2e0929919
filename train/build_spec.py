"""Pairs that teach the verifier how news outlets restate one fact (issue 11, verifier v2c).

    .venv/bin/python train/build_spec.py [--data ../shared/data] [--out train/work/spec]

Why: the news-trained v2b (train/build_news.py) read a less specific restatement as a
contradiction ("The port handled ..." beside "The Port of Kestrel Bay handled ..." refutes
0.92): its news part held many near-copies labelled refutes (rule-made edits) and no
near-copy that differs only in how specific it is. These pairs teach it (the later kinds were
added as each candidate showed the next shortcut; MODEL_CARD "v2 candidates"):

- supports / specification: a real news sentence (premise) beside a rule-made, *less specific*
  restatement of it (hypothesis): a person's full name cut to the surname, a named
  organisation or facility cut to its generic head ("the Port of Kestrel Bay" -> "the port"),
  a date phrase dropped, a number rounded or turned into a bound ("1,237" -> "more than
  1,200"), a non-restrictive clause between commas dropped. The premise entails each.
- neutral / underspecified: the reverse of the date and number ones (the claim gives a date or
  an exact number the evidence does not): not entailed, but nothing contradicts it.
- supports / cross-outlet: two different outlets' bodies about one story (FNC-1 and ARC
  bodies that share a headline with a related stance), sentence pairs that say the same
  thing (embedding cosine >= 0.85, the same numbers, no capitalised name in the hypothesis
  that the premise lacks). Real wire copies and restatements, labelled by rule.
- supports / shared-quote: sentences of two such bodies quoting the same six-word run in
  different framing (shared_quotes()).
- derived from the pairs above (derived(), remade alone with --rederive): neutral /
  more-specific (name pairs reversed), neutral / same-subject, supports / attribution,
  supports / lexical (lexical()): one word or two replaced by the word another outlet or a
  faithful rewrite used in that very sentence ("said" -> "stated", "drone" -> "unmanned
  aircraft"), and a sentence with one word swapped from a table of news synonyms. v2d-v2f,
  taught by the rule-made edits that "one word differs" means "refutes", read the ministry
  "said the drill ..." against "said the exercise ..." as a contradiction.

Stories of the risk benchmark's held half (sha256(news_id) even, as in build_news.py) go to
heldout.jsonl only. FNC-1 *competition test* bodies are never used for training: they are the
cross-outlet probe (bench/cross_outlet_probe.py).
"""

from __future__ import annotations

import argparse
import csv
import difflib
import json
import random
import re
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np
from spacy.lang.en.stop_words import STOP_WORDS

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import build_news  # noqa: E402  (a sibling script, not a package)

GENERIC_HEADS = {
    "port", "university", "ministry", "department", "city", "bank", "court", "council", "agency", "office",
    "institute", "hospital", "party", "army", "navy", "police", "committee", "commission", "government",
    "embassy", "airport", "school", "college", "company", "corporation", "association", "foundation",
    "federation", "union", "authority", "board", "administration", "service", "center", "centre", "group",
    "organization", "organisation", "network", "league", "club", "senate", "parliament", "museum",
    "agency", "laboratory", "lab", "station", "base", "force", "forces", "bureau", "clinic", "church",
}
CORP = re.compile(r"\b(Inc\.?|Corp\.?|Ltd\.?|LLC|plc|Co\.)$")
DATE_PREP = r"(?:(?:on|in|during|since|by|from|until|as of|earlier|later)\s+)?"


def _generic(ent_text: str) -> str | None:
    words = ent_text.split()
    if len(words) < 2:
        return None
    bare = words[1:] if words[0].lower() == "the" else words
    if len(bare) >= 3 and bare[1].lower() == "of" and bare[0].lower() in GENERIC_HEADS:
        return bare[0].lower()
    if len(bare) >= 2 and bare[-1].lower() in GENERIC_HEADS:
        return bare[-1].lower()
    if CORP.search(ent_text):
        return "company"
    return None


def specifications(sentence: str, ents: list[tuple[str, str]], rng: random.Random) -> dict[str, str]:
    """Less specific restatements the sentence entails, by kind."""
    out: dict[str, str] = {}
    people = [t for t, label in ents if label == "PERSON" and len(t.split()) >= 2 and t in sentence]
    if people:
        name = rng.choice(people)
        out["surname"] = sentence.replace(name, name.split()[-1], 1)
    named = [(t, g) for t, label in ents if label in ("ORG", "FAC", "GPE", "LOC") and t in sentence
             for g in [_generic(t)] if g]
    if named:
        text, head = rng.choice(named)
        m = re.search(rf"(?:\b[Tt]he\s+)?{re.escape(text)}", sentence)
        if m:
            out["generic-name"] = sentence[: m.start()] + f"{'The' if m.start() == 0 else 'the'} {head}" + sentence[m.end():]
    dates = [t for t, label in ents if label == "DATE" and t in sentence and len(t) > 3]
    if dates:
        date = rng.choice(dates)
        m = re.search(rf",?\s*{DATE_PREP}{re.escape(date)}\s*,?", sentence)
        if m:
            cut = m.group(0)
            # "in March 2019, the authority said" keeps its comma; ", on Tuesday," drops both
            glue = ", " if cut.rstrip().endswith(",") and not cut.lstrip().startswith(",") and m.start() > 0 else " "
            joined = sentence[: m.start()] + (glue if 0 < m.start() and m.end() < len(sentence) else "") + sentence[m.end():]
            joined = re.sub(r"\s+([.,;:!?])", r"\1", re.sub(r"\s{2,}", " ", joined)).strip()
            if joined and len(joined.split()) >= 6 and joined != sentence:
                out["drop-date"] = joined[:1].upper() + joined[1:]
    numbers = [m for m in build_news.NUMBER.finditer(sentence) if not build_news.YEAR.fullmatch(m.group(0))]
    big = [m for m in numbers if float(m.group(0).replace(",", "")) >= 20]
    if big:
        m = rng.choice(big)
        value = float(m.group(0).replace(",", ""))
        magnitude = 10 ** max(1, len(str(int(value))) - 2)
        low = int(value // magnitude * magnitude)
        if low < value:
            phrase = rng.choice(["more than", "over", "at least"]) + f" {low:,}" if "," in m.group(0) or low >= 10000 else \
                rng.choice(["more than", "over", "at least"]) + f" {low}"
            before = sentence[: m.start()]
            if not re.search(r"\b(about|around|nearly|almost|more than|less than|over|under|up to|at least)\s*$", before, re.I):
                out["number-bound"] = before + phrase + sentence[m.end():]
    m = re.search(r",\s+(?:who|which|a|an|the)\s+[^,]{3,80},", sentence)
    if m and len(sentence[: m.start()].split()) >= 2:
        cut = sentence[: m.start()] + sentence[m.end() - 1:].lstrip(",")
        cut = re.sub(r"\s{2,}", " ", cut).strip()
        if len(cut.split()) >= 6:
            out["drop-clause"] = cut
    return out


NAME = re.compile(r"\b(?!The\b|A\b|An\b|In\b|On\b)[A-Z][a-z]+(?:\s+[A-Z][a-z]+)+")


QUOTE_FIRST = re.compile(r'^[“"](?P<q>[^"“”]{20,}?)[,.]?[”"],? (?P<x>[A-Z][^"“”]{2,60}?) (?P<v>said|says|told [^"“”.]{2,40}|added|wrote)\.?$')
SPEAKER_FIRST = re.compile(r'^(?P<x>[A-Z][^"“”]{2,80}?) (?P<v>said|says|told [^"“”]{2,40}|added|wrote)(?P<m>[^"“”]{0,40}?)'
                           r'(?: that)?,? [“"](?P<q>[^"“”]{20,}?)[.,]?[”"]\.?$')


def attributions(sentence: str, rng: random.Random) -> dict[str, str]:
    """An attributed quote restated as the bare quote, or with the attribution moved:
    '"Q," X said.' <-> 'X said that "Q."' — what outlets do with one statement. v2d called
    'Col. X said in a statement that "flying together ..."' neutral (0.87) against the bare
    quote, so a quote four outlets carry was backed by one."""
    m = QUOTE_FIRST.match(sentence) or SPEAKER_FIRST.match(sentence)
    if not m:
        return {}
    q = m.group("q").strip()
    opening = q[:1].upper() + q[1:]
    out = {"bare-quote": f'"{opening}."' if rng.random() < 0.5 else f"{opening}."}
    if m.re is QUOTE_FIRST:
        inner = q if q.startswith("I ") else q[:1].lower() + q[1:]
        out["moved-attribution"] = f'{m.group("x")} {m.group("v")} that "{inner}."'
    else:
        out["moved-attribution"] = f'"{opening}," {m.group("x")} {m.group("v")}.'
    return out


def derived(rows: list[dict], rng: random.Random, per_article: int = 3,
            sentences: list[tuple[str, str]] = ()) -> list[tuple]:
    """Pairs made from the specification rows themselves (no parse needed):
    - neutral / more-specific: a surname or generic-name pair reversed, the claim naming more
      than its evidence ("The Port of Kestrel Bay handled ..." against "The port handled ...").
      v2c, trained without them, still read that as a swap (refutes 0.95 on the demo archive):
      "a name the premise lacks" meant "refutes" in the rule-made edits.
    - neutral / same-subject: two different sentences of one article that share a multi-word
      name ("Col. Dana Whitfield said ..." beside "Whitfield's statement said ..."): an article
      does not contradict itself, and one sentence rarely entails another.
    - supports / attribution: attributions() of every premise and of ``sentences``
      ((sentence, news id): the originals build_news.py edited)."""
    out = []
    for premise, nid in sorted({(r["premise"], r["news_id"]) for r in rows} | set(sentences)):
        for kind, variant in attributions(premise, rng).items():
            out.append((nid, premise, variant, "supports", "news-attribution", kind))
    by_article: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        if r["source"] != "news-specification":
            continue
        by_article[r["news_id"]].add(r["premise"])
        if r["kind"] in ("surname", "generic-name") and rng.random() < 0.5:
            out.append((r["news_id"], r["hypothesis"], r["premise"], "neutral", "news-more-specific", r["kind"]))
    for nid, sents in sorted(by_article.items()):
        names = {s: set(NAME.findall(s)) for s in sorted(sents)}
        pairs = [(a, b) for a in names for b in names if a != b and names[a] & names[b]]
        for a, b in rng.sample(pairs, min(per_article, len(pairs))):
            out.append((nid, a, b, "neutral", "news-same-subject", "same-subject"))
    return out


TOKEN = re.compile(r"\w+(?:[-']\w+)*|[^\w\s]")
# Words whose swap changes what a sentence claims: never a lexical "supports".
_CHANGING = (set("not no never none nor without".split()) | set(build_news.ANTONYMS)
             | set(build_news.QUANTIFIERS) | {w for k in build_news.COMPARATIVES for w in k.split()})
# Near-synonyms in news reporting, both directions (our own list). A swap from it is a
# supports pair only for the sentences it is applied to, so senses that often differ
# (e.g. "fire" as shooting vs blaze) are left out.
NEWS_SYNONYMS = {
    "said": "stated", "says": "states", "told reporters": "said", "announced": "said", "added": "said",
    "noted": "said", "claimed": "said", "confirmed": "said", "explained": "said",
    "drill": "exercise", "drills": "exercises", "troops": "soldiers", "vessel": "ship", "vessels": "ships",
    "aircraft": "planes", "warplanes": "fighter jets", "talks": "negotiations", "meeting": "talks",
    "killed": "left dead", "injured": "wounded", "blaze": "fire", "residents": "locals",
    "lawmakers": "legislators", "officials": "authorities", "spokesman": "spokesperson",
    "spokeswoman": "spokesperson", "firm": "company", "business": "company", "purchase": "buy",
    "bought": "purchased", "began": "started", "begin": "start", "ended": "finished",
    "big": "large", "huge": "massive", "small": "little", "quickly": "rapidly", "roughly": "approximately",
    "nearly": "almost", "currently": "now",
    "also": "additionally", "help": "assist", "helped": "assisted", "show": "indicate",
    "showed": "indicated", "shows": "indicates", "study": "research", "researchers": "scientists",
    "doctors": "physicians", "children": "kids", "car": "vehicle", "cars": "vehicles",
    "people": "individuals", "country": "nation", "nation's": "country's", "government": "administration",
    "law": "legislation", "rules": "regulations", "plan": "proposal", "goal": "aim",
    "need": "require", "needs": "requires", "get": "receive", "got": "received", "try": "attempt",
    "tried": "attempted", "allow": "permit", "allowed": "permitted", "enough": "sufficient",
    "main": "primary", "important": "significant", "hard": "difficult", "answer": "response",
    "ask": "request", "asked": "requested", "reported": "said", "statement": "announcement",
    "event": "occasion", "job": "position", "jobs": "positions", "money": "funds", "funding": "money",
    "attack": "assault", "attacks": "assaults", "strengthen": "bolster", "strengthened": "bolstered",
    "enhance": "improve", "enhanced": "improved", "conducted": "carried out", "held": "staged",
    "joint": "combined", "region": "area", "threat": "danger", "threats": "dangers",
}
NEWS_SYNONYMS |= {v: k for k, v in list(NEWS_SYNONYMS.items()) if v not in NEWS_SYNONYMS}
_QUOTED_SPAN = re.compile(r'[“"][^"“”]*[”"]')


def synonym_swap(sentence: str, rng: random.Random) -> str | None:
    """The sentence with one NEWS_SYNONYMS word swapped, outside quotation marks and never in a
    capitalised word (a name: "Joint Chiefs", "Supreme People's Assembly")."""
    quoted = [m.span() for m in _QUOTED_SPAN.finditer(sentence)]
    spots = [m for key in NEWS_SYNONYMS for m in re.finditer(rf"\b{re.escape(key)}\b", sentence)
             if not any(a <= m.start() < b for a, b in quoted)]
    if not spots:
        return None
    m = rng.choice(sorted(spots, key=lambda m: m.start()))
    return sentence[: m.start()] + NEWS_SYNONYMS[m.group(0)] + sentence[m.end():]


def substitutions(premise: str, hypothesis: str) -> list[tuple[str, str, str]]:
    """(words, their replacement, premise with only that replacement) for each one- or
    two-word swap of lowercase content words between two restatements of one fact; the other
    differences are left out, so the variant differs from the premise by one swap."""
    toks = [(m.group(), m.start(), m.end()) for m in TOKEN.finditer(premise)]
    other = [m.group() for m in TOKEN.finditer(hypothesis)]
    match = difflib.SequenceMatcher(a=[t[0].lower() for t in toks], b=[t.lower() for t in other], autojunk=False)
    out = []
    for op, i1, i2, j1, j2 in match.get_opcodes():
        if op != "replace" or not (1 <= i2 - i1 <= 2 and 1 <= j2 - j1 <= 2):
            continue
        a, b = [t[0] for t in toks[i1:i2]], other[j1:j2]
        words = a + b
        if not all(w.isalpha() and w.islower() for w in words) or any(w in _CHANGING for w in words):
            continue
        if all(w in STOP_WORDS for w in a) or all(w in STOP_WORDS for w in b):
            continue
        old, new = " ".join(a), " ".join(b)
        if old[:4] == new[:4]:  # an inflection or spelling variant ("partner" -> "partners")
            continue
        out.append((old, new, premise[: toks[i1][1]] + new + premise[toks[i2 - 1][2]:]))
    return out


def lexical(faithful: list[tuple[str, str, str]], sentences: list[tuple[str, str]],
            rng: random.Random, table_share: float = 0.3) -> list[tuple]:
    """supports / lexical pairs: swaps mined from restatements of one fact (``faithful``:
    (news id, premise, hypothesis) of close pairs), in their own sentence and in both
    directions; and NEWS_SYNONYMS swaps in a share of ``sentences`` ((sentence, news id))."""
    out = []
    for nid, premise, hyp in faithful:
        if difflib.SequenceMatcher(a=premise.lower().split(), b=hyp.lower().split()).ratio() < 0.6:
            continue
        for old, new, variant in substitutions(premise, hyp):
            pair = (premise, variant) if rng.random() < 0.5 else (variant, premise)
            out.append((nid, *pair, "supports", "news-lexical", "mined"))
    for sentence, nid in sentences:
        if rng.random() < table_share:
            variant = synonym_swap(sentence, rng)
            if variant and variant != sentence:
                out.append((nid, sentence, variant, "supports", "news-lexical", "table"))
    return out


def _news_originals(news: Path, pairs) -> list[tuple[str, str]]:
    """(sentence, news id) of the originals build_news.py edited (its --out folder); their
    held-out stories stay held out here."""
    found = []
    for split in ("train", "heldout"):
        path = news / f"{split}.jsonl"
        for line in path.open(encoding="utf-8") if path.is_file() else []:
            r = json.loads(line)
            if r["source"] == "news-edit":
                found.append((r["premise"], r["news_id"]))
                if split == "heldout":
                    pairs.held.add(r["news_id"])
    return found


def _lexical_rows(pairs, news: Path, rng: random.Random) -> list[tuple]:
    """lexical() over the faithful pairs of build_news.py (--out ``news``) and the cross-outlet
    pairs here, and over the sentences both edited."""
    faithful = [(r["news_id"], r["premise"], r["hypothesis"]) for r in pairs.rows
                if r["source"] == "news-cross-outlet"]
    for split in ("train", "heldout"):
        path = news / f"{split}.jsonl"
        for line in path.open(encoding="utf-8") if path.is_file() else []:
            r = json.loads(line)
            if r["kind"] in build_news.FAITHFUL:
                faithful.append((r["news_id"], r["premise"], r["hypothesis"]))
    sentences = sorted({(r["premise"], r["news_id"]) for r in pairs.rows if r["source"] == "news-specification"})
    return lexical(faithful, sentences + _news_originals(news, pairs), rng)


def _bodies(path: Path) -> dict[str, str]:
    with path.open(encoding="utf-8", errors="replace", newline="") as fh:
        return {r["Body ID"]: r["articleBody"] for r in csv.DictReader(fh)}


def story_groups(root: Path, pairs: list[tuple[str, str]], prefix: str) -> dict[str, list[tuple[str, str]]]:
    """Headline -> [(body key, body)] of the bodies that report that story (agree/discuss)."""
    groups: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for bodies_file, stances_file in pairs:
        bodies = _bodies(root / bodies_file)
        with (root / stances_file).open(encoding="utf-8", errors="replace", newline="") as fh:
            for r in csv.DictReader(fh):
                body = bodies.get(r["Body ID"])
                key = f"{prefix}{bodies_file}:{r['Body ID']}"
                if body and r["Stance"] in ("agree", "discuss") and key not in {k for k, _ in groups[r["Headline"]]}:
                    groups[r["Headline"]].append((key, body[:6000]))
    return {h: g for h, g in groups.items() if len(g) >= 2}


def cross_outlet(groups: dict[str, list[tuple[str, str]]], embedder, rng: random.Random, per_story: int,
                 min_cos: float = 0.85) -> list[tuple[str, str, str]]:
    """(story, premise, hypothesis) sentence pairs from two different bodies of one story that
    say the same thing (same numbers; no capitalised name the premise lacks)."""
    out = []
    for n, (headline, bodies) in enumerate(sorted(groups.items())):
        bodies = bodies[:6]
        sents = build_news.sentences([b for _, b in bodies])
        vecs = [np.asarray(embedder.embed(s), dtype=np.float32) if s else None for s in sents]
        found = []
        for a in range(len(bodies)):
            for b in range(len(bodies)):
                if a == b or vecs[a] is None or vecs[b] is None:
                    continue
                if bodies[a][1][:500] == bodies[b][1][:500]:
                    continue  # the same body filed twice
                sims = vecs[b] @ vecs[a].T
                for k, row in enumerate(sims):
                    j = int(row.argmax())
                    if row[j] < min_cos:
                        continue
                    premise, hyp = sents[a][j], sents[b][k]
                    pn, _ = build_news._facts(premise)
                    hn, hc = build_news._facts(hyp)
                    if pn != hn or {c for c in hc if c.lower() not in premise.lower()}:
                        continue
                    found.append((headline, premise, hyp))
        rng.shuffle(found)
        out += found[:per_story]
    return out


QUOTED = re.compile(r'[“"]([^"“”]{25,})[”"]')


def _quote_shingles(sentence: str, n: int = 6) -> set[tuple[str, ...]]:
    out = set()
    for quoted in QUOTED.findall(sentence):
        words = re.findall(r"[a-z0-9']+", quoted.lower().replace("’", "'"))
        out |= {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}
    return out


def shared_quotes(groups: dict[str, list[tuple[str, str]]], rng: random.Random, per_story: int) -> list[tuple[str, str, str]]:
    """(story, premise, hypothesis): sentences of two different bodies of one story that quote
    the same words (a shared six-word run inside quotation marks) in different framing
    (difflib < 0.9) — 'X said in a statement that "..."' beside '"...," X said'. Labelled
    supports: both report the one statement. v2d/v2e split exactly such pairs on the demo."""
    import difflib

    out = []
    for headline, bodies in sorted(groups.items()):
        bodies = bodies[:6]
        sents = build_news.sentences([b for _, b in bodies])
        shingles = [[(x, _quote_shingles(x)) for x in ss] for ss in sents]
        found = []
        for a in range(len(bodies)):
            for b in range(len(bodies)):
                if a == b or bodies[a][1][:500] == bodies[b][1][:500]:
                    continue
                for premise, sp in shingles[a]:
                    for hyp, sh in shingles[b]:
                        if sp & sh and difflib.SequenceMatcher(None, premise, hyp).ratio() < 0.9:
                            found.append((headline, premise, hyp))
        found = sorted(set(found))
        rng.shuffle(found)
        out += found[:per_story]
    return out


def training_groups(data: Path) -> dict[str, list[tuple[str, str]]]:
    """Multi-outlet stories of the FNC-1 training stances and ARC train (never the
    competition test bodies: those are the probe's)."""
    return story_groups(data / "train" / "fnc1",
                        [("FNC/train_bodies.csv", "metaclassifier_corpus_9_1/train_train_stances.csv"),
                         ("FNC/train_bodies.csv", "metaclassifier_corpus_9_1/train_test_stances.csv"),
                         ("ARC/arc_bodies.csv", "ARC/arc_stances_train.csv")], "train:")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=HERE.parents[1] / "shared" / "data")
    ap.add_argument("--out", type=Path, default=HERE / "work" / "spec")
    ap.add_argument("--seed", type=int, default=23)
    ap.add_argument("--fnc-bodies", type=int, default=1500)
    ap.add_argument("--per-story", type=int, default=8, help="cross-outlet pairs per story, at most")
    ap.add_argument("--rederive", action="store_true",
                    help="reuse --out's parsed pairs and only (re)make the derived ones (see derived())")
    args = ap.parse_args()
    from corroborator.runtime.embedder import default_embedder
    from corroborator.text.parsing import load_spacy

    rng = random.Random(args.seed)
    if args.rederive:
        pairs = build_news.Pairs(set())
        for split in ("train", "heldout"):
            for line in (args.out / f"{split}.jsonl").open(encoding="utf-8"):
                r = json.loads(line)
                if r["source"] not in ("news-more-specific", "news-same-subject", "news-attribution",
                                       "news-lexical") \
                        and r["kind"] != "shared-quote":
                    if split == "heldout":
                        pairs.held.add(r["news_id"])
                    pairs.add(r["news_id"], r["premise"], r["hypothesis"], r["label"], r["source"], r["kind"])
        for row in derived(pairs.rows, rng, sentences=_news_originals(args.out.parent / "news", pairs)):
            pairs.add(*row)
        for headline, premise, hyp in shared_quotes(training_groups(args.data), rng, args.per_story):
            pairs.add(f"fnc:{headline}", premise, hyp, "supports", "news-cross-outlet", "shared-quote")
        for row in _lexical_rows(pairs, args.out.parent / "news", rng):
            pairs.add(*row)
        pairs.write(args.out, rng)
        return
    stories = build_news.read_stories(args.data)
    extra = build_news.fnc_bodies(args.data, args.fnc_bodies)
    texts = {nid: s["original"] for nid, s in stories.items()} | {nid: s["original"] for nid, s in extra.items()}
    pairs = build_news.Pairs({nid for nid in stories if build_news.held_out(nid)})
    add = pairs.add

    nlp = load_spacy(full=True)
    ids = sorted(texts)
    print(f"{len(ids)} articles", flush=True)
    for n, (nid, doc) in enumerate(zip(ids, nlp.pipe((texts[i][:20000] for i in ids), batch_size=32))):
        for sent in doc.sents:
            text = sent.text.strip()
            if not 6 <= len(text.split()) <= 60:
                continue
            ents = [(e.text.strip(), e.label_) for e in sent.ents if len(e.text.strip()) >= 2]
            options = specifications(text, ents, rng)
            for kind in rng.sample(sorted(options), min(2, len(options))):
                add(nid, text, options[kind], "supports", "news-specification", kind)
                if kind in ("drop-date", "number-bound") and rng.random() < 0.5:
                    add(nid, options[kind], text, "neutral", "news-underspecified", kind)
        if n % 500 == 0:
            print(f"{n}/{len(ids)} articles, {len(pairs.rows)} pairs", flush=True)

    embedder = default_embedder()
    groups = training_groups(args.data)
    print(f"{len(groups)} multi-outlet stories", flush=True)
    for headline, premise, hyp in cross_outlet(groups, embedder, rng, args.per_story):
        add(f"fnc:{headline}", premise, hyp, "supports", "news-cross-outlet", "cross-outlet")
    for headline, premise, hyp in shared_quotes(groups, rng, args.per_story):
        add(f"fnc:{headline}", premise, hyp, "supports", "news-cross-outlet", "shared-quote")

    for row in derived(pairs.rows, rng, sentences=_news_originals(args.out.parent / "news", pairs)):
        pairs.add(*row)
    for row in _lexical_rows(pairs, args.out.parent / "news", rng):
        pairs.add(*row)
    pairs.write(args.out, rng)


if __name__ == "__main__":
    main()
