"""Where the import's parsers run: re-exported from :mod:`nco_desktop.sandbox`.

Kept so callers written against the old module keep working; the workers, their
confinement and the channel's format live in the ``nco_desktop.sandbox`` package.
"""

from __future__ import annotations

from nco_desktop.sandbox.pool import Limits, ParseFailed, ParseJob, ParserPool, ParseTask
from nco_desktop.sandbox.worker import detect_format

__all__ = ["Limits", "ParseFailed", "ParseJob", "ParseTask", "ParserPool", "detect_format"]
