"""Reading a WhatsApp chat's dates honestly: day-first or month-first, and clock changes.

**Date order.** ``09/03/2024`` is 9 March in London and 3 September in Chicago; the
export does not say which. The order is decided once per file, from the whole file, by
evidence in this order of strength:

1. the user's choice (``date_order`` option: ``--date-order`` in the CLI);
2. a first field above 12 (only day-first) or a second one (only month-first);
3. the order of lines: an export runs forwards, so the reading under which the dates
   go backwards is wrong (``31/01 → 01/02`` read month-first goes back to 2 January);
4. the layout: dots, dashes, "à", "klo", the Arabic comma, and the iPhone's
   ``[dd/mm/yyyy, hh:mm:ss]`` are written only by day-first phones.

With none of them, the parser does not guess: it raises :class:`DateOrderNeeded`, which
carries a structured :class:`DateOrderQuestion` (a sample line read both ways, the
senders, and the vault region's order as a *suggestion* only, because the phone that
wrote the chat may be anyone's). A 24-hour clock is not evidence: US phones can use it.

**Clock changes.** A wall-clock time in the hour that repeats when clocks go back has
two instants; one in the hour skipped in spring has none. :class:`Clock` keeps the
lines of a repeated hour until the hour ends: a step backwards in the wall clock
(01:30, 01:45, 01:30) shows where the second pass through the hour began (fold=1).
With no such step the hour stays ambiguous; such times, and times that did not exist,
are marked with day precision (shown as approximate) and the readings in ``meta``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from nco_desktop.date_order import day_first_for_region
from nco_desktop.evidence.records import TimePrecision
from nco_desktop.importers.formats.wall_clock import FOLD_NOTE, PASS_NOTES
from nco_desktop.importers.formats.whatsapp_layouts import Header
from nco_desktop.importers.model import FormatNote, ParsedEntry, ParsedItem, UnreadableFile
from nco_desktop.timekeeping import to_ms

DAY_FIRST, MONTH_FIRST = "day-first", "month-first"


@dataclass(frozen=True)
class DateOrderQuestion:
    """What the window asks and the CLI requires ``--date-order`` for; JSON-ready."""

    line: int  # the sample's line number in the chat text
    written: str  # the date and time as the chat writes them, e.g. "09/03/2024, 22:15"
    day_first: str  # that line read day-first, "2024-03-09 22:15"
    month_first: str  # and month-first, "2024-09-03 22:15"
    suggested: str  # the vault region's usual order: a hint, never a decision
    senders: tuple[str, ...] = ()  # for "which of these names is you?" at the same time

    def as_dict(self) -> dict[str, object]:
        return {**dataclasses.asdict(self), "senders": list(self.senders)}


class DateOrderNeeded(UnreadableFile):
    """The file's dates read two ways and nothing in it decides: ask, do not guess.

    A subclass of UnreadableFile so that code knowing nothing of it still stops and
    shows the sentence; code that knows it reads :attr:`question`.
    """

    def __init__(self, question: DateOrderQuestion) -> None:
        self.question = question
        super().__init__(
            f"the dates in this chat can be read two ways: line {question.line}, "
            f"“{question.written}”, is {_words(question.day_first)} read day-first or "
            f"{_words(question.month_first)} read month-first, and nothing in the file "
            "decides. Import it again choosing the order (--date-order day-first or "
            "--date-order month-first)"
        )


def _words(iso: str) -> str:
    moment = datetime.fromisoformat(iso)
    return f"{moment.day} {moment:%B} {moment.year} {moment:%H:%M}"


@dataclass
class OrderEvidence:
    """What the first pass learns about the date order, line by line, streaming."""

    day_first: int = 0  # dates that can only be read day-first
    month_first: int = 0
    undecided: int = 0  # dates whose two readings differ and are both possible
    back_day_first: int = 0  # steps backwards in date if read day-first
    back_month_first: int = 0
    convention: str | None = None  # a day-first layout seen in the file
    sample: tuple[int, Header] | None = None  # the first line whose readings differ
    _last: dict[bool, tuple[int, int, int]] = field(default_factory=dict)

    def add(self, line: int, header: Header) -> None:
        for day_first in (True, False):
            date = header.date(day_first)
            if date is None:
                continue
            last = self._last.get(day_first)
            if last is not None and date < last:
                if day_first:
                    self.back_day_first += 1
                else:
                    self.back_month_first += 1
            self._last[day_first] = date
        if header.fixed:
            return
        self.convention = self.convention or header.convention
        day_only = header.lead > 12 >= header.follow
        month_only = header.follow > 12 >= header.lead
        self.day_first += day_only
        self.month_first += month_only
        if not (day_only or month_only) and header.lead != header.follow:
            self.undecided += 1
            if self.sample is None:
                self.sample = (line, header)


def decide_order(
    evidence: OrderEvidence, options: dict[str, str], region: str, senders: list[str]
) -> tuple[bool, FormatNote | None]:
    """Day-first? With a note saying why; DateOrderNeeded when nothing decides."""
    chosen = options.get("date_order")
    if chosen in (DAY_FIRST, MONTH_FIRST):
        return chosen == DAY_FIRST, FormatNote(f"Dates were read {chosen}, as chosen.")
    days, months = evidence.day_first, evidence.month_first
    if days and months:
        day_first = days > months or (days == months and day_first_for_region(region))
        return day_first, FormatNote(
            f"The dates in this chat disagree: {days} can only be read day-first and "
            f"{months} only month-first. They were read {order_name(day_first)}; messages "
            "whose date is impossible that way were imported without a time."
        )
    if days or months:
        text = f"Dates were read {order_name(bool(days))}: some can only be read that way."
        return bool(days), FormatNote(text)
    if not evidence.undecided:
        return True, None  # every date reads the same both ways
    back_d, back_m = evidence.back_day_first, evidence.back_month_first
    if back_d != back_m:
        day_first = back_d < back_m
        return day_first, FormatNote(
            f"Dates were read {order_name(day_first)}: read the other way, they would go "
            f"backwards {max(back_d, back_m)} times in a chat that runs forwards."
        )
    if evidence.convention is not None:
        return True, FormatNote(
            f"Dates were read day-first: the chat's layout ({evidence.convention}) is "
            "written only by phones that put the day first."
        )
    assert evidence.sample is not None
    line, header = evidence.sample
    readings = [header.local(flag) for flag in (True, False)]
    day_read, month_read = (r.isoformat(" ", "minutes") if r else "" for r in readings)
    raise DateOrderNeeded(
        DateOrderQuestion(
            line,
            header.raw,
            day_read,
            month_read,
            order_name(day_first_for_region(region)),
            tuple(sorted(senders)),
        )
    )


def order_name(day_first: bool) -> str:
    return DAY_FIRST if day_first else MONTH_FIRST


def _instant(naive: datetime, zone: ZoneInfo, fold: int) -> tuple[int, int]:
    aware = naive.replace(tzinfo=zone, fold=fold)
    offset = aware.utcoffset()
    return to_ms(aware), 0 if offset is None else int(offset.total_seconds() // 60)


def _gap_end(naive: datetime, zone: ZoneInfo) -> tuple[int, int]:
    """The instant the clocks jumped over *naive*, with the offset after it."""
    low, high = _instant(naive, zone, 1)[0], _instant(naive, zone, 0)[0]
    while high - low > 1000:  # the zone's offset changes somewhere in (low, high]
        middle = (low + high) // 2
        before = datetime.fromtimestamp(low / 1000, UTC).astimezone(zone).utcoffset()
        if datetime.fromtimestamp(middle / 1000, UTC).astimezone(zone).utcoffset() == before:
            low = middle
        else:
            high = middle
    offset = datetime.fromtimestamp(high / 1000, UTC).astimezone(zone).utcoffset()
    return high // 1000 * 1000, 0 if offset is None else int(offset.total_seconds() // 60)


class Clock:
    """Wall-clock times to instants, in line order, across clock changes."""

    #: Lines held while a repeated hour lasts; past this many, they go out as ambiguous.
    MAX_HELD = 20_000

    def __init__(self, zone: ZoneInfo) -> None:
        self.zone = zone
        self.held: list[tuple[datetime, list[ParsedItem]]] = []
        self.ambiguous = self.skipped = 0

    def place(self, naive: datetime) -> tuple[int, int, str | None]:
        """(UTC ms, offset, None) for a plain time; for a fold or a gap, a word instead."""
        ms0, off0 = _instant(naive, self.zone, 0)
        off1 = _instant(naive, self.zone, 1)[1]
        if off0 == off1:
            return ms0, off0, None
        if off0 > off1:
            return ms0, off0, "fold"
        ms, offset = _gap_end(naive, self.zone)
        self.skipped += 1
        return ms, offset, "gap"

    def hold(self, naive: datetime, items: list[ParsedItem]) -> list[ParsedItem]:
        """Keep a line of the repeated hour; what must go out now is returned."""
        self.held.append((naive, items))
        return self.release() if len(self.held) >= self.MAX_HELD else []

    def release(self) -> list[ParsedItem]:
        """The held lines, each given its fold by the first step backwards among them."""
        held, self.held = self.held, []
        step = next((i for i in range(1, len(held)) if held[i][0] < held[i - 1][0]), None)
        out: list[ParsedItem] = []
        for index, (naive, items) in enumerate(held):
            fold = 0 if step is None or index < step else 1
            for item in items:
                if isinstance(item, ParsedEntry):
                    item = self._settle(item, naive, fold, step is not None)
                out.append(item)
        return out

    def _settle(self, entry: ParsedEntry, naive: datetime, fold: int, known: bool) -> ParsedEntry:
        ms, offset = _instant(naive, self.zone, fold)
        if known:
            meta = {**entry.meta, "fold": fold, "time_note": PASS_NOTES[fold]}
            return dataclasses.replace(entry, occurred_ms=ms, utc_offset_min=offset, meta=meta)
        self.ambiguous += 1
        other = _instant(naive, self.zone, 1)[0]
        meta = {
            **entry.meta,
            "time_ambiguous": "repeated hour",
            "time_note": FOLD_NOTE,
            "written_time": naive.isoformat(" ", "minutes"),
            "readings_utc": [_iso(ms), _iso(other)],
        }
        return dataclasses.replace(
            entry,
            occurred_ms=ms,
            utc_offset_min=offset,
            time_precision=TimePrecision.DAY,
            meta=meta,
        )

    def notes(self) -> list[FormatNote]:
        said = []
        if self.ambiguous:
            said.append(
                FormatNote(
                    f"{self.ambiguous} message(s) fall in the hour that repeats when clocks go "
                    "back and nothing shows which pass they belong to: marked approximate "
                    "(≈), stored at the first pass."
                )
            )
        if self.skipped:
            said.append(
                FormatNote(
                    f"{self.skipped} message(s) carry a time that did not exist (the hour "
                    "skipped when clocks go forward): marked approximate (≈), stored at the "
                    "moment of the change."
                )
            )
        return said


def _iso(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
