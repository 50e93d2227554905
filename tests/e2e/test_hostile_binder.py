"""A binder with hostile pictures and PDFs among its exhibits is still built (issue 12).

Each file is stored as an import keeps it and chosen as an exhibit; the build must end,
in seconds, with the rest of the binder intact and a sentence in place of what could
not be drawn — never an internal error, never a hang.
"""

from __future__ import annotations

import io
import threading

import pytest
from pypdf import PageObject, PdfReader
from pypdf.errors import LimitReachedError

from nco_desktop.binder.assemble import build_binder
from nco_desktop.binder.exhibits import add_exhibit
from nco_desktop.evidence.records import EntryKind, TimeSource
from nco_desktop.evidence.store import add_original
from nco_desktop.vault import Vault
from tests.support.factories import add
from tests.support.hostile_files import PDFS, PICTURES

DEADLINE = 60.0  # seconds; each build takes well under one here


def build_with(vault, data: bytes, name: str, media_type: str, kind: EntryKind) -> str:
    with vault.change() as change:
        original, _ = add_original(
            change, io.BytesIO(data), name=name, media_type=media_type, import_source="test"
        )
        entry = add(change, kind, None, time_source=TimeSource.UNKNOWN, original_id=original.id)
        change.audit("test.seed")
    add_exhibit(vault, "What he sent", "", [entry])
    out = io.BytesIO()
    failure: list[BaseException] = []
    key = vault.vault_key()

    def build() -> None:  # on its own connection, as the window's build job does
        try:
            with Vault.open_with_key(key) as own:
                build_binder(own, out)
        except BaseException as exc:  # reported below, with the file's name
            failure.append(exc)

    worker = threading.Thread(target=build, daemon=True)
    worker.start()
    worker.join(DEADLINE)
    assert not worker.is_alive(), f"building with {name} hung"
    assert not failure, f"building with {name} failed: {failure[0]!r}"
    reader = PdfReader(io.BytesIO(out.getvalue()))
    return "\n".join(_text(page) for page in reader.pages)


def _text(page: PageObject) -> str:
    """A page's text; an imported page that is itself the bomb is passed over (pypdf
    refuses it here, as the binder carries imported pages as they were)."""
    try:
        return page.extract_text()
    except LimitReachedError:
        return ""


@pytest.mark.parametrize("name", sorted(PDFS))
def test_a_hostile_pdf_exhibit(vault, name):
    text = build_with(vault, PDFS[name], f"{name}.pdf", "application/pdf", EntryKind.DOCUMENT)
    assert "What he sent" in text  # the exhibit's divider is there
    assert f"{name}.pdf" in text  # named, with its fingerprint, whatever its pages did


@pytest.mark.parametrize("name", sorted(PICTURES))
def test_a_hostile_picture_exhibit(vault, name):
    text = build_with(vault, PICTURES[name], f"{name}.png", "image/png", EntryKind.IMAGE)
    assert "What he sent" in text
    assert f"{name}.png" in text


def test_a_pdf_the_sandbox_cannot_read_in_time_is_refused_before_the_build_reads_it(
    vault, monkeypatch
):
    """The build merges a PDF's pages with pypdf in its own process, but only after the
    sandbox has read it the same way within its deadline. With no time at all, a good
    PDF is refused there and never merged: the page says it could not be opened."""
    from nco_desktop.binder import sandbox_worker
    from nco_desktop.sandbox.pool import Limits
    from tests.support.hostile_files import GOOD_PDF

    monkeypatch.setattr(
        sandbox_worker,
        "BINDER_PICTURE_LIMITS",
        Limits(cpu_seconds=1, wall_seconds=0.0, wall_seconds_per_mb=0.0),
    )
    text = build_with(vault, GOOD_PDF, "report.pdf", "application/pdf", EntryKind.DOCUMENT)
    assert "could not be opened for printing" in text


def test_a_good_pdf_is_checked_in_the_sandbox_and_merged(vault):
    from tests.support.hostile_files import GOOD_PDF

    text = build_with(vault, GOOD_PDF, "report.pdf", "application/pdf", EntryKind.DOCUMENT)
    assert "could not be opened for printing" not in text
