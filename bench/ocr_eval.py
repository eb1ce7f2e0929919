"""Screenshots of real articles read back by OCR (issue 27, item 3): character error rate and
how many of the article's claims the OCR text still yields.

    python bench/ocr_eval.py [--articles 24] [--words 350] [--data ../shared/data]

Articles: distinct real articles from ../shared (bench/corpus.distinct_texts: FNC-1 bodies and
LLMFake originals), the part a stable hash of the key keeps (half; nothing in the OCR path was
tuned on any of them), cut to whole sentences within ``--words``. Each is rendered with Pillow
in three clean styles (DejaVu Sans 20 px, Serif 24 px, Sans Mono 18 px, black on white) and one
noisy, photo-like variant of the Sans render (rotated 0.8°, blurred, grey noise, shrunk to 80 %
and saved as JPEG at quality 35), then read by ingest/image.py (Tesseract).
Reported per variant: character error rate (Levenshtein distance over the original's length,
whitespace collapsed), mean and worst; claims found: the share of the original's checkable
claims (claims.extract with the shipped check-worthiness model) that the OCR text yields again
with at least 90 % similar wording (rapidfuzz ratio); seconds per image.
Results: bench/results/ocr-<date>.json.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import platform
import re
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
from corpus import distinct_texts

HERE = Path(__file__).resolve().parent
FONTS = Path("/usr/share/fonts/truetype/dejavu")
STYLES = {"sans-20": ("DejaVuSans.ttf", 20), "serif-24": ("DejaVuSerif.ttf", 24), "mono-18": ("DejaVuSansMono.ttf", 18)}


def kept(key: str) -> bool:
    return int(hashlib.sha256(key.encode()).hexdigest(), 16) % 2 == 1


def cut(text: str, words: int) -> str:
    """Whole sentences of the text's paragraphs, within ``words`` words."""
    out, n = [], 0
    for para in (p.strip() for p in text.split("\n") if p.strip()):
        sentences = re.split(r"(?<=[.!?])\s+", " ".join(para.split()))
        keep = []
        for s in sentences:
            if n + len(s.split()) > words:
                break
            keep.append(s)
            n += len(s.split())
        if keep:
            out.append(" ".join(keep))
        if n >= words * 0.9 or len(keep) < len(sentences):
            break
    return "\n\n".join(out)


def render(text: str, font: str, size: int, width_chars: int = 70):
    from PIL import Image, ImageDraw, ImageFont

    face = ImageFont.truetype(str(FONTS / font), size)
    lines: list[str] = []
    for para in text.split("\n\n"):
        lines += textwrap.wrap(para, width_chars) + [""]
    step = int(size * 1.45)
    width = int(max(face.getlength(line) for line in lines if line) + 80)
    img = Image.new("RGB", (width, 40 + step * len(lines)), "white")
    draw = ImageDraw.Draw(img)
    for n, line in enumerate(lines):
        draw.text((40, 20 + step * n), line, fill="black", font=face)
    return img


def noisy(img, seed: int) -> bytes:
    from PIL import Image, ImageFilter

    rng = np.random.default_rng(seed)
    out = img.convert("L").rotate(0.8, resample=Image.BICUBIC, expand=True, fillcolor=255)
    out = out.filter(ImageFilter.GaussianBlur(0.8))
    pixels = np.asarray(out, dtype=np.float32) + rng.normal(0, 18, (out.height, out.width))
    out = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    out = out.resize((int(out.width * 0.8), int(out.height * 0.8)), Image.BILINEAR)
    buf = io.BytesIO()
    out.save(buf, format="JPEG", quality=35)
    return buf.getvalue()


def png(img) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def cer(reference: str, hypothesis: str) -> float:
    from rapidfuzz.distance import Levenshtein

    ref, hyp = " ".join(reference.split()), " ".join(hypothesis.split())
    return Levenshtein.distance(ref, hyp) / max(1, len(ref))


def claims_found(original: list[str], read: list[str]) -> float | None:
    from rapidfuzz import fuzz

    if not original:
        return None
    return sum(1 for c in original if any(fuzz.ratio(c, r) >= 90 for r in read)) / len(original)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=24)
    ap.add_argument("--words", type=int, default=350)
    ap.add_argument("--data", type=Path, default=HERE.parents[1] / "shared" / "data")
    args = ap.parse_args()
    if not args.data.is_dir():
        raise SystemExit(f"data folder {args.data} not found (set --data)")
    from corroborator.app import Corroborator, Settings
    from corroborator.domain import Article
    from corroborator.ingest.image import ocr_text

    picked = []
    for key, text in distinct_texts(args.data):
        if kept(key) and len(text.split()) >= 150:
            short = cut(text, args.words)
            if len(short.split()) >= 120:
                picked.append((key, short))
        if len(picked) == args.articles:
            break
    core = Corroborator(Settings(store=Path("/nonexistent-unused")))  # claims need no store

    def claim_texts(text: str) -> list[str]:
        return [c.text for c in core.claims(Article(id="x", text=text)).claims]

    rows = []
    for n, (key, text) in enumerate(picked):
        original = claim_texts(text)
        images = {name: png(render(text, font, size)) for name, (font, size) in STYLES.items()}
        images["noisy"] = noisy(render(text, *STYLES["sans-20"]), seed=n)
        for variant, data in images.items():
            start = time.perf_counter()
            read = ocr_text(data, f"{key} ({variant})")
            seconds = time.perf_counter() - start
            rows.append({"article": key, "variant": variant, "chars": len(text), "cer": round(cer(text, read), 4),
                         "claims": len(original), "claims_found": claims_found(original, claim_texts(read)),
                         "seconds": round(seconds, 2)})
        print(json.dumps(rows[-1]), flush=True)

    def summary(variant: str) -> dict:
        sel = [r for r in rows if r["variant"] == variant]
        claims = sum(r["claims"] for r in sel)
        found = sum(r["claims_found"] * r["claims"] for r in sel if r["claims"])
        return {"images": len(sel), "cer_mean": round(float(np.mean([r["cer"] for r in sel])), 4),
                "cer_median": round(float(np.median([r["cer"] for r in sel])), 4),
                "cer_worst": round(max(r["cer"] for r in sel), 4),
                "claims": claims, "claims_found": round(found / claims, 4) if claims else None,
                "seconds_per_image": round(float(np.mean([r["seconds"] for r in sel])), 2)}

    result = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version()},
        "command": " ".join(["python bench/ocr_eval.py", *sys.argv[1:]]),
        "articles": len(picked), "words": args.words, "ocr": "tesseract " + _tesseract_version(),
        "summary": {v: summary(v) for v in [*STYLES, "noisy"]}, "rows": rows,
    }
    out = HERE / "results" / f"ocr-{result['date']}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result["summary"], indent=1))
    print(f"wrote {out}")


def _tesseract_version() -> str:
    import subprocess

    from corroborator.ingest.image import tesseract

    done = subprocess.run([tesseract(), "--version"], capture_output=True, text=True)
    return (done.stdout or done.stderr).split("\n", 1)[0].split()[-1]


if __name__ == "__main__":
    main()
