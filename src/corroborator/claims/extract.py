"""Claim extraction: atomic, self-contained, checkable statements with their spans.

Works on the spaCy parse of the checked article. A sentence becomes one or more claims:
compound sentences are split where two independent clauses (each with its own subject)
are joined by "and"/"but"/";". What cannot be checked is dropped: questions, pure opinion,
boilerplate (subscription pleas, credits), fragments. Leading he/she pronouns are replaced
by the last person named before them, so a claim reads on its own; the span still points
at the original words.
"""

from __future__ import annotations

import re
from datetime import date

from corroborator.domain import Article, Claim, ClaimKind
from corroborator.text.facts import facts_of_span
from corroborator.text.parsing import ents_in, parse
from corroborator.text.sentences import sentence_spans

_BOILERPLATE = re.compile(
    r"\b(subscribe|newsletter|sign up|click here|follow us|all rights reserved|copyright|advertisement|"
    r"read more|share this|contact us|support our journalism|download our app|cookies?|"
    r"reporting by|editing by|additional reporting|writing by|this story has been)\b",
    re.I,
)
_OPINION_OPENERS = re.compile(
    r"^(i|we)\s+(think|believe|feel|hope|suspect|doubt)\b|^in (my|our) (view|opinion)\b|^(frankly|honestly|sadly|hopefully)\b",
    re.I,
)
_SUBJECTIVE = re.compile(
    r"\b(should|ought to|must|shameful|disgraceful|outrageous|ridiculous|wonderful|terrible|"
    r"best|worst|deserves?|clearly|obviously)\b",
    re.I,
)
# Lines that carry no claim: bylines ("By Jane Doe and John Roe", "— John T. Bennett"), photo
# credits and captions' sources ("Photo: Reuters", "Geoff Pugh/REX/Shutterstock").
_NAME_WORD = r"[A-Z][\w.'’\-]*"
_NAME_LIST = rf"{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,4}}(?:(?:\s*,\s*|\s+and\s+){_NAME_WORD}(?:\s+{_NAME_WORD}){{0,4}})*"
_BYLINE = re.compile(rf"^(?:By|BY|Written by|Story by)\s+{_NAME_LIST}(?:\s*[,|/]\s*[\w .&'’\-]+)?\.?$"
                     rf"|^[—–\-]\s*{_NAME_LIST}\.?$")
_CREDIT = re.compile(
    r"^(?:\(?(?:photo|image|picture|video|graphic|illustration|credit|source|file photo)s?\s*(?::|by\b|credit\b|courtesy\b)"
    r"[^.]{0,80}\)?\.?$)"
    r"|/(?:REX|Getty|Shutterstock|AFP|AP|Reuters|EPA|Bloomberg|Xinhua)\b",
    re.I,
)
# A credit run in front of a caption's sentence ("Geoff Pugh/REX/Shutterstock Among the guests ...").
_LEADING_CREDIT = re.compile(r"^(?:[A-Z][\w.'’\-]*\s+){1,4}[A-Z][\w.'’\-]*(?:/[A-Z][\w.&'’\-]*)+\s+(?=[A-Z])")
# A dateline in front of the first sentence: "SEOUL, South Korea (AP) — ", "WASHINGTON — ",
# "PHILADELPHIA, July 25 (UPI) — ", "(KGO) — ". Where the story was filed, not a claim.
_DATELINE = re.compile(
    r"^(?:[A-Z][A-Z.'’\- ]{2,40}(?:,\s*[A-Z][\w.'’\- ]{1,40}){0,2})?\s*(?:\([A-Za-z0-9 .&\-]{1,30}\))?\s*[—–\-]{1,2}\s+(?=\S)"
)
# A claim that cannot be read alone (issue 23: bare "no such X has been ..." and "people have
# already ..." fragments were refuted by other stories' sentences): a subject that points back,
# or a concessive frame whose clauses only mean something together.
_REFERS_BACK = re.compile(
    r"^(?:[\"“]?)(?:this|that|these|those|such|its|they|them|their"
    # "it", but not the "it" of "it is believed / said / clear that"
    r"|it(?!\s+(?:is|was|has been|had been|will be|would be|seems|appears)\s+(?:believed|said|reported|understood|thought|"
    r"expected|feared|alleged|claimed|clear|likely|possible|unclear|known|true|not)\b))\b"
    r"|\bno such\b|\bsuch (?:a|an)\b",
    re.I)
