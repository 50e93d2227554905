"""The timeline model: day header rows, order, markers, thumbnails, caches."""

from __future__ import annotations

import io

from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon, QPixmap

from nco_desktop.evidence.records import (
    EntryKind,
)
from nco_desktop.evidence.store import add_original
from nco_desktop.timeline.query import TimelineQuery
from nco_desktop.ui.timeline.timeline_model import TimelineModel
from nco_desktop.vault.blobs import put_bytes
from tests.support.factories import add, at, seed_small

D = Qt.ItemDataRole.DisplayRole
TIP = Qt.ItemDataRole.ToolTipRole


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


def test_a_tiff_thumbnail_is_refused_without_touching_a_freed_buffer(qapp, vault):
    """Qt's TIFF reader touched its device when destroyed (buffer-first crashed); a
    stored thumbnail is read only as a JPEG now, so a TIFF one is refused, every time."""
    import gc
    import io

    from PIL import Image
    from PySide6.QtCore import QSize

    from nco_desktop.ui.common.thumbnails import decode_thumbnail
    from nco_desktop.vault.blobs import put_bytes

    tiff = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(tiff, "TIFF")
    with vault.change() as change:
        blob = put_bytes(change.conn, tiff.getvalue())
        change.audit("test.seed")
    for _ in range(50):
        assert decode_thumbnail(vault.conn, blob.id, QSize(52, 30)) is None
        gc.collect()
