"""Sourcing and hedging signals, with spans, before any evidence is looked at.

Sourcing: each claim's sentence is searched for attribution, most concerning first:
- ``documents``: leaked, internal or classified documents ("documents leaked to a think tank");
- ``anonymous``: unnamed sources ("sources close to", "on condition of anonymity", "a senior
  official said", "people familiar with");
- ``vague``: hearsay or unnamed groups ("analysts say", "it is believed", "reportedly",
  "some observers");
- ``on_record``: a named person or organisation with a reporting cue ("said", "according
  to", "in a statement");
- ``none``: the article asserts it itself.
Every concerning class found is a signal; a claim with none of them gets one ``on_record``
or ``none`` signal. Hedging markers (modal verbs, reportative and evidential words) are a
second family. Lexicons are ours; entities come from spaCy's parse.

Loaded language and other propaganda techniques are the third family: spans from the token
classifier in propaganda.py (trained on SemEval-2020 Task 11), over every sentence of the
article, each tied to the claim drawn from its sentence when there is one.
"""

from __future__ import annotations

import re

from corroborator.domain import Claim, Signal
from corroborator.text.parsing import ents_before, ents_in

_FLAGS = re.I
# "seen by the magazine", "obtained by reporters", "reviewed by The Post": a newsroom holds it
_BY_NEWSROOM = (r"(?:obtained|seen|reviewed)\s+by\s+(?:the\s+|a\s+)?(?:(?-i:[A-Z])\w+|newspaper|paper|magazine|"
                r"broadcaster|reporters|journalists|outlet|website|network|station|news\s+agency)\b")
DOCUMENTS = re.compile(
    r"\b(?:leaked|internal|classified|confidential|secret)\s+(?:[a-z-]+\s+){0,2}?"
    r"(?:documents?|memos?|papers|files|emails|cables|reports?|briefings?|assessments?|drafts?|recordings?|"
    r"videos?|footage|audio|messages|correspondence|contracts?|invoices?)\b"
    r"|\b(?:documents?|memos?|papers|files|emails|cables|recordings?|correspondence)\s+(?:that\s+were\s+)?leaked\b"
    r"|\b(?:documents?|memos?|papers|files|emails|cables|messages|texts|figures|data|footage|videos?|recordings?|"
    r"correspondence|minutes|contracts?|invoices?)\s+(?:that\s+were\s+)?" + _BY_NEWSROOM +
    r"|\bleaked\s+to\b",
    _FLAGS,
)
ANONYMOUS = re.compile(
    r"\bsources?\s+(?:close\s+to|familiar\s+with|with\s+knowledge\s+of|inside|within|in\s+the)\b"
    r"|\b(?:on|under)\s+(?:the\s+)?condition\s+of\s+anonymity\b|\bspeaking\s+on\s+background\b"
    r"|\b(?:declined|asked|refused)\s+(?:not\s+)?to\s+be\s+(?:named|identified)\b"
    r"|\b(?:declined|asked|refused)\s+(?:not\s+)?to\s+(?:give|provide|share|disclose)\s+(?:his|her|their)\s+(?:full\s+)?names?\b"
    r"|\b(?:people|persons?)\s+(?:familiar\s+with|briefed\s+on|with\s+(?:direct\s+|first-hand\s+)?knowledge\s+of)\b"
    r"|\ba\s+person\s+(?:familiar|briefed)\b"
    r"|\b(?:a|an|one|two|three|several)\s+(?:senior\s+|high-ranking\s+|government\s+|military\s+|defen[cs]e\s+|"
    r"administration\s+|western\s+|u\.?s\.?\s+|intelligence\s+|ministry\s+)*"
    r"(?:officials?|sources?|diplomats?|insiders?|aides?)\s+(?:said|says|told|who|familiar|close)\b"
    r"|\b(?:unnamed|anonymous)\s+(?:sources?|officials?|insiders?)\b|\binsiders?\s+(?:say|said)\b",
    _FLAGS,
)
# A person described but not named, as the speaker: "said a former navy officer now working as
# an analyst", "according to a retired air force general", "a Western diplomat in Tokyo told
# reporters". Singular or counted ("two officers"); a name right after it makes it on record
# (checked against the parse in sourcing_and_hedging).
_PERSON_NOUNS = (r"(?:officer|official|general|admiral|colonel|commander|captain|soldier|pilot|sailor|analyst|"
                 r"expert|researcher|scientist|economist|diplomat|source|person|employee|worker|engineer|lawyer|"
                 r"attorney|doctor|nurse|teacher|aide|adviser|advisor|staffer|insider|member|executive|manager|"
                 r"investigator|activist|veteran|witness|resident|politician|lawmaker|legislator|negotiator|"
                 r"contractor|agent|spy|defector|student|professor)s?")
