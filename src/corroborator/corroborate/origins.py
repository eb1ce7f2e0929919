"""Independent origins: which stored articles are copies of one report.

"Confirmed by three outlets" means little when all three ran the same wire story, so
corroboration counts origins, not articles. An article's origin is, in this order:

1. the news agency its dateline or credit line names ("SEOUL (Reuters) --", "(AP)" on a
   line of its own, "This is a wire report from X"): every outlet running that agency's
   copy repeats one report;
2. the origin of a stored near-duplicate: MinHash over word 5-gram shingles, with LSH
   bands kept in the store so the lookup is one indexed query (a copy with its credit
   line cut, an editor's note added or the last paragraphs dropped still shares most
   shingles);
3. its own outlet (two articles of one outlet are not independent of each other either),
   or its id when the outlet is unknown.

MinHash is written here (numpy, a few lines) rather than taken from datasketch, which
would add scipy (about 40 MB) to the install for one function.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import numpy as np

from corroborator.domain import own_origin

NUM_PERM = 63
BANDS, ROWS = 21, 3  # P(candidate) = 1 - (1 - J^3)^21: 0.94 at J = 0.5, 0.02 at J = 0.1
NEAR_DUPLICATE = 0.5  # estimated Jaccard of shingle sets above which two texts are one report
SHINGLE = 5
_PRIME = 4294967311  # smallest prime above 2^32: a*x + b stays below 2^64 for 32-bit a, b, x
_rng = np.random.default_rng(20251114)
_A = _rng.integers(1, 2**32, NUM_PERM, dtype=np.uint64)
_B = _rng.integers(0, 2**32, NUM_PERM, dtype=np.uint64)
_WORD = re.compile(r"\w+")  # any script: Korean or Cyrillic copy must not collapse to digits

# Agencies whose name alone in a credit marks wire copy (and their usual short forms).
WIRE_AGENCIES = {
    "reuters": "Reuters", "ap": "Associated Press", "associated press": "Associated Press",
    "afp": "AFP", "agence france-presse": "AFP", "agence france presse": "AFP", "yonhap": "Yonhap",
    "yonhap news agency": "Yonhap", "kyodo": "Kyodo", "kyodo news": "Kyodo", "xinhua": "Xinhua",
    "dpa": "dpa", "ansa": "ANSA", "efe": "EFE", "pti": "PTI", "upi": "UPI", "bloomberg": "Bloomberg",
    "tass": "TASS", "anadolu": "Anadolu", "bernama": "Bernama", "aap": "AAP", "cp": "Canadian Press",
    "the canadian press": "Canadian Press", "pa": "PA Media", "pa media": "PA Media",
}
# A credit counts when it names a known agency or calls itself one ("Meridian Wire", "Kestrel
# News Service"): "(END)", "(pictured)" or "(file photo)" are not origins.
_AGENCY_WORD = re.compile(r"\b(wire|news|press|agency|service|presse)\b", re.I)
# "SEOUL (Reuters) --", "TOKYO, March 14 (Yonhap) —"
_DATELINE = re.compile(r"^\s*[A-Z][A-Za-z0-9 .,'’-]{1,60}?\s*\(([^()\n]{2,40})\)\s*(?:--|—|–|-|:)", re.M)
# a credit on a line of its own at the end, "(Reuters)", "(Meridian Wire)"
_CREDIT_LINE = re.compile(r"^\s*\(([^()\n]{2,40})\)\s*$", re.M)
_WIRE_NOTE = re.compile(r"\b(?:wire (?:report|story) from|distributed by)\s+([A-Z][\w&.' -]{1,40}?)[.\n]", re.I)
_CREDIT_NOISE = re.compile(r"\b(reporting|editing|writing|photo|file|updated|corrected|video)\b", re.I)


@dataclass(frozen=True)
class Fingerprint:
    """What the store keeps of an article to find its origin."""

    signature: np.ndarray  # NUM_PERM uint32 minimum hashes
    bands: list[int]  # BANDS signed 64-bit keys for the LSH lookup
    wire: str | None  # agency named in a dateline or credit, if any


def _shingles(text: str) -> np.ndarray:
    words = _WORD.findall(text.lower())
    if len(words) < SHINGLE:
        # too short to compare: a shingle of its own text only (two such texts match if equal)
        words = [" ".join(words) or "\0empty"] + [""] * (SHINGLE - 1)
    grams = {" ".join(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}
    return np.fromiter(
        (int.from_bytes(hashlib.blake2b(g.encode(), digest_size=4).digest(), "little") for g in grams),
        dtype=np.uint64, count=len(grams),
    )


def signature(text: str) -> np.ndarray:
    """MinHash signature of the text's word 5-gram set (permutations (a*x + b) mod p)."""
    x = _shingles(text)
    hashed = (x[:, None] * _A[None, :] + _B[None, :]) % np.uint64(_PRIME)
    return (hashed.min(axis=0) & np.uint64(0xFFFFFFFF)).astype(np.uint32)


