"""Wall-clock times of a chat read in the order the export wrote them, across clock changes.

Signal's and iMessage's text exports (and any chat written in time order with local
times and no offset) show on the night clocks go back an hour that happens twice:
``01:30, 01:45, 01:30``. Read one line at a time, the second 01:30 is stored an hour
early and sorts before 01:45. Read in order, the step backwards shows where the second
pass through the hour began: every line of that hour before the step is the first pass,
every line after it the second (issue #18).

The rule, for each run of consecutive lines in the repeated hour of one night:

- exactly one step backwards of a minute or more: the lines after it are the second
  pass (``fold`` 1), the lines before the first; both exact, with a note saying why;
- no step (01:30, 01:45: both passes, or either, could be), several steps (the lines
  are not in time order), or a step of under a minute (a sender's clock running ahead
  makes such steps in Signal exports, which order by the time a message was sent but
  show the server's time when it is earlier): nothing decides. The time is kept at the
  first pass, where :func:`nco_desktop.timekeeping.local_to_ms` has always put it, and
  marked approximate (precision minute, shown ≈) with the doubt in ``meta``, as
  :mod:`wall_clock` marks a screenshot's name;
- a time in the hour skipped when clocks go forward never showed on a clock in the
  vault's zone: it is placed at the moment of the change (as WhatsApp's reader does:
  it then sorts between the lines around it, not after 03:00) and marked approximate.

Lines not in the export's time order (an HTML export's threaded copy of a reply) take
no part in finding the step; they take the pass their in-order copy (same written
time) was given, when all such copies agree.

Only the instant and the marks change: a reader's identity for a message (its dedup
key) is built from the written time, so re-importing an export never doubles it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from nco_desktop.evidence.records import TimePrecision
from nco_desktop.importers.formats.wall_clock import FOLD_NOTE, GAP_MOVED_NOTE, PASS_NOTES
from nco_desktop.importers.formats.whatsapp_dates import Clock
from nco_desktop.importers.model import FormatNote
from nco_desktop.timekeeping import to_ms

#: A step backwards shorter than this is a sender's clock, not the clocks going back.
MIN_STEP = timedelta(minutes=1)


@dataclass(frozen=True)
class Placed:
    """One written time as an instant, with what the clock change left in doubt."""

    ms: int
    offset_min: int
    ambiguity: str | None = None  # None, "fold" (which pass is unknown) or "gap"
    fold: int | None = None  # in the repeated hour, the pass the line order showed

    def precision(self, exact: TimePrecision) -> TimePrecision:
        """*exact* unless in doubt; then minute (shown ≈), or day if that was coarser."""
        if self.ambiguity is None or exact is TimePrecision.DAY:
            return exact
        return TimePrecision.MINUTE

    def meta(self) -> dict[str, Any]:
        """What to add to the entry's meta: nothing, the pass and why, or the doubt."""
        if self.ambiguity == "fold":
            return {"time_ambiguity": "fold", "time_note": FOLD_NOTE}
        if self.ambiguity == "gap":
            return {"time_ambiguity": "gap", "time_note": GAP_MOVED_NOTE}
        if self.fold is not None:
            return {"fold": self.fold, "time_note": PASS_NOTES[self.fold]}
        return {}


