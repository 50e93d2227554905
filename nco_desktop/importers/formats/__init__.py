"""Format parsers, one module per export format, tried in this order.

Every module here defines:

- ``NAME``: what the summary calls the format ("SMS Backup & Restore messages").
- ``sniff(head: bytes, name: str) -> bool``: does this file look like ours? *head* is
  the first 64 KiB; *name* the file name. Decide by content first; use the name only to
  break ties between formats whose content looks alike (a CSV and a text note).
- ``parse(source: ParseSource) -> Iterator[ParsedItem]`` (see ``importers/model.py``).

Modules are imported lazily: the worker process loads only what a file needs.
"""

from __future__ import annotations

import importlib
from types import ModuleType

#: Most specific first: a WhatsApp export is also text, an SMS backup is also XML.
FORMAT_MODULES: tuple[str, ...] = (
    "sms_xml",
    "whatsapp",
    "signal_txt",
    "email_messages",
    "facebook",
    "telegram",
    "google_voice",
    "imessage_export",
    "images",
    "audio",
    "pdf",
    "calllog_csv",
    "notes",
)

HEAD_SIZE = 64 * 1024


def load(module_name: str) -> ModuleType:
    return importlib.import_module(f"{__name__}.{module_name}")


def available() -> list[str]:
    """The format modules that exist in this build (parsers land one by one)."""
    found = []
    for module_name in FORMAT_MODULES:
        try:
            load(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{module_name}":
                raise
            continue
        found.append(module_name)
    return found