def band_keys(sig: np.ndarray) -> list[int]:
    keys = []
    for b in range(BANDS):
        digest = hashlib.blake2b(bytes([b]) + sig[b * ROWS : (b + 1) * ROWS].tobytes(), digest_size=8).digest()
        keys.append(int.from_bytes(digest, "little", signed=True))
    return keys


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two shingle sets from their signatures."""
    return float(np.mean(a == b))


def wire_credit(text: str) -> str | None:
    """The agency a dateline, credit line or wire note names, normalised ("AP" ->
    "Associated Press"); any parenthesised dateline credit counts ("(Meridian Wire)")."""
    head, tail = text[:400], text[-300:]
    for pattern, part in ((_DATELINE, head), (_WIRE_NOTE, head), (_CREDIT_LINE, tail), (_WIRE_NOTE, tail)):
        m = pattern.search(part)
        if m:
            name = m.group(1).strip().strip(".")
            if _CREDIT_NOISE.search(name) or ";" in name:
                continue
            if name.lower() in WIRE_AGENCIES:
                return WIRE_AGENCIES[name.lower()]
            if _AGENCY_WORD.search(name):
                return name
    return None


def fingerprint(text: str) -> Fingerprint:
    sig = signature(text)
    return Fingerprint(signature=sig, bands=band_keys(sig), wire=wire_credit(text))



def near_duplicate_origin(fp: Fingerprint, candidates: list[tuple[np.ndarray, str]]) -> str | None:
    """The origin of the closest candidate when it is a near-duplicate (estimated Jaccard >=
    NEAR_DUPLICATE), else None."""
    best = max(((similarity(fp.signature, sig), origin) for sig, origin in candidates), default=(0.0, None))
    return best[1] if best[0] >= NEAR_DUPLICATE else None


def choose_origin(fp: Fingerprint, outlet: str | None, article_id: str,
                  candidates: list[tuple[np.ndarray, str]], source: str | None = None) -> str:
    """The origin of a new article given stored (signature, origin) pairs that share an
    LSH band with it (rules in the module docstring)."""
    return fp.wire or near_duplicate_origin(fp, candidates) or own_origin(outlet, article_id, source)


# --- the policy over a store's rows, once for every backend (issue 26: the stores used to each
# write it). A store offers the rows (band_rows, ids_and_outlets); what they mean is decided here.

def _band_rows(store, fp: Fingerprint) -> list:
    """The store's band rows; none from a backend without the ``origins`` capability (every
    article is then its own origin)."""
    from corroborator.store import has

    return store.band_rows(fp) if has(store, "origins") else []


def stored_candidates(store, fp: Fingerprint) -> list[tuple[np.ndarray, str]]:
    """(signature, origin) of the stored articles that may be near-duplicates of a text (they
    share an LSH band with it), for choose_origin."""
    return [(sig, origin) for _, sig, origin in _band_rows(store, fp)]


def copy_origin(store, fp: Fingerprint) -> str | None:
    """The origin a text shares with stored articles: its wire credit, else the origin of a
    stored near-duplicate; None when it is no one's copy."""
    return fp.wire or near_duplicate_origin(fp, stored_candidates(store, fp))


def near_duplicates(store, fp: Fingerprint) -> set[str]:
    """Ids of stored near-duplicates of a text (estimated Jaccard >= NEAR_DUPLICATE): versions
    of the same report."""
    return {aid for aid, sig, _ in _band_rows(store, fp) if similarity(fp.signature, sig) >= NEAR_DUPLICATE}


def stored_versions(store, article) -> set[str]:
    """Ids of stored versions of this article: its id (or id~... for updated text) from the same
    outlet, or with no outlet on either side to tell them apart."""
    from corroborator.store import has

    rows = store.ids_and_outlets(article.id) if has(store, "origins") else []
    return {i for i, outlet in rows
            if outlet is None or article.outlet is None or outlet == article.outlet}
