"""Court profiles (#19, beyond the anchors): one choice sets what each court asks, and
the binder read back shows it — no annotations for New York, a blank top and no colour
for Washington, short names and searchable pictures for Texas."""

from __future__ import annotations

import re
from pathlib import Path

import pikepdf
import pytest
from PIL import Image
from pypdf import PdfReader

from nco_desktop.binder.assemble import build_binder
from nco_desktop.binder.copies import build_copies, save_copies
from nco_desktop.binder.courts import RULES, apply_court, conflicts, court_words, name_too_long
from nco_desktop.binder.exhibits import create_exhibit
from nco_desktop.binder.navigation import back_words
from nco_desktop.binder.options import BinderOptions, Court, Paper
from nco_desktop.binder.saved_options import BinderChoices, load_choices, save_choices
from nco_desktop.case.people import IdentifierKind, NewPerson, Role, add_person
from nco_desktop.cli import main
from nco_desktop.evidence.records import Direction
from nco_desktop.ocr import store as ocr_store
from nco_desktop.progress import CancelToken, no_progress
from nco_desktop.vault import TEST_KDF, Vault
from tests.conftest import PASSPHRASE
from tests.support.factories import add, at, seed_small
from tests.support.pdf_pages import render_page

_COLOUR = re.compile(rb"(-?[\d.]+) (-?[\d.]+) (-?[\d.]+) (rg|RG)\b")


def _case(vault: Vault) -> dict[str, int]:
    ids = seed_small(vault)
    with vault.change() as change:  # one the pattern page counts (it goes by party key)
        ids["keyed"] = add(
            change,
            ms=at(2024, 3, 14, 23, 5),
            party="+15550100199",
            party_key="tel:+15550100199",
            party_name="Sam Roe",
            direction=Direction.INCOMING,
            text="Answer me",
        )
        change.audit("test.seed")
    create_exhibit(vault, "Texts and calls", entry_ids=[ids["late"], ids["call"], ids["keyed"]])
    create_exhibit(vault, "The screenshot", entry_ids=[ids["picture"]])
    add_person(
        vault, NewPerson(Role.RESTRAINED, "Sam Roe", ((IdentifierKind.PHONE, "+15550100199"),))
    )
    return ids


def _build(vault: Vault, out: Path, court: Court, **extra: object) -> PdfReader:
    options = BinderOptions(court=court, pattern_page=True, **extra)  # type: ignore[arg-type]
    choices = apply_court(BinderChoices(options))
    result = build_binder(vault, out, choices.options)
    assert result.path == out
    return PdfReader(out)


def _content(page) -> bytes:
    contents = page.get_contents()
    return b"" if contents is None else contents.get_data()


def _colours(reader: PdfReader) -> set[tuple[float, float, float]]:
    """Every colour set in the pages' own drawing (pictures are images, not operators)."""
    found = set()
    for page in reader.pages:
        for match in _COLOUR.finditer(_content(page)):
            found.add(tuple(round(float(v), 3) for v in match.groups()[:3]))
    return found


def test_profiles_fix_paper_pdfa_and_the_largest_file() -> None:
    a4 = BinderChoices(BinderOptions(paper=Paper.A4, court=Court.NEW_YORK), split_mb=None)
    new_york = apply_court(a4)
    assert new_york.options.paper is Paper.LETTER and new_york.options.pdfa
    assert new_york.split_mb == 100.0
    smaller = apply_court(BinderChoices(BinderOptions(court=Court.TEXAS), split_mb=10.0))
    assert smaller.split_mb == 10.0  # a smaller volume the user chose is kept
    assert apply_court(BinderChoices(BinderOptions(court=Court.TEXAS))).split_mb == 32.0
    mine = BinderChoices(BinderOptions(paper=Paper.A4))
    assert apply_court(mine) == mine  # no court: the user's own settings, untouched
    assert court_words(Court.ANY) == []
    for court in Court:
        if court is not Court.ANY:
            assert RULES[court].paper is Paper.LETTER
            assert any("clerk" in line for line in court_words(court))


def test_a_saved_court_comes_back_and_keeps_its_rules(vault: Vault) -> None:
    save_choices(
        vault, BinderChoices(BinderOptions(court=Court.NEW_YORK, paper=Paper.A4), per_exhibit=True)
    )
    loaded = load_choices(vault)
    assert loaded.options.court is Court.NEW_YORK
    assert loaded.options.paper is Paper.LETTER and loaded.options.pdfa
    assert loaded.split_mb == 100.0 and loaded.per_exhibit


