"""Which number is the month in 3/4/2026, for a vault kept in a given time zone (Qt-free).

The vault knows where its case is only by its time zone, chosen when it was made and
kept while the user travels (:mod:`nco_desktop.timekeeping`), not by the laptop's
language, which may be anyone's. So the zone decides: month first (12/1/2017 is
December 1) for the United States and its territories, whose courts and phones write
dates that way, and for the Philippines, which does too; day first everywhere else,
as most of the world writes them. Canada, which uses all three orders, gets day first.
Either way the typed date is shown back with its month in words before it is saved,
and a number that cannot be a month in the vault's order is refused, never swapped.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

_MONTH_FIRST_ZONES = frozenset(
    {
        # The United States, its territories, and the Philippines (zone.tab's US, PR,
        # VI, GU, AS, MP, UM and PH), with their old aliases.
        "America/Adak",
        "America/Anchorage",
        "America/Atka",
        "America/Boise",
        "America/Chicago",
        "America/Denver",
        "America/Detroit",
        "America/Fort_Wayne",
        "America/Indianapolis",
        "America/Juneau",
        "America/Knox_IN",
        "America/Los_Angeles",
        "America/Louisville",
        "America/Menominee",
        "America/Metlakatla",
        "America/New_York",
        "America/Nome",
        "America/Phoenix",
        "America/Puerto_Rico",
        "America/Shiprock",
        "America/Sitka",
        "America/St_Thomas",
        "America/Virgin",
        "America/Yakutat",
        "Asia/Manila",
        "Navajo",
        "Pacific/Guam",
        "Pacific/Honolulu",
        "Pacific/Johnston",
        "Pacific/Midway",
        "Pacific/Pago_Pago",
        "Pacific/Saipan",
        "Pacific/Samoa",
        "Pacific/Wake",
        "EST5EDT",
        "CST6CDT",
        "MST7MDT",
        "PST8PDT",
    }
)
_MONTH_FIRST_PREFIXES = ("US/", "America/Indiana/", "America/Kentucky/", "America/North_Dakota/")


def day_first_for(zone: ZoneInfo) -> bool:
    """True when 1/12/2017 means 1 December in a vault kept in *zone*; False (month
    first) for the United States and its territories and the Philippines."""
    name = zone.key
    return not (name in _MONTH_FIRST_ZONES or name.startswith(_MONTH_FIRST_PREFIXES))


#: The same countries by ISO 3166 code, for what knows only the vault's phone region.
MONTH_FIRST_REGIONS = frozenset({"US", "PR", "GU", "VI", "AS", "MP", "UM", "PH"})


def day_first_for_region(region: str) -> bool:
    """Day first unless *region* (ISO 3166, e.g. "US") writes the month first. A weak
    hint only: a chat export was written by a phone that may be set up anywhere."""
    return region.upper() not in MONTH_FIRST_REGIONS
