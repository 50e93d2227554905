"""The fast import path (issue 18, speed) writes exactly what the slow one did.

Entries travel from the worker in columns and are written a batch at a time; these
tests check that nothing of the old guarantees was traded for it: every column is
checked, duplicates are counted, attachments are linked, entries keep the parser's
order, and the audit row's fingerprint is the one ``verify`` recomputes.
"""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from nco_desktop.evidence.records import (
    CallType,
    Direction,
    EntryKind,
    TimePrecision,
    TimeSource,
)
from nco_desktop.evidence.store import (
    add_original,
    entries_fingerprint,
    last_entry_id,
    meta_json,
)
from nco_desktop.importers.batch import IMPORT_CACHE_KIB, Outcome, import_paths
from nco_desktop.importers.model import (
    FormatNote,
    ParsedAttachment,
    ParsedEntry,
    ParsedItem,
    ParseProblem,
)
from nco_desktop.importers.writer import ParsedWriter
from nco_desktop.sandbox import wire
from nco_desktop.vault import Vault
from nco_desktop.vault.connection import Connection
from nco_desktop.verification import verify_vault
from tests.conftest import write_file

T0 = 1_710_281_730_000


def _message(n: int, **changes: Any) -> ParsedEntry:
    values: dict[str, Any] = {
        "kind": EntryKind.MESSAGE,
        "occurred_ms": T0 + n * 1000,
        "time_source": TimeSource.EXPORT_FIELD,
        "direction": Direction.INCOMING,
        "party": "(555) 010-0199",
        "text": f"message {n} “quoted” 😀",
        "thread_key": "(555) 010-0199",
        "dedup_key": f"sms|{n}",
        "meta": {"status": "received", "sent_ms": None},
    }
    return ParsedEntry(**(values | changes))


def _through_the_channel(items: list[ParsedItem]) -> list[ParsedItem]:
    """Encode as a worker does, through real JSON, and decode as the program does."""
    encoded, payloads = wire.encode_items(items)
    header = wire.parse_header(json.dumps({"items": encoded}, ensure_ascii=True).encode())
    return wire.decode_items(header["items"], payloads)


# ----- the channel ---------------------------------------------------------------------


def test_entries_cross_the_channel_in_columns_and_come_back_the_same() -> None:
    items: list[ParsedItem] = [
        _message(1),
        _message(2, text="x" * (wire.INLINE_TEXT + 1)),  # long: travels as a payload
        ParsedAttachment(ref="a1", name="p.jpg", media_type="image/jpeg", data=b"\xff\xd8"),
        _message(3, attachment_refs=("a1",), utc_offset_min=-300),
        ParsedEntry(
            kind=EntryKind.CALL,
            occurred_ms=None,
            time_source=TimeSource.UNKNOWN,
            time_precision=TimePrecision.MINUTE,
            call_type=CallType.MISSED,
            duration_s=0,
            meta={"nested": [1, "two", {"three": None}]},
        ),
        ParseProblem("one record was unreadable"),
        _message(4, direction=None, party=None, text=None),
        FormatNote("a note"),
    ]
    encoded, payloads = wire.encode_items(items)
    assert [item["t"] for item in encoded] == [
        "entries",
        "attachment",
        "entries",
        "problem",
        "entries",
        "note",
    ]
    assert encoded[0]["n"] == 2 and set(encoded[0]["columns"]) == set(wire.ENTRY_FIELDS)
    assert len(payloads) == 2  # the attachment and the long text
    assert _through_the_channel(items) == items


COLUMNS: dict[str, list[Any]] = {name: [None] for name in wire.ENTRY_FIELDS} | {
    "kind": ["note"],
    "time_source": ["unknown"],
    "time_precision": ["second"],
    "attachment_refs": [[]],
    "meta": [{}],
}
GOOD_RUN: dict[str, Any] = {
    "t": "entries",
    "n": 1,
    "columns": COLUMNS,
}


def _run(**columns: list[Any]) -> dict[str, Any]:
    return {**GOOD_RUN, "columns": {**COLUMNS, **columns}}


def test_a_well_formed_run_is_read() -> None:
    (entry,) = wire.decode_items([GOOD_RUN], [])
    assert entry == ParsedEntry(
        kind=EntryKind.NOTE, occurred_ms=None, time_source=TimeSource.UNKNOWN
    )