DESCRIBED = re.compile(
    r"\b(?:said|says|told\s+(?:\w+\s+){0,2}?|according\s+to|added|wrote|explained)\s*,?\s+"
    r"(?:a|an|one|two|three|four|several)\s+(?:(?!(?:said|says|told|who)\b)[\w'’-]+\s+){0,6}?" + _PERSON_NOUNS + r"\b"
    r"|\b(?:a|an|one|two|three|four|several)\s+(?:former\s+|retired\s+|serving\s+|senior\s+|junior\s+)"
    r"(?:(?!(?:said|says|told|who)\b)[\w'’-]+\s+){0,4}?" + _PERSON_NOUNS + r"\b(?=[^.;]{0,80}?\b(?:said|says|told)\b)",
    _FLAGS,
)
VAGUE = re.compile(
    r"\b(?:some\s+|many\s+|other\s+)?(?:defen[cs]e\s+|military\s+|security\s+|independent\s+|western\s+)?"
    r"(?:analysts|experts|observers|critics|commentators|insiders)\s+(?:in\s+the\s+region\s+)?"
    r"(?:say|said|believe|believed|argue|argued|suggest|suggested|think|claim|claimed|warn|warned|contend)\b"
    r"|(?<!\bthe\s)(?-i:(?<!\b[A-Z][a-z]{2}\s))\bofficials\s+(?:say|said|described|told|believe|believed)\b"
    r"|\b(?:some|others|many)\s+(?:say|said|believe|argue|claim)\b"
    r"|\bit\s+is\s+(?:widely\s+)?(?:believed|thought|said|understood|rumou?red|reported|claimed)\b"
    r"|\b(?:reportedly|allegedly|purportedly|supposedly)\b"
    r"|\baccording\s+to\s+(?:some\s+|many\s+|several\s+)?(?:defen[cs]e\s+|military\s+|security\s+)?"
    r"(?:analysts|experts|observers|reports|rumou?rs)\b"
    r"|\bis\s+said\s+to\b|\brumou?rs?\b",
    _FLAGS,
)
_REPORTING = re.compile(
    r"\b(?:said|says|told|tells|stated|announced|confirmed|added|noted|wrote|declared|testified|"
    r"according\s+to|in\s+a\s+statement|spokes(?:person|man|woman))\b",
    _FLAGS,
)
# Organisations named by what they are ("the defence ministry said", "the school district
# announced"); spokespeople speak on the record for theirs, named or not.
_ORG_NOUNS = {"ministry", "department", "company", "police", "authority", "council", "agency", "government",
              "army", "military", "navy", "court", "office", "commission", "bank", "university", "union",
              "committee", "airline", "hospital", "firm", "school", "club", "board", "parliament", "senate",
              "white", "pentagon", "kremlin", "district", "county", "administration", "embassy", "regulator",
              "institute", "foundation", "organisation", "organization", "party", "service", "corporation",
              "municipality", "spokesperson", "spokesman", "spokeswoman"}
# not "a nurse at the hospital said": the organisation must be the one speaking
_ORG_STATEMENT = re.compile(
    r"(?<!\bat\s)(?<!\bof\s)(?<!\bin\s)(?<!\bfrom\s)(?<!\bfor\s)(?<!\bwith\s)(?<!\bto\s)(?<!\bnear\s)"
    r"\bthe\s+(?:[a-z-]+\s+){0,3}(?:" + "|".join(sorted(_ORG_NOUNS - {"white"})) + r")\s+"
    r"(?:said|says|confirmed|announced|stated|told|added|declared)\b",
    _FLAGS,
)
HEDGES = {
    "modal": re.compile(r"\b(?:may|might|could)\b", _FLAGS),
    "reportative": re.compile(r"\b(?:reportedly|allegedly|purportedly|supposedly|rumou?red)\b", _FLAGS),
    "evidential": re.compile(r"\b(?:suggests?|suggested|appears?\s+to|appeared\s+to|seems?\s+to|seemed\s+to|"
                             r"indicates?|indicated)\b", _FLAGS),
    "probability": re.compile(r"\b(?:possibly|probably|likely|unlikely|perhaps|apparently)\b", _FLAGS),
}
EXPLAIN = {
    "documents": "attributed to leaked, internal or classified documents the reader cannot check",
    "anonymous": "attributed to unnamed sources",
    "vague": "attributed to an unnamed group or to hearsay",
    "on_record": "attributed on the record to a named person or organisation",
    "none": "no attribution: the article asserts it itself",
    "modal": "hedged with a modal verb: a possibility, not a fact",
    "reportative": "presented as second-hand",
    "evidential": "presented as an inference from indirect evidence",
    "probability": "presented as probable, not established",
}
WEAK_SOURCING = {"documents", "anonymous", "vague"}
_NAMED = {"PERSON", "ORG", "GPE", "NORP"}


