"""Screenshots and scans (issue 27, item 3): an image's text by OCR (Tesseract), checked as any
article; bad images are one line each. Images are rendered here with Pillow from text."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from corroborator.errors import BadInputError
from corroborator.ingest import read_paths
from corroborator.ingest.image import paragraphs, read_image

from ..conftest import run_cli

if shutil.which("tesseract") is None:
    pytest.skip("needs Tesseract OCR (apt-get install tesseract-ocr tesseract-ocr-eng; `make test` does as root)",
                allow_module_level=True)
Image = pytest.importorskip("PIL.Image", reason="needs Pillow (the test extra)")
from PIL import ImageDraw, ImageFont  # noqa: E402

FONTS = Path("/usr/share/fonts/truetype/dejavu")
ARTICLE = ("Two US B-52H bombers flew over the Sea of Japan on Friday with Japanese and South Korean fighter "
           "jets, the US Air Force said. The drill lasted about three hours.\n\n"
           "The defence ministry in Tokyo said 12 F-2 fighters took part, and a spokesman, Kenji Sato, said "
           "the flight had been planned for months.")


def render(text: str, path: Path, font: str = "DejaVuSerif.ttf", size: int = 24, width: int = 64) -> Path:
    face = ImageFont.truetype(str(FONTS / font), size) if (FONTS / font).is_file() else ImageFont.load_default(size)
    lines: list[str] = []
    for para in text.split("\n\n"):
        lines += textwrap.wrap(para, width) + [""]
    step = int(size * 1.45)
    img = Image.new("RGB", (int(size * width * 0.62) + 60, 40 + step * len(lines)), "white")
    draw = ImageDraw.Draw(img)
    for n, line in enumerate(lines):
        draw.text((30, 20 + step * n), line, fill="black", font=face)
    img.save(path)
    return path


@pytest.mark.parametrize("name", ["shot.png", "shot.jpg", "shot.webp"])
def test_an_image_is_read_as_its_text_in_paragraphs(tmp_path, name):
    article = read_image(render(ARTICLE, tmp_path / name))
    words = article.text.split()
    assert words[:6] == ["Two", "US", "B-52H", "bombers", "flew", "over"]
    assert "12 F-2 fighters" in article.text and "Kenji Sato" in article.text
    # lines of a paragraph joined with spaces; the two paragraphs apart
    assert article.text.count("\n\n") == 1 and "\n" not in article.text.replace("\n\n", "")
    assert article.source.endswith(name)


def test_a_line_end_hyphen_joins_its_word_and_unsure_specks_are_dropped():
    rows = ["level\tpage\tblock\tpar\tline\tword\tl\tt\tw\th\tconf\ttext"]
    words = [("1", "1", "The"), ("1", "1", "exam-"), ("1", "2", "ple"), ("1", "2", "holds."), ("1", "2", "~"),
             ("2", "1", "Next"), ("2", "1", "part.")]
    for par, line, word in words:
        rows.append("\t".join(["5", "1", "1", par, line, "1", "0", "0", "1", "1", "12" if word == "~" else "91", word]))
    assert paragraphs("\n".join(rows)) == "The exam-ple holds.\n\nNext part."
    # a sentence the layout cut into two paragraphs is one again; a heading stays apart
    cut = [("1", "1", "Bombers"), ("1", "1", "fly"), ("2", "1", "Two"), ("2", "1", "bombers"), ("2", "1", "flew"),
           ("3", "1", "on"), ("3", "1", "Friday.")]
    rows = rows[:1] + ["\t".join(["5", "1", "1", par, line, "1", "0", "0", "1", "1", "95", word])
                       for par, line, word in cut]
    assert paragraphs("\n".join(rows)) == "Bombers fly\n\nTwo bombers flew on Friday."


def test_a_screenshot_is_checked_from_the_command_line(tmp_path, demo_store):
    done = run_cli("check", str(render(ARTICLE, tmp_path / "post.png")), "-f", "json", "--store", str(demo_store))
    assert done.returncode == 0, done.stderr
    import json

    report = json.loads(done.stdout)
    assert report["article"]["source"].endswith("post.png") and len(report["claims"]) >= 3
    assert any("B-52H" in c["text"] for c in report["claims"])


def test_the_report_outlines_each_claim_on_the_image(tmp_path, demo_store):
    """The HTML report shows the screenshot with each claim's words boxed where they stand
    (issue 27, item 3): the boxes come from Tesseract's word table, scaled with the image."""
    import json

    from corroborator.domain import Report
    from corroborator.render.html import render as render_html
    from corroborator.render.html import word_runs

    shot = render(ARTICLE, tmp_path / "post.png")
    done = run_cli("check", str(shot), "-f", "json", "--store", str(demo_store))
    assert done.returncode == 0, done.stderr
    report = Report.model_validate(json.loads(done.stdout))
    image = report.image
    assert image is not None and image.data_uri.startswith("data:image/jpeg;base64,")
    width, height = Image.open(shot).size
    scale = image.width / width  # the copy shown is at most 800 pixels wide, the boxes scaled with it
    assert image.width == min(width, 800) and image.height == round(height * scale)
    text = report.article_text
    for start, end, left, top, width, height in image.words:  # every box holds a word of the text
        assert text[start:end] and " " not in text[start:end]
        assert 0 <= left < left + width <= image.width and 0 <= top < top + height <= image.height
    by_text = {c.text[:8]: c for c in report.claims}
    # the render wrote line n at y = 20 + 34.8 n (size 24): the first claim is on lines 0-1,
    # the ministry's on lines 4-6 (after a blank line), one box per line
    first, ministry = word_runs(image.words, by_text["Two US B"].span), word_runs(image.words, by_text["The defe"].span)
    assert len(first) == 2 and first[0][1] < 30 * scale < first[0][1] + first[0][3]
    assert len(ministry) == 3
    assert all(abs(y - (20 + 34.8 * n) * scale) < 15 for (_, y, _, _), n in zip(ministry, (4, 5, 6)))
    page = render_html(report)
    assert '<svg class="shot"' in page and f'<image href="{image.data_uri}"' in page
    for c in report.claims:  # each claim outlined, linked to its card
        assert f'<a href="#{c.id}"><rect' in page
    # a report handed in with anything but image data there is refused before it is rendered
    hostile = report.to_json_dict()
    hostile["image"]["data_uri"] = "javascript:alert(1)"
    with pytest.raises(ValueError, match="data URI"):
        Report.model_validate(hostile)


