"""Looking at binder PDFs in tests: render one page, find JPEG streams, read originals."""

from __future__ import annotations

import subprocess
from pathlib import Path

from pypdf import PdfReader

from nco_desktop.vault import Vault
from nco_desktop.vault.blobs import iter_chunks


def render_page(pdf: Path, page: int, dpi: int, out_prefix: Path, *flags: str) -> Path:
    """Page *page* (1-based) of *pdf* as a PNG, with pdftoppm (extra *flags* e.g. -cropbox)."""
    subprocess.run(
        [
            "pdftoppm",
            *flags,
            "-r",
            str(dpi),
            "-f",
            str(page),
            "-l",
            str(page),
            "-png",
            str(pdf),
            str(out_prefix),
        ],
        check=True,
        timeout=60,
    )
    (rendered,) = out_prefix.parent.glob(f"{out_prefix.name}-*.png")
    return rendered


def jpeg_streams(pdf: Path) -> list[bytes]:
    """The raw data of every DCT (JPEG) image a page draws, directly or inside the forms
    it draws (an imported PDF's page is one), each once."""
    streams: list[bytes] = []
    seen: set[int] = set()
    for page in PdfReader(pdf).pages:
        pending = [page.get("/Resources")]
        while pending:
            resources = pending.pop()
            resources = resources.get_object() if resources is not None else {}
            for reference in (resources.get("/XObject") or {}).values():
                xobject = reference.get_object()
                key = reference.idnum if hasattr(reference, "idnum") else id(xobject)
                if key in seen:
                    continue
                seen.add(key)
                if xobject.get("/Subtype") == "/Form":
                    pending.append(xobject.get("/Resources"))
                filters = xobject.get("/Filter")
                if filters == "/DCTDecode" or (
                    isinstance(filters, list) and "/DCTDecode" in filters
                ):
                    streams.append(xobject._data)
    return streams


def stored_originals(vault: Vault, media_type: str) -> list[bytes]:
    """The bytes of every original of *media_type*, as the vault holds them."""
    blob_ids = [
        b
        for (b,) in vault.conn.execute(
            "SELECT blob_id FROM originals WHERE media_type = ? ORDER BY id", (media_type,)
        )
    ]
    return [b"".join(iter_chunks(vault.conn, blob_id)) for blob_id in blob_ids]


def read_page(pdf: Path, page: int, workdir: Path, dpi: int = 200) -> str:
    """What a reader sees on page *page* (1-based) of *pdf*: drawn with pdftoppm and read
    by Tesseract, so text drawn as pixels or outlines counts as much as text objects.
    Lower case, whitespace folded."""
    from PIL import Image

    from nco_desktop.ocr import tesseract
    from nco_desktop.ocr.words import text_of

    tesseract.prepare(tesseract.tessdata_dir())
    workdir.mkdir(parents=True, exist_ok=True)
    prefix = workdir / f"read-{page}"
    for old in workdir.glob(f"{prefix.name}-*.png"):
        old.unlink()
    with Image.open(render_page(pdf, page, dpi, prefix)) as drawn:
        words = tesseract.read_words(drawn.convert("RGB"))
    return " ".join(text_of(words).lower().split())
