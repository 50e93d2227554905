"""The case records the user keeps by hand: people, orders and incidents (Qt-free).

Each write is one vault transaction with one audit row. Audit details hold ids, counts
and categories only, never the words the user typed: the audit log is for checking
that nothing changed, not a second copy of the case.
"""

from nco_desktop.errors import NcoError


class InvalidRecord(NcoError, ValueError):
    """What the user entered cannot be saved; the message says what to fix.

    A ValueError too, so callers that validate generically still catch it; an
    NcoError, so the CLI and the window show its sentence as it is.
    """
