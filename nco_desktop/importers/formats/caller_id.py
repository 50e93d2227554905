"""Callers whose number was not shown: private, unknown, payphone — never a "person".

Android's call log writes a withheld caller's number as a code, not a number: "-1"
unknown, "-2" private, "-3" payphone (``CallerInfo.UNKNOWN_NUMBER``, ``PRIVATE_NUMBER``,
``PAYPHONE_NUMBER``), and says the same in the ``presentation`` column
(``CallLog.Calls.PRESENTATION_*``: 1 allowed, 2 restricted, 3 unknown, 4 payphone,
5 unavailable), which SMS Backup & Restore copies into its XML. Carriers' and apps' CSVs
write words instead ("Private", "Restricted", "No Caller ID").

Stored as a party, "-2" would become one person ``id:-2`` who made every withheld call
from anyone, and could be linked to the restrained person by a click. So the entry gets
no party; the words go in ``party_name`` (what lists and the binder print) and the code
in ``meta["caller_id"]``, so the calls can still be found and counted.
"""

from __future__ import annotations

import re
from typing import Any

PRIVATE = "Private number"
UNKNOWN = "Unknown number"
PAYPHONE = "Payphone"
UNAVAILABLE = "Number unavailable"

#: The words, and the code kept in meta.
_CODES = {PRIVATE: "private", UNKNOWN: "unknown", PAYPHONE: "payphone", UNAVAILABLE: "unavailable"}
_BY_NUMBER = {"-1": UNKNOWN, "-2": PRIVATE, "-3": PAYPHONE}
_BY_PRESENTATION = {"2": PRIVATE, "3": UNKNOWN, "4": PAYPHONE, "5": UNAVAILABLE}
#: What a CSV writes in the number column for a withheld caller (case and spaces ignored).
_BY_WORD = {
    "private": PRIVATE,
    "privatenumber": PRIVATE,
    "restricted": PRIVATE,
    "restrictednumber": PRIVATE,
    "withheld": PRIVATE,
    "numberwithheld": PRIVATE,
    "anonymous": PRIVATE,
    "blockedcallerid": PRIVATE,
    "nocallerid": PRIVATE,
    "unknown": UNKNOWN,
    "unknownnumber": UNKNOWN,
    "unknowncaller": UNKNOWN,
    "payphone": PAYPHONE,
    "unavailable": UNAVAILABLE,
    "numberunavailable": UNAVAILABLE,
}


def withheld(number: str | None, presentation: str | None = None) -> str | None:
    """The words for a caller whose number was not shown, or None for a real number.

    *presentation* (Android's column) decides when it says anything but "allowed";
    otherwise the number itself: one of Android's codes, or a word a CSV wrote.
    """
    if label := _BY_PRESENTATION.get((presentation or "").strip()):
        return label
    text = (number or "").strip()
    if label := _BY_NUMBER.get(text):
        return label
    return _BY_WORD.get(re.sub(r"[^a-z]", "", text.casefold())) if text else None


def meta_for(label: str, number: str | None, presentation: str | None = None) -> dict[str, Any]:
    """What the entry's meta keeps: the code, and the number and presentation as written."""
    meta: dict[str, Any] = {"caller_id": _CODES[label]}
    if number and number.strip():
        meta["number_as_written"] = number
    if presentation and presentation.strip() and presentation.strip() != "1":
        meta["presentation"] = presentation
    return meta
