"""Choosing exhibits: add, list, move and remove, each one audited transaction.

The CLI uses these now; the window's Exhibits view will call the same functions.
"""

from __future__ import annotations

from dataclasses import dataclass

from nco_desktop.errors import NcoError
from nco_desktop.vault import Vault


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
    if not title.strip():
        raise NcoError("An exhibit needs a title.")
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
            (last + 1, title.strip(), description.strip(), change.at),
        ).lastrowid
        for position, entry_id in enumerate(dict.fromkeys(entry_ids)):
            change.conn.execute(
                "INSERT INTO exhibit_items (exhibit_id, entry_id, position) VALUES (?, ?, ?)",
                (exhibit_id, entry_id, position),
            )
        change.audit("exhibit.added", exhibit_id=exhibit_id, entries=len(entry_ids))
    return int(exhibit_id or 0)


def _ordered_ids(vault: Vault) -> list[int]:
    return [row.id for row in list_exhibits(vault)]


def move_exhibit(vault: Vault, number: int, to: int) -> None:
    """Move the exhibit now at place *number* (1-based) to place *to*."""
    order = _ordered_ids(vault)
    if not 1 <= number <= len(order) or not 1 <= to <= len(order):
        raise NcoError(f"There are {len(order)} exhibits; use places 1 to {len(order)}.")
    exhibit_id = order.pop(number - 1)
    order.insert(to - 1, exhibit_id)
    with vault.change() as change:
        for position, moved_id in enumerate(order, start=1):
            change.conn.execute(
                "UPDATE exhibits SET position = ? WHERE id = ?", (position, moved_id)
            )
        change.audit("exhibit.moved", exhibit_id=exhibit_id, to=to)


def remove_exhibit(vault: Vault, number: int) -> None:
    order = _ordered_ids(vault)
    if not 1 <= number <= len(order):
        raise NcoError(f"There are {len(order)} exhibits; use places 1 to {len(order)}.")
    exhibit_id = order[number - 1]
    with vault.change() as change:
        change.conn.execute("DELETE FROM exhibits WHERE id = ?", (exhibit_id,))
        change.audit("exhibit.removed", exhibit_id=exhibit_id)