@pytest.mark.parametrize(
    "item, payloads",
    [
        (_run(occurred_ms=[True], time_source=["header"]), []),  # a bool is no time
        (_run(occurred_ms=[1.5], time_source=["header"]), []),
        (_run(occurred_ms=[T0]), []),  # a time with "unknown" as its source
        (_run(time_source=["header"]), []),  # a source without its time
        (_run(kind=["Note"]), []),
        (_run(kind=[None]), []),
        (_run(kind=[["note"]]), []),  # unhashable where a name belongs
        (_run(direction=[1]), []),
        (_run(time_precision=[None]), []),  # not nullable
        (_run(party=[["+1555"]]), []),
        (_run(party=[{"payload": 0}]), [b"+1555"]),  # only text may be a payload
        (_run(meta=["x"]), []),
        (_run(meta=[None]), []),
        (_run(attachment_refs=[[1]]), []),
        (_run(attachment_refs=[None]), []),
        (_run(text=[{"payload": 0}]), [b"\xff\xfe"]),  # not UTF-8
        (_run(text=[{"payload": 1}]), [b"a"]),  # no such payload
        (_run(text=[{"payload": 0, "more": 1}]), [b"a"]),
        (_run(kind=["note", "note"]), []),  # columns of different lengths
        ({**GOOD_RUN, "n": 2}, []),
        ({**GOOD_RUN, "n": True}, []),
        ({**GOOD_RUN, "columns": [[None]]}, []),
        ({**GOOD_RUN, "columns": {**COLUMNS, "extra": [1]}}, []),
        (
            {**GOOD_RUN, "columns": {k: v for k, v in COLUMNS.items() if k != "meta"}},
            [],
        ),
        ({**GOOD_RUN, "rows": []}, []),  # a field no worker sends
        (GOOD_RUN, [b"unused"]),  # a payload no item claims
    ],
)
def test_a_run_that_does_not_fit_the_contract_is_refused(
    item: dict[str, Any], payloads: list[bytes]
) -> None:
    with pytest.raises(wire.WireError):
        wire.decode_items([item], payloads)


# ----- the writer ----------------------------------------------------------------------


def _reference_fingerprint(conn: Connection, after_id: int, up_to_id: int) -> str:
    """The fingerprint as it was first defined (json.dumps per row): verify's contract."""
    digest = hashlib.sha256()
    for row in conn.execute(
        "SELECT id, kind, occurred_ms, utc_offset_min, time_source, time_precision, "
        "direction, party, party_key, party_name, text, original_id, call_type, duration_s, "
        "thread_key, source_key, meta_json FROM entries WHERE id > ? AND id <= ? ORDER BY id",
        (after_id, up_to_id),
    ):
        digest.update(json.dumps(row, ensure_ascii=False).encode("utf-8", "surrogatepass"))
        digest.update(b"\n")
    return digest.hexdigest()


def test_batches_count_duplicates_link_attachments_and_keep_the_order(vault: Vault) -> None:
    import io

    with vault.change() as change:
        original, _ = add_original(
            change,
            io.BytesIO(b"backup"),
            name="sms.xml",
            media_type="text/xml",
            import_source="file",
        )
        first = last_entry_id(change.conn)
        writer = ParsedWriter(change, original, "sms_xml", "US")
        writer.add_all(
            [
                _message(1),
                _message(1),  # the same record twice in one batch: one entry
                ParsedAttachment(ref="a", name="p.jpg", media_type="image/jpeg", data=b"jpg"),
                _message(2, attachment_refs=("a",), original_ref=None),
                _message(3, utc_offset_min=99 * 60),  # impossible: kept without it
                ParseProblem("one record was unreadable"),
                FormatNote("a note"),
            ]
        )
        writer.add_all([_message(4), _message(3)])  # a later batch: 3 is a duplicate
        writer.add(_message(5, text='\x00 nul, \u2028 and \\ " kept'))
        last = last_entry_id(change.conn)
        change.audit("test")
    assert (writer.entries_added, writer.duplicates, writer.attachments_added) == (5, 2, 1)
    assert writer.problems[0].startswith("a time said it was +99.0 hours")
    assert writer.problems[1:] == ["one record was unreadable"] and writer.notes == ["a note"]
    rows = vault.conn.execute(
        "SELECT text, party_key, utc_offset_min, meta_json, created_at FROM entries "
        "WHERE id > ? ORDER BY id",
        (first,),
    ).fetchall()
    assert [row[0].split(" ")[1] for row in rows[:4]] == ["1", "2", "3", "4"]
    assert rows[4][0] == '\x00 nul, \u2028 and \\ " kept'
    assert {row[1] for row in rows} == {"tel:+15550100199"}
    assert rows[2][2] is None
    assert rows[0][3] == '{"sent_ms": null, "status": "received"}'
    (linked,) = vault.conn.execute(
        "SELECT e.text FROM entry_attachments a JOIN entries e ON e.id = a.entry_id"
    ).fetchone()
    assert linked.startswith("message 2 ")
    assert entries_fingerprint(vault.conn, first, last) == _reference_fingerprint(
        vault.conn, first, last
    )


