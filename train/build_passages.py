"""Passage pairs for verifier v3 (issue 24): premise = 1-3 consecutive sentences of a real
news original, the format `check` verifies against (check/verify_stage.py reads the closest
sentence alone, with the one before and with the one after).

    .venv/bin/python train/build_passages.py [--data ../shared/data] [--out train/work/passages]

Run with the runtime environment (corroborator's sentence splitter and embedder). Stories are
the LLMFake CoAID/GossipCop and PolitiFact stories of train/build_news.py, split by the same
hash (sha256(news_id) even = held out): pairs of held-out stories go to heldout.jsonl only.

Rows {"premise", "hypothesis", "label", "source": "passage", "kind", "news_id", "split"}:
- supports / paraphrase: a sentence of a faithful retelling (paraphrase or rewrite generation)
  against the passage of the original that carries its facts: the closest original sentence
  alone or with its neighbours, the smallest window that holds every number and capitalised
  name of the claim and 60 % of its content words (half when the closest sentence is at
  cosine >= 0.8: a retelling uses its own words; a third let retellings that add a clause
  through). kind "multi" when no single
  sentence does (the fact is spread over two or three sentences); "single-in-passage" when
  the closest sentence suffices but is shown with a neighbour, as check shows it.
- supports / identity-in-passage: an original sentence against the passage that holds it.
- supports / same-meaning-*: the counterweight to the edits, the same pair with one reference or
  word worded differently and the meaning kept: `surname` (a full name in the claim shortened to
  its last word), `pronoun` (a name the passage repeats written as his/her/its/their the second
  time), `misspelt` (a name in the passage with a doubled or swapped letter), `synonym` (a word of
  the claim for one of the same meaning: said -> stated, more than -> over).
- refutes / edit: the paraphrase claim with one fact changed against the same passage (a
  number, a capitalised name swapped for another of the article's that is not a word of the same
  name, negation, an antonym).
- refutes / reversal: a stance reversal of the claim ("not just" -> "solely", "failed to" ->
  "managed to", "misinformed" -> "well informed", "all" -> "only some", negated comparatives).
- neutral / other-story: the claim against the closest passage of *another* story (same
  topic, other event: cosine 0.45-0.80 and under 40 % of the claim's content words) - the
  trap that made reports of different drills back each other.
- neutral / same-story-far: the claim against a passage of its own original that shares
  little with it (cosine under 0.45).
"""

from __future__ import annotations

import argparse
import difflib
import random
import re
from pathlib import Path

import numpy as np
from build_news import ANTONYMS, NUMBER, Pairs, _facts, held_out, read_stories, sentences

