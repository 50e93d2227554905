"""Choosing exhibits: make, edit, fill, order and remove them, each one audited change.

The CLI's ``exhibit add/list/move/remove`` use the place-based functions at the top
(places are what a person types in a terminal). The window's Exhibits view uses the
id-based ones below: a list on screen can be re-sorted under the user's hand, an id
cannot point at the wrong exhibit.

Every write is one ``vault.change()`` with one audit row whose details hold ids and
counts only — never a title, a description or anything else the user typed: the audit
log proves nothing changed, it is not a second copy of the case. Bad input raises
:class:`~nco_desktop.case.InvalidRecord` before anything is written. Positions stay
dense after every change: exhibits 1…n, the items of each exhibit 0…n-1.

Incidents are never items of an exhibit made here: the binder lists them in its
chronology (as :func:`~nco_desktop.binder.plan.auto_groups` does), and their private
notes must not travel with an exhibit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from nco_desktop.binder.plan import auto_groups
from nco_desktop.case import InvalidRecord
from nco_desktop.errors import NcoError
from nco_desktop.evidence.records import EntryKind
from nco_desktop.timeline.query import iter_entries
from nco_desktop.vault import Change, Vault
from nco_desktop.vault.connection import Connection

MAX_TITLE_CHARS = 200  # three lines of the divider page's 16 pt heading
MAX_DESCRIPTION_CHARS = 2_000  # about half a divider page at 12 pt
MAX_ITEMS = 10_000  # per exhibit; a phone's whole message history fits
_CHUNK = 500  # ids per IN (…) query, well under SQLite's parameter limit


@dataclass(frozen=True)
class ExhibitRow:
    id: int
    position: int
    title: str
    description: str
    entry_ids: tuple[int, ...]


def list_exhibits(vault: Vault) -> list[ExhibitRow]:
    rows = []
    for exhibit_id, position, title, description in vault.conn.execute(
        "SELECT id, position, title, description FROM exhibits ORDER BY position, id"
    ):
        entries = tuple(
            e
            for (e,) in vault.conn.execute(
                "SELECT entry_id FROM exhibit_items WHERE exhibit_id = ? "
                "ORDER BY position, entry_id",
                (exhibit_id,),
            )
        )
        rows.append(ExhibitRow(exhibit_id, position, title, description, entries))
    return rows


def add_exhibit(vault: Vault, title: str, description: str, entry_ids: list[int]) -> int:
    title, description = check_exhibit_text(title, description)
    known = {
        i
        for (i,) in vault.conn.execute(
            f"SELECT id FROM entries WHERE id IN ({','.join('?' * len(entry_ids))})", entry_ids
        )
    }
    missing = [i for i in entry_ids if i not in known]
    if missing:
        raise NcoError(
            f"There is no entry {', '.join(map(str, missing))} in this vault "
            "(see the ids in “list”)."
        )
    with vault.change() as change:
        (last,) = change.conn.execute("SELECT coalesce(max(position), 0) FROM exhibits").fetchone()
        exhibit_id = change.conn.execute(
            "INSERT INTO exhibits (position, title, description, created_at) VALUES (?, ?, ?, ?)",
            (last + 1, title, description, change.at),
        ).lastrowid
        for position, entry_id in enumerate(dict.fromkeys(entry_ids)):
            change.conn.execute(
                "INSERT INTO exhibit_items (exhibit_id, entry_id, position) VALUES (?, ?, ?)",
                (exhibit_id, entry_id, position),
            )
        change.audit("exhibit.added", exhibit_id=exhibit_id, entries=len(entry_ids))
    return int(exhibit_id or 0)


def _ordered_ids(vault: Vault) -> list[int]:
    return exhibit_order(vault.conn)


def move_exhibit(vault: Vault, number: int, to: int) -> None:
    """Move the exhibit now at place *number* (1-based) to place *to*."""
    order = _ordered_ids(vault)
    if not 1 <= number <= len(order) or not 1 <= to <= len(order):
        raise NcoError(f"There are {len(order)} exhibits; use places 1 to {len(order)}.")
    exhibit_id = order.pop(number - 1)
    order.insert(to - 1, exhibit_id)
    with vault.change() as change:
        _renumber(change, order)
        change.audit("exhibit.moved", exhibit_id=exhibit_id, to=to)


def remove_exhibit(vault: Vault, number: int) -> None:
    order = _ordered_ids(vault)
    if not 1 <= number <= len(order):
        raise NcoError(f"There are {len(order)} exhibits; use places 1 to {len(order)}.")
    exhibit_id = order.pop(number - 1)
    with vault.change() as change:
        change.conn.execute("DELETE FROM exhibits WHERE id = ?", (exhibit_id,))
        _renumber(change, order)
        change.audit("exhibit.removed", exhibit_id=exhibit_id)


# ----- reading, for the window --------------------------------------------------------


@dataclass(frozen=True)
class ExhibitOverview:
    """One exhibit as the window lists it: what it is called, how much, from when."""

    id: int
    place: int  # 1-based, as printed ("Pet. Ex. <place>" with number labels)
    title: str
    description: str
    item_count: int
    first_ms: int | None  # the earliest and latest known times of its items
    last_ms: int | None


def exhibit_overview(conn: Connection) -> list[ExhibitOverview]:
    """Every exhibit in binder order, with its item count and date range."""
    rows = conn.execute(
        "SELECT x.id, x.title, x.description, count(e.id), min(e.occurred_ms), "
        "max(e.occurred_ms) FROM exhibits x "
        "LEFT JOIN exhibit_items i ON i.exhibit_id = x.id "
        "LEFT JOIN entries e ON e.id = i.entry_id "
        "GROUP BY x.id ORDER BY x.position, x.id"
    ).fetchall()
    return [
        ExhibitOverview(row[0], place, row[1], row[2], row[3], row[4], row[5])
        for place, row in enumerate(rows, start=1)
    ]


def exhibit_order(conn: Connection) -> list[int]:
    """The exhibits' ids in binder order."""
    return [i for (i,) in conn.execute("SELECT id FROM exhibits ORDER BY position, id")]