def test_a_failing_batch_writes_nothing_past_its_savepoint(vault: Vault) -> None:
    import io

    from nco_desktop.vault.connection import IntegrityError

    with vault.change() as change:
        original, _ = add_original(
            change,
            io.BytesIO(b"calls"),
            name="c.xml",
            media_type="text/xml",
            import_source="file",
        )
        change.conn.execute("SAVEPOINT parsed")
        writer = ParsedWriter(change, original, "sms_xml", "US")
        with pytest.raises(IntegrityError):  # the schema refuses a negative duration
            writer.add_all([_message(1), _message(2, kind=EntryKind.CALL, duration_s=-5)])
        change.conn.execute("ROLLBACK TO parsed")
        change.conn.execute("RELEASE parsed")
        change.audit("test")
        writer.add_all([])  # nothing was left over from the failed batch
    (count,) = vault.conn.execute("SELECT count(*) FROM entries").fetchone()
    assert count == 0


@pytest.mark.parametrize(
    "meta",
    [
        {},
        {"b": 1, "a": [None, "é", {"z": 2, "y": True}]},
        {"subject": "No escaparás 😀", "tab": "\t\x00\u2028"},
        {"x": 1.5, "y": float("inf"), "z": -0.0},
        {3: "int keys", 1: None},
    ],
)
def test_meta_is_stored_as_the_same_text_as_before(meta: dict[str, Any]) -> None:
    assert meta_json(meta) == json.dumps(meta, ensure_ascii=False, sort_keys=True)


# ----- end to end ----------------------------------------------------------------------


def _backup(count: int) -> str:
    rows = []
    for i in range(count):
        rows.append(
            f'  <sms protocol="0" address="+1555010{i % 7:04d}" date="{T0 + i * 1000}" '
            f'type="{1 + i % 2}" subject="null" body="message {i} &#55357;&#56832;" '
            'read="1" status="-1" contact_name="(Unknown)" />'
        )
        if i % 400 == 0:  # the same message again: a duplicate within the file
            rows.append(rows[-1])
        if i % 450 == 0:
            picture = base64.b64encode(b"\xff\xd8\xff\xe0 not a jpeg %d" % i).decode()
            rows.append(
                f'  <mms date="{T0 + i * 1000 + 1}" msg_box="1" address="+15550100001" '
                'contact_name="(Unknown)"><parts>'
                f'<part seq="0" ct="image/jpeg" name="p{i}.jpg" data="{picture}" />'
                '<part seq="1" ct="text/plain" text="see this" /></parts>'
                '<addrs><addr address="+15550100001" type="137" /></addrs></mms>'
            )
    body = "\n".join(rows)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<smses count="{count}">\n{body}\n</smses>\n'


def test_a_backup_of_several_batches_imports_once_and_verifies(
    vault: Vault, tmp_path: Path
) -> None:
    """More entries than one worker frame holds, duplicates and MMS pictures among them;
    the audit row's fingerprint matches the entries, and verify agrees."""
    path = write_file(tmp_path / "sms-1.xml", _backup(1200))
    (cache_before,) = vault.conn.execute("PRAGMA cache_size").fetchone()
    summary = import_paths(vault, [path], thumbnails=False)
    (result,) = summary.results
    assert result.outcome is Outcome.IMPORTED, result.message
    assert (result.entries_added, result.duplicates) == (1200 + 3, 3)
    (cache_after,) = vault.conn.execute("PRAGMA cache_size").fetchone()
    assert cache_after == cache_before != -IMPORT_CACHE_KIB
    (details,) = vault.conn.execute(
        "SELECT details_json FROM audit_log WHERE action = 'import.file'"
    ).fetchone()
    record = json.loads(details)
    first, last = record["entry_ids"]
    assert record["entries_added"] == last - first == 1203
    assert record["entries_sha256"] == _reference_fingerprint(vault.conn, first, last)
    (linked,) = vault.conn.execute("SELECT count(*) FROM entry_attachments").fetchone()
    assert linked == 3
    texts = [t for (t,) in vault.conn.execute("SELECT text FROM entries ORDER BY id")]
    assert texts[:3] == ["message 0 😀", "see this", "message 1 😀"]
    assert verify_vault(vault).intact

    again = write_file(tmp_path / "sms-2.xml", _backup(1300))  # overlaps the first
    (second,) = import_paths(vault, [again], thumbnails=False).results
    assert (second.entries_added, second.duplicates) == (100, 1300 + 4 + 3 - 100)
    assert verify_vault(vault).intact
