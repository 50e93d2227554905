"""One key per person across exports: phone numbers in E.164, addresses lower-cased.

"(555) 010-0199", "+1 555 010 0199" and "15550100199" from three exports must group
together, or a pattern of contact hides in plain sight. The number as the export wrote
it is kept in ``party``; this key goes in ``party_key``.
"""

from __future__ import annotations

import contextlib
import functools
import re

import phonenumbers

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONEISH = re.compile(r"^[\s+()\-./0-9]{3,}$")


@functools.lru_cache(maxsize=8192)  # a backup repeats the same few numbers 100,000 times
def party_key(party: str | None, region: str) -> str | None:
    """A stable key for *party*: 'tel:+15550100199', 'mailto:a@b.org', or 'id:handle'."""
    if party is None:
        return None
    text = party.strip()
    if not text:
        return None
    if text.lower().startswith("mailto:"):
        text = text[7:]
    if _EMAIL.match(text):
        return "mailto:" + text.lower()
    if _PHONEISH.match(text) and sum(ch.isdigit() for ch in text) >= 3:
        return "tel:" + normalize_phone(text, region)
    return "id:" + " ".join(text.split()).casefold()


def normalize_phone(raw: str, region: str) -> str:
    """E.164 where the number and the region make it clear; else the digits as written.

    Short codes and numbers that do not parse keep their digits (and a leading '+'), so
    "72975" stays "72975" rather than being forced into a country.
    """
    digits = re.sub(r"[^\d+]", "", raw)
    try:
        number = phonenumbers.parse(raw, region.upper() or None)
    except phonenumbers.NumberParseException:
        return digits
    if phonenumbers.is_possible_number(number) and phonenumbers.is_valid_number(number):
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if phonenumbers.is_possible_number(number) and len(digits.lstrip("+")) >= 10:
        # Possible but not assigned (test and fictional numbers such as 555-01xx):
        # still put them in one canonical form so they group.
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return digits


def region_for_zone(zone_name: str) -> str:
    """The country of a time zone (tzdata's zone.tab), for phone numbers; 'US' if unknown."""
    from importlib import resources

    tables = []
    with contextlib.suppress(ModuleNotFoundError, OSError):  # tzdata is only on Windows
        tables.append((resources.files("tzdata") / "zoneinfo" / "zone.tab").read_text())
    for path in ("/usr/share/zoneinfo/zone.tab", "/usr/share/zoneinfo/zone1970.tab"):
        try:
            with open(path, encoding="utf-8") as handle:
                tables.append(handle.read())
        except OSError:
            continue
    for table in tables:
        for line in table.splitlines():
            if line.startswith("#"):
                continue
            columns = line.split("\t")
            if len(columns) >= 3 and columns[2] == zone_name:
                return columns[0].split(",")[0]
    return "US"
