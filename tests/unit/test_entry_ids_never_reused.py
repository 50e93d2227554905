"""Entries deleted for good never give their ids to later entries (found in review).

SQLite gives a new row max(id) + 1. Deleting the newest entries for good freed their
ids; the next import or incident took them, inside the range an earlier import's audit
row recorded, and verify reported that import's entries "changed after import".
"""

from __future__ import annotations

from nco_desktop.case.hiding import delete_for_good, hide_entries
from nco_desktop.case.incidents import NewIncident, add_incident
from nco_desktop.importers.batch import import_paths
from nco_desktop.verification import verify_vault
from tests.conftest import write_file


def _sms(texts: list[str]) -> str:
    rows = "".join(
        f'<sms address="5550100" date="{1_710_281_730_000 + i * 1000}" type="1" body="{t}" />'
        for i, t in enumerate(texts)
    )
    return f"<smses>{rows}</smses>"


def test_the_newest_entries_deleted_for_good_then_more_imported(vault, tmp_path):
    import_paths(vault, [write_file(tmp_path / "a" / "sms.xml", _sms(["a", "b", "c"]))])
    newest = [r[0] for r in vault.conn.execute("SELECT id FROM entries ORDER BY id DESC")][:2]
    hide_entries(vault, newest, "imported by mistake")
    delete_for_good(vault, newest)
    import_paths(vault, [write_file(tmp_path / "b" / "sms.xml", _sms(["x", "y"]))])
    incident = add_incident(vault, NewIncident(occurred_ms=None, summary="at my door"))
    report = verify_vault(vault)
    assert report.intact, report.problems
    ids = [r[0] for r in vault.conn.execute("SELECT id FROM entries ORDER BY id")]
    assert ids[0] == 1 and min(ids[1:]) > 3 and incident == max(ids)
    assert vault.conn.execute("SELECT count(*) FROM entries WHERE kind = 'note'").fetchone() == (
        0,
    )  # no placeholder left behind