def exhibit_entry_ids(conn: Connection, exhibit_id: int) -> list[int]:
    """The entries of one exhibit, in the order the binder prints them."""
    return [
        i
        for (i,) in conn.execute(
            "SELECT entry_id FROM exhibit_items WHERE exhibit_id = ? ORDER BY position, entry_id",
            (exhibit_id,),
        )
    ]


@dataclass(frozen=True)
class EntrySorting:
    """Ids offered for an exhibit (a drop, a picker), sorted by what can be done with them.

    Each tuple keeps the order the ids came in, without repeats.
    """

    usable: tuple[int, ...]
    incidents: tuple[int, ...]  # belong to the binder's chronology, not to an exhibit
    unknown: tuple[int, ...]  # not (or no longer) in the vault


def sort_entries(conn: Connection, entry_ids: Iterable[int]) -> EntrySorting:
    """Which of *entry_ids* can go into an exhibit, which are incidents, which are gone."""
    ids = _unique_ids(entry_ids)
    kinds: dict[int, str] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        marks = ", ".join("?" for _ in chunk)
        kinds.update(conn.execute(f"SELECT id, kind FROM entries WHERE id IN ({marks})", chunk))
    return EntrySorting(
        usable=tuple(i for i in ids if i in kinds and kinds[i] != EntryKind.INCIDENT),
        incidents=tuple(i for i in ids if kinds.get(i) == EntryKind.INCIDENT),
        unknown=tuple(i for i in ids if i not in kinds),
    )


# ----- checks -------------------------------------------------------------------------