_CONCESSIVE = re.compile(r"^(?:[\"“]?)(?:despite|although|though|while|even though|even as|even if|whereas)\b", re.I)
# Recommendations and predictions: reported as opinion, not checked against the archive.
_NORMATIVE = {"should", "ought", "shall"}
_PREDICTION = re.compile(r"\b(?:will|would|could|may|might)\s+(?:likely|probably|possibly|perhaps|eventually)\b|"
                         r"\b(?:is|are) (?:likely|bound|poised) to\b", re.I)
_REPORTING_LEMMAS = {"say", "tell", "state", "announce", "confirm", "deny", "report", "add", "note", "claim", "according"}
_MIN_WORDS = 5


def _is_question(text: str) -> bool:
    return text.rstrip(" \"'”’)").endswith("?")


def _words(text: str) -> int:
    return len(re.findall(r"[A-Za-z0-9]+", text))


def _is_opinion(span) -> bool:
    text = span.text.strip()
    if _OPINION_OPENERS.search(text):
        return True
    has_facts = any(ent.label_ not in {"NORP"} for ent in ents_in(span)) or any(t.like_num for t in span)
    return bool(_SUBJECTIVE.search(text)) and not has_facts and '"' not in text


def _clause_splits(span) -> list[tuple[int, int]]:
    """Char ranges of independent clauses inside a sentence span."""
    cuts: list[int] = []  # token indexes (doc-level) where a new clause starts
    root = span.root
    for tok in root.children:
        if tok.dep_ == "conj" and tok.pos_ in {"VERB", "AUX"} and any(
            c.dep_ in {"nsubj", "nsubjpass", "expl"} for c in tok.children
        ):
            start = min(t.i for t in tok.subtree)
            cuts.append(start)
    for tok in span:
        if tok.text == ";" and tok.i + 1 < span.end:
            cuts.append(tok.i + 1)
    # a clause's subtree can reach outside this span (a sentence broken across lines)
    cuts = [c for c in cuts if span.start < c < span.end]
    if not cuts:
        return [(span.start_char, span.end_char)]
    ranges = []
    begin = span.start
    doc = span.doc
    for cut in sorted(set(cuts)):
        end = cut
        # drop the joining "and"/"but" and punctuation from the end of the left clause
        while end - 1 > begin and (doc[end - 1].dep_ in {"cc", "punct"} or doc[end - 1].text in {";", ","}):
            end -= 1
        if end > begin:
            ranges.append((doc[begin].idx, doc[end - 1].idx + len(doc[end - 1].text)))
        begin = cut
    ranges.append((doc[begin].idx, span.end_char))
    return ranges


def is_opinion_claim(part) -> bool:
    """A recommendation ("should", "ought to") or a hedged prediction ("will likely", "is poised
    to") stated by the article itself, not inside a quote: opinion, not checked."""
    text = part.text
    if re.search(r"[\"“”]", text):
        return False
    if any(t.lower_ in _NORMATIVE and t.dep_ in {"aux", "ROOT"} for t in part):
        return True
    return bool(_OPINION_OPENERS.search(text.strip()) or _PREDICTION.search(text))


def checked_as(part_text: str, sentence: str, previous: str | None) -> str | None:
    """What the verifier reads for a claim that cannot stand alone: the whole sentence for a
    clause cut from it whose subject points back or that sits in a concessive frame; with the
    sentence before it when the sentence itself opens by pointing back ("Such a ban ...")."""
    whole = part_text.strip() != sentence.strip()
    text = sentence if whole and (_REFERS_BACK.search(part_text) or _CONCESSIVE.search(sentence)) else None
    if previous and _REFERS_BACK.search(sentence):
        text = f"{previous} {sentence if whole else part_text}"
    return " ".join(text.split()) if text else None


def _kind(span, numbers: list[float], dates: list[date]) -> ClaimKind:
    text = span.text
    if re.search(r"[\"“”]", text) and _words(re.sub(r"[\"“”].*?[\"“”]", "", text)) < _words(text):
        return ClaimKind.QUOTE
    if numbers:
        return ClaimKind.QUANTITY
    if any(t.lemma_.lower() in _REPORTING_LEMMAS and t.pos_ in {"VERB", "ADP"} for t in span):
        return ClaimKind.QUOTE
    if dates or any(t.tag_ == "VBD" for t in span) or any(e.label_ in {"EVENT", "DATE", "TIME"} for e in ents_in(span)):
        return ClaimKind.EVENT
    return ClaimKind.BACKGROUND


