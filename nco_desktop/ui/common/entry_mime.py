"""Timeline entries carried by drag and drop inside the window.

A drag of entries holds one format, :data:`ENTRY_IDS_MIME`: a JSON array of entry ids.
Any view that lists entries can produce it (the timeline, the Exhibits view's evidence
list and item list do); the exhibit lists and an incident's evidence accept it. Ids
only, never text: a drag can end over another program, which would then receive
whatever the drag holds.

The data may also come from outside the program (any application can offer any format
name), so reading it is strict: malformed, oversized or non-integer content is refused
as a whole.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from PySide6.QtCore import QByteArray, QMimeData

#: The format of a drag of timeline entries: a JSON array of entry ids, e.g. ``[12, 7]``.
ENTRY_IDS_MIME = "application/x-nco-entry-ids"
MAX_DRAGGED_IDS = 10_000  # more than an exhibit holds
_MAX_BYTES = 16 * MAX_DRAGGED_IDS


def encode_ids(ids: Sequence[int]) -> QByteArray:
    return QByteArray(json.dumps([int(i) for i in ids]).encode("ascii"))


def decode_ids(data: QByteArray | bytes) -> list[int] | None:
    """The ids in *data*, in order without repeats; None if it is not a list of ids."""
    raw = bytes(data.data()) if isinstance(data, QByteArray) else bytes(data)
    if not raw or len(raw) > _MAX_BYTES:
        return None
    try:
        value = json.loads(raw.decode("ascii"))
    except (UnicodeDecodeError, ValueError):
        return None
    return valid_ids(value)


def valid_ids(value: object) -> list[int] | None:
    """*value* as ids if it is a non-empty list of positive integers, without repeats."""
    if not isinstance(value, list) or not value or len(value) > MAX_DRAGGED_IDS:
        return None
    if any(isinstance(i, bool) or not isinstance(i, int) or i <= 0 for i in value):
        return None
    return list(dict.fromkeys(value))


def entry_ids_mime_data(ids: Sequence[int]) -> QMimeData:
    """A drag's data holding *ids* as :data:`ENTRY_IDS_MIME`."""
    data = QMimeData()
    data.setData(ENTRY_IDS_MIME, encode_ids(ids))
    return data


def entry_ids_from_mime(data: QMimeData | None) -> list[int] | None:
    """The entry ids a drag holds, or None when it holds none (or something else)."""
    if data is None or not data.hasFormat(ENTRY_IDS_MIME):
        return None
    return decode_ids(data.data(ENTRY_IDS_MIME))
