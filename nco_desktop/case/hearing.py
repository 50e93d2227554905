"""Which order's hearing the binder's cover offers, and in which words (Qt-free).

The cover is the user's statement to the court, so nothing is filled in unasked: when
its hearing is empty the window offers one order's hearing, and this module says which
(the next one; else the one heard last) and how it is written ("Tuesday, December 1,
2026" and "9:30 AM", English like the rest of the binder, whatever the system's
language). Kept out of the window so the command line and tests use the same rule.

The band above the views uses a different rule on purpose
(:func:`nco_desktop.case.violations.upcoming_deadlines`): it names *every* hearing
within two weeks, because a deadline must not be missed, not just the one to print.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from nco_desktop.case.orders import Order, list_orders
from nco_desktop.timekeeping import clock_time, long_date
from nco_desktop.vault import Vault


def order_with_hearing(orders: Iterable[Order], now: datetime) -> Order | None:
    """The order whose hearing is next; else the one heard last; None if none has one.

    *now* is naive wall-clock time in the vault's zone, as hearings are stored: a
    hearing does not move when the user travels. A hearing earlier today is past.
    Ties keep the first order given (``list_orders`` gives them oldest first).
    """
    heard = [o for o in orders if o.hearing_at is not None]
    coming = [o for o in heard if o.hearing_at is not None and o.hearing_at >= now]
    if coming:
        return min(coming, key=lambda o: o.hearing_at or now)
    return max(heard, key=lambda o: o.hearing_at or now, default=None)


def offered_hearing(vault: Vault, now: datetime | None = None) -> Order | None:
    """The order whose hearing the cover offers in *vault*, judged at *now* (an aware
    datetime; default: this moment), or None when no order has a hearing."""
    moment = now or datetime.now(vault.time_zone)
    wall_clock = moment.astimezone(vault.time_zone).replace(tzinfo=None)
    return order_with_hearing(list_orders(vault.conn), wall_clock)


def hearing_words(moment: datetime) -> tuple[str, str]:
    """("Tuesday, December 1, 2026", "9:30 AM"): the cover's hearing and hearing-time
    fields, in English as the rest of the cover is (strftime's names follow the
    system's language, which the window switches)."""
    return long_date(moment.date()), clock_time(moment)
