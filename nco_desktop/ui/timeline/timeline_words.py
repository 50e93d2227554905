"""The words the timeline list says: counts, headings, where a time came from.

Apart from :mod:`timeline_model` so the model stays about rows; translated in the
``TimelineModel`` context, as they were when they lived there.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLocale

from nco_desktop.evidence.records import EntryKind, TimePrecision, TimeSource


def translate(text: str, disambiguation: str | None = None, n: int = -1) -> str:
    """Translated in the ``TimelineModel`` context, as these words always were."""
    return QCoreApplication.translate("TimelineModel", text, disambiguation, n)


def entries_text(count: int) -> str:
    """'1 entry', '1,234 entries' (Qt only picks plural forms from a translation file)."""
    return translate("1 entry") if count == 1 else translate("%Ln entries", None, count)


def kind_group_name(kind: str) -> str:
    """The heading of one kind's entries in a list sorted by kind."""
    names = {
        EntryKind.MESSAGE: translate("Messages"),
        EntryKind.CALL: translate("Calls"),
        EntryKind.EMAIL: translate("E-mails"),
        EntryKind.IMAGE: translate("Pictures"),
        EntryKind.DOCUMENT: translate("Documents"),
        EntryKind.AUDIO: translate("Recordings"),
        EntryKind.NOTE: translate("Notes"),
        EntryKind.INCIDENT: translate("Incidents"),
    }
    return names.get(kind, kind)  # type: ignore[call-overload]


def time_source_sentence(source: str) -> str:
    """Where an entry's time came from, in words a person checks against."""
    sentences = {
        TimeSource.HEADER: translate("Time from the message header, with its time zone."),
        TimeSource.EXIF: translate("Time from the photo's own data (EXIF), with its time zone."),
        TimeSource.EXPORT_FIELD: translate("Time from the phone or app export."),
        TimeSource.EXIF_LOCAL: translate(
            "Time from the photo's own data (EXIF), which gave no time zone: read in the "
            "vault's time zone."
        ),
        TimeSource.EXPORT_LOCAL: translate(
            "Time from the export, which gave no time zone: read in the vault's time zone."
        ),
        TimeSource.FILE_NAME: translate(
            "Time from the file's name — right for a screenshot named when it was taken, "
            "wrong if the file was renamed."
        ),
        TimeSource.USER: translate("Time entered by you."),
        TimeSource.FILE_MTIME: translate(
            "Time from the file's modification date — it may be later than the event."
        ),
        TimeSource.UNKNOWN: translate(
            "No time is known for this entry, so it is listed last and never placed at a "
            "guessed time."
        ),
    }
    return sentences.get(source, translate("The source of this time is not recorded."))  # type: ignore[call-overload]


def precision_sentence(precision: str) -> str | None:
    if precision == TimePrecision.MINUTE:
        return translate("Known to the minute only.")
    if precision == TimePrecision.DAY:
        return translate("Only the day is known, not the time of day.")
    if precision == TimePrecision.UNKNOWN:
        return translate("How exact this time is was not recorded.")
    return None


def empty_text(total: int) -> str:
    """What the page says instead of an empty list."""
    if total == 0:
        return QCoreApplication.translate(
            "TimelinePage",
            "Nothing is in this vault yet. Import files with File ▸ Import, or drag them onto "
            "this window.",
        )
    return QCoreApplication.translate("TimelinePage", "No entries match these filters.")


def counts_text(
    locale: QLocale, shown: int, total: int, *, filtered: bool, selected: int, said: str
) -> str:
    """ "Showing 40 of 1,200 entries · 3 selected · 3 entries added to the exhibit."."""

    def page_tr(text: str, n: int = -1) -> str:  # the words the page always said
        return QCoreApplication.translate("TimelinePage", text, None, n)

    if not filtered:
        counts = entries_text(total)
    elif total == 1:
        counts = page_tr("Showing %1 of 1 entry").replace("%1", locale.toString(shown))
    else:
        counts = page_tr("Showing %1 of %Ln entries", total).replace("%1", locale.toString(shown))
    if selected > 1:
        counts += " · " + page_tr("%1 selected").replace("%1", locale.toString(selected))
    if said:
        counts += " · " + said
    return counts


def date_format(locale: QLocale) -> str:
    """The month as a word ("Nov 3, 2025" or "3 Nov 2025"): 3/11 means two different
    days on two sides of the Atlantic, and this date decides what the filter shows."""
    short = locale.dateFormat(QLocale.FormatType.ShortFormat)
    if "MMM" in short:
        return short
    month_first = short.find("M") < short.find("d")
    return "MMM d, yyyy" if month_first else "d MMM yyyy"
