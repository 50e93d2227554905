"""Transcripts of recordings: typed in the window, kept apart from the evidence, printed
on the recording's page (and redacted in the copy for the other side)."""

from __future__ import annotations

import json
import wave
from pathlib import Path

import pytest
from pypdf import PdfReader

from nco_desktop.binder.assemble import build_binder
from nco_desktop.binder.options import BinderOptions
from nco_desktop.case.details import save_case_details
from nco_desktop.errors import NcoError
from nco_desktop.evidence.transcripts import set_transcript, transcript
from nco_desktop.importers.batch import import_paths
from nco_desktop.timeline.query import iter_entries
from nco_desktop.verification import verify_vault

WORDS = "Caller: I saw you at 14 Birch Lane last night. You can't hide from me."


def _recording(folder: Path) -> Path:
    path = folder / "voicemail.wav"
    folder.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(8000)
        handle.writeframes(b"\x00\x10" * 8000)
    return path


@pytest.fixture
def recorded(vault, tmp_path):
    import_paths(vault, [_recording(tmp_path / "in")], thumbnails=False)
    (entry,) = [e for e in iter_entries(vault.conn) if e.kind == "audio"]
    return vault, entry.id


def _text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def test_a_transcript_is_saved_audited_without_its_words_and_verify_still_passes(recorded):
    vault, entry_id = recorded
    assert set_transcript(vault, entry_id, f"  {WORDS}\n")
    assert transcript(vault.conn, entry_id) == WORDS
    assert not set_transcript(vault, entry_id, WORDS)  # unchanged: nothing written
    action, details = vault.conn.execute(
        "SELECT action, details_json FROM audit_log ORDER BY seq DESC LIMIT 1"
    ).fetchone()
    assert action == "entry.transcript_changed"
    assert json.loads(details) == {"entry_id": entry_id, "length": len(WORDS)}
    assert verify_vault(vault).intact
    assert set_transcript(vault, entry_id, "  ")  # blank removes it
    assert transcript(vault.conn, entry_id) == ""


def test_only_recordings_take_transcripts_and_long_ones_are_refused(recorded, tmp_path):
    vault, entry_id = recorded
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "note.txt").write_text("He drove past twice.")
    import_paths(vault, [tmp_path / "notes"], thumbnails=False)
    other = next(e.id for e in iter_entries(vault.conn) if e.kind != "audio")
    with pytest.raises(NcoError, match="Only recordings"):
        set_transcript(vault, other, "words")
    with pytest.raises(NcoError, match="at most"):
        set_transcript(vault, entry_id, "x" * 100_001)
    with pytest.raises(NcoError, match="no entry"):
        set_transcript(vault, 99_999, "words")
    assert transcript(vault.conn, entry_id) == ""


def test_the_binder_prints_the_transcript_and_the_service_copy_redacts_it(recorded, tmp_path):
    vault, entry_id = recorded
    court, service = tmp_path / "court.pdf", tmp_path / "service.pdf"
    build_binder(vault, court)
    assert "Transcript: none was typed for this recording." in _text(court)
    set_transcript(vault, entry_id, WORDS)
    save_case_details(vault, private=["14 Birch Lane"])
    build_binder(vault, court)
    build_binder(vault, service, BinderOptions(for_service=True))
    court_text = _text(court)
    assert "Transcript typed from the recording by the person submitting it" in court_text
    assert "14 Birch Lane last night" in court_text
    service_text = _text(service)
    assert "Birch" not in service_text
    assert "You can't hide from me." in service_text
