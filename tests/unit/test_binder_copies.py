"""The binder's copies on real vaults: built into memory, judged old, saved whole.

These rules are shared by the window's Binder view and the CLI's ``binder`` command
(nco_desktop.binder.copies), so they are checked here without Qt.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from nco_desktop.binder.assemble import build_binder
from nco_desktop.binder.copies import (
    E_FILING_LIMIT,
    MEGABYTE,
    OPTIONS_ACTION,
    BuiltBinder,
    BuiltCopy,
    EmptyExhibit,
    SavedFiles,
    build_copies,
    changed_since,
    copy_options,
    empty_exhibits,
    exhibits_without_items,
    last_audit_seq,
    planned_files,
    save_copies,
    service_path,
    suggested_file_name,
    volume_bytes,
    will_split,
)
from nco_desktop.binder.exhibits import add_exhibit, list_exhibits, set_exhibit_items
from nco_desktop.binder.options import BinderOptions, LabelStyle
from nco_desktop.binder.saved_options import BinderChoices, save_choices
from nco_desktop.case.details import save_case_details
from nco_desktop.importers.batch import import_paths
from nco_desktop.progress import Cancelled, CancelToken, no_progress
from tests.conftest import write_file
from tests.support.factories import noisy_jpeg, write_voicemail

PRIVATE = ["42 Elm Street"]
SMS = """<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>
<smses count="2">
<sms address="+15550100199" date="1710300930000" type="1"
 body="I know you live at 42 Elm Street" contact_name="John Roe" />
<sms address="+15550100199" date="1710301030000" type="2"
 body="Stop contacting me." contact_name="John Roe" />
