"""PDF inputs (issue 27): the text layer read page by page; scans, encrypted and broken files
are one clear line each. The PDFs are written here, by hand, as the format describes them."""

import pytest

from corroborator.errors import BadInputError
from corroborator.ingest import read_paths

from ..conftest import cli


def _pdf(pages: list[str], title: str | None = None) -> bytes:
    """A minimal valid PDF: one Helvetica text line per page, a cross-reference table."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", None, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    kids = []
    for text in pages:
        stream = f"BT /F1 11 Tf 72 720 Td ({text.replace('(', '[').replace(')', ']')}) Tj ET".encode()
        objects.append(f"<< /Length {len(stream)} >>\nstream\n{stream.decode()}\nendstream")
        content = len(objects)
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {content} 0 R "
                       "/Resources << /Font << /F1 3 0 R >> >> >>")
        kids.append(f"{len(objects)} 0 R")
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>"
    if title:
        objects.append(f"<< /Title ({title}) /CreationDate (D:20250304120000Z) >>")
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    trailer = f"/Size {len(objects) + 1} /Root 1 0 R" + (f" /Info {len(objects)} 0 R" if title else "")
    out += f"trailer\n<< {trailer} >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def test_a_press_release_pdf_is_read_page_by_page(tmp_path, demo_store):
    path = tmp_path / "release.pdf"
    path.write_bytes(_pdf(["The port authority said 23 container ships were waiting at anchor on Tuesday.",
                           "About 1,800 dockworkers went on strike on Monday, March 3, union leaders said."],
                          title="Port authority statement"))
    (article,) = list(read_paths([path]))
    assert article.title == "Port authority statement" and str(article.published) == "2025-03-04"
    assert "23 container ships" in article.text and "1,800 dockworkers" in article.text
    assert "\n\n" in article.text  # pages stay apart: no sentence runs across a page break
    done = cli("check", str(path), "--store", str(demo_store), "-f", "json")
    assert done.returncode == 0 and '"claims"' in done.stdout


@pytest.mark.parametrize("content, why", [
    (b"%PDF-1.4\nnot really a pdf at all", "cannot read the PDF"),
    (b"GIF89a binary", "not a PDF file"),
])
def test_broken_pdfs_are_one_line(tmp_path, content, why):
    path = tmp_path / "bad.pdf"
    path.write_bytes(content)
    (item,) = list(read_paths([path]))
    assert isinstance(item, BadInputError) and why in str(item) and "\n" not in str(item)


def test_a_pdf_without_text_is_said_to_be_a_scan(tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(_pdf([""]))
    (item,) = list(read_paths([path]))
    assert isinstance(item, BadInputError) and "no text layer" in str(item)


def test_evidence_from_a_pdf_is_cited_with_its_page(tmp_path):
    """An indexed press release cites the page its sentence is on; an empty cover page keeps the
    numbers of the pages after it (issue 27, item 4)."""
    path = tmp_path / "release.pdf"
    path.write_bytes(_pdf(["", "The port authority said 23 container ships were waiting at anchor on Tuesday.",
                           "About 1,800 dockworkers went on strike on Monday, March 3, union leaders said."],
                          title="Port authority statement"))
    (article,) = list(read_paths([path]))
    assert article.text.count("\f") == 2 and article.text.startswith("\f")
    dated = tmp_path / "dated.pdf"  # a dateline opening the page after an empty cover dates the document
    dated.write_bytes(_pdf(["", "SEOUL, March 3, 2025 -- The port authority said 23 ships were waiting at anchor."]))
    assert str(next(iter(read_paths([dated]))).published) == "2025-03-03"
    store = tmp_path / "store"
    assert cli("index", str(path), "--store", str(store)).returncode == 0
    checked = tmp_path / "report.txt"
    checked.write_text("Union leaders said about 1,800 dockworkers went on strike at the port on Monday, March 3.\n\n"
                       "The port authority said 23 container ships were waiting at anchor on Tuesday.\n")
    done = cli("check", str(checked), "--store", str(store), "-f", "json")
    assert done.returncode == 0, done.stderr
    import json

    pages = {e["sentence"][:9]: e["page"] for c in json.loads(done.stdout)["claims"] for e in c["evidence"]}
    assert pages == {"About 1,8": 3, "The port ": 2}
    shown = cli("check", str(checked), "--store", str(store), "-f", "markdown").stdout
    assert "Port authority statement, p. 3" in shown
    # the claims of a checked PDF carry their own page
    claims = json.loads(cli("check", str(path), "--store", str(store), "-f", "json").stdout)["claims"]
    assert {c["text"][:9]: c["page"] for c in claims} == {"The port ": 2, "About 1,8": 3}