def _sentence_of(doc, claim: Claim):
    span = doc.char_span(claim.span[0], claim.span[1], alignment_mode="expand")
    return span.sent if span is not None else None


def _signal(kind: str, subtype: str, start: int, end: int, text: str, claim_id: str | None) -> Signal:
    return Signal(type=kind, subtype=subtype, span=(start, end), text=text[start:end], explanation=EXPLAIN[subtype],
                  claim_id=claim_id)


# --- attribution from the parse: who is the subject of the reporting verb? --------------

_REPORT_LEMMAS = {
    "say", "tell", "state", "announce", "confirm", "add", "note", "write", "report", "claim", "suggest",
    "indicate", "show", "reveal", "believe", "argue", "warn", "deny", "insist", "allege", "recommend",
    "estimate", "describe", "apologise", "apologize", "rule", "accuse", "predict", "think", "acknowledge",
    "list", "put", "find", "expect", "speculate", "fear",
    # speech acts a news report attributes (PolNeAR's dev sample, tune part: sources of these went unfound)
    "recall", "explain", "assert", "mention", "praise", "agree", "accuse", "promise", "vow", "urge",
    "complain", "testify", "question", "criticize", "criticise", "demand", "caution", "concede", "admit",
    "emphasize", "emphasise", "stress", "point", "ask", "respond", "reply", "tweet", "post", "declare",
    "announce", "disclose", "maintain", "contend", "counter", "blame", "defend", "dismiss", "reject",
    "propose", "pledge", "threaten", "concede", "acknowledge", "observe", "remark", "comment", "recount",
}
_HEARSAY_PASSIVE = {"rumour", "rumor", "say", "believe", "think", "report", "allege", "understand", "suggest", "claim"}
_ROLE_NOUNS = {
    "official", "diplomat", "source", "person", "aide", "insider",
    "officer", "member", "employee", "staffer", "executive", "lawmaker", "adviser", "advisor", "negotiator",
}
_DOC_NOUNS = {"document", "memo", "email", "file", "report", "recording", "draft", "cable", "paper", "letter",
              "assessment", "briefing", "transcript", "minute", "note", "video", "footage", "audio", "message",
              "correspondence", "commentary", "editorial", "article", "column", "broadcast"}
_SECRET_WORDS = {"leaked", "leak", "internal", "classified", "confidential", "secret", "unpublished", "public"}
_VAGUE_NOUNS = {"analyst", "expert", "observer", "critic", "commentator", "economist", "media", "rumour", "rumor",
                "witness", "resident", "people", "some", "others", "many", "researcher", "scientist", "report",
                "medium", "user", "watcher", "blogger", "netizen"}


def _classify_source(np) -> str | None:
    """Sourcing class of the noun phrase that reports (the subject of "said", the object of
    "according to"), or None when it tells nothing (a pronoun)."""
    head = np.root
    lemma = head.lemma_.lower()
    words = {t.lower_ for t in np} | {t.lemma_.lower() for t in np}
    if head.pos_ == "PRON":
        return None
    if lemma in _DOC_NOUNS and (words & _SECRET_WORDS or "not" in words or re.search(_BY_NEWSROOM, np.text, _FLAGS)):
        return "documents"
    people = [e for e in ents_in(np) if e.label_ == "PERSON"]
    if people:
        return "on_record"
    plural = head.tag_ in {"NNS", "NNPS"}
    described = any(t.like_num or t.lower_ in {"several", "a", "an", "one", "few"} or t.dep_ in {"amod", "compound"}
                    for t in np if t.i < head.i)
    if lemma in _ROLE_NOUNS:
        # "a Western diplomat", "two officials", "senior administration officials": unnamed
        # individuals; bare "officials", "lawmakers": an unnamed group
        return "vague" if plural and not described else "anonymous"
    if plural and any(e.label_ == "NORP" and e.root == head for e in ents_in(np)):
        return "vague"  # "Republicans", "Democrats": a party or people as a group
    if lemma in _DOC_NOUNS and any(e.label_ == "ORG" for e in ents_in(np)):
        return "on_record"  # "a report by the World Bank" (a place is not an author: "a report from Russia")
    if lemma in _VAGUE_NOUNS or lemma in _DOC_NOUNS:
        return "vague"
    if any(e.label_ in {"ORG", "GPE", "NORP"} for e in ents_in(np)) or lemma in _ORG_NOUNS or head.pos_ == "PROPN":
        return "on_record"
    return None