def test_a_transparent_screenshot_is_shown_on_white_and_a_multipage_tiff_keeps_its_pages(tmp_path):
    import base64
    import io

    clear = Image.new("RGBA", (1100, 120), (0, 0, 0, 0))  # black text on nothing: a viewer shows white
    ImageDraw.Draw(clear).text((30, 30), "Two US B-52H bombers flew over the Sea of Japan on Friday.", fill="black",
                               font=ImageFont.truetype(str(FONTS / "DejaVuSerif.ttf"), 24))
    clear.save(tmp_path / "clear.png")
    article = read_image(tmp_path / "clear.png")
    shown = Image.open(io.BytesIO(base64.b64decode(article.image.data_uri.split(",", 1)[1]))).convert("L")
    import numpy as np

    assert np.asarray(shown).mean() > 200  # mostly white (RGB alone: black)
    # two frames: two pages of text, a page break between them; no image (its boxes would
    # fall on the first page)
    first = Image.open(render(ARTICLE, tmp_path / "p1.png")).convert("RGB")
    second = Image.open(render("The ministry said on Monday that a second drill is planned for May 4.",
                               tmp_path / "p2.png")).convert("RGB")
    first.save(tmp_path / "two.tif", save_all=True, append_images=[second])
    article = read_image(tmp_path / "two.tif")
    assert article.text.count("\f") == 1 and article.text.endswith("planned for May 4.") and article.image is None


def test_bad_images_are_one_line_each(tmp_path):
    cases = {}
    (tmp_path / "noise.png").write_bytes(b"\x00\x01 not an image at all" * 10)
    cases["noise.png"] = "not an image"
    good = render(ARTICLE, tmp_path / "good.png").read_bytes()
    (tmp_path / "cut.png").write_bytes(good[:200])  # a real header, the rest gone
    cases["cut.png"] = "could not be read"
    forged = bytearray(good[:33])
    forged[16:24] = (100_000).to_bytes(4, "big") * 2  # claims 100,000 x 100,000 pixels, its checksum wrong
    (tmp_path / "forged.png").write_bytes(bytes(forged) + good[33:])
    cases["forged.png"] = "could not be read"
    Image.new("1", (9000, 8000)).save(tmp_path / "bomb.png")  # 72 megapixels in a few kilobytes
    cases["bomb.png"] = "too large"
    # the same in formats whose size only a full header parser reads
    Image.new("1", (9000, 8000)).save(tmp_path / "bomb.tif")
    cases["bomb.tif"] = "too large"
    Image.new("L", (8000, 8000)).save(tmp_path / "bomb.webp", lossless=False, quality=1)
    cases["bomb.webp"] = "too large"
    Image.new("RGB", (600, 300), "white").save(tmp_path / "blank.png")
    cases["blank.png"] = "no text"
    (tmp_path / "empty.jpg").write_bytes(b"")
    cases["empty.jpg"] = "empty file"
    for name, message in cases.items():
        items = list(read_paths([tmp_path / name]))
        assert len(items) == 1 and isinstance(items[0], BadInputError), (name, items)
        line = str(items[0])
        assert message in line and "\n" not in line, (name, line)
    done = run_cli("claims", str(tmp_path / "noise.png"))
    assert done.returncode == 2 and "Traceback" not in done.stderr and "not an image" in done.stderr


def test_a_pdf_with_binary_streams_is_read_and_a_scan_says_so(tmp_path):
    """Real PDFs hold NUL bytes in their compressed streams; a PDF made of one image (a scan)
    has no text layer, and says that, not "binary file"."""
    Image.new("RGB", (400, 300), "white").save(tmp_path / "scan.pdf")
    assert b"\x00" in (tmp_path / "scan.pdf").read_bytes()[:8192]
    (item,) = list(read_paths([tmp_path / "scan.pdf"]))
    assert isinstance(item, BadInputError) and "no text layer" in str(item), item


def test_a_scanned_pdf_is_read_by_ocr_page_by_page(tmp_path):
    first = Image.open(render(ARTICLE, tmp_path / "p1.png")).convert("RGB")
    second = Image.open(render("The ministry said on Monday that a second drill is planned for May 4.",
                               tmp_path / "p2.png")).convert("RGB")
    first.save(tmp_path / "scan.pdf", save_all=True, append_images=[second])
    (article,) = list(read_paths([tmp_path / "scan.pdf"]))
    assert not isinstance(article, BadInputError), article
    assert article.text.startswith("Two US B-52H bombers") and "12 F-2 fighters" in article.text
    # the second page follows the first, apart from it, after a page break
    assert article.text.endswith("a second drill is planned for May 4.") and "\n\n\f" in article.text
    assert article.text.count("\f") == 1
