"""Areas of a picture the user marks to be hidden in the copy for the other side.

A screenshot can show the user's street, their own number or a child's school. The
court needs the whole picture; the respondent must not learn where the user lives. The
user marks rectangles on the picture; the service copy paints them into the pixels
(nothing under the black is left in the file), while the original in the vault and the
court's copy stay whole. Areas are fractions of the upright picture, so they hold at
any size, and each change is one audited write naming the original and the count.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from nco_desktop.errors import NcoError
from nco_desktop.vault import Vault
from nco_desktop.vault.connection import Connection

MAX_AREAS = 100
MIN_SIZE = 0.002  # a fraction of the side: smaller is a slip of the mouse, not a mark


@dataclass(frozen=True)
class Area:
    """A rectangle as fractions (0–1) of the upright picture's width and height."""

    left: float
    top: float
    right: float
    bottom: float

    def clamped(self) -> Area:
        left, right = sorted((min(max(self.left, 0.0), 1.0), min(max(self.right, 0.0), 1.0)))
        top, bottom = sorted((min(max(self.top, 0.0), 1.0), min(max(self.bottom, 0.0), 1.0)))
        return Area(left, top, right, bottom)

    @property
    def usable(self) -> bool:
        return self.right - self.left >= MIN_SIZE and self.bottom - self.top >= MIN_SIZE

    def in_pixels(self, width: int, height: int) -> tuple[int, int, int, int]:
        """The covering pixel box: rounded outward, so no sliver of the area survives."""
        import math

        return (
            math.floor(self.left * width),
            math.floor(self.top * height),
            math.ceil(self.right * width),
            math.ceil(self.bottom * height),
        )


def picture_areas(conn: Connection, original_id: int) -> list[Area]:
    return [
        Area(*row)
        for row in conn.execute(
            "SELECT left_f, top_f, right_f, bottom_f FROM picture_redactions "
            "WHERE original_id = ? ORDER BY id",
            (original_id,),
        )
    ]


def set_picture_areas(vault: Vault, original_id: int, areas: Sequence[Area]) -> bool:
    """Replace the marked areas of picture *original_id*; False when nothing changed."""
    cleaned = [a.clamped() for a in areas]
    cleaned = [a for a in cleaned if a.usable]
    if len(cleaned) > MAX_AREAS:
        raise NcoError(f"At most {MAX_AREAS} areas can be hidden in one picture.")
    if cleaned == picture_areas(vault.conn, original_id):
        return False
    with vault.change() as change:
        row = change.conn.execute(
            "SELECT media_type FROM originals WHERE id = ?", (original_id,)
        ).fetchone()
        if row is None:
            raise NcoError("That picture is no longer in the vault.")
        if not str(row[0]).startswith("image/"):
            raise NcoError("Areas can only be hidden in pictures.")
        change.conn.execute("DELETE FROM picture_redactions WHERE original_id = ?", (original_id,))
        change.conn.executemany(
            "INSERT INTO picture_redactions "
            "(original_id, left_f, top_f, right_f, bottom_f, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [(original_id, a.left, a.top, a.right, a.bottom, change.at) for a in cleaned],
        )
        change.audit("picture.areas_changed", original_id=original_id, areas=len(cleaned))
    return True
