"""A wall-clock time read in the vault's zone, honest about the nights clocks change.

A screenshot's name, a call log's "03/10/2024 2:30 AM", a mail header without a zone:
each says what a clock showed, not which instant it was. On the night clocks go back,
01:30 happens twice (a *fold*: two instants an hour apart); on the night they go forward,
02:30 never happens at all (a *gap*: the phone was in another zone, or the name was
edited). :func:`nco_desktop.timekeeping.local_to_ms` picks one instant either way; this
module says when it had to pick, so the entry carries a lower precision (minute, which
the timeline marks ≈) and a sentence in its meta instead of a false exactness.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from nco_desktop.evidence.records import TimePrecision
from nco_desktop.timekeeping import local_to_ms

FOLD_NOTE = (
    "the clocks went back that night, so this time happened twice, an hour apart; "
    "the first was taken"
)
GAP_NOTE = (
    "the clocks went forward that night, so this time never showed on a clock there; "
    "it may be an hour off"
)

#: For readers that place times by the order of lines (chats): a skipped time is put at
#: the moment of the change, and a repeated hour's pass is known from a step back.
GAP_MOVED_NOTE = (
    "the clocks went forward that night, so this time never showed on a clock there; "
    "it was placed at the moment of the change"
)
PASS_NOTES = (
    "the clocks went back that night, so this time happened twice; the order of the "
    "messages shows it was the first time",
    "the clocks went back that night, so this time happened twice; the order of the "
    "messages shows it was the second time, an hour after the first",
)


@dataclass(frozen=True)
class WallClock:
    """One wall-clock reading: the instant taken, the offset that applied, and doubt."""

    ms: int
    offset_min: int
    ambiguity: str | None  # None, "fold" (happened twice) or "gap" (never happened)

    def precision(self, exact: TimePrecision) -> TimePrecision:
        """*exact* when the reading names one instant; minute (shown ≈) when it does not."""
        if self.ambiguity is None:
            return exact
        return exact if exact is TimePrecision.DAY else TimePrecision.MINUTE

    def meta(self) -> dict[str, Any]:
        """What to add to an entry's meta: nothing, or the doubt in words."""
        if self.ambiguity is None:
            return {}
        note = FOLD_NOTE if self.ambiguity == "fold" else GAP_NOTE
        return {"time_ambiguity": self.ambiguity, "time_note": note}


def read_wall_clock(naive: datetime, zone: ZoneInfo) -> WallClock:
    """*naive* as a clock in *zone* showed it, with any daylight-saving doubt named.

    The instant is :func:`local_to_ms`'s (the first of a repeated hour; a skipped time
    moved forward), so entries already stored keep their place; only the doubt is new.
    """
    ms, offset = local_to_ms(naive, zone)
    first = naive.replace(tzinfo=zone, fold=0)
    second = naive.replace(tzinfo=zone, fold=1)
    ambiguity = None
    if first.utcoffset() != second.utcoffset():
        back = first.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
        ambiguity = "fold" if back == naive else "gap"
    return WallClock(ms, offset, ambiguity)