def test_conflicts_and_long_names_are_named() -> None:
    assert conflicts(Court.ANY, Paper.A4, 500.0) == []
    (paper,) = conflicts(Court.CALIFORNIA, Paper.A4, None)
    assert "Letter" in paper and "A4" in paper
    (size,) = conflicts(Court.TEXAS, None, 40.0)
    assert "32 MB" in size
    assert name_too_long(Court.TEXAS, ["short.pdf", "x" * 50]) is None
    message = name_too_long(Court.TEXAS, ["short.pdf", "y" * 47 + ".pdf"])
    assert message is not None and "51 characters" in message and "50" in message
    assert name_too_long(Court.ANY, ["z" * 300]) is None


def test_new_york_has_no_annotation_and_keeps_its_bookmarks(vault: Vault, tmp_path: Path) -> None:
    _case(vault)
    plain = _build(vault, tmp_path / "any.pdf", Court.ANY)
    assert sum(len(page.get("/Annots") or []) for page in plain.pages) > 0  # links, usually
    reader = _build(vault, tmp_path / "ny.pdf", Court.NEW_YORK)
    with pikepdf.open(tmp_path / "ny.pdf") as pdf:
        for obj in pdf.objects:  # not one annotation anywhere in the file
            if isinstance(obj, pikepdf.Dictionary):
                assert "/Annots" not in obj and obj.get("/Type") != "/Annot"
        assert "/OutputIntents" in pdf.Root  # PDF/A, as New York's profile sets
    assert len(reader.outline) >= 6  # cover, index, chronology, …, each exhibit
    text = "".join(page.extract_text() for page in reader.pages)
    # Each divider still says where the index is, as plain words: no link, no blue.
    assert text.count(back_words(2)) == 2
    assert not [c for c in _colours(reader) if c == (0.05, 0.25, 0.6)]
    assert back_words(2) in "".join(page.extract_text() for page in plain.pages)
    assert (0.05, 0.25, 0.6) in _colours(plain)


def test_washington_keeps_the_first_pages_top_blank_and_draws_no_colour(
    vault: Vault, tmp_path: Path
) -> None:
    _case(vault)
    plain = _build(vault, tmp_path / "any.pdf", Court.ANY, tabs=True)
    assert any(len(set(colour)) > 1 for colour in _colours(plain))  # the test can see colour
    out = tmp_path / "wa.pdf"
    reader = _build(vault, out, Court.WASHINGTON, tabs=True)
    for pdf in (plain, reader):  # its bars are blue and its late nights red, elsewhere
        assert any("Pattern of contact" in page.extract_text() for page in pdf.pages)
    assert all(len(set(colour)) == 1 for colour in _colours(reader)), _colours(reader)
    dividers = [n for n, page in enumerate(reader.pages, 1) if "EXHIBIT " in page.extract_text()]
    assert dividers
    for number in [1, *dividers]:  # the cover, and each divider (a first page filed alone)
        png = render_page(out, number, 50, tmp_path / f"wa{number}")
        with Image.open(png) as image:
            grey = image.convert("L")
            top = grey.crop((0, 0, grey.width, (3 * 50)))  # the top 3 inches
            assert top.getextrema()[0] == 255, f"ink in the top 3 in of page {number}"
            below = grey.crop((0, (3 * 50), grey.width, grey.height))
            assert below.getextrema()[0] < 128  # the page has its words, lower down


def test_pictures_not_read_yet_are_named_for_a_court_that_searches(
    vault: Vault, tmp_path: Path
) -> None:
    ids = _case(vault)
    result = build_binder(vault, tmp_path / "ca.pdf", BinderOptions(court=Court.CALIFORNIA))
    (place,) = result.unsearchable
    assert "Pet. Ex. 2" in place and "not checked by the text reader yet" in place
    assert build_binder(vault, tmp_path / "any.pdf", BinderOptions()).unsearchable == []
    service = BinderOptions(court=Court.CALIFORNIA, for_service=True)  # never has the words
    assert build_binder(vault, tmp_path / "svc.pdf", service).unsearchable == []
    (original_id,) = vault.conn.execute(
        "SELECT original_id FROM entries WHERE id = ?", (ids["picture"],)
    ).fetchone()
    ocr_store.save_page(vault, original_id, 0, width=40, height=20, words=[])
    again = build_binder(vault, tmp_path / "ca2.pdf", BinderOptions(court=Court.CALIFORNIA))
    assert again.unsearchable == []  # read, and nothing in it to search: fine