HERE = Path(__file__).resolve().parent
WORD = re.compile(r"[A-Za-z][A-Za-z'-]+")
NAME = re.compile(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*\b")
REVERSALS: list[tuple[str, str]] = [
    (r"\bnot (?:just|only|merely)\b", "solely"),
    (r"\b(?:solely|exclusively)\b", "not just"),
    (r"\bfailed to\b", "managed to"),
    (r"\bmanaged to\b", "failed to"),
    (r"\brefused to\b", "agreed to"),
    (r"\bagreed to\b", "refused to"),
    (r"\bsucceeded\b", "failed"),
    (r"\bmisinformed\b", "well informed"),
    (r"\bmisleading\b", "accurate"),
    (r"\baccurate\b", "misleading"),
    (r"\bfalse\b", "true"),
    (r"\btrue\b", "false"),
    (r"\billegal\b", "legal"),
    (r"\blegal\b", "illegal"),
    (r"\bsafe\b", "dangerous"),
    (r"\beffective\b", "ineffective"),
    (r"\bineffective\b", "effective"),
    (r"\bconfirmed\b", "denied"),
    (r"\bpraised\b", "criticized"),
    (r"\bcriticized\b", "praised"),
    (r"\bwelcomed\b", "condemned"),
    (r"\bcondemned\b", "welcomed"),
    (r"\bguilty\b", "innocent"),
    (r"\bstrong\b", "weak"),
    (r"\bweak\b", "strong"),
    (r"\bin favor of\b", "against"),
    (r"\beveryone\b", "no one"),
    (r"\bno one\b", "everyone"),
    (r"\ball\b", "only some"),
    (r"\balways\b", "rarely"),
    (r"\bnever\b", "often"),
    (r"\bmore (\w+) than\b", r"no more \1 than"),
    (r"\b(\w{3,}er) than\b", r"no \1 than"),
    (r"\bcontinues? to\b", "stopped trying to"),
    (r"\bbegan\b", "ended"),
    (r"\bstarted\b", "stopped"),
]
TITLES = {"Senator", "Sen", "President", "Governor", "Gov", "Rep", "Representative", "Mr", "Mrs", "Ms", "Dr",
          "Minister", "Prime", "Secretary", "Mayor", "General", "Judge", "Justice", "Chief", "Director"}
# has/have/had only as auxiliaries ("had risen"), never "had 1,200 cases" (as build_news.edits)
AUX_NOT = re.compile(r"\b(?:is|are|was|were|will|would|could|should|did|can|(?:has|have|had)(?= (?:been|\w+ed|\w+en)\b))\b")


def _stop_words() -> set[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return set(STOP_WORDS)


STOP = _stop_words()


def content(text: str) -> set[str]:
    return {w.lower().rstrip("s") for w in WORD.findall(text) if len(w) > 2 and w.lower() not in STOP}


def names(text: str) -> set[str]:
    """Capitalised words that are names, not the sentence's first word."""
    found = set()
    for m in NAME.finditer(text):
        words = m.group(0).split()
        if m.start() == 0 or text[max(0, m.start() - 2): m.start()].strip() in (".", '"', "“"):
            words = words[1:]  # a sentence's first word is capitalised anyway
        found |= {w for w in words if w.lower() not in STOP and w not in TITLES}
    return found


def carried(claim: str, passage: str) -> tuple[bool, float]:
    """Does the passage hold every number and name of the claim; the share of its content words."""
    words = content(claim)
    share = len(words & content(passage)) / max(1, len(words))
    low = passage.lower()
    ok = _facts(claim)[0] <= _facts(passage)[0] and all(n.lower() in low for n in names(claim))
    return ok, share


def windows(n: int, j: int) -> list[tuple[int, int]]:
    """Windows [a, b) of 1-3 consecutive sentences holding sentence j, smallest first."""
    out = [(j, j + 1)]
    out += [w for w in ((j - 1, j + 1), (j, j + 2)) if w[0] >= 0 and w[1] <= n]
    out += [w for w in ((j - 2, j + 1), (j - 1, j + 2), (j, j + 3)) if w[0] >= 0 and w[1] <= n]
    return out


def linked_names(sentences_: list[str]) -> dict[str, set[str]]:
    """Each name word -> the words it shares a capitalised run with anywhere in the article
    ("Donald Trump", "President Trump": Trump -> {Donald, President}): words of one name."""
    out: dict[str, set[str]] = {}
    for s in sentences_:
        for m in NAME.finditer(s):
            words = m.group(0).split()
            for w in words:
                out.setdefault(w, set()).update(x for x in words if x != w)
    return out


# Same meaning, one word or reference different (issue 24, the counterweight to the one-fact
# edits): v3 learned "one word differs = refutes" from the edits alone and called 16 % of
# held-out paraphrase passages refutes ("the FBI's track record" against "their track record").
SYNONYMS = {
    "said": "stated", "says": "states", "told": "informed", "announced": "said", "stated": "said",
    "about": "roughly", "nearly": "almost", "almost": "nearly", "approximately": "about",
    "more than": "over", "over": "more than", "at least": "no fewer than",
    "people": "individuals", "children": "kids", "kids": "children", "doctors": "physicians",
    "began": "started", "started": "began", "start": "begin", "begin": "start",
    "buy": "purchase", "bought": "purchased", "help": "assist", "helped": "assisted",
    "shows": "indicates", "showed": "indicated", "big": "large", "large": "big",
    "rise": "increase", "rose": "increased", "increase": "rise", "fell": "dropped", "dropped": "fell",
    "died": "passed away", "killed": "left dead", "vehicle": "car", "car": "vehicle",
    "quickly": "rapidly", "rapidly": "quickly", "recently": "lately", "residents": "locals",
    "officials": "authorities", "authorities": "officials", "country": "nation", "nation": "country",
    "claimed": "asserted", "asserted": "claimed", "revealed": "disclosed", "disclosed": "revealed",
    "received": "got", "obtained": "acquired", "major": "significant", "significant": "major",
    "because of": "due to", "due to": "because of", "however": "but", "also": "too",
}
ORG_WORDS = {"Department", "Agency", "Bureau", "Company", "Corporation", "Inc", "Party", "Committee",
             "Council", "Ministry", "University", "Association", "Organization", "Commission", "Court",
             "Administration", "Office", "Service", "Police", "Army", "Navy", "Congress", "Senate"}


def _possessive(name: str, article: str) -> str:
    if name.isupper() or any(w in ORG_WORDS for w in name.split()):
        return "its"
    he = len(re.findall(r"\b(?:he|his|him)\b", article, re.I))
    she = len(re.findall(r"\b(?:she|her|hers)\b", article, re.I))
    return "his" if he > 2 * she else "her" if she > 2 * he else "their"


def same_meaning(claim: str, sents: list[str], article: str, rng: random.Random) -> tuple[str, str, str] | None:
    """(kind, passage, claim) that say the same as (passage, claim) with one reference or word
    worded differently: a full name shortened to its surname in the claim, a name the passage
    repeats written as a possessive pronoun the second time, a misspelt name in the passage, a
    synonym in the claim. None when none applies."""
    passage = " ".join(sents)
    options = []
    for m in NAME.finditer(claim):
        words = m.group(0).split()
        if len(words) >= 2 and m.start() > 0 and m.group(0) in passage and words[-1] not in TITLES \
                and not any(w in ORG_WORDS for w in words):
            options.append(("surname", passage, claim[: m.start()] + words[-1] + claim[m.end():]))
            break
    # the second mention of a name the claim carries, as a pronoun: "X's" -> his/her/its/their,
    # a sentence-opening "X said" -> "He said"
    for m in re.finditer(r"(?:\b[Tt]he )?\b([A-Z]\w*(?: [A-Z]\w*)*)('s\b| (?=said|says|told|added|announced|noted|argued|wrote)|)", passage):
        name, tail = m.group(1), m.group(2)
        if not tail or name not in claim or name in TITLES or passage.find(name) >= m.start(1):
            continue
        word = _possessive(name, article)
        if tail == "'s":
            new = word
        elif m.start() == 0 or passage[m.start() - 2: m.start()] == ". ":
            new = {"his": "He", "her": "She", "its": "It", "their": "They"}[word] + " "
        else:
            continue
        options.append(("pronoun", passage[: m.start()] + new + passage[m.end():], claim))
        break
    spell = [w for w in names(passage) if len(w) >= 6 and w.isalpha() and w in claim]
    if spell:
        w = rng.choice(sorted(spell))
        i = rng.randrange(2, len(w) - 2)
        typo = w[:i] + w[i] + w[i:] if rng.random() < 0.5 else w[:i] + w[i + 1] + w[i] + w[i + 2:]
        if typo != w:
            options.append(("misspelt", re.sub(rf"\b{re.escape(w)}\b", typo, passage, count=1), claim))
    keys = [k for k in SYNONYMS if re.search(rf"\b{re.escape(k)}\b", claim)]
    if keys:
        k = rng.choice(sorted(keys))
        options.append(("synonym", passage, re.sub(rf"\b{re.escape(k)}\b", SYNONYMS[k], claim, count=1)))
    options = [o for o in options if (o[1], o[2]) != (passage, claim)]
    return rng.choice(options) if options else None


def reversal(sentence: str, rng: random.Random) -> str | None:
    options = [(p, r) for p, r in REVERSALS if re.search(p, sentence)]
    if not options:
        return None
    pattern, repl = rng.choice(options)
    m = re.search(pattern, sentence)
    new = m.expand(repl)
    if m.group(0)[:1].isupper():
        new = new[:1].upper() + new[1:]
    return sentence[: m.start()] + new + sentence[m.end():]


def edit(claim: str, article_names: list[str], article_numbers: list[str], rng: random.Random,
         linked: dict[str, set[str]] | None = None) -> tuple[str, str] | None:
    """One fact of the claim changed: a number, a name (not a word of the same name: `linked`),
    negation or an antonym."""
    options = []
    found = [m.group(0) for m in NUMBER.finditer(claim)]
    if found:
        target = rng.choice(found)
        pool = [x for x in article_numbers if x.replace(",", "") != target.replace(",", "")]
        if pool:
            new = rng.choice(pool)
        else:
            value = float(target.replace(",", ""))
            scaled = rng.choice([value * 2, value * 3, value + 10, max(1.0, value / 2)])
            new = str(int(scaled)) if float(scaled).is_integer() else f"{scaled:.1f}"
        if new != target:
            options.append(("number", re.sub(rf"(?<![\w.,]){re.escape(target)}(?![\w])", new, claim, count=1)))
    mentions = sorted(names(claim))
    if mentions:
        mention = rng.choice(mentions)
        # never a word of the same name ("Donald" for "Trump" is the same person: swapping it in
        # taught v3 that a coreferent reads as a contradiction)
        same = (linked or {}).get(mention, set())
        pool = [x for x in article_names
                if x.lower() not in claim.lower() and len(x) > 2 and x not in same and x not in TITLES]
        if pool:
            options.append(("name", re.sub(rf"\b{re.escape(mention)}\b", rng.choice(pool), claim, count=1)))
    m = AUX_NOT.search(claim)
    if m and " not " not in claim and "n't" not in claim:
        word = m.group(0)
        options.append(("negation", claim[: m.start()] + ("cannot" if word == "can" else word + " not") + claim[m.end():]))
    keys = [k for k in ANTONYMS if re.search(rf"\b{re.escape(k)}\b", claim)]
    if keys:
        k = rng.choice(sorted(keys))
        options.append(("antonym", re.sub(rf"\b{re.escape(k)}\b", ANTONYMS[k], claim, count=1)))
    options = [(kind, text) for kind, text in options if text != claim]
    return rng.choice(options) if options else None


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=HERE.parents[1] / "shared" / "data")
    ap.add_argument("--out", type=Path, default=HERE / "work" / "passages")
    ap.add_argument("--seed", type=int, default=31)
    ap.add_argument("--per-version", type=int, default=8, help="claims per faithful version, at most")
    ap.add_argument("--limit", type=int, default=0, help="only the first N stories (a smoke run)")
    args = ap.parse_args()
    from corroborator.runtime.embedder import default_embedder

    rng = random.Random(args.seed)
    # its own stream: adding the same-meaning twins leaves every other pair as it was
    twin_rng = random.Random(args.seed + 1)
    stories = read_stories(args.data)
    ids = sorted(nid for nid in stories if stories[nid]["faithful"])
    if args.limit:
        ids = ids[: args.limit]
    print(f"{len(ids)} stories with a faithful version", flush=True)
    embedder = default_embedder()
    orig = dict(zip(ids, sentences([stories[i]["original"] for i in ids])))
    ids = [i for i in ids if len(orig[i]) >= 3]
    # every original sentence, embedded once; other-story neutrals search all of them
    flat = [(nid, j) for nid in ids for j in range(len(orig[nid]))]
    vecs = np.asarray(embedder.embed([orig[nid][j] for nid, j in flat]), dtype=np.float32)
    index_of = {nid: k for k, nid in enumerate(ids)}
    owner = np.array([index_of[nid] for nid, _ in flat])
    start = {}
    for k, (nid, j) in enumerate(flat):
        start.setdefault(nid, k)
    pairs = Pairs({nid for nid in ids if held_out(nid)})
    add = pairs.add

    for n, nid in enumerate(ids):
        sents = orig[nid]
        text = stories[nid]["original"]
        article_names = sorted({w for s in sents for w in names(s)})
        article_numbers = [m.group(0) for m in NUMBER.finditer(text)]
        linked = linked_names(sents)
        ovec = vecs[start[nid]: start[nid] + len(sents)]
        claims = []
        for _method, gen in stories[nid]["faithful"]:
            gs = sentences([gen])[0]
            claims += rng.sample(gs, min(args.per_version, len(gs)))
        if not claims:
            continue
        cvec = np.asarray(embedder.embed(claims), dtype=np.float32)
        sims = cvec @ ovec.T
        for k, claim in enumerate(claims):
            j = int(sims[k].argmax())
            if sims[k, j] < 0.6:
                continue
            chosen = None
            single_ok, single_share = carried(claim, sents[j])
            # a retelling's own words are not the original's: a close sentence (cosine >= 0.8)
            # needs half of the claim's content words, a looser one 60 %
            need = 0.5 if sims[k, j] >= 0.8 else 0.6
            for a, b in windows(len(sents), j):
                ok, share = carried(claim, " ".join(sents[a:b]))
                if ok and share >= need:
                    chosen = (a, b)
                    break
            if chosen is None:
                continue
            if difflib.SequenceMatcher(None, sents[j], claim).ratio() >= 0.95:
                continue  # a copy, not a retelling
            a, b = chosen
            if b - a == 1:
                # shown with a neighbour half of the time, as check shows it
                if rng.random() < 0.5:
                    wide = [w for w in windows(len(sents), j) if w[1] - w[0] == 2]
                    if wide:
                        a, b = rng.choice(wide)
                kind = "single" if b - a == 1 else "single-in-passage"
            else:
                kind = "multi" if not (single_ok and single_share >= need) else "single-in-passage"
            passage = " ".join(sents[a:b])
            add(nid, passage, claim, "supports", "passage", kind)
            twin = same_meaning(claim, sents[a:b], text, twin_rng)
            if twin:
                add(nid, twin[1], twin[2], "supports", "passage", "same-meaning-" + twin[0])
            changed = edit(claim, article_names, article_numbers, rng, linked)
            if changed:
                add(nid, passage, changed[1], "refutes", "passage", "edit-" + changed[0])
            turned = reversal(claim, rng)
            if turned and turned != claim:
                add(nid, passage, turned, "refutes", "passage", "reversal")
            # the same-topic trap: the closest passage of another story
            row = vecs @ cvec[k]
            row[owner == index_of[nid]] = -1
            for cand in np.argsort(-row)[:5]:
                if not 0.45 <= row[cand] <= 0.80:
                    continue
                onid, oj = flat[int(cand)]
                osents = orig[onid]
                wa, wb = rng.choice(windows(len(osents), oj)[:3])
                other = " ".join(osents[wa:wb])
                ok, share = carried(claim, other)
                if share < 0.4 and not ok:
                    add(nid, other, claim, "neutral", "passage", "other-story")
                    break
            far = [i for i in range(len(sents)) if sims[k, i] < 0.45]
            if far and rng.random() < 0.5:
                i = rng.choice(far)
                wa, wb = rng.choice(windows(len(sents), i)[:3])
                if not a <= i < b:
                    add(nid, " ".join(sents[wa:wb]), claim, "neutral", "passage", "same-story-far")
        # an original sentence inside its own passage
        for j in rng.sample(range(len(sents)), min(2, len(sents))):
            wide = [w for w in windows(len(sents), j) if w[1] - w[0] >= 2]
            if wide:
                wa, wb = rng.choice(wide)
                add(nid, " ".join(sents[wa:wb]), sents[j], "supports", "passage", "identity-in-passage")
                twin = same_meaning(sents[j], sents[wa:wb], text, twin_rng)
                if twin:
                    add(nid, twin[1], twin[2], "supports", "passage", "same-meaning-" + twin[0])
        if n % 200 == 0:
            print(f"{n}/{len(ids)} stories, {len(pairs.rows)} pairs", flush=True)
    pairs.write(args.out, rng)


if __name__ == "__main__":
    main()