</smses>"""


def _seed(vault, folder: Path, *, voicemail: bool = False, big: bool = False) -> None:
    write_file(folder / "sms-20240313.xml", SMS)
    if voicemail:
        write_voicemail(folder / "voicemail.wav")
    if big:
        for number in (1, 2, 3):
            write_file(folder / f"Screenshot_2024031{number}-221530.jpg", noisy_jpeg())
    summary = import_paths(vault, [folder], thumbnails=False)
    assert summary.all_ok, summary.headline()
    save_case_details(vault, {"court": "Superior Court", "petitioner": "Jane Doe"}, PRIVATE)


@pytest.fixture
def case_vault(vault, tmp_path):
    _seed(vault, tmp_path / "evidence")
    return vault


def _text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _build(vault, choices: BinderChoices) -> BuiltBinder:
    return build_copies(vault, choices, ("Court", "Other side"), no_progress, CancelToken())


# ----- building -------------------------------------------------------------------------


def test_the_court_copy_is_the_binder_the_cli_writes(case_vault, tmp_path):
    built = _build(case_vault, BinderChoices())
    out = tmp_path / "binder.pdf"
    result = build_binder(case_vault, out, BinderOptions())
    assert built.court.data == out.read_bytes()
    assert built.court.pages == result.pages == len(PdfReader(out).pages)
    assert built.court.size == len(built.court.data)
    assert built.service is None
    assert built.exhibits == result.exhibits >= 1
    assert built.audit_seq == last_audit_seq(case_vault)
    assert built.choices == BinderChoices() and built.empty_exhibits == ()


def test_the_copy_for_the_other_side_leaves_the_private_details_out(case_vault):
    # Asked for service in the options: the court's copy is still the court's.
    choices = BinderChoices(BinderOptions(for_service=True), service_copy=True)
    built = _build(case_vault, choices)
    assert built.service is not None
    assert "42 Elm Street" in _text(built.court.data)
    assert "42 Elm Street" not in _text(built.service.data)
    assert built.court.data == _build(case_vault, BinderChoices()).court.data


def test_copy_options_court_first_and_never_for_service():
    options = BinderOptions(prefix="Resp. Ex.", for_service=True)
    assert copy_options(BinderChoices(options)) == [BinderOptions(prefix="Resp. Ex.")]
    court, service = copy_options(BinderChoices(options, service_copy=True))
    assert not court.for_service and service.for_service
    assert service.prefix == court.prefix == "Resp. Ex."


def test_progress_runs_once_across_both_copies(case_vault):
    reports: list[tuple[int, int, str]] = []
    choices = BinderChoices(service_copy=True)
    build_copies(
        case_vault,
        choices,
        ("Court", "Other side"),
        lambda done, total, label: reports.append((done, total, label)),
        CancelToken(),
    )
    dones = [done for done, _, _ in reports]
    assert dones == sorted(dones)
    assert {total for _, total, _ in reports} == {reports[-1][1]}
    assert reports[-1][0] == reports[-1][1]
    assert reports[0][2].startswith("Court") and reports[-1][2] == "Other side"
    assert any(label.startswith("Other side: ") for _, _, label in reports)


def test_a_cancelled_build_is_never_handed_back(case_vault):
    cancel = CancelToken()

    def stop_at_once(done: int, total: int, label: str) -> None:
        cancel.cancel()

    with pytest.raises(Cancelled):
        build_copies(case_vault, BinderChoices(), ("Court", "Other side"), stop_at_once, cancel)


# ----- empty exhibits -------------------------------------------------------------------


def test_empty_exhibits_are_named_as_the_binder_labels_them(case_vault):
    entry_ids = [i for (i,) in case_vault.conn.execute("SELECT id FROM entries ORDER BY id")]
    assert exhibits_without_items(case_vault) == []
    add_exhibit(case_vault, "Messages", "", entry_ids)
    add_exhibit(case_vault, "Later", "", entry_ids[:1])
    later = list_exhibits(case_vault)[1].id
    set_exhibit_items(case_vault, later, [])
    assert exhibits_without_items(case_vault) == [EmptyExhibit(2, "Later")]
    letters = BinderChoices(BinderOptions(labels=LabelStyle.LETTERS, prefix="Resp. Ex."))
    assert empty_exhibits(case_vault, letters) == ["Resp. Ex. B — Later"]
    assert empty_exhibits(case_vault, BinderChoices()) == ["Pet. Ex. 2 — Later"]
    assert _build(case_vault, BinderChoices()).empty_exhibits == ("Pet. Ex. 2 — Later",)


# ----- old or not -----------------------------------------------------------------------


def test_changed_since_any_change_but_a_saved_choice_that_changes_no_page(case_vault):
    choices = BinderChoices()
    built = _build(case_vault, choices)
    assert not changed_since(case_vault, built, choices)

    # Saving the volume size alone is audited, but changes no page.
    split = BinderChoices(split_mb=5.0)
    assert save_choices(case_vault, split)
    assert case_vault.conn.execute(
        "SELECT action FROM audit_log ORDER BY seq DESC LIMIT 1"
    ).fetchone() == (OPTIONS_ACTION,)
    assert not changed_since(case_vault, built, split)
    # Different options, or a copy for the other side that was not built: old.
    assert changed_since(case_vault, built, BinderChoices(BinderOptions(tabs=True)))
    assert changed_since(case_vault, built, BinderChoices(service_copy=True))
    # Any other audited change: old.
    entry_id = case_vault.conn.execute("SELECT min(id) FROM entries").fetchone()[0]
    add_exhibit(case_vault, "New", "", [entry_id])
    assert changed_since(case_vault, built, split)


def test_a_copy_for_the_other_side_built_but_no_longer_wanted_is_not_old(case_vault):
    built = _build(case_vault, BinderChoices(service_copy=True))
    assert not changed_since(case_vault, built, BinderChoices())


# ----- names and sizes ------------------------------------------------------------------


def test_suggested_file_names_are_safe():
    assert suggested_file_name("Exhibits", "24-DV-01234") == "Exhibits 24-DV-01234.pdf"
    assert suggested_file_name("Exhibits", " 24/DV:01234 ") == "Exhibits 24-DV-01234.pdf"
    assert suggested_file_name("Exhibits", 'a*b?"c<d>|e') == "Exhibits a-b-c-d-e.pdf"
    assert suggested_file_name("Exhibits", " ... ") == "Exhibits.pdf"
    assert suggested_file_name("Exhibits", "") == "Exhibits.pdf"


def test_service_path_sits_beside_the_court_copy(tmp_path):
    assert service_path(tmp_path / "Binder.pdf") == tmp_path / "Binder-for-service.pdf"
    assert service_path(tmp_path / "Binder") == tmp_path / "Binder-for-service.pdf"


def test_volume_sizes_and_when_a_copy_is_cut():
    assert MEGABYTE == 1_000_000 and E_FILING_LIMIT == 25 * MEGABYTE
    assert volume_bytes(None) is None
    assert volume_bytes(25.0) == 25_000_000 and volume_bytes(0.5) == 500_000
    court = BuiltCopy(b"x" * 1_500, 1)
    built = BuiltBinder(court, None, 1, BinderChoices(), 0)
    assert not will_split(built, None)
    assert will_split(built, 0.001)  # 1,000 bytes
    assert not will_split(built, 0.002)
    both = BuiltBinder(BuiltCopy(b"x", 1), court, 1, BinderChoices(service_copy=True), 0)
    assert will_split(both, 0.001)  # the copy for the other side is the larger one
    assert planned_files(built, Path("/x/B.pdf")) == [Path("/x/B.pdf")]
    assert planned_files(both, Path("/x/B.pdf")) == [Path("/x/B.pdf"), Path("/x/B-for-service.pdf")]


# ----- saving ---------------------------------------------------------------------------


def test_save_writes_the_bytes_previewed_then_the_recordings(vault, tmp_path):
    _seed(vault, tmp_path / "evidence", voicemail=True)
    built = _build(vault, BinderChoices(service_copy=True))
    out = tmp_path / "out" / "Binder.pdf"
    out.parent.mkdir()
    reports: list[tuple[int, int, str]] = []
    saved = save_copies(
        vault,
        built,
        out,
        split_mb=None,
        recordings=True,
        progress=lambda done, total, label: reports.append((done, total, label)),
        cancel=CancelToken(),
    )
    assert saved.error is None and not saved.stopped
    (recording,) = (tmp_path / "out" / "Binder-recordings").iterdir()
    (theirs,) = (tmp_path / "out" / "Binder-for-service-recordings").iterdir()
    assert saved.written == [out, service_path(out), recording, theirs]
    assert theirs.name == "Pet. Ex. 2 - 01.wav"  # their own: no file name, only the sound
    assert saved.recordings == 1 and recording.name.endswith("voicemail.wav")
    assert out.read_bytes() == built.court.data
    assert service_path(out).read_bytes() == built.service.data
    assert reports[0] == (0, 3, "Binder.pdf") and reports[-1] == (3, 3, "")
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".")]  # no partial files


def test_save_cuts_volumes_under_the_size_chosen_now(vault, tmp_path):
    _seed(vault, tmp_path / "evidence", big=True)
    built = _build(vault, BinderChoices())
    assert built.court.size > MEGABYTE
    out = tmp_path / "Exhibits.pdf"
    saved = save_copies(
        vault,
        built,
        out,
        split_mb=1.0,
        recordings=False,
        progress=no_progress,
        cancel=CancelToken(),
    )
    volumes = sorted(tmp_path.glob("Exhibits-vol*.pdf"))
    assert len(volumes) >= 2 and saved.written == [out, *volumes]
    assert saved.recordings is None
    assert all(v.stat().st_size <= MEGABYTE for v in volumes)
    assert sum(len(PdfReader(v).pages) for v in volumes) == built.court.pages
    assert out.read_bytes() == built.court.data  # the whole binder too


def test_a_stop_before_saving_writes_nothing_and_says_so(case_vault, tmp_path):
    built = _build(case_vault, BinderChoices())
    cancel = CancelToken()
    cancel.cancel()
    out = tmp_path / "binder.pdf"
    saved = save_copies(
        case_vault, built, out, split_mb=None, recordings=True, progress=no_progress, cancel=cancel
    )
    assert saved == SavedFiles(written=[], recordings=None, stopped=True, error=None)
    assert not out.exists()


def test_a_failed_write_keeps_what_was_written_and_the_reason(case_vault, tmp_path):
    built = _build(case_vault, BinderChoices(service_copy=True))
    out = tmp_path / "binder.pdf"
    service_path(out).mkdir()  # a folder where the second file should go
    saved = save_copies(
        case_vault,
        built,
        out,
        split_mb=None,
        recordings=False,
        progress=no_progress,
        cancel=CancelToken(),
    )
    assert saved.written == [out] and out.read_bytes() == built.court.data
    assert isinstance(saved.error, OSError) and not saved.stopped


def test_every_file_saved_in_the_clear_is_owner_only_whatever_the_umask(vault, tmp_path):
    """The saved copies, volumes and recordings hold the case unencrypted: another
    account on the computer must not read them, even with a permissive umask."""
    import os
    import stat

    _seed(vault, tmp_path / "evidence", voicemail=True, big=True)
    built = _build(vault, BinderChoices(service_copy=True))
    out = tmp_path / "out" / "Binder.pdf"
    out.parent.mkdir()
    previous = os.umask(0o000)  # the most permissive: files would be world-writable
    try:
        saved = save_copies(
            vault,
            built,
            out,
            split_mb=1.0,
            recordings=True,
            progress=no_progress,
            cancel=CancelToken(),
        )
    finally:
        os.umask(previous)
    assert saved.error is None and len(saved.written) > 3  # copies, volumes, a recording
    for path in saved.written:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name
    folder = out.parent / "Binder-recordings"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
