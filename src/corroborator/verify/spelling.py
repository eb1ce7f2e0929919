"""Names spelt differently in claim and evidence ("Kirchner" / "Kirchhner"): the verifier reads
a one-letter difference in a name as a different name, and so as a contradiction (verifier v4
calls 29 % of held-out passage pairs with a misspelt name refutes; MODEL_CARD.md). Before a
contradiction is believed, the evidence is read again with such names written as the claim
writes them (``respelled``); a name that differs by more than a slip is left alone, so "Jon"
for "Joan" or another person entirely still reads as what it is."""

from __future__ import annotations

import re

_NAME = re.compile(r"\b[A-Z][a-z]{4,}\b")


def _distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance with transpositions counted once, stopping above ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2, prev = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        row = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            row[j] = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (ca != cb))
            if prev2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                row[j] = min(row[j], prev2[j - 2] + 1)
        if min(row) > limit:
            return limit + 1
        prev2, prev = prev, row
    return prev[-1]


def respelled(claim: str, evidence: str) -> str | None:
    """The evidence with each name that is a slip of a name in the claim (same first letter, at
    least 5 letters, 1 edit — 2 from 9 letters —, and not itself in the claim) written the claim's
    way; None when there is none."""
    claim_names = set(_NAME.findall(claim))
    if not claim_names:
        return None
    out, changed = evidence, False
    for name in sorted(set(_NAME.findall(evidence)) - claim_names):
        for wanted in claim_names:
            if wanted in evidence or wanted[0] != name[0]:
                continue
            limit = 2 if min(len(name), len(wanted)) >= 9 else 1
            if _distance(name.lower(), wanted.lower(), limit) <= limit:
                out = re.sub(rf"\b{re.escape(name)}\b", wanted, out)
                changed = True
                break
    return out if changed else None
