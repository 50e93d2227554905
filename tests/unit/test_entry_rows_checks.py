"""A batch of entries skips SQLite's CHECK pass only when Python checked the same.

add_entry_rows checks each row against the entries table's CHECK constraints itself
and lets SQLite skip its own pass (40 % of a backup's insert). These tests try to slip
a row past: every value each CHECK refuses, values of the wrong type, a schema with a
constraint the Python check does not know, and a trigger.
"""

from __future__ import annotations

import pytest

from nco_desktop.evidence.store import ENTRY_ROW_COLUMNS, add_entry_rows
from nco_desktop.vault.connection import IntegrityError

GOOD = (
    "message", 1_710_000_000_000, -300, "export-field", "second", "incoming", "+13125550100",
    "tel:+13125550100", "Alex", "hi", None, None, None, "t", None, "{}", "2024-01-01T00:00:00Z",
)  # fmt: skip


def row(**changes: object) -> tuple[object, ...]:
    names = [name.strip() for name in ENTRY_ROW_COLUMNS.split(",")]
    values = dict(zip(names, GOOD, strict=True)) | changes
    return tuple(values[name] for name in names)


BAD = [
    {"kind": "tweet"},
    {"kind": b"message"},
    {"utc_offset_min": 1081},
    {"utc_offset_min": -1081},
    {"time_precision": "hour"},
    {"direction": "sideways"},
    {"call_type": "outgoing-ish"},
    {"duration_s": -1},
]


def _ignored_checks(vault) -> int:
    return vault.conn.execute("PRAGMA ignore_check_constraints").fetchone()[0]


@pytest.mark.parametrize("change", BAD, ids=[next(iter(c)) + "=" + repr(next(iter(c.values())))
                                              for c in BAD])  # fmt: skip
def test_a_row_any_check_refuses_is_refused_in_a_batch(vault, change):
    with pytest.raises(IntegrityError), vault.change() as ch:
        add_entry_rows(ch, [row(source_key="a"), row(source_key="b", **change)])
    assert vault.conn.execute("SELECT count(*) FROM entries").fetchone()[0] == 0
    assert _ignored_checks(vault) == 0


def test_values_of_other_types_are_left_to_sqlite_and_the_flag_goes_back(vault):
    with vault.change() as ch:
        # A float offset and a bool duration pass SQLite's own checks; Python's exact
        # types send the batch to SQLite, which stores them as it always did.
        assert add_entry_rows(ch, [row(source_key="a", utc_offset_min=60.0)]) == 1
        assert add_entry_rows(ch, [row(source_key="b", duration_s=True)]) == 1
        assert add_entry_rows(ch, [row(source_key="c"), row(source_key="d")]) == 2
        assert _ignored_checks(vault) == 0
        ch.audit("test.entries")
    with pytest.raises(IntegrityError), vault.change() as ch:
        add_entry_rows(ch, [row(source_key="e", kind=None)])  # NOT NULL stays checked


def test_a_constraint_python_does_not_know_keeps_sqlites_checks(vault):
    """A trigger (a later schema, or one added for a session) could refuse what the
    Python check lets through: then SQLite runs every check and trigger itself."""
    vault.conn.execute(
        "CREATE TEMP TRIGGER no_tweets BEFORE INSERT ON entries WHEN NEW.text = 'no' "
        "BEGIN SELECT RAISE(ABORT, 'refused'); END"
    )
    with pytest.raises(IntegrityError), vault.change() as ch:
        add_entry_rows(ch, [row(source_key="a", text="no")])
    vault.conn.execute("DROP TRIGGER no_tweets")
    with vault.change() as ch:
        assert add_entry_rows(ch, [row(source_key="a")]) == 1
        ch.audit("test.entries")


def test_the_vaults_own_schema_and_a_plain_row_take_the_fast_way(vault):
    """Else the speed-up would silently never happen (benchmarks/bench_import.py)."""
    from nco_desktop.evidence.store import _checks_are_known, _rows_pass_checks

    assert _checks_are_known(vault.conn)
    assert _rows_pass_checks([row(), row(direction=None, utc_offset_min=None, duration_s=0)])