def check_exhibit_text(title: str, description: str) -> tuple[str, str]:
    """The title on one line and the description trimmed; InvalidRecord says what to fix."""
    title = " ".join(title.split())
    description = description.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not title:
        raise InvalidRecord("An exhibit needs a title.")
    if len(title) > MAX_TITLE_CHARS:
        raise InvalidRecord(
            f"An exhibit's title can have at most {MAX_TITLE_CHARS} characters; "
            "the description can say more."
        )
    if len(description) > MAX_DESCRIPTION_CHARS:
        raise InvalidRecord(
            f"An exhibit's description can have at most {MAX_DESCRIPTION_CHARS:,} characters "
            "(about half a page). A declaration or an incident can hold a longer account."
        )
    return title, description


def _unique_ids(entry_ids: Iterable[int]) -> list[int]:
    ids: dict[int, None] = {}
    for value in entry_ids:
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidRecord("Evidence is chosen by entry number.")
        ids[value] = None
    return list(ids)


def _require_exhibit(conn: Connection, exhibit_id: int) -> None:
    if conn.execute("SELECT 1 FROM exhibits WHERE id = ?", (exhibit_id,)).fetchone() is None:
        raise InvalidRecord("That exhibit is no longer in the vault (was it removed?).")


def _require_new_entries(conn: Connection, entry_ids: Sequence[int]) -> None:
    """Refuse ids that are not in the vault, and incidents."""
    sorting = sort_entries(conn, entry_ids)
    if sorting.unknown:
        shown = ", ".join(map(str, sorting.unknown[:5]))
        more = " …" if len(sorting.unknown) > 5 else ""
        raise InvalidRecord(f"There is no entry {shown}{more} in this vault (was it removed?).")
    if sorting.incidents:
        raise InvalidRecord(
            "Incidents are not put into exhibits: the binder lists every incident in its "
            "chronology. Add the evidence linked to an incident instead."
        )


def _require_room(count: int) -> None:
    if count > MAX_ITEMS:
        raise InvalidRecord(
            f"An exhibit can hold at most {MAX_ITEMS:,} items; split them into several exhibits."
        )


def _check_index(index: int, size: int, what: str) -> None:
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index <= size:
        raise InvalidRecord(f"There is no place {index} among the {what}.")


# ----- writing, for the window --------------------------------------------------------


def _renumber(change: Change, order: Sequence[int]) -> None:
    """Exhibits at positions 1…n in *order*."""
    for position, exhibit_id in enumerate(order, start=1):
        change.conn.execute("UPDATE exhibits SET position = ? WHERE id = ?", (position, exhibit_id))


def _write_items(change: Change, exhibit_id: int, entry_ids: Sequence[int]) -> None:
    """Exactly *entry_ids* in exhibit *exhibit_id*, at positions 0…n-1."""
    change.conn.execute("DELETE FROM exhibit_items WHERE exhibit_id = ?", (exhibit_id,))
    change.conn.executemany(
        "INSERT INTO exhibit_items (exhibit_id, entry_id, position) VALUES (?, ?, ?)",
        [(exhibit_id, entry_id, position) for position, entry_id in enumerate(entry_ids)],
    )


def _insert_exhibit(
    change: Change, title: str, description: str, entry_ids: Sequence[int], index: int
) -> int:
    order = exhibit_order(change.conn)
    exhibit_id = change.conn.execute(
        "INSERT INTO exhibits (position, title, description, created_at) VALUES (?, ?, ?, ?)",
        (len(order) + 1, title, description, change.at),
    ).lastrowid
    assert exhibit_id is not None
    order.insert(index, int(exhibit_id))
    _renumber(change, order)
    _write_items(change, int(exhibit_id), entry_ids)
    return int(exhibit_id)