def _cli_vault(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "case.ncovault"
    with Vault.create(path, PASSPHRASE, time_zone="America/Chicago", kdf=TEST_KDF) as vault:
        _case(vault)
    monkeypatch.setenv("NCO_PASSPHRASE", PASSPHRASE)
    return path


def test_cli_texas_refuses_long_names_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = _cli_vault(tmp_path, monkeypatch)
    out = tmp_path / "out" / ("Petitioner exhibits for the protective order" + ".pdf")
    out.parent.mkdir()
    args = ["binder", "--vault", str(vault), "--out", str(out), "--court", "texas"]
    assert main(args) == 2
    said = capsys.readouterr()
    assert "at most 50" in said.err and "-vol99.pdf" in said.err  # its volumes count too
    assert list(out.parent.iterdir()) == []
    short = tmp_path / "out" / "Exhibits.pdf"
    assert main(["binder", "--vault", str(vault), "--out", str(short), "--court", "texas"]) == 0
    said = capsys.readouterr()
    assert "Texas (eFile Texas): File names of at most 50 characters." in said.out
    assert "cannot be searched yet" in said.err and "Pet. Ex. 2" in said.err
    with pikepdf.open(short) as pdf:
        assert not pdf.is_encrypted
        assert "/EmbeddedFiles" not in pdf.Root.get("/Names", {})
        assert "/OpenAction" not in pdf.Root and "/AA" not in pdf.Root
        for obj in pdf.objects:  # no script and no media anywhere
            if isinstance(obj, pikepdf.Dictionary):
                assert obj.get("/S") not in ("/JavaScript", "/Launch", "/Rendition")
                assert obj.get("/Subtype") not in ("/FileAttachment", "/RichMedia", "/Screen")


def test_cli_refuses_what_the_court_does_not_take(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = _cli_vault(tmp_path, monkeypatch)
    out = tmp_path / "b.pdf"
    base = ["binder", "--vault", str(vault), "--out", str(out)]
    assert main([*base, "--court", "new-york", "--paper", "a4"]) == 2
    assert "Letter" in capsys.readouterr().err and not out.exists()
    assert main([*base, "--court", "texas", "--split-mb", "40"]) == 2
    assert "32 MB" in capsys.readouterr().err and not out.exists()
    assert main([*base, "--court", "new-york"]) == 0
    with pikepdf.open(out) as pdf:
        assert "/OutputIntents" in pdf.Root
        assert all("/Annots" not in page.obj for page in pdf.pages)
        width = float(pdf.pages[0].mediabox[2])
    assert width == pytest.approx(612)  # US Letter


def test_saving_from_the_window_refuses_a_name_texas_would_refuse(
    vault: Vault, tmp_path: Path
) -> None:
    _case(vault)
    choices = apply_court(BinderChoices(BinderOptions(court=Court.TEXAS), service_copy=True))
    built = build_copies(vault, choices, ("Court", "Other side"), no_progress, CancelToken())
    folder = tmp_path / "out"
    folder.mkdir()
    # 37 characters: fits alone, but not with "-for-service" (the other side's copy).
    long = folder / ("Exhibits for the hearing in December" + ".pdf")
    saved = save_copies(
        vault,
        built,
        long,
        split_mb=None,
        recordings=False,
        progress=no_progress,
        cancel=CancelToken(),
    )
    assert saved.written == [] and "-for-service.pdf" in str(saved.error)
    assert list(folder.iterdir()) == []
    short = folder / "Exhibits.pdf"
    saved = save_copies(
        vault,
        built,
        short,
        split_mb=32.0,
        recordings=False,
        progress=no_progress,
        cancel=CancelToken(),
    )
    assert saved.error is None and saved.written[0] == short
    assert all(len(path.name) <= 50 for path in folder.iterdir())


def test_cli_saves_each_exhibit_alone_for_new_york(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = _cli_vault(tmp_path, monkeypatch)
    out = tmp_path / "out" / "Exhibits.pdf"
    out.parent.mkdir()
    args = ["binder", "--vault", str(vault), "--out", str(out), "--court", "new-york"]
    assert main([*args, "--per-exhibit"]) == 0
    said = capsys.readouterr().out
    names = sorted(path.name for path in out.parent.iterdir())
    assert names == [
        "Exhibits-0-index.pdf",
        "Exhibits-ex1.pdf",
        "Exhibits-ex2.pdf",
        "Exhibits-z-appendix.pdf",
        "Exhibits.pdf",
    ]
    assert "“Exhibits-ex2.pdf”: Exhibit 2" in said
    whole = PdfReader(out)
    second = PdfReader(out.parent / "Exhibits-ex2.pdf")
    assert "EXHIBIT 2" in second.pages[0].extract_text()
    assert len(PdfReader(out.parent / "Exhibits-0-index.pdf").pages) + sum(
        len(PdfReader(out.parent / name).pages) for name in names[1:4]
    ) == len(whole.pages)
    for name in names:  # New York's rules hold in every file: PDF/A, nothing clickable
        with pikepdf.open(out.parent / name) as pdf:
            assert "/OutputIntents" in pdf.Root
            assert all("/Annots" not in page.obj for page in pdf.pages)


def test_saving_from_the_window_writes_each_exhibit_alone(vault: Vault, tmp_path: Path) -> None:
    _case(vault)
    choices = BinderChoices(BinderOptions(), service_copy=True, per_exhibit=True)
    built = build_copies(vault, choices, ("Court", "Other side"), no_progress, CancelToken())
    saved = save_copies(
        vault,
        built,
        tmp_path / "B.pdf",
        split_mb=None,
        recordings=False,
        progress=no_progress,
        cancel=CancelToken(),
        per_exhibit=True,
    )
    assert saved.error is None
    names = {path.name for path in saved.written}
    for copy in ("B", "B-for-service"):  # the other side's copy is cut the same way
        assert {f"{copy}.pdf", f"{copy}-0-index.pdf", f"{copy}-ex1.pdf", f"{copy}-ex2.pdf"} <= names
    served = PdfReader(tmp_path / "B-for-service-ex1.pdf")
    assert "EXHIBIT 1" in served.pages[0].extract_text()


def test_files_left_from_an_earlier_save_are_named_and_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = _cli_vault(tmp_path, monkeypatch)
    out = tmp_path / "out" / "B.pdf"
    out.parent.mkdir()
    base = ["binder", "--vault", str(vault), "--out", str(out), "--per-exhibit"]
    assert main(base) == 0
    capsys.readouterr()
    assert main([*base, "--labels", "letters"]) == 0  # B-exA.pdf … now; B-ex1.pdf is old
    said = capsys.readouterr().err
    assert "Left from an earlier save" in said and "B-ex1.pdf, B-ex2.pdf" in said
    assert "B-exA.pdf" not in said and "B-0-index.pdf" not in said
    assert (out.parent / "B-ex1.pdf").exists()  # named, never deleted


def test_a_washington_stamp_moves_to_the_foot_and_texas_recordings_fit() -> None:
    from nco_desktop.binder.options import Corner
    from nco_desktop.binder.recordings import recording_name

    top = BinderChoices(BinderOptions(court=Court.WASHINGTON, stamp_corner=Corner.TOP_LEFT))
    assert apply_court(top).options.stamp_corner is Corner.BOTTOM_LEFT
    long = "Voicemail from Sam Roe on 2024-03-12 at 22.15 threatening.wav"
    name = recording_name("Pet. Ex.", "12", 3, long, 50)
    assert (
        len(name) <= 50
        and name.startswith("Pet. Ex. 12 - 03 - Voicemail")
        and name.endswith(".wav")
    )
    assert recording_name("Pet. Ex.", "1", 1, long) == f"Pet. Ex. 1 - 01 - {long}"


def test_a_court_rules_the_copies_whatever_the_caller_holds() -> None:
    from nco_desktop.binder.copies import copy_options

    raw = BinderChoices(BinderOptions(court=Court.NEW_YORK, paper=Paper.A4), service_copy=True)
    for options in copy_options(raw):  # as a form that failed to save would hand them over
        assert options.pdfa and options.paper is Paper.LETTER


def test_the_other_sides_pdfa_copy_is_dated_by_the_day_only(vault: Vault, tmp_path: Path) -> None:
    """PDF/A dates each copy by the vault's last change; the other side's copy gives
    the day, not the hour and minute the user last worked on their case."""
    _case(vault)
    court, served = tmp_path / "court.pdf", tmp_path / "served.pdf"
    build_binder(vault, court, BinderOptions(court=Court.NEW_YORK, pdfa=True))
    build_binder(vault, served, BinderOptions(court=Court.NEW_YORK, pdfa=True, for_service=True))
    (at,) = vault.conn.execute("SELECT at FROM audit_log ORDER BY seq DESC").fetchone()
    with pikepdf.open(court) as pdf:
        assert str(pdf.docinfo.CreationDate)[2:16] == at[:19].translate(
            str.maketrans("", "", "-T:")
        )
    with pikepdf.open(served) as pdf:
        stamp = str(pdf.docinfo.CreationDate)
        assert stamp[2:10] == at[:10].replace("-", "") and stamp[10:16] == "000000"
        xmp = bytes(pdf.Root.Metadata.read_bytes()).decode()
        assert f"{at[:10]}T00:00:00" in xmp
        assert at[11:19] == "00:00:00" or at[11:19] not in xmp  # the hour is not there