def _on_pass(naive: datetime, zone: ZoneInfo, fold: int) -> Placed:
    aware = naive.replace(tzinfo=zone, fold=fold)
    offset = aware.utcoffset()
    minutes = 0 if offset is None else int(offset.total_seconds() // 60)
    return Placed(to_ms(aware), minutes, fold=fold)


def place_in_order(
    times: Sequence[datetime | None],
    zone: ZoneInfo,
    in_order: Sequence[bool] | None = None,
) -> list[Placed | None]:
    """Each wall-clock time of *times* (in the export's line order) as a :class:`Placed`;
    None stays None (a time that could not be read).

    *in_order* marks which lines follow the export's time order (all, when omitted).
    """
    follows = list(in_order) if in_order is not None else [True] * len(times)
    clock = Clock(zone)  # classifies each time and finds the moment of a skipped hour
    kinds: list[str | None] = []
    out: list[Placed | None] = []
    for naive in times:
        if naive is None:
            kinds.append(None)
            out.append(None)
            continue
        ms, offset, kind = clock.place(naive)
        kinds.append(kind)
        out.append(Placed(ms, offset, "gap" if kind == "gap" else None))
    run: list[int] = []
    for index, naive in enumerate(times):
        if naive is None or not follows[index]:
            continue  # neither part of a run nor the end of one
        if kinds[index] == "fold" and (not run or _same_night(times, run[-1], naive)):
            run.append(index)
            continue
        _settle_run(run, times, zone, out)
        run = [index] if kinds[index] == "fold" else []
    _settle_run(run, times, zone, out)
    _settle_copies(times, kinds, follows, zone, out)
    return out


def _same_night(times: Sequence[datetime | None], index: int, naive: datetime) -> bool:
    earlier = times[index]
    return earlier is not None and earlier.date() == naive.date()


def _settle_run(
    run: list[int], times: Sequence[datetime | None], zone: ZoneInfo, out: list[Placed | None]
) -> None:
    """Give each line of one night's repeated hour its pass, or mark the doubt."""
    if not run:
        return
    written = [naive for i in run if (naive := times[i]) is not None]
    steps = [k for k in range(1, len(written)) if written[k] < written[k - 1]]
    if len(steps) == 1 and written[steps[0] - 1] - written[steps[0]] >= MIN_STEP:
        for position, (index, naive) in enumerate(zip(run, written, strict=True)):
            out[index] = _on_pass(naive, zone, 0 if position < steps[0] else 1)
        return
    for index in run:
        placed = out[index]
        assert placed is not None
        out[index] = Placed(placed.ms, placed.offset_min, "fold")


def _settle_copies(
    times: Sequence[datetime | None],
    kinds: list[str | None],
    follows: list[bool],
    zone: ZoneInfo,
    out: list[Placed | None],
) -> None:
    """Out-of-order lines in the repeated hour take the pass of their in-order copies."""
    passes: dict[datetime, set[int | None]] = {}
    for index, naive in enumerate(times):
        placed = out[index]
        if naive is not None and placed is not None and follows[index] and kinds[index] == "fold":
            passes.setdefault(naive, set()).add(placed.fold)
    for index, naive in enumerate(times):
        if naive is None or follows[index] or kinds[index] != "fold":
            continue
        known = passes.get(naive, {None})
        fold = next(iter(known)) if len(known) == 1 else None
        if fold is not None:
            out[index] = _on_pass(naive, zone, fold)
        else:
            placed = out[index]
            assert placed is not None
            out[index] = Placed(placed.ms, placed.offset_min, "fold")


def notes(placed: Iterable[Placed | None], noun: str = "message") -> list[FormatNote]:
    """One sentence per kind of clock change met, for the import's summary."""
    ordered = doubtful = skipped = 0
    for item in placed:
        if item is None:
            continue
        ordered += item.fold is not None
        doubtful += item.ambiguity == "fold"
        skipped += item.ambiguity == "gap"
    said = []
    if ordered:
        said.append(
            FormatNote(
                f"{ordered} {noun}(s) fall in the hour that repeats when clocks go back; the "
                "order of the lines showed which time round each was written."
            )
        )
    if doubtful:
        said.append(
            FormatNote(
                f"{doubtful} {noun}(s) fall in the hour that repeats when clocks go back and "
                "nothing shows which time round they belong to: marked approximate (≈), "
                "placed at the first."
            )
        )
    if skipped:
        said.append(
            FormatNote(
                f"{skipped} {noun}(s) carry a time that did not exist (the hour skipped when "
                "clocks go forward): marked approximate (≈), placed at the moment of the "
                "change."
            )
        )
    return said