def create_exhibit(
    vault: Vault,
    title: str,
    description: str = "",
    entry_ids: Sequence[int] = (),
    *,
    index: int | None = None,
) -> int:
    """A new exhibit at *index* (0-based; None: last) holding *entry_ids* in that order."""
    title, description = check_exhibit_text(title, description)
    ids = _unique_ids(entry_ids)
    _require_room(len(ids))
    _require_new_entries(vault.conn, ids)
    count = len(exhibit_order(vault.conn))
    index = count if index is None else index
    _check_index(index, count, "exhibits")
    with vault.change() as change:
        exhibit_id = _insert_exhibit(change, title, description, ids, index)
        change.audit("exhibit.added", exhibit_id=exhibit_id, entries=len(ids), place=index + 1)
    return exhibit_id


def update_exhibit(vault: Vault, exhibit_id: int, title: str, description: str) -> bool:
    """Save an exhibit's title and description; False, with nothing written, if unchanged."""
    title, description = check_exhibit_text(title, description)
    row = vault.conn.execute(
        "SELECT title, description FROM exhibits WHERE id = ?", (exhibit_id,)
    ).fetchone()
    if row is None:
        raise InvalidRecord("That exhibit is no longer in the vault (was it removed?).")
    changed = [
        name
        for name, old, new in zip(("title", "description"), row, (title, description), strict=True)
        if old != new
    ]
    if not changed:
        return False
    with vault.change() as change:
        change.conn.execute(
            "UPDATE exhibits SET title = ?, description = ? WHERE id = ?",
            (title, description, exhibit_id),
        )
        change.audit("exhibit.edited", exhibit_id=exhibit_id, fields=changed)
    return True


def set_exhibit_items(vault: Vault, exhibit_id: int, entry_ids: Sequence[int]) -> bool:
    """Make *entry_ids*, in this order, the exhibit's items (a reorder, or any edit).

    Entries already in the exhibit may stay whatever they are; new ones must be in the
    vault and not incidents. False, with nothing written, when nothing would change.
    """
    _require_exhibit(vault.conn, exhibit_id)
    ids = _unique_ids(entry_ids)
    _require_room(len(ids))
    before = exhibit_entry_ids(vault.conn, exhibit_id)
    present = set(before)
    _require_new_entries(vault.conn, [i for i in ids if i not in present])
    if ids == before:
        return False
    wanted = set(ids)
    with vault.change() as change:
        _write_items(change, exhibit_id, ids)
        change.audit(
            "exhibit.items_set",
            exhibit_id=exhibit_id,
            entries=len(ids),
            added=len(wanted - present),
            removed=len(present - wanted),
        )
    return True


def add_exhibit_entries(
    vault: Vault, exhibit_id: int, entry_ids: Sequence[int], *, index: int | None = None
) -> int:
    """Put *entry_ids* into the exhibit at item *index* (0-based; None: at the end).

    Entries already in the exhibit are skipped (they stay where they are). Returns how
    many were added; with none to add, nothing is written.
    """
    _require_exhibit(vault.conn, exhibit_id)
    ids = _unique_ids(entry_ids)
    before = exhibit_entry_ids(vault.conn, exhibit_id)
    index = len(before) if index is None else index
    _check_index(index, len(before), "items")
    present = set(before)
    new = [i for i in ids if i not in present]
    _require_new_entries(vault.conn, new)
    if not new:
        return 0
    _require_room(len(before) + len(new))
    with vault.change() as change:
        _write_items(change, exhibit_id, before[:index] + new + before[index:])
        change.audit("exhibit.entries_added", exhibit_id=exhibit_id, added=len(new), at=index)
    return len(new)


def remove_exhibit_entries(vault: Vault, exhibit_id: int, entry_ids: Sequence[int]) -> int:
    """Take *entry_ids* out of the exhibit (the evidence stays in the vault).

    Returns how many were taken out; ids not in the exhibit are ignored.
    """
    _require_exhibit(vault.conn, exhibit_id)
    gone = set(_unique_ids(entry_ids))
    before = exhibit_entry_ids(vault.conn, exhibit_id)
    after = [i for i in before if i not in gone]
    if len(after) == len(before):
        return 0
    with vault.change() as change:
        _write_items(change, exhibit_id, after)
        change.audit(
            "exhibit.entries_removed", exhibit_id=exhibit_id, removed=len(before) - len(after)
        )
    return len(before) - len(after)