def _parsed_sources(sent) -> list[tuple[str, int, int]]:
    """(class, start, end) of each attribution the dependency parse shows in a sentence."""
    found = []
    for tok in sent:
        lemma = tok.lemma_.lower()
        if tok.lower_ == "according" and any(c.lower_ == "to" for c in tok.children):
            to = next(c for c in tok.children if c.lower_ == "to")
            for obj in (c for c in to.children if c.dep_ == "pobj"):
                np = tok.doc[obj.left_edge.i : obj.right_edge.i + 1]
                kind = _classify_source(np)
                if kind:
                    found.append((kind, np.start_char, np.end_char))
            continue
        if tok.pos_ not in {"VERB", "AUX"} or lemma not in _REPORT_LEMMAS | _HEARSAY_PASSIVE:
            continue
        subjects = [c for c in tok.children if c.dep_ in {"nsubj", "nsubjpass"}]
        passive = any(c.dep_ == "auxpass" for c in tok.children) or tok.tag_ == "VBN" and any(
            c.dep_ == "nsubjpass" for c in tok.children)
        if passive and lemma in _HEARSAY_PASSIVE:
            # "it has been suggested that", "the couple are rumoured to"
            found.append(("vague", tok.left_edge.idx if subjects else tok.idx, tok.idx + len(tok)))
            continue
        if lemma not in _REPORT_LEMMAS:
            continue
        for subj in subjects:
            np = tok.doc[subj.left_edge.i : subj.right_edge.i + 1]
            if subj.pos_ == "PRON" and subj.lower_ in _SPEAKER_PRONOUNS:
                found.append(("pronoun", subj.idx, subj.idx + len(subj)))  # resolved by the caller
                continue
            kind = _classify_source(np)
            if kind:
                found.append((kind, np.start_char, np.end_char))
    return found


_SPEAKER_PRONOUNS = {"he", "she", "they"}


def _resolve_pronoun(pronoun: str, last_person: bool, previous: str | None) -> str:
    """A reporting verb's pronoun subject: "he"/"she" is on record when the article has named a
    person before; "they" takes the sourcing of the previous attributed sentence (the officials,
    the sources it refers to); otherwise whoever it is stays unknown: vague. The country or
    ministry named earlier in the sentence is not the speaker ("Japan joined, they said")."""
    if pronoun in ("he", "she"):
        return "on_record" if last_person else "vague"
    return previous or "vague"


def sentence_sources(sent, doc, previous: str | None = None) -> list[tuple[str, int, int]]:
    """(class, start, end) of the sourcing a sentence shows, most telling first; empty when
    it attributes nothing (the article asserts it). Lexicons first (documents, anonymous,
    described-but-unnamed people, vague), then the dependency parse for what they missed; on
    record only when nothing concerning was found. ``previous`` is the class of the last
    attributed sentence, for a "they said"."""
    base, stext = sent.start_char, sent.text
    found: list[tuple[str, int, int]] = []
    lexical: set[str] = set()
    people = [(e.start_char, e.end_char) for e in ents_in(sent) if e.label_ == "PERSON"]
    for subtype, pattern in (("documents", DOCUMENTS), ("anonymous", ANONYMOUS), ("anonymous", DESCRIBED),
                             ("vague", VAGUE)):
        for m in pattern.finditer(stext):
            start, end = base + m.start(), base + m.end()
            if pattern is DESCRIBED and (subtype in lexical or any(start <= a <= end + 40 for a, _ in people)):
                continue  # already flagged, or named right after ("a ministry official, Kim Min-su, said")
            found.append((subtype, start, end))
            lexical.add(subtype)
    parsed = []
    for subtype, start, end in _parsed_sources(sent):
        if subtype == "pronoun":
            last_person = any(e.label_ == "PERSON" for e in ents_before(doc, start))
            subtype = _resolve_pronoun(stext[start - base:end - base].lower(), last_person, previous)
        parsed.append((subtype, start, end))
    found += [p for p in parsed if p[0] in WEAK_SOURCING and p[0] not in lexical]
    if found:
        return found
    if parsed:  # on record by the parse (every speaker), or a resolved pronoun ("they said" after named officials)
        return parsed
    cue = _REPORTING.search(stext)
    named = [e for e in ents_in(sent) if e.label_ in _NAMED]
    org = _ORG_STATEMENT.search(stext)
    # the named speaker sits next to its cue ("..., the Pentagon said", "Kim said"); a name
    # further away is what the sentence is about ("South Korea ..., the commentary said")
    near = [e for e in named if cue and min(abs(e.end_char - (base + cue.start())),
                                            abs(e.start_char - (base + cue.end()))) <= 6]
    if near:
        source = min(near, key=lambda e: abs(e.start_char - (base + cue.start())))
        return [("on_record", source.start_char, source.end_char)]
    if org:
        return [("on_record", base + org.start(), base + org.end())]
    return []


