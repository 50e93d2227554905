"""A pasted clipboard picture: stored in memory only, honest time, thumbnail, verified."""

from datetime import UTC, datetime
from io import BytesIO

import pytest
from PIL import Image

from nco_desktop.importers.pasted import import_pasted_picture
from nco_desktop.timeline.query import iter_entries
from nco_desktop.verification import verify_vault


def _png(colour: str = "red") -> bytes:
    out = BytesIO()
    Image.new("RGBA", (400, 800), colour).save(out, format="PNG")
    return out.getvalue()


def test_pasted_picture_is_an_image_entry_with_unknown_time_and_a_thumbnail(vault, tmp_path):
    moment = datetime(2026, 11, 25, 20, 3, 4, tzinfo=UTC)
    before = set(tmp_path.iterdir())
    pasted = import_pasted_picture(vault, _png(), pasted_at=moment)
    assert pasted.entry_id is not None
    assert pasted.name == "Pasted picture 2026-11-25 14.03.04.png"  # vault zone: Chicago
    (entry,) = list(iter_entries(vault.conn))
    assert entry.kind == "image" and entry.occurred_ms is None
    assert entry.time_source == "unknown"
    (thumb,) = vault.conn.execute(
        "SELECT count(*) FROM derivatives WHERE original_id = ? AND kind = 'thumbnail'",
        (pasted.original_id,),
    ).fetchone()
    assert thumb == 1
    assert verify_vault(vault).intact
    assert set(tmp_path.iterdir()) == before  # nothing written beside the vault


def test_the_same_picture_twice_is_stored_once(vault):
    moment = datetime(2026, 11, 25, tzinfo=UTC)
    assert import_pasted_picture(vault, _png("blue"), pasted_at=moment).entry_id is not None
    again = import_pasted_picture(vault, _png("blue"), pasted_at=moment)
    assert again.entry_id is None
    assert len(list(iter_entries(vault.conn))) == 1


@pytest.mark.parametrize("data", [b"", b"not a png", b"\x89PNG\r\n\x1a\n" + b"\0" * 100])
def test_broken_clipboard_data_is_refused_and_nothing_is_written(vault, data):
    rows = vault.conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    with pytest.raises(ValueError, match="clipboard picture"):
        import_pasted_picture(vault, data, pasted_at=datetime(2026, 1, 1, tzinfo=UTC))
    assert vault.conn.execute("SELECT count(*) FROM audit_log").fetchone()[0] == rows
