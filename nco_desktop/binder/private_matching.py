"""Where a private detail appears in a text: its variants found, and only whole words.

The user lists what the other side must not learn (their address, e-mail, number, a
child's name, a date of birth). Exact wording is not enough — "2417 Juniper Lane,
Springfield" is also written "2417 Juniper Ln" or just "Juniper Lane" — and plain
substrings do harm: with a child named "Will" listed, "I will find you. Willow Park at
5." must stay as it is, since it is the threat. So each detail is read for what it is:

- a **name** (one capitalised word, no digits) matches that word with its capital, or
  in capitals throughout (the user reviews each place: "I WILL FIND YOU" is a threat);
- an **e-mail address** matches whole, and its user part on its own;
- a **phone or account number** matches its last ten digits however they are spaced
  or punctuated;
- an **address** (a house number, a street and its kind) matches whole, without the
  house number, and with the street kind written out or abbreviated as USPS does
  (Lane/Ln, Court/Ct …); the unit and the city are matched only with the street;
- a **date** (of birth) matches in the usual numeric and written-out forms;
- anything else is a **phrase**: its words in order, any case.

Everything matches whole words only, ignoring accents (Peña = Pena), across line
breaks, letter spacing ("J u n i p e r") and hyphenation ("Juni-\\nper").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from dateutil import parser as date_parser

#: USPS street suffixes (Publication 28, appendix C1), the common ones: name → spellings.
STREET_KINDS: dict[str, tuple[str, ...]] = {
    "alley": ("alley", "aly"),
    "avenue": ("avenue", "ave", "av"),
    "boulevard": ("boulevard", "blvd"),
    "circle": ("circle", "cir"),
    "court": ("court", "ct"),
    "cove": ("cove", "cv"),
    "crescent": ("crescent", "cres"),
    "drive": ("drive", "dr"),
    "expressway": ("expressway", "expy"),
    "highway": ("highway", "hwy"),
    "lane": ("lane", "ln"),
    "loop": ("loop",),
    "parkway": ("parkway", "pkwy"),
    "place": ("place", "pl"),
    "plaza": ("plaza", "plz"),
    "road": ("road", "rd"),
    "square": ("square", "sq"),
    "street": ("street", "st", "str"),
    "terrace": ("terrace", "ter"),
    "trail": ("trail", "trl"),
    "way": ("way", "wy"),
    "bend": ("bend", "bnd"),
    "close": ("close",),
    "creek": ("creek", "crk"),
    "crossing": ("crossing", "xing"),
    "gardens": ("gardens", "gdns"),
    "glen": ("glen", "gln"),
    "grove": ("grove", "grv"),
    "heights": ("heights", "hts"),
    "hill": ("hill", "hl"),
    "hollow": ("hollow", "holw"),
    "landing": ("landing", "lndg"),
    "meadow": ("meadow", "mdw"),
    "mews": ("mews",),
    "path": ("path",),
    "pike": ("pike",),
    "point": ("point", "pt"),
    "ridge": ("ridge", "rdg"),
    "row": ("row",),
    "run": ("run",),
    "view": ("view", "vw"),
    "walk": ("walk",),
}
_KIND_OF = {spelling: kind for kind, spellings in STREET_KINDS.items() for spelling in spellings}
_UNITS = ("apartment", "apt", "unit", "suite", "ste", "flat", "#")
_DIRECTIONS: dict[str, tuple[str, ...]] = {
    "north": ("north", "n"),
    "south": ("south", "s"),
    "east": ("east", "e"),
    "west": ("west", "w"),
    "northeast": ("northeast", "ne"),
    "northwest": ("northwest", "nw"),
    "southeast": ("southeast", "se"),
    "southwest": ("southwest", "sw"),
}
_DIRECTION_OF = {s: name for name, spellings in _DIRECTIONS.items() for s in spellings}
_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)

_MONTH_STARTS = frozenset(month[:3] for month in _MONTHS)

#: Between two letters of a word: nothing, a letter space, or a hyphen at a line's end.
_IN_WORD = r"(?:[ \u00a0]|-[ \t]{0,3}\n?[ \t]{0,3})?"  # bounded: no runaway backtracking
#: Between two words: any run of spaces, line breaks and punctuation, or none at all
#: ("GB33BUKB2020…" for an account number listed with its spaces).
_BETWEEN = r"[\W_]*"
_START, _END = r"(?<![^\W_])", r"(?![^\W_])"  # whole words only


#: Cyrillic and Greek letters drawn exactly like Latin ones (from Unicode's confusables,
#: TR39): "Junіper" with a Cyrillic і prints as "Juniper" and must be found as it.
_LOOKALIKES = str.maketrans(
    "аАвВеЕһҺіІјЈкКмМнНоОрРсСтТуУхХѕЅԁԛԝӏαΑβΒεΕζΖηΗιΙκΚμΜνΝοΟρΡτΤυΥχΧ",
    "aABBeEhHiIjJkKMMHHoOpPcCTTyYxXsSdqwlaABBeEZZnHiIkKuMvNoOpPTTuYxX",
)
_RIGHT_TO_LEFT_OVERRIDE, _OVERRIDE_ENDS = "\u202e", "\u202c\u2069\n"


def fold(text: str) -> tuple[str, list[int]]:
    """*text* as it is read, with where each character came from: matches are found in
    the folded text and cut from the original, which looks as it did.

    Accents go; look-alike letters read as the Latin ones; and a run after a
    right-to-left override is read backwards, as it is shown ("enaL repinuJ 7142"
    after U+202E prints as "2417 Juniper Lane"), so *origin* may run backwards too."""
    folded: list[str] = []
    origin: list[int] = []
    for index in _seen_order(text):
        # NFKD: full-width digits and letters read as themselves. Format characters (a
        # zero-width space, a direction mark, a soft hyphen) are invisible in print, so
        # they must not hide a detail from the search either.
        for part in unicodedata.normalize("NFKD", text[index]):
            if not unicodedata.combining(part) and unicodedata.category(part) != "Cf":
                folded.append(part.translate(_LOOKALIKES))
                origin.append(index)
    return "".join(folded), origin


def _seen_order(text: str) -> list[int]:
    """The indices of *text* in the order its characters are seen: each run after a
    right-to-left override, up to its end (or the line's), turned round."""
    if _RIGHT_TO_LEFT_OVERRIDE not in text:
        return list(range(len(text)))
    order: list[int] = []
    index = 0
    while index < len(text):
        if text[index] != _RIGHT_TO_LEFT_OVERRIDE:
            order.append(index)
            index += 1
            continue
        end = index + 1
        while end < len(text) and text[end] not in _OVERRIDE_ENDS:
            end += 1
        order += [index, *range(end - 1, index, -1)]
        index = end
    return order


def _word(token: str) -> str:
    """One word, letter spacing and hyphenation allowed between its characters."""
    return _IN_WORD.join(re.escape(char) for char in token)


def _words(tokens: list[str]) -> str:
    return _BETWEEN.join(_word(token) for token in tokens)


def _either(spellings: tuple[str, ...]) -> str:
    return "(?:" + "|".join(_word(s) for s in spellings) + r")\.?"


@dataclass(frozen=True)
class Detail:
    """A private detail as listed, what kind it was read as, and its patterns."""

    text: str
    kind: str  # name, email, phone, address, date or phrase
    patterns: tuple[re.Pattern[str], ...]


def read_detail(term: str) -> Detail:
    """The patterns of one listed detail (see the module's docstring)."""
    text = " ".join(fold(unicodedata.normalize("NFC", term))[0].split())
    tokens = re.findall(r"[^\W_]+", text)
    digits = re.sub(r"\D", "", text)
    if not tokens:
        return Detail(term, "phrase", ())
    if "@" in text:
        return Detail(term, "email", _email(text))
    day = _as_date(text)
    if day is not None:
        return Detail(term, "date", _date(day))
    if len(digits) >= 7 and re.fullmatch(r"[\d\s+().\-/]+", text):
        return Detail(term, "phone", (_digits(digits[-10:]),))
    street = _street(text)
    if street is not None:
        return Detail(term, "address", street)
    if len(tokens) == 1 and tokens[0][:1].isupper() and not digits:
        # A child named June, May or August: not the month of a date ("May 2, 2025").
        dated = r"(?![\W_]{0,3}\d)" if tokens[0].lower()[:3] in _MONTH_STARTS else ""
        # With its capital, or in capitals throughout, as forms and police reports write
        # names ("WILL ROE, minor"); "I WILL FIND YOU" is found too, and the user's
        # review of every place keeps it as it is.
        spellings = {_word(tokens[0]), _word(tokens[0].upper())}
        written = "(?:" + "|".join(sorted(spellings)) + ")"
        return Detail(term, "name", (re.compile(_START + written + _END + dated),))
    found = [_flags(_words(tokens))]
    for run in re.findall(r"\d[\d\W_]*\d", text):  # a number inside a longer detail
        run_digits = re.sub(r"\D", "", run)
        if len(run_digits) >= 7:  # on its own ("Cell 555-010-9999"): all of its digits
            found.append(_digits(run_digits[-10:] if len(run_digits) <= 11 else run_digits))
    return Detail(term, "phrase", tuple(found))


def _flags(body: str) -> re.Pattern[str]:
    return re.compile(_START + body + _END, re.IGNORECASE)


def _digits(digits: str) -> re.Pattern[str]:
    """*digits* with any punctuation or spaces between them, not inside a longer number
    (a phone number's last ten), with or without a country code or trunk 0 before them,
    written or not ("+15550100199", "07700 900123")."""
    prefix = r"(?:(?:\+|00|011)[\W_]{0,2}\d{1,3}[\W_]{0,3}|\d{1,3}[\W_]{0,3})?"  # +1, 0044, 0
    return re.compile(r"(?<!\d)" + prefix + r"[\W_]{0,3}".join(digits) + r"(?!\d)")


def _email(text: str) -> tuple[re.Pattern[str], ...]:
    address = text.strip(" <>.,;")
    user = address.split("@", 1)[0]
    patterns = [re.compile(_START + re.escape(address) + _END, re.IGNORECASE)]
    # The user part alone, written as it is ("jane.doe", "janedoe84"): not any two words
    # ("Jane Doe" is the user's name, printed as a party), nor a word ("hello").
    if re.search(r"[\W_\d]", user) or len(user) >= 8:
        patterns.append(re.compile(_START + re.escape(user) + _END, re.IGNORECASE))
    return tuple(patterns)


def _street(text: str) -> tuple[re.Pattern[str], ...] | None:
    """An address's patterns, when one of *text*'s comma-separated parts is a house
    number and a street with its kind ("Apt 2B, 2417 N Juniper Lane" too); None when
    none reads as one."""
    parts = [re.findall(r"[^\W_]+|#", part) for part in text.split(",")]
    streets = [
        (index, kinds[0])
        for index, tokens in enumerate(parts)
        if len(tokens) >= 3
        and tokens[0][0].isdigit()
        and (kinds := [i for i, t in enumerate(tokens) if t.lower() in _KIND_OF and i >= 2])
    ]
    if not streets:
        return None
    index, at = streets[0]
    tokens = parts[index]
    number, name = tokens[0], tokens[1:at]
    direction = ""
    if len(name) > 1 and name[0].lower() in _DIRECTION_OF:  # "N Juniper", or "North"
        spellings = _DIRECTIONS[_DIRECTION_OF[name[0].lower()]]
        direction, name = f"(?:{_either(spellings)}{_BETWEEN})?", name[1:]
    kind = _either(STREET_KINDS[_KIND_OF[tokens[at].lower()]])
    street = _words(name) + _BETWEEN + kind
    units = [t for part in (tokens[at + 1 :], *parts[:index], *parts[index + 1 :]) for t in part]
    unit = ""
    if len(units) >= 2 and units[0].lower() in _UNITS:  # a unit right after the street
        designator = _either(tuple(u for u in _UNITS if u != "#")) + "|#"
        unit = f"(?:{_BETWEEN}(?:{designator}){_BETWEEN}{_word(units[1])})?"
    after = [t for part in (tokens[at + 1 :], *parts[index + 1 :]) for t in part]
    numbered = _word(number) + _BETWEEN + direction + street
    return (
        _flags(numbered + "".join(_BETWEEN + _word(t) for t in after)),  # as listed
        _flags(numbered + unit),
        _flags(direction + street + unit),  # "Juniper Lane", without the number
        _flags(_word(number) + _BETWEEN + direction + _words(name)),  # "2417 Juniper"
    )


def _as_date(text: str) -> date | None:
    """*text* as a calendar day, when that is all it is (a year is required)."""
    if not re.search(r"\d{4}|\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2}\b", text):
        return None
    if re.search(r"[^\w\s,./-]", text) or len(re.findall(r"[^\W\d_]+", text)) > 2:
        return None
    try:
        return date_parser.parse(text, fuzzy=False).date()
    except (ValueError, OverflowError, TypeError):
        return None


def _date(day: date) -> tuple[re.Pattern[str], ...]:
    month = _MONTHS[day.month - 1]
    named = f"(?:{month}|{month[:3]})\\.?"
    d = f"0?{day.day}"
    m = f"0?{day.month}"
    y = f"(?:{day.year}|{day.year % 100:02d})"
    sep = r"[/.-]"
    forms = (
        f"{m}{sep}{d}{sep}{y}",  # 3/4/2015, 03-04-15
        # 4/3/2015 (day first) only where it cannot be another day month first
        *([f"{d}{sep}{m}{sep}{y}"] if day.day > 12 else []),
        f"{day.year}{sep}0?{day.month}{sep}0?{day.day}",  # 2015-03-04
        f"{named}\\s+{d}(?:st|nd|rd|th)?,?\\s+{day.year}",  # March 4, 2015
        f"{d}(?:st|nd|rd|th)?\\s+(?:of\\s+)?{named},?\\s+{day.year}",  # 4 March 2015
    )
    return tuple(
        re.compile(r"(?<![\w/.-])" + form + r"(?![\w/-]|\.\d)", re.IGNORECASE) for form in forms
    )


def spans(text: str, details: tuple[Detail, ...]) -> list[tuple[int, int]]:
    """Where in *text* any of *details* appears: (start, end) in *text*'s own indices,
    sorted and merged (two found a space or a comma apart are one: "1140 Willow Ct" and
    "Apt 2B" hide as one address, not around a gap that shows where it was cut)."""
    return [(start, end) for start, end, _ in found_spans(text, details)]


def found_spans(text: str, details: tuple[Detail, ...]) -> list[tuple[int, int, str]]:
    """As :func:`spans`, with the listed detail each place was found for (the first one
    listed, where two found places were merged): the user's review names it."""
    if not details or not text:
        return []
    folded, origin = fold(text)
    found: list[tuple[int, int, str]] = []
    for detail in details:
        for pattern in detail.patterns:
            for match in pattern.finditer(folded):
                if match.end() > match.start():
                    # Where it came from, whichever way it runs (see fold).
                    places = origin[match.start() : match.end()]
                    end = max(places) + 1
                    while end < len(text) and unicodedata.combining(text[end]):
                        end += 1  # a decomposed accent goes with its letter
                    found.append((min(places), end, detail.text))
    found.sort()
    merged: list[tuple[int, int, str]] = []
    for start, end, term in found:
        gap = text[merged[-1][1] : start] if merged else "x"
        if merged and (start <= merged[-1][1] or (len(gap) <= 3 and not gap.strip(" ,.-"))):
            merged[-1] = (merged[-1][0], max(merged[-1][1], end), merged[-1][2])
        else:
            merged.append((start, end, term))
    return merged
