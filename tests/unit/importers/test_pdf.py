"""PDF documents made here with reportlab and pypdf: text, metadata, dates, locks, damage."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader, PdfWriter
from reportlab.pdfgen import canvas

from nco_desktop.evidence.records import EntryKind, TimePrecision, TimeSource
from nco_desktop.importers.formats import pdf
from nco_desktop.importers.model import ParsedEntry, ParseProblem, ParseSource, UnreadableFile
from nco_desktop.timekeeping import to_ms

MTIME = 1_700_000_000_000


def source(path: Path, mtime_ms: int | None = MTIME) -> ParseSource:
    return ParseSource(
        path=path,
        name=path.name,
        zone=ZoneInfo("America/Chicago"),
        region="US",
        mtime_ms=mtime_ms,
    )


def parse(path: Path, mtime_ms: int | None = MTIME) -> list:
    return list(pdf.parse(source(path, mtime_ms)))


def only_entry(items: list) -> ParsedEntry:
    entries = [i for i in items if isinstance(i, ParsedEntry)]
    assert len(entries) == 1
    assert entries[0].kind is EntryKind.DOCUMENT and entries[0].dedup_key is None
    return entries[0]


def report_pdf(pages: int = 3, *, lines: int = 1, title: str | None = "Incident report") -> bytes:
    out = io.BytesIO()
    page_maker = canvas.Canvas(out, invariant=1)
    if title:
        page_maker.setTitle(title)
        page_maker.setAuthor("Officer J. Smith")
    for number in range(1, pages + 1):
        for line in range(lines):
            page_maker.drawString(72, 720 - 12 * line, f"Page {number}: respondent at the door")
        page_maker.showPage()
    page_maker.save()
    return out.getvalue()


def with_metadata(data: bytes, metadata: dict[str, str] | None) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.metadata = None
    if metadata:
        writer.add_metadata(metadata)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_three_page_report_with_metadata_and_an_offset_date(tmp_path: Path) -> None:
    data = with_metadata(
        report_pdf(),
        {
            "/Title": "Incident report 24-1187",
            "/Author": "Officer J. Smith",
            "/Producer": "ReportLab",
            "/CreationDate": "D:20240312221530-05'00'",
            "/ModDate": "D:20240313090000-05'00'",
        },
    )
    path = write(tmp_path, "report.pdf", data)
    assert pdf.sniff(data[:65536], path.name)
    items = parse(path)
    assert not [i for i in items if isinstance(i, ParseProblem)]
    entry = only_entry(items)
    assert entry.meta["page_count"] == 3
    assert entry.meta["title"] == "Incident report 24-1187"
    assert entry.meta["author"] == "Officer J. Smith"
    assert entry.meta["producer"] == "ReportLab"
    assert entry.meta["creation_date"] == "D:20240312221530-05'00'"
    assert entry.meta["modification_date"] == "D:20240313090000-05'00'"
    assert entry.meta["encrypted"] is False
    assert entry.text is not None
    assert "Page 1: respondent at the door" in entry.text
    assert "Page 3: respondent at the door" in entry.text
    assert entry.time_source is TimeSource.HEADER
    assert entry.utc_offset_min == -300
    assert entry.occurred_ms == to_ms(datetime(2024, 3, 13, 3, 15, 30, tzinfo=UTC))
    assert entry.time_precision is TimePrecision.SECOND


def test_creation_date_without_offset_is_read_in_the_vault_zone(tmp_path: Path) -> None:
    data = with_metadata(report_pdf(1), {"/CreationDate": "D:20240112221530"})
    entry = only_entry(parse(write(tmp_path, "local.pdf", data)))
    assert entry.time_source is TimeSource.EXPORT_LOCAL
    assert entry.utc_offset_min == -360  # January in Chicago: CST
    assert entry.occurred_ms == to_ms(datetime(2024, 1, 13, 4, 15, 30, tzinfo=UTC))


def test_no_metadata_falls_back_to_the_file_time(tmp_path: Path) -> None:
    data = with_metadata(report_pdf(1, title=None), None)
    path = write(tmp_path, "plain.pdf", data)
    entry = only_entry(parse(path))
    assert "author" not in entry.meta and "title" not in entry.meta
    assert entry.time_source is TimeSource.FILE_MTIME and entry.occurred_ms == MTIME
    entry = only_entry(parse(path, mtime_ms=None))
    assert entry.time_source is TimeSource.UNKNOWN and entry.occurred_ms is None


def test_password_protected_pdf_is_kept_with_a_problem(tmp_path: Path) -> None:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(report_pdf())))
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    items = parse(write(tmp_path, "locked.pdf", out.getvalue()))
    assert ParseProblem("this PDF is password-protected; its text could not be read") in items
    entry = only_entry(items)
    assert entry.meta["encrypted"] is True
    assert entry.meta["page_count"] == 3
    assert entry.text is None
    assert entry.time_source is TimeSource.FILE_MTIME  # its dates are encrypted too


def test_pdf_locked_only_against_editing_opens_with_the_empty_password(tmp_path: Path) -> None:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(report_pdf())))
    writer.encrypt(user_password="", owner_password="owner-only")
    out = io.BytesIO()
    writer.write(out)
    items = parse(write(tmp_path, "restricted.pdf", out.getvalue()))
    assert not [i for i in items if isinstance(i, ParseProblem)]
    entry = only_entry(items)
    assert entry.meta["encrypted"] is True and entry.meta["page_count"] == 3
    assert entry.text is not None and "Page 2" in entry.text


def test_truncated_pdf_is_damaged_and_says_so_quietly(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    data = report_pdf()
    path = write(tmp_path, "cut.pdf", data[: len(data) // 2])
    with pytest.raises(UnreadableFile, match=r"^the PDF is damaged; it was kept as it is$"):
        parse(path)
    assert capfd.readouterr().err == ""  # pypdf's warnings stay out of the terminal


def test_wrong_xref_offset_is_recovered(tmp_path: Path) -> None:
    data = re.sub(rb"startxref\s+\d+", b"startxref\n999", report_pdf())
    entry = only_entry(parse(write(tmp_path, "bent.pdf", data)))
    assert entry.meta["page_count"] == 3
    assert entry.text is not None and "Page 3" in entry.text


def test_empty_and_junk_files(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFile, match="empty"):
        parse(write(tmp_path, "empty.pdf", b""))
    with pytest.raises(UnreadableFile, match="damaged"):
        parse(write(tmp_path, "junk.pdf", b"%PDF-1.7\n" + b"\x00garbage" * 100))


def test_text_is_taken_from_at_most_fifty_pages(tmp_path: Path) -> None:
    entry = only_entry(parse(write(tmp_path, "long.pdf", report_pdf(55))))
    assert entry.meta["page_count"] == 55
    assert entry.text is not None
    assert "Page 50:" in entry.text and "Page 51:" not in entry.text
    assert entry.meta["text_note"] == "text was taken from the first 50 of 55 pages"


def test_text_is_cut_at_the_character_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf, "MAX_TEXT_CHARS", 100)
    entry = only_entry(parse(write(tmp_path, "wordy.pdf", report_pdf(3, lines=5))))
    assert entry.text is not None and len(entry.text) <= 100
    assert "first 100 characters" in entry.meta["text_note"]


def test_scan_without_text_layer(tmp_path: Path) -> None:
    writer = PdfWriter()
    writer.add_blank_page(612, 792)
    out = io.BytesIO()
    writer.write(out)
    entry = only_entry(parse(write(tmp_path, "scan.pdf", out.getvalue())))
    assert entry.text is None
    assert entry.meta["page_count"] == 1
    assert "no text layer" in entry.meta["text_note"]


def test_sniff() -> None:
    assert pdf.sniff(b"%PDF-1.4\n", "x.pdf")
    assert pdf.sniff(b"junk before the header " * 10 + b"%PDF-1.7", "mail.eml")
    assert not pdf.sniff(b" " * 1100 + b"%PDF-1.7", "x.pdf")
    assert not pdf.sniff(b"hello", "x.pdf")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("D:20240312221530Z", (datetime(2024, 3, 12, 22, 15, 30, tzinfo=UTC), "second")),
        ("D:20240312221530Z00'00'", (datetime(2024, 3, 12, 22, 15, 30, tzinfo=UTC), "second")),
        ("D:202403122215+01'00'", (datetime(2024, 3, 12, 21, 15, tzinfo=UTC), "minute")),
        ("D:20240312", (datetime(2024, 3, 12), "day")),
        ("20240312221530", (datetime(2024, 3, 12, 22, 15, 30), "second")),
        ("D:2024", None),
        ("D:20241312000000Z", None),
        ("D:00000101000000Z", None),
        ("D:19700101000000Z", None),
        ("yesterday", None),
    ],
)
def test_parse_pdf_date(text: str, expected: tuple[datetime, str] | None) -> None:
    result = pdf.parse_pdf_date(text)
    if expected is None:
        assert result is None
        return
    assert result is not None
    moment, precision = result
    assert moment == expected[0] and (moment.tzinfo is None) == (expected[0].tzinfo is None)
    assert precision.value == expected[1]
