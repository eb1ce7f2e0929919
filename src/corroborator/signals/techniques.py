"""Loaded language and other propaganda techniques (a signal family): spans from the token
tagger in propaganda.py (trained on SemEval-2020 Task 11) over every sentence of the article,
each tied to the claim drawn from its sentence when there is one, each with a strength (the
technique's weight x the tagger's probability, halved inside a quotation): what risk weighs;
the summary names strong techniques apart from charged wording."""

from __future__ import annotations

from corroborator.domain import Claim, Signal
from corroborator.registry import signal_families
from corroborator.signals.family import ArticleText, Legend, SignalFamily, claim_share
from corroborator.signals.propaganda import EXPLAIN as TECHNIQUES

def loaded_language(article: ArticleText) -> list[Signal]:
    """Technique spans (subtype = technique name) in every sentence of the article; a span in
    a sentence that several claims come from is listed once per claim, as sourcing is. The
    tagger's reading of the sentences is the article's (shared with sourcing)."""
    text, doc = article.text, article.doc
    claims_of: dict[int, list[str]] = {}
    for claim in article.claims:
        sent = article.sentence_of(claim)
        if sent is not None:
            claims_of.setdefault(sent.start_char, []).append(claim.id)
    out = []
    for sent, reading in zip(article.sentences, article.readings):
        kept = []
        for span in reading.techniques:
            if span.technique not in TECHNIQUES:
                continue
            start, end = sent.start_char + span.start, sent.start_char + span.end
            words = doc.char_span(start, end, alignment_mode="expand")
            if words is None or all(t.is_stop or t.is_punct or t.is_space for t in words):
                continue  # "to", "to their": a fragment with no content word explains nothing
            kept.append((start, end, span.technique, span.score))
        for start, end, technique, also, score in _merged(kept):
            explanation = TECHNIQUES[technique] + (f" (also {', '.join(TECHNIQUES[t].split(':')[0] for t in also)})"
                                                   if also else "")
            # the technique's weight times the tagger's probability for the span: what risk weighs
            strength = TECHNIQUE_STRENGTH.get(technique, 0.5) * score
            if _quoted(text, start, end):
                # a speaker's own words the article reports, not the outlet's: shown, weighed half
                explanation += " (inside a quotation: the speaker's words)"
                strength *= QUOTED
            for claim_id in claims_of.get(sent.start_char, [None]):
                out.append(Signal(type="loaded_language", subtype=technique, span=(start, end),
                                  text=text[start:end], explanation=explanation, claim_id=claim_id,
                                  strength=round(strength, 2)))
    return out


QUOTED = 0.5  # weight of a technique inside a quotation ("we had no choice," said the union's president)


def _quoted(text: str, start: int, end: int) -> bool:
    """Whether [start, end) lies inside a quotation of its paragraph: straight double quotes
    paired by count from the paragraph's start, curly ones by direction, and the quotation
    closing later in the same paragraph (a quotation may run over several sentences; a stray
    mark cannot reach past its paragraph)."""
    para_start = text.rfind("\n\n", 0, start)
    para_start = 0 if para_start < 0 else para_start + 2
    para_end = text.find("\n\n", end)
    before, after = text[para_start:start], text[end : len(text) if para_end < 0 else para_end]
    if before.count('"') % 2 == 1 and '"' in after:
        return True
    return before.count("“") > before.count("”") and "”" in after


def _merged(spans: list[tuple[int, int, str, float]]) -> list[tuple[int, int, str, list[str], float]]:
    """One flag per phrase: overlapping technique spans become one span over all of them,
    named by the technique of the highest weight × probability (name calling at 0.85 over a
    loaded word at 0.9), the others listed ("a shameless lie" was three overlapping flags);
    the last item is that technique's probability."""
    groups: list[list[tuple[int, int, str, float]]] = []
    for span in sorted(spans):
        if groups and span[0] < max(s[1] for s in groups[-1]):
            groups[-1].append(span)
        else:
            groups.append([span])
    out = []
    for group in groups:
        best = max(group, key=lambda s: (TECHNIQUE_STRENGTH.get(s[2], 0.5) * s[3], s[3]))
        also = sorted({s[2] for s in group} - {best[2]})
        out.append((min(s[0] for s in group), max(s[1] for s in group), best[2], also, best[3]))
    return out


def loaded_language_share(signals: list[Signal], claims: int) -> float:
    """Share of claims whose sentence carries a loaded-language or other technique span."""
    return claim_share(signals, claims, lambda s: s.type == "loaded_language")