def attributed_sources(doc) -> list[tuple[str, int, int]]:
    """sentence_sources() over every sentence of a parsed article, in order."""
    out, previous = [], None
    for sent in doc.sents:
        found = sentence_sources(sent, doc, previous)
        if found:
            previous = min((c for c, _, _ in found), key=ORDER.index)
        out += found
    return out


def sourcing_and_hedging(text: str, doc, claims: list[Claim]) -> list[Signal]:
    """Signals for each claim's sentence (spans into ``text``); each sentence is read once
    and its signals go to the first claim drawn from it."""
    out: list[Signal] = []
    seen_sentences: set[int] = set()
    previous: str | None = None  # sourcing of the last attributed sentence, for "they said"
    for claim in claims:
        sent = _sentence_of(doc, claim)
        if sent is None or sent.start_char in seen_sentences:
            if sent is not None:  # a second claim of the same sentence shares its sourcing
                first = next((s for s in out if s.type == "sourcing" and s.span[0] >= sent.start_char
                              and s.span[1] <= sent.end_char), None)
                if first is not None:
                    out.append(first.model_copy(update={"claim_id": claim.id}))
            continue
        seen_sentences.add(sent.start_char)
        found = sentence_sources(sent, doc, previous)
        for subtype, start, end in found:
            out.append(_signal("sourcing", subtype, start, end, text, claim.id))
        if found:
            previous = min((c for c, _, _ in found), key=ORDER.index)
        else:
            out.append(_signal("sourcing", "none", claim.span[0], claim.span[1], text, claim.id))
        for subtype, pattern in HEDGES.items():
            if subtype == "reportative":
                continue  # already a vague-sourcing signal; one flag per phrase
            for m in pattern.finditer(sent.text):
                out.append(_signal("hedging", subtype, sent.start_char + m.start(), sent.start_char + m.end(), text,
                                   claim.id))
    return out


def loaded_language(text: str, doc, claims: list[Claim], tagger=None) -> list[Signal]:
    """Technique spans (subtype = technique name) in every sentence of the article; a span in
    a sentence that several claims come from is listed once per claim, as sourcing is."""
    from corroborator.signals.propaganda import ANY, default_tagger
    from corroborator.signals.propaganda import EXPLAIN as TECHNIQUES

    tagger = tagger or default_tagger()
    sentences = [s for s in doc.sents if s.text.strip()]
    if not sentences:
        return []
    claims_of: dict[int, list[str]] = {}
    for claim in claims:
        sent = _sentence_of(doc, claim)
        if sent is not None:
            claims_of.setdefault(sent.start_char, []).append(claim.id)
    out = []
    for sent, spans in zip(sentences, tagger.tag([s.text for s in sentences])):
        kept = []
        for span in spans:
            if span.technique == ANY or span.technique not in TECHNIQUES:
                continue
            start, end = sent.start_char + span.start, sent.start_char + span.end
            words = doc.char_span(start, end, alignment_mode="expand")
            if words is None or all(t.is_stop or t.is_punct or t.is_space for t in words):
                continue  # "to", "to their": a fragment with no content word explains nothing
            kept.append((start, end, span.technique, span.score))
        for start, end, technique, also in _merged(kept):
            explanation = TECHNIQUES[technique] + (f" (also {', '.join(TECHNIQUES[t].split(':')[0] for t in also)})"
                                                   if also else "")
            for claim_id in claims_of.get(sent.start_char, [None]):
                out.append(Signal(type="loaded_language", subtype=technique, span=(start, end),
                                  text=text[start:end], explanation=explanation, claim_id=claim_id))
    return out