def _decontextualise(text: str, last_person: str | None) -> str:
    if not last_person:
        return text
    m = re.match(r"^(He|She)\b", text)
    if m:
        return last_person + text[m.end():]
    m = re.match(r"^([\"“].+[,\"”]+\s*)(he|she)\s+(said|told|added|says)\b", text)
    if m:
        return text[: m.start(2)] + last_person + text[m.end(2):]
    return text


def claim_start(text: str) -> int:
    """Where a sentence's claim starts: after a dateline or a leading photo credit (0 if none)."""
    for pattern in (_DATELINE, _LEADING_CREDIT):
        m = pattern.match(text)
        if m and m.end() < len(text):
            return m.end()
    return 0


def is_byline_or_credit(text: str) -> bool:
    text = text.strip()
    return bool(_BYLINE.match(text) or _CREDIT.search(text) and len(text.split()) <= 12)


def is_checkable_text(text: str) -> bool:
    """The claim filters that need no parse: enough words, not a question, not boilerplate.
    (extract_claims also drops opinion, which needs the parse; the timeline counts stored
    sentences that pass these, so a whole store can be counted without parsing it.)"""
    text = text.strip()
    return (_words(text) >= _MIN_WORDS and not _is_question(text) and not _BOILERPLATE.search(text)
            and not is_byline_or_credit(text))


def extract_claims(article: Article, doc=None, worthiness=None, keep_all: bool = False) -> list[Claim]:
    """The article's claims, in order, each scored by the check-worthiness model
    (``worthiness``, default: the packaged one); those under its threshold (opinion, analysis,
    framing the rules above let through) are dropped unless ``keep_all``."""
    claims = _rule_claims(article, doc if doc is not None else parse(article.text))
    if not claims:
        return claims
    if worthiness is None:
        from corroborator.claims.checkworthy import default_checkworthiness

        worthiness = default_checkworthiness()
    scores = worthiness.scores([c.text for c in claims])
    # opinion stays in the report whatever its score ("opinion, not checked", issue 23)
    kept = [c.model_copy(update={"checkworthiness": round(float(s), 4)}) for c, s in zip(claims, scores)
            if keep_all or s >= worthiness.threshold or c.opinion]
    return [c.model_copy(update={"id": f"c{n}"}) for n, c in enumerate(kept, 1)]


def _rule_claims(article: Article, doc) -> list[Claim]:
    claims: list[Claim] = []
    seen: set[str] = set()  # a sentence repeated in the article is one claim
    last_person: str | None = None
    previous: str | None = None  # the sentence before, for a claim that points back to it
    text_of_doc = doc.text  # a property that joins every token: read once
    for start, end in sentence_spans(doc):
        start += claim_start(text_of_doc[start:end])
        sent = doc.char_span(start, end, alignment_mode="expand")
        if sent is None:
            continue
        text = sent.text.strip()
        persons = [e.text for e in ents_in(sent) if e.label_ == "PERSON"]
        # opinion (first-person openers, evaluation with no fact in it) is reported, not checked
        opinion_sentence = _is_opinion(sent)
        keep = is_checkable_text(text)
        if keep:
            for c_start, c_end in _clause_splits(sent):
                part = doc.char_span(c_start, c_end, alignment_mode="expand")
                if part is None:
                    continue
                lead = len(part.text) - len(part.text.lstrip())
                part_text = part.text.strip().rstrip(",;")
                key = " ".join(part_text.lower().split())
                if _words(part_text) < _MIN_WORDS or _is_question(part_text) or key in seen:
                    continue
                seen.add(key)
                facts = facts_of_span(part, article.published)
                claim_text = _decontextualise(" ".join(part_text.split()), last_person)
                kind = _kind(part, facts.numbers, facts.dates)
                claims.append(
                    Claim(
                        id=f"c{len(claims) + 1}",
                        text=claim_text,
                        checked_as=checked_as(claim_text, _decontextualise(" ".join(text.split()), last_person), previous),
                        opinion=opinion_sentence or (kind != ClaimKind.QUOTE and is_opinion_claim(part)),
                        span=(part.start_char + lead, part.start_char + lead + len(part_text)),
                        kind=kind,
                        sentence=" ".join(text.split()),
                        entities=facts.entities,
                        numbers=facts.numbers,
                        dates=facts.dates,
                        date_precisions=facts.date_precisions,
                    )
                )
        if persons:
            last_person = persons[-1]
        previous = " ".join(text.split())
    return claims