def move_exhibit_to(vault: Vault, exhibit_id: int, index: int) -> bool:
    """Move the exhibit to *index* (0-based) in binder order; False if already there."""
    _require_exhibit(vault.conn, exhibit_id)
    order = exhibit_order(vault.conn)
    _check_index(index, len(order) - 1, "exhibits")
    if order.index(exhibit_id) == index:
        return False
    order.remove(exhibit_id)
    order.insert(index, exhibit_id)
    with vault.change() as change:
        _renumber(change, order)
        change.audit("exhibit.moved", exhibit_id=exhibit_id, to=index + 1)
    return True


def delete_exhibit(vault: Vault, exhibit_id: int) -> None:
    """Remove one exhibit and its list of items; the evidence itself stays in the vault."""
    _require_exhibit(vault.conn, exhibit_id)
    count = len(exhibit_entry_ids(vault.conn, exhibit_id))
    order = [i for i in exhibit_order(vault.conn) if i != exhibit_id]
    with vault.change() as change:
        change.conn.execute("DELETE FROM exhibits WHERE id = ?", (exhibit_id,))
        _renumber(change, order)
        change.audit("exhibit.removed", exhibit_id=exhibit_id, entries=count)


def suggest_exhibits(vault: Vault, *, replace: bool = False) -> int:
    """Make exhibits the way the binder groups evidence by itself, to start from.

    One per person (conversation) and kind, each document alone, in time order: the
    groups of :func:`~nco_desktop.binder.plan.auto_groups` over every entry but the
    incidents. Existing exhibits are only replaced when *replace* is set (the window
    asks first). Returns how many exhibits were made; with no evidence, none and nothing
    is written.
    """
    existing = exhibit_order(vault.conn)
    if existing and not replace:
        raise InvalidRecord(
            "There are exhibits already; replacing them with suggestions has to be asked for."
        )
    groups = auto_groups(list(iter_entries(vault.conn)))
    if not groups:
        return 0
    entries = 0
    with vault.change() as change:
        change.conn.execute("DELETE FROM exhibits")
        for index, (_kind, title, members) in enumerate(groups):
            ids = [m.id for m in members]
            entries += len(ids)
            short = " ".join(title.split())[:MAX_TITLE_CHARS] or "Exhibit"
            _insert_exhibit(change, short, "", ids, index)
        change.audit(
            "exhibits.suggested", exhibits=len(groups), entries=entries, replaced=len(existing)
        )
    return len(groups)


# ----- order arithmetic (pure, so the window's drag and keys agree) -------------------


def reordered(order: Sequence[int], moving: Iterable[int], row: int) -> list[int]:
    """*order* with the ids in *moving* taken out and put back, in their order, where the
    gap before old row *row* was (as a list view reports a drop: 0…len(order))."""
    chosen = set(moving)
    kept = [i for i in order if i not in chosen]
    block = [i for i in order if i in chosen]
    at = max(0, min(row, len(order))) - sum(1 for i in order[: max(0, row)] if i in chosen)
    return kept[:at] + block + kept[at:]


def stepped(order: Sequence[int], moving: Iterable[int], step: int) -> list[int]:
    """*order* with each id in *moving* one place up (*step* -1) or down (+1).

    A chosen id already at the end it moves towards stays there, and so do chosen ids
    stacked against it, so a block keeps its shape.
    """
    chosen = set(moving)
    result = list(order)
    places = range(len(result)) if step < 0 else range(len(result) - 1, -1, -1)
    for place in places:
        target = place + step
        if result[place] in chosen and 0 <= target < len(result) and result[target] not in chosen:
            result[place], result[target] = result[target], result[place]
    return result