def _merged(spans: list[tuple[int, int, str, float]]) -> list[tuple[int, int, str, list[str]]]:
    """One flag per phrase: overlapping technique spans become one span over all of them,
    named by the most confident technique, the others listed ("a shameless lie" was three
    overlapping flags)."""
    groups: list[list[tuple[int, int, str, float]]] = []
    for span in sorted(spans):
        if groups and span[0] < max(s[1] for s in groups[-1]):
            groups[-1].append(span)
        else:
            groups.append([span])
    out = []
    for group in groups:
        best = max(group, key=lambda s: s[3])
        also = sorted({s[2] for s in group} - {best[2]})
        out.append((min(s[0] for s in group), max(s[1] for s in group), best[2], also))
    return out


def article_signals(text: str, doc, claims: list[Claim], tagger=None) -> list[Signal]:
    """All three families, as every report and `corroborator signals` show them; ``tagger``:
    the propaganda-technique model (the application object's; the packaged one if None)."""
    return sourcing_and_hedging(text, doc, claims) + loaded_language(text, doc, claims, tagger)


ORDER = ["documents", "anonymous", "vague", "on_record", "none"]


def sentence_sourcing(doc) -> str:
    """The most concerning sourcing class of a one-sentence doc (for the labelled cases)."""
    if not doc.text.strip():
        return "none"
    claim = Claim(id="s", text=doc.text, span=(0, len(doc.text)), kind="event", sentence=doc.text)
    found = {s.subtype for s in sourcing_and_hedging(doc.text, doc, [claim]) if s.type == "sourcing"}
    return min(found, key=ORDER.index)


def count(signals: list[Signal]) -> dict[str, dict[str, int]]:
    """Signals per type and subtype (claims sharing a sentence count once)."""
    seen = set()
    counts: dict[str, dict[str, int]] = {}
    for s in signals:
        key = (s.type, s.subtype, s.span)
        if key in seen:
            continue
        seen.add(key)
        counts.setdefault(s.type, {}).setdefault(s.subtype, 0)
        counts[s.type][s.subtype] += 1
    return counts


def _claim_share(signals: list[Signal], claims: int, keep) -> float:
    flagged = {s.claim_id for s in signals if s.claim_id and keep(s)}
    return len(flagged) / claims if claims else 0.0


def weak_sourcing_share(signals: list[Signal], claims: int) -> float:
    """Share of claims with documents, anonymous or vague sourcing."""
    return _claim_share(signals, claims, lambda s: s.type == "sourcing" and s.subtype in WEAK_SOURCING)


def loaded_language_share(signals: list[Signal], claims: int) -> float:
    """Share of claims whose sentence carries a loaded-language or other technique span."""
    return _claim_share(signals, claims, lambda s: s.type == "loaded_language")


# How strongly a technique marks a text as slanted, for the risk (issue 23, item 7: name calling
# and fear-mongering are not the same as an ordinary news idiom the tagger calls loaded).
TECHNIQUE_STRENGTH = {
    "Name_Calling,Labeling": 1.0,
    "Appeal_to_fear-prejudice": 1.0,
    "Flag-Waving": 0.8,
    "Exaggeration,Minimisation": 0.6,
    "Doubt": 0.6,
    "propaganda": 0.5,
    "Loaded_Language": 0.4,
}


def loaded_language_strength(signals: list[Signal], claims: int) -> float:
    """Mean over claims of the strongest technique in the claim's sentence (TECHNIQUE_STRENGTH;
    0 without one), so one charged adjective weighs less than name calling."""
    strongest: dict[str, float] = {}
    for s in signals:
        if s.type == "loaded_language" and s.claim_id:
            w = TECHNIQUE_STRENGTH.get(s.subtype, 0.5)
            strongest[s.claim_id] = max(strongest.get(s.claim_id, 0.0), w)
    return sum(strongest.values()) / claims if claims else 0.0


def weak_specifics_share(signals: list[Signal], claims: list[Claim], specific) -> float:
    """Share of claims that assert something specific (``specific(claim)``: a number, name,
    date, quote or cause) on anonymous, leaked-document or vague sourcing: the details a reader
    cannot check anywhere when the archive holds no other report of the event."""
    weak = {s.claim_id for s in signals if s.claim_id and s.type == "sourcing" and s.subtype in WEAK_SOURCING}
    return sum(c.id in weak and specific(c) for c in claims) / len(claims) if claims else 0.0