# How strongly a technique marks a text as slanted, for the risk (issue 23, item 7: name calling
# and fear-mongering are not the same as an ordinary news idiom the tagger calls loaded).
TECHNIQUE_STRENGTH = {
    # how much a technique says about the writer's intent, not how often it occurs: name
    # calling and demonising are chosen, a charged adjective is often ordinary news idiom
    "Name_Calling,Labeling": 1.0,
    "Appeal_to_fear-prejudice": 1.0,
    "Bandwagon,Reductio_ad_hitlerum": 0.9,
    "Flag-Waving": 0.8,
    "Slogans": 0.8,
    "Whataboutism,Straw_Men,Red_Herring": 0.8,
    "Black-and-White_Fallacy": 0.7,
    "Exaggeration,Minimisation": 0.6,
    "Doubt": 0.6,
    "Causal_Oversimplification": 0.6,
    "Thought-terminating_Cliches": 0.6,
    "Repetition": 0.5,
    "Appeal_to_Authority": 0.5,
    "propaganda": 0.5,
    "Loaded_Language": 0.4,
}
STRONG = 0.8  # the summary names techniques of this weight or more apart from charged wording ...
STRONG_FLAG = 0.5  # ... when the flag's strength (weight x probability, halved when quoted) reaches this


def loaded_language_strength(signals: list[Signal], claims: int) -> float:
    """Mean over claims of the strongest flag in the claim's sentence (Signal.strength: the
    technique's weight x the tagger's probability, halved when quoted; 0 without one), so one
    charged adjective weighs less than name calling."""
    strongest: dict[str, float] = {}
    for s in signals:
        if s.type == "loaded_language" and s.claim_id:
            w = s.strength if s.strength is not None else TECHNIQUE_STRENGTH.get(s.subtype, 0.5)
            strongest[s.claim_id] = max(strongest.get(s.claim_id, 0.0), w)
    return sum(strongest.values()) / claims if claims else 0.0


# short names of the strong techniques in summary lines
TECHNIQUE_WORDS = {
    "Name_Calling,Labeling": "name calling", "Appeal_to_fear-prejudice": "appeals to fear or prejudice",
    "Bandwagon,Reductio_ad_hitlerum": "bandwagon or guilt by association", "Flag-Waving": "flag-waving",
    "Slogans": "slogans", "Whataboutism,Straw_Men,Red_Herring": "whataboutism or straw men",
}


def summary(signals: list[Signal], order: list[str]) -> list[tuple[str, list[str]]]:
    """Strong techniques named apart from charged wording: "3 passages of name calling" is not
    "3 idioms"."""
    techniques = [sg for sg in signals if sg.type == "loaded_language" and sg.claim_id]
    # strong: a technique of strong kind the tagger is sure of, in the article's own voice (a
    # quotation halves the strength below STRONG_FLAG)
    strong_kind = [sg for sg in techniques if TECHNIQUE_STRENGTH.get(sg.subtype, 0.5) >= STRONG
                   and (sg.strength or 0.0) >= STRONG_FLAG]
    strong = {sg.claim_id for sg in strong_kind}
    lines = []
    if strong:
        named = sorted({TECHNIQUE_WORDS.get(sg.subtype, sg.subtype) for sg in strong_kind})
        lines.append((f"{sum(i in strong for i in order)} use strong propaganda techniques ({', '.join(named)})",
                      [i for i in order if i in strong]))
    charged = [i for i in order if i in {sg.claim_id for sg in techniques} - strong]
    if charged:
        lines.append((f"{len(charged)} use charged or one-sided wording", charged))
    return lines


FAMILY = signal_families.register("loaded_language", SignalFamily(
    name="loaded_language", detect=loaded_language, summary=summary,
    legend=(Legend("loaded_language", "loaded language and other propaganda techniques", "#f0c8e0", 30),),
    factors={
        # mean over claims of the strongest technique's strength (name calling 1.0 ... an ordinary loaded
        # word 0.4); fitted by bench/fit_risk.py (DESIGN "Issue 23", risk v3)
        "loaded_language_strength": (lambda signals, claims: loaded_language_strength(signals, len(claims)), 1.11),
        # claims whose sentence has a technique span / claims: reported, not weighted (replaced by the strength,
        # which does not count an idiom like name calling)
        "loaded_language_share": (lambda signals, claims: loaded_language_share(signals, len(claims)), 0.0),
    },
))
