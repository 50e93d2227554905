"""The timeline model: day header rows, order, markers, thumbnails, caches."""

from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon, QPixmap

from nco_desktop.evidence.records import (
    CallType,
    Direction,
    EntryKind,
    NewEntry,
    TimePrecision,
    TimeSource,
)
from nco_desktop.evidence.store import add_entry, add_original
from nco_desktop.timekeeping import to_ms
from nco_desktop.timeline.query import TimelineQuery
from nco_desktop.ui.timeline_model import TimelineModel
from nco_desktop.vault.blobs import put_bytes

CHICAGO = ZoneInfo("America/Chicago")  # the test vault's zone (tests/conftest.py)
D = Qt.ItemDataRole.DisplayRole
TIP = Qt.ItemDataRole.ToolTipRole


def at(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> int:
    return to_ms(datetime(year, month, day, hour, minute, tzinfo=CHICAGO))


def add(change, kind=EntryKind.MESSAGE, ms=None, **kw) -> int:
    source = kw.pop("time_source", TimeSource.UNKNOWN if ms is None else TimeSource.HEADER)
    if ms is None:
        kw.setdefault("time_precision", TimePrecision.UNKNOWN)
    entry_id = add_entry(change, NewEntry(kind=kind, occurred_ms=ms, time_source=source, **kw))
    assert entry_id is not None
    return entry_id


def add_picture(change, ms: int, name: str = "Screenshot_20240312-221530.png") -> int:
    """An image entry whose original has a stored JPEG thumbnail, as imports make them."""
    png = io.BytesIO()
    Image.new("RGB", (60, 120), (30, 140, 200)).save(png, "PNG")
    original, _ = add_original(
        change,
        io.BytesIO(png.getvalue() + name.encode()),
        name=name,
        media_type="image/png",
        import_source="test",
    )
    thumb = io.BytesIO()
    Image.new("RGB", (150, 300), (30, 140, 200)).save(thumb, "JPEG")
    blob = put_bytes(change.conn, thumb.getvalue())
    change.conn.execute(
        "INSERT INTO derivatives (original_id, kind, blob_id, meta_json, created_at) "
        "VALUES (?, 'thumbnail', ?, '{\"media_type\": \"image/jpeg\"}', ?)",
        (original.id, blob.id, change.at),
    )
    return add(
        change, EntryKind.IMAGE, ms, time_source=TimeSource.FILE_NAME, original_id=original.id
    )


def seed_small(vault) -> dict[str, int]:
    with vault.change() as change:
        ids = {
            "late": add(
                change,
                ms=at(2024, 3, 12, 22, 15),
                party="+15550100199",
                party_name="Sam Roe",
                direction=Direction.INCOMING,
                text="I know where you are\nsecond line",
            ),
            "unknown": add(change, EntryKind.DOCUMENT, text="Police report 24-1188"),
            "call": add(
                change,
                EntryKind.CALL,
                ms=at(2024, 3, 12, 8, 0),
                party="+15550100199",
                call_type=CallType.MISSED,
                duration_s=None,
            ),
            "mtime": add(
                change,
                EntryKind.AUDIO,
                ms=at(2024, 3, 13, 1, 0),
                time_source=TimeSource.FILE_MTIME,
                party="+15550100123",
            ),
            "first": add(
                change,
                EntryKind.NOTE,
                ms=at(2024, 3, 10, 9, 0),
                time_source=TimeSource.USER,
                time_precision=TimePrecision.DAY,
                text="He was outside again",
            ),
            "picture": add_picture(change, at(2024, 3, 13, 7, 30)),
        }
        change.audit("test.seed")
    return ids


def rows_of(model: TimelineModel) -> list[tuple[bool, object]]:
    out = []
    for row in range(model.rowCount()):
        index = model.index(row, 0)
        header = bool(index.data(TimelineModel.IsHeaderRole))
        out.append((header, index.data(D) if header else index.data(TimelineModel.EntryIdRole)))
    return out


def test_rows_are_in_time_order_under_day_headers(qapp, vault):
    ids = seed_small(vault)
    model = TimelineModel()
    model.set_vault(vault)
    rows = rows_of(model)
    headers = [text for header, text in rows if header]
    assert len(headers) == 4
    assert "10" in headers[0] and "March" in headers[0] and "2024" in headers[0]
    assert "12" in headers[1] and "13" in headers[2]
    assert headers[3] == "Time unknown"
    entries = [value for header, value in rows if not header]
    order = ["first", "call", "late", "mtime", "picture", "unknown"]
    assert entries == [ids[name] for name in order]
    assert [header for header, _ in rows] == [
        True,
        False,
        True,
        False,
        False,
        True,
        False,
        False,
        True,
        False,
    ]
    assert model.index(2, 0).data(TimelineModel.HeaderCountRole) == "2 entries"
    assert model.index(0, 0).data(TimelineModel.HeaderCountRole) == "1 entry"
    assert model.shown_count == model.total_count == 6
    assert model.header_rows() == [0, 2, 5, 8]


def test_header_rows_cannot_be_selected_and_entries_can(qapp, vault):
    seed_small(vault)
    model = TimelineModel()
    model.set_vault(vault)
    assert model.flags(model.index(0, 0)) == Qt.ItemFlag.NoItemFlags
    assert model.flags(model.index(1, 2)) & Qt.ItemFlag.ItemIsSelectable
    assert model.entry_id(0) is None and model.entry_id(1) is not None
    assert model.entry_id(-1) is None and model.entry_id(999) is None


def test_columns_show_kind_time_person_and_first_line(qapp, vault):
    ids = seed_small(vault)
    model = TimelineModel()
    model.set_vault(vault)
    row = model.row_of_entry(ids["late"])
    kind = model.index(row, TimelineModel.KIND)
    assert isinstance(kind.data(Qt.ItemDataRole.DecorationRole), QIcon)
    assert kind.data(TIP) == "Message"
    assert kind.data(Qt.ItemDataRole.AccessibleTextRole) == "Message"
    assert model.index(row, TimelineModel.TIME).data(D) in ("22:15", "10:15 PM")
    party = model.index(row, TimelineModel.PARTY)
    assert party.data(D) == "From Sam Roe"  # the name; the number is one hover away
    assert party.data(TIP) == "Received from Sam Roe (+15550100199)"
    assert model.index(row, TimelineModel.WHAT).data(D) == "I know where you are"
    assert "second line" in model.index(row, TimelineModel.WHAT).data(TIP)
    call = model.row_of_entry(ids["call"])
    assert model.index(call, TimelineModel.WHAT).data(D) == "Missed call"
    time_tip = model.index(row, TimelineModel.TIME).data(TIP)
    assert "CDT" in time_tip and "America/Chicago" in time_tip and "header" in time_tip
    assert not model.index(row, TimelineModel.TIME).data(TimelineModel.ApproximateRole)
    assert model.headerData(TimelineModel.TIME, Qt.Orientation.Horizontal) == "Time"


def test_weak_or_approximate_times_are_marked_and_explained(qapp, vault):
    ids = seed_small(vault)
    model = TimelineModel()
    model.set_vault(vault)
    mtime = model.index(model.row_of_entry(ids["mtime"]), TimelineModel.TIME)
    assert mtime.data(D).startswith("≈ ")
    assert mtime.data(TimelineModel.ApproximateRole) is True
    assert "modification date" in mtime.data(TIP) and "later than the event" in mtime.data(TIP)
    assert mtime.data(Qt.ItemDataRole.FontRole).italic()
    day_only = model.index(model.row_of_entry(ids["first"]), TimelineModel.TIME)
    assert day_only.data(D) == "≈ day only"
    assert "Only the day is known" in day_only.data(TIP)
    picture = model.index(model.row_of_entry(ids["picture"]), TimelineModel.TIME)
    assert picture.data(D).startswith("≈ ") and "file's name" in picture.data(TIP)
    unknown = model.index(model.row_of_entry(ids["unknown"]), TimelineModel.TIME)
    assert unknown.data(D) == "unknown"
    assert "listed last" in unknown.data(TIP)


def test_a_picture_shows_its_thumbnail(qapp, vault):
    ids = seed_small(vault)
    model = TimelineModel()
    model.set_vault(vault)
    what = model.index(model.row_of_entry(ids["picture"]), TimelineModel.WHAT)
    pixmap = what.data(Qt.ItemDataRole.DecorationRole)
    assert isinstance(pixmap, QPixmap) and not pixmap.isNull()
    logical = pixmap.size() / pixmap.devicePixelRatio()
    assert logical.height() <= 30 and logical.width() <= 52
    assert what.data(D) == "Screenshot_20240312-221530.png"
    again = what.data(Qt.ItemDataRole.DecorationRole)
    assert again.cacheKey() == pixmap.cacheKey()  # decoded once, then cached
    note = model.index(model.row_of_entry(ids["first"]), TimelineModel.WHAT)
    assert note.data(Qt.ItemDataRole.DecorationRole) is None


def test_a_query_filters_and_counts(qapp, vault):
    ids = seed_small(vault)
    model = TimelineModel()
    model.set_vault(vault)
    with_loaded = []
    model.loaded.connect(lambda: with_loaded.append(model.shown_count))
    model.set_query(TimelineQuery(party="0199"))
    assert [v for h, v in rows_of(model) if not h] == [ids["call"], ids["late"]]
    assert (model.shown_count, model.total_count) == (2, 6)
    assert with_loaded == [2]
    model.set_query(TimelineQuery(text="nothing like this"))
    assert model.rowCount() == 0 and model.total_count == 6


def test_no_vault_forgets_everything(qapp, vault):
    ids = seed_small(vault)
    model = TimelineModel()
    model.set_vault(vault)
    for row in range(model.rowCount()):
        for column in range(4):
            model.index(row, column).data(Qt.ItemDataRole.DecorationRole)
    assert model._presented and model._thumbnails
    model.set_vault(None)
    assert model.rowCount() == 0 and model.total_count == 0
    assert not model._presented and not model._thumbnails and model._pages is None
    assert model.row_of_entry(ids["late"]) is None


def test_a_broken_thumbnail_is_left_out(qapp, vault):
    with vault.change() as change:
        original, _ = add_original(
            change,
            io.BytesIO(b"not a picture"),
            name="odd.png",
            media_type="image/png",
            import_source="test",
        )
        blob = put_bytes(change.conn, b"\xff\xd8 garbage")
        change.conn.execute(
            "INSERT INTO derivatives (original_id, kind, blob_id, created_at) "
            "VALUES (?, 'thumbnail', ?, ?)",
            (original.id, blob.id, change.at),
        )
        entry = add(change, EntryKind.IMAGE, at(2024, 1, 1), original_id=original.id)
        change.audit("test.seed")
    model = TimelineModel()
    model.set_vault(vault)
    what = model.index(model.row_of_entry(entry), TimelineModel.WHAT)
    assert what.data(Qt.ItemDataRole.DecorationRole) is None
    assert what.data(D) == "odd.png"
